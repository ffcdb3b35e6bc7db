"""DIPA / RKA-K/L ADK files: `d_item` and references, as XML (lower-case tags), DBF, or the
DIPA application's own FoxPro tables `D_ITEM.KEU`, `T_GIAT.KEU` … (DBF inside).

Columns, their other names and kinds are data: `layouts/adk_d_item.yaml` (and
`adk_t_*.yaml` / `adk_d_*.yaml` for the references, refs.py). What stays here is what the
format needs: the header-line rule (read_d_item: a priced line is never dropped; a line
marked as a header that carries a price is named as a problem), and the writers (XML,
dBase III). The monthly plan is JANUARI, PEBRUARI, …, NOPEMBER, DESEMBER (FEBRUARI /
NOVEMBER are aliases in the YAML). NOREV, the DIPA revision, is kept as pok `revisi`.
The writer adds one header line per akun, as the ADK does, so that the rule is exercised.
"""
from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import kanonik, layout
from .parse import MONTH_NAMES, RawTable, format_column, parse_frame

T, A, N, I = schema.TEXT, schema.AMOUNT, schema.NUMBER, schema.INT
KDDEPT, KDUNIT = "088", "01"   # BKN's bagian anggaran / eselon I

LAYOUT = "adk_d_item"      # layouts/adk_d_item.yaml: columns, aliases, kinds, required
# Marks a header line may carry (HEADER1/HEADER2 look like header numbers, KDHEADER like a
# flag; DOMAIN §6: not certain which): a line with any of them non-zero is a header line.
MARKS = {"header1": "HEADER1", "header2": "HEADER2", "kdheader": "KDHEADER"}
# Cells that must hold a value on every POK line (a missing column is reported once).
VALUE_REQUIRED = ["tahun", "kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
                  "kode_komponen", "kode_akun", "no_item", "pagu"]
MAX_LISTED = 50            # disagreeing lines named one by one, then one line for the rest
FIELD_ORDER = ["THANG", "KDSATKER", "KDDEPT", "KDUNIT", "KDPROGRAM", "KDGIAT", "KDOUTPUT",
               "KDSOUTPUT", "KDKMPNEN", "KDSKMPNEN", "KDAKUN", "NOITEM", "NMITEM", "VOLKEG",
               "SATKEG", "HARGASAT", "JUMLAH", "HEADER1", "HEADER2", "KDBLOKIR", "RPHBLOKIR",
               *MONTH_NAMES]
NUMERIC = {"VOLKEG", "HARGASAT", "JUMLAH", "RPHBLOKIR", "NOREV", *MONTH_NAMES}


def _layout():
    return layout.load(LAYOUT)


def d_item_spec() -> dict[str, tuple[str, str]]:
    """{pok column (or header1/header2/kdheader): (d_item column we write, kind)}."""
    return _layout().write_names()


def _nonzero(s: pd.Series) -> np.ndarray:
    """A header mark set: anything but '', '0', '00', '0.00' …"""
    t = s.astype("string").fillna("").str.strip()
    return ~t.str.fullmatch(r"[-+]?0*(?:[.,]0*)?").fillna(True).to_numpy(bool)


