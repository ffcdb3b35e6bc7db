"""A store for the notebook runs: the synthetic agency, built once per session.

While spektra_lib.synth / the validator are not in the tree yet, the seed fixture
(tests/data/seed, the manual's numbers) stands in so the notebooks still run.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
NOTEBOOKS = TESTS.parent / "notebooks"


def _synth_available() -> bool:
    try:
        from spektra_lib import validate  # noqa: F401  (ingest_path needs it)
        from spektra_lib.synth import generate  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def notebook_store(tmp_path_factory) -> Path:
    from spektra_lib.store import Store
    path = tmp_path_factory.mktemp("nbstore") / "spektra.duckdb"
    if _synth_available():
        from spektra_lib.ingest import ingest_path
        from spektra_lib.reports.ikpa.contoh import resmi
        from spektra_lib.synth import generate
        out = tmp_path_factory.mktemp("synth") / "kanonik"
        # as `spektra synth` writes it: with the official IKPA made from the estimate
        generate(out, format="kanonik", tambahan=lambda t: {"ikpa_resmi": resmi(t, 2022, 0)})
        with Store(path) as store:
            ingest_path(out, store)
    else:
        sys.path.insert(0, str(TESTS))
        from reports_fixture import load_seed
        with Store(path) as store:
            load_seed(store)
    return path
