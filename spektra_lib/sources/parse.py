"""Reading raw files as text and parsing text cells into typed columns, vectorised.

Every file is first read with every cell as `str` (so that `017220` stays `017220`);
only then are the columns the schema calls numbers or dates parsed, with pandas string
operations (issue 7 ingests millions of lines). Each unparseable cell becomes one
Problem naming file, line and column; all of a file's problems are reported at once.

Row numbers: CSV and xlsx rows are the line a user sees (header = line 1); XML and DBF
rows are the record number (first record = 1).

Whatever the bytes, a reader returns problems, never raises (issue 11): a file that
cannot be read at all is one `file:-: -: problem`. Cells are refused when a number is
beyond the sanity ceilings of parameters/batas_input.yaml (or not finite), when text
holds control characters, or when a cell is longer than the ceiling.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
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


# -- reading text --------------------------------------------------------------------
def _sniff_sep(first_line: str) -> str:
    # Indonesian Excel saves `;`-separated CSV; count outside quotes is close enough.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def unreadable(name: str, path: Path, message: str, row: int | None = None) -> RawTable:
    """A file that gives no table: one problem naming it."""
    return RawTable(name, path, pd.DataFrame(), np.array([], int),
                    [Problem(name, row, None, message)])


def read_csv(path: Path, name: str) -> RawTable:
    try:
        if path.stat().st_size == 0:
            return unreadable(name, path, "berkas kosong (0 byte): tidak ada header maupun data")
        fast = _read_csv_arrow(path, name)
        if fast is not None:
            return fast
        data = path.read_bytes()
    except OSError as e:
        return unreadable(name, path, f"berkas tidak dapat dibuka ({e.strerror or 'galat I/O'})")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return unreadable(name, path, "berkas tersimpan sebagai teks UTF-16 (\"Unicode Text\"); "
                                      "simpan ulang sebagai CSV UTF-8.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return unreadable(name, path, f"berkas bukan teks UTF-8 (byte ke-{e.start + 1}); "
                                      "simpan ulang sebagai CSV UTF-8.")
    del data
    first = text.split("\n", 1)[0]
    try:
        # header=None: the header as written (pandas would rename a repeated or empty
        # name to 'x.1' / 'Unnamed: 3'); fix_header says what is wrong with it
        df = pd.read_csv(io.StringIO(text), sep=_sniff_sep(first), dtype=str, header=None,
                         keep_default_na=False, na_filter=False, skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        return unreadable(name, path, "berkas tidak berisi header maupun data")
    except (pd.errors.ParserError, ValueError, OverflowError, MemoryError) as e:
        # a ragged row: say which line, in the user's words, instead of a traceback
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        line = int(m.group(2)) if m else None
        what = (f"baris ini berisi {m.group(3)} kolom, padahal header {m.group(1)} kolom "
                "(pemisah di dalam teks? beri tanda kutip)") if m else _csv_trouble(str(e))
        return unreadable(name, path, what, line)
    header = [str(c).strip() for c in df.iloc[0]] if len(df) else []
    df = df.iloc[1:].reset_index(drop=True)
    rows = np.arange(2, len(df) + 2)
    df, problems = fix_header(name, header, df, rows)
    return _drop_blank(RawTable(name, path, df, rows, problems))


def fix_header(name: str, header: list[str], df: pd.DataFrame,
               rows: np.ndarray) -> tuple[pd.DataFrame, list[Problem]]:
    """`df` (columns by position) named by `header`. A column without a name is dropped
    when it is empty (a trailing separator) and a problem when it holds data; a name
    written twice (also in another case: readers compare names upper-cased) is a
    problem, and only its first column is kept, so that no reader meets two."""
    problems, keep, seen = [], [], {}
    for i, h in enumerate(header):
        if h == "":
            filled = np.flatnonzero((df.iloc[:, i].astype(str).str.strip() != "").to_numpy(bool))
            if len(filled):
                problems.append(Problem(name, 1, None, (
                    f"kolom ke-{i + 1} tidak bernama padahal berisi data (mis. baris "
                    f"{int(rows[filled[0]])}); beri nama kolomnya atau hapus isinya")))
            continue
        if h.upper() in seen:
            problems.append(Problem(name, 1, h, (
                f"nama kolom ganda: kolom ke-{seen[h.upper()] + 1} dan ke-{i + 1}; hapus salah "
                "satunya")))
            continue
        seen[h.upper()] = i
        keep.append(i)
    out = df.iloc[:, keep].copy()
    out.columns = [header[i] for i in keep]
    return out, problems


def _csv_trouble(detail: str) -> str:
    """pandas' reason as the user's words (the usual ones); the rest generically."""
    d = detail.lower()
    if "eof inside string" in d or "eof in" in d:
        return "CSV tidak dapat dibaca: tanda kutip (\") tidak ditutup sampai akhir berkas"
    if "overflow" in d or "too large" in d or "memory" in d:
        return "CSV tidak dapat dibaca: satu sel atau baris terlalu besar"
    return "CSV tidak dapat dibaca: susunan baris dan tanda kutipnya tidak sah"


def _drop_blank(raw: RawTable) -> RawTable:
    df = raw.df
    if not len(df.columns):
        return raw
    blank = np.ones(len(df), bool)
    for c in df.columns:
        blank &= (df[c] == "").to_numpy(bool)
    if blank.any():
        raw.df, raw.rows = df.loc[~blank].reset_index(drop=True), raw.rows[~blank]
    return raw


def _arrow_plan(path: Path) -> tuple[list[str], str] | None:
    """(header, separator) when pyarrow's reader gives what the careful reader would;
    None when the file needs the careful reader: not UTF-8, an empty line (pandas keeps
    its line number), an odd header."""
    from pyarrow import csv as pacsv
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    head = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    try:
        first = head.split(b"\n", 1)[0].decode("utf-8")
    except UnicodeDecodeError:
        return None
    sep = _sniff_sep(first)
    try:
        names = next(iter(pacsv.read_csv(io.BytesIO(first.encode() + b"\n"), parse_options=
                     pacsv.ParseOptions(delimiter=sep), read_options=pacsv.ReadOptions(
                         autogenerate_column_names=True)).to_pylist()), {})
    except Exception:  # noqa: BLE001 -- the careful reader gives the message
        return None
    header = ["" if v is None else str(v).strip() for v in names.values()]  # empty: null
    if not header or "" in header or len({h.upper() for h in header}) != len(header) \
            or _has_empty_line(path):
        return None
    return header, sep


def _arrow_options(header: list[str], sep: str, block_size: int = 1 << 24):
    import pyarrow as pa
    from pyarrow import csv as pacsv
    return dict(read_options=pacsv.ReadOptions(column_names=header, skip_rows=1,
                                               block_size=block_size),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in header}, strings_can_be_null=False,
                    quoted_strings_can_be_null=False))


def _arrow_frame(table) -> pd.DataFrame:
    import pyarrow as pa
    return table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow", na_value=np.nan)
                           if t == pa.string() else None)


def _read_csv_arrow(path: Path, name: str) -> RawTable | None:
    """pyarrow's reader (multi-threaded, text kept as Arrow strings: issue 7 files have
    millions of lines); None when the careful reader is needed (see _arrow_plan) or on a
    ragged row."""
    from pyarrow import csv as pacsv
    plan = _arrow_plan(path)
    if plan is None:
        return None
    try:
        table = pacsv.read_csv(path, **_arrow_options(*plan))
    except Exception:  # noqa: BLE001
        return None
    df = _arrow_frame(table)
    del table
    return _drop_blank(RawTable(name, path, df, np.arange(2, len(df) + 2), []))


STREAM_BLOCK = 1 << 22    # bytes pyarrow reads per batch in iter_csv (tests make it small)


class CarefulReaderNeeded(Exception):
    """Raised by iter_csv when pyarrow cannot read the rest of the file as read_csv would."""


def csv_header(path: Path) -> list[str] | None:
    """The header as read_csv would give it, when the file can be streamed (iter_csv)."""
    plan = _arrow_plan(path)
    return None if plan is None else plan[0]


def iter_csv(path: Path, name: str, rows: int = 500_000):
    """read_csv in slices of about `rows` lines (same cells, same row numbers), so that a
    file of millions of lines is parsed slice by slice and its text never all in memory.

    Yields at least one RawTable (the header alone for an empty file). Raises
    CarefulReaderNeeded, possibly after some slices, when the file needs read_csv's
    careful reader: the caller then drops what it got and calls read_csv.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv
    plan = _arrow_plan(path)
    if plan is None:
        raise CarefulReaderNeeded(name)
    header, sep = plan
    start, pending, n, sent = 2, [], 0, False

    def flush():
        table = pa.Table.from_batches(pending, schema=pending[0].schema)
        df = _arrow_frame(table)
        del table
        return _drop_blank(RawTable(name, path, df, np.arange(start, start + len(df)), []))
    try:
        reader = pacsv.open_csv(path, **_arrow_options(header, sep, STREAM_BLOCK))
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            pending.append(batch)
            n += batch.num_rows
            if n >= rows:
                raw = flush()
                start, pending, n, sent = start + n, [], 0, True
                yield raw
    except (pa.ArrowInvalid, UnicodeDecodeError) as e:
        raise CarefulReaderNeeded(name) from e
    if pending:
        yield flush()
    elif not sent:
        yield RawTable(name, path, pd.DataFrame({c: pd.Series([], dtype=object) for c in header}),
                       np.array([], int), [])


