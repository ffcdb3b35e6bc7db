"""spektra_lib.render: the monthly pack (runner, pages) on tiny notebooks and a tiny store."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from spektra_lib.render import Scope, render
from spektra_lib.store import Store

NOTEBOOKS = Path(__file__).parent / "data" / "render"
BAD_NAME = "Kanreg <script>alert(1)</script> & <b>tebal</b>"
SCOPES = [Scope("satker", "017220", "Kantor Pusat", satker="017220"),
          Scope("satker", "634001", BAD_NAME, satker="634001")]
MATRIX = {"satker": ["ringkas", "gagal"]}


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "mini.duckdb"
    with Store(path) as st:
        st.ingest({"satker": pd.DataFrame({
            "kode_satker": ["017220", "634001"],
            "nama_satker": ["Kantor Pusat", BAD_NAME],
            "kelompok": ["PUSAT", "KANREG"]})}, layout="kanonik")
    return path


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    # A private copy: one test edits a notebook to prove the edit triggers a rerun.
    d = tmp_path_factory.mktemp("nb")
    for p in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(p, d / p.name)
    return d


@pytest.fixture(scope="module")
def first(tiny_store, notebooks, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = render(store_path=tiny_store, tahun=2022, bulan=5, out=out, progress=False,
                    notebooks=notebooks, scopes=SCOPES, matrix=MATRIX)
    return out, result


def again(first, tiny_store, notebooks, **kw):
    out, _ = first
    return render(store_path=tiny_store, tahun=2022, bulan=5, out=out, progress=False,
                  notebooks=notebooks, scopes=SCOPES, matrix=MATRIX, **kw)


def test_pages_and_notebooks_written_per_scope_and_report(first):
    out, result = first
    assert sorted(result.done) == [("017220", "ringkas"), ("634001", "ringkas")]
    for scope in ("017220", "634001"):
        html = (out / "2022" / "05" / scope / "ringkas.html").read_text()
        assert f"Ringkas 2022-05 satker={scope} unit=None" in html
        assert '<html lang="id">' in html
        assert (out / "2022" / "05" / scope / "ringkas.ipynb").exists()
    assert (out / "assets" / "spektra.css").exists()
    assert (out / "assets" / "spektra-grafik.js").stat().st_size > 100_000


def test_parameters_recorded_in_executed_notebook(first, tiny_store):
    out, _ = first
    nb = nbformat.read(out / "2022" / "05" / "634001" / "ringkas.ipynb", as_version=4)
    params = nb.metadata.papermill.parameters
    assert params["satker"] == "634001" and params["bulan"] == 5 and params["tahun"] == 2022
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "satker = \"634001\"" in injected[0].source
    # The published copy holds neither this machine's store path nor execution clocks
    # (their microseconds once spelled another satker's code in a User's bundle).
    text = (out / "2022" / "05" / "634001" / "ringkas.ipynb").read_text()
    assert params["store"] is None and "store = None" in injected[0].source
    assert str(tiny_store.resolve()) not in text and str(tiny_store.name) not in text
    assert "iopub" not in text and "start_time" not in text
    # numbering restarts at 1: the hidden reset cell leaves no trace
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts[0] == 1 and counts == sorted(counts)


def test_kept_kernel_leaves_no_variables_or_folder_between_runs(first, notebooks):
    out, _ = first
    # the notebook sets `jejak` and leaves for "/" at its end; the next run must not see it
    for scope in ("017220", "634001"):
        html = (out / "2022" / "05" / scope / "ringkas.html").read_text()
        assert "SISA_RUN_SEBELUMNYA False" in html
        assert f"FOLDER_KERJA {notebooks.name}" in html
        assert "SISA_ENV False SISA_PATH False" in html


def test_failures_are_collected_and_do_not_stop_the_pack(first):
    out, result = first
    assert not result.ok
    assert sorted(result.failed) == [
        ("017220", "gagal", "ValueError: sengaja gagal untuk 017220"),
        ("634001", "gagal", "ValueError: sengaja gagal untuk 634001")]
    msg = result.pesan()
    assert "2 gagal" in msg and "634001 / gagal: ValueError" in msg
    page = (out / "2022" / "05" / "017220" / "gagal.html").read_text()
    assert "Laporan ini gagal dibuat: ValueError: sengaja gagal" in page
    assert "Traceback" not in page


def test_page_hides_code_parameters_and_warnings(first):
    out, _ = first
    html = (out / "2022" / "05" / "017220" / "ringkas.html").read_text()
    assert "duckdb.connect" not in html          # input hidden
    assert "Nilai sebenarnya diisi" not in html  # the parameters note
    assert "peringatan kecil" not in html        # stderr


def test_page_makes_no_network_request(first):
    out, _ = first
    html = (out / "2022" / "05" / "017220" / "ringkas.html").read_text()
    srcs = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert srcs and all(not s.startswith(("http:", "https:", "//")) for s in srcs)
    assert "require.js" not in html and "mathjax" not in html.lower()
    assert '<script src="../../../assets/spektra-grafik.js">' in html


def test_page_chrome_breadcrumb_links_and_escaping(first):
    out, _ = first
    html = (out / "2022" / "05" / "634001" / "ringkas.html").read_text()
    assert "SPEKTRA" in html
    crumbs = re.search(r'class="spektra-breadcrumb"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert 'href="../../../index.html">Beranda<' in crumbs and ">Mei 2022<" in crumbs
    assert "Kanreg &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;tebal&lt;/b&gt;" in crumbs
    assert "<script>alert(1)" not in html
    assert 'href="gagal.html"' in html            # links to the scope's other reports
    index = (out / "2022" / "05" / "634001" / "index.html").read_text()
    assert "&lt;script&gt;" in index and "<script>alert" not in index


def test_rerun_skips_up_to_date_and_force_reruns(first, tiny_store, notebooks):
    out, _ = first
    page = out / "2022" / "05" / "017220" / "ringkas.html"
    before = page.stat().st_mtime_ns
    r2 = again(first, tiny_store, notebooks, reports=("ringkas",))
    assert r2.done == [] and sorted(r2.skipped) == [("017220", "ringkas"), ("634001", "ringkas")]
    assert page.stat().st_mtime_ns == before
    r3 = again(first, tiny_store, notebooks, reports=("ringkas",), satker=("017220",),
               force=True)
    assert r3.done == [("017220", "ringkas")] and r3.skipped == []
    assert page.stat().st_mtime_ns != before


def test_changed_notebook_or_data_reruns(first, tiny_store, notebooks):
    nb_path = notebooks / "ringkas.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Catatan baru."))
    nbformat.write(nb, nb_path)
    r = again(first, tiny_store, notebooks, reports=("ringkas",), satker=("634001",))
    assert r.done == [("634001", "ringkas")]
    with Store(tiny_store) as st:
        st.ingest({"satker": pd.DataFrame({"kode_satker": ["634001"], "nama_satker": ["Baru"],
                                           "kelompok": ["KANREG"]})}, layout="kanonik")
    r = again(first, tiny_store, notebooks, reports=("ringkas",), satker=("634001",))
    assert r.done == [("634001", "ringkas")]
    assert "Baru" in (first[0] / "2022" / "05" / "634001" / "ringkas.html").read_text()


def test_changed_rule_file_reruns(first, tiny_store, notebooks, tmp_path, monkeypatch):
    """A rule in parameters/*.yaml (colour bands, IKPA …) is an input of every page."""
    import shutil

    from spektra_lib.parameters import directory
    rules = tmp_path / "parameters"
    shutil.copytree(directory(), rules)
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(rules))
    again(first, tiny_store, notebooks, reports=("ringkas",), satker=("634001",))
    r = again(first, tiny_store, notebooks, reports=("ringkas",), satker=("634001",))
    assert r.done == []
    first_yaml = sorted(rules.glob("*.yaml"))[0]
    first_yaml.write_text(first_yaml.read_text(encoding="utf-8") + "\n# diubah\n",
                          encoding="utf-8")
    r = again(first, tiny_store, notebooks, reports=("ringkas",), satker=("634001",))
    assert r.done == [("634001", "ringkas")]


def test_period_record_and_index_pages(first):
    out, _ = first
    data = json.loads((out / "2022" / "05" / "periode.json").read_text())
    assert data["scopes"]["017220"]["reports"] == ["ringkas"]   # failed pages not listed
    period = (out / "2022" / "05" / "index.html").read_text()
    assert "Laporan Periode Mei 2022" in period and 'href="017220/index.html"' in period
    assert (out / "index.html").exists()


def test_missing_notebook_is_a_failure_not_a_crash(first, tiny_store, notebooks):
    out, _ = first
    r = render(store_path=tiny_store, tahun=2022, bulan=5, out=out, progress=False,
               notebooks=notebooks, scopes=SCOPES[:1], matrix={"satker": ["tidak_ada"]})
    assert len(r.failed) == 1 and "tidak ada" in r.failed[0][2]


@pytest.mark.slow
def test_naive_mode_gives_the_same_page(first, tiny_store, notebooks, tmp_path):
    r = render(store_path=tiny_store, tahun=2022, bulan=5, out=tmp_path, progress=False,
               notebooks=notebooks, scopes=SCOPES[1:], matrix={"satker": ["ringkas", "gagal"]},
               naive=True)
    assert r.done == [("634001", "ringkas")]
    assert r.failed == [("634001", "gagal", "ValueError: sengaja gagal untuk 634001")]
    html = (tmp_path / "2022/05/634001/ringkas.html").read_text()
    assert "Ringkas 2022-05 satker=634001 unit=None" in html
    nb = nbformat.read(tmp_path / "2022/05/634001/ringkas.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters["satker"] == "634001"


@pytest.mark.slow
def test_two_workers_render_every_page(tiny_store, notebooks, tmp_path):
    r = render(store_path=tiny_store, tahun=2022, bulan=5, out=tmp_path, progress=False,
               notebooks=notebooks, scopes=SCOPES, matrix={"satker": ["ringkas", "gagal"]},
               workers=2)
    assert sorted(r.done) == [("017220", "ringkas"), ("634001", "ringkas")]
    assert len(r.failed) == 2
    for scope in ("017220", "634001"):
        assert f"satker={scope}" in (tmp_path / f"2022/05/{scope}/ringkas.html").read_text()


def test_one_satkers_update_rerenders_only_its_pages(tmp_path, notebooks):
    """Issue 14 §8: a page follows its own scope's data; another satker's pages stay."""
    store = tmp_path / "s.duckdb"
    with Store(store) as st:
        st.ingest({"satker": pd.DataFrame({
            "kode_satker": ["017220", "634001"], "nama_satker": ["Kantor Pusat", "Kanreg"],
            "kelompok": ["PUSAT", "KANREG"]})}, layout="kanonik")
    kw = dict(store_path=store, tahun=2022, bulan=5, out=tmp_path / "site", progress=False,
              notebooks=notebooks, scopes=SCOPES, matrix=MATRIX, reports=("ringkas",))
    assert sorted(render(**kw).done) == [("017220", "ringkas"), ("634001", "ringkas")]
    kept = (tmp_path / "site" / "2022" / "05" / "017220" / "ringkas.html").stat().st_mtime_ns
    with Store(store) as st:
        st.ingest({"satker": pd.DataFrame({"kode_satker": ["634001"], "nama_satker": ["Kanreg Baru"],
                                           "kelompok": ["KANREG"]})}, layout="kanonik")
    again_ = render(**kw)
    assert again_.done == [("634001", "ringkas")]
    assert again_.skipped == [("017220", "ringkas")]
    assert (tmp_path / "site" / "2022" / "05" / "017220" / "ringkas.html").stat().st_mtime_ns == kept
    assert "Kanreg Baru" in (tmp_path / "site" / "2022" / "05" / "634001" / "ringkas.html").read_text()
