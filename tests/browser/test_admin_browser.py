"""The Administrator's flow in Chromium through the proxy (issue 26 "Show"): the Admin adds
a User for one satker in /admin; the User logs in and sees that satker only; the Admin
disables the User and the User's open page refuses at the next click. The Admin uploads a
month's file in Unggah data, reads what periksa says, confirms, and an open page shows the
new month at its next load, without a restart."""
from __future__ import annotations

import re
import shutil

import pytest

from spektra_lib import users as U
from spektra_lib.serve import free_port, running
from spektra_lib.serve.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SANDI = "Sandi-peramban-2026"
BARU = "Operator-lima-8842"
KANREG_IV = "017234"
WAIT = 120_000


@pytest.fixture(scope="module")
def months(demo_dir, tmp_path_factory):
    """The demo agency without December's realisasi (the store's data), and December's
    realisasi alone (the month's file the Admin uploads)."""
    import pandas as pd
    d = tmp_path_factory.mktemp("bulan")
    shutil.copytree(demo_dir, d / "awal")
    rows = pd.read_csv(demo_dir / "realisasi.csv", dtype=str, keep_default_na=False)
    december = pd.to_datetime(rows["tanggal"]).dt.month == 12
    rows[~december].to_csv(d / "awal" / "realisasi.csv", index=False)
    (d / "desember").mkdir()
    rows[december].to_csv(d / "desember" / "realisasi.csv", index=False)
    return d


@pytest.fixture(scope="module")
def stack(months, tmp_path_factory):
    from spektra_lib.ingest import ingest_path
    from spektra_lib.store import Store
    d = tmp_path_factory.mktemp("admin-peramban")
    store = d / "data" / "spektra.duckdb"
    store.parent.mkdir()
    with Store(store) as st:
        ingest_path(months / "awal", st)
    mp = pytest.MonkeyPatch()
    mp.setenv("SPEKTRA_PENGGUNA", str(d / "pengguna.sqlite"))
    mp.setenv("SPEKTRA_AUDIT", str(d / "audit"))
    mp.delenv("SPEKTRA_SANDI", raising=False)
    users = U.open_users()
    users.set_password("admin", SANDI)
    try:
        with running(free_port(), login=True, store=store, host="127.0.0.1",
                     settings=Settings(potret_awal=False, pool={"default": 0}, maks_kernel=4),
                     announce=lambda s: None, timeout=120) as s:
            yield s
    finally:
        mp.undo()


def _login(ctx, url, who, password):
    page = ctx.new_page()
    page.goto(url + "/masuk")
    page.fill("#nama", who)
    page.fill("#sandi", password)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")
    return page


def test_admin_adds_a_user_who_sees_one_satker_then_is_disabled(stack, peramban):
    admin_ctx = peramban.new_context(locale="id-ID")
    user_ctx = peramban.new_context(locale="id-ID")
    try:
        admin = _login(admin_ctx, stack.url, "admin", SANDI)
        admin.click("text=Administrasi")
        admin.wait_for_url(stack.url + "/admin")
        admin.fill("#t-login", "op5")
        admin.fill("#t-nama", "Operator Lima")
        admin.select_option("#t-peran", "user")
        admin.fill("#t-satker", KANREG_IV)
        admin.fill("#t-sandi", BARU)
        admin.click("#tambah button[type=submit]")
        admin.wait_for_selector("text=Tersimpan: tambah op5 (user, satker 017234)")
        assert admin.locator("#pengguna-op5 td").first.inner_text() == "op5"

        user = _login(user_ctx, stack.url, "op5", BARU)
        assert "Operator Lima" in user.inner_text(".spektra-bar")
        user.goto(stack.url + "/voila/render/monitoring_spp.ipynb")
        user.wait_for_selector(".spektra-posisi", timeout=WAIT)
        options = user.eval_on_selector_all("select[name=satker] option",
                                            "os => os.map(o => o.value)")
        assert options == [KANREG_IV]

        admin.click("#pengguna-op5 button:has-text('Nonaktifkan')")
        admin.wait_for_selector("text=Tersimpan: nonaktifkan op5")
        user.click(".spektra-bar a:has-text('Beranda')")         # the next click
        user.wait_for_load_state()
        assert "Publik" in user.inner_text(".spektra-bar")
        assert "Operator Lima" not in user.content()
    finally:
        admin_ctx.close()
        user_ctx.close()


def _month_shown(page) -> tuple[str, str]:
    """(the month the page's choice says, its Posisi data line)."""
    page.wait_for_selector(".spektra-posisi", timeout=WAIT)
    bulan = page.eval_on_selector("select[name=bulan]",
                                  "s => s.options[s.selectedIndex].textContent")
    return bulan, page.inner_text(".spektra-posisi")


def test_admin_uploads_a_month_checks_it_confirms_and_pages_show_it(stack, peramban, months):
    ctx = peramban.new_context(locale="id-ID")
    try:
        reader = _login(ctx, stack.url, "admin", SANDI)
        reader.goto(stack.url + "/voila/render/realisasi_satker.ipynb")
        bulan, posisi = _month_shown(reader)
        assert bulan == "November" and "November 2022" in posisi

        admin = ctx.new_page()
        admin.goto(stack.url + "/admin")
        admin.click("text=Unggah data")
        admin.wait_for_url(stack.url + "/admin/unggah")
        admin.set_input_files("#berkas", str(months / "desember" / "realisasi.csv"))
        admin.click("button:has-text('Unggah dan periksa')")
        admin.wait_for_selector("pre.periksa", timeout=WAIT)
        said = admin.inner_text("pre.periksa")
        assert "Hasil: tidak ada masalah" in said
        assert re.search(r"017234 KANTOR REGIONAL IV .* realisasi bulan Desember", said)
        assert "Berkas diterima: realisasi.csv." in admin.inner_text("main")
        admin.click("button:has-text('Muat ke store')")
        admin.wait_for_selector("text=Data dimuat", timeout=WAIT)

        reader.reload()                                 # the same server, no restart
        bulan, posisi = _month_shown(reader)
        assert bulan == "Desember" and "Desember 2022" in posisi
        assert "November 2022" not in posisi
    finally:
        ctx.close()
