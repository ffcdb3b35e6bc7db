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

from ..parameters import PACKAGE_ROOT
from ..reports import catalog

NOTEBOOKS = PACKAGE_ROOT / "notebooks"

# For analysts in JupyterLab; a comment, since code cells are hidden from managers in
# Voilà and on the static pages (a markdown note would show there).
PARAM_NOTE = ["# Parameter halaman. Nilai bawaan netral: kosong = tahun dan bulan terakhir di",
              "# store, seluruh satker. Nilai sebenarnya diisi oleh `spektra render` (papermill)",
              "# atau, di Voilà (`spektra serve`), dari alamat halaman, mis. ?satker=KODE&bulan=3",
              "# (satker / unit kerja di luar hak akses pengguna ditolak)."]
PARAMS = ["tahun = None  # tahun anggaran; kosong: tahun terakhir di store",
          "bulan = None  # bulan laporan (data s.d. akhir bulan ini); kosong: bulan terakhir",
          "satker = None  # kode satker; kosong: seluruh satker",
          "unit = None  # kode unit kerja (satker pusat)",
          "bulan_dari = None  # awal rentang bulan (laporan realisasi dan SPP)",
          "jenis_belanja = None  # \"51\", \"52\", \"53\", \"57\" atau kosong: semua",
          "per_tanggal = None  # anggaran per tanggal (YYYY-MM-DD); kosong: versi anggaran terakhir",
          "store = None  # berkas DuckDB; kosong: SPEKTRA_STORE atau data/spektra.duckdb"]
EXTRA = {"cari": "cari = None  # kode akun atau kata pada nama akun",
         "tanggal": "tanggal = None  # tanggal acuan keterlambatan (YYYY-MM-DD); kosong: hari ini",
         "aturan": "aturan = None  # tahun aturan IKPA; kosong: aturan terbaru s.d. tahun"}
SETUP = ["from spektra_lib.present.notebook import Halaman", "",
         "halaman = Halaman(store=store, tahun=tahun, bulan=bulan, satker=satker, unit=unit,",
         "                  bulan_dari=bulan_dari, jenis_belanja=jenis_belanja{extra},",
         "                  per_tanggal=per_tanggal, page=\"{page}\")"]


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
    extra = catalog.HALAMAN[page].parameter_tambahan
    params = PARAM_NOTE + PARAMS + [EXTRA[e] for e in extra]
    # page: which notebook this is, so a preheated Voilà kernel can prepare its public
    # figures before the request arrives (present/notebook.py).
    setup = "\n".join(SETUP).format(extra="".join(f", {e}={e}" for e in extra), page=page)
    cells = [new_code_cell("\n".join(params), metadata={"tags": ["parameters"]}),
             new_code_cell(setup, metadata={"tags": ["setup"]})]
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
    try:
        with open(path, "x", encoding="utf-8") as fh:
            nbformat.write(nb, fh)
    except FileExistsError:
        raise FileExistsError(f"{path} sudah ada dan tidak ditimpa: notebook milik analis. "
                              "Hapus atau pindahkan dulu bila memang ingin dibuat ulang.") from None
    return path
