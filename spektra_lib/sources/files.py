"""Reading raw files as text: CSV (pyarrow, or a careful reader for odd files), XLSX
(calamine, or openpyxl for formulas and DTDs), VFP XML and DBF/KEU (parse.py then types
the cells).

Every file is read with every cell as `str` (so that `017220` stays `017220`). Row
numbers: CSV and xlsx rows are the line a user sees (header = line 1); XML and DBF rows
are the record number (first record = 1). Whatever the bytes, a reader returns problems,
never raises (issue 11): a file that cannot be read at all is one `file:-: -: problem`.
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..problems import Problem
from .judul import csv_header_line, header_below, title_message
from .parse import RawTable


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
        below = csv_header_line(text, _sniff_sep(first))
        if below is not None:       # a title line, narrower than the table under it
            return unreadable(name, path, title_message(below), below)
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
    below = header_below(header, df, rows)
    if below is not None:
        # title lines above the header: one line saying so, not "kolom ke-2 … tidak bernama"
        # and a problem for every row read under the wrong names (issue 27.6)
        return df.iloc[0:0, 0:0], [Problem(name, below, None, title_message(below))]
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