def _has_empty_line(path: Path) -> bool:
    # Read in blocks, not mmap: mapped pages of a 2 GB file count in the peak RSS.
    tail = b""
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            if b"\n\n" in tail + block[:2] or b"\n\r\n" in tail + block[:2] \
                    or b"\n\n" in block or b"\n\r\n" in block:
                return True
            tail = block[-2:]
    return False


def cell_text(v) -> str:
    """A typed cell (xlsx, JSON) as text for the parsers: numbers with a decimal comma
    (`1,875`), so that parse_number never reads a number's decimal point as the thousands
    dot of an Indonesian amount (`1.875` is 1875 rupiah as text)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not np.isfinite(v):
            return repr(v)
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return np.format_float_positional(v, trim="-").replace(".", ",")
    return str(v).strip()


_cell_text = cell_text


def read_xlsx(path: Path, name: str) -> list[RawTable]:
    """Each sheet a RawTable named `book.xlsx[sheet]`; formula cells are refused.

    A file that is not a readable workbook gives one RawTable named `book.xlsx[]` (so
    that callers slicing the sheet name out of it keep working) with one problem."""
    try:
        return _read_xlsx(path, name)
    except Exception as e:  # noqa: BLE001 -- any failure here is the user's file
        raw = unreadable(name, path, _xlsx_trouble(e))
        raw.name = f"{name}[]"
        return [raw]


def _xlsx_trouble(e: BaseException) -> str:
    import zipfile
    chain, c = [], e
    while c is not None and len(chain) < 10:
        chain.append(c)
        c = c.__cause__ or c.__context__
    names = {type(c).__name__ for c in chain}
    if names & {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden",
                "NotSupportedError"}:
        return ("workbook berisi deklarasi DTD/entitas XML, yang tidak diterima demi "
                "keamanan; simpan ulang dari Excel sebagai .xlsx")
    if any(isinstance(c, zipfile.BadZipFile) for c in chain):
        return ("bukan workbook Excel .xlsx yang sah (bukan arsip zip: mungkin .xls lama, "
                "CSV yang diberi nama .xlsx, atau berkas rusak); simpan ulang dari Excel "
                "sebagai .xlsx")
    if any(isinstance(c, KeyError) for c in chain) or "InvalidFileException" in names:
        return ("bukan workbook Excel .xlsx yang sah (isi arsipnya tidak lengkap); simpan "
                "ulang dari Excel sebagai .xlsx")
    if any(isinstance(c, MemoryError) for c in chain):
        return "workbook terlalu besar untuk dibaca"
    return "workbook tidak dapat dibaca (isi XML-nya rusak); simpan ulang dari Excel sebagai .xlsx"


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _plain_workbook(path: Path) -> bool:
    """True when no part of the workbook declares a DTD and no sheet holds a formula: it
    can then be read by calamine (Rust, ~70× faster than openpyxl on a 37,000-row workbook,
    benchmarks/ingest_layouts.py). Otherwise openpyxl's careful path names every formula
    cell and refuses a DTD."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            with z.open(info) as f:
                head = f.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    return False
                if "worksheets/" not in info.filename:
                    continue
                tail = head
                while block := f.read(1 << 20):
                    if _FORMULA.search(tail[-16:] + block):
                        return False
                    tail = block
                if _FORMULA.search(head):
                    return False
    return True


