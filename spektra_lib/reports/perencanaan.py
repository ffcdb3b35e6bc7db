"""Modul Perencanaan: deviasi of RPD against realisasi, per node (monthly) and per
satker / unit kerja (cumulative)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from . import _common as c
from . import _tree
from .selection import Selection

DETAIL_COLUMNS = ["level", "kode", "path", "uraian", "bulan", "pagu", "rencana", "realisasi",
                  "deviasi_persen", "warna"]
KUMULATIF_COLUMNS = ["level", "kode", "uraian", "bulan", "pagu", "rencana_kumulatif",
                     "realisasi_kumulatif", "deviasi_persen", "warna"]
_RPD = [f"rpd_{m:02d}" for m in schema.MONTHS]
_REAL = [f"real_{m:02d}" for m in schema.MONTHS]


def _long(df: pd.DataFrame, keys: list[str], rpd: np.ndarray, real: np.ndarray,
          bulan: int) -> pd.DataFrame:
    """Wide (node × 12 months) arrays -> one row per node × month; months after `bulan`
    keep rencana but have no realisasi, deviasi or warna."""
    n = len(df)
    out = df.loc[df.index.repeat(12), keys].reset_index(drop=True)
    months = np.tile(np.arange(1, 13), n)
    due = months <= bulan
    out["bulan"] = months
    rencana = rpd.reshape(-1)
    realisasi = np.where(due, real.reshape(-1), np.nan)
    dev = c.deviasi(rencana, realisasi)
    out["_rencana"], out["_realisasi"], out["deviasi_persen"] = rencana, realisasi, dev
    out["warna"] = c.warna(dev)
    return out


def deviasi_detail(store, pilihan: Selection) -> pd.DataFrame:
    """Every node (scope, program … item) × month 1..12: pagu, that month's RPD and
    realisasi, |realisasi − rencana| / rencana × 100 and its colour band."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    c.check_month(bulan)
    satker = c.resolve_scope(store, satker, unit)
    with c.rpd_berlaku(store, tahun) as s:     # each month against the RPD in force then
        df = _tree.hierarchy(s, tahun, satker=satker, unit=unit, depth="item", monthly=True)
    if df.empty:
        return c.empty(DETAIL_COLUMNS)
    df = _tree.label_scope(store, df, satker, unit)
    out = _long(df, ["level", "kode", "path", "uraian", "pagu"],
                df[_RPD].fillna(0).to_numpy(float), df[_REAL].to_numpy(float), bulan)
    out = out.rename(columns={"_rencana": "rencana", "_realisasi": "realisasi"})[DETAIL_COLUMNS]
    out = _tree.omspan_note(store, out, tahun, satker, ["realisasi", "deviasi_persen"])
    out.loc[out["deviasi_persen"].isna(), "warna"] = None
    return c.catat_versi(out, store, tahun, satker, store.tanggal_anggaran, rpd_berlaku=True,
                         bulan=bulan)


def deviasi_kumulatif(store, pilihan: Selection) -> pd.DataFrame:
    """Per satker (no satker given), per unit kerja (the central satker), or the one satker
    / unit asked for, × month: RPD and realisasi summed from January to that month, and
    the deviasi between those sums. Rows ordered by kode, then month."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    c.check_month(bulan)
    satker = c.resolve_scope(store, satker, unit)
    group = "unit" if unit is not None or (
        satker is not None and satker == c.satker_pusat(store)) else "satker"
    with c.rpd_berlaku(store, tahun) as s:     # each month against the RPD in force then
        df = c.aggregate(s, tahun, group=group, satker=satker, unit=unit, monthly=True)
    if df.empty:
        return c.empty(KUMULATIF_COLUMNS)
    df["level"], df["uraian"] = group, df["nama"]
    rpd = np.cumsum(df[_RPD].fillna(0).to_numpy(float), axis=1)
    real = np.cumsum(df[_REAL].to_numpy(float), axis=1)
    out = _long(df, ["level", "kode", "uraian", "pagu"], rpd, real, bulan)
    out = out.rename(columns={"_rencana": "rencana_kumulatif",
                              "_realisasi": "realisasi_kumulatif"})
    return c.catat_versi(out[KUMULATIF_COLUMNS], store, tahun, satker, store.tanggal_anggaran,
                         rpd_berlaku=True, bulan=bulan)
