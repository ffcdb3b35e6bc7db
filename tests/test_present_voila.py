"""The controls in the real stack (nginx login → Voilà → kernel) in Debian Chromium:
changing one redraws the page in place, offline, and a User is held to the own satker,
also when the page's address asks for another one."""
from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from spektra_lib.serve import free_port, running

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SANDI = "sandi-uji-widget"
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def stack(demo_store_path, tmp_path_factory):
    if not Path(CHROMIUM).exists() or not shutil.which("nginx"):
        pytest.skip("Chromium atau nginx tidak terpasang")
    nbdir = tmp_path_factory.mktemp("nb")
    for name in ("dashboard", "realisasi_pok", "capaian_output", "deviasi_detail",
                 "simulasi_proyeksi"):
        shutil.copy(NOTEBOOKS / f"{name}.ipynb", nbdir)
    mp = pytest.MonkeyPatch()
    mp.setenv("SPEKTRA_SANDI", SANDI)
    mp.delenv("SPEKTRA_HTPASSWD", raising=False)
    try:
        # deviasi_detail preheated as in production: its kernel learns the address (and
        # the user) only after the request arrives (voila.utils.wait_for_request).
        with running(free_port(), login=True, store=demo_store_path, host="127.0.0.1",
                     pools={"default": 0, "deviasi_detail.ipynb": 1}, notebooks=nbdir,
                     announce=lambda s: None) as s:
            yield s
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def browser(peramban):
    return peramban     # one Playwright per process (tests/conftest.py)


def open_page(browser, stack, notebook, user=None, query=""):
    # Sent up front: the proxy answers a page without login with its "Masuk" page.
    token = base64.b64encode(f"{user}:{SANDI}".encode()).decode()
    creds = {"extra_http_headers": {"Authorization": f"Basic {token}"}} if user else {}
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, **creds)
    page = ctx.new_page()
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(f"{stack.url}/voila/render/{notebook}.ipynb{query}", timeout=180_000)
    try:
        page.wait_for_selector(".spektra-kontrol select", timeout=90_000)
    except Exception:
        print(page.inner_text("body")[:2000], stack.log()[-2000:])   # shown on failure
        raise
    return page, seen


def text(locator) -> str:
    return locator.text_content().replace("\xa0", " ")   # ipywidgets keeps spaces with NBSP


def titles(page) -> list[str]:
    return [h.inner_text() for h in page.locator("h1").all()]


def wait_title(page, text: str):
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.textContent.includes(t))",
        arg=text, timeout=60_000)


def test_publik_dashboard_redraws_chart_and_ranking(browser, stack):
    page, seen = open_page(browser, stack, "dashboard")
    page.wait_for_selector(".spektra-grafik svg, .spektra-grafik canvas", timeout=60_000)
    page.wait_for_selector(".dt-info", timeout=60_000)
    assert any("— Seluruh Satker —" in t for t in titles(page))
    satker = page.locator(".spektra-satker select")
    assert text(satker.locator("option").first) == "Seluruh Satker"
    satker.select_option(value=satker.locator("option").nth(5).get_attribute("value"))
    wait_title(page, "KANTOR REGIONAL IV")
    page.wait_for_selector(".spektra-grafik svg, .spektra-grafik canvas", timeout=60_000)
    before = page.locator(".dt-info").first.inner_text()
    page.locator(".spektra-jenis_belanja select").select_option(label="51 — Pegawai")
    page.wait_for_function("b => document.querySelector('.dt-info') && "
                           "document.querySelector('.dt-info').textContent !== ''", arg=before,
                           timeout=60_000)
    assert page.locator(".spektra-grafik").count() == 2       # redrawn in place, not added
    assert not seen["errors"]
    assert [u for u in seen["requests"] if not u.startswith(LOCAL)] == []
    page.context.close()


def test_user_kept_to_own_satker_and_month_redraws(browser, stack):
    page, seen = open_page(browser, stack, "realisasi_pok", user="kanreg4")
    satker = page.locator(".spektra-satker select")
    assert satker.is_disabled()
    assert [text(o) for o in satker.locator("option").all()] == [
        "017234 — KANTOR REGIONAL IV BADAN KEPEGAWAIAN NEGARA MAKASAR"]
    page.wait_for_selector('tbody.node[data-kode="017234"]', timeout=60_000)
    page.locator(".spektra-bulan select").select_option(label="Maret")
    wait_title(page, "Januari s.d. Maret 2022")
    # The table's own script ran inside the redrawn Output: paging text is there (the
    # element is briefly absent while the Output is cleared and drawn again).
    page.wait_for_function("() => /Halaman 1 dari/.test("
                           "(document.querySelector('.info-halaman') || {}).textContent)",
                           timeout=60_000)
    assert not seen["errors"]
    page.context.close()


