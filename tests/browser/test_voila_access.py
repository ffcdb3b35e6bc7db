"""The four roles in a real browser: Chromium → nginx login proxy → Voilà → kernels.

Publik sees the dashboard only; the Kanreg IV User's satker list holds Kanreg IV only and
a hand-made URL for another satker shows nothing of it; a Super User switching satker in
the widget gets the other satker's numbers, redrawn in place.
"""
from __future__ import annotations


import pytest

from spektra_lib.serve import free_port, running
from spektra_lib.serve.settings import Settings
from spektra_lib.store import Store


pytestmark = [pytest.mark.browser, pytest.mark.slow]

SANDI = "sandi-uji-peramban"
KANREG_IV, KANREG_V = "017234", "017235"
WAIT = 120_000          # ms: a kernel start plus the page's first run


@pytest.fixture(scope="module")
def stack(demo_store_path):
    mp = pytest.MonkeyPatch()
    mp.setenv("SPEKTRA_SANDI", SANDI)
    mp.delenv("SPEKTRA_HTPASSWD", raising=False)
    try:
        # Room for every page these tests open; kernels of closed pages go after 30 s.
        settings = Settings(maks_kernel=12, cull_detik=30, cull_interval=5,
                            pool={"default": 0, "dashboard.ipynb": 1,
                                  "deviasi_detail.ipynb": 2})
        with running(free_port(), login=True, store=demo_store_path, host="127.0.0.1",
                     settings=settings, announce=lambda s: None, timeout=90) as s:
            global _url
            _url = s.url
            yield s
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def pagu(demo_store_path):
    """Pagu per satker as the pages print it (1.234.567)."""
    with Store(demo_store_path, read_only=True) as st:
        df = st.sql("SELECT kode_satker, round(sum(pagu)) AS pagu FROM pok "
                    "WHERE tahun = (SELECT max(tahun) FROM pok) GROUP BY 1")
    return {k: f"{int(v):,}".replace(",", ".") for k, v in zip(df.kode_satker, df.pagu)}


def _context(chromium_browser, user=None):
    """A browser session; a user logs in like a person does: the login form, then back."""
    ctx = chromium_browser.new_context(locale="id-ID", viewport={"width": 1400, "height": 1000})
    if user:
        page = ctx.new_page()
        page.goto(_url + "/masuk")
        page.fill("#nama", user)
        page.fill("#sandi", SANDI)
        page.click("button[type=submit]")
        page.wait_for_url(_url + "/")
        page.close()
    return ctx


_url = ""


def _options(page, cls: str) -> list[str]:
    texts = page.eval_on_selector_all(f".{cls} select option", "os => os.map(o => o.textContent)")
    return [t.replace("\xa0", " ") for t in texts]      # ipywidgets shows spaces as nbsp


def test_publik_opens_only_the_dashboard(stack, peramban):
    ctx = _context(peramban)
    page = ctx.new_page()
    try:
        # The landing page: Publik's menu is the dashboard alone.
        page.goto(stack.url + "/")
        menu = page.inner_text("main")
        assert "Dashboard Realisasi Anggaran" in menu and "Modul Keuangan" not in menu
        page.click("text=Dashboard Realisasi Anggaran", no_wait_after=True)
        page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=WAIT)
        assert page.url.endswith("/voila/render/dashboard.ipynb")
        assert "Dashboard Realisasi Anggaran" in page.inner_text("body")
        # The header bar: Publik, with Masuk back to this page.
        page.wait_for_selector(".spektra-bar .masuk")
        assert "Publik" in page.inner_text(".spektra-bar")
        for path in ("/voila/api/contents", "/files/dashboard.ipynb"):
            assert page.goto(stack.url + path).status == 404, path
        for path in ("/voila/tree", "/voila/tree/deviasi_detail.ipynb"):
            page.goto(stack.url + path)
            assert page.url == stack.url + "/"                 # the menu, not a file list
            assert "Modul Perencanaan" not in page.inner_text("body")
    finally:
        ctx.close()


def test_a_report_link_asks_for_login_and_returns_to_it(stack, peramban):
    ctx = _context(peramban)
    page = ctx.new_page()
    try:
        target = f"/voila/render/deviasi_detail.ipynb?satker={KANREG_IV}"
        page.goto(stack.url + target, wait_until="commit")
        page.wait_for_selector("#sandi")
        assert page.inner_text("h1") == "Masuk ke SPEKTRA"
        page.fill("#nama", "kanreg4")
        page.fill("#sandi", "salah")
        page.click("button[type=submit]")
        page.wait_for_selector("text=Nama pengguna atau sandi salah")
        page.fill("#nama", "kanreg4")
        page.fill("#sandi", SANDI)
        page.click("button[type=submit]")
        page.wait_for_url(stack.url + target, timeout=WAIT)
        page.wait_for_selector(".spektra-satker select", timeout=WAIT)
        bar = page.inner_text(".spektra-bar")
        assert "Operator Kanreg IV Makassar" in bar and "(User)" in bar and "Keluar" in bar
        # The menu lists the modules by their Indonesian titles.
        page.click(".spektra-bar >> text=Beranda")
        body = page.inner_text("body")
        for words in ("Modul Perencanaan", "Deviasi Rencana dan Realisasi Detail",
                      "Modul Keuangan", "Realisasi POK"):
            assert words in body, words
        assert "deviasi_detail" not in body and "eksplorasi" not in body
        # Keluar (a confirmation, then a POST that ends the session on the server): Publik
        # again, the report asks for a login again.
        page.click(".spektra-bar >> text=Keluar")
        page.wait_for_url(stack.url + "/keluar")
        page.click("main button[type=submit]")
        page.wait_for_url(stack.url + "/")
        assert "Masuk" in page.inner_text(".spektra-bar")
        page.goto(stack.url + target, wait_until="commit")
        page.wait_for_selector("#sandi")
    finally:
        ctx.close()


