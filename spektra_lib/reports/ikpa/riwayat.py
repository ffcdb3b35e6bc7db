"""ikpa_riwayat: the month-by-month history of the estimated IKPA (issue 22 §5): per
satker and month 1..bulan the total as it stood at that month's end, its category, and
the official value of that month where ikpa_resmi has it (for the history chart with
its category bands: attrs["pita"], the rule's `kategori` bands [{nama, mulai}], highest
first)."""
from __future__ import annotations

import time

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
    from . import TOTAL, pilih_aturan, tersimpan
    rule = pilih_aturan(tahun, aturan)
    out = tersimpan.baca(store, tahun, bulan, satker, rule)     # kept by `spektra ingest`
    if out is None:
        out = _bulanan(store, pilihan)
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
    out.attrs["aturan"] = rule.dasar
    out.attrs["pita"] = [dict(b) for b in rule.nilai("kategori")]
    return out


def _bulanan(store, pilihan: Selection) -> pd.DataFrame:
    """Per satker and month 1..bulan the total as computed at that month's end (kode_satker,
    nama_satker, nilai, kategori, dasar, bulan), before the official values join it."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    aturan = pilihan.aturan
    from . import TOTAL, _estimasi_bersama
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
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)


def simpan(store) -> list[int]:
    """Compute and keep the history of every budget year in `store` (a writer: the new
    copy `spektra ingest` swaps in) whose kept rows no longer match, each under the rule
    its page uses (aturan.pilih); returns those years."""
    from . import pilih_aturan, tersimpan
    tabel = tersimpan.TABEL
    con = store.con
    con.execute(f"CREATE TABLE IF NOT EXISTS {tabel} (tahun INTEGER, kunci VARCHAR, "
                "urutan INTEGER, kode_satker VARCHAR, nama_satker VARCHAR, bulan INTEGER, "
                "nilai DOUBLE, kategori VARCHAR, dasar VARCHAR)")
    years = [int(y) for y in store.sql("SELECT DISTINCT tahun FROM pok ORDER BY 1")["tahun"]]
    done = []
    con.execute(f"DELETE FROM {tabel} WHERE tahun NOT IN (SELECT DISTINCT tahun FROM pok)")
    for tahun in years:
        k = tersimpan.kunci(store, tahun, pilih_aturan(tahun))
        if store.scalar(f"SELECT count(*) FROM {tabel} WHERE tahun = ? AND kunci = ?",
                        [tahun, k]):
            continue
        df = _bulanan(store, Selection(tahun=tahun, bulan=12))
        rows = pd.DataFrame({"tahun": tahun, "kunci": k, "urutan": range(len(df)),
                             **{c: df[c].to_numpy() for c in tersimpan.KOLOM}})
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"DELETE FROM {tabel} WHERE tahun = ?", [tahun])
            con.register("_ikpa_riwayat_in", rows)
            con.execute(f"INSERT INTO {tabel} BY NAME SELECT * FROM _ikpa_riwayat_in")
            con.unregister("_ikpa_riwayat_in")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        done.append(tahun)
    return done


def simpan_dengan_catatan(store, detik=str) -> str:
    """`simpan` for `spektra ingest`, and what to tell the user ("" when nothing was
    computed; `detik` writes the seconds it took, the caller's number format).
    Derived, not input: should it fail, the data still loads and the page computes the
    history when opened."""
    t0 = time.perf_counter()
    try:
        years = simpan(store)
    except Exception as e:      # noqa: BLE001 — a derived table never refuses the data
        return (f"riwayat IKPA tidak disimpan ({type(e).__name__}: {e}); halaman IKPA "
                "menghitungnya saat dibuka.")
    if not years:
        return ""
    return (f"riwayat IKPA tahun {', '.join(map(str, years))} dihitung dan disimpan "
            f"({detik(time.perf_counter() - t0)} dtk).")
