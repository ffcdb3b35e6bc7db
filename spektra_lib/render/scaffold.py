"""`spektra notebook baru NAMA`: a first notebook for a catalog page, never over an old one.

The notebooks under notebooks/ are source that analysts own and edit; nothing regenerates
them. This writes the usual shape once, from the page's catalog entry: a `parameters`
cell with neutral defaults (its comments are the note for analysts), one setup cell, the
title rendered from the parameters with the intro under it, then one display call per
cell. An existing file is refused, whatever it holds.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ..reports import catalog
from ..reports.selection import PARAMETER
from ..settings import bawaan

NOTEBOOKS = bawaan("notebooks")

# For analysts in JupyterLab; a comment, since code cells are hidden from managers in
# Voilà and on the static pages (a markdown note would show there).
PARAM_NOTE = ["# Parameter halaman. Nilai bawaan netral: kosong = tahun dan bulan terakhir di",
              "# store, seluruh satker. Nilai sebenarnya diisi oleh `spektra render` (papermill)",
              "# atau, di Voilà (`spektra serve`), dari alamat halaman, mis. ?satker=KODE&bulan=3",
              "# (satker / unit kerja di luar hak akses pengguna ditolak)."]
STORE = "store = None  # berkas DuckDB; kosong: SPEKTRA_STORE atau data/spektra.duckdb"
SETUP = "from spektra_lib.page.notebook import Halaman"


def parameters_cell(page: str) -> list[str]:
    """The parameters cell's lines: the note, then each page parameter the page takes as
    declared (reports/selection.py), then the store."""
    return PARAM_NOTE + [PARAMETER[n].komentar for n in catalog.parameter_notebook(page)] + [
        STORE]


def setup_cell(page: str) -> str:
    """`halaman = Halaman(store=store, <each parameter>=<it>, page="<page>")`."""
    args = ["store=store"] + [f"{n}={n}" for n in catalog.parameter_notebook(page)] + [
        f'page="{page}"']
    lines, line = [], "halaman = Halaman("
    for a in args:
        if len(line) + len(a) + 2 > 88:
            lines.append(line.rstrip())
            line = " " * len("halaman = Halaman(")
        line += a + ", "
    lines.append(line[:-2] + ")")
    return "\n".join([SETUP, ""] + lines)


def body(page: str) -> list[str]:
    """The display calls of a page, from its catalog entry ('#md ' marks markdown)."""
    entry = catalog.HALAMAN[page]
    calls = [f'halaman.judul("{page}")', f"#md {entry.pengantar}"]
    several = len(entry.laporan) > 1
    for name in entry.laporan:
        r = catalog.LAPORAN[name]
        if several:
            calls.append(f'halaman.subjudul("{name}")')
        if r.legenda == "deviasi":
            calls.append("halaman.legenda()")
        calls.append(f'halaman.{"grafik" if r.grafik else "tabel"}("{name}")')
        if not several:
            calls.append(f'halaman.catatan("{name}")')
        if r.legenda in ("pelanggaran", "status"):
            calls.append(f'halaman.legenda("{name}")')
    return calls


def notebook(page: str) -> nbformat.NotebookNode:
    if page not in catalog.HALAMAN:
        raise ValueError(f"Halaman '{page}' tidak ada di katalog laporan "
                         f"(spektra_lib/reports/catalog.py). Pilihan: "
                         f"{', '.join(sorted(catalog.HALAMAN))}")
    # page: which notebook this is, so a preheated Voilà kernel can prepare its public
    # figures before the request arrives (page/notebook.py).
    cells = [new_code_cell("\n".join(parameters_cell(page)), metadata={"tags": ["parameters"]}),
             new_code_cell(setup_cell(page), metadata={"tags": ["setup"]})]
    for src in body(page):
        cells.append(new_markdown_cell(src[4:]) if src.startswith("#md ")
                     else new_code_cell(src))
    for i, cell in enumerate(cells):
        cell.id = f"{page}-{i}"
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


def new_notebook_file(page: str, folder: Path | None = None) -> Path:
    """Write notebooks/<page>.ipynb; refuse when it exists (an analyst's file)."""
    path = Path(folder or NOTEBOOKS) / f"{page}.ipynb"
    nb = notebook(page)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"Folder {path.parent} tidak ada: buat dulu atau pilih folder "
                                "lain dengan --folder.")
    try:
        with open(path, "x", encoding="utf-8") as fh:
            nbformat.write(nb, fh)
    except FileExistsError:
        raise FileExistsError(f"{path} sudah ada dan tidak ditimpa: notebook milik analis. "
                              "Hapus atau pindahkan dulu bila memang ingin dibuat ulang.") from None
    except PermissionError:
        raise PermissionError(f"Tidak boleh menulis {path}: pilih folder lain dengan "
                              "--folder.") from None
    return path
