"""The first rows of every sheet of a workbook, read once per file by calamine and shared by
the recognisers of the Excel reports (GLP039, RKK, Form Cetak POK / Daftar SP2D): calamine
loads a whole sheet to give its first rows, so three recognisers each opening a 37,000-row
canonical workbook cost three loads (issue 24 measured 1,2–1,6 s each)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ROWS = 30      # the deepest a recogniser looks (Daftar SP2D header_search)


@lru_cache(maxsize=4)
def _heads(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, tuple[tuple, ...]], ...]:
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        out.append((name, tuple(tuple(r) for _, r in zip(range(ROWS), sheet.iter_rows()))))
    return tuple(out)


def heads(path: Path) -> list[tuple[str, list[list]]]:
    """[(sheet name, its first ROWS rows as value lists)]; raises when calamine cannot
    open the file (the caller then lets the careful reader say why)."""
    st = Path(path).stat()
    return [(n, [list(r) for r in rows])
            for n, rows in _heads(str(path), st.st_mtime_ns, st.st_size)]


class Rows:
    """Head rows shaped like openpyxl's worksheet.iter_rows (sakti_xlsx.recognise)."""

    def __init__(self, rows: list[list]):
        self.rows = rows

    def iter_rows(self, max_row: int, values_only: bool = True):
        yield from self.rows[:max_row]
