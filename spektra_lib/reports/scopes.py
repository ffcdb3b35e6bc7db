"""Who and what a report can be about: satker and unit kerja lists, names for titles.

Lists respect `store.access`: a User sees only the own satker (and the own unit kerja);
Admin, Super User and Publik (the dashboard's satker filter) see all.
"""
from __future__ import annotations

import pandas as pd

from . import _common as c


def _restricted(store) -> bool:
    return store.access.role == "user"


def daftar_satker(store) -> pd.DataFrame:
    """kode_satker, nama_satker, kelompok — ordered by kelompok (PUSAT first), then code."""
    cond, p = "", {}
    if _restricted(store):
        cond, p = "WHERE kode_satker = $s", {"s": store.access.satker}
    return store.sql(
        "SELECT kode_satker, nama_satker, kelompok FROM satker " + cond +
        " ORDER BY CASE kelompok WHEN 'PUSAT' THEN 0 WHEN 'KANREG' THEN 1 "
        "WHEN 'PUSBANG' THEN 2 ELSE 3 END, kode_satker", p)


def daftar_unit(store, satker: str | None = None) -> pd.DataFrame:
    """kode_unit, nama_unit, kode_satker — of `satker` (or all), ordered by code."""
    cond, p = ["TRUE"], {}
    if satker is not None:
        cond.append("kode_satker = $s")
        p["s"] = satker
    if _restricted(store):
        cond.append("kode_satker = $own")
        p["own"] = store.access.satker
        if store.access.unit is not None:
            cond.append("kode_unit = $unit")
            p["unit"] = store.access.unit
    return store.sql("SELECT kode_unit, nama_unit, kode_satker FROM unit_kerja WHERE "
                     + " AND ".join(cond) + " ORDER BY kode_unit", p)


def satker_pusat(store) -> str | None:
    """The central satker: the one that has unit kerja."""
    return c.satker_pusat(store)


def nama_scope(store, satker: str | None = None, unit: str | None = None) -> str:
    """The name a title shows: the unit kerja, else the satker, else "Seluruh Satker"."""
    if unit is not None:
        return c.nama_unit(store, unit)
    if satker is not None:
        return c.nama_satker(store, satker)
    return "Seluruh Satker"
