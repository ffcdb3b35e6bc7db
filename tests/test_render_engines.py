"""The three ways to run a monthly pack give the same pages: kept kernel (the fast path),
a Dask cluster of 2 workers (`--scheduler`), and papermill with a fresh kernel each."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from spektra_lib.present import format as fmt
from spektra_lib.render import Scope, render, shutdown_kernel
from spektra_lib.reports import run as run_report
from spektra_lib.store import Store

pytestmark = pytest.mark.slow

SATKER = "017234"
SCOPES = [Scope("satker", SATKER, "Kantor Regional IV", satker=SATKER)]
# a deviasi tree, an itables table and the satker's charts
REPORTS = ["deviasi_detail", "monitoring_spp", "dashboard"]
MATRIX = {"satker": REPORTS}


def _render(store, out, **kw):
    return render(store_path=store, tahun=2022, bulan=5, out=out, progress=False,
                  scopes=SCOPES, matrix=MATRIX, unduhan=False, force=True, **kw)


@pytest.fixture(scope="module")
def three(demo_store_path, tmp_path_factory):
    from dask.distributed import LocalCluster

    base = tmp_path_factory.mktemp("mesin")
    results = {"kernel": _render(demo_store_path, base / "kernel")}
    shutdown_kernel()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        results["dask"] = _render(demo_store_path, base / "dask",
                                  scheduler=cluster.scheduler_address)
    results["papermill"] = _render(demo_store_path, base / "papermill", naive=True)
    return base, results


def _cells(path: Path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.get("execution_count"), c.get("outputs"))
            for c in nb.cells]


def _page(path: Path) -> str:
    # the page's "dibuat" stamp is the only part that differs by design
    return re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "", path.read_text(encoding="utf-8"))


def test_every_engine_renders_every_page(three):
    _, results = three
    for name, r in results.items():
        assert r.failed == [], name
        assert sorted(rep for _, rep in r.done) == sorted(REPORTS), name


def test_kept_kernel_and_dask_pages_equal_papermill(three):
    base, _ = three
    for report in REPORTS:
        rel = Path("2022/05") / SATKER / report
        ref_cells = _cells(base / "papermill" / rel.with_suffix(".ipynb"))
        ref_page = _page(base / "papermill" / rel.with_suffix(".html"))
        for engine in ("kernel", "dask"):
            assert _cells(base / engine / rel.with_suffix(".ipynb")) == ref_cells, (engine,
                                                                                   report)
            assert _page(base / engine / rel.with_suffix(".html")) == ref_page, (engine, report)
        # numbered as a fresh kernel numbers them: 1, 2, 3, …
        counts = [c[2] for c in ref_cells if c[0] == "code" and c[2]]
        assert counts == list(range(1, len(counts) + 1))


def test_the_equal_pages_hold_the_satker_figures(three, demo_store_path):
    base, _ = three
    with Store(demo_store_path, read_only=True) as st:
        spp = run_report("monitoring_spp", st, tahun=2022, bulan=5, satker=SATKER)
    page = (base / "dask/2022/05" / SATKER / "monitoring_spp.html").read_text(encoding="utf-8")
    assert fmt.rupiah(int(spp["nilai"].iloc[0])) in page
    deviasi = (base / "dask/2022/05" / SATKER / "deviasi_detail.html").read_text(encoding="utf-8")
    assert "Deviasi" in deviasi and SATKER in deviasi
    assert "vegaEmbed" in (base / "dask/2022/05" / SATKER / "dashboard.html").read_text(
        encoding="utf-8")