def _read_xlsx_calamine(path: Path, name: str) -> list[RawTable] | None:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:   # the careful reader does the same, slower
        return None
    wb = CalamineWorkbook.from_path(str(path))
    out = []
    for sheet in wb.sheet_names:
        label = f"{name}[{sheet}]"
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        if not rows:
            continue
        header = [_cell_text(v).strip() for v in rows[0]]
        vals, line_no = [], []
        for r_idx, row in enumerate(rows[1:], start=2):
            cells = [_cell_text(v).strip() for v in row]
            if any(cells):
                vals.append(cells)
                line_no.append(r_idx)
        while header and header[-1] == "" and not any(v[len(header) - 1] for v in vals):
            header.pop()
        width = max([len(header)] + [len(v) for v in vals])
        header = header + [""] * (width - len(header))
        df = pd.DataFrame([v + [""] * (width - len(v)) for v in vals], columns=range(width),
                          dtype=object)
        if not len(df):
            df = pd.DataFrame(columns=range(width), dtype=object)
        rows_arr = np.array(line_no, int)
        df, header_problems = fix_header(label, header, df, rows_arr)
        out.append(RawTable(label, path, df, rows_arr, header_problems))
    return out


def _read_xlsx(path: Path, name: str) -> list[RawTable]:
    if _plain_workbook(path):
        fast = _read_xlsx_calamine(path, name)
        if fast is not None:
            return fast
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    out = []
    try:
        for ws in wb.worksheets:
            label = f"{name}[{ws.title}]"
            problems: list[Problem] = []
            rows_vals: list[list[str]] = []
            header: list[str] | None = None
            line_no: list[int] = []
            for r_idx, row in enumerate(ws.iter_rows(), start=1):
                vals = []
                for c_idx, cell in enumerate(row):
                    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type != "s"
                                                 and cell.value.startswith("=")):
                        col = header[c_idx] if header and c_idx < len(header) else None
                        problems.append(Problem(label, r_idx, col, (
                            f"sel {getattr(cell, 'coordinate', '')} berisi rumus {str(cell.value)!r}: "
                            "rumus tidak diterima sebagai data, simpan nilainya saja").replace("sel  ", "sel ")))
                        vals.append("")
                    else:
                        vals.append(_cell_text(cell.value).strip())
                if header is None:
                    header = vals
                    continue
                if any(vals):
                    rows_vals.append(vals)
                    line_no.append(r_idx)
            if header is None:
                continue
            # as wide as the widest row: a value beyond the named columns is reported
            # by fix_header, never cut off silently
            width = max([len(header)] + [len(v) for v in rows_vals])
            header = header + [""] * (width - len(header))
            df = pd.DataFrame([v + [""] * (width - len(v)) for v in rows_vals],
                              columns=range(width), dtype=object)
            if not len(df):
                df = pd.DataFrame(columns=range(width), dtype=object)
            rows = np.array(line_no, int)
            df, header_problems = fix_header(label, header, df, rows)
            out.append(RawTable(label, path, df, rows, problems + header_problems))
    finally:
        wb.close()
    return out


