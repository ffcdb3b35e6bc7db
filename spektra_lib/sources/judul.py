"""Title lines above a header (issue 27.6): an Excel or CSV export that starts with
"MONITORING SPP", the satker's name and a blank line is one problem, "header pada baris 4",
not "kolom ke-2 … tidak bernama" plus a problem for every row read under the wrong names.
A row is a header when it names a known layout's columns or three of a canonical table's."""
from __future__ import annotations

import numpy as np
import pandas as pd

HEADER_SCAN = 20      # rows looked at for a header below title lines


def _is_header(cells: list[str]) -> bool:
    """A row that names a known layout's columns, or at least three of a canonical table."""
    from .. import schema
    from .layout import recognise
    named = [c for c in cells if c]
    if len(named) < 3:
        return False
    if recognise(named) is not None:
        return True
    lower = {c.lower() for c in named}
    return any(len(lower & set(t.names)) >= 3 for t in schema.TABLES.values())


def title_message(below: int) -> str:
    above = "baris 1" if below == 2 else f"baris 1–{below - 1}"
    return (f"header pada baris {below}: {above} di atasnya berisi judul, bukan "
            "nama kolom; hapus baris judul itu (atau ekspor ulang tanpa judul) lalu ulangi")


def csv_header_line(text: str, sep: str) -> int | None:
    """The line (2..HEADER_SCAN) of a CSV whose cells are a header, its first line not one."""
    import csv
    lines = text.splitlines()[:HEADER_SCAN + 1]
    rows = list(csv.reader(lines, delimiter=sep))
    if not rows or _is_header([c.strip() for c in rows[0]]):
        return None
    for i, cells in enumerate(rows[1:], start=2):
        if _is_header([c.strip() for c in cells]):
            return i
    return None


def header_below(header: list[str], df: pd.DataFrame, rows: np.ndarray) -> int | None:
    """The user row of the real header when the first row is a title (an Excel export
    with "MONITORING SPP", the satker's name and a blank line above its header): the first
    row is not a header and has unnamed columns, a row among the next HEADER_SCAN is one."""
    if all(header) or _is_header(list(header)):
        return None
    for i in range(min(HEADER_SCAN, len(df))):
        cells = [str(c).strip() for c in df.iloc[i]]
        if _is_header(cells):
            return int(rows[i])
    return None
