"""The seed's filters on the static site, used in Chromium as a reader would (issue 15):
jenis belanja on the rankings, dari – s.d. bulan on realisasi satker and monitoring SPP,
satker / unit kerja of the dashboard's charts, the page-number box; and the landing and
index pages listing the modules. Figures are checked against reports.run.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from spektra_lib import reports
from spektra_lib.present import format as fmt
from spektra_lib.render import build_site
from spektra_lib.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PUSAT, KANREG_IV = "017220", "017234"
REPORTS = ("dashboard", "realisasi_satker", "monitoring_spp", "deviasi_kumulatif")


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_store):
    store = seed_store()
    out = tmp_path_factory.mktemp("site")
    build_site(store_path=store, tahun=2022, bulan=5, out=out, progress=False,
               satker=("semua", PUSAT, KANREG_IV), reports=REPORTS, unduhan=False)
    return out, store


def run(store, name, **kw):
    with Store(store, read_only=True) as st:
        return reports.run(name, st, tahun=2022, **({"bulan": 5} | kw))


def _open(page, site: Path, rel: str, ready: str):
    page.goto((site / rel).resolve().as_uri())
    page.wait_for_selector(ready, state="attached", timeout=20_000)


def _rows(page, root: str) -> list[list[str]]:
    return page.locator(f"{root} table.dataTable tbody tr").evaluate_all(
        "trs => trs.map(tr => Array.from(tr.cells).map(td => td.innerText.trim()))")


def test_jenis_belanja_changes_the_satker_ranking(built, page):
    site, store = built
    root = "[data-laporan=ranking_satker]"
    _open(page, site, "2022/05/semua/dashboard.html", f"{root}[data-saring-siap]")
    semua = _rows(page, root)
    page.locator(f"{root} select.saring").select_option(label="52 — Barang")
    barang = run(store, "ranking_satker", jenis_belanja="52")
    shown = _rows(page, root)
    assert shown != semua
    # The reader sees the report's figures for belanja barang, in its order.
    assert [r[1] for r in shown] == list(barang["nama"])
    assert shown[0][2] == fmt.rupiah(barang["pagu"].iloc[0])
    assert shown[0][4] == fmt.persen(barang["persen_realisasi"].iloc[0])
    assert page.locator(f"{root} .saring-keterangan").inner_text() == "Jenis belanja 52 Barang"
    page.locator(f"{root} select.saring").select_option(label="Semua")
    assert _rows(page, root) == semua
    page.rec.assert_offline()


def test_dari_bulan_recomputes_realisasi_per_satker(built, page):
    site, store = built
    root = "[data-laporan=realisasi_satker]"
    _open(page, site, "2022/05/semua/realisasi_satker.html", f"{root}[data-saring-siap]")
    page.locator(f"{root} select[data-saring=dari]").select_option(label="Maret")
    expected = run(store, "realisasi_satker", bulan_dari=3)
    shown = _rows(page, root)
    assert [r[1] for r in shown] == list(expected["nama"]) + ["Jumlah"]
    # the total row follows the range (issue 27.13)
    assert shown[-1][3] == fmt.rupiah(expected["realisasi"].sum())
    surabaya = next(r for r in shown if "SURABAYA" in r[1])
    row = expected[expected["nama"].str.contains("SURABAYA")].iloc[0]
    assert surabaya[3] == fmt.rupiah(row["realisasi"])          # Maret s.d. Mei only
    assert surabaya[4] == fmt.persen(row["persen_realisasi"])
    assert "Maret s.d. Mei 2022" in page.locator(f"{root} .saring-keterangan").inner_text()
    # s.d. before dari cannot be chosen
    assert page.locator(f"{root} select[data-saring=sd] option[value='2']").is_disabled()


def test_month_range_keeps_the_spp_of_those_months(built, page):
    site, store = built
    root = "[data-laporan=monitoring_spp]"
    _open(page, site, f"2022/05/{PUSAT}/monitoring_spp.html", f"{root}[data-saring-siap]")
    total = len(_rows(page, root))
    page.locator(f"{root} select[data-saring=dari]").select_option(label="Februari")
    page.locator(f"{root} select[data-saring=sd]").select_option(label="Maret")
    expected = run(store, "monitoring_spp", satker=PUSAT, bulan_dari=2, bulan=3)
    shown = _rows(page, root)
    assert 0 < len(shown) < total
    assert [r[1] for r in shown] == list(expected["no_spp"])
    assert [r[0] for r in shown] == [str(i) for i in range(1, len(shown) + 1)]   # No
    assert all(re.fullmatch(r"\d\d/0[23]/2022", r[2]) for r in shown)


def _y_ticks(page, chart: str) -> float:
    labels = page.locator(f"#{chart} svg .role-axis-label text").evaluate_all(
        "ts => ts.map(t => t.textContent)")
    numbers = [float(t.replace(".", "").replace(",", ".")) for t in labels
               if re.fullmatch(r"[\d.]+,\d", t)]
    return max(numbers)


def test_dashboard_charts_follow_the_satker_choice(built, page):
    site, store = built
    _open(page, site, "2022/05/semua/dashboard.html", "select.pilih-scope:not([disabled])")
    chart = "grafik-grafik_rpd_realisasi"
    page.wait_for_selector(f"#{chart} svg .role-axis-label text", timeout=20_000)
    agency_top = _y_ticks(page, chart)
    labels = page.locator("select.pilih-scope option").all_inner_texts()
    assert "Seluruh satker" in labels and any("Biro Keuangan" in t for t in labels)
    page.locator("select.pilih-scope").select_option(KANREG_IV)
    page.wait_for_selector(f"#pilihan-grafik_rpd_realisasi[data-pilihan='{KANREG_IV}']")
    page.wait_for_function(
        f"document.querySelector('#{chart} svg .role-axis-label text') !== null")
    page.wait_for_timeout(300)
    rencana = run(store, "grafik_rpd_realisasi", satker=KANREG_IV)["rencana_kumulatif"].max()
    top = _y_ticks(page, chart)
    # Kanreg IV's December RPD (about 19 miliar) tops its axis, far below the agency's.
    assert rencana / 1e9 <= top * 1.25 and top < agency_top / 5
    assert page.locator("#pilihan-grafik_target_realisasi").get_attribute(
        "data-pilihan") == KANREG_IV
    page.rec.assert_offline()


def test_page_number_box_moves_to_that_page(built, page):
    site, _ = built
    root = "[data-laporan=ranking_unit]"
    _open(page, site, "2022/05/semua/dashboard.html", f"{root} input.ke-halaman")
    page.locator(f"{root} .dt-length select").select_option("10")
    box = page.locator(f"{root} input.ke-halaman")
    box.fill("2")
    box.press("Enter")
    page.wait_for_function(
        f"document.querySelector('{root} .dt-info').innerText.startsWith('Baris 11')")
    assert box.input_value() == "2"


def test_landing_lists_the_modules_and_every_satker_has_kumulatif(built, page):
    site, _ = built
    _open(page, site, "index.html", "nav.spektra-modul")
    menu = page.locator("nav.spektra-modul .modul-judul").all_inner_texts()
    assert [m.lower() for m in menu] == ["dashboard", "modul perencanaan", "modul keuangan"]
    assert page.locator("nav.spektra-modul a", has_text="(Kumulatif)").count() == 1
    assert ".html" not in page.locator("nav.spektra-modul").inner_text()   # titles, not files
    page.click("nav.spektra-periode a:has-text('Periode Mei 2022')")
    row = page.locator("table.daftar tr", has_text="KANTOR REGIONAL IV")
    row.locator("a:has-text('Modul Perencanaan')").click()
    page.wait_for_selector("#modul-perencanaan")
    assert page.locator("#modul-perencanaan h2").inner_text() == "Modul Perencanaan"
    page.click("#modul-perencanaan a:has-text('(Kumulatif)')")
    page.wait_for_selector("td.deviasi")
    assert page.locator("td.deviasi").count() >= 5        # Kanreg IV's own kumulatif row
    assert "KANTOR REGIONAL IV" in page.locator("h1").inner_text().upper()
    page.rec.assert_offline()
