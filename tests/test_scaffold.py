"""Notebooks are source analysts own: the scaffold writes a new one and never overwrites,
and rendering reads a notebook without changing it."""
from __future__ import annotations

import shutil

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell

from spektra_lib.cli import main
from spektra_lib.render import render
from spektra_lib.render.scaffold import NOTEBOOKS, new_notebook_file, notebook
from spektra_lib.reports import catalog

TAHUN, BULAN, KANREG_IV = 2022, 5, "017234"
NOTE = "Catatan analis: angka Mei belum termasuk SP2D susulan."


def test_every_catalog_page_scaffolds_a_valid_notebook():
    for page in catalog.HALAMAN:
        nb = notebook(page)
        nbformat.validate(nb)
        assert "parameters" in nb.cells[0].metadata["tags"]
        assert f'halaman.judul("{page}")' in nb.cells[2].source


def test_scaffold_writes_once_and_refuses_to_overwrite(tmp_path, capsys):
    path = new_notebook_file("realisasi_pok", tmp_path)
    first = path.read_bytes()
    assert main(["notebook", "baru", "realisasi_pok", "--folder", str(tmp_path)]) == 2
    assert "sudah ada dan tidak ditimpa" in capsys.readouterr().err
    assert path.read_bytes() == first
    with pytest.raises(ValueError, match="tidak ada di katalog"):
        notebook("bukan_halaman")


def test_missing_folder_is_one_indonesian_line(tmp_path, capsys):
    # issue 27.16: a raw "[Errno 2] No such file or directory"
    missing = tmp_path / "tidak" / "ada"
    assert main(["notebook", "baru", "realisasi_pok", "--folder", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err == (f"Galat: Folder {missing} tidak ada: buat dulu atau pilih folder lain "
                   "dengan --folder.\n")
    assert not missing.exists()


@pytest.mark.slow
def test_an_analysts_edit_survives_the_scaffold_and_the_render(demo_store_path, tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, folder)
    path = folder / "deviasi_detail.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_markdown_cell(NOTE))
    nbformat.write(nb, path)
    edited = path.read_bytes()
    assert main(["notebook", "baru", "deviasi_detail", "--folder", str(folder)]) == 2
    result = render(store_path=demo_store_path, tahun=TAHUN, bulan=BULAN, out=tmp_path / "site",
                    notebooks=folder, reports=("deviasi_detail",), satker=(KANREG_IV,),
                    unduhan=False, progress=False)
    assert result.ok and result.done
    page = tmp_path / "site" / str(TAHUN) / f"{BULAN:02d}" / KANREG_IV / "deviasi_detail.html"
    assert NOTE in page.read_text(encoding="utf-8")
    assert path.read_bytes() == edited
