"""/admin through the real proxy (issue 26, items 3 and 7): only the Administrator, forms
with CSRF, users changed at the next request, uploads kept inside the data folder, the
check before the ingest, and passwords nowhere but as hashes."""
from __future__ import annotations

import re
import time
from contextlib import closing
import shutil

import httpx
import pytest

from spektra_lib import users as U
from spektra_lib.audit import Audit
from spektra_lib.serve import free_port, running
from spektra_lib.serve.settings import Settings

pytestmark = pytest.mark.slow

SANDI = "Sandi-uji-2026"
BARU = "Operator-baru-7781"


@pytest.fixture(scope="module")
def place(tmp_path_factory, demo_store_path):
    d = tmp_path_factory.mktemp("admin")
    (d / "data").mkdir()
    shutil.copy(demo_store_path, d / "data" / "spektra.duckdb")
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
    settings = Settings(potret_awal=False, pool={"default": 0}, maks_kernel=4)
    try:
        with running(free_port(), login=True, store=place / "data" / "spektra.duckdb",
                     host="127.0.0.1", settings=settings, announce=lambda s: None,
                     timeout=120) as s:
            s.users, s.audit, s.place = users, Audit(), place
            yield s
    finally:
        mp.undo()


def _token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(stack, who, octet=30) -> httpx.Client:
    c = httpx.Client(base_url=stack.url, timeout=300,
                     transport=httpx.HTTPTransport(local_address=f"127.0.0.{octet}"))
    page = c.get("/masuk")
    r = c.post("/masuk", data={"nama": who, "sandi": SANDI, "kembali": "/",
                               "csrf": _token(page.text)})
    assert r.status_code == 303, r.text
    return c


def read_audit(stack, **filters):
    """The audit rows, once the server's buffer was written (every Audit.FLUSH_SECONDS)."""
    time.sleep(Audit.FLUSH_SECONDS * 4)
    return stack.audit.read(**filters)


@pytest.mark.parametrize("who", ["pimpinan", "kanreg4"])
def test_user_and_super_user_never_reach_admin_nor_its_upload(stack, who):
    with closing(login(stack, who, 31)) as c:
        before = [u.__dict__ for u in stack.users.all()]
        assert c.get("/admin").status_code == 403
        assert c.get("/admin/unggah").status_code == 403
        token = _token(c.get("/keluar").text)           # their own valid session token
        for data in ({"aksi": "tambah", "login": "penyusup", "peran": "admin",
                      "sandi": "Penyusup-12345"}, {"aksi": "tambah", "login": "penyusup",
                      "peran": "admin", "sandi": "Penyusup-12345", "csrf": token}):
            r = c.post("/admin", data=data)
            assert r.status_code == 403 and "Akses ditolak" in r.text
        r = c.post("/admin/unggah", data={"csrf": token},
                   files={"berkas": ("pok.csv", b"tahun\n2022\n")})
        assert r.status_code == 403
    assert [u.__dict__ for u in stack.users.all()] == before
    assert not (stack.place / "data" / "unggah").exists()
    refused = read_audit(stack, pengguna=who, aksi="ditolak")
    assert len(refused) == 5 and {r["sasaran"] for r in refused} == {"/admin", "/admin/unggah"}
    with httpx.Client(base_url=stack.url) as anon:
        r = anon.get("/admin")
        assert r.status_code == 302 and r.headers["location"].startswith("/masuk")


def test_a_forged_admin_form_without_the_token_changes_nothing(stack):
    with closing(login(stack, "admin", 32)) as c:
        r = c.post("/admin", data={"aksi": "tambah", "login": "palsu", "peran": "admin",
                                   "sandi": "Palsu-123456789"})
        assert r.status_code == 403 and "Formulir ditolak" in r.text
        r = c.post("/admin", data={"aksi": "tambah", "login": "palsu", "peran": "admin",
                                   "sandi": "Palsu-123456789", "csrf": _token(c.get("/admin").text)},
                   headers={"Origin": "https://penyerang.example"})
        assert r.status_code == 403
    assert stack.users.get("palsu") is None


