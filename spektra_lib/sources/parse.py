"""Parsing text cells (as files.py reads them) into typed columns, vectorised, and
writing typed columns back as text.

Only the columns the schema calls numbers or dates are parsed, with pandas string
operations (issue 7 ingests millions of lines). Each unparseable cell becomes one
Problem naming file, line and column; all of a file's problems are reported at once.
Cells are refused when a number is
beyond the sanity ceilings of parameters/batas_input.yaml (or not finite), when text
holds control characters, or when a cell is longer than the ceiling.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem, safe_text

MONTH_NAMES = ["JANUARI", "PEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
               "SEPTEMBER", "OKTOBER", "NOPEMBER", "DESEMBER"]


@dataclass
class RawTable:
    """One sheet/file of text cells as the source wrote it."""
    name: str            # as shown in messages: `pok.csv`, `data.xlsx[pok]`
    path: Path
    df: pd.DataFrame     # every cell str ('' when empty); header as written
    rows: np.ndarray     # the user-visible row number of each df row
    problems: list[Problem]


# -- limits (parameters/batas_input.yaml) ---------------------------------------------
DECIMAL_MAX = 9_999_999_999_999_998.0     # the store's DECIMAL(18,2), as the nearest float below
INT_MAX = 2**31 - 1                        # the store's INTEGER
DEFAULT_LIMITS = {"tahun_paling_awal": 2000, "tahun_paling_lambat_setelah_tahun_ini": 1,
                  "nilai_rupiah_maks": 100_000_000_000_000, "angka_maks": 1_000_000_000_000,
                  "panjang_sel_maks": 10_000}
LIMITS_FILE = "parameters/batas_input.yaml"


def limits() -> dict:
    """The sanity ceilings, defaults filled in; the rupiah ceiling never above what the
    store can hold. A parameters folder without the file gets the defaults."""
    from .. import parameters
    try:
        cfg = {**DEFAULT_LIMITS, **(parameters.load("batas_input") or {})}
    except FileNotFoundError:
        cfg = dict(DEFAULT_LIMITS)
    cfg["nilai_rupiah_maks"] = min(float(cfg["nilai_rupiah_maks"]), DECIMAL_MAX)
    cfg["angka_maks"] = float(cfg["angka_maks"])
    cfg["panjang_sel_maks"] = int(cfg["panjang_sel_maks"])
    cfg["tahun_paling_lambat"] = date.today().year + int(cfg["tahun_paling_lambat_setelah_tahun_ini"])
    return cfg


def show(value, width: int = 50) -> str:
    """A cell as quoted in a message: repr, cut after `width` characters (a 100 MB cell
    must not become a 100 MB problem line)."""
    text = str(value)
    if len(text) <= width:
        return repr(text)
    return f"{text[:width] + '…'!r} ({thousands(len(text))} karakter)"


def thousands(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


# -- parsing cells -------------------------------------------------------------------
# [0-9], not \d: \d is any Unicode digit, and fullwidth '１２' matched, then failed to convert
_PLAIN = r"-?[0-9]+(?:\.[0-9]+)?"
_INDO = r"-?[0-9]{1,3}(?:\.[0-9]{3})*(?:,[0-9]+)?|-?[0-9]+,[0-9]+"
_DOT_THOUSANDS = r"-?[0-9]{1,3}(?:\.[0-9]{3})+"
_INT = r"-?[0-9]+(?:[.,]0+)?"
_ISO = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_DMY = r"[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{4}"
_INT_DIGITS = r"-?0*[0-9]{1,10}(?:[.,]0+)?"   # at most 10 significant digits: fits int64


def _text(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        s = s.fillna("") if s.hasnans else s   # stays Arrow: no python str per cell
        return s.str.strip() if _needs_strip(s) else s
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def _needs_strip(s: pd.Series) -> bool:
    import pyarrow.compute as pc
    arr = pa_array(s)
    trimmed = pc.utf8_trim_whitespace(arr)
    return not pc.all(pc.equal(pc.binary_length(trimmed), pc.binary_length(arr))).as_py()


def pa_array(s: pd.Series):
    """The Arrow array behind an Arrow-backed string Series (no copy)."""
    import pyarrow as pa
    return pa.chunked_array(s.array._pa_array) if hasattr(s.array, "_pa_array") else pa.array(s)


def parse_number(s: pd.Series, kind: str = schema.AMOUNT) -> tuple[pd.Series, np.ndarray]:
    """Plain `1234567.00` or Indonesian `1.234.567,00` (an amount `1.234` is 1234)."""
    s = _text(s)
    empty = (s == "").to_numpy()
    plain = s.str.fullmatch(_PLAIN).to_numpy(bool)
    if kind == schema.AMOUNT:
        plain = plain & ~s.str.fullmatch(_DOT_THOUSANDS).to_numpy(bool)
    indo = s.str.fullmatch(_INDO).to_numpy(bool) & ~plain
    out = np.full(len(s), np.nan)
    if plain.any():
        out[plain] = _to_float(s[plain])
    if indo.any():
        out[indo] = _to_float(s[indo].str.replace(".", "", regex=False)
                              .str.replace(",", ".", regex=False))
    # 401 digits parse as inf, and 10^36 does not fit the store: beyond the sanity
    # ceiling (never above DECIMAL(18,2)) a number is refused, not stored as nonsense.
    ceiling = limits()["nilai_rupiah_maks" if kind == schema.AMOUNT else "angka_maks"]
    with np.errstate(invalid="ignore"):
        huge = (plain | indo) & ~(np.abs(out) <= ceiling)
    if huge.any():
        out[huge] = np.nan
    return pd.Series(out, index=s.index), (~empty & ~plain & ~indo) | huge


def _to_float(s: pd.Series) -> np.ndarray:
    """Checked decimal text -> float (Arrow's cast rounds correctly, like float())."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        import pyarrow as pa
        return pa_array(s).cast(pa.float64()).to_numpy()
    return pd.to_numeric(s).to_numpy(float)


def parse_int(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    s = _text(s)
    # Checked for size before converting: '99999999999999999999' would overflow int64.
    ok = np.array(s.str.fullmatch(_INT_DIGITS).to_numpy(bool))
    out = pd.Series(pd.NA, index=s.index, dtype="Int64")
    if ok.any():
        v = s[ok].str.replace(r"[.,]0+$", "", regex=True).astype("int64").to_numpy()
        fits = np.abs(v) <= INT_MAX        # the store's INTEGER
        idx = np.flatnonzero(ok)
        ok[idx[~fits]] = False
        out[ok] = v[fits]
    return out, (s != "").to_numpy() & ~ok


def parse_date(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    s = _text(s)
    iso = s.str.fullmatch(_ISO).to_numpy(bool)
    dmy = s.str.fullmatch(_DMY).to_numpy(bool)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if iso.any():
        out[iso] = pd.to_datetime(s[iso].str.replace(r"[ T].*$", "", regex=True),
                                  format="%Y-%m-%d", errors="coerce").to_numpy()
    if dmy.any():
        out[dmy] = pd.to_datetime(s[dmy].str.replace("-", "/", regex=False),
                                  format="%d/%m/%Y", errors="coerce").to_numpy()
    return out, (s != "").to_numpy() & out.isna().to_numpy()


def parse_text(s: pd.Series) -> pd.Series:
    """Text cells, '' as missing. Arrow-backed strings stay so (NaN for missing): a
    national POK has millions of codes, which as python objects would not fit in memory."""
    s = _text(s)
    if isinstance(s.dtype, pd.StringDtype):
        empty = (s == "").to_numpy(bool)
        return s.where(~empty) if empty.any() else s
    return s.where(s != "", None).astype(object)


_WHAT = {schema.AMOUNT: "bukan angka yang sah", schema.NUMBER: "bukan angka yang sah",
         schema.INT: "bukan bilangan bulat yang sah",
         schema.DATE: "bukan tanggal yang sah (YYYY-MM-DD atau dd/mm/yyyy)"}


def parse_column(s: pd.Series, kind: str) -> tuple[pd.Series, np.ndarray]:
    if kind == schema.TEXT:
        return parse_text(s), np.zeros(len(s), bool)
    if kind in (schema.AMOUNT, schema.NUMBER):
        return parse_number(s, kind)
    if kind == schema.INT:
        return parse_int(s)
    if kind == schema.DATE:
        return parse_date(s)
    raise ValueError(kind)


_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"    # tab and line breaks are text
_CONTROL_BYTES = np.array([b for b in range(32) if b not in (9, 10, 13)] + [127], np.uint8)
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 11: "VT", 12: "FF", 26: "SUB", 27: "ESC", 127: "DEL"}


def cell_checks(s: pd.Series, text: bool) -> tuple[np.ndarray, np.ndarray]:
    """(too long, holds a control character) per cell, vectorised: a first look at the
    Arrow buffers (byte lengths, bytes < 32) decides whether any cell needs a closer one.
    Control characters are checked in text cells only (elsewhere the cell is not a
    number or date anyway)."""
    n = len(s)
    no = np.zeros(n, bool)
    limit = limits()["panjang_sel_maks"]
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        import pyarrow.compute as pc
        arr = pa_array(s)
        nbytes = pc.binary_length(arr)
        long_ = no
        if n and (pc.max(nbytes).as_py() or 0) > limit:    # bytes >= characters
            long_ = pc.fill_null(pc.greater(pc.utf8_length(arr), limit), False).to_numpy(
                zero_copy_only=False)
        ctrl = no
        if text and n and any(_has_control_bytes(c) for c in arr.chunks):
            ctrl = pc.fill_null(pc.match_substring_regex(arr, _CONTROL), False).to_numpy(
                zero_copy_only=False)
        return np.asarray(long_, bool), np.asarray(ctrl, bool)
    obj = s.astype(object).where(s.notna(), "").astype(str)
    long_ = (obj.str.len() > limit).to_numpy(bool)
    ctrl = obj.str.contains(_CONTROL, regex=True).to_numpy(bool) if text else no
    return long_, ctrl


def _has_control_bytes(chunk) -> bool:
    data = chunk.buffers()[2] if len(chunk.buffers()) > 2 else None
    if data is None or not len(chunk):
        return False
    b = np.frombuffer(data, np.uint8)
    low = b[b < 32]          # few or none: the exact test runs on these only
    return bool((b == 127).any() or np.isin(low, _CONTROL_BYTES).any())


def _why(cell: str, kind: str) -> str:
    """What is wrong with a refused number, integer or date cell."""
    text = str(cell).strip()
    if re.search(r"\d", text) and re.search(r"[^\x00-\x7f]", text) and re.sub(r"\D", "", text) \
            != re.sub(r"[^0-9]", "", text):
        return (f"{_WHAT[kind]}: {show(cell)} (berisi angka selain 0–9, mis. angka lebar "
                "penuh; ketik ulang dengan angka biasa)")
    lim = limits()
    if kind in (schema.AMOUNT, schema.NUMBER) and re.fullmatch(f"{_PLAIN}|{_INDO}", text):
        ceiling = lim["nilai_rupiah_maks" if kind == schema.AMOUNT else "angka_maks"]
        return (f"angka di luar batas wajar (paling besar {thousands(ceiling)}; lihat "
                f"{LIMITS_FILE}): {show(cell)}")
    if kind == schema.INT and re.fullmatch(_INT, text):
        return f"bilangan bulat di luar jangkauan: {show(cell)}"
    return f"{_WHAT[kind]}: {show(cell)}"


def parse_frame(raw: RawTable, spec: dict[str, tuple[str, str]],
                problems: list[Problem]) -> pd.DataFrame:
    """Typed columns `out_name -> (source column, kind)`; bad cells appended to problems.

    A source column absent from the file gives an all-empty column (missing required
    columns are reported by the caller, who knows which ones are required). A cell
    longer than the ceiling, or a text cell holding a control character (NUL …), is a
    problem too, and such a cell is left empty.
    """
    out = {}
    limit = None
    for out_name, (src, kind) in spec.items():
        col = raw.df[src] if src in raw.df.columns else pd.Series([""] * len(raw.df), dtype=object)
        col = col.reset_index(drop=True)
        values, bad = parse_column(col, kind)
        long_, ctrl = cell_checks(col, kind == schema.TEXT) if src in raw.df.columns \
            else (np.zeros(len(col), bool), np.zeros(len(col), bool))
        for i in np.flatnonzero(long_):
            limit = limit or limits()["panjang_sel_maks"]
            problems.append(Problem(raw.name, int(raw.rows[i]), src, (
                f"isi sel terlalu panjang: {thousands(len(str(col.iloc[i])))} karakter (paling "
                f"banyak {thousands(limit)}; lihat {LIMITS_FILE})")))
        for i in np.flatnonzero(ctrl & ~long_):
            c = re.search(_CONTROL, str(col.iloc[i])).group()
            problems.append(Problem(raw.name, int(raw.rows[i]), src, (
                f"berisi karakter kendali U+{ord(c):04X}"
                f"{' (' + _CONTROL_NAMES[ord(c)] + ')' if ord(c) in _CONTROL_NAMES else ''}: "
                f"{show(col.iloc[i])}; hapus karakter itu dari sel")))
        for i in np.flatnonzero(bad & ~long_):
            problems.append(Problem(raw.name, int(raw.rows[i]), src, _why(col.iloc[i], kind)))
        if (long_ | ctrl).any():
            values = values.copy()
            values[long_ | ctrl] = None
        out[out_name] = values.reset_index(drop=True)
    df = pd.DataFrame(out, index=pd.RangeIndex(len(raw.df)))
    # the name as printed: Arrow text refuses the stand-ins of undecodable name bytes
    df["_file"] = safe_text(raw.name)
    df["_row"] = raw.rows.astype("int64")
    return df


# -- writing text --------------------------------------------------------------------
def format_column(s: pd.Series, kind: str, *, indonesian: bool = False,
                  dmy: bool = False) -> pd.Series:
    """Typed column -> text as an export would write it ('' for empty)."""
    if kind in (schema.AMOUNT, schema.NUMBER):
        x = pd.to_numeric(s, errors="coerce").astype(float)
        isna = x.isna().to_numpy()
        integral = ~isna & (np.floor(x.fillna(0)) == x.fillna(0)).to_numpy()
        out = pd.Series([""] * len(x), index=s.index, dtype=object)
        if integral.any():
            out[integral] = x[integral].astype("int64").astype(str).to_numpy()
        frac = ~isna & ~integral
        if frac.any():
            vals = x[frac].round(2) if kind == schema.AMOUNT else x[frac]
            out[frac] = vals.map(repr).to_numpy()
        if indonesian:
            out = _indonesian(x).where(~isna, "")
        return out
    if kind == schema.INT:
        x = pd.to_numeric(s, errors="coerce").astype("Int64")
        return x.astype("string").fillna("").astype(object)
    if kind == schema.DATE:
        d = pd.to_datetime(s, errors="coerce")
        return d.dt.strftime("%d/%m/%Y" if dmy else "%Y-%m-%d").fillna("").astype(object)
    return s.astype(object).where(s.notna(), "").astype(str).astype(object)


def _indonesian(x: pd.Series) -> pd.Series:
    """-1234567.5 -> '-1.234.567,50', vectorised (millions of realisasi lines)."""
    v = x.fillna(0).to_numpy(float)
    cents = np.round(np.abs(v) * 100).astype("int64")
    whole = pd.Series(cents // 100, index=x.index)
    frac = pd.Series(cents % 100, index=x.index).astype(str).str.zfill(2)
    text = (whole % 1000).astype(str)
    text = text.where(whole < 1000, text.str.zfill(3))
    rest = whole // 1000
    while (rest > 0).any():
        g = (rest % 1000).astype(str)
        g = g.where(rest < 1000, g.str.zfill(3))
        text = text.where(rest == 0, g + "." + text)
        rest = rest // 1000
    sign = pd.Series(np.where((v < 0) & (cents > 0), "-", ""), index=x.index)
    return (sign + text + "," + frac).astype(object)
