"""ikpa_ringkasan: the agency's IKPA on one line per satker (issue 22 §5): the estimated
total and its category, the indicator that costs the most (the most weighted points
lost: bobot_efektif × (100 − nilai) / 100) and how many indicators could not be computed.
The agency line (kode_satker empty) is the mean of the satker totals, as the Treasury
takes Eselon I and K/L values (DOMAIN §5)."""
from __future__ import annotations

import math

import pandas as pd

from ..selection import Selection

COLUMNS = ["kode_satker", "nama_satker", "nilai", "kategori", "indikator_termahal",
           "poin_hilang", "tidak_dihitung", "dasar"]


def ikpa_ringkasan(store, pilihan: Selection) -> pd.DataFrame:
    tahun, satker, aturan = pilihan.tahun, pilihan.satker, pilihan.aturan
    from . import TOTAL, ikpa_estimasi, kategori, pilih_aturan
    est = ikpa_estimasi(store, pilihan)
    rows = []
    for kode, g in est.groupby("kode_satker", sort=True):
        total = g[g["indikator"] == TOTAL].iloc[0]
        ind = g[(g["indikator"] != TOTAL) & (g["bobot"] > 0)]
        lost = (ind["bobot_efektif"] * (100 - ind["nilai"]) / 100).dropna()
        worst = lost.idxmax() if len(lost) and lost.max() > 0 else None
        rows.append([kode, total["nama_satker"], total["nilai"], total["kategori"],
                     "" if worst is None else ind.loc[worst, "indikator"],
                     0.0 if worst is None else float(lost.max()),
                     int(ind["nilai"].isna().sum()), total["dasar"]])
    out = pd.DataFrame(rows, columns=COLUMNS)
    scored = out["nilai"].dropna()
    if satker is None and len(scored):
        mean = float(scored.mean())
        rule = pilih_aturan(tahun, aturan)
        out = pd.concat([out, pd.DataFrame([["", f"Rata-rata {len(scored)} satker", mean,
                                             kategori(mean, rule.nilai("kategori")), "",
                                             math.nan, int(out["nilai"].isna().sum()),
                                             rule.dasar]], columns=COLUMNS)],
                        ignore_index=True)
    out.attrs.update(est.attrs)
    if satker is None and est.attrs.get("catatan_satker"):
        # one line per satker here: each satker's own notes are on its IKPA page
        out.attrs["catatan"] = (est.attrs["catatan_aturan"] + f" {est.attrs['catatan_satker']}"
                                " catatan per satker (mis. indikator yang sebagian tidak dapat "
                                "dinilai, target pedoman yang dipakai) ada di halaman Estimasi "
                                "Nilai IKPA tiap satker.")
    return out
