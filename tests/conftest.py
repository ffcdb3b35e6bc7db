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
    from spektra_lib.synth import generate
    out = tmp_path_factory.mktemp("demo") / "kanonik"
    generate(out, tahun=TAHUN, format="kanonik")
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
