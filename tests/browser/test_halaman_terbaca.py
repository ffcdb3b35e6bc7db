"""What a new user saw on the demo site (issue 27): no markup or CSS printed as text on any
page, charts as wide as the page, the title following the chosen satker, capaian cells that
hold their text, one pager look, menus and the Unduh list one line per entry at 1280 px."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from spektra_lib.render import build_site
from test_site_browser import OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).parents[2]
KANREG = "017234"
REPORTS = ("dashboard", "realisasi_satker", "deviasi_detail", "monitoring_spp",
           "capaian_output", "status_capaian", "ikpa_estimasi")
# Markup or a stylesheet in a page's visible text: a rule ".x { a: b", a tag, an entity
RAW = re.compile(r"[.#][\w-]+\s*\{\s*[\w-]+\s*:|</?(?:style|div|span|table|p|ul|li)\b|&(?:lt|gt|#\d+);")


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_store_path) -> Path:
    if not (ROOT / "notebooks" / "capaian_output.ipynb").exists():
        pytest.skip("notebooks/ belum ada")
    out = tmp_path_factory.mktemp("situs")
    build_site(store_path=demo_store_path, tahun=2022, bulan=5, out=out, progress=False,
               satker=("semua", KANREG), reports=REPORTS)
    return out


def _open(page, site: Path, rel: str, width: int = 1280):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((site / rel).resolve().as_uri())
    page.wait_for_load_state("load")


def test_no_markup_text_on_any_page(site, page):
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "2022").rglob("*.html"))
    assert any("capaian_output" in p for p in pages) and len(pages) >= 10
    for rel in pages:
        _open(page, site, rel)
        text = page.locator("body").inner_text()
        assert not RAW.search(text), f"{rel}: {RAW.search(text).group(0)!r} tampil sebagai teks"
        if "capaian_output" in rel:
            assert "Aturan capaian output yang dapat dilanggar:" in text


@pytest.mark.parametrize("width", [1280, 1920])
def test_dashboard_charts_as_wide_as_the_page(site, page, width):
    _open(page, site, "2022/05/semua/dashboard.html", width)
    page.wait_for_selector(".spektra-grafik svg, .spektra-grafik canvas")
    body = page.evaluate("document.querySelector('.spektra-grafik').parentElement"
                         ".getBoundingClientRect().width")
    charts = page.locator(".spektra-grafik").evaluate_all(
        "gs => gs.map(g => g.querySelector('svg, canvas').getBoundingClientRect().width)")
    assert len(charts) == 2
    assert all(w > 0.85 * body for w in charts), (charts, body)
    text = page.locator("body").inner_text()
    assert ("Batang: realisasi kumulatif (% dari pagu); garis putus-putus: target penyerapan "
            "instansi (bukan target IKPA).") in text


def test_title_follows_the_chosen_satker(site, page):
    _open(page, site, "2022/05/semua/dashboard.html")
    h1 = page.locator("h1").first
    assert " — Seluruh Satker — " in h1.inner_text()
    select = page.locator("select.pilih-scope")
    page.wait_for_function("!document.querySelector('select.pilih-scope').disabled")
    select.select_option(KANREG)
    assert "KANTOR REGIONAL IV" in h1.inner_text() and "Seluruh Satker" not in h1.inner_text()
    select.select_option("")
    assert " — Seluruh Satker — " in h1.inner_text()


def test_capaian_and_status_cells_hold_their_text(site, page):
    for rel in (f"2022/05/{KANREG}/capaian_output.html", f"2022/05/{KANREG}/status_capaian.html",
                "2022/05/semua/status_capaian.html"):
        _open(page, site, rel)
        assert page.evaluate(OVERFLOW) == [], rel


def test_one_pager_look_for_grouped_and_flat_tables(site, page):
    for rel, info in ((f"2022/05/{KANREG}/deviasi_detail.html", ".info-halaman"),
                      (f"2022/05/{KANREG}/monitoring_spp.html", ".dt-info")):
        _open(page, site, rel)
        root = page.locator(".spektra-tabel").first
        page.wait_for_timeout(300)
        prev = root.get_by_text("‹ Sebelumnya", exact=True)
        nxt = root.get_by_text("Berikutnya ›", exact=True)
        assert prev.count() == 1 and nxt.count() == 1, rel
        x = {k: loc.evaluate("e => e.getBoundingClientRect().x")
             for k, loc in (("info", root.locator(info)), ("ke", root.locator("input.ke-halaman")),
                            ("prev", prev), ("next", nxt))}
        assert x["info"] < x["ke"] < x["prev"] < x["next"], (rel, x)


def test_menu_and_downloads_one_line_each_at_1280(site, page):
    _open(page, site, f"2022/05/{KANREG}/capaian_output.html")
    page.locator(".spektra-unduh summary").click()
    heights = page.locator(".spektra-unduh li a, .spektra-laporan li a").evaluate_all(
        "as => as.map(a => { const r = document.createRange(); r.selectNodeContents(a);"
        " return [a.textContent, new Set([...r.getClientRects()].map("
        "x => Math.round(x.top))).size]; })")
    assert heights and [t for t, n in heights if n != 1] == []
