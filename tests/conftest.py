"""Shared fixtures: the synthetic demo agency, generated and ingested once per session."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TAHUN, BULAN = 2022, 5


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The demo agency in the canonical layout (spektra synth)."""
    if not _have("spektra_lib.synth"):
        pytest.skip("spektra_lib.synth belum ada")
    from spektra_lib.reports.ikpa.contoh import resmi
    from spektra_lib.synth import generate
    out = tmp_path_factory.mktemp("demo") / "kanonik"
    # as `spektra synth` writes it: with the official IKPA made from the estimate
    generate(out, tahun=TAHUN, format="kanonik",
             tambahan=lambda t: {"ikpa_resmi": resmi(t, TAHUN, 0)})
    return out


@pytest.fixture(scope="session")
def demo_store_path(demo_dir, tmp_path_factory) -> Path:
    """A store file holding the demo agency (read it with Store(path, read_only=True))."""
    from spektra_lib.ingest import ingest_path
    from spektra_lib.store import Store
    path = tmp_path_factory.mktemp("store") / "spektra.duckdb"
    with Store(path) as store:
        ingest_path(demo_dir, store)
    return path


@pytest.fixture
def demo_store(demo_store_path):
    from spektra_lib.store import Store
    store = Store(demo_store_path, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def small_report_store(tmp_path_factory):
    """The hand-made report fixture (tests/reports_fixture.py), built once; tests only read it."""
    from reports_fixture import small_store
    store = small_store(tmp_path_factory.mktemp("rapor"))
    yield store
    store.close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def playwright_sync():
    """One Playwright per test process: its sync API refuses a second one while it runs,
    so every browser fixture starts from this one."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium Debian (/usr/bin/chromium) tidak terpasang")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def peramban(playwright_sync):
    """Debian's Chromium, headless, with the flags this machine needs (DESIGN.md)."""
    b = playwright_sync.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=CHROMIUM_FLAGS)
    yield b
    b.close()


def _tracked_files() -> dict[str, bytes]:
    """Every file git tracks under docs/img/ (where tests once wrote), with its content."""
    import subprocess
    try:
        names = subprocess.run(["git", "ls-files", "docs/img"], cwd=ROOT, text=True,
                               capture_output=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return {}
    return {n: (ROOT / n).read_bytes() for n in names if (ROOT / n).is_file()}


@pytest.fixture(scope="session", autouse=True)
def checkout_left_as_found():
    """`make test` must not rewrite tracked files (it rewrote two docs/img pictures): a
    test that changes one fails the run here (issue 27.16). Only docs/img/: a notebook
    edited while the tests run is the developer's, not a test's."""
    before = _tracked_files()
    yield
    changed = [n for n, data in _tracked_files().items() if before.get(n, data) != data]
    assert not changed, f"tes mengubah berkas yang dilacak git: {changed}"
