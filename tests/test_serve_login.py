"""The login holds (issue 26, item 4 and 5): one test per hole an adversarial review found.

The real stack on 127.0.0.1 (nginx → SPEKTRA's Voilà on a socket), no page drawn ahead and
no preheated kernel, so nothing here waits for a kernel unless it asks for one. Each test
talks from a loopback address of its own (127.0.0.x), as nginx sees it: the per-address
lock-out of one test does not lock the next.
"""
from __future__ import annotations

import base64
import re
import shutil
import time

import httpx
import pytest

from spektra_lib import users as U
from spektra_lib.audit import Audit
from spektra_lib.serve import free_port, running
from spektra_lib.serve.settings import Settings

pytestmark = pytest.mark.slow

SANDI = "Sandi-uji-2026"


@pytest.fixture(scope="module")
def place(tmp_path_factory, demo_store_path):
    d = tmp_path_factory.mktemp("masuk")
    store = d / "data" / "spektra.duckdb"
    store.parent.mkdir()
    shutil.copy(demo_store_path, store)
    return d


@pytest.fixture(scope="module")
def stack(place):
    mp = pytest.MonkeyPatch()
    mp.setenv("SPEKTRA_PENGGUNA", str(place / "data" / "pengguna.sqlite"))
    mp.setenv("SPEKTRA_AUDIT", str(place / "data" / "audit"))
    mp.delenv("SPEKTRA_SANDI", raising=False)
    users = U.open_users()
    for login in ("admin", "pimpinan", "kanreg4", "biro_keuangan"):
        users.set_password(login, SANDI)
    for login in ("korban", "tebak", "keluar1", "nonaktif1", "ganti1", "kuota1"):
        users.add(login, nama=f"Uji {login}", peran="user", satker="017234", password=SANDI)
    settings = Settings(potret_awal=False, pool={"default": 0}, maks_kernel=6)
    try:
        with running(free_port(), login=True, store=place / "data" / "spektra.duckdb",
                     host="127.0.0.1", settings=settings, announce=lambda s: None,
                     timeout=120) as s:
            s.users = users
            s.audit = Audit()
            yield s
    finally:
        mp.undo()


def client(stack, last_octet: int, **kw) -> httpx.Client:
    """A client whose connections come from 127.0.0.<last_octet>."""
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{last_octet}")
    return httpx.Client(base_url=stack.url, transport=transport, timeout=120,
                        follow_redirects=False, **kw)


