"""Downloads of a rendered page, from the very tables the page showed, and the monthly pack.

`spektra render` appends one hidden cell to each notebook (`cell_source`): it pickles what
the page's `Halaman` computed (`halaman._data`, in display order) with the title block.
The runner then writes <report>.xlsx/.docx/.pdf next to the page from that pickle
(`write_downloads`) — no second run of the report, so the files cannot differ from the
page. `write_pack` bundles a scope's downloads: a zip of the Excel and Word files and one PDF
of all reports with a cover, contents and a bookmark per report. Each file is on the site
once: the reports' PDFs are in the combined PDF, not in the zip as well (issue 15 §5).
"""
from __future__ import annotations

import io
import os
import pickle
import zipfile
from pathlib import Path

import pandas as pd

from .common import Meta

FORMATS = (".xlsx", ".docx", ".pdf")
ZIPPED = (".xlsx", ".docx")       # the pack's PDF is the combined PDF beside the zip
LABELS = {".xlsx": "Excel (.xlsx)", ".docx": "Word (.docx)", ".pdf": "PDF (.pdf)"}
CELL_TAG = "spektra-unduh"


# -- in the kernel -----------------------------------------------------------------------
def cell_source(data_path: str | Path, judul: str, report: str) -> str:
    """The hidden last cell: saves the page's tables if the notebook has a `halaman`."""
    return (f"if globals().get('halaman') is not None:\n"
            f"    from spektra_lib.export.pack import simpan_data\n"
            f"    simpan_data(halaman, {str(data_path)!r}, judul={judul!r}, report={report!r})")


def simpan_data(halaman, path: str | Path, *, judul: str, report: str) -> Path:
    """Pickle the page's report tables (first view of each report) and its title block."""
    from .common import dibuat, posisi_data
    parts: dict[str, pd.DataFrame] = {}
    for (name, _params), df in halaman._data.items():
        parts.setdefault(name, df)
    meta = Meta(judul=judul, scope=halaman.scope(report), periode=halaman.periode(report),
                posisi_data=posisi_data(halaman.store, halaman.params["tahun"],
                                        halaman.params["satker"], halaman.params["unit"],
                                        halaman.params["bulan"]),
                dibuat=dibuat())
    path = Path(path)
    with open(path, "wb") as fh:
        pickle.dump({"report": report, "meta": meta, "parts": list(parts.items())}, fh)
    return path


# -- in the runner ------------------------------------------------------------------------
def download_paths(folder: Path, report: str) -> list[Path]:
    return [Path(folder) / f"{report}{suffix}" for suffix in FORMATS]


def remove_downloads(folder: Path, report: str) -> None:
    """Before a rerun: a failed page must not offer last month's files."""
    for p in download_paths(folder, report):
        p.unlink(missing_ok=True)


def write_downloads(data_path: Path, folder: Path, report: str) -> tuple[list[Path], list[str]]:
    """<report>.xlsx/.docx/.pdf from the pickled tables. Returns (files written, errors);
    nothing when the notebook saved no tables (a page without `halaman`)."""
    from . import write, write_parts
    data_path = Path(data_path)
    if not data_path.exists():
        return [], []
    try:
        with open(data_path, "rb") as fh:
            data = pickle.load(fh)      # written a moment ago by our own kernel
    finally:
        data_path.unlink(missing_ok=True)
    parts, meta = data["parts"], data["meta"]
    if not parts:
        return [], []
    written, errors = [], []
    for path in download_paths(folder, report):
        # suffix kept last: the writers pick the format from it
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
        try:
            if len(parts) == 1 and parts[0][0] == report:
                df = parts[0][1]
                from .common import catatan
                write(df, tmp, report=report, meta=_with_note(meta, catatan(df)))
            else:
                write_parts(parts, tmp, meta=meta)
            os.replace(tmp, path)
            written.append(path)
        except Exception as exc:          # one broken format must not lose the others
            tmp.unlink(missing_ok=True)
            errors.append(f"unduhan {path.suffix.lstrip('.')} gagal: {_one_line(exc)}")
    return written, errors


def _with_note(meta: Meta, note: str) -> Meta:
    from dataclasses import replace
    return replace(meta, catatan=note) if note and not meta.catatan else meta


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}".strip(": ")


