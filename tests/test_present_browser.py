"""The table script in a real browser (Debian Chromium, file://, no network):
search keeps a match's ancestors, paging moves, + shows rencana/realisasi, colours apply."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.present import tables

import present_fixture as fx

pytestmark = pytest.mark.browser
def itables_init(monkeypatch) -> str:
    """The HTML that itables' offline init_notebook_mode displays in a notebook."""
    import IPython.display
    from itables import init_notebook_mode
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    init_notebook_mode(all_interactive=False, connected=False)
    return "\n".join(shown)


def deviasi_nodes() -> list[tuple]:
    nodes = [("unit", "BK", "", "Biro Keuangan", 1e9)]
    for p in range(15):
        nodes += [("program", f"P{p}", f"P{p}", f"Program {p}", 1e8),
                  ("kegiatan", f"{p:04d}", f"P{p}.{p:04d}", f"Kegiatan nomor {p}", 1e8),
                  ("item", "1", f"P{p}.{p:04d}.1", f"Item <b>{p}</b>", 1e7)]
    return nodes


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    mp = pytest.MonkeyPatch()
    try:
        init = itables_init(mp)
    finally:
        mp.undo()
    ranking = pd.concat([fx.ranking()] * 15, ignore_index=True)
    ranking["peringkat"] = range(1, len(ranking) + 1)
    body = (tables.table_html("deviasi_detail", fx.deviasi_detail(deviasi_nodes()))
            + init + tables.table_html("ranking_satker", ranking))
    path = tmp_path_factory.mktemp("browser") / "tabel.html"
    path.write_text(f'<!doctype html><html lang="id"><head><meta charset="utf-8"></head>'
                    f"<body>{body}</body></html>", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser_page(page_file, peramban):
    context = peramban.new_context()
    page = context.new_page()
    urls, errors = [], []
    page.on("request", lambda r: urls.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    page.wait_for_selector(".dt-search input")
    yield page, urls, errors
    context.close()


def test_paging_toggle_colours_and_search(browser_page):
    page, urls, errors = browser_page
    tree = page.locator('div.spektra-tabel[data-laporan="deviasi_detail"]')
    info = tree.locator(".info-halaman")
    assert info.inner_text() == "Halaman 1 dari 3 (46 baris)"
    assert tree.locator("tbody.node:visible").count() == 20
    tree.locator("button.berikutnya").click()
    assert info.inner_text() == "Halaman 2 dari 3 (46 baris)"
    assert tree.locator("tbody.node:visible").first.get_attribute("data-kode") == "0006"
    tree.locator("button.sebelumnya").click()

    first = tree.locator("tbody.node").first
    assert first.locator("button.toggle").inner_text() == "+"
    assert first.locator("button.toggle").get_attribute("aria-expanded") == "false"
    assert not first.locator("tr.rencana").is_visible()
    first.locator("button.toggle").click()
    assert first.locator("tr.rencana").is_visible() and first.locator("tr.realisasi").is_visible()
    assert first.locator("button.toggle").inner_text() == "−"
    # the rows built from the node's compact data read as the seed's: twelve months of
    # rencana, realisasi up to the reporting month, then one blank "belum jatuh tempo"
    rencana = [t.strip() for t in first.locator("tr.rencana td").all_inner_texts()]
    assert rencana[1] == "Rencana" and len(rencana) == 14
    assert rencana[2:4] == ["8.119.369.897", "16.238.739.794"]
    assert rencana[-1] == "97.432.438.764"
    realisasi = first.locator("tr.realisasi td")
    assert [t.strip() for t in realisasi.all_inner_texts()][1:3] == \
        ["Realisasi", "9.048.762.480"]
    assert realisasi.count() == 2 + fx.BULAN + 1
    assert realisasi.last.get_attribute("colspan") == str(12 - fx.BULAN)
    # rencana sits above realisasi above deviasi, as in the seed
    order = first.locator("tr").evaluate_all("rs => rs.map(r => r.className)")
    assert order == ["judul induk", "rencana", "realisasi", "deviasi"]
    first.locator("button.toggle").click()
    assert not first.locator("tr.realisasi").is_visible()

    merah = first.locator("td.warna-merah").first
    assert merah.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 199, 206)"
    blank = first.locator("td.belum-jatuh-tempo").first
    assert blank.get_attribute("title") == "belum jatuh tempo"
    # deeper nodes are indented further (td.uraian.d<depth>)
    pads = [float(tree.locator(f"tbody.node[data-depth='{d}'] td.uraian").first.evaluate(
        "e => parseFloat(getComputedStyle(e).paddingLeft)")) for d in (0, 1, 2)]
    assert pads[0] < pads[1] < pads[2]
    assert blank.inner_text() == ""

    tree.locator("input.cari").fill("kegiatan nomor 7")
    kept = [e.get_attribute("data-kode") for e in tree.locator("tbody.node:visible").all()]
    assert kept == ["BK", "P7", "0007"]        # the match and its ancestors
    assert info.inner_text() == "Halaman 1 dari 1 (3 baris)"
    tree.locator("input.cari").fill("")
    assert info.inner_text() == "Halaman 1 dari 3 (46 baris)"
    assert "Item <b>3</b>" in tree.inner_text()   # data text shown as text

    flat = page.locator('div.spektra-tabel[data-laporan="ranking_satker"]')
    assert flat.locator("table.dataTable tbody tr:visible").count() == 20
    flat.locator(".dt-search input").fill("kanreg")
    assert flat.locator("table.dataTable tbody tr:visible").count() == 15
    assert "<b>Kanreg</b>" in flat.locator("table.dataTable tbody").inner_text()
    assert "38,78 %" not in flat.inner_text()  # the Kanreg rows only: 37,32 %
    assert "37,32 %" in flat.inner_text()

    assert not errors, errors
    assert all(u.startswith(("file://", "data:", "blob:")) for u in urls), urls
