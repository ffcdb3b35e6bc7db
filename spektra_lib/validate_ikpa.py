"""Checks of the IKPA inputs (issue 22, CONTRACT §1), called by validate.validate.

revisi_dipa: every code of kode_jenis_revisi known (parameters/ikpa/kode_revisi.yaml),
kewenangan one of DJA, DITPA, KANWIL, KPA; ro_proyeksi: target_pcro 0–100;
ikpa_resmi: nilai 0–100, indikator named as ikpa_estimasi names it; pok.blokir between
0 and the item's pagu; capaian_ro.tgl_lapor in the budget year or the next (December's
report is due in January). Dates of revisi_dipa and dispensasi_spm outside their year,
duplicates, months and unknown satker are checked with every other table (validate.py).
"""
from __future__ import annotations

import re

import pandas as pd

from . import parameters, schema
from .problems import Problem
from .validate import _at, _fmt


def _nama_indikator() -> set[str]:
    """Every indicator name of every IKPA rule file (parameters/ikpa/*.yaml; the rules
    themselves are read by reports/ikpa/aturan.py, a layer above)."""
    out = set()
    for name in parameters.names("ikpa"):
        d = parameters.load(name)
        for i in list(d.get("indikator") or []) + list(d.get("pengurang") or []):
            out.add(i["nama"])
    return out


def ikpa_inputs(t: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    rev = t.get("revisi_dipa")
    if rev is not None and len(rev):
        pola = re.compile(parameters.load("ikpa/kode_revisi")["pola"]["nilai"])

        def unknown(v) -> list[str]:
            if v is None or pd.isna(v):
                return []
            return [c.strip() for c in str(v).split(";") if not pola.match(c.strip())]
        bad = rev["kode_jenis_revisi"].map(lambda v: bool(unknown(v))).to_numpy(bool)
        problems += _at(rev, bad, "kode_jenis_revisi", lambda r: (
            f"kode jenis revisi tidak dikenal: {', '.join(repr(c) for c in unknown(r['kode_jenis_revisi']))} "
            "(tiga angka, mis. 221; beberapa kode dipisah ';')"))
        kew = rev["kewenangan"].astype("string").str.strip().str.upper()
        bad = (rev["kewenangan"].notna() & ~kew.isin(schema.KEWENANGAN_REVISI)).fillna(False)
        problems += _at(rev, bad, "kewenangan", lambda r: (
            f"kewenangan tidak dikenal: {r['kewenangan']!r} (pilih "
            f"{', '.join(schema.KEWENANGAN_REVISI)})"))
    pr = t.get("ro_proyeksi")
    if pr is not None and len(pr):
        x = pr["target_pcro"]
        bad = (x.notna() & ((x < 0) | (x > 100))).fillna(False)
        problems += _at(pr, bad, "target_pcro", lambda r: (
            f"target PCRO harus 0–100 %, bukan {_fmt(r['target_pcro'])}"))
    res = t.get("ikpa_resmi")
    if res is not None and len(res):
        x = res["nilai"]
        bad = (x.notna() & ((x < 0) | (x > 100))).fillna(False)
        problems += _at(res, bad, "nilai", lambda r: (
            f"nilai IKPA harus 0–100, bukan {_fmt(r['nilai'])}"))
        known = _nama_indikator() | {"Nilai IKPA"}
        bad = (res["indikator"].notna() & ~res["indikator"].isin(sorted(known))).fillna(False)
        problems += _at(res, bad, "indikator", lambda r: (
            f"indikator tidak dikenal: {r['indikator']!r} (nama seperti laporan "
            f"ikpa_estimasi, mis. Revisi DIPA, Nilai IKPA)"))
    pok = t.get("pok")
    if pok is not None and len(pok) and "blokir" in pok.columns:
        b = pok["blokir"]
        bad = (b.notna() & ((b < 0) | (b > pok["pagu"]))).fillna(False)
        problems += _at(pok, bad, "blokir", lambda r: (
            f"blokir {_fmt(r['blokir'])} harus antara 0 dan pagu {_fmt(r['pagu'])}"))
    cap = t.get("capaian_ro")
    if cap is not None and len(cap) and "tgl_lapor" in cap.columns:
        d, y = cap["tgl_lapor"], cap["tahun"]
        bad = (d.notna() & y.notna() & (d.dt.year != y) & (d.dt.year != y + 1)).fillna(False)
        problems += _at(cap, bad, "tgl_lapor", lambda r: (
            f"tanggal lapor {r['tgl_lapor']:%Y-%m-%d} di luar tahun anggaran {r['tahun']} "
            "dan tahun berikutnya"))
    return problems
