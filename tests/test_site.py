"""spektra_lib.render.site: index pages, landing dashboard, audiences, latest period."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.render import Scope, build_site
from spektra_lib.render.site import latest_period
from spektra_lib.store import Store

NOTEBOOKS = Path(__file__).parent / "data" / "render"
SEED = Path(__file__).parent / "data" / "seed"
SCOPES = [Scope("semua", "semua", "Seluruh Satker"),
          Scope("satker", "017220", "Kantor Pusat", satker="017220", pusat=True),
          Scope("unit", "017220-0102", "Biro <i>Keuangan</i>", satker="017220", unit="0102")]
MATRIX = {"semua": ["dashboard", "ringkas"], "satker": ["ringkas"], "unit": ["ringkas"],
          "pusat": [], "publik": ["dashboard"]}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    nbs = tmp_path_factory.mktemp("nb")
    shutil.copy(NOTEBOOKS / "ringkas.ipynb", nbs / "ringkas.ipynb")
    shutil.copy(NOTEBOOKS / "grafik.ipynb", nbs / "dashboard.ipynb")   # a chart page
    store = tmp_path_factory.mktemp("store") / "mini.duckdb"
    with Store(store) as st:
        st.ingest({"satker": pd.DataFrame({"kode_satker": ["017220"], "nama_satker": ["Pusat"],
                                           "kelompok": ["PUSAT"]})}, layout="kanonik")
    return nbs, store


def build(setup, out, **kw):
    nbs, store = setup
    return build_site(store_path=store, tahun=2022, bulan=5, out=out, progress=False,
                      notebooks=nbs, scopes=SCOPES, matrix=MATRIX, **kw)


def test_semua_builds_landing_period_and_scope_pages(setup, tmp_path):
    index = build(setup, tmp_path)
    landing = index.read_text()
    assert index == tmp_path / "index.html"
    assert 'id="grafik-uji"' in landing                      # the dashboard itself
    assert '<script src="assets/spektra-grafik.js">' in landing
    assert 'href="2022/05/index.html">Periode Mei 2022<' in landing
    period = (tmp_path / "2022/05/index.html").read_text()
    for group in ("Tingkat Instansi", "Satuan Kerja", "Unit Kerja Kantor Pusat"):
        assert f"<h2>{group}</h2>" in period
    assert "Biro &lt;i&gt;Keuangan&lt;/i&gt;" in period
    scope = (tmp_path / "2022/05/017220-0102/index.html").read_text()
    assert 'href="ringkas.html"' in scope and 'href="../../../assets/spektra.css"' in scope
    assert (tmp_path / "assets/spektra.css").exists()


def test_second_build_renders_nothing_new(setup, tmp_path):
    build(setup, tmp_path)
    page = tmp_path / "2022/05/semua/ringkas.html"
    mtime = page.stat().st_mtime_ns
    build(setup, tmp_path)
    assert page.stat().st_mtime_ns == mtime


def test_publik_gets_only_the_dashboard(setup, tmp_path):
    build(setup, tmp_path, audience="publik")
    pages = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    assert pages == ["2022/05/index.html", "2022/05/semua/dashboard.html",
                     "2022/05/semua/index.html", "index.html"]
    period = (tmp_path / "2022/05/index.html").read_text()
    assert "Satuan Kerja" not in period and "ringkas" not in period


def test_unknown_audience_or_satker_is_refused(setup, tmp_path):
    with pytest.raises(ValueError, match="Audiens 'pimpinan' tidak dikenal"):
        build(setup, tmp_path, audience="pimpinan")
    with pytest.raises(ValueError, match="Satker 999999 tidak ada di store"):
        build(setup, tmp_path, audience="satker:999999")


def test_a_bundle_folder_holds_one_audience(setup, tmp_path):
    build(setup, tmp_path, audience="publik")
    with pytest.raises(ValueError, match="berisi situs audiens 'publik'"):
        build(setup, tmp_path, audience="semua")
    build(setup, tmp_path / "semua")
    with pytest.raises(ValueError, match="berisi situs audiens 'semua'"):
        build(setup, tmp_path / "semua", audience="publik")
    rendered = tmp_path / "render" / "2022" / "05"      # `spektra render` output, no marker
    rendered.mkdir(parents=True)
    with pytest.raises(ValueError, match="sudah berisi laporan lain"):
        build(setup, tmp_path / "render", audience="publik")


def test_latest_period_from_the_data(tmp_path, setup):
    from spektra_lib.ingest import ingest_path
    store = tmp_path / "seed.duckdb"
    with Store(store) as st:
        ingest_path(SEED, st)
        last = st.scalar("SELECT max(tanggal) FROM realisasi")
    assert latest_period(store) == (2022, last.month)
    _, empty = setup     # satker only: no budget, no realisasi
    with pytest.raises(ValueError, match="Store masih kosong"):
        latest_period(empty)
