"""The budget tree (program … item) of a scope, rolled up in SQL, and its scope row."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from ._common import (CATATAN_OMSPAN, PIVOT_SUMS, akun_ctes, akun_only_satker, nama_satker,
                      nama_unit, params, pok_filter, realisasi_bulan, with_rb)

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
              monthly: bool = False, dari: int = 1, bulan: int = 12,
              cari: str | None = None, akun_level: bool | None = None) -> pd.DataFrame:
    """Every node of the pok tree in the scope, rolled up in SQL.

    Returns, depth-first and ordered by code (items by numeric no_item): depth (0 = the
    scope), level, kode, path, uraian, volume, satuan, harga_satuan, pagu and either
    `realisasi` (dari..bulan) or, with `monthly`, rpd_01..12 and real_01..12.
    A blank subkomponen has no node of its own and no segment in the path: its akun hang
    directly under the komponen. Down to `item` realisasi is item-level data only; a tree
    that stops at akun or above adds OM-SPAN (akun-level) realisasi on the node it
    belongs to (_common.akun_ctes; `df.attrs["akun_tidak_terpetakan"]` lists what could
    not go down to an akun node of the tree). `akun_level=True` adds it to a tree down to
    item as well: on akun and above, never on an item (realisasi_pok, issue 24).
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
                         **({} if monthly else {"dari": dari, "bulan": bulan})})
    if df.empty or df["pagu"].isna().all():   # no pok lines in the scope
        return df.iloc[0:0]
    # A blank subkomponen is no node of its own (its akun hang under the komponen).
    if n >= 6:
        df = df[~((df["depth"] == 6) & (df["sub"] == ""))]
    if akun_level if akun_level is not None else depth != "item":
        df = _add_akun_level(store, df, tahun, satker=satker, unit=unit, n=n, amounts=amounts,
                             monthly=monthly, dari=dari, bulan=bulan,
                             cari_sql=cari_sql, cari_params=cari_params)
    codes = df[cols].to_numpy(object)
    depths = df["depth"].to_numpy()
    df = df.assign(
        level=[schema.LEVELS[d - 1] if d else "" for d in depths],
        kode=[codes[i, d - 1] if d else "" for i, d in enumerate(depths)])
    return df.drop(columns=cols).reset_index(drop=True)


def _add_akun_level(store, df: pd.DataFrame, tahun: int, *, satker, unit, n: int,
                    amounts: list[str], monthly: bool, dari: int, bulan: int,
                    cari_sql: str, cari_params: dict) -> pd.DataFrame:
    """df (hierarchy rows before codes become level/kode) plus OM-SPAN realisasi: each
    akun-level amount added to its node (akun_ctes' adepth, capped at the tree's depth
    `n`) and every ancestor, matched by (depth, path)."""
    if not akun_only_satker(store, tahun, satker):
        return df
    cond = ""
    if unit is not None:
        cond += " AND ak.kode_unit = $unit"
    if cari_sql:
        cond += (" AND ak.kode_akun IN (SELECT p.kode_akun FROM pok p WHERE p.tahun = $tahun"
                 + cari_sql + ")")
    if monthly:
        val = PIVOT_SUMS
    else:
        val = "sum(nilai) FILTER (WHERE bulan BETWEEN $dari AND $bulan) AS realisasi"
        cond += " AND bulan BETWEEN $dari AND $bulan"
    path = ", ".join(f"CASE WHEN g.depth >= {i} THEN "
                     + (f"nullif(c{i}, '')" if i == 6 else f"c{i}") + " END"
                     for i in range(1, min(n, 7) + 1))     # OM-SPAN stops at akun
    sql = f"""
        WITH {with_rb(store, akun_ctes(satker=satker))}
        SELECT g.depth, concat_ws('.', {path}) AS path, {val},
               max(ak.adepth) AS adepth
        FROM ak CROSS JOIN (SELECT range::BIGINT AS depth FROM range(0, {n + 1})) g
        WHERE g.depth <= ak.adepth{cond}
        GROUP BY ALL"""
    p = {**params(tahun=tahun, satker=satker, unit=unit), **cari_params,
         **({} if monthly else {"dari": dari, "bulan": bulan})}
    add = store.sql(sql, p)
    # What stops above an akun node: named in the report's note.
    lost = store.sql(f"""
        WITH {with_rb(store, akun_ctes(satker=satker))}
        SELECT kode_satker, om_kro, om_ro, kode_akun, any_value(adepth) AS adepth,
               bool_or(di_pok) AS di_pok,
               sum(nilai)::DOUBLE AS nilai
        FROM ak WHERE adepth < 7{cond} GROUP BY ALL ORDER BY ALL""", p)
    df.attrs["akun_tidak_terpetakan"] = lost
    if add.empty:
        return df
    add = add.drop(columns="adepth")
    add["depth"] = add["depth"].astype(df["depth"].dtype)
    out = df.merge(add, on=["depth", "path"], how="left", suffixes=("", "_ak"),
                   validate="many_to_one")
    for a in amounts:
        out[a] = out[a].fillna(0) + out[a + "_ak"].astype(float).fillna(0)
    out = out.drop(columns=[a + "_ak" for a in amounts])
    out.attrs.update(df.attrs)
    return out


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


