"""DIPA / RKA-K/L ADK files: `d_item` (XML with lower-case tags, or DBF) and references.

d_item holds header lines (HEADER1/HEADER2 ≠ 0: group titles, no price) and priced
lines; only priced lines (both 0) are POK items. The monthly plan is JANUARI, PEBRUARI,
…, NOPEMBER, DESEMBER (FEBRUARI / NOVEMBER are accepted too). The writer adds one
header line per akun, as the ADK does, so that the reader's filter is exercised.
Reference tables (refs.py) are written in the same format as d_item.
"""
from __future__ import annotations

import struct
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import kanonik
from .parse import MONTH_NAMES, RawTable, format_column, parse_frame

T, A, N, I = schema.TEXT, schema.AMOUNT, schema.NUMBER, schema.INT
KDDEPT, KDUNIT = "088", "01"   # BKN's bagian anggaran / eselon I

D_ITEM = {
    "tahun": ("THANG", I), "kode_satker": ("KDSATKER", T), "kode_program": ("KDPROGRAM", T),
    "kode_kegiatan": ("KDGIAT", T), "kode_kro": ("KDOUTPUT", T), "kode_ro": ("KDSOUTPUT", T),
    "kode_komponen": ("KDKMPNEN", T), "kode_subkomponen": ("KDSKMPNEN", T),
    "kode_akun": ("KDAKUN", T), "no_item": ("NOITEM", T), "uraian_item": ("NMITEM", T),
    "volume": ("VOLKEG", N), "satuan": ("SATKEG", T), "harga_satuan": ("HARGASAT", A),
    "pagu": ("JUMLAH", A), "header1": ("HEADER1", T), "header2": ("HEADER2", T),
    **{rpd: (m, A) for rpd, m in zip(schema.RPD_COLUMNS, MONTH_NAMES)},
}
ALIASES = {"FEBRUARI": "PEBRUARI", "NOVEMBER": "NOPEMBER"}
FIELD_ORDER = ["THANG", "KDSATKER", "KDDEPT", "KDUNIT", "KDPROGRAM", "KDGIAT", "KDOUTPUT",
               "KDSOUTPUT", "KDKMPNEN", "KDSKMPNEN", "KDAKUN", "NOITEM", "NMITEM", "VOLKEG",
               "SATKEG", "HARGASAT", "JUMLAH", "HEADER1", "HEADER2", "KDBLOKIR", "RPHBLOKIR",
               *MONTH_NAMES]
NUMERIC = {"VOLKEG", "HARGASAT", "JUMLAH", "RPHBLOKIR", *MONTH_NAMES}


def signature(cols: set[str]) -> str | None:
    if {"KDAKUN", "NOITEM", "JUMLAH"} <= cols:
        return "d_item"
    return None


def read_d_item(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    raw.df = raw.df.rename(columns={k: v for k, v in ALIASES.items() if k in raw.df.columns})
    for canon, (src, _) in D_ITEM.items():
        if src not in raw.df.columns and src not in ("HEADER1", "HEADER2"):
            problems.append(Problem(raw.name, 1, src, "kolom wajib tidak ada di d_item"))
    def zero(col):
        if col not in raw.df.columns:
            return np.ones(len(raw.df), bool)
        return raw.df[col].astype(str).str.strip().isin(["0", "", "0.0", "0.00"]).to_numpy()
    header = zero("HEADER1") & zero("HEADER2")
    priced = RawTable(raw.name, raw.path, raw.df.loc[header].reset_index(drop=True),
                      raw.rows[header], [])
    df = parse_frame(priced, D_ITEM, problems)
    cols = ["tahun", "kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
            "kode_komponen", "kode_akun", "no_item", "pagu"]
    kanonik.require_values(df, priced, cols, problems, {c: D_ITEM[c][0] for c in cols})
    return df.drop(columns=["header1", "header2"])


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
    text = pd.DataFrame({src: format_column(pok[c], kind) if c in pok.columns else ""
                         for c, (src, kind) in D_ITEM.items()}, index=pok.index)
    n = len(text)
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
    return out[FIELD_ORDER].reset_index(drop=True)


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
