"""Checks of CONTRACT §1 on a parsed Batch (cells already parsed in sources/parse.py).

Each problem names the file, line and column it comes from (the `_file` / `_row` the
readers keep). Values that are well-formed but break the Treasury's capaian rules
(a fractional RVRO, a cumulative PCRO above 100 …) are not problems here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import organisasi, schema
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
    """True where a realisasi line has its pok item in the batch or (other scopes) the store.

    Joined in DuckDB (millions of lines at national scale), on the key as text as a user
    reads it (a missing code is '')."""
    import duckdb
    key = schema.ITEM_KEY
    con = store.con if store is not None else duckdb.connect()

    def text(alias):
        return ", ".join(f"coalesce(CAST({alias}.{c} AS VARCHAR), '') AS {c}" for c in key)
    cols = ", ".join(key)
    con.register("_val_r", realisasi[key].assign(_i=np.arange(len(realisasi))))
    has_pok = pok is not None and len(pok)
    if has_pok:
        con.register("_val_p", pok[key])
    batch = (f"SELECT DISTINCT {text('p')} FROM _val_p p" if has_pok else
             "SELECT " + ", ".join(f"''::VARCHAR AS {c}" for c in key) + " WHERE false")
    stored = ""
    if store is not None:
        # Lines of a (tahun, satker) the batch does not carry may belong to the store's POK.
        stored = (f" ANTI JOIN (SELECT _i FROM (SELECT * FROM u ANTI JOIN "
                  f"(SELECT DISTINCT tahun, kode_satker FROM b) USING (tahun, kode_satker)) "
                  f"SEMI JOIN (SELECT DISTINCT {text('p')} FROM pok p) USING ({cols})) USING (_i)")
    try:
        unknown = con.execute(
            f"WITH r AS (SELECT _i, {text('r')} FROM _val_r r), b AS ({batch}), "
            f"u AS (SELECT * FROM r ANTI JOIN b USING ({cols})) "
            f"SELECT _i FROM u{stored}").fetchnumpy()["_i"]
    finally:
        con.unregister("_val_r")
        if has_pok:
            con.unregister("_val_p")
    known = np.ones(len(realisasi), bool)
    known[np.asarray(unknown, dtype=np.int64)] = False
    return known


def _unit_gaps(pok: pd.DataFrame) -> list[Problem]:
    """Lines of a satker with unit rules that still have no unit after
    organisasi.assign_units: every unit report would leave them out silently."""
    rules = organisasi.rules()
    unit = pok["kode_unit"] if "kode_unit" in pok.columns else pd.Series(None, index=pok.index)
    empty = unit.isna() | (unit.astype("string").str.strip() == "")
    gap = (empty & pok["kode_satker"].isin(list(rules))).fillna(False).to_numpy(bool)
    if not gap.any():
        return []

    def message(r):
        used = {c for rule in rules[r["kode_satker"]] for c in rule["match"]}
        where = ", ".join(f"{k} {'' if pd.isna(r[c]) else r[c]}"
                          for k, c in organisasi.RULE_KEYS.items() if c in used)
        return (f"baris POK satker {r['kode_satker']} tidak cocok dengan aturan unit kerja "
                f"di parameters/organisasi.yaml ({where})")
    return _at(pok, gap, "kode_unit", message)


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
        problems += _unit_gaps(pok)

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