def test_admin_adds_a_user_who_sees_one_satker_then_disables_them(stack):
    with closing(login(stack, "admin", 33)) as a:
        page = a.get("/admin")
        assert page.status_code == 200 and "Tambah pengguna" in page.text
        weak = a.post("/admin", data={"aksi": "tambah", "login": "op017234", "peran": "user",
                                      "satker": "017234", "sandi": "pendek",
                                      "csrf": _token(page.text)})
        assert weak.status_code == 400 and "minimal 10 karakter" in weak.text
        r = a.post("/admin", data={"aksi": "tambah", "login": "op017234", "nama": "Operator Baru",
                                   "peran": "user", "satker": "017234", "sandi": BARU,
                                   "csrf": _token(page.text)})
        assert r.status_code == 200 and "Tersimpan: tambah op017234 (user, satker 017234)" in r.text
        assert 'id="pengguna-op017234"' in r.text and BARU not in r.text
        with httpx.Client(base_url=stack.url, timeout=300) as u:
            form = u.get("/masuk")
            assert u.post("/masuk", data={"nama": "op017234", "sandi": BARU, "kembali": "/",
                                          "csrf": _token(form.text)}).status_code == 303
            assert u.get("/_spektra/saya").json()["nama"] == "Operator Baru"
            other = u.get("/voila/render/monitoring_spp.ipynb?satker=017220&bulan=5")
            assert other.status_code == 403 and "Akses ditolak" in other.text
            r = a.post("/admin", data={"aksi": "nonaktifkan", "login": "op017234",
                                       "csrf": _token(page.text)})
            assert "Tersimpan: nonaktifkan op017234" in r.text
            again = u.get("/voila/render/monitoring_spp.ipynb?satker=017234&bulan=5")
            assert again.status_code == 302                       # the next click: log in
            assert u.get("/_spektra/saya").json()["nama"] is None
    # the password: a hash in the user file, nowhere in the log, the access log or a page
    everything = b"".join(p.read_bytes() for p in (stack.place / "data").rglob("*")
                          if p.is_file() and p.suffix != ".duckdb")
    assert BARU.encode() not in everything
    assert BARU not in stack.log() + stack.log("nginx-access.log")
    changes = read_audit(stack, aksi="pengguna", pengguna="admin")
    assert {r["sasaran"] for r in changes} >= {"tambah op017234 (user, satker 017234)",
                                                "nonaktifkan op017234"}


def _options(html: str, name: str) -> list[str]:
    """The values of the page's <select name=NAME> (the snapshot's choice form)."""
    m = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', m.group(1)) if m else []


def test_a_user_with_two_satker_sees_both_and_not_a_third(stack):
    two, third = ("017234", "017235"), "017233"
    with closing(login(stack, "admin", 37)) as a:
        token = _token(a.get("/admin").text)
        # codes are checked against the store, refusals said in Indonesian
        for satker, unit, said in (("017234, 999999", "", "Satker 999999 tidak ada di store"),
                                   ("017234", "017220/9999", "Unit kerja 9999 tidak ada di "
                                                             "satker 017220")):
            r = a.post("/admin", data={"aksi": "tambah", "login": "dua", "peran": "user",
                                       "satker": satker, "unit": unit, "sandi": BARU,
                                       "csrf": token})
            assert r.status_code == 400 and said in r.text
        assert stack.users.get("dua") is None
        r = a.post("/admin", data={"aksi": "tambah", "login": "dua", "nama": "Operator Dua",
                                   "peran": "user", "satker": "017234", "sandi": BARU,
                                   "csrf": token})
        assert r.status_code == 200
        r = a.post("/admin", data={"aksi": "ubah", "login": "dua", "peran": "user",
                                   "satker": ", ".join(two), "unit": "", "csrf": token})
        assert "Tersimpan: ubah dua (user, satker 017234, 017235)" in r.text
        assert 'value="017234, 017235" size="16" aria-label="Satker dua"' in r.text
    with httpx.Client(base_url=stack.url, timeout=300) as u:
        form = u.get("/masuk")
        assert u.post("/masuk", data={"nama": "dua", "sandi": BARU, "kembali": "/",
                                      "csrf": _token(form.text)}).status_code == 303
        page = "/voila/render/monitoring_spp.ipynb"
        first = u.get(page, params={"bulan": 5})
        assert first.status_code == 200
        assert _options(first.text, "satker") == list(two)       # the picker: both, only
        for satker in two:
            r = u.get(page, params={"satker": satker, "bulan": 5})
            assert r.status_code == 200
            assert re.search(rf'<option value="{satker}" selected', r.text)
            d = u.get("/unduh/monitoring_spp.xlsx", params={"satker": satker, "bulan": 5})
            assert d.status_code == 200 and f"-{satker}-" in d.headers["content-disposition"]
        assert u.get(page, params={"satker": third, "bulan": 5}).status_code == 403
        assert u.get("/unduh/monitoring_spp.xlsx",
                     params={"satker": third, "bulan": 5}).status_code == 403
        live = u.get(page, params={"satker": third, "bulan": 5, "interaktif": 1})
        assert live.status_code == 403 and "Akses ditolak" in live.text
        assert u.get(page, params={"bulan": 5}).status_code == 200     # agency-wide: own
        # the index and the pages' menu: what a User may open, no third satker anywhere
        home = u.get("/")
        assert home.status_code == 200 and "Monitoring SPP" in home.text
        menu = u.get("/_spektra/saya").json()["menu"]
        assert menu and third not in str(menu) and third not in home.text
    audit = read_audit(stack, pengguna="dua", aksi="ditolak")
    assert any(third in r["sasaran"] for r in audit)


