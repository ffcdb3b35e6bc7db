"""Queries shared by the IKPA indicators, run once per report (kept in ctx.cache; every
key but realisasi_jb's is the same for every reporting month, so ikpa_riwayat shares one
cache over its months)."""
from __future__ import annotations

import calendar
from datetime import date

import pandas as pd

from ... import schema, versi
from .. import _common


def akhir_bulan(tahun: int, bulan: int) -> date:
    return date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def batas_tanggal(ctx) -> date:
    """Data up to the end of the reporting month (and the date of the budget asked for, store.tanggal_anggaran)."""
    end = akhir_bulan(ctx.tahun, ctx.bulan)
    d = getattr(ctx.store, "tanggal_anggaran", None)
    return min(end, d) if d is not None else end


def ada(ctx, table: str, column: str | None = None) -> bool:
    """Whether the store has the table (and column): a store written before the IKPA
    inputs existed, opened read-only (the site, the app), has not; its IKPA then reads
    them as empty instead of failing."""
    key = ("ada", table, column)
    if key not in ctx.cache:
        q = ("SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
             "AND table_name = ?" + (" AND column_name = ?" if column else ""))
        ctx.cache[key] = bool(ctx.store.scalar(q, [table] + ([column] if column else [])))
    return ctx.cache[key]


def baca(ctx, table: str, sql: str, params: list, columns: list[str]) -> pd.DataFrame:
    """ctx.store.sql(sql) when `table` exists, else an empty frame of `columns`."""
    if not ada(ctx, table):
        return pd.DataFrame(columns=columns)
    return ctx.store.sql(sql, params)


def _cached(ctx, key, make):
    if key not in ctx.cache:
        ctx.cache[key] = make()
    return ctx.cache[key]


def pagu_jb(ctx) -> pd.DataFrame:
    """kode_satker, jb, pagu, blokir of the budget in force (the reference version)."""
    def make():
        w, p = ctx.where()
        blokir = "CAST(blokir AS DOUBLE)" if ada(ctx, "pok", "blokir") else "NULL::DOUBLE"
        return ctx.store.sql(
            "SELECT kode_satker, left(kode_akun, 2) AS jb, sum(CAST(pagu AS DOUBLE)) AS pagu, "
            f"sum(coalesce({blokir}, 0)) AS blokir FROM pok "
            f"WHERE {w} GROUP BY ALL ORDER BY 1, 2", p)
    return _cached(ctx, "pagu_jb", make)


def realisasi_jb(ctx) -> pd.DataFrame:
    """kode_satker, jb, bulan, nilai: realisasi per jenis belanja and month up to `bulan`
    (the whole year queried once: a cache shared by several months, ikpa_riwayat, keeps it)."""
    def year():
        w, p = ctx.where()
        src = _common.realisasi_bulan(ctx.store)
        return ctx.store.sql(
            "SELECT kode_satker, left(kode_akun, 2) AS jb, bulan, "
            f"sum(CAST(nilai AS DOUBLE)) AS nilai FROM {src} WHERE {w} GROUP BY ALL", p)

    def make():
        df = _cached(ctx, "realisasi_jb_tahun", year)
        return df[df["bulan"] <= ctx.bulan].reset_index(drop=True)
    return _cached(ctx, ("realisasi_jb", ctx.bulan), make)


def versi_satker(ctx) -> pd.DataFrame:
    """kode_satker, versi, revisi, tanggal, pagu of every budget version (none: a store
    older than versions)."""
    def make():
        if not versi.has_versions(ctx.store.con):
            return pd.DataFrame(columns=["kode_satker", "versi", "revisi", "tanggal", "pagu"])
        w, p = ctx.where()
        df = ctx.store.sql(
            "SELECT kode_satker, versi, revisi, tanggal, CAST(pagu AS DOUBLE) AS pagu "
            f"FROM versi_anggaran WHERE {w} ORDER BY 1, 2", p)
        df["tanggal"] = pd.to_datetime(df["tanggal"]).dt.date
        return df
    return _cached(ctx, "versi", make)


def rpd_versi(ctx) -> pd.DataFrame:
    """kode_satker, versi, jb, rpd_01..rpd_12 of every version (the stored tables, not a
    dated view: the deviasi rule picks the version locked for each quarter itself)."""
    def make():
        w, p = ctx.where()
        rpd = ", ".join(f"sum(CAST({c} AS DOUBLE)) AS {c}" for c in schema.RPD_COLUMNS)
        if not versi.has_versions(ctx.store.con):
            return ctx.store.sql(f"SELECT kode_satker, 1 AS versi, left(kode_akun, 2) AS jb, "
                                 f"{rpd} FROM pok WHERE {w} GROUP BY ALL", p)
        db = ctx.store.con.execute("SELECT current_database()").fetchall()[0][0]
        q = f'"{db}".main'
        return ctx.store.sql(
            f"WITH cur AS (SELECT kode_satker, max(versi) AS versi FROM {q}.versi_anggaran "
            f"WHERE {w} GROUP BY 1), "
            f"rows AS (SELECT p.*, c.versi FROM {q}.pok p JOIN cur c USING (kode_satker) "
            f"WHERE p.{w.replace(' AND kode_satker', ' AND p.kode_satker')} "
            f"UNION ALL BY NAME SELECT * FROM {q}.pok_versi WHERE {w}) "
            f"SELECT kode_satker, versi, left(kode_akun, 2) AS jb, {rpd} FROM rows GROUP BY ALL",
            p + p + p)
    return _cached(ctx, "rpd_versi", make)


def label_bulan(tahun: int, bulan: int) -> str:
    return f"{tahun}-{bulan:02d}"
