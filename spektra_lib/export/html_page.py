"""One self-contained HTML page (styles inline, charts as inline SVG, no external request).

The PDF export prints this same page with Chromium, so the print rules live here too:
A4 landscape, the table header repeated on every page (thead), "Halaman x dari y".
The page comes from templates/laporan.html.j2 with autoescape: data text is passed as
plain strings. Column widths follow the grid's character widths (the catalog's width
classes): a wide text column wraps, numbers never do.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from ..present.kolom import jenis as jenis_kolom
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
.meta th { text-align: left; padding: 1px 12px 1px 0; font-weight: 700; }
.meta td { padding: 1px 0; }
.chart { margin: 8px 0 16px 0; }
.chart svg { max-width: 100%%; height: auto; }
/* the chart's "sans-serif" as the page's font: one font subset for both in a PDF */
.chart svg text { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; }
table.laporan { border-collapse: collapse; width: 100%%; }
table.laporan th { background: #DDE3EA; border: 1px solid #B0B7BF; padding: 3px 5px;
                   text-align: center; }
table.laporan td { border: 1px solid #D5DAE0; padding: 2px 5px; vertical-align: top; }
table.laporan td.n { text-align: right; white-space: nowrap; }
table.laporan tr.induk td { font-weight: 700; }
table.laporan tbody.blok { break-inside: avoid; }
table.laporan col.lebar { width: 40%%; }
table.laporan col.sempit { width: 1%%; }
@media print {
  body { margin: 0; font-size: 9pt; }
  h1 { font-size: 14pt; }
  table.laporan { font-size: %(table_pt)spt; }
  table.lebar { font-family: 'DejaVu Sans Condensed', 'Liberation Sans Narrow', sans-serif; }
  table.lebar td, table.lebar th { padding: 1px 2px; }
  table.bulanan td:nth-child(2) { min-width: 28mm; }
  table.bulanan th:nth-child(n+5) { width: 6%%; }   /* months equally wide (deviasi) */
  /* On paper rows are told apart by rules, not a full grid: a cell's four borders are
     drawn one by one and made half of a deviasi PDF (1.47 -> 0.92 MB for the central
     satker). Plain tables: a line under each row; deviasi: one under each node's block. */
  table.laporan td { border: 0; border-bottom: 0.5pt solid #D5DAE0; }
  table.lebar td { border-bottom: 0; }
  table.lebar tbody.blok { border-bottom: 0.5pt solid #B0B7BF; }
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


@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("spektra_lib.export", "templates"), autoescape=True)


def render(grids: list[Grid], meta: Meta, *, charts_svg: list[str] = (),
           sections: list[tuple[str, Grid | None, str | None]] | None = None) -> str:
    """One report (charts, then grids[0]); or `sections` of (heading, table, chart SVG)
    under one title block (the dashboard)."""
    if sections is None:
        sections = [("", None, svg) for svg in charts_svg] + [("", grids[0], None)]
    tables = [s[1] for s in sections if s[1] is not None]
    style = _style(f"{meta.judul} — {meta.scope} — {meta.periode}",
                   any(len(g.columns) > 12 for g in tables))
    shown = [_section(*s) for s in sections]
    return _env().get_template("laporan.html.j2").render(
        meta=meta, style=Markup(style), sections=shown, kosong=KOSONG)


def _style(footer: str, wide: bool) -> str:
    return CSS % {"footer": css_string(footer.strip(" —")), "table_pt": _table_pt(wide)}


def _table_pt(wide: bool) -> str:
    return "5.8" if wide else "7.5"


# -- several reports as one printable document (the combined PDF) -------------------------
COVER_CSS = """
.sampul { page: sampul; }
.sampul .instansi { color: #555; margin: 0 0 40px 0; }
.sampul h1 { font-size: 24px; margin-bottom: 16px; }
.isi { max-width: 200mm; }
.isi p.kepala { display: flex; justify-content: space-between; color: #555; margin: 0;
                border-bottom: 0.5pt solid #B0B7BF; }
ol.isi { padding-left: 1.6em; margin-top: 4px; }
ol.isi li { margin: 5px 0; }
/* One link per line: its box is where pdf.finish_combined writes the start page
   (the number is known only after printing), right-aligned in the empty span. */
ol.isi li a { display: flex; color: inherit; text-decoration: none; }
ol.isi li a span.hal { margin-left: auto; min-width: 4em; }
section.bagian { break-before: page; }
"""
# Where a page's own footer text and table size sit in its <style> (CSS above).
_FOOTER = re.compile(r'@bottom-left \{ content: ("(?:[^"\\]|\\.)*");')
_TABLE_PT = re.compile(r"table\.laporan \{ font-size: ([\d.]+)pt; \}")
_BODY = re.compile(r"<body>(.*)</body>", re.S)


def combine(pages: list[tuple[str, str, str]], meta: Meta) -> str:
    """One printable document of several report pages: a cover (meta's title block and a
    contents list linking to each report), then each report from a new page with its own
    title block and footer (a CSS named page per report) as its own PDF has.

    `pages`: (id, contents title, the report's page from render()). The id becomes the
    report's section id: Chromium turns a linked id into a PDF named destination."""
    css = [_style(f"{meta.judul} — {meta.scope} — {meta.periode}", False), COVER_CSS]
    parts = []
    for i, (ident, judul, page) in enumerate(pages, 1):
        footer = _FOOTER.search(page)
        size = _TABLE_PT.search(page)
        body = _BODY.search(page)
        if body is None:
            raise ValueError(f"Halaman cetak '{ident}' tidak lengkap.")
        content = footer.group(1) if footer else '""'
        pt = size.group(1) if size else _table_pt(False)
        css.append(f".b{i} {{ page: b{i}; }}\n"
                   f"@page b{i} {{ @bottom-left {{ content: {content}; }} }}\n"
                   f"@media print {{ .b{i} table.laporan {{ font-size: {pt}pt; }} }}")
        parts.append({"id": ident, "judul": judul, "kelas": f"b{i}",
                      "body": Markup(body.group(1))})
    return _env().get_template("gabungan.html.j2").render(
        meta=meta, style=Markup("\n".join(css)), bagian=parts)


def _section(heading: str, grid: Grid | None, svg: str | None, anchor: str = "") -> dict:
    out = {"heading": heading, "id": anchor, "grid": grid,
           "svg": Markup(_strip_xml_declaration(svg)) if svg else ""}
    if grid is not None:
        grouped = _is_wide(grid)
        out["kelas"] = ("laporan lebar" if len(grid.columns) > 12 else "laporan") + \
            (" bulanan" if grouped else "")
        out["lebar"] = [_width_class(c) for c in grid.columns]
        out["persen"] = _wide_shares(grid.columns, out["lebar"])
        blocks = _blocks(grid)
        out["blocks"] = [{"blok": grouped and len(b) > 1, "rows": [_row(grid, r) for r in b]}
                         for b in blocks]
    return out


def _width_class(col) -> str:
    """The catalog's width class back from the grid's character width."""
    if jenis_kolom(col.kind).kanan_di_berkas:
        return "angka"
    return "lebar" if col.width >= 30 else ("sempit" if col.width <= 8 else "sedang")


def _wide_shares(columns, classes: list[str]) -> list[str]:
    """The wide text columns' share of the page ("40%"), by their text length: one wide
    column 40 %, several share up to 75 % (Capaian: RO name, rule messages and the draft
    keterangan, which otherwise wrapped to eight lines a row)."""
    wide = [c.width for c, k in zip(columns, classes) if k == "lebar"]
    total, room = sum(wide), min(40 * len(wide), 75)
    return [f"{room * c.width / total:.0f}%" if k == "lebar" else ""
            for c, k in zip(columns, classes)]


def _row(grid: Grid, row) -> dict:
    cells = []
    for j, (v, kind) in enumerate(zip(row.values, row.kinds)):
        style = []
        fill = row.fills.get(j)
        if fill and _HEX.match(fill):
            style.append(f"background:#{fill}")
        if row.indent and j in grid.text_columns:
            # capped: eight levels of full indent would starve a narrow column
            style.append(f"padding-left:{0.3 + 0.45 * min(row.indent, 7):.1f}em")
        cells.append({"n": jenis_kolom(kind).kanan_di_berkas, "style": ";".join(style),
                      "text": display_text(v, kind)})
    return {"bold": row.bold, "cells": cells}


def table(grid: Grid, css_class: str = "laporan") -> str:
    """One grid as an HTML table (the same markup as in a page)."""
    page = _env().get_template("laporan.html.j2").render(
        meta=Meta(judul=""), style="", kosong=KOSONG,
        sections=[_section("", grid, None) | {"kelas": css_class}])
    return page[page.index("<table class=\"" + css_class):page.rindex("</table>") + 8]


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
