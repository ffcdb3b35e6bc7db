"""Downloads of a rendered page, from the very tables the page showed, and the monthly pack.

`spektra render` appends one hidden cell to each notebook (`cell_source`): it pickles what
the page's `Halaman` computed (`halaman._data`, in display order) with the title block.
The runner then writes <report>.xlsx/.docx next to the page from that pickle
(`write_downloads`) — no second run of the report, so the files cannot differ from the
page — and the report's printable page (the HTML its PDF is printed from, gzip'd) into a
print folder outside the scope folder. `write_pack` bundles a scope: a zip of the Excel
and Word files, and one PDF of all reports printed by Chromium in one pass (a cover with
the contents, each report from a new page, a bookmark and a named destination per
report). Each file is on the site once: a report's PDF is its part of the combined PDF
(`gabungan_….pdf#nameddest=<report>`), one set of font subsets for all (issue 15 §5).
"""
from __future__ import annotations

import gzip
import os
import pickle
import zipfile
from pathlib import Path

import pandas as pd

from .common import Meta

FORMATS = (".xlsx", ".docx")          # the page's own files next to it
ZIPPED = (".xlsx", ".docx")
LEGACY = (".pdf",)                    # per-report PDFs of older renders: removed on a rerun
PRINTED = ".html.gz"                  # a report's printable page, in the print folder
PRINT_DIR = ".spektra-cetak"
LABELS = {".xlsx": "Excel (.xlsx)", ".docx": "Word (.docx)"}
PDF_LABEL = "PDF (di PDF gabungan)"
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


def print_dir(out: Path, tahun: int, bulan: int, slug: str) -> Path:
    """Where a render into `out` keeps a scope's printable pages: beside its manifest,
    outside the published period folders (`<out>/.spektra-cetak/<tahun>/<mm>/<scope>`)."""
    return Path(out) / PRINT_DIR / f"{tahun}" / f"{bulan:02d}" / slug


def print_path(print_dir: Path, report: str) -> Path:
    """The report's printable page (gzip'd HTML) that the combined PDF is printed from."""
    return Path(print_dir) / f"{report}{PRINTED}"


def remove_downloads(folder: Path, report: str, print_dir: Path | None = None) -> None:
    """Before a rerun: a failed page must not offer last month's files."""
    for p in download_paths(folder, report) + [Path(folder) / f"{report}{s}" for s in LEGACY]:
        p.unlink(missing_ok=True)
    if print_dir is not None:
        print_path(print_dir, report).unlink(missing_ok=True)


def write_downloads(data_path: Path, folder: Path, report: str,
                    print_dir: Path | None = None) -> tuple[list[Path], list[str]]:
    """<report>.xlsx/.docx from the pickled tables, and (with `print_dir`) the printable
    page for the combined PDF. Returns (files written, errors); nothing when the notebook
    saved no tables (a page without `halaman`)."""
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
    targets = [(p, p) for p in download_paths(folder, report)]
    if print_dir is not None:
        Path(print_dir).mkdir(parents=True, exist_ok=True)
        # export.write's .html is the very page its .pdf prints
        targets.append((print_path(print_dir, report), Path(print_dir) / f"{report}.html"))
    written, errors = [], []
    for path, drawn in targets:
        # suffix kept last: the writers pick the format from it
        tmp = drawn.with_name(f".{drawn.stem}.{os.getpid()}.tmp{drawn.suffix}")
        try:
            if len(parts) == 1 and parts[0][0] == report:
                df = parts[0][1]
                from .common import catatan
                write(df, tmp, report=report, meta=_with_note(meta, catatan(df)))
            else:
                write_parts(parts, tmp, meta=meta)
            if path != drawn:
                _gzip(tmp, path)
            else:
                os.replace(tmp, path)
            written.append(path)
        except Exception as exc:          # one broken format must not lose the others
            tmp.unlink(missing_ok=True)
            kind = "pdf" if path != drawn else path.suffix.lstrip(".")
            errors.append(f"unduhan {kind} gagal: {_one_line(exc)}")
    return written, errors


def _gzip(src: Path, dest: Path) -> None:
    gz = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with open(src, "rb") as fh, open(gz, "wb") as raw, \
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
            out.write(fh.read())
        os.replace(gz, dest)
    finally:
        src.unlink(missing_ok=True)
        gz.unlink(missing_ok=True)


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
               bulan: int, nama: str = "", print_dir: Path | None = None
               ) -> tuple[Path, Path | None] | None:
    """Zip of the scope's Excel and Word files, and one PDF of all reports printed in one
    Chromium pass from their printable pages in `print_dir`: a cover with the contents
    (each report's first page, a link to it), each report from a new page with its own
    title block, a bookmark and a named destination (its name) per report.

    `reports`: (report, title) in page order; those without files are left out.
    Returns None when no report of the scope has downloads; the PDF is None when no
    report has a printable page. A failed print raises after the zip is written.
    """
    folder = Path(folder)
    zip_name, pdf_name = pack_names(slug, tahun, bulan)
    zipped = [(r, t) for r, t in reports if any(p.exists() for p in download_paths(folder, r))]
    printed = [(r, t) for r, t in reports
               if print_dir is not None and print_path(print_dir, r).exists()]
    if not zipped and not printed:
        return None
    zip_tmp = folder / f".{zip_name}.{os.getpid()}.tmp"
    inner = Path(zip_name).stem
    # xlsx and docx are zip files already: stored, not compressed again
    with zipfile.ZipFile(zip_tmp, "w", zipfile.ZIP_STORED) as zf:
        for report, _ in zipped:
            for p in download_paths(folder, report):
                if p.exists() and p.suffix in ZIPPED:
                    zf.write(p, f"{inner}/{p.name}")
    os.replace(zip_tmp, folder / zip_name)
    if not printed:
        (folder / pdf_name).unlink(missing_ok=True)
        return folder / zip_name, None
    pdf_tmp = folder / f".{pdf_name}.{os.getpid()}.tmp"
    try:
        write_combined(pdf_tmp, [(r, t, print_path(print_dir, r)) for r, t in printed],
                       slug=slug, nama=nama, tahun=tahun, bulan=bulan)
        os.replace(pdf_tmp, folder / pdf_name)
    except BaseException:
        pdf_tmp.unlink(missing_ok=True)
        (folder / pdf_name).unlink(missing_ok=True)     # never last month's combined PDF
        raise
    return folder / zip_name, folder / pdf_name


def write_combined(path: Path, reports: list[tuple[str, str, Path]], *, slug: str,
                   nama: str, tahun: int, bulan: int) -> dict[str, int]:
    """The combined PDF from (report, title, printable page) in order: one print, then
    the start pages written into the contents and a bookmark per report. Returns
    {report: first page}."""
    from ..present import format as fmt
    from .common import dibuat
    from .html_page import combine
    from .pdf import finish_combined, print_html
    pages = [(r, t, gzip.decompress(Path(p).read_bytes()).decode("utf-8"))
             for r, t, p in reports]
    meta = Meta(judul="Laporan Bulanan SPEKTRA", scope=nama or slug,
                periode=f"{fmt.nama_bulan(bulan)} {tahun}", dibuat=dibuat())
    print_html(combine(pages, meta), path)
    return finish_combined(path, [(r, t) for r, t, _ in reports],
                           title=f"Laporan {slug} {tahun}-{bulan:02d} — SPEKTRA")


def pack_reports(zip_path: Path) -> list[str]:
    """The report names a pack holds (from its file names)."""
    with zipfile.ZipFile(zip_path) as zf:
        return sorted({Path(n).stem for n in zf.namelist()})
