"""Every report as CSV, Excel, Word, PDF or HTML, chosen by the file's suffix.

    export_report(store, NAME, "out.xlsx", tahun=2022, bulan=5, satker="017220")

runs the report once and writes it; `write(df, path, report=.., meta=..)` writes a table
already computed (a notebook, a batch that exports several formats);
`write_parts([(report, df), ..], path, meta=..)` writes a page of several reports (the
dashboard: one sheet per report; in Word / PDF the charts and tables under headings).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import Meta, build_meta, catatan, grids

FORMATS = (".csv", ".xlsx", ".docx", ".pdf", ".html")

__all__ = ["FORMATS", "Meta", "build_meta", "export_report", "write", "write_parts"]


def export_report(store, name: str, path: str | Path, **params) -> Path:
    """Run report `name` on `store` once and write it to `path` (.csv/.xlsx/.docx/.pdf/.html)."""
    from .. import reports
    path = Path(path)
    _suffix(path)     # refuse an unknown format before the report runs
    df = reports.run(name, store, **params)
    return write(df, path, report=name, meta=build_meta(store, name, df, **params))


def write(df: pd.DataFrame, path: str | Path, *, report: str, meta: Meta | None = None) -> Path:
    """Write an already computed report table in the format given by the suffix."""
    path = Path(path)
    suffix = _suffix(path)
    if meta is None:
        from ..reports.catalog import judul
        meta = Meta(judul=judul(report))
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        from .tidy_csv import write_csv
        return write_csv(df, path, report)
    if suffix == ".xlsx":
        from .excel import write_xlsx
        return write_xlsx(grids(df, report, full=True), path, meta)
    from .charts import chart_for
    chart = chart_for(report, df)
    shown = grids(df, report, full=False)
    if suffix == ".docx":
        from .charts import png
        from .common import sections_by
        from .word import write_docx
        tree = [c.key for c in shown[0].columns[:2]] == ["kode", "uraian"]
        parts = sections_by(shown[0]) if tree and shown[0].hierarchical else []
        if len(parts) > 1:      # the deviasi tree: one table per kegiatan under its heading
            return write_docx([], path, meta, sections=[(h, g, None, c) for h, c, g in parts])
        return write_docx(shown, path, meta, charts_png=[png(chart)] if chart else [])
    from .charts import svg
    svgs = [svg(chart)] if chart else []
    if suffix == ".pdf":
        from .pdf import write_pdf
        return write_pdf(shown, path, meta, charts_svg=svgs)
    from .html_page import write_html
    return write_html(shown, path, meta, charts_svg=svgs)


def write_parts(parts: list[tuple[str, pd.DataFrame]], path: str | Path, *, meta: Meta) -> Path:
    """Several computed reports as one file (.xlsx/.docx/.pdf/.html) under `meta`'s title."""
    from dataclasses import replace

    from ..reports.catalog import LAPORAN, judul
    path = Path(path)
    suffix = _suffix(path)
    if suffix == ".csv":
        raise ValueError("Halaman dengan beberapa laporan tidak dapat ditulis sebagai CSV.")
    path.parent.mkdir(parents=True, exist_ok=True)
    titles = [judul(r) for r, _ in parts]
    if suffix == ".xlsx":
        from .excel import write_xlsx
        sheets, metas = [], []
        for (report, df), judul in zip(parts, titles):
            for g in grids(df, report, full=True):
                # Excel allows 31 characters in a sheet name
                g.title = (LAPORAN[report].lembar or report)[:31] + (
                    "" if g.title == "Laporan" else f" ({g.title})")[:31]
                sheets.append(g)
                metas.append(replace(meta, judul=judul, catatan=catatan(df) or meta.catatan))
        return write_xlsx(sheets, path, meta, metas=metas)
    from .charts import chart_for
    charts = [chart_for(report, df) for report, df in parts]
    tables = [None if chart else grids(df, report, full=False)[0]
              for (report, df), chart in zip(parts, charts)]
    if suffix == ".docx":
        from .charts import png
        from .word import write_docx
        sections = [(t, g, png(c) if c else None) for t, g, c in zip(titles, tables, charts)]
        return write_docx([], path, meta, sections=sections)
    from .charts import svg
    from .html_page import render
    sections = [(t, g, svg(c) if c else None) for t, g, c in zip(titles, tables, charts)]
    page = render([], meta, sections=sections)
    if suffix == ".pdf":
        from .pdf import write_pdf
        return write_pdf([], path, meta, html=page)
    path.write_text(page, encoding="utf-8")
    return path


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"Format berkas '{suffix or path.name}' tidak didukung. "
                         f"Pilihan: {', '.join(FORMATS)}")
    return suffix
