"""Word document (python-docx): A4 landscape, title block, banded table, charts as PNG.

Table rows are written as WordprocessingML in one piece: python-docx's cell-by-cell API
takes minutes on a satker's deviasi detail (thousands of rows × 16 columns).
"""
from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt

from ..present.kolom import jenis as jenis_kolom
from .common import KOSONG, Grid, Meta, display_text

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
# Characters XML 1.0 forbids; a stray control character in an uraian must not break the file.
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
USABLE_TWIPS = int((297 - 2 * 12) * 56.7)


# Styles the documents use (and what they are based on / linked to); python-docx's
# default template carries 164 styles, their effects copy, a thumbnail and custom XML:
# ~30 kB in every file, most of a small report's download.
_KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid",
                "Heading2", "Heading2Char", "Footer", "FooterChar", "Header", "HeaderChar"}
_DROP_PARTS = ("stylesWithEffects", "webSettings", "customXml", "numbering", "thumbnail")


@cache
def _template() -> bytes:
    """python-docx's default document without the parts SPEKTRA never uses."""
    doc = Document()
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _DROP_PARTS:
                del rels[rid]
    styles = doc.styles.element
    for el in list(styles):
        if el.tag == f"{W}latentStyles" or (
                el.tag == f"{W}style" and el.get(f"{W}styleId") not in _KEEP_STYLES):
            styles.remove(el)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_docx(grids: list[Grid], path: Path, meta: Meta, *, charts_png: list[bytes] = (),
               sections: list[tuple] | None = None) -> Path:
    """One report (charts, then grids[0]); or `sections` of (heading, table, chart PNG
    [, context line]) under one title block: the dashboard's two charts and three
    rankings, the deviasi detail per kegiatan (each table repeats its header row)."""
    doc = Document(io.BytesIO(_template()))
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(12))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(9)
    _footer(sec, meta)

    title = doc.add_paragraph()
    run = title.add_run(meta.judul)
    run.bold, run.font.size = True, Pt(14)
    for label, text in meta.lines():
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(f"{label}: ").bold = True
        p.add_run(_clean(text))
    doc.add_paragraph()
    if sections is None:
        sections = [("", None, png) for png in charts_png] + [("", grids[0], None)]
    for i, (heading, grid, png, *rest) in enumerate(sections):
        if heading:
            h = doc.add_paragraph(style="Heading 2")
            h.paragraph_format.space_before, h.paragraph_format.keep_with_next = Pt(8), True
            run = h.add_run(_clean(heading))
            run.bold, run.font.size = True, Pt(11)
        if rest and rest[0]:
            c = doc.add_paragraph()
            c.paragraph_format.space_after, c.paragraph_format.keep_with_next = Pt(2), True
            run = c.add_run(_clean(rest[0]))
            run.font.size, run.italic = Pt(8), True
        if png:
            doc.add_picture(io.BytesIO(png), width=Mm(230))
        if grid is not None:
            _table(doc, grid)
            if i + 1 < len(sections):
                doc.add_paragraph()
    doc.save(path)
    return Path(path)


def _footer(sec, meta: Meta) -> None:
    p = sec.footer.paragraphs[0]
    p.paragraph_format.alignment = 2    # right
    run = p.add_run(f"{meta.judul} — ")
    run.font.size = Pt(7)
    for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
        if part in ("PAGE", "NUMPAGES"):
            p._p.append(parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr="{part}"><w:r><w:rPr><w:sz w:val="14"/>'
                f'</w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))
        else:
            p.add_run(part).font.size = Pt(7)


def _clean(text) -> str:
    return _BAD_XML.sub(" ", str(text))


def _table(doc, grid: Grid) -> None:
    n = len(grid.columns)
    size = 12 if n > 12 else 15          # half-points: 6 pt for the 16-column deviasi
    weights = [max(c.width, 5) for c in grid.columns]
    total = sum(weights)
    widths = [int(USABLE_TWIPS * w / total) for w in weights]
    table = doc.add_table(rows=0, cols=n)
    table.style = doc.styles["Table Grid"]
    tbl = table._tbl
    layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    look = tbl.tblPr.find(f"{W}tblLook")     # schema order: tblLayout before tblLook
    look.addprevious(layout) if look is not None else tbl.tblPr.append(layout)
    for gc, w in zip(tbl.tblGrid.findall(f"{W}gridCol"), widths):
        gc.set(f"{W}w", str(w))

    rows_xml = [_tr([c.header for c in grid.columns], widths, size, header=True)]
    for row in grid.rows:
        texts = [display_text(v, k) for v, k in zip(row.values, row.kinds)]
        right = [jenis_kolom(k).kanan_di_berkas for k in row.kinds]
        indent = {j: row.indent * 120 for j in grid.text_columns} if row.indent else {}
        rows_xml.append(_tr(texts, widths, size, bold=row.bold, right=right,
                            fills=row.fills, indent=indent))
    if not grid.rows:
        rows_xml.append(_tr([KOSONG] + [""] * (n - 1), widths, size))
    wrapper = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(rows_xml)}</w:tbl>')
    for tr in list(wrapper):
        tbl.append(tr)


def _tr(texts, widths, size, *, header=False, bold=False, right=(), fills=None,
        indent=None) -> str:
    fills, indent = fills or {}, indent or {}
    # tblHeader: Word repeats this row at the top of every page; cantSplit keeps a row whole.
    tr_pr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    cells = []
    for j, (text, w) in enumerate(zip(texts, widths)):
        fill = "DDE3EA" if header else fills.get(j)
        shd = (f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
               if fill and _HEX.match(fill) else "")
        jc = "center" if header else ("right" if j < len(right) and right[j] else "left")
        ind = f'<w:ind w:left="{indent[j]}"/>' if j in indent else ""
        b = "<w:b/>" if header or bold else ""
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shd}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{ind}<w:jc w:val="{jc}"/></w:pPr>'
            f'<w:r><w:rPr>{b}<w:sz w:val="{size}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(_clean(text))}</w:t></w:r></w:p></w:tc>')
    return f"<w:tr>{tr_pr}{''.join(cells)}</w:tr>"
