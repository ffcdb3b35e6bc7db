"""Checks of CONTRACT §1 on a parsed Batch (cells already parsed in sources/parse.py).

Each problem names the file, line and column it comes from (the `_file` / `_row` the
readers keep). Values that are well-formed but break the Treasury's capaian rules
(a fractional RVRO, a cumulative PCRO above 100 …) are not problems here; values no
budget can hold are (issue 11): a year outside the sane range, a date outside its
budget year, a flag other than 0/1, a satker nobody declared, an amount beyond the
ceiling of parameters/batas_input.yaml. Every check is a vectorised mask; only the
refused rows become python objects.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import organisasi, schema
from .problems import Problem
from .sources.parse import LIMITS_FILE, cell_checks, limits, show, thousands

# The column a duplicate-key problem is reported on (the one a user would fix).
KEY_LABEL = {"satker": "kode_satker", "unit_kerja": "kode_unit", "pok": "no_item",
             "spp": "no_spp", "ro_target": "kode_ro", "capaian_ro": "bulan",
             "target_penyerapan": "jenis_belanja", "kontrak": "no_kontrak",
             "revisi_dipa": "revisi", "ro_proyeksi": "bulan", "dispensasi_spm": "no_surat",
             "ikpa_resmi": "indikator"}
RUPIAH_TOLERANCE = 1.0


def _at(df: pd.DataFrame, mask, column: str, message) -> list[Problem]:
    """One Problem per masked row; `message` is a str or a function of the row."""
    mask = np.asarray(mask, bool)
    if not mask.any():   # most checks find nothing: no copy of the frame then
        return []
    out = []
    for _, r in df.loc[mask].iterrows():
        msg = message(r) if callable(message) else message
        row = None if pd.isna(r["_row"]) else int(r["_row"])
        out.append(Problem(str(r["_file"]), row, column, msg))
    return out


def _at_first(df: pd.DataFrame, mask, column: str, message) -> list[Problem]:
    """One Problem per (file, value of `column`) among the masked rows, on the first such
    row, with how many rows share it: a wrong code or year repeated over a million lines
    is one line to fix, not a million lines of output. `message(value)` -> str."""
    mask = np.asarray(mask, bool)
    if not mask.any():
        return []
    sub = df.loc[mask, ["_file", "_row", column]].copy()
    sub["_v"] = sub[column].astype(object).where(sub[column].notna(), "").astype(str)
    sub["_file"] = sub["_file"].astype(str)
    out = []
    for (file, value), g in sub.groupby(["_file", "_v"], sort=False):
        first = g["_row"].min()
        row = None if pd.isna(first) else int(first)
        msg = message(g[column].iloc[0])
        if len(g) > 1:
            msg += f"; {thousands(len(g))} baris dengan nilai ini, yang pertama di baris ini"
        out.append(Problem(file, row, column, msg))
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
    # A cursor of its own: the views registered here never meet a result left open on
    # the store's connection (DuckDB 2.x refuses register() then), nor leak into it.
    con = store.cursor() if store is not None else duckdb.connect()

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
        con.close()
    known = np.ones(len(realisasi), bool)
    known[np.asarray(unknown, dtype=np.int64)] = False
    return known


def _path(r) -> str:
    return ".".join(str(r[c]) if r[c] is not None and not pd.isna(r[c]) else ""
                    for c in schema.ITEM_KEY[2:])


def _unmatched_summary(real: pd.DataFrame, mask: np.ndarray, shown: int = 10) -> list[Problem]:
    """Realisasi and POK that cannot meet (issue 24): per satker, the item paths with no
    POK item and the money they carry, in one line after the per-line ones."""
    mask = np.asarray(mask, bool)
    if mask.sum() < 2:
        return []
    lost = real.loc[mask].assign(_p=lambda d: d.apply(_path, axis=1))
    out = []
    for (ks, th), g in lost.groupby(["kode_satker", "tahun"], sort=True):
        per = g.groupby("_p", sort=True)["nilai"].agg(["sum", "size"])
        per = per.sort_values("sum", ascending=False, key=abs)
        parts = [f"{p} Rp{_num(v)} ({int(n)} baris)" for p, v, n in per.head(shown).itertuples()]
        more = f"; dan {len(per) - shown} jalur lain" if len(per) > shown else ""
        out.append(Problem(str(g["_file"].iloc[0]), None, "no_item", (
            f"realisasi satker {ks} tahun {th} yang tidak bertemu POK: {len(per)} jalur item, "
            f"{len(g)} baris, seluruhnya Rp{_num(g['nilai'].sum())}: " + "; ".join(parts)
            + more + " (kode ditulis lain? POK satker itu belum dimuat?)")))
    return out


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


def _pairs(df: pd.DataFrame) -> pd.Series:
    return df["tahun"].astype("string").fillna("") + "\x1f" + df["kode_satker"].astype("string").fillna("")


# Tables whose rows belong to a satker that must be known (CONTRACT §1: codes are text).
SATKER_TABLES = ("pok", "realisasi", "realisasi_akun", "spp", "ro_target", "capaian_ro",
                 "kontrak", "setoran", "revisi_dipa", "ro_proyeksi", "dispensasi_spm",
                 "ikpa_resmi")
FLAGS = {"pok": ["prioritas_nasional"], "ro_target": ["strategis"]}
DATED = {"realisasi": "tanggal", "realisasi_akun": "tanggal",
         "revisi_dipa": "tanggal_pengesahan", "dispensasi_spm": "tanggal"}


def _sanity(t: dict[str, pd.DataFrame]) -> list[Problem]:
    """Values no budget can hold, for every table whatever reader made it."""
    lim = limits()
    lo, hi = lim["tahun_paling_awal"], lim["tahun_paling_lambat"]
    problems: list[Problem] = []
    for name, df in t.items():
        if name not in schema.TABLES or not len(df):
            continue
        for c in schema.TABLES[name].columns:
            if c.name not in df.columns:
                continue
            s = df[c.name]
            if c.kind in (schema.AMOUNT, schema.NUMBER):
                ceiling = lim["nilai_rupiah_maks" if c.kind == schema.AMOUNT else "angka_maks"]
                x = pd.to_numeric(s, errors="coerce").to_numpy(float)
                with np.errstate(invalid="ignore"):
                    bad = ~np.isnan(x) & ~(np.abs(x) <= ceiling)
                problems += _at(df, bad, c.name, lambda r, c=c.name, m=ceiling: (
                    f"angka di luar batas wajar (paling besar {thousands(m)}; lihat "
                    f"{LIMITS_FILE}): {_fmt(r[c]) if np.isfinite(r[c]) else r[c]}"))
            elif c.kind == schema.TEXT and (isinstance(s.dtype, pd.StringDtype) or s.dtype == object):
                long_, ctrl = cell_checks(s, True)
                problems += _at(df, long_, c.name, lambda r, c=c.name: (
                    f"isi sel terlalu panjang: {thousands(len(str(r[c])))} karakter (paling "
                    f"banyak {thousands(lim['panjang_sel_maks'])}; lihat {LIMITS_FILE})"))
                problems += _at(df, ctrl & ~long_, c.name, lambda r, c=c.name: (
                    f"berisi karakter kendali: {show(r[c])}; hapus karakter itu dari sel"))
        if "tahun" in df.columns:
            y = df["tahun"]
            bad = (y.notna() & ((y < lo) | (y > hi))).fillna(False).to_numpy(bool)
            problems += _at_first(df, bad, "tahun", lambda v: (
                f"tahun {v} di luar rentang wajar {lo}–{hi} (lihat {LIMITS_FILE})"))
        for flag in FLAGS.get(name, []):
            if flag in df.columns:
                f = df[flag]
                bad = (f.notna() & ~f.isin([0, 1])).fillna(False).to_numpy(bool)
                problems += _at_first(df, bad, flag, lambda v: f"harus 0 atau 1, bukan {v}")
        date_col = DATED.get(name)
        if date_col in df.columns and "tahun" in df.columns:
            d, y = df[date_col], df["tahun"]
            bad = (d.notna() & y.notna() & (d.dt.year != y)).fillna(False).to_numpy(bool)
            problems += _at(df, bad, date_col, lambda r: (
                f"tanggal {r[date_col]:%Y-%m-%d} di luar tahun anggaran {r['tahun']}"))
    return problems


def _known_satker(t: dict[str, pd.DataFrame], store, store_known: bool,
                  unknown: dict[str, np.ndarray]) -> list[Problem]:
    """Rows of a satker that neither the batch's satker table, the store nor
    parameters/organisasi.yaml declares (`17220`: the leading zero lost in Excel).
    `unknown` receives each table's mask (later checks say nothing more of those rows)."""
    known = set(t["satker"]["kode_satker"].dropna().astype(str)) if "satker" in t else set()
    known |= set(organisasi.satker_default()["kode_satker"].astype(str))
    if store is not None:
        known |= _stored(store, "SELECT kode_satker FROM satker")
    problems: list[Problem] = []
    for name in SATKER_TABLES:
        df = t.get(name)
        if df is None or not len(df) or "kode_satker" not in df.columns:
            continue
        k = df["kode_satker"]
        bad = (k.notna() & ~k.astype("string").isin(list(known))).fillna(False).to_numpy(bool)
        if not bad.any() or not store_known:
            # a store that could not be opened may know them: not provable here
            continue
        unknown[name] = bad

        def message(v):
            v = str(v)
            padded = [c for c in sorted(known) if c != v and c.lstrip("0") == v.lstrip("0")]
            hint = (f"; mungkin maksudnya {padded[0]!r} (nol di depan hilang, mis. kolom kode "
                    "dibuka sebagai angka di Excel)") if padded else ""
            return (f"satker {show(v)} tidak dikenal: tidak ada di tabel satker berkas ini, "
                    f"di store, maupun di parameters/organisasi.yaml{hint}")
        problems += _at_first(df, bad, "kode_satker", message)
    return problems


