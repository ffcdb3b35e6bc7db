"""Rendered pages in Chromium, on tiny notebooks: the chart bundle loads from the local
assets (file:// and a 127.0.0.1 server), nothing leaves the machine, data text is text."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.render import Scope, render
from spektra_lib.store import Store

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).parents[1] / "data" / "render"
BAD = '<script>window.diserang = 1</script><b>tebal</b>'


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("store") / "mini.duckdb"
    with Store(store) as st:
        st.ingest({"satker": pd.DataFrame({"kode_satker": ["634001"], "nama_satker": [BAD],
                                           "kelompok": ["KANREG"]})}, layout="kanonik")
    out = tmp_path_factory.mktemp("site")
    result = render(store_path=store, tahun=2022, bulan=5, out=out, progress=False,
                    notebooks=NOTEBOOKS, matrix={"satker": ["grafik", "ringkas"]},
                    scopes=[Scope("satker", "634001", BAD, satker="634001")])
    assert result.ok, result.pesan()
    return out


@pytest.mark.parametrize("via", ["file", "http"])
def test_chart_drawn_from_local_bundle(tiny_site, page, serve, via):
    base = tiny_site.resolve().as_uri() + "/" if via == "file" else serve(tiny_site)
    page.goto(base + "2022/05/634001/grafik.html")
    page.wait_for_selector("#grafik-uji svg, #grafik-uji canvas", timeout=15_000)
    assert page.locator("#grafik-uji .mark-line, #grafik-uji canvas").count() >= 1
    page.rec.assert_offline()
    assert any(u.endswith("assets/spektra-grafik.js") for u in page.rec.urls)


def test_data_text_is_shown_as_text(tiny_site, page):
    page.goto((tiny_site / "2022/05/634001/ringkas.html").resolve().as_uri())
    crumb = page.locator(".spektra-breadcrumb").inner_text()
    assert BAD in crumb                                   # the literal characters
    assert page.evaluate("window.diserang") is None       # the script never ran
    assert page.locator(".spektra-breadcrumb b").count() == 0
    cell = page.locator("table.dataframe td", has_text="tebal").first.inner_text()
    assert BAD in cell
    page.rec.assert_offline()


def test_navigation_breadcrumb_and_report_links(tiny_site, page):
    page.goto((tiny_site / "2022/05/634001/ringkas.html").resolve().as_uri())
    page.click(".spektra-laporan a:has-text('Grafik')")
    page.wait_for_selector("#grafik-uji svg, #grafik-uji canvas", timeout=15_000)
    page.click(".spektra-breadcrumb a:has-text('Mei 2022')")
    assert "Laporan Periode Mei 2022" in page.locator("h1").inner_text()
    page.click("a:has-text('tebal')")                      # the scope page, name as text
    assert page.locator("h1").inner_text() == BAD
    page.click(".spektra-breadcrumb a:has-text('Beranda')")
    assert page.url.endswith("/index.html")
    page.rec.assert_offline()