def test_an_upload_named_dot_dot_lands_inside_the_data_folder(stack):
    data = stack.place / "data"
    with closing(login(stack, "admin", 34)) as a:
        token = _token(a.get("/admin/unggah").text)
        r = a.post("/admin/unggah", data={"csrf": token},
                   files={"berkas": ("../../x.csv", b"bukan,data\n1,2\n")})
        assert r.status_code == 200, r.text
        assert "Berkas diterima: x.csv." in r.text
        assert '<pre class="periksa">Periksa unggahan' in r.text   # periksa's own output
        bad = a.post("/admin/unggah", data={"csrf": token},
                     files={"berkas": ("..", b"x")})
        assert bad.status_code == 400 and "tidak sah" in bad.text
        assert a.get("/unggah/x.csv").status_code == 404      # never served back
    kept = [p.relative_to(data).as_posix() for p in (data / "unggah").rglob("x.csv")]
    assert len(kept) == 1 and re.fullmatch(r"unggah/[0-9]{8}-[0-9]{6}-[\w-]{8}/x\.csv", kept[0])
    assert not (stack.place / "x.csv").exists() and not (stack.place.parent / "x.csv").exists()


def test_upload_checked_then_ingested_then_rolled_back_behind_a_confirmation(stack, demo_dir):
    files = [("berkas", (p.name, p.read_bytes())) for p in sorted(demo_dir.glob("*.csv"))]
    with closing(login(stack, "admin", 35)) as a:
        token = _token(a.get("/admin/unggah").text)
        checked = a.post("/admin/unggah", data={"csrf": token}, files=files)
        assert checked.status_code == 200
        assert "Hasil: tidak ada masalah" in checked.text and "Muat ke store" in checked.text
        uid = re.search(r'name="unggahan" value="([^"]+)"', checked.text).group(1)
        done = a.post("/admin/ingest", data={"csrf": token, "unggahan": uid})
        assert done.status_code == 200 and "Data dimuat" in done.text
        assert "tidak ada perubahan (data sama)" in done.text
        history = a.get("/admin/riwayat")
        ids = re.findall(r'<option value="(\d+)">', history.text)
        assert ids
        ask = a.get("/admin/riwayat", params={"kembalikan": ids[-1]})
        assert "Ya, kembalikan ke ingest" in ask.text
        back = a.post("/admin/riwayat", data={"csrf": token, "id": ids[-1]})
        assert back.status_code == 200 and "Store dikembalikan" in back.text
    actions = [r["aksi"] for r in read_audit(stack, pengguna="admin")]
    for action in ("unggah", "periksa", "ingest", "kembalikan"):
        assert action in actions


def test_rules_and_audit_pages_read_only(stack):
    with closing(login(stack, "admin", 36)) as a:
        rules = a.get("/admin/aturan")
        assert rules.status_code == 200 and "parameters/deviasi.yaml" in rules.text
        # every year's IKPA rule is in force too (was a deleted ikpa.yaml, so none showed)
        for rule in ("PER-4-PB-2021", "PER-5-PB-2022", "PER-5-PB-2024"):
            assert f"parameters/ikpa/{rule}.yaml" in rules.text
        assert "<form method=\"post\"" not in rules.text
        log = a.get("/admin/audit", params={"cari": "masuk"})
        assert log.status_code == 200 and "formulir" in log.text
        assert "<form method=\"post\"" not in log.text
