"""What-if for a satker (issue 25): it enters the realisasi it plans for the coming months
(and, if it updates it, its RPD) and sees the projected quarter-end Penyerapan Anggaran and
Deviasi Halaman III scores of the IKPA rule year. A PROYEKSI, never a score.

The scores are the IKPA indicators' own arithmetic and parameters (reports/ikpa/
penyerapan.py `kelompok` + `nilai_akhir_triwulan`, reports/ikpa/deviasi.py `skor`; the rule
of the year, parameters/ikpa/<rule>.yaml), applied at each quarter end to realisasi = what
happened up to `bulan` plus the plan after it: nilai_penyerapan is the indicator as it
stands at that quarter end (the mean of the quarters ended), nilai_deviasi over January to
that quarter end. Without a plan the satker is taken to follow its P50 path
(reports/proyeksi.py, proyeksi.jalur); without an RPD update, the RPD in the store (the
budget in force: unlike ikpa_estimasi, not the version locked for each quarter).
Percentages are of pagu − blokir, as IKPA's and proyeksi's.

Not a catalog report (a starter notebook and its controls call it): the scope is checked
here, as reports.run would.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import proyeksi
from . import _common
from .ikpa import deviasi, penyerapan, pilih_aturan
from .proyeksi import JENIS, _hitung, _targets
from .selection import Selection

RENCANA = ["bulan", "jenis_belanja", "realisasi", "rpd"]
HASIL = ["triwulan", "bulan", "jenis_belanja", "realisasi_persen", "target_persen",
         "nilai_penyerapan", "nilai_deviasi", "dasar"]
TRIWULAN = {3: "TW I", 6: "TW II", 9: "TW III", 12: "TW IV"}


def _rows(store, tahun: int, bulan: int, satker: str | None):
    if satker is None:
        raise ValueError("Simulasi memerlukan satu satker (parameter satker).")
    store.check_scope(satker)
    _common.check_month(bulan)
    got = _hitung(store, tahun, bulan, satker, None)
    if got is None or got[0].empty:
        raise ValueError(f"Satker {satker} tidak punya pagu tahun {tahun}.")
    now, pat, f = got
    keep = now.index.get_level_values("jenis_belanja").isin(JENIS)
    return now[keep], pat[keep], f[keep]


def rencana_bawaan(store, pilihan: Selection) -> pd.DataFrame:
    """The months after `bulan` per jenis belanja: realisasi on the P50 path and the RPD in
    the store (rupiah a month) — what the what-if starts from."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    now, pat, f = _rows(store, tahun, bulan, satker)
    out = []
    for i, (_, jb) in enumerate(now.index):
        row, base = now.iloc[i], float(now["base"].iloc[i])
        c = np.array([float(pat[f"c{m}"].iloc[i]) for m in proyeksi.MONTHS])
        r = float(row[f"r{bulan}"]) if row[f"r{bulan}"] == row[f"r{bulan}"] else 0.0
        path = proyeksi.jalur(r, float(f["p50"].iloc[i]), c, bulan)
        rpd_cum = np.array([float(row[f"d{m}"]) for m in proyeksi.MONTHS])
        rpd = np.diff(rpd_cum, prepend=0.0) * base / 100
        for m in range(bulan + 1, 13):
            out.append([m, jb, round((path[m - 1] - path[m - 2]) * base / 100), round(rpd[m - 1])])
    return pd.DataFrame(out, columns=RENCANA).astype({"realisasi": float, "rpd": float})


def _deviasi(dev_jb: pd.DataFrame, jbs: list, real: np.ndarray, rpd: np.ndarray, q: int,
             rule) -> pd.Series:
    """Deviasi score per satker over months 1..q: ikpa.deviasi's arithmetic on the plan."""
    row = {jb: i for i, jb in enumerate(jbs)}
    grid = dev_jb.loc[dev_jb.index.repeat(q)].reset_index(drop=True)
    grid["bulan"] = np.tile(np.arange(1, q + 1), len(dev_jb))
    i = grid["jb"].map(row).to_numpy(int)
    m = grid["bulan"].to_numpy(int) - 1
    grid["rpd"], grid["realisasi"] = rpd[i, m], real[i, m]
    return deviasi.skor(grid, rule.nilai)[2]