XML_BLOCK = 50_000   # records kept as python str before moving to Arrow


def read_xml(path: Path, name: str) -> RawTable:
    """VFP-style export: <VFPData><c_item><thang>..</thang>..</c_item>..</VFPData>.

    Streamed (issue 7: a national d_item.xml has a million records): each record is
    cleared once read and cells go to one list per column, moved to Arrow strings every
    XML_BLOCK records. Columns appear in the order their tag is first seen; a record
    without a tag has '' there. Text is Arrow-backed like read_csv's.
    """
    import pyarrow as pa
    from defusedxml import ElementTree as ET
    done: dict[str, list] = {}      # column -> Arrow chunks of the flushed records
    cur: dict[str, list[str]] = {}  # column -> cells of the records since the last flush
    n = flushed = 0

    def new_column(tag: str) -> list[str]:
        done[tag] = [pa.array([""] * flushed, pa.string())] if flushed else []
        cur[tag] = [""] * (n - flushed)
        return cur[tag]

    try:
        depth = 0
        root = None
        current: dict[str, str] | None = None
        for event, elem in ET.iterparse(str(path), events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1:
                    root = elem
                elif depth == 2:
                    current = {}
                continue
            if depth == 3 and current is not None:
                current[elem.tag.upper()] = (elem.text or "").strip()
            elif depth == 2 and current is not None:
                for tag, v in current.items():
                    cells = cur.get(tag)
                    (new_column(tag) if cells is None else cells).append(v)
                n += 1
                if len(current) < len(cur):
                    for cells in cur.values():
                        if len(cells) < n - flushed:
                            cells.append("")
                current = None
                root.clear()   # drop the record just read (and its cleared siblings)
                if n - flushed >= XML_BLOCK:
                    for tag, cells in cur.items():
                        done[tag].append(pa.array(cells, pa.string()))
                        cur[tag] = []
                    flushed = n
            depth -= 1
    except Exception as e:  # noqa: BLE001 -- any parse error is the user's file
        return unreadable(name, path, "XML tidak dapat dibaca: " + _xml_trouble(e))
    if not n:
        return RawTable(name, path, pd.DataFrame(), np.array([], int), [])
    table = pa.table({tag: pa.chunked_array(done[tag] + [pa.array(cells, pa.string())],
                                            pa.string()) for tag, cells in cur.items()})
    del done, cur
    df = table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow", na_value=np.nan)
                         if t == pa.string() else None)
    return RawTable(name, path, df, np.arange(1, n + 1), [])


def _xml_trouble(e: BaseException) -> str:
    kind = type(e).__name__
    if kind in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden",
                "NotSupportedError"):
        return "berisi deklarasi DTD/entitas, yang tidak diterima demi keamanan"
    pos = getattr(e, "position", None)
    where = f" di baris {pos[0]}, kolom {pos[1] + 1}" if pos else ""
    if isinstance(e, MemoryError):
        return "berkas terlalu besar"
    return f"susunan XML tidak sah{where} (berkas terpotong atau rusak?)"


def read_dbf(path: Path, name: str) -> RawTable:
    from dbfread import DBF
    try:
        table = DBF(str(path), raw=True, char_decode_errors="replace")
        fields = [f.upper() for f in table.field_names]
        recs = [[(v or b"").decode("cp1252", "replace").strip() for v in r.values()] for r in table]
    except Exception:  # noqa: BLE001 -- any failure here is the user's file
        return unreadable(name, path, "DBF tidak dapat dibaca: berkas rusak atau bukan tabel "
                                      "DBF/FoxPro")
    df = pd.DataFrame(recs, columns=fields, dtype=object)
    return RawTable(name, path, df, np.arange(1, len(df) + 1), [])


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