def read_d_item(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    """POK lines of a d_item (XML, DBF or .KEU): every priced line, never a header line.

    A line is priced when its JUMLAH or HARGASAT is not zero, and is then kept whatever
    its header marks say: so the satker's pagu (the sum of the POK lines read) is the sum
    of JUMLAH over every priced line of the file. A line marked as a header (HEADER1,
    HEADER2 or KDHEADER not zero) that carries a price contradicts the header rule: it is
    named as a problem (record number, marks, amount) instead of being dropped or guessed.
    Unmarked lines without a price are items of pagu 0; marked ones without a price are
    header lines (group titles) and are left out.
    """
    lay = _layout()
    header = list(raw.df.columns)
    for name in lay.missing(header):
        problems.append(Problem(raw.name, 1, name, "kolom wajib tidak ada di d_item"))
    spec = lay.spec(header)
    df = parse_frame(raw, spec, problems)
    marks = {col: _nonzero(raw.df[spec[f][0]]) for f, col in MARKS.items()
             if spec[f][0] in raw.df.columns}
    marked = np.zeros(len(df), bool)
    for m in marks.values():
        marked |= m
    priced = ((df["pagu"].fillna(0) != 0) | (df["harga_satuan"].fillna(0) != 0)).to_numpy(bool)
    clash = np.flatnonzero(marked & priced)
    for n, i in enumerate(clash):
        if n == MAX_LISTED:
            problems.append(Problem(raw.name, int(raw.rows[i]), None, (
                f"dan {len(clash) - MAX_LISTED} baris lain bertanda judul tetapi berharga")))
            break
        cols = [c for c, m in marks.items() if m[i]]
        shown = ", ".join(f"{c}={raw.df[spec[k][0]].iloc[i]!s}".strip()
                          for k, c in MARKS.items() if c in cols)
        problems.append(Problem(raw.name, int(raw.rows[i]), cols[0], (
            f"baris bertanda judul ({shown}) tetapi berharga (JUMLAH "
            f"{raw.df[spec['pagu'][0]].iloc[i]!s}, HARGASAT "
            f"{raw.df[spec['harga_satuan'][0]].iloc[i]!s}): aturan baris judul ADK tidak "
            "pasti, jadi baris ini tidak dibuang dan tidak ditebak; periksa penanda "
            "HEADER1/HEADER2/KDHEADER baris ini di aplikasi DIPA")))
    keep = ~marked | priced
    if not keep.all():
        df = df.loc[keep].reset_index(drop=True)
        raw = RawTable(raw.name, raw.path, raw.df.loc[keep].reset_index(drop=True),
                       raw.rows[keep], [])
    required = [c for c in VALUE_REQUIRED if spec[c][0] in raw.df.columns]
    kanonik.require_values(df, raw, required, problems, {c: spec[c][0] for c in required})
    if "NOREV" not in {layout.norm(c) for c in header}:
        df = df.drop(columns="revisi")
    return df.drop(columns=list(MARKS))


def _akun_heads(pok: pd.DataFrame) -> np.ndarray:
    """True on the first item of each akun (in the whole pok), where a header line goes.

    Codes are factorised column by column and combined, instead of hashing rows of nine
    text columns at once: a national pok has a million items (issue 7).
    """
    code = np.zeros(len(pok), dtype=np.int64)
    for c in schema.ITEM_KEY[:-1]:
        f, uniq = pd.factorize(pok[c].astype("string").fillna(""), sort=False)
        code, _ = pd.factorize(code * max(len(uniq), 1) + f, sort=False)
    return ~pd.Series(code).duplicated().to_numpy()


def _d_item_text(pok: pd.DataFrame, first: np.ndarray | None = None) -> pd.DataFrame:
    """d_item text lines of pok; `first` marks the items that get an akun header line
    (computed over the whole pok when pok is one chunk of it)."""
    spec = {c: v for c, v in d_item_spec().items() if c not in MARKS and c != "revisi"}
    text = pd.DataFrame({src: format_column(pok[c], kind) if c in pok.columns else ""
                         for c, (src, kind) in spec.items()}, index=pok.index)
    n = len(text)
    if "revisi" in pok.columns and pok["revisi"].notna().any():   # the DIPA revision
        text["NOREV"] = format_column(pok["revisi"], schema.INT)
    text["HEADER1"], text["HEADER2"] = "0", "0"
    text["KDDEPT"], text["KDUNIT"], text["KDBLOKIR"], text["RPHBLOKIR"] = KDDEPT, KDUNIT, "", "0"
    # One header line per akun ahead of its items (NOITEM 0, no price).
    first = _akun_heads(pok) if first is None else first
    heads = text.loc[first].copy()
    heads["NOITEM"], heads["HEADER1"] = "0", "1"
    heads["NMITEM"] = (pok.loc[first, "nama_akun"].fillna("") if "nama_akun" in pok.columns else "")
    for c in ("VOLKEG", "SATKEG", "HARGASAT", "JUMLAH", *MONTH_NAMES):
        heads[c] = "0" if c in NUMERIC else ""
    heads["_o"], text["_o"] = np.flatnonzero(first) - 0.5, np.arange(n)
    out = pd.concat([heads, text]).sort_values("_o", kind="stable").drop(columns="_o")
    order = FIELD_ORDER + (["NOREV"] if "NOREV" in out.columns else [])
    return out[order].reset_index(drop=True)


# -- XML -----------------------------------------------------------------------------
def _xml_records(text: pd.DataFrame, record: str) -> list[str]:
    body = None
    for c in text.columns:
        tag = c.lower()
        val = text[c].astype("string").fillna("").astype(object).str.replace("&", "&amp;", regex=False) \
            .str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False)
        piece = f"\t\t<{tag}>" + val + f"</{tag}>"
        body = piece if body is None else body + "\n" + piece
    return [] if body is None else (f"\t<{record}>\n" + body + f"\n\t</{record}>").tolist()


