"""ikpa_riwayat: the month-by-month history of the estimated IKPA (issue 22 §5): per
satker and month 1..bulan the total as it stood at that month's end, its category, and
the official value of that month where ikpa_resmi has it (for the history chart with
its category bands: attrs["pita"], the rule's `kategori` bands [{nama, mulai}], highest
first)."""
from __future__ import annotations

import pandas as pd

from ..selection import Selection

COLUMNS = ["kode_satker", "nama_satker", "bulan", "nilai", "kategori", "resmi", "dasar"]


def ikpa_riwayat(store, pilihan: Selection) -> pd.DataFrame:
    from . import _memo, pilih_aturan
    rule = pilih_aturan(pilihan.tahun, pilihan.aturan)
    return _memo.laporan("ikpa_riwayat", store, pilihan.tahun, pilihan.bulan, pilihan.satker,
                         rule, lambda: _riwayat(store, pilihan))


def _riwayat(store, pilihan: Selection) -> pd.DataFrame:
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    aturan = pilihan.aturan
    from . import TOTAL, _estimasi_bersama, pilih_aturan
    parts, cache = [], {"bulan_riwayat": int(bulan)}   # the last month (deviasi.py)
    for m in range(1, int(bulan) + 1):
        # one query cache over the months (_data.py: what depends on the month is cut
        # from the year's rows); each month's estimate is the page's own (_memo.py)
        est = _estimasi_bersama(store, tahun, m, satker, aturan, cache=cache,
                                jejak=False)
        tot = est[est["indikator"] == TOTAL][["kode_satker", "nama_satker", "nilai",
                                              "kategori", "dasar"]].copy()
        tot["bulan"] = m
        parts.append(tot)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    only = "AND kode_satker = ?" if satker else ""
    has = store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ikpa_resmi' "
                       "AND database_name = current_database()")
    resmi = store.sql(f"SELECT kode_satker, bulan, CAST(nilai AS DOUBLE) AS resmi FROM ikpa_resmi "
                      f"WHERE tahun = ? AND bulan <= ? AND indikator = ? {only}",
                      [tahun, bulan, TOTAL] + ([satker] if satker else [])) if has else \
        pd.DataFrame({"kode_satker": pd.Series(dtype=str), "bulan": pd.Series(dtype="int64"),
                      "resmi": pd.Series(dtype=float)})
    out = out.merge(resmi, on=["kode_satker", "bulan"], how="left")
    out = out.sort_values(["kode_satker", "bulan"], kind="stable").reset_index(drop=True)[COLUMNS]
    rule = pilih_aturan(tahun, aturan)
    out.attrs["aturan"] = rule.dasar
    out.attrs["pita"] = [dict(b) for b in rule.nilai("kategori")]
    return out