# -- the monthly pack ---------------------------------------------------------------------
def pack_names(slug: str, tahun: int, bulan: int) -> tuple[str, str]:
    stem = f"{slug}_{tahun}-{bulan:02d}"
    return f"paket_{stem}.zip", f"gabungan_{stem}.pdf"


def write_pack(folder: Path, reports: list[tuple[str, str]], *, slug: str, tahun: int,
               bulan: int, nama: str = "") -> tuple[Path, Path] | None:
    """Zip of the scope's Excel and Word files and one PDF of all: a cover with the
    contents (each report's first page), then the reports, a bookmark per report.

    `reports`: (report, title) in page order; those without downloads are left out.
    Returns None when no report of the scope has downloads.
    """
    from pypdf import PdfWriter

    folder = Path(folder)
    zip_name, pdf_name = pack_names(slug, tahun, bulan)
    have = [(r, t) for r, t in reports
            if any(p.exists() for p in download_paths(folder, r))]
    if not have:
        return None
    zip_tmp = folder / f".{zip_name}.{os.getpid()}.tmp"
    inner = Path(zip_name).stem
    # xlsx and docx are zip files already: stored, not compressed again
    with zipfile.ZipFile(zip_tmp, "w", zipfile.ZIP_STORED) as zf:
        for report, _ in have:
            for p in download_paths(folder, report):
                if p.exists() and p.suffix in ZIPPED:
                    zf.write(p, f"{inner}/{p.name}")
    from pypdf import PdfReader
    pdfs = [(title, folder / f"{report}.pdf") for report, title in have
            if (folder / f"{report}.pdf").exists()]
    names = [p.stem for _, p in pdfs]
    counts = [len(PdfReader(str(p)).pages) for _, p in pdfs]
    merged = PdfWriter()
    cover = _cover_pdf(folder, pdfs, counts, slug=slug, nama=nama, tahun=tahun, bulan=bulan)
    if cover is not None:
        merged.append(str(cover))
    for (title, pdf), name in zip(pdfs, names):
        start = len(merged.pages)
        merged.append(str(pdf))
        merged.add_outline_item(title, start)
        # gabungan_….pdf#nameddest=<report> opens a viewer at the report
        merged.add_named_destination(name, start)
    merged.add_metadata({"/Title": f"Laporan {slug} {tahun}-{bulan:02d} — SPEKTRA"})
    buf = io.BytesIO()
    merged.write(buf)
    if cover is not None:
        cover.unlink(missing_ok=True)
    pdf_tmp = folder / f".{pdf_name}.{os.getpid()}.tmp"
    pdf_tmp.write_bytes(buf.getvalue())
    os.replace(zip_tmp, folder / zip_name)
    os.replace(pdf_tmp, folder / pdf_name)
    return folder / zip_name, folder / pdf_name


def _cover_pdf(folder: Path, pdfs: list[tuple[str, Path]], counts: list[int], *, slug: str,
               nama: str, tahun: int, bulan: int) -> Path | None:
    """The combined PDF's first page: title, scope, period, when made, and the contents
    with the page each report starts on. None when Chromium cannot print it (the pack is
    still made, without a cover)."""
    from ..present import format as fmt
    from .common import dibuat
    from .html_page import render
    from .pdf import write_pdf
    isi, page = [], 2
    for (title, _), n in zip(pdfs, counts):
        isi.append({"judul": title, "halaman": page})
        page += n
    meta = Meta(judul="Laporan Bulanan SPEKTRA", scope=nama or slug,
                periode=f"{fmt.nama_bulan(bulan)} {tahun}", dibuat=dibuat())
    html = render([], meta, sections=[], sampul={"judul": "Laporan Bulanan SPEKTRA",
                                                 "isi": isi})
    out = Path(folder) / f".sampul-{os.getpid()}.pdf"
    try:
        write_pdf([], out, meta, html=html)
    except Exception:          # noqa: BLE001  no browser: a pack without a cover
        out.unlink(missing_ok=True)
        return None
    return out


def pack_reports(zip_path: Path) -> list[str]:
    """The report names a pack holds (from its file names)."""
    with zipfile.ZipFile(zip_path) as zf:
        return sorted({Path(n).stem for n in zf.namelist()})
