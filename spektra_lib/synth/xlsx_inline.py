"""A minimal .xlsx writer shaped like SAKTI's report engine writes its workbooks: every
text cell an inline string (no sharedStrings part), numbers as Java writes a double
(`1234567.0`, `2.037392E10`), merged header cells, and sheet names kept as given (a
trailing space included). Used by the synthetic writers of the hand-downloaded reports
(GLP039, the printed Form Cetak POK), so that the readers meet what a real file carries.

Cells: None is empty; str is an inline string; int/float a number cell; `Teks(x)` a
number written as text (`"2.037392E10"` in an inline string, as some copies hold it).
Nothing is ever written as a formula.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Teks:
    """A number written as text (Java's Double.toString in an inline string)."""
    value: float


def java_double(x: float) -> str:
    """`Double.toString` of Java: plain between 10^-3 and 10^7 (`1234567.0`), else
    computerised scientific notation with the shortest digits (`2.037392E10`)."""
    x = float(x)
    if x == 0:
        return "0.0"
    if 1e-3 <= abs(x) < 1e7:
        s = np.format_float_positional(x, unique=True, trim="0")
        return s
    s = np.format_float_scientific(x, unique=True, trim="0")   # '2.037392e+10'
    mant, exp = s.split("e")
    return f"{mant}E{int(exp)}"


def col_letter(i: int) -> str:
    """0 -> A, 27 -> AB (openpyxl's own conversion)."""
    from openpyxl.utils import get_column_letter
    return get_column_letter(i + 1)


def _cell(ref: str, v) -> str:
    if isinstance(v, Teks):
        v = java_double(v.value)
    if isinstance(v, str):
        text = escape(_BAD_XML.sub("", v))
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if not np.isfinite(float(v)):   # Java's NaN / Infinity: no number cell can hold them
        return _cell(ref, "NaN" if v != v else ("-" if v < 0 else "") + "Infinity")
    return f'<c r="{ref}"><v>{java_double(v)}</v></c>'


def _sheet_xml(rows: list[list], merges: list[str]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{col_letter(c)}{r}", v) for c, v in enumerate(row)
                        if v is not None)
        out.append(f'<row r="{r}">{cells}</row>' if cells else f'<row r="{r}"/>')
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">'
                   + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    out.append("</worksheet>")
    return "".join(out)


class _Fixed:
    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf

    def writestr(self, name: str, data: str) -> None:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zf.writestr(info, data)


def write(path: Path, sheets: list[tuple[str, list[list], list[str]]]) -> Path:
    """`sheets`: (name, rows, merged ranges like "W7:Z7") in order."""
    path = Path(path)
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.sheet.main+xml"/>']
    wb_sheets, wb_rels = [], []
    for i, (name, _, _) in enumerate(sheets, start=1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        wb_sheets.append(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" '
                         f'r:id="rId{i}"/>')
        wb_rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
                       'officeDocument/2006/relationships/worksheet" '
                       f'Target="worksheets/sheet{i}.xml"/>')
    ct.append("</Types>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        z = _Fixed(zf)      # no timestamps: the same rows give the same bytes
        z.writestr("[Content_Types].xml", "".join(ct))
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                   '.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets>' + "".join(wb_sheets) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships">' + "".join(wb_rels) + "</Relationships>")
        for i, (_, rows, merges) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(rows, merges))
    return path
