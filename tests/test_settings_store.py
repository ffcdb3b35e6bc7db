"""The default store is the project's, from any folder inside it (issue 27.7): a notebook's
kernel runs in notebooks/ and said "Store data/spektra.duckdb belum ada"."""
from __future__ import annotations

from pathlib import Path

from spektra_lib.settings import settings, store_bawaan


def project(tmp_path: Path) -> Path:
    root = tmp_path / "spektra"
    (root / "data").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'spektra'\n")
    (root / "data" / "spektra.duckdb").write_bytes(b"")
    return root


def test_from_notebooks_the_projects_store(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.chdir(root / "notebooks")
    assert settings({}).store == str(root / "data" / "spektra.duckdb")
    monkeypatch.chdir(root)
    assert settings({}).store == "data/spektra.duckdb"


def test_outside_a_project_and_when_set_as_before(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert store_bawaan() == "data/spektra.duckdb"          # no store of a project here
    (tmp_path / "lain").mkdir()
    assert store_bawaan(tmp_path / "lain") == "data/spektra.duckdb"
    monkeypatch.chdir(root / "notebooks")
    assert settings({"SPEKTRA_STORE": "x.duckdb"}).store == "x.duckdb"


def test_notebook_pages_open_on_spektra_periode(small_report_store, monkeypatch):
    # `make lab` sets it from TAHUN/BULAN: the starter notebooks opened on Desember
    from spektra_lib.page.notebook import Halaman
    monkeypatch.setenv("SPEKTRA_PERIODE", "2022-3")
    h = Halaman(store=small_report_store, grafik="halaman", interaktif=False)
    assert (h.params["tahun"], h.params["bulan"]) == (2022, 3)
    monkeypatch.setenv("SPEKTRA_PERIODE", "Maret")
    import pytest
    with pytest.raises(ValueError, match="SPEKTRA_PERIODE harus TAHUN-BULAN"):
        Halaman(store=small_report_store, grafik="halaman", interaktif=False)


def test_make_lab_has_a_port_and_runs_as_root(tmp_path):
    import os
    import shutil
    import subprocess
    import pytest
    if shutil.which("make") is None:
        pytest.skip("make tidak ada")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(["make", "-n", "lab", "LAB_PORT=8899"], cwd=root, text=True,
                         capture_output=True, check=True).stdout
    assert "--port=8899" in out and "SPEKTRA_PERIODE=2022-5" in out
    assert ("--allow-root" in out) == (os.geteuid() == 0)
    assert "import jupyterlab" in out     # installed only when missing