def test_capaian_page_picks_the_users_satker(browser, stack):
    page, _ = open_page(browser, stack, "capaian_output", user="kanreg4")
    page.wait_for_selector('div[data-laporan="capaian_output"] tr.bulan', timeout=60_000)
    assert any("KANTOR REGIONAL IV" in t for t in titles(page))
    assert page.locator("mark.isian").count() > 0
    page.context.close()


def test_link_to_another_satker_is_refused_for_a_user(browser, stack, demo_store_path):
    from spektra_lib import scopes
    from spektra_lib.store import Store
    with Store(demo_store_path, read_only=True) as store:
        other = scopes.nama_scope(store, satker="017235")
    page, seen = open_page(browser, stack, "deviasi_detail", user="kanreg4",
                           query="?satker=017235&bulan=3")
    page.wait_for_selector("p.spektra-pesan", timeout=60_000)
    body = page.inner_text("body")
    assert "Akses ditolak: Anda tidak berhak melihat data satker 017235." in body
    # Nothing of 017235 (not even its name), no traceback, and not the own satker instead.
    assert other not in body and "Traceback" not in body and "Error" not in body
    assert page.locator("div.spektra-tabel, tbody.node, h1").count() == 0
    # The refused link keeps its other values: picking the own satker shows March.
    satker = page.locator(".spektra-satker select")
    assert satker.is_enabled()
    satker.select_option(index=0)                 # its only choice: 017234
    wait_title(page, "KANTOR REGIONAL IV")
    assert any(t.endswith("s.d. Maret 2022") for t in titles(page))
    page.wait_for_selector('tbody.node[data-kode="017234"]', timeout=60_000)
    assert "Akses ditolak" not in page.inner_text("body")
    assert not seen["errors"]
    page.context.close()


def test_what_if_follows_the_satker_chosen(browser, stack, demo_store_path):
    """The what-if (issue 25) redraws its default table and its plan fields for the satker
    picked in the control, in place."""
    from spektra_lib import scopes
    from spektra_lib.present import format as fmt
    from spektra_lib.reports import simulasi
    from spektra_lib.reports.selection import Selection
    from spektra_lib.store import Store
    with Store(demo_store_path, read_only=True) as store:
        tahun, bulan = scopes.periode_bawaan(store)[0], 5
        plans = {k: simulasi.rencana_bawaan(
            store, Selection(tahun=tahun, bulan=bulan, satker=k)) for k in ("017220", "017234")}
    first = {k: fmt.rupiah(p.sort_values(["bulan", "jenis_belanja"])["realisasi"].iloc[0])
             for k, p in plans.items()}
    assert first["017220"] != first["017234"]
    page, seen = open_page(browser, stack, "simulasi_proyeksi", user="pimpinan",
                           query="?bulan=5")
    page.wait_for_selector("table.spektra-simulasi", timeout=90_000)
    satker = page.locator(".spektra-satker select")
    # one satker is simulated: no "Seluruh Satker", the first one picked
    assert "Seluruh Satker" not in [text(o) for o in satker.locator("option").all()]
    field = page.locator(".widget-text input").first
    page.wait_for_function("v => document.querySelector('.widget-text input') && "
                           "document.querySelector('.widget-text input').value === v",
                           arg=first["017220"], timeout=60_000)
    before = page.locator("table.spektra-simulasi").first.inner_text()
    labels = [text(o) for o in satker.locator("option").all()]
    satker.select_option(index=next(i for i, t in enumerate(labels) if t.startswith("017234")))
    wait_title(page, "KANTOR REGIONAL IV")
    page.wait_for_function("v => document.querySelector('.widget-text input') && "
                           "document.querySelector('.widget-text input').value === v",
                           arg=first["017234"], timeout=60_000)
    page.wait_for_function("b => document.querySelector('table.spektra-simulasi') && "
                           "document.querySelector('table.spektra-simulasi').innerText !== b",
                           arg=before, timeout=60_000)
    assert field.input_value() == first["017234"]
    assert page.locator("table.spektra-simulasi").count() == 2     # redrawn, not added
    assert not seen["errors"]
    page.context.close()
