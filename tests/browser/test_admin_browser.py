"""The Administrator's flow in Chromium through the proxy (issue 26 "Show"): the Admin adds
a User for one satker in /admin; the User logs in and sees that satker only; the Admin
disables the User and the User's open page refuses at the next click."""
from __future__ import annotations

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
def stack(demo_store_path, tmp_path_factory):
    d = tmp_path_factory.mktemp("admin-peramban")
    mp = pytest.MonkeyPatch()
    mp.setenv("SPEKTRA_PENGGUNA", str(d / "pengguna.sqlite"))
    mp.setenv("SPEKTRA_AUDIT", str(d / "audit"))
    mp.delenv("SPEKTRA_SANDI", raising=False)
    users = U.open_users()
    users.set_password("admin", SANDI)
    try:
        with running(free_port(), login=True, store=demo_store_path, host="127.0.0.1",
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
