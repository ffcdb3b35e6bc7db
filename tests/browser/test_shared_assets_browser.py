"""Pages of the static site whose table stylesheet and scripts are shared files
(site/assets/tabel.<hash>.css|js, saring.<hash>.js; render/shared_assets.py), opened from
file:// in Chromium: the hierarchical table's search, paging and +/−, a flat table's
filter and page-number box, and the landing page's satker select still work."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from spektra_lib.present import tables, tree
from spektra_lib.render import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UNIT = "017220-0102"          # Biro Keuangan, unit kerja of the central satker
REPORTS = ("dashboard", "realisasi_satker", "deviasi_detail")
SHARED = re.compile(r"assets/(tabel|saring)\.[0-9a-f]{10}\.(css|js)$")


@pytest.fixture(scope="module")
def site(tmp_path_factory, seed_store) -> Path:
    store = seed_store()
    out = tmp_path_factory.mktemp("site")
    build_site(store_path=store, tahun=2022, bulan=5, out=out, progress=False,
               satker=("semua", UNIT), reports=REPORTS, unduhan=False)
    return out


def _open(page, site: Path, rel: str) -> str:
    """Open a page from file:// and return its source as written."""
    page.goto((site / rel).resolve().as_uri())
    return (site / rel).read_text(encoding="utf-8")


def _shared_requests(page) -> set[str]:
    return {m.group(1) + "." + m.group(2) for u in page.rec.urls if (m := SHARED.search(u))}


def _no_inline_copies(source: str) -> None:
    assert tree._asset("tabel.js") not in source
    assert tree.style_block() not in source
    assert tables.saring_js() not in source


def test_tree_table_from_shared_files(site, page):
    source = _open(page, site, f"2022/05/{UNIT}/deviasi_detail.html")
    _no_inline_copies(source)
    page.wait_for_selector(".spektra-tabel[data-siap]", state="attached", timeout=15_000)
    assert {"tabel.css", "tabel.js"} <= _shared_requests(page)
    # the stylesheet applies: header colour of assets/tabel.css
    bg = page.locator(".spektra-tabel thead th").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert bg == "rgb(31, 56, 100)"
    # paging
    visible = "tbody.node:visible"
    info = page.locator(".info-halaman").first
    first_info, first_node = info.inner_text(), page.locator(visible).first.inner_text()
    page.locator("button.berikutnya").first.click()
    assert info.inner_text() != first_info
    assert page.locator(visible).first.inner_text() != first_node
    page.locator("button.sebelumnya").first.click()
    # + shows the node's rencana and realisasi rows, − hides them
    node = page.locator(visible).first
    assert not node.locator("tr.rencana").is_visible()
    node.locator("button.toggle").click()
    assert node.locator("tr.rencana").is_visible() and node.locator("tr.realisasi").is_visible()
    node.locator("button.toggle").click()
    assert not node.locator("tr.rencana").is_visible()
    # search
    total = page.locator("tbody.node").count()
    page.locator("input.cari").first.fill("gaji")
    assert 0 < page.locator(visible).count() < total
    page.locator("input.cari").first.fill("tidak-ada-yang-cocok-xyz")
    assert page.locator(visible).count() == 0
    page.rec.assert_offline()


def test_flat_table_filter_from_shared_script(site, page):
    root = "[data-laporan=realisasi_satker]"
    source = _open(page, site, "2022/05/semua/realisasi_satker.html")
    _no_inline_copies(source)
    page.wait_for_selector(f"{root}[data-saring-siap]", state="attached", timeout=20_000)
    assert "saring.js" in _shared_requests(page)
    assert page.locator(f"{root} input.ke-halaman").count() == 1
    before = page.locator(f"{root} .saring-keterangan").inner_text()
    page.locator(f"{root} select[data-saring=dari]").select_option(label="Maret")
    assert page.locator(f"{root} .saring-keterangan").inner_text() != before
    assert page.locator(f"{root}[data-pilihan]").count() == 1
    page.rec.assert_offline()


def test_landing_page_uses_the_shared_script_from_the_root(site, page):
    source = _open(page, site, "index.html")
    _no_inline_copies(source)
    assert re.search(r'<script src="assets/saring\.[0-9a-f]{10}\.js"></script>', source)
    select = page.locator("select.pilih-scope")
    page.wait_for_function("!document.querySelector('select.pilih-scope').disabled",
                           timeout=20_000)
    assert select.locator("option").count() > 1
    assert "saring.js" in _shared_requests(page)
    page.rec.assert_offline()
