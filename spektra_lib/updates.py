"""What an ingest changes in realisasi, per satker and month, worked out before it is
loaded: `spektra ingest` prints it after loading, `spektra periksa` before, and an ingest
that lowers a covered month by more than `TURUN_BATAS` is a warning (refused with
`--ketat`).

The months a realisasi export covers are, per satker, the first to the last month of its
lines in the export (schema.Table.period), widened by the months a file declares it covers
(GLP039: January to its period; Batch.cakupan): only those months are replaced, so a month
the file does not cover can never change (issue 27).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from babel.numbers import format_decimal, format_percent

from .kalender import nama_bulan as bulan_nama
from .problems import Problem

# A covered month whose realisasi falls by more than this share is worth a second look:
# a corrected SP2D moves a month by far less, a truncated export by far more.
TURUN_BATAS = 0.01

# The dated tables whose sums a user knows as "realisasi".
REALISASI_TABLES = ("realisasi", "realisasi_akun")


@dataclass(frozen=True)
class SatkerChange:
    tabel: str
    tahun: int
    kode_satker: str
    dari: int          # the months the export covers for this satker
    sampai: int
    sebelum: float           # realisasi s.d. `bulan_akhir`, before and after
    sesudah: float
    bulan_akhir: int         # the latest month with realisasi after the ingest
    turun: tuple[tuple[int, float, float], ...]   # (bulan, before, after) falling > TURUN_BATAS
    ada_sebelumnya: bool = False   # the store held realisasi of this satker-year


def realisasi_changes(store, tables: dict[str, pd.DataFrame] | None,
                      cakupan: list[dict] = ()) -> list[SatkerChange]:
    """Per table, year and satker of the incoming realisasi: what the ingest would change.
    `store`: the Store (None: an empty store). `cakupan`: the months files declare they
    cover (Batch.cakupan), replaced too beyond their lines' first to last month."""
    out: list[SatkerChange] = []
    declared: dict[tuple, tuple[int, int]] = {}
    for c in cakupan:
        k = (c["tabel"], int(c["tahun"]), str(c["kode_satker"]))
        m = declared.get(k, (13, 0))
        declared[k] = (min(m[0], int(c["bulan_awal"])), max(m[1], int(c["bulan_akhir"])))
    for name in REALISASI_TABLES:
        df = (tables or {}).get(name)
        if df is None or not len(df):
            continue
        inc = pd.DataFrame({
            "tahun": pd.to_numeric(df["tahun"], errors="coerce").astype("Int64"),
            "kode_satker": df["kode_satker"].astype(str),
            "bulan": pd.to_datetime(df["tanggal"], errors="coerce").dt.month.astype("Int64"),
            "nilai": pd.to_numeric(df["nilai"], errors="coerce").fillna(0.0),
        }).dropna(subset=["tahun", "bulan"])
        new = inc.groupby(["tahun", "kode_satker", "bulan"], as_index=False)["nilai"].sum()
        old = _stored_months(store, name, new[["tahun", "kode_satker"]].drop_duplicates())
        for (tahun, satker), got in new.groupby(["tahun", "kode_satker"]):
            d0, d1 = declared.get((name, int(tahun), str(satker)), (13, 0))
            m0, m1 = min(int(got["bulan"].min()), d0), max(int(got["bulan"].max()), d1)
            before = old[(old["tahun"] == tahun) & (old["kode_satker"] == satker)]
            b = dict(zip(before["bulan"].astype(int), before["nilai"].astype(float)))
            a = {m: v for m, v in b.items() if not m0 <= m <= m1}
            a.update(dict(zip(got["bulan"].astype(int), got["nilai"].astype(float))))
            last = max(list(a) + list(b))
            turun = tuple((m, b[m], a.get(m, 0.0)) for m in sorted(b)
                          if m0 <= m <= m1 and b[m] > 0
                          and (b[m] - a.get(m, 0.0)) > TURUN_BATAS * b[m])
            out.append(SatkerChange(name, int(tahun), str(satker), m0, m1,
                                    sum(v for m, v in b.items() if m <= last),
                                    sum(v for m, v in a.items() if m <= last), last, turun,
                                    bool(b)))
    return out


def _stored_months(store, table: str, scopes: pd.DataFrame) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["tahun", "kode_satker", "bulan", "nilai"])
    if store is None or not len(scopes):
        return empty
    cur = store.cursor()   # a cursor of its own: the caller's connection may hold a result
    try:
        cur.register("_chg_scopes", scopes.astype({"tahun": "int64", "kode_satker": str}))
        return cur.execute(
            f"SELECT r.tahun, r.kode_satker, month(r.tanggal) AS bulan, "
            f"CAST(sum(r.nilai) AS DOUBLE) AS nilai FROM {table} r JOIN _chg_scopes s "
            "ON r.tahun = s.tahun AND r.kode_satker = s.kode_satker GROUP BY ALL").df()
    finally:
        cur.close()


def warnings(changes: list[SatkerChange]) -> list[Problem]:
    """A covered month falling by more than TURUN_BATAS, one line per satker and month."""
    out = []
    for c in changes:
        for m, b, a in c.turun:
            out.append(Problem(c.tabel, None, f"satker {c.kode_satker}", (
                f"realisasi {bulan_nama(m)} {c.tahun} turun {_persen((b - a) / b)} "
                f"({rupiah(b)} → {rupiah(a)}); periksa apakah ekspornya lengkap "
                "(`--ketat` menolak ingest seperti ini)")))
    return out


def describe(changes: list[SatkerChange], names: dict[str, str] | None = None,
             limit: int = 20) -> list[str]:
    """One Indonesian line per satker: months covered, realisasi s.d. the latest month
    before → after; beyond `limit` satker, one line with the count."""
    names = names or {}
    lines = []
    for c in changes[:limit]:
        months = (bulan_nama(c.dari) if c.dari == c.sampai
                  else f"{bulan_nama(c.dari)}–{bulan_nama(c.sampai)}")
        label = f"{c.kode_satker} {names.get(c.kode_satker, '')}".strip()
        what = "realisasi" if c.tabel == "realisasi" else "realisasi tingkat akun"
        done = "diganti, bulan lain tetap" if c.sebelum or c.ada_sebelumnya else "dimuat"
        lines.append(f"{label} {c.tahun}: {what} bulan {months} {done}; "
                     f"s.d. {bulan_nama(c.bulan_akhir)} Rp{rupiah(c.sebelum)} → "
                     f"Rp{rupiah(c.sesudah)}")
    if len(changes) > limit:
        lines.append(f"dan {len(changes) - limit} satker lain")
    return lines


# Babel directly, not present.format: this module sits below present (an ingest step).
def rupiah(x: float) -> str:
    return format_decimal(round(x), format="#,##0", locale="id_ID")


def _persen(x: float) -> str:
    return format_percent(x, format="#,##0.00 %", locale="id_ID")


def satker_names(store) -> dict[str, str]:
    if store is None:
        return {}
    cur = store.cursor()
    try:
        return dict(cur.execute("SELECT kode_satker, nama_satker FROM satker").fetchall())
    finally:
        cur.close()


__all__ = ["realisasi_changes", "warnings", "describe", "SatkerChange", "TURUN_BATAS"]
