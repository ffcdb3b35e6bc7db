"""Notebooks and rules installed with the package (issue 21.6): a non-editable wheel carries
every page notebook, every rule file (parameters/, ikpa/ too), every layout YAML, template
and asset, and the installed package finds its notebooks and rules inside itself, not at
a repository root it no longer has."""
from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "spektra_lib"


def _setup_module():
    import importlib.util
    spec = importlib.util.spec_from_file_location("spektra_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    import setuptools
    real, setuptools.setup = setuptools.setup, lambda **kw: None   # read, do not build
    try:
        spec.loader.exec_module(module)
    finally:
        setuptools.setup = real
    return module


def _shipped_on_disk() -> set[str]:
    """What the package ships from the root: every notebook and every rule file."""
    files = {p for p in (ROOT / "notebooks").glob("*.ipynb")}
    files |= {p for p in (ROOT / "parameters").rglob("*") if p.is_file()}
    return {str(p.relative_to(ROOT)) for p in files if ".ipynb_checkpoints" not in p.parts}


def _package_data_on_disk() -> set[str]:
    """Every file under spektra_lib/ that is not Python code (templates, assets, layouts)."""
    return {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}


def test_the_build_config_covers_every_file_to_ship():
    """Fast: pyproject's package-data globs match every data file of the package, and
    setup.py ships every notebook and rule file (a rule written as .yml or a notebook in
    a subfolder would be left out of the wheel: this fails)."""
    shipped = {str(p) for p in _setup_module().shipped_files()}
    assert _shipped_on_disk() - shipped == set()
    assert any(s.startswith("parameters/ikpa/") for s in shipped)
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["spektra_lib"]
    left_out = {f for f in _package_data_on_disk()
                if not any(fnmatch.fnmatch(Path(f).name, g.split("/")[-1]) for g in globs)}
    assert left_out == set()


def _wheel(tmp: Path) -> Path:
    """The wheel, built from a clean copy of the sources (an in-tree build/ keeps files of
    earlier builds that would hide one the build no longer ships)."""
    import shutil
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in ("spektra_lib", "notebooks", "parameters"):
        shutil.copytree(ROOT / name, src / name, ignore=skip)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp), str(src)]
    try:
        import setuptools
        if int(setuptools.__version__.split(".")[0]) >= 77:
            cmd.insert(4, "--no-build-isolation")     # no registry needed
    except ImportError:
        pass
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return next(tmp.glob("spektra-*.whl"))


@pytest.mark.slow
def test_a_wheel_carries_and_finds_the_notebooks_and_rules(tmp_path):
    """Slow (~30 s): build the wheel as `pip install spektra` would, look inside it, and
    run the unpacked package from a folder with no repository around it."""
    (tmp_path / "dist").mkdir()
    wheel = _wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    want = {f"spektra_lib/_bawaan/{f}" for f in _shipped_on_disk()}
    want |= {f for f in _package_data_on_disk()}
    want |= {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")}
    assert want - names == set()
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import json; from spektra_lib import access, parameters; "
            "from spektra_lib.render import runner, scaffold; "
            "from spektra_lib.reports.ikpa import aturan; "
            "print(json.dumps([str(access.NOTEBOOK_DIR), str(runner.NOTEBOOKS), "
            "str(scaffold.NOTEBOOKS), str(parameters.path('deviasi')), "
            "str(parameters.path('ikpa/PER-5-PB-2022')), "
            "sorted(access.all_notebooks()), [a.dasar for a in aturan.semua()]]))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPEKTRA_")}
    env["PYTHONPATH"] = str(site)
    elsewhere = tmp_path / "kerja"
    elsewhere.mkdir()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=elsewhere, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    import json
    nb, run_nb, scaffold_nb, deviasi, ikpa, pages, rules = json.loads(out.stdout)
    inside = str(site / "spektra_lib" / "_bawaan")
    assert all(p.startswith(inside) for p in (nb, run_nb, scaffold_nb, deviasi, ikpa))
    assert set(pages) == {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert "PER-5/PB/2022" in rules