def _other_year(t: dict[str, pd.DataFrame], tahun: int) -> list[Problem]:
    """CONTRACT §3: with `--tahun T`, a source that carries another year is refused (the
    SAKTI readers say so while reading; this covers every other table)."""
    problems: list[Problem] = []
    for df in t.values():
        if "tahun" in df.columns and len(df):
            y = df["tahun"]
            bad = (y.notna() & (y != tahun)).fillna(False).to_numpy(bool)
            problems += _at_first(df, bad, "tahun", lambda v: (
                f"tahun {v} di berkas berbeda dengan --tahun {tahun}"))
    return problems


def validate(batch, store, store_known: bool = True, tahun: int | None = None) -> list[Problem]:
    """Every problem of the batch. `store`: what is already loaded (None: an empty
    store). `store_known=False`: the store exists but could not be read (held by another
    process): checks that need its content are left out rather than guessed. `tahun`:
    the year given with --tahun; rows of another year are refused."""
    t = batch.tables
    problems: list[Problem] = []
    for name, df in t.items():
        problems += _duplicates(name, df)
    problems += _sanity(t)
    if tahun is not None:
        problems += _other_year(t, tahun)
    unknown_satker: dict[str, np.ndarray] = {}
    problems += _known_satker(t, store, store_known, unknown_satker)

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
        if not store_known:
            bad_unit &= False
        problems += _at(pok, bad_unit, "kode_unit",
                        lambda r: f"unit kerja tidak dikenal: {r['kode_unit']!r}")
        problems += _unit_gaps(pok)

    real = t.get("realisasi")
    if real is not None and len(real):
        known = _known_items(real, pok, store)
        if not store_known:
            # only lines of a (tahun, satker) whose POK the batch replaces are provable
            batch_scopes = set(_pairs(pok)) if pok is not None and len(pok) else set()
            known |= ~_pairs(real).isin(batch_scopes).to_numpy(bool)
        if "realisasi" in unknown_satker:     # already refused for its satker
            known |= unknown_satker["realisasi"]
        problems += _at(real, ~known, "no_item", lambda r: (
            "realisasi untuk item yang tidak ada di POK: " + _path(r)
            + f" (satker {r['kode_satker']}, tahun {r['tahun']}, Rp{_num(r['nilai'])})"))
        problems += _unmatched_summary(real, ~known)

    from .validate_ikpa import ikpa_inputs
    problems += ikpa_inputs(t)

    for name in ("capaian_ro", "target_penyerapan", "ro_proyeksi", "ikpa_resmi"):
        df = t.get(name)
        if df is not None and len(df):
            out = df["bulan"].notna() & ~df["bulan"].isin(list(schema.MONTHS))
            problems += _at(df, out, "bulan", lambda r: f"bulan di luar 1–12: {r['bulan']}")

    tp = t.get("target_penyerapan")
    if tp is not None and len(tp):
        bad = tp["jenis_belanja"].notna() & ~tp["jenis_belanja"].isin(list(schema.JENIS_BELANJA))
        problems += _at(tp, bad, "jenis_belanja",
                        lambda r: f"jenis belanja tidak dikenal: {r['jenis_belanja']!r}")

    from . import validate_kontrak   # contracts, deposits, BAST dates (issue 23)
    problems += validate_kontrak.problems(t)

    sat = t.get("satker")
    if sat is not None and len(sat):
        bad = sat["kelompok"].notna() & ~sat["kelompok"].isin(schema.KELOMPOK)
        problems += _at(sat, bad, "kelompok", lambda r: (
            f"kelompok tidak dikenal: {r['kelompok']!r} (pilih {', '.join(schema.KELOMPOK)})"))

    uk = t.get("unit_kerja")
    if uk is not None and len(uk):
        known = set(sat["kode_satker"].dropna()) if sat is not None else set()
        known |= _stored(store, "SELECT kode_satker FROM satker")
        # the agency's own satker (parameters/organisasi.yaml) are known, as for pok rows
        known |= set(organisasi.satker_default()["kode_satker"].astype(str))
        bad = uk["kode_satker"].notna() & ~uk["kode_satker"].isin(known)
        if not store_known:
            bad &= False
        problems += _at(uk, bad, "kode_satker",
                        lambda r: f"unit kerja dari satker yang tidak dikenal: {r['kode_satker']!r}")
    return problems