def simulasi_ikpa(store, pilihan: Selection, *,
                  rencana: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per quarter end and jenis belanja ("" = the satker: the scores) realisasi % of pagu −
    blokir and target; on the satker's rows the Penyerapan and Deviasi scores (estimates of the
    rule year). `rencana`: bulan, jenis_belanja, realisasi (and optionally rpd), rupiah a
    month for months after `bulan`; missing months / columns take rencana_bawaan's."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    aturan = pilihan.aturan
    now, _pat, _f = _rows(store, tahun, bulan, satker)
    plan = rencana_bawaan(store, pilihan)
    if rencana is not None and len(rencana):
        given = rencana.copy()
        given["jenis_belanja"] = given["jenis_belanja"].astype(str)
        given["bulan"] = given["bulan"].astype(int)
        if given["bulan"].le(bulan).any() or not given["bulan"].between(1, 12).all():
            raise ValueError(f"Rencana hanya untuk bulan sesudah {bulan} (sampai 12).")
        plan = plan.set_index(["bulan", "jenis_belanja"])
        upd = given.set_index(["bulan", "jenis_belanja"])
        for col in ("realisasi", "rpd"):
            if col in upd:
                plan.loc[plan.index.intersection(upd.index), col] = \
                    upd[col].reindex(plan.index.intersection(upd.index)).astype(float)
        plan = plan.reset_index()
    jbs = list(now.index.get_level_values("jenis_belanja"))
    real = np.zeros((len(jbs), 12))
    rpd = np.zeros((len(jbs), 12))
    for i, jb in enumerate(jbs):
        row, base = now.iloc[i], float(now["base"].iloc[i])
        real[i, :bulan] = np.asarray(row["realisasi_bulan"], float)[:bulan]
        rpd[i] = np.diff([0.0] + [float(row[f"d{m}"]) for m in proyeksi.MONTHS]) * base / 100
        p = plan[plan["jenis_belanja"] == jb].set_index("bulan")
        for m in range(bulan + 1, 13):
            real[i, m - 1] = float(p["realisasi"].get(m, 0.0))
            rpd[i, m - 1] = float(p["rpd"].get(m, rpd[i, m - 1]))
    rule = pilih_aturan(tahun, aturan)
    pen_pagu, pen_real, pen_targets = penyerapan.kelompok(
        pd.DataFrame({"kode_satker": satker, "jb": jbs, "pagu": now["pagu"].to_numpy(float),
                      "blokir": now["blokir"].to_numpy(float)}),
        pd.DataFrame({"kode_satker": satker, "jb": np.repeat(jbs, 12),
                      "bulan": np.tile(proyeksi.MONTHS, len(jbs)), "nilai": real.ravel()}),
        rule.nilai)
    dev_jb = deviasi.jenis_dinilai(pd.DataFrame({"kode_satker": satker, "jb": jbs,
                                                 "pagu": now["pagu"].to_numpy(float)}),
                                   rule.nilai)
    targets = _targets(tahun, aturan)
    base = now["base"].to_numpy(float)
    out = []
    for q, name in TRIWULAN.items():
        pen = penyerapan.nilai_akhir_triwulan(pen_pagu, pen_real, pen_targets, q // 3)
        dev = _deviasi(dev_jb, jbs, real, rpd, q, rule)
        dasar = "realisasi" if q <= bulan else "rencana"
        for i, jb in enumerate(jbs):
            out.append([name, q, jb, real[i, :q].sum() / base[i] * 100 if base[i] > 0 else np.nan,
                        targets.get(jb, targets[""])[q], np.nan, np.nan, dasar])
        out.append([name, q, "", real[:, :q].sum() / base.sum() * 100 if base.sum() > 0
                    else np.nan, targets[""][q], float(pen.get(satker, np.nan)),
                    float(dev.get(satker, np.nan)), dasar])
    df = pd.DataFrame(out, columns=HASIL)
    df.attrs["catatan"] = (f"PROYEKSI nilai IKPA ({rule.dasar}) dari realisasi s.d. bulan "
                           f"{bulan} dan rencana sesudahnya; estimasi, bukan nilai resmi.")
    return df
