"""One self-contained HTML page (styles inline, charts as inline SVG, no external request).

The PDF export prints this same page with Chromium, so the print rules live here too:
A4 landscape, the table header repeated on every page (thead), "Halaman x dari y".
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from .common import KOSONG, Grid, Meta, display_text

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")

CSS = """
@page { size: A4 landscape; margin: 12mm 10mm 14mm 10mm;
  @bottom-left { content: %(footer)s; font: 7pt 'DejaVu Sans', sans-serif; color: #555; }
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages);
                  font: 7pt 'DejaVu Sans', sans-serif; color: #555; } }
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 13px;
       color: #1b1f24; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 6px 0; }
h2 { font-size: 15px; margin: 16px 0 6px 0; break-after: avoid; }
.meta { margin: 0 0 14px 0; border-collapse: collapse; }
.meta th { text-align: left; padding: 1px 12px 1px 0; font-weight: 600; }
.meta td { padding: 1px 0; }
.chart { margin: 8px 0 16px 0; }
.chart svg { max-width: 100%%; height: auto; }
table.laporan { border-collapse: collapse; width: 100%%; }
table.laporan th { background: #DDE3EA; border: 1px solid #B0B7BF; padding: 3px 5px;
                   text-align: center; }
table.laporan td { border: 1px solid #D5DAE0; padding: 2px 5px; vertical-align: top; }
table.laporan td.n { text-align: right; white-space: nowrap; }
table.laporan tr.induk td { font-weight: 700; }
table.laporan tbody.blok { break-inside: avoid; }
@media print {
  body { margin: 0; font-size: 9pt; }
  h1 { font-size: 14pt; }
  table.laporan { font-size: %(table_pt)spt; }
  table.lebar { font-family: 'DejaVu Sans Condensed', 'Liberation Sans Narrow', sans-serif; }
  table.lebar td, table.lebar th { padding: 1px 2px; }
  table.lebar td:nth-child(2) { min-width: 28mm; }
  table.lebar th:nth-child(n+5) { width: 6%%; }   /* months equally wide */
  table.laporan thead { display: table-header-group; }
  table.laporan tr { break-inside: avoid; }
  .chart { break-inside: avoid; }
}
"""


def css_string(text: str) -> str:
    """A CSS string literal that no data can break out of."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " .,:;-()/%":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def render(grids: list[Grid], meta: Meta, *, charts_svg: list[str] = (),
           sections: list[tuple[str, Grid | None, str | None]] | None = None) -> str:
    """One report (charts, then grids[0]); or `sections` of (heading, table, chart SVG)
    under one title block (the dashboard)."""
    if sections is None:
        sections = [("", None, svg) for svg in charts_svg] + [("", grids[0], None)]
    tables = [g for _, g, _ in sections if g is not None]
    wide = any(len(g.columns) > 12 for g in tables)
    footer = css_string(f"{meta.judul} — {meta.scope} — {meta.periode}".strip(" —"))
    style = CSS % {"footer": footer, "table_pt": "5.8" if wide else "7.5"}
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="id"><head><meta charset="utf-8">',
             f"<title>{e(meta.judul)}</title>", f"<style>{style}</style></head><body>",
             f"<h1>{e(meta.judul)}</h1>", '<table class="meta">']
    parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in meta.lines()]
    parts.append("</table>")
    for heading, grid, svg in sections:
        if heading:
            parts.append(f"<h2>{e(heading)}</h2>")
        if svg:
            parts.append(f'<div class="chart">{_strip_xml_declaration(svg)}</div>')
        if grid is not None:
            wide_one = len(grid.columns) > 12
            parts.append(table(grid, css_class="laporan lebar" if wide_one else "laporan"))
    parts.append("</body></html>")
    return "\n".join(parts)


def table(grid: Grid, css_class: str = "laporan") -> str:
    e = html.escape
    head = "".join(f"<th>{e(c.header)}</th>" for c in grid.columns)
    out = [f'<table class="{css_class}"><thead><tr>{head}</tr></thead>']
    # A node's Rencana / Realisasi / Deviasi rows stay together on a page.
    blocks = _blocks(grid)
    # only the 3-row node blocks stay whole; a plain table must not jump to page 2
    grouped = _is_wide(grid)
    if not grid.rows:
        out.append(f'<tbody><tr><td colspan="{len(grid.columns)}">{KOSONG}</td></tr></tbody>')
    for block in blocks:
        out.append('<tbody class="blok">' if grouped and len(block) > 1 else "<tbody>")
        for row in block:
            cells = []
            for j, (v, kind) in enumerate(zip(row.values, row.kinds)):
                attrs = ""
                if kind != "text":
                    attrs += ' class="n"'
                style = []
                fill = row.fills.get(j)
                if fill and _HEX.match(fill):
                    style.append(f"background:#{fill}")
                if row.indent and j in grid.text_columns:
                    # capped: eight levels of full indent would starve a narrow column
                    style.append(f"padding-left:{0.3 + 0.45 * min(row.indent, 7):.1f}em")
                if style:
                    attrs += f' style="{";".join(style)}"'
                cells.append(f"<td{attrs}>{e(display_text(v, kind))}</td>")
            cls = ' class="induk"' if row.bold else ""
            out.append(f"<tr{cls}>{''.join(cells)}</tr>")
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _is_wide(grid: Grid) -> bool:
    return bool(grid.columns and grid.columns[0].key == "kode" and len(grid.columns) > 2
                and grid.columns[2].key == "baris")


def _blocks(grid: Grid) -> list[list]:
    if not _is_wide(grid):
        return [grid.rows]
    return [grid.rows[i:i + 3] for i in range(0, len(grid.rows), 3)]


def _strip_xml_declaration(svg: str) -> str:
    return re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)


def write_html(grids: list[Grid], path: Path, meta: Meta, *, charts_svg: list[str] = ()) -> Path:
    Path(path).write_text(render(grids, meta, charts_svg=charts_svg), encoding="utf-8")
    return Path(path)
