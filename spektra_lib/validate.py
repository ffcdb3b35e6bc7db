"""Checks of CONTRACT §1 on a parsed Batch (cells already parsed in sources/parse.py).

Each problem names the file, line and column it comes from (the `_file` / `_row` the
readers keep). Values that are well-formed but break the Treasury's capaian rules
(a fractional RVRO, a cumulative PCRO above 100 …) are not problems here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema
from .problems import Problem

# The column a duplicate-key problem is reported on (the one a user would fix).
KEY_LABEL = {"satker": "kode_satker", "unit_kerja": "kode_unit", "pok": "no_item",
             "spp": "no_spp", "ro_target": "kode_ro", "capaian_ro": "bulan",
             "target_penyerapan": "jenis_belanja"}
RUPIAH_TOLERANCE = 1.0


def _at(df: pd.DataFrame, mask, column: str, message) -> list[Problem]:
    """One Problem per masked row; `message` is a str or a function of the row."""
    mask = np.asarray(mask, bool)
    out = []
    for _, r in df.loc[mask].iterrows():
        msg = message(r) if callable(message) else message
        row = None if pd.isna(r["_row"]) else int(r["_row"])
        out.append(Problem(str(r["_file"]), row, column, msg))
    return out


def _fmt(x: float) -> str:
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _num(x: float) -> str:
    """A volume: whole numbers without decimals."""
    return _fmt(x)[:-3] if float(x).is_integer() else _fmt(x)


def _duplicates(name: str, df: pd.DataFrame) -> list[Problem]:
    key = list(schema.TABLES[name].key)
    if not key or df.empty:
        return []
    k = df[key].astype("string").fillna("")
    dup = k.duplicated(keep="first").to_numpy()
    if not dup.any():
        return []
    involved = k.duplicated(keep=False).to_numpy()
    sub, ks = df.loc[involved], k.loc[involved]
    kk = ks.agg("\x1f".join, axis=1)
    firsts = sub.loc[~ks.duplicated(keep="first")]
    where = dict(zip(kk.loc[firsts.index], firsts["_file"].astype(str) + ":" + firsts["_row"].astype(str)))
    df, dup = sub.assign(_k=kk), dup[involved]
    what = "item ganda" if name == "pok" else "kunci ganda"
    return _at(df, dup, KEY_LABEL.get(name, key[-1]), lambda r: (
        f"{what} ({', '.join(f'{c}={r[c]}' for c in key)}) sudah ada di {where[r['_k']]}"))


def _known_items(realisasi: pd.DataFrame, pok: pd.DataFrame | None, store) -> np.ndarray:
    """True where a realisasi line has its pok item in the batch or (other scopes) the store."""
    key = schema.ITEM_KEY
    r = realisasi[key].astype("string").fillna("")
    known = np.zeros(len(r), bool)
    batch_scope = None
    if pok is not None and len(pok):
        p = pok[key].astype("string").fillna("").drop_duplicates()
        known |= r.merge(p.assign(_hit=True), on=key, how="left")["_hit"].fillna(False).to_numpy(bool)
        batch_scope = p[["tahun", "kode_satker"]].drop_duplicates().assign(_in=True)
    in_batch = np.zeros(len(r), bool)
    if batch_scope is not None:
        in_batch = r[["tahun", "kode_satker"]].merge(batch_scope, how="left")["_in"] \
            .fillna(False).to_numpy(bool)
    from_store = ~known & ~in_batch
    if from_store.any() and store is not None:
        ask = r.loc[from_store].drop_duplicates()
        store.con.register("_ask_items", ask)
        try:
            cond = " AND ".join(f"coalesce(CAST(p.{c} AS VARCHAR), '') = a.{c}" for c in key)
            hits = store.con.execute(
                f"SELECT a.* FROM _ask_items a WHERE EXISTS (SELECT 1 FROM pok p WHERE {cond})").df()
        finally:
            store.con.unregister("_ask_items")
        if len(hits):
            hit = r.merge(hits.astype("string").fillna("").drop_duplicates().assign(_hit=True),
                          on=key, how="left")["_hit"].fillna(False).to_numpy(bool)
            known |= hit & from_store
    return known


def _stored(store, sql: str) -> set:
    if store is None:
        return set()
    return set(store.sql(sql).iloc[:, 0].dropna().astype(str))


def validate(batch, store) -> list[Problem]:
    t = batch.tables
    problems: list[Problem] = []
    for name, df in t.items():
        problems += _duplicates(name, df)

    pok = t.get("pok")
    if pok is not None and len(pok):
        for col in ("pagu", "volume"):
            problems += _at(pok, (pok[col] < 0).fillna(False), col, lambda r, c=col: (
                f"{c} negatif: {(_fmt if c == 'pagu' else _num)(r[c])}"))
        calc = (pok["volume"] * pok["harga_satuan"]).round(2)
        off = ((pok["pagu"] - calc).abs() > RUPIAH_TOLERANCE).fillna(False)
        problems += _at(pok, off, "pagu", lambda r: (
            f"pagu {_fmt(r['pagu'])} tidak sama dengan volume × harga satuan "
            f"({_num(r['volume'])} × {_fmt(r['harga_satuan'])} = "
            f"{_fmt(round(r['volume'] * r['harga_satuan'], 2))})"))
        units = set(t["unit_kerja"]["kode_unit"].dropna()) if "unit_kerja" in t else set()
        units |= _stored(store, "SELECT kode_unit FROM unit_kerja")
        bad_unit = pok["kode_unit"].notna() & ~pok["kode_unit"].isin(units)
        problems += _at(pok, bad_unit, "kode_unit",
                        lambda r: f"unit kerja tidak dikenal: {r['kode_unit']!r}")

    real = t.get("realisasi")
    if real is not None and len(real):
        known = _known_items(real, pok, store)
        problems += _at(real, ~known, "no_item", lambda r: (
            "realisasi untuk item yang tidak ada di POK: "
            + ".".join(str(r[c]) if r[c] is not None and not pd.isna(r[c]) else ""
                       for c in schema.ITEM_KEY[2:]) + f" (satker {r['kode_satker']}, tahun {r['tahun']})"))

    for name in ("capaian_ro", "target_penyerapan"):
        df = t.get(name)
        if df is not None and len(df):
            out = df["bulan"].notna() & ~df["bulan"].isin(list(schema.MONTHS))
            problems += _at(df, out, "bulan", lambda r: f"bulan di luar 1–12: {r['bulan']}")

    tp = t.get("target_penyerapan")
    if tp is not None and len(tp):
        bad = tp["jenis_belanja"].notna() & ~tp["jenis_belanja"].isin(list(schema.JENIS_BELANJA))
        problems += _at(tp, bad, "jenis_belanja",
                        lambda r: f"jenis belanja tidak dikenal: {r['jenis_belanja']!r}")

    sat = t.get("satker")
    if sat is not None and len(sat):
        bad = sat["kelompok"].notna() & ~sat["kelompok"].isin(schema.KELOMPOK)
        problems += _at(sat, bad, "kelompok", lambda r: (
            f"kelompok tidak dikenal: {r['kelompok']!r} (pilih {', '.join(schema.KELOMPOK)})"))

    uk = t.get("unit_kerja")
    if uk is not None and len(uk):
        known = set(sat["kode_satker"].dropna()) if sat is not None else set()
        known |= _stored(store, "SELECT kode_satker FROM satker")
        bad = uk["kode_satker"].notna() & ~uk["kode_satker"].isin(known)
        problems += _at(uk, bad, "kode_satker",
                        lambda r: f"unit kerja dari satker yang tidak dikenal: {r['kode_satker']!r}")
    return problems
