"""The budget tree (program … item) of a scope, rolled up in SQL, and its scope row."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from ._common import (CATATAN_OMSPAN, PIVOT_SUMS, akun_only_satker, nama_satker, nama_unit,
                      params, pok_filter, realisasi_bulan)

# -- the budget hierarchy (program … item) -----------------------------------------------

_HIER_COLS = ["kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen", "sub",
              "kode_akun", "no_item"]
_HIER_NAMES = ["nama_program", "nama_kegiatan", "nama_kro", "nama_ro", "nama_komponen",
               "nama_subkomponen", "nama_akun", "uraian_item"]
_KEY_SQL = ["kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
            "kode_komponen", "sub", "kode_akun", "no_item"]


def _cari_filter(cari: str | None) -> tuple[str, dict]:
    """akun code prefix (`524`) or every word in the akun name (case-insensitive)."""
    if cari is None or not str(cari).strip():
        return "", {}
    text = str(cari).strip()
    if text.isdigit():
        return " AND starts_with(p.kode_akun, $cari)", {"cari": text}
    words = text.lower().split()
    cond = "".join(f" AND contains(lower(p.nama_akun), $w{i})" for i in range(len(words)))
    return cond, {f"w{i}": w for i, w in enumerate(words)}


def hierarchy(store, tahun: int, *, satker=None, unit=None, depth: str = "item",
              monthly: bool = False, bulan_dari: int = 1, bulan: int = 12,
              cari: str | None = None) -> pd.DataFrame:
    """Every node of the pok tree in the scope, rolled up in SQL.

    Returns, depth-first and ordered by code (items by numeric no_item): depth (0 = the
    scope), level, kode, path, uraian, volume, satuan, harga_satuan, pagu and either
    `realisasi` (bulan_dari..bulan) or, with `monthly`, rpd_01..12 and real_01..12.
    A blank subkomponen has no node of its own and no segment in the path: its akun hang
    directly under the komponen. Realisasi is item-level data only.
    """
    n = schema.LEVELS.index(depth) + 1
    cols = _HIER_COLS[:n]
    cari_sql, cari_params = _cari_filter(cari)
    if monthly:
        r_cols = PIVOT_SUMS
        amounts = [f"rpd_{m:02d}" for m in schema.MONTHS] + [f"real_{m:02d}" for m in schema.MONTHS]
        sums = ", ".join([f"sum(rpd_{m:02d})::DOUBLE AS rpd_{m:02d}" for m in schema.MONTHS]
                         + [f"coalesce(sum(real_{m:02d}), 0)::DOUBLE AS real_{m:02d}"
                            for m in schema.MONTHS])
    else:
        r_cols = ("sum(r.nilai) FILTER (WHERE r.bulan BETWEEN $dari AND $bulan) "
                  "AS realisasi")
        amounts = ["realisasi"]
        sums = "coalesce(sum(realisasi), 0)::DOUBLE AS realisasi"
    pre_sums = ", ".join(f"sum({a}) AS {a}" for a in amounts)
    r_sat = " AND r.kode_satker = $satker" if satker is not None else ""
    # The rollup as one GROUP BY: the lines summed per leaf code (`q`, one row per item
    # for one satker, far fewer than lines agency-wide), each leaf repeated once per
    # depth 0..n with the codes below that depth blanked. Same groups, exact DECIMAL sums
    # and NULLs as GROUP BY ROLLUP, but one hash aggregate instead of one per grouping set.
    blanked = ", ".join(f"CASE WHEN g.depth >= {i + 1} THEN {k} END AS {k}"
                        for i, k in enumerate(cols))
    uraian = " ".join(f"WHEN {i + 1} THEN {nm}" for i, nm in enumerate(_HIER_NAMES[:n]))
    first_names = ", ".join(f"any_value({nm}) AS {nm}" for nm in _HIER_NAMES[:n])
    path_parts = ", ".join("nullif(sub, '')" if k == "sub" else k for k in cols)
    item_extra = "CASE WHEN depth = 8 AND sum(cnt) = 1 THEN any_value({0}){1} END AS {0}"
    order = ", ".join(f"{k} NULLS FIRST" for k in cols if k != "no_item")
    if depth == "item":
        order += ", try_cast(no_item AS BIGINT) NULLS FIRST, no_item NULLS FIRST"
    keys = ", ".join(_KEY_SQL)
    sql = f"""
        WITH rr AS (
            SELECT r.kode_satker, r.kode_program, r.kode_kegiatan, r.kode_kro, r.kode_ro,
                   r.kode_komponen, coalesce(r.kode_subkomponen, '') AS sub, r.kode_akun,
                   r.no_item, {r_cols}
            FROM {realisasi_bulan(store)} r WHERE r.tahun = $tahun{r_sat} GROUP BY ALL),
        p AS (
            SELECT p.*, rr.* EXCLUDE ({keys})
            FROM (SELECT p.* EXCLUDE (kode_subkomponen),
                         coalesce(p.kode_subkomponen, '') AS sub FROM pok p
                  WHERE {pok_filter("p", satker=satker, unit=unit)}{cari_sql}) p
            LEFT JOIN rr USING ({keys})),
        q AS (
            SELECT {", ".join(cols)}, count(*) AS cnt, {first_names},
                   any_value(volume) AS volume, any_value(satuan) AS satuan,
                   any_value(harga_satuan) AS harga_satuan, sum(pagu) AS pagu, {pre_sums}
            FROM p GROUP BY ALL),
        x AS (
            SELECT g.depth, {blanked}, CASE g.depth {uraian} END AS nm,
                   q.* EXCLUDE ({", ".join(cols)})
            FROM q CROSS JOIN (SELECT range::BIGINT AS depth FROM range(0, {n + 1})) g)
        SELECT {", ".join(cols)}, depth,
               concat_ws('.', {path_parts}) AS path,
               any_value(nm) AS uraian,
               {item_extra.format("volume", "")}, {item_extra.format("satuan", "")},
               {item_extra.format("harga_satuan", "::DOUBLE")},
               sum(pagu)::DOUBLE AS pagu, {sums}
        FROM x
        GROUP BY depth, {", ".join(cols)}
        ORDER BY {order}"""
    df = store.sql(sql, {**params(tahun=tahun, satker=satker, unit=unit), **cari_params,
                         **({} if monthly else {"dari": bulan_dari, "bulan": bulan})})
    if df.empty or df["pagu"].isna().all():   # no pok lines in the scope
        return df.iloc[0:0]
    # A blank subkomponen is no node of its own (its akun hang under the komponen).
    if n >= 6:
        df = df[~((df["depth"] == 6) & (df["sub"] == ""))]
    codes = df[cols].to_numpy(object)
    depths = df["depth"].to_numpy()
    df = df.assign(
        level=[schema.LEVELS[d - 1] if d else "" for d in depths],
        kode=[codes[i, d - 1] if d else "" for i, d in enumerate(depths)])
    return df.drop(columns=cols).reset_index(drop=True)


def label_scope(store, df: pd.DataFrame, satker=None, unit=None) -> pd.DataFrame:
    """Name the depth-0 row: the unit (when given), else the satker, else the agency."""
    if unit is not None:
        level, kode, nama = "unit", unit, nama_unit(store, unit)
    elif satker is not None:
        level, kode, nama = "satker", satker, nama_satker(store, satker)
    else:
        level, kode, nama = "satker", "", "Seluruh Satker"
    top = df["depth"] == 0
    df.loc[top, "level"] = level
    df.loc[top, "kode"] = kode
    df.loc[top, "uraian"] = nama
    df.loc[top, "path"] = ""
    return df


def omspan_note(store, df: pd.DataFrame, tahun: int, satker, cols: list[str]) -> pd.DataFrame:
    """Item-level reports over a satker with only OM-SPAN (akun-level) realisasi: blank
    realisasi and say why. Agency-wide, the note names the satker without item data."""
    only_akun = akun_only_satker(store, tahun, satker)
    if not only_akun:
        return df
    if satker is not None:
        for col in cols:
            df[col] = np.nan
        df.attrs["catatan"] = CATATAN_OMSPAN
    else:
        df.attrs["catatan"] = (CATATAN_OMSPAN[:-1] + " untuk satker " + ", ".join(only_akun)
                               + "; realisasinya tidak termasuk di sini.")
    return df