def basic(login, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


def form_login(c: httpx.Client, login: str, password: str = SANDI, kembali: str = "/"):
    page = c.get("/masuk", params={"kembali": kembali})
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return c.post("/masuk", data={"nama": login, "sandi": password, "kembali": kembali,
                                  "csrf": token})


def test_wrong_basic_passwords_are_slowed_then_locked_with_the_time_left(stack):
    """Was: 40 wrong passwords checked in 0.6 s, no limit, /_spektra/saya telling right
    from wrong."""
    with client(stack, 11) as c:
        t = time.monotonic()
        codes = [c.get("/_spektra/saya", headers=basic("korban", f"tebakan-{i}")).status_code
                 for i in range(8)]
        took = time.monotonic() - t
        assert codes[:U.LOCK_LOGIN] == [401] * U.LOCK_LOGIN
        assert codes[U.LOCK_LOGIN:] == [429] * (8 - U.LOCK_LOGIN)
        assert took >= U.LOCK_LOGIN * U.FAIL_DELAY
        # locked: the right password does not tell either, and the page says how long
        right = c.get("/_spektra/saya", headers=basic("korban", SANDI))
        assert right.status_code == 429
        assert re.search(r"Coba lagi dalam 1[45] menit", right.text)
        assert int(right.headers["Retry-After"]) > 14 * 60
    failed = [r for r in stack.audit.read(pengguna="korban", aksi="masuk")]
    assert len(failed) == U.LOCK_LOGIN and {r["hasil"] for r in failed} == {"gagal"}
    assert {r["alamat"] for r in failed} == {"127.0.0.11"}


def test_twenty_failed_logins_from_one_address_lock_it_whatever_header_it_sends(stack):
    with client(stack, 12) as c:
        # the form (nginx also allows it 10 posts a minute per address) and Basic alike
        for i in range(4):
            r = form_login(c, f"nama{i}", "salah-salah-1")
            assert r.status_code == 401 and "Nama pengguna atau sandi salah" in r.text
        for i in range(4, U.LOCK_ADDRESS):
            r = c.get("/", headers=basic(f"nama{i}", "salah-salah-1"))
            assert r.status_code == 401
        # the address nginx saw is locked; a header the client sends changes nothing
        r = c.get("/_spektra/saya", headers={**basic("kanreg4", SANDI),
                                              "X-Spektra-Alamat": "10.9.9.9",
                                              "X-Forwarded-For": "10.9.9.9"})
        assert r.status_code == 429
        assert "Terlalu banyak percobaan masuk" in r.text
    with client(stack, 13) as c:             # another address: the same user may
        assert c.get("/_spektra/saya", headers=basic("kanreg4", SANDI)).json()["peran"] == "user"
    rows = stack.audit.read(aksi="masuk", cari="127.0.0.12")
    assert len(rows) == U.LOCK_ADDRESS and all(r["hasil"] == "gagal" for r in rows)


def test_basic_requests_get_no_rate_limit_cookie(stack):
    """Was: every Basic request got a fresh spektra_batas: unlimited buckets per account."""
    with client(stack, 14) as c:
        for _ in range(3):
            r = c.get("/", headers=basic("pimpinan", SANDI))
            assert r.status_code == 200 and "Kepala Biro Keuangan" in r.text
            assert "spektra_batas" not in r.headers.get("set-cookie", "")


def test_one_account_is_one_rate_limit_bucket_however_often_it_logs_in(stack):
    with client(stack, 15) as a, client(stack, 16) as b:
        assert form_login(a, "pimpinan").status_code == 303
        assert form_login(b, "pimpinan").status_code == 303
        ta, tb = a.cookies["spektra_batas"], b.cookies["spektra_batas"]
    assert ta.split(".")[2] == tb.split(".")[2]          # nginx buckets by this part


def test_logout_is_a_post_and_ends_the_session_on_the_server(stack):
    """Was: Keluar (a GET) only cleared the browser's cookie; a copy worked 8 hours."""
    with client(stack, 17) as c:
        assert form_login(c, "keluar1").status_code == 303
        cookie = c.cookies["spektra_sesi"]
        page = c.get("/keluar")                         # a GET asks, does not log out
        assert page.status_code == 200 and "Keluar dari SPEKTRA" in page.text
        assert c.get("/_spektra/saya").json()["nama"] == "Uji keluar1"
        forged = c.post("/keluar", data={"csrf": "x" * 32})
        assert forged.status_code == 403
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        assert c.post("/keluar", data={"csrf": token}).status_code == 303
    with client(stack, 17) as thief:                    # the old cookie, replayed
        thief.cookies.set("spektra_sesi", cookie)
        assert thief.get("/_spektra/saya").json()["nama"] is None
    assert sorted(r["hasil"] for r in stack.audit.read(pengguna="keluar1", aksi="keluar")) == [
        "ditolak", "ok"]


def test_disable_and_password_change_end_open_sessions_at_the_next_request(stack):
    from spektra_lib.cli import main
    with client(stack, 18) as c, client(stack, 19) as d:
        assert form_login(c, "nonaktif1").status_code == 303
        assert form_login(d, "ganti1").status_code == 303
        page = "/voila/render/monitoring_spp.ipynb?satker=017234&bulan=5"
        assert c.get("/_spektra/saya").json()["peran"] == "user"
        assert main(["pengguna", "nonaktifkan", "nonaktif1"]) == 0
        r = c.get(page)
        assert r.status_code == 302 and r.headers["location"].startswith("/masuk?kembali=")
        assert form_login(c, "nonaktif1").status_code == 401       # and cannot log in again
        stack.users.set_password("ganti1", SANDI + "-baru")
        assert d.get("/_spektra/saya").json()["nama"] is None


def test_login_form_needs_its_csrf_token_and_this_sites_origin(stack):
    """Was: no CSRF token and no Origin check on the login form."""
    with client(stack, 20) as c:
        no_token = c.post("/masuk", data={"nama": "admin", "sandi": SANDI, "kembali": "/"})
        assert no_token.status_code == 403 and "spektra_sesi" not in c.cookies
        assert "Formulir ini kedaluwarsa" in no_token.text
        page = c.get("/masuk")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        foreign = c.post("/masuk", data={"nama": "admin", "sandi": SANDI, "csrf": token},
                         headers={"Origin": "https://penyerang.example"})
        assert foreign.status_code == 403 and "spektra_sesi" not in c.cookies
        ok = c.post("/masuk", data={"nama": "admin", "sandi": SANDI, "csrf": token},
                    headers={"Origin": stack.url})
        assert ok.status_code == 303 and c.cookies["spektra_sesi"]


@pytest.mark.parametrize("path", ["/", "/masuk", "/_spektra/saya", "/keluar", "/tidak-ada",
                                  "/voila/render/dashboard.ipynb", "/admin"])
def test_every_page_refuses_framing_and_sniffing(stack, path):
    with client(stack, 21) as c:
        r = c.get(path)
    assert r.headers.get("x-frame-options") == "DENY", path
    assert r.headers.get("x-content-type-options") == "nosniff"
    assert r.headers.get("referrer-policy") == "same-origin"


def test_odd_cookies_and_parameters_give_a_page_never_a_500(stack):
    """Was: a non-ASCII spektra_sesi gave 500 everywhere; a vertical tab in kembali on
    /masuk gave 500."""
    with client(stack, 22) as c:
        for path in ("/", "/masuk", "/_spektra/saya", "/voila/render/dashboard.ipynb"):
            r = c.get(path, headers={"Cookie": "spektra_sesi=caf\u00e9.123.abc".encode()})
            assert r.status_code == 200, (path, r.status_code)
        for kembali in ("/a\x0bb", "/\u00e9", "/x\x00", " //contoh.id"):
            r = c.get("/masuk", params={"kembali": kembali})
            assert r.status_code == 200
            back = re.search(r'name="kembali" value="([^"]*)"', r.text).group(1)
            assert back in ("/", "/x")       # tornado drops a NUL from arguments itself
        r = c.post("/masuk", data={"nama": "\x0b\u00e9", "sandi": "\x00", "csrf": "\u00e9"})
        assert r.status_code == 403


def test_live_pages_only_for_roles_that_may_and_scope_checked_before_a_kernel(stack):
    """Was: ~4 anonymous ?interaktif=1 filled the kernel ceiling; a User's live page for a
    satker not theirs still started a kernel."""
    before = stack.log().count("Kernel started")
    with client(stack, 23) as anon:
        r = anon.get("/voila/render/dashboard.ipynb?interaktif=1")
        assert r.status_code == 403 and "Mode interaktif hanya untuk peran" in r.text
    with client(stack, 24) as c:
        form_login(c, "kanreg4")
        r = c.get("/voila/render/monitoring_spp.ipynb?satker=017220&interaktif=1")
        assert r.status_code == 403 and "Akses ditolak" in r.text
    assert stack.log().count("Kernel started") == before