def write_xml_chunks(parts, path: Path, record: str) -> Path:
    """write_xml of the row-wise concatenation of the text frames `parts` (an iterable),
    one frame in memory at a time."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<VFPData>\n')
        for text in parts:
            lines = _xml_records(text, record)
            if lines:
                f.write("\n".join(lines) + "\n")
        f.write("</VFPData>\n")
    return path


def write_xml(text: pd.DataFrame, path: Path, record: str) -> Path:
    """VFP-style XML as the ADK writes it: lower-case tags, one element per record."""
    return write_xml_chunks([text], path, record)


def write_d_item_xml(pok: pd.DataFrame, path: Path, chunk_rows: int = 100_000) -> Path:
    first = _akun_heads(pok)
    parts = (_d_item_text(pok.iloc[a:a + chunk_rows], first[a:a + chunk_rows])
             for a in range(0, max(len(pok), 1), chunk_rows))
    return write_xml_chunks(parts, path, "c_item")


# -- DBF (dBase III) -------------------------------------------------------------------
def write_dbf(text: pd.DataFrame, path: Path, numeric: set[str] = frozenset()) -> Path:
    """A plain dBase III file: C fields, N for amounts; cp1252 as FoxPro ADK files are."""
    cols = list(text.columns)
    enc = {c: text[c].astype("string").fillna("").astype(object).map(lambda v: v.encode("cp1252", "replace")) for c in cols}
    widths = {c: max(1, int(enc[c].map(len).max()) if len(text) else 1) for c in cols}
    widths = {c: min(w, 254) for c, w in widths.items()}
    n, rec_len = len(text), 1 + sum(widths.values())
    header_len = 32 + 32 * len(cols) + 1
    stamp = date(2000, 1, 1)   # fixed "last update": same tables give byte-identical files
    out = bytearray(struct.pack("<BBBBIHH20x", 0x03, stamp.year - 1900, stamp.month, stamp.day,
                                n, header_len, rec_len))
    for c in cols:
        kind = b"N" if c in numeric else b"C"
        dec = 2 if c in numeric and enc[c].map(lambda b: b"." in b).any() else 0
        out += struct.pack("<11sc4xBB14x", c[:10].encode("ascii"), kind, widths[c], dec)
    out += b"\x0d"
    cells = []
    for c in cols:
        w = widths[c]
        cells.append(enc[c].map(lambda b, w=w, r=c in numeric: (b.rjust(w) if r else b.ljust(w))[:w]))
    for row in zip(*cells) if cols else []:
        out += b" " + b"".join(row)
    out += b"\x1a"
    path.write_bytes(bytes(out))
    return path


def write_d_item_dbf(pok: pd.DataFrame, path: Path) -> Path:
    return write_dbf(_d_item_text(pok), path, NUMERIC)