CATATAN_TANPA_ITEM = ("Realisasi hanya sampai tingkat akun (data OM-SPAN): baris item tanpa "
                      "rincian item (realisasinya kosong, bukan 0); akun dan tingkat di "
                      "atasnya memuat realisasi OM-SPAN.")
TANPA_RINCIAN = "tanpa rincian item"


def akun_only_items(store, df: pd.DataFrame, tahun: int, satker,
                    cols: list[str]) -> pd.DataFrame:
    """A tree down to item (built with akun_level=True) over satker whose realisasi is
    akun-level only: their item lines say "tanpa rincian item" in `keterangan` — realisasi
    empty, never 0 — and the note says so; akun and above carry the OM-SPAN realisasi.
    Agency-wide an item line sums the same path of every satker: it is empty and says so
    when all of them are akun-only, and names how many are when some are."""
    df["keterangan"] = None
    only_akun = akun_only_satker(store, tahun, satker)
    if not only_akun:
        return df
    item = (df["level"] == "item").to_numpy()
    if satker is not None:
        for col in cols:
            df.loc[item, col] = np.nan
        df.loc[item, "keterangan"] = TANPA_RINCIAN
        note = CATATAN_TANPA_ITEM
    else:
        per_path = _satker_per_item(store, tahun, only_akun)
        for i in np.flatnonzero(item):
            n_all, n_akun = per_path.get(df.at[i, "path"], (0, 0))
            if n_akun and n_akun == n_all:
                for col in cols:
                    df.at[i, col] = np.nan
                df.at[i, "keterangan"] = TANPA_RINCIAN
            elif n_akun:
                df.at[i, "keterangan"] = f"{TANPA_RINCIAN} di {n_akun} dari {n_all} satker"
        note = (CATATAN_TANPA_ITEM[:-1] + " untuk satker " + ", ".join(only_akun)
                + "; baris item seluruh satker hanya memuat realisasi tingkat item.")
    df.attrs["catatan"] = " ".join(x for x in (df.attrs.get("catatan"), note) if x)
    return df


def _satker_per_item(store, tahun: int, only_akun: list[str]) -> dict[str, tuple[int, int]]:
    """{item path: (satker with the item, of them akun-only)} over the year's POK (the
    budget the store's view shows), paths as hierarchy() writes them."""
    path = ("concat_ws('.', kode_program, kode_kegiatan, kode_kro, kode_ro, kode_komponen, "
            "nullif(coalesce(kode_subkomponen, ''), ''), kode_akun, no_item)")
    rows = store.con.execute(
        f"SELECT {path} AS path, count(DISTINCT kode_satker), count(DISTINCT kode_satker) "
        "FILTER (WHERE list_contains($akun, kode_satker)) FROM pok WHERE tahun = $tahun "
        "GROUP BY 1", {"tahun": tahun, "akun": only_akun}).fetchall()
    return {p: (int(a), int(b)) for p, a, b in rows}


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


_AT_LEVEL = {0: "satker", 1: "program", 2: "kegiatan", 3: "KRO", 4: "RO", 5: "komponen"}


def akun_note(df: pd.DataFrame) -> pd.DataFrame:
    """The note of a tree to akun level: OM-SPAN realisasi that could not be placed on one
    akun node (the akun sits under several komponen / subkomponen, or is not in the POK)
    and so is counted only on an ancestor. attrs['akun_tidak_terpetakan'] is dropped."""
    lost = df.attrs.pop("akun_tidak_terpetakan", None)
    if lost is None or lost.empty:
        return df
    parts = []
    for r in lost.itertuples(index=False):
        where = f"{r.om_kro}.{r.om_ro}" if isinstance(r.om_ro, str) else str(r.om_kro)
        why = ("ada di lebih dari satu " + ("RO" if r.adepth == 3 else "komponen/subkomponen")
               + " POK") if r.di_pok else "tidak ada di POK"
        rp = f"{r.nilai:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
        parts.append(f"satker {r.kode_satker} akun {r.kode_akun} ({where}, Rp{rp}) {why}, "
                     f"dihitung sampai tingkat {_AT_LEVEL.get(int(r.adepth), 'RO')}")
    df.attrs["catatan"] = ("Realisasi OM-SPAN (tingkat akun) yang tidak dapat ditempatkan "
                           "pada satu akun POK: " + "; ".join(parts) + ".")
    return df
