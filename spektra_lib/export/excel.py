"""Excel workbook (openpyxl): real numbers with display formats, outline, colour bands.

Each column kind's number format is present/kolom.py's: `#,##0` shows 1.234.567 in an
Indonesian Excel (the separators follow the reader's locale); percentages stay 0-100
numbers shown with `0.00" %"`; a kind without a number format is written as its text.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..present.kolom import jenis as jenis_kolom
from .common import KOSONG, Grid, Meta

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
THIN = Side(style="thin", color="B0B7BF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)


def write_xlsx(grids: list[Grid], path: Path, meta: Meta, *,
               metas: list[Meta] | None = None) -> Path:
    """One sheet per grid; `metas` gives a sheet its own title block (the dashboard)."""
    wb = Workbook()
    wb.remove(wb.active)
    for i, grid in enumerate(grids):
        _sheet(wb, grid, metas[i] if metas else meta)
    wb.save(path)
    return path


def _sheet(wb: Workbook, grid: Grid, meta: Meta) -> None:
    ws = wb.create_sheet(grid.title[:31])
    ws.sheet_properties.outlinePr.summaryBelow = False   # the +/- sits on the parent row
    ws.cell(1, 1, meta.judul).font = Font(bold=True, size=14)
    ws.cell(1, 1).data_type = "s"
    r = 2
    for label, text in meta.lines():
        ws.cell(r, 1, f"{label}:").font = BOLD
        _text(ws.cell(r, 2), text)
        r += 1
    head = r + 1
    for j, col in enumerate(grid.columns, start=1):
        c = ws.cell(head, j, col.header)
        c.font, c.fill, c.border = BOLD, HEADER_FILL, BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = col.width + 1
    styles = _Styles(ws)
    for i, row in enumerate(grid.rows, start=head + 1):
        for j, (v, kind) in enumerate(zip(row.values, row.kinds), start=1):
            cell = ws.cell(i, j)
            fmt = None
            if v is not None:
                jenis = jenis_kolom(kind)
                num = jenis.nilai_excel(v)
                if num is None:
                    # not a number after all (or a kind read as text): written as text
                    _text(cell, v if jenis.excel else jenis.tampil(v))
                else:
                    cell.value = num
                    fmt = jenis.excel
            indent = row.indent if row.indent and (j - 1) in grid.text_columns else 0
            key = (fmt, row.bold, row.fills.get(j - 1), indent)
            if key != (None, False, None, 0):
                cell._style = styles.get(key)
        if row.outline:
            ws.row_dimensions[i].outline_level = row.outline
    if not grid.rows:
        _text(ws.cell(head + 1, 1), KOSONG)
    last = head + len(grid.rows)
    ws.freeze_panes = ws.cell(head + 1, 3 if grid.hierarchical else 1)
    ws.auto_filter.ref = f"A{head}:{get_column_letter(len(grid.columns))}{max(last, head)}"
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{head}:{head}"
    if [c.key for c in grid.columns] == ["bulan", "rencana_kumulatif", "realisasi_kumulatif"]:
        _rpd_chart(ws, head, len(grid.rows))


class _Styles:
    """A cell's style (number format, bold, fill, indent) made once per combination and
    copied onto each cell: setting font / fill / format cell by cell registers each
    style anew in the workbook (most of the time of a deviasi workbook)."""

    def __init__(self, ws):
        self.ws, self.cache = ws, {}

    def get(self, key):
        from copy import copy
        if key not in self.cache:
            fmt, bold, fill, indent = key
            proto = self.ws.cell(self.ws.max_row + 1, 1)
            if fmt:
                proto.number_format = fmt
            if bold:
                proto.font = BOLD
            if fill:
                proto.fill = PatternFill("solid", fgColor=fill)
            if indent:
                proto.alignment = Alignment(indent=indent)
            self.cache[key] = proto._style
            del self.ws._cells[(proto.row, proto.column)]
        return copy(self.cache[key])


def _rpd_chart(ws, head: int, n: int) -> None:
    """A native Excel line chart beside the RPD chart report's table (it follows edits)."""
    from openpyxl.chart import LineChart, Reference
    chart = LineChart()
    chart.title = "Rencana Penarikan Dana dan Realisasi (kumulatif)"
    chart.y_axis.title, chart.y_axis.numFmt = "Rupiah", "#,##0"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=head, max_row=head + n),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + n))
    chart.series[0].graphicalProperties.line.solidFill = "000000"
    chart.series[1].graphicalProperties.line.solidFill = "1F4E9C"
    chart.width, chart.height = 22, 10
    ws.add_chart(chart, f"E{head}")


def _text(cell, v) -> None:
    """Text from data stays text: `=HYPERLINK(..)` or `@SUM(..)` must never run."""
    cell.value = str(v)
    cell.data_type = "s"
