"""SAKTI's Rincian Kertas Kerja Satker (RKK) of one satker as downloaded (DOMAIN.md §6; read
by sources/rkk.py): title rows with the satker, a header, then one line per level with its
code in column A, uraian in D, the pagu (rupiah) in J; no items, no year."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .xlsx_inline import write

LEVELS = ["program", "kegiatan", "kro", "ro", "komponen", "subkomponen", "akun"]


def write_rkk(pok: pd.DataFrame, path: Path, satker_name: str = "", kode_ba: str = "088",
              kode_eselon1: str = "01") -> Path:
    kode = str(pok["kode_satker"].iloc[0])
    p = pok.copy()
    keys = [f"kode_{lv}" for lv in LEVELS]
    for k in keys:
        p[k] = p[k].astype(object).where(p[k].notna(), "").astype(str)
    sums = {k: p.groupby(keys[:k + 1])["pagu"].sum() for k in range(len(LEVELS))}
    rows = [["RINCIAN KERTAS KERJA SATKER"], [f"SATKER : {kode} {satker_name}".strip()], [],
            ["KODE", None, None, "URAIAN", None, None, None, None, None, "JUMLAH BIAYA"]]
    done = set()
    for _, it in p.sort_values(keys).iterrows():
        at = tuple(it[k] for k in keys)
        for k, lv in enumerate(LEVELS):
            if at[:k + 1] in done or (lv == "subkomponen" and at[k] == ""):
                continue
            done.add(at[:k + 1])
            own = at[k]
            code = {"program": f"{kode_ba}.{kode_eselon1}.{own}",
                    "kro": f"{it['kode_kegiatan']}.{own}",
                    "ro": f"{it['kode_kro']}.{own}"}.get(lv, own)
            v = float(sums[k].loc[at[:k + 1] if k else at[0]])
            rows.append([code, None, None, str(it.get(f"nama_{lv}") or ""), None, None, None,
                         None, None, v])
    rows.append([None, None, None, "JUMLAH", None, None, None, None, None,
                 float(p["pagu"].sum())])
    return write(Path(path), [("RKK_MULTIYEAR_SATKER", rows, [])])
