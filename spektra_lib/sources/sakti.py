"""SAKTI monitoring service output (DOMAIN.md §6): JSON `[[{"TOKEN": …}], [rows]]`, or
the same rows saved as CSV (`;`) or XLSX. Columns, aliases and recognition are in
layouts/sakti_*.yaml; this module keeps what is format-specific.

- ANG/dataAng: the POK per item. No THANG: the year is the request's (`--tahun`).
  Header lines (HEADER1/HEADER2 ≠ 0) carry the text of a group of items and are set
  aside; KODE_STS_HISTORY is the revision a line belongs to (the latest is loaded).
  CONS_ITEM is the item key realisasi names, in any shape (one real schema types it
  NUMERIC).
- PEM/realisasi: payments per item, joined to the budget by KODE_ITEM = CONS_ITEM (the
  batch's dataAng, else the items already stored, else our own dotted key text); rupiah
  is NILAI_RUPIAH, also for foreign-currency lines; tanggal is TGL_SP2D.
- PEM/capaianRO: monthly RO achievement; SUB_OUTPUT_KODE is `kegiatan.KRO.RO`,
  KODE_PERIODE the month (`03`, `2022-03` or `202203`).
- register_spp: the SPP → SPM → SP2D register of a satker.

Amounts are written the Indonesian way (`1.234.567,00`) and dates as dd/mm/yyyy, as the
exports do. Names of program … akun travel in the reference tables of refs.py.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import codes, kanonik, layout
from .files import cell_text
from .parse import RawTable, format_column, parse_frame

T, A, N, I, D = schema.TEXT, schema.AMOUNT, schema.NUMBER, schema.INT, schema.DATE
POK_NILAI = [f"POK_NILAI_{m}" for m in schema.MONTHS]


def _lay(name: str) -> layout.Layout:
    return layout.load(name)


# What our writers write (the first name of each field in the layout files). THANG is
# not written: the service output has none (DOMAIN §6), the year comes from --tahun.
def _written(name: str, drop=("tahun",)) -> dict[str, tuple[str, str]]:
    return {k: v for k, v in _lay(name).write_names().items() if k not in drop}


PEM_EXTRA = ["KODE_KEMENTERIAN", "KD_JNS_SPP", "NO_SPP", "TGL_SPP", "NO_SPM", "TGL_SPM",
             "URAIAN", "KODE_COA", "MATA_UANG", "KURS", "NILAI_VALAS", "STATUS_DATA"]


def cons_item(df: pd.DataFrame) -> pd.Series:
    """The stable item key text of a typed pok/realisasi frame."""
    parts = [df[c].astype("string").fillna("") for c in schema.ITEM_KEY]
    out = parts[0]
    for p in parts[1:]:
        out = out + "." + p
    return out.astype(object)


def _parse(raw: RawTable, name: str, problems: list[Problem], what: str,
           check_columns: bool = True) -> pd.DataFrame:
    lay = _lay(name)
    if check_columns:
        for col in lay.missing(raw.df.columns):
            problems.append(Problem(raw.name, 1, col, f"kolom wajib tidak ada di {what}"))
    spec = lay.spec(raw.df.columns)
    df = parse_frame(raw, spec, problems)
    req = [f.name for f in lay.fields if f.required]
    present = [c for c in req if spec[c][0] in raw.df.columns]
    kanonik.require_values(df, raw, present, problems, {c: spec[c][0] for c in present})
    return df


def _year(df: pd.DataFrame, raw: RawTable, problems: list[Problem], what: str,
          src: str = "THANG") -> None:
    """tahun of every line: the file's own year column where it has one, else --tahun;
    a file year that disagrees with --tahun is refused (CONTRACT §3)."""
    arg = layout.context().tahun
    own = df["tahun"] if "tahun" in df.columns else pd.Series(pd.NA, index=df.index)
    if arg is not None:
        off = own.notna() & (own != arg)
        for i in np.flatnonzero(off.fillna(False).to_numpy(bool)):
            problems.append(Problem(raw.name, int(raw.rows[i]), src, (
                f"tahun {own.iloc[i]} di berkas berbeda dengan --tahun {arg}")))
        df["tahun"] = own.fillna(arg).astype("Int64")
    elif own.isna().any() and len(df):
        problems.append(Problem(raw.name, None, None, (
            f"berkas {what} ini tidak memuat tahun anggaran (keluaran layanan SAKTI tidak punya kolom "
            "THANG): jalankan dengan --tahun, misalnya `spektra ingest FOLDER --tahun 2022`")))
        df["tahun"] = own.astype("Int64")


def _revisi(text: pd.Series) -> pd.Series:
    """KODE_STS_HISTORY / REVISI_DIPA_KE / NOREV -> the revision number (its digits)."""
    digits = text.astype("string").str.extract(r"(\d+)\D*$", expand=False)
    return pd.to_numeric(digits, errors="coerce").astype("Int64")


def read_dataang(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    # Pagu is the sum of TOTAL over lines with HEADER1 = HEADER2 = 0 (DOMAIN §6): header
    # lines carry the text of a group of items; they are set aside before any check.
    got = _lay("sakti_dataang").resolve(raw.df.columns)
    head = np.zeros(len(raw.df), bool)
    for f in ("header1", "header2"):
        if f in got:
            v = raw.df[got[f][0]].astype("string").str.strip().fillna("")
            head |= ~v.isin(["0", "00", ""]).to_numpy(bool)
    if head.any():
        _priced_headers(raw, head, got, problems)
        raw = RawTable(raw.name, raw.path, raw.df.loc[~head].reset_index(drop=True),
                       raw.rows[~head], raw.problems)
    df = _parse(raw, "sakti_dataang", problems, "dataAng")
    _year(df, raw, problems, "dataAng")
    df = df.drop(columns=["header1", "header2"])
    df["revisi"] = _revisi(df.pop("sts_history"))
    df = _latest_revision(df, raw)
    missing = df["cons_item"].isna()
    df.loc[missing, "cons_item"] = cons_item(df.loc[missing])
    df["cons_item"] = codes.item_key_text(df["cons_item"]).astype(object)
    return df


def _priced_headers(raw: RawTable, head: np.ndarray, got: dict, problems: list[Problem]) -> None:
    """Header lines are not items; one that carries a TOTAL is named, never dropped
    silently (a note: SAKTI's own rule leaves it out of the pagu)."""
    if "pagu" not in got:
        return
    sub = RawTable(raw.name, raw.path, raw.df.loc[head].reset_index(drop=True), raw.rows[head], [])
    total = parse_frame(sub, {"pagu": got["pagu"]}, [])["pagu"]
    priced = total.fillna(0).to_numpy() != 0
    if priced.any():
        rows = ", ".join(str(int(r)) for r in sub.rows[priced][:10])
        layout.context().notes.append(
            f"{raw.name}: {int(priced.sum())} baris header (HEADER1/HEADER2 bukan 0) membawa "
            f"TOTAL (baris {rows}{' …' if priced.sum() > 10 else ''}); menurut aturan SAKTI "
            "baris header tidak dihitung dalam pagu. Periksa bila jumlahnya tidak cocok "
            "dengan pagu DIPA.")


def _latest_revision(df: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """A dataAng holding the lines of several revisions (KODE_STS_HISTORY) of one satker:
    the latest is the budget in force; earlier ones are named in a note."""
    if df["revisi"].isna().all():
        return df
    key = ["tahun", "kode_satker"]
    top = df.groupby(key, dropna=False)["revisi"].transform("max")
    old = df["revisi"].notna() & top.notna() & (df["revisi"] < top)
    if old.any():
        gone = df.loc[old].groupby(key, dropna=False)["revisi"].unique()
        for (tahun, satker), revs in gone.items():
            layout.context().notes.append(
                f"{raw.name}: satker {satker} tahun {tahun} memuat beberapa revisi DIPA; "
                f"yang dimuat revisi ke-{int(top[df['kode_satker'] == satker].max())}, "
                f"baris revisi {', '.join(str(int(r)) for r in sorted(revs))} dilewati.")
        df = df.loc[~old].reset_index(drop=True)
    return df


def read_pem(raw: RawTable, problems: list[Problem], items: pd.DataFrame | None) -> pd.DataFrame:
    """PEM/realisasi -> realisasi; `items` maps cons_item to the pok item key (dataAng)."""
    return key_pem(parse_pem(raw, problems), problems, items)


def parse_pem(raw: RawTable, problems: list[Problem], check_columns: bool = True) -> pd.DataFrame:
    """The typed lines, before their item key is known (the raw text can then be freed).
    `check_columns` False for the later slices of a file read slice by slice."""
    df = _parse(raw, "sakti_realisasi", problems, "PEM/realisasi", check_columns)
    df["kode_item"] = codes.item_key_text(df["kode_item"]).astype(object)
    return df


SPP_FROM_PEM = ["kode_satker", "no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d",
                "tgl_sp2d", "uraian", "jenis_spp", "nilai", "status", "_file", "_row"]


def spp_lines(df: pd.DataFrame) -> pd.DataFrame:
    """The payment-chain columns of parsed PEM/realisasi lines that name an SPP (taken
    before key_pem keeps only the realisasi columns)."""
    if "no_spp" not in df.columns:
        return pd.DataFrame(columns=SPP_FROM_PEM)
    has = df["no_spp"].notna() & df["tgl_spp"].notna() & df["jenis_spp"].notna()
    out = df.loc[has].rename(columns={"tanggal": "tgl_sp2d"})
    return out[SPP_FROM_PEM].copy()


def spp_from_pem(lines: list[pd.DataFrame], known: set[str]) -> pd.DataFrame | None:
    """One `spp` row per (satker, SPP) of PEM/realisasi lines: nilai the sum of its
    lines (NILAI_RUPIAH), the rest as its first line writes it. Satker in `known` (an SPP
    register or Daftar SP2D came with them) are left to that register."""
    if not lines:
        return None
    df = pd.concat(lines, ignore_index=True)
    df = df[~df["kode_satker"].astype(str).isin(known)]
    if not len(df):
        return None
    key = ["kode_satker", "no_spp", "tgl_spp"]
    first = {c: "first" for c in SPP_FROM_PEM if c not in key and c != "nilai"}
    out = df.groupby(key, as_index=False, sort=True, dropna=False).agg(
        {**first, "nilai": "sum"})
    out["kode_unit"] = None
    out["uraian"] = out["uraian"].where(out["uraian"].notna(), "")
    out["status"] = out["status"].where(out["status"].notna(), "SP2D terbit")
    return out


def item_lookup(items: pd.DataFrame | None) -> pd.DataFrame | None:
    """(kode_satker, cons_item) -> tahun, no_item of the batch's items, indexed once for
    every slice of lines (a merge per slice rebuilt the hash of a million items each
    time). The satker is part of the key: a real CONS_ITEM need not be unique across
    satker."""
    if items is None or not len(items):
        return None
    k = _lookup_key(items["kode_satker"], items["cons_item"])
    u = pd.DataFrame({"k": k, "tahun": items["tahun"].to_numpy(object),
                      "no_item": items["no_item"].to_numpy(object)}).drop_duplicates("k")
    return pd.DataFrame({"tahun": u["tahun"].to_numpy(object),
                         "no_item": u["no_item"].to_numpy(object)},
                        index=pd.Index(u["k"].to_numpy(object)))


def _lookup_key(satker: pd.Series, item: pd.Series) -> np.ndarray:
    return (satker.astype("string").fillna("").str.strip() + "\x1f"
            + item.astype("string").fillna("")).to_numpy(object)


def key_pem(df: pd.DataFrame, problems: list[Problem], items: pd.DataFrame | None,
            unique: bool = False) -> pd.DataFrame:
    """tahun and no_item of each line: from the batch's dataAng (CONS_ITEM), else from the
    items already stored, else from the key text itself when it is our dotted form.
    `unique`: items is already item_lookup(items)."""
    key = pd.DataFrame(index=df.index, columns=["tahun", "no_item"], dtype=object)
    lookup = items if unique else item_lookup(items)
    k = _lookup_key(df["kode_satker"], df["kode_item"])
    if lookup is not None and len(lookup):
        pos = lookup.index.get_indexer(k)
        miss = pos < 0
        for c in ("tahun", "no_item"):
            v = lookup[c].to_numpy(object)[pos]
            v[miss] = None
            key[c] = v
    todo = key["no_item"].isna().to_numpy() & df["kode_item"].notna().to_numpy()
    stored = layout.context().stored_items
    if todo.any() and stored is not None:
        found = stored(pd.DataFrame({"kode_satker": df.loc[todo, "kode_satker"].to_numpy(object),
                                     "cons_item": df.loc[todo, "kode_item"].to_numpy(object)}))
        if found is not None and len(found):
            idx = pd.Index(_lookup_key(found["kode_satker"], found["cons_item"]))
            pos = idx.get_indexer(k[todo])
            rows = np.flatnonzero(todo)
            hit = pos >= 0
            for c in ("tahun", "no_item"):
                v = found[c].to_numpy(object)[pos[hit]]
                key.iloc[rows[hit], key.columns.get_loc(c)] = v
            todo = key["no_item"].isna().to_numpy() & df["kode_item"].notna().to_numpy()
    if todo.any():
        parts = df.loc[todo, "kode_item"].str.split(".", expand=False)
        ok = parts.str.len() == len(schema.ITEM_KEY)
        idx = np.flatnonzero(todo)[ok.to_numpy()]
        dec = pd.DataFrame(parts[ok].tolist(), columns=schema.ITEM_KEY, index=df.index[idx])
        key.loc[dec.index, "tahun"] = pd.to_numeric(dec["tahun"], errors="coerce")
        key.loc[dec.index, "no_item"] = dec["no_item"]
        for i in np.flatnonzero(todo)[~ok.to_numpy()]:
            problems.append(Problem(str(df["_file"].iloc[i]), int(df["_row"].iloc[i]), "KODE_ITEM", (
                f"item {df['kode_item'].iloc[i]!r} satker {df['kode_satker'].iloc[i]} tidak ada "
                "di dataAng (CONS_ITEM) berkas ini maupun di POK yang sudah dimuat")))
    df["tahun"] = pd.to_numeric(key["tahun"]).astype("Int64")
    arg = layout.context().tahun
    if arg is not None:   # lines of another budget year than the one asked for
        df["tahun"] = df["tahun"].fillna(arg)
    df["no_item"] = key["no_item"].astype(object)
    return df[schema.REALISASI.names + ["_file", "_row"]]


def _periode(df: pd.DataFrame, raw: RawTable, problems: list[Problem]) -> None:
    """KODE_PERIODE -> bulan (and the year when it is written `2022-03` / `202203`)."""
    t = df["periode"].astype("string").str.strip()
    m = t.str.extract(r"^(?:(?P<y>\d{4})[-/]?)?(?P<m>\d{1,2})$")
    m2 = t.str.extract(r"^(?P<m>\d{1,2})[-/](?P<y>\d{4})$")
    month = pd.to_numeric(m["m"].fillna(m2["m"]), errors="coerce")
    year = pd.to_numeric(m["y"].fillna(m2["y"]), errors="coerce")
    bad = t.notna() & (month.isna() | ~month.between(1, 12))
    for i in np.flatnonzero(bad.fillna(False).to_numpy(bool)):
        problems.append(Problem(raw.name, int(raw.rows[i]), "KODE_PERIODE",
                                f"bukan bulan 01–12 (atau TTTT-BB): {t.iloc[i]!r}"))
    df["bulan"] = month.where(~bad).astype("Int64")
    if year.notna().any():
        own = df["tahun"] if "tahun" in df.columns else pd.Series(pd.NA, index=df.index)
        clash = own.notna() & year.notna() & (own != year)
        for i in np.flatnonzero(clash.fillna(False).to_numpy(bool)):
            problems.append(Problem(raw.name, int(raw.rows[i]), "KODE_PERIODE",
                                    f"periode {t.iloc[i]} tidak di tahun {own.iloc[i]}"))
        df["tahun"] = own.fillna(year.astype("Int64")).astype("Int64")


def read_capaian(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    df = _parse(raw, "sakti_capaian_ro", problems, "capaianRO")
    _periode(df, raw, problems)
    _year(df, raw, problems, "capaianRO")
    parts = df["sub_output"].fillna("").str.split(".")
    # kegiatan.KRO.RO; a longer code carries the program in front (dropped here)
    bad = (parts.str.len() < 3) & df["sub_output"].notna()
    for i in np.flatnonzero(bad.to_numpy()):
        problems.append(Problem(raw.name, int(raw.rows[i]), "SUB_OUTPUT_KODE",
                                f"bukan kode kegiatan.KRO.RO: {df['sub_output'].iloc[i]!r}"))
    for j, c in enumerate(["kode_kegiatan", "kode_kro", "kode_ro"]):
        df[c] = parts.map(lambda p, j=j: p[len(p) - 3 + j].strip() if len(p) >= 3 else None)
    # optional columns the service does not carry (tgl_lapor) stay empty
    return df.reindex(columns=schema.CAPAIAN_RO.names + ["_file", "_row"])


def read_register(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    return _parse(raw, "sakti_register_spp", problems, "register SPP/SPM/SP2D")


# -- the service's JSON ----------------------------------------------------------------
def read_json(path: Path, name: str) -> RawTable:
    """The monitoring service's answer `[[{"TOKEN": …}], [{row}, …]]` (a bare list of rows
    or `{"data": [...]}` too) as text cells; rows are numbered 1, 2, … as records."""
    import json

    def fail(msg):
        return RawTable(name, path, pd.DataFrame(), np.array([], int), [Problem(name, None, None, msg)])
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        return fail(f"berkas JSON bukan teks UTF-8 (byte ke-{e.start + 1})")
    except (json.JSONDecodeError, RecursionError) as e:
        where = f" (baris {e.lineno}, kolom {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
        return fail(f"JSON tidak dapat dibaca{where}: berkas terpotong atau bukan JSON")
    rows = _json_rows(data)
    if rows is None:
        return fail("JSON bukan keluaran layanan SAKTI: tidak ada daftar baris data "
                    "(diharapkan [[{\"TOKEN\": …}], [{baris}, …]])")
    header: dict[str, None] = {}
    for r in rows:
        for k in r:
            header.setdefault(str(k), None)
    cols = list(header)
    cells = {c: [_json_cell(r.get(c)) for r in rows] for c in cols}
    df = pd.DataFrame(cells, columns=cols, dtype=object)
    return RawTable(name, path, df, np.arange(1, len(df) + 1), [])


def _json_rows(data) -> list[dict] | None:
    if isinstance(data, dict):
        data = data.get("data", data.get("DATA"))
    if not isinstance(data, list):
        return None
    if data and all(isinstance(r, dict) for r in data):
        return None if any("TOKEN" in {str(k).upper() for k in r} for r in data) else data
    for part in reversed(data):   # the envelope: the last list of row objects
        if isinstance(part, list) and all(isinstance(r, dict) for r in part) \
                and not any("TOKEN" in {str(k).upper() for k in r} for r in part):
            return part
    return [] if data == [] else None


def _json_cell(v) -> str:
    if isinstance(v, (dict, list)):
        return json_dumps(v)
    return cell_text(v)


def json_dumps(v) -> str:
    import json
    return json.dumps(v, ensure_ascii=False)


# -- writing -------------------------------------------------------------------------
def _text(df: pd.DataFrame, spec: dict, extra: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    out = {}
    for canon, (src, kind) in spec.items():
        col = df[canon] if canon in df.columns else pd.Series([None] * len(df), index=df.index)
        out[src] = format_column(col, kind, indonesian=kind == A, dmy=True)
    for k, v in (extra or {}).items():
        out[k] = v
    return pd.DataFrame(out, index=df.index)


def _save(df: pd.DataFrame, path: Path, first: bool = True) -> Path:
    df.to_csv(path, sep=";", index=False, encoding="utf-8", lineterminator="\n",
              header=first, mode="w" if first else "a")
    return path


CHUNK_ROWS = 200_000   # about 300 MB of text per chunk of PEM/realisasi lines


def chunks(df: pd.DataFrame, rows: int | None = None):
    """Consecutive row slices of df (at least one, so that an empty table gets a header).

    Every writer turns cells to text one row at a time (format_column, to_csv), so the
    file written chunk by chunk is byte-identical to the one-shot file; at 1,000 satker
    the text of 9 million lines at once needs tens of GB (issue 7).
    """
    rows = rows or CHUNK_ROWS
    for a in range(0, max(len(df), 1), rows):
        yield a, df.iloc[a:a + rows]


# The service's dataAng columns in its order (DOMAIN §6); those the canonical pok has no
# value for are written empty or 0.
DATAANG_COLUMNS = (
    ["KDSATKER", "KODE_PROGRAM", "KODE_KEGIATAN", "KODE_OUTPUT", "KDIB", "VOLUME_OUTPUT",
     "KODE_SUBOUTPUT", "VOLUME_SUBOUTPUT", "KODE_KOMPONEN", "KODE_SUBKOMPONEN",
     "URAIAN_SUBKOMPONEN", "KODE_AKUN", "KODE_JENIS_BEBAN", "KODE_CARA_TARIK",
     "KODE_JENIS_BANTUAN", "KODE_REGISTER", "HEADER1", "HEADER2", "KODE_ITEM", "NOMOR_ITEM",
     "CONS_ITEM", "URAIAN_ITEM", "SUMBER_DANA"]
    + [f"VOL_KEG_{i}" for i in range(1, 5)] + [f"SAT_KEG_{i}" for i in range(1, 5)]
    + ["VOLKEG", "SATKEG", "HARGASAT", "TOTAL", "KODE_BLOKIR", "NILAI_BLOKIR",
       "KODE_STS_HISTORY"] + POK_NILAI)


def numeric_item_key(df: pd.DataFrame) -> pd.Series:
    """A CONS_ITEM as the service writes it: digits, not our dotted key (DOMAIN §6: one
    real schema types it NUMERIC). Derived from the item key, so that the same item has
    the same number in dataAng and PEM/realisasi."""
    import hashlib
    dotted = cons_item(df)
    return dotted.map(lambda t: str(int(hashlib.sha1(t.encode()).hexdigest()[:13], 16)))


def write_dataang(pok: pd.DataFrame, path: Path, chunk_rows: int | None = None) -> Path:
    first = _akun_heads(pok)
    for a, part in chunks(pok, chunk_rows):
        _save(_dataang_text(part, first[a:a + len(part)]), path, first=a == 0)
    return path


def _akun_heads(pok: pd.DataFrame) -> np.ndarray:
    from .adk import _akun_heads as heads
    return heads(pok) if len(pok) else np.zeros(0, bool)


def _dataang_text(pok: pd.DataFrame, first: np.ndarray) -> pd.DataFrame:
    """dataAng lines of pok, with one header line (HEADER1 = 1, no price, the akun's
    name) ahead of each akun's items, as the service lists them."""
    pok = pok.copy()
    pok["cons_item"] = numeric_item_key(pok)
    n = len(pok)
    text = _text(pok, _written("sakti_dataang", drop=("tahun", "header1", "header2",
                                                      "sts_history")))
    text["KODE_ITEM"] = text["NOMOR_ITEM"]
    text["HEADER1"], text["HEADER2"] = "0", "0"
    rev = pok["revisi"] if "revisi" in pok.columns else pd.Series([None] * n, index=pok.index)
    text["KODE_STS_HISTORY"] = format_column(rev, I)
    for c in ("KDIB", "KODE_JENIS_BEBAN", "KODE_CARA_TARIK", "KODE_JENIS_BANTUAN",
              "KODE_REGISTER", "KODE_BLOKIR"):
        text[c] = ""
    text["SUMBER_DANA"], text["NILAI_BLOKIR"] = "RM", "0,00"
    for c in ("VOLUME_OUTPUT", "VOLUME_SUBOUTPUT"):
        text[c] = "0"
    text["VOL_KEG_1"], text["SAT_KEG_1"] = text["VOLKEG"], text["SATKEG"]
    for i in range(2, 5):
        text[f"VOL_KEG_{i}"], text[f"SAT_KEG_{i}"] = "", ""
    heads = text.loc[first].copy()
    heads["HEADER1"], heads["KODE_ITEM"], heads["NOMOR_ITEM"], heads["CONS_ITEM"] = "1", "", "", ""
    heads["URAIAN_ITEM"] = (pok.loc[first, "nama_akun"].fillna("").astype(object)
                            if "nama_akun" in pok.columns else "")
    for c in ("VOLKEG", "HARGASAT", "TOTAL", *POK_NILAI, "VOL_KEG_1"):
        heads[c] = "0"
    heads["SATKEG"], heads["SAT_KEG_1"] = "", ""
    heads["_o"], text["_o"] = np.flatnonzero(first) - 0.5, np.arange(n)
    out = pd.concat([heads, text]).sort_values("_o", kind="stable").drop(columns="_o")
    return out[DATAANG_COLUMNS].reset_index(drop=True)


_REG_COLS = {"jenis_spp": "KD_JNS_SPP", "no_spp": "NO_SPP", "tgl_spp": "TGL_SPP",
             "no_spm": "NO_SPM", "tgl_spm": "TGL_SPM", "uraian": "URAIAN",
             "status": "STATUS_DATA"}
PEM_COLUMNS = ["KDSATKER", "KODE_KEMENTERIAN", "KD_JNS_SPP", "NO_SPP", "TGL_SPP", "NO_SPM",
               "TGL_SPM", "NO_SP2D", "TGL_SP2D", "NO_SP2B", "TGL_SP2B", "URAIAN", "KODE_COA",
               "KODE_PROGRAM", "KODE_KEGIATAN", "KODE_OUTPUT", "KODE_SUBOUTPUT",
               "KODE_KOMPONEN", "KODE_SUBKOMPONEN", "KODE_AKUN", "KODE_ITEM", "MATA_UANG",
               "KURS", "NILAI_VALAS", "NILAI_RUPIAH", "STATUS_DATA"]


def write_pem(realisasi: pd.DataFrame, spp: pd.DataFrame | None, path: Path,
              chunk_rows: int | None = None, numeric_keys: bool = False) -> Path:
    """`numeric_keys`: KODE_ITEM as write_dataang's CONS_ITEM (beside a dataAng); else our
    dotted key text (beside an ADK d_item, which has no CONS_ITEM)."""
    s = None
    if spp is not None and len(spp) and "no_sp2d" in realisasi.columns:
        s = spp.dropna(subset=["no_sp2d"]).drop_duplicates(["kode_satker", "no_sp2d"])
        s = s[["kode_satker", "no_sp2d"] + list(_REG_COLS)]
    for a, part in chunks(realisasi, chunk_rows):
        _save(_pem_text(part, s, numeric_keys), path, first=a == 0)
    return path


def _pem_text(realisasi: pd.DataFrame, s: pd.DataFrame | None,
              numeric_keys: bool = False) -> pd.DataFrame:
    r = realisasi.copy()
    r["kode_item"] = numeric_item_key(r) if numeric_keys else cons_item(r)
    if s is not None:   # a left merge on a de-duplicated register keeps the line order
        r = r.merge(s, on=["kode_satker", "no_sp2d"], how="left")
    extra = {}
    for canon, src in _REG_COLS.items():
        kind = D if canon.startswith("tgl") else T
        col = r[canon] if canon in r.columns else pd.Series([None] * len(r), index=r.index)
        extra[src] = format_column(col, kind, dmy=True)
    text = _text(r, _written("sakti_realisasi"), extra)
    text["KODE_KEMENTERIAN"], text["KODE_COA"], text["MATA_UANG"] = "088", "", "IDR"
    text["NO_SP2B"], text["TGL_SP2B"], text["KURS"] = "", "", "1"
    text["NILAI_VALAS"] = text["NILAI_RUPIAH"]
    return text[PEM_COLUMNS]


def write_capaian(cap: pd.DataFrame, ro_target: pd.DataFrame | None, path: Path) -> Path:
    c = cap.sort_values(list(schema.CAPAIAN_RO.key)).copy()
    c["sub_output"] = (c["kode_kegiatan"].astype(str) + "." + c["kode_kro"].astype(str) + "."
                       + c["kode_ro"].astype(str))
    grp = c.groupby(list(schema.RO_KEY), sort=False, dropna=False)
    c["_rv"] = grp["rvro"].cumsum()
    c["_pc"] = grp["pcro"].cumsum()
    if ro_target is not None and len(ro_target):
        c = c.merge(ro_target[list(schema.RO_KEY) + ["target_volume", "satuan", "strategis"]],
                    on=list(schema.RO_KEY), how="left")
    text = _text(c, _written("sakti_capaian_ro", drop=("tahun", "periode", "revisi")))
    text["KODE_PERIODE"] = format_column(c["bulan"], I).str.zfill(2)
    text.insert(0, "KODE_UNIT", "01")
    text.insert(0, "KODE_KEMENTERIAN", "088")

    def col(name, kind):
        return format_column(c[name], kind) if name in c.columns else ""
    text["RENCANA_SUB_OUTPUT"] = col("target_volume", N)
    text["SATUAN_SUB_OUTPUT"] = col("satuan", T)
    text["TOTAL_REALISASI_SUB_OUTPUT"] = format_column(c["_rv"], N)
    text["TOTAL_PROGRESS_CAPAIAN_RO"] = format_column(c["_pc"], N)
    text["RO_STRATEGIS"] = col("strategis", I)
    for k in ("ANGGARAN_BELANJA", "REALISASI_BELANJA", "PERSEN_GAP"):
        text[k] = ""   # SAKTI fills these from its own ledgers; the reader ignores them
    return _save(text, path)


def write_register(spp: pd.DataFrame, path: Path) -> Path:
    return _save(_text(spp, _written("sakti_register_spp")), path)