def test_kanreg_iv_user_sees_only_kanreg_iv(stack, peramban, pagu):
    ctx = _context(peramban, "kanreg4")
    page = ctx.new_page()
    try:
        # A hand-made URL naming another satker is refused, and shows none of its data.
        page.goto(stack.url + f"/voila/render/deviasi_detail.ipynb?satker={KANREG_V}",
                  wait_until="commit")
        page.wait_for_selector(".spektra-satker select", timeout=WAIT)
        page.wait_for_selector("text=Akses ditolak", timeout=WAIT)
        options = _options(page, "spektra-satker")
        assert len(options) == 1 and options[0].startswith(KANREG_IV)
        body = page.inner_text("body")
        assert f"tidak berhak melihat data satker {KANREG_V}" in body
        assert pagu[KANREG_V] not in body and "Pagu:" not in body
    finally:
        ctx.close()


def test_super_user_switching_satker_redraws_the_numbers(stack, peramban, pagu):
    ctx = _context(peramban, "pimpinan")
    page = ctx.new_page()
    try:
        page.goto(stack.url + "/voila/render/deviasi_detail.ipynb", wait_until="commit")
        page.wait_for_selector(".spektra-satker select", timeout=WAIT)
        options = _options(page, "spektra-satker")
        assert options[0] == "Seluruh Satker" and len(options) == len(pagu) + 1
        url = page.url
        page.evaluate("window.__belum_dimuat_ulang = true")
        for kode in (KANREG_IV, KANREG_V):
            index = next(i for i, o in enumerate(options) if o.startswith(kode))
            page.select_option(".spektra-satker select", index=index)
            page.wait_for_selector(f"text=Pagu: {pagu[kode]}", timeout=60_000)
        body = page.inner_text("body")
        assert f"Pagu: {pagu[KANREG_V]}" in body and f"Pagu: {pagu[KANREG_IV]}" not in body
        # Redrawn in place: same page, never reloaded.
        assert page.url == url and page.evaluate("window.__belum_dimuat_ulang === true")
    finally:
        ctx.close()


# Every text of a visible deviasi-table cell inside the cell's box (labels never pushed
# across the month columns); returns the offenders.
OVERFLOW_JS = """() => {
  const bad = []; let n = 0;
  for (const td of document.querySelectorAll('.spektra-tabel tbody tr td')) {
    if (!td.offsetParent) continue;
    n += 1;
    const r = document.createRange(); r.selectNodeContents(td);
    const t = r.getBoundingClientRect(), c = td.getBoundingClientRect();
    if (t.width && (t.left < c.left - 1 || t.right > c.right + 1))
      bad.push(td.className + ': ' + td.textContent.trim().slice(0, 40));
  }
  return {bad, n};
}"""


def test_unduh_from_a_voila_page_and_the_deviasi_tree(stack, peramban, pagu):
    """A User's deviasi page: the tree's labels inside their cells, and Unduh gives the
    PDF / xlsx of what is on screen (the month picked), never another satker's."""
    import pdfplumber
    ctx = _context(peramban, "kanreg4")
    page = ctx.new_page()
    try:
        page.goto(stack.url + "/voila/render/deviasi_detail.ipynb", wait_until="commit")
        page.wait_for_selector(".spektra-tabel tbody tr", timeout=WAIT)
        cells = page.evaluate(OVERFLOW_JS)
        assert cells["bad"] == [] and cells["n"] > 100, cells
        # The default month: the latest with data (the demo year runs to Desember).
        bulan = page.eval_on_selector(".spektra-bulan select",
                                      "s => s.options[s.selectedIndex].textContent")
        assert bulan == "Desember"
        page.select_option(".spektra-bulan select", label="Maret")
        page.wait_for_selector("text=s.d. Maret 2022", timeout=60_000)
        page.click(".menu-unduh summary")
        href = page.get_attribute("a.unduh-pdf", "href")
        assert "bulan=3" in href and f"satker={KANREG_IV}" in href
        with page.expect_download(timeout=60_000) as dl:
            page.click("a.unduh-pdf")
        path = dl.value.path()
        assert dl.value.suggested_filename == f"deviasi_detail-{KANREG_IV}-2022-03.pdf"
        with pdfplumber.open(path) as doc:
            text = doc.pages[0].extract_text()
        assert "Deviasi Rencana dan Realisasi Detail" in text and "Maret 2022" in text
        assert pagu[KANREG_IV] in text
        # The same link for another satker: refused by the store, no file.
        other = page.request.get(stack.url + href.replace(KANREG_IV, KANREG_V))
        assert other.status == 403 and "Akses ditolak" in other.text()
        xlsx = page.request.get(stack.url + href.replace(".pdf", ".xlsx"))
        assert xlsx.status == 200 and xlsx.body()[:2] == b"PK"
    finally:
        ctx.close()
