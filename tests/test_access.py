"""Access policy: who each demo user is, what they may open, what the store refuses."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from spektra_lib import access, reports
from spektra_lib.problems import AksesDitolak
from spektra_lib.serve import nginx

TAHUN, BULAN = 2022, 5   # the demo store's period (tests/conftest.py)

KANREG_IV, PUSAT = "017234", "017220"


def test_demo_users_have_their_role_and_scope():
    a = access.access_for("kanreg4")
    assert (a.role, a.satker, a.unit) == ("user", KANREG_IV, None)
    b = access.access_for("biro_keuangan")
    assert (b.role, b.satker, b.unit) == ("user", PUSAT, "0102")
    assert access.access_for("pimpinan").role == "super_user"
    assert access.access_for("admin").role == "admin"
    assert access.access_for("admin").sees_all


@pytest.mark.parametrize("user", [None, "", "tamu", "ADMIN", " kanreg5 "])
def test_no_or_unknown_user_is_publik(user):
    assert access.access_for(user).role == "publik"


def test_publik_opens_only_the_dashboard_others_everything():
    everything = access.all_notebooks()
    assert {"dashboard", "deviasi_detail"} <= everything
    assert access.notebooks_for(access.access_for(None)) == {"dashboard"}
    for user in ("admin", "pimpinan", "kanreg4", "biro_keuangan"):
        assert access.notebooks_for(access.access_for(user)) == everything
    with pytest.raises(AksesDitolak):
        access.check_notebook(access.PUBLIK, "deviasi_detail")


def test_policy_refuses_bad_entries(tmp_path, monkeypatch):
    (tmp_path / "akses.yaml").write_text(
        "pengguna:\n  op:\n    peran: user\n", encoding="utf-8")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(tmp_path))
    with pytest.raises(ValueError, match="wajib punya satker"):
        access.load_policy()
    (tmp_path / "akses.yaml").write_text(
        "pengguna:\n  Op Besar:\n    peran: admin\n", encoding="utf-8")
    with pytest.raises(ValueError, match="tidak sah"):
        access.load_policy()


def _clear_voila(monkeypatch):
    for k in ("VOILA_PREHEAT", "VOILA_BASE_URL", "SERVER_SOFTWARE", "HTTP_X_FORWARDED_USER",
              "SPEKTRA_USER"):
        monkeypatch.delenv(k, raising=False)


def test_current_access_outside_voila(monkeypatch):
    _clear_voila(monkeypatch)
    assert access.current_access().role == "admin"          # local analyst
    monkeypatch.setenv("SPEKTRA_USER", "kanreg4")
    assert access.current_access().satker == KANREG_IV


def test_current_access_under_voila_trusts_only_the_header(monkeypatch):
    _clear_voila(monkeypatch)
    monkeypatch.setenv("VOILA_PREHEAT", "False")           # a kernel started per request
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("SPEKTRA_USER", "admin")            # ignored under Voilà
    assert access.current_access().role == "publik"
    monkeypatch.setenv("HTTP_X_FORWARDED_USER", "biro_keuangan")
    assert access.current_access().unit == "0102"


def test_scoped_report_for_another_satker_is_refused(demo_store):
    kanreg = demo_store.with_access(access.access_for("kanreg4"))
    own = reports.run("deviasi_kumulatif", kanreg, tahun=TAHUN, bulan=BULAN, satker=KANREG_IV)
    assert set(own["kode"]) == {KANREG_IV}
    with pytest.raises(AksesDitolak, match=PUSAT):
        reports.run("deviasi_kumulatif", kanreg, tahun=TAHUN, bulan=BULAN, satker=PUSAT)
    with pytest.raises(AksesDitolak):
        reports.run("realisasi_satker", kanreg, tahun=TAHUN, bulan=BULAN)   # whole agency
    unit = demo_store.with_access(access.access_for("biro_keuangan"))
    with pytest.raises(AksesDitolak, match="0102"):
        reports.run("realisasi_pok", unit, tahun=TAHUN, bulan=BULAN, satker=PUSAT, unit="0101")
    publik = demo_store.with_access(access.access_for(None))
    with pytest.raises(AksesDitolak, match="dashboard"):
        reports.run("deviasi_detail", publik, tahun=TAHUN, bulan=BULAN, satker=KANREG_IV)


def test_widget_choices_follow_the_role(demo_store):
    kanreg = access.satker_choices(demo_store, access.access_for("kanreg4"))
    assert [k for _, k in kanreg] == [KANREG_IV]
    assert "KANTOR REGIONAL IV" in kanreg[0][0]
    admin = access.satker_choices(demo_store, access.access_for("admin"))
    assert admin[0] == ("Seluruh Satker", None)
    assert len(admin) == 1 + demo_store.scalar("SELECT count(*) FROM satker")
    assert access.unit_choices(demo_store, access.access_for("biro_keuangan"), PUSAT) == [
        ("0102 — Biro Keuangan", "0102")]
    units = access.unit_choices(demo_store, access.access_for("pimpinan"), PUSAT)
    assert units[0] == ("Seluruh Unit Kerja", None) and len(units) > 2
    assert access.unit_choices(demo_store, access.access_for("kanreg4"), KANREG_IV) == []
    with pytest.raises(AksesDitolak):
        access.unit_choices(demo_store, access.access_for("kanreg4"), PUSAT)


def test_nginx_config_is_valid_and_lists_what_a_browser_may_reach(tmp_path):
    from spektra_lib.serve.settings import Settings
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / d).mkdir(parents=True)
    nginx.write_pages(tmp_path / "www")
    conf = nginx.nginx_conf(tmp_path, host="127.0.0.1", port=18080,
                            socket=tmp_path / "voila.sock", key="kunci-uji",
                            settings=Settings(batas_publik="12r/m", burst_publik=3))
    (tmp_path / "nginx.conf").write_text(conf)
    check = subprocess.run([nginx.program(), "-t", "-p", str(tmp_path), "-e",
                            str(tmp_path / "e.log"), "-c", str(tmp_path / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert f"server unix:{tmp_path}/voila.sock;" in conf            # no TCP backend
    assert "listen 127.0.0.1:18080;" in conf
    # Every proxied location adds the run key and overwrites the identity header.
    assert conf.count("proxy_pass http://spektra_voila;") == conf.count(
        'proxy_set_header X-Spektra-Kunci "kunci-uji";') == conf.count(
        'proxy_set_header X-Forwarded-User "";')
    # Anonymous page requests: 12 per minute per address; everyone: 4x that.
    assert "zone=publik:2m rate=12r/m;" in conf and "zone=semua:2m rate=48r/m;" in conf
    render = conf.split("location ^~ /voila/render/ {")[1].split("}")[0]
    assert "limit_req zone=publik burst=3 nodelay;" in render
    # Anything not listed (contents API, files, kernel query, status) is 404.
    assert "location / { return 404; }" in conf
    for hidden in ("/voila/api/contents", "/voila/files", "/voila/query", "/_spektra/status"):
        assert f"location ^~ {hidden}" not in conf and f"location = {hidden}" not in conf
    page = (tmp_path / "www" / "terlalu_sering.html").read_text()
    assert "Terlalu banyak permintaan" in page and "http" not in page.split("<body>")[1]


def test_settings_from_the_environment():
    from spektra_lib.serve.settings import from_env
    s = from_env({"SPEKTRA_SERVE_MAKS_KERNEL": "5", "SPEKTRA_SERVE_POOL": "dashboard=1,default=0",
                  "SPEKTRA_SERVE_CULL_DETIK": "30"})
    assert (s.maks_kernel, s.pool, s.cull_detik) == (5, {"dashboard.ipynb": 1, "default": 0}, 30)
    assert s.pool_total({"dashboard", "deviasi_detail"}) == 1
    with pytest.raises(ValueError, match="MAKS_KERNEL"):
        from_env({"SPEKTRA_SERVE_MAKS_KERNEL": "2", "SPEKTRA_SERVE_POOL": "default=1"}).check(
            {"dashboard", "deviasi_detail"})
    with pytest.raises(ValueError, match="NAMA=ANGKA"):
        from_env({"SPEKTRA_SERVE_POOL": "dashboard"})
    with pytest.raises(ValueError, match="AUTH_URL"):
        from_env({"SPEKTRA_SERVE_AUTH": "proxy"})


def test_return_address_after_login_stays_on_this_site():
    from spektra_lib.serve import session
    assert session.safe_return("/voila/render/deviasi_detail.ipynb?satker=1") == \
        "/voila/render/deviasi_detail.ipynb?satker=1"
    for bad in ("https://contoh.id/", "//contoh.id", "/\\contoh.id", "javascript:alert(1)", "",
                "/a\x0bb", "/caf\u00e9", "/keluar"):
        assert session.safe_return(bad) == "/"


def test_demo_passwords_per_user_then_shared_never_over_an_admins(tmp_path, monkeypatch):
    from spektra_lib.users import open_users
    monkeypatch.setenv("SPEKTRA_STORE", str(tmp_path / "spektra.duckdb"))
    monkeypatch.delenv("SPEKTRA_PENGGUNA", raising=False)
    monkeypatch.setenv("SPEKTRA_SANDI", "sandi-bersama")
    monkeypatch.setenv("SPEKTRA_SANDI_KANREG4", "sandi-kanreg")
    users = open_users()
    users.demo_passwords(announce=lambda s: None)
    assert users.verify("kanreg4", "sandi-kanreg") and not users.verify("kanreg4", "sandi-bersama")
    assert users.verify("admin", "sandi-bersama")
    assert b"sandi-bersama" not in users.path.read_bytes()           # hashed, never clear
    users.set_password("admin", "Rahasia-kuat-2026")                  # set by an administrator
    users.demo_passwords(announce=lambda s: None)
    assert users.verify("admin", "Rahasia-kuat-2026") and not users.verify("admin", "sandi-bersama")


def test_random_passwords_are_announced_once(tmp_path, monkeypatch):
    from spektra_lib.users import open_users
    monkeypatch.setenv("SPEKTRA_STORE", str(tmp_path / "spektra.duckdb"))
    for k in ("SPEKTRA_SANDI", "SPEKTRA_PENGGUNA"):
        monkeypatch.delenv(k, raising=False)
    said: list[str] = []
    users = open_users()
    users.demo_passwords(announce=said.append)
    assert len(said) == len(access.load_policy().users)
    assert all(s.startswith("Sandi sementara ") for s in said)
    login, password = said[0].split()[2].rstrip(":"), said[0].split()[3]
    assert users.verify(login, password)
    users.demo_passwords(announce=said.append)                       # once: not again
    assert len(said) == len(access.load_policy().users)
    assert users.path.stat().st_mode & 0o077 == 0                    # owner only


def test_audience_of_a_static_bundle(demo_store):
    assert access.audience_access("publik") == access.PUBLIK
    assert access.audience_access("semua").sees_all
    a = access.audience_access(f"satker:{KANREG_IV}", demo_store)
    assert (a.role, a.satker, a.unit) == ("user", KANREG_IV, None)
    u = access.audience_access("unit:0102", demo_store)           # satker looked up
    assert (u.role, u.satker, u.unit) == ("user", PUSAT, "0102")
    assert access.audience_name(u) == f"unit:{PUSAT}/0102"
    assert access.audience_access(access.audience_name(u)) == u   # what kernels get
    with pytest.raises(ValueError, match="Unit kerja 9999 tidak ada"):
        access.audience_access("unit:9999", demo_store)
    with pytest.raises(ValueError, match="tidak dikenal"):
        access.audience_access("admin")


def test_kernel_of_a_bundle_queries_as_its_audience(demo_store, monkeypatch):
    for var in ("VOILA_PREHEAT", "VOILA_BASE_URL", "SERVER_SOFTWARE", "SPEKTRA_USER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(access.AUDIENCE_ENV, f"satker:{KANREG_IV}")
    scoped = demo_store.with_access(access.current_access())
    assert not reports.run("deviasi_detail", scoped, tahun=TAHUN, bulan=BULAN,
                           satker=KANREG_IV).empty
    with pytest.raises(AksesDitolak):
        reports.run("deviasi_detail", scoped, tahun=TAHUN, bulan=BULAN, satker="017235")


def test_nginx_config_with_the_agency_proxy_is_valid(tmp_path):
    """SPEKTRA_SERVE_AUTH=proxy: nginx asks the agency's service and passes its user on."""
    from spektra_lib.serve.settings import Settings
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / d).mkdir(parents=True)
    nginx.write_pages(tmp_path / "www")
    conf = nginx.nginx_conf(tmp_path, host="127.0.0.1", port=18080,
                            socket=tmp_path / "voila.sock", key="k",
                            settings=Settings(auth="proxy", auth_url="http://127.0.0.1:4180/oauth2/auth"))
    (tmp_path / "nginx.conf").write_text(conf)
    check = subprocess.run([nginx.program(), "-t", "-p", str(tmp_path), "-e",
                            str(tmp_path / "e.log"), "-c", str(tmp_path / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    render = conf.split("location ^~ /voila/render/ {")[1].split("}")[0]
    assert "auth_request /_spektra/sso;" in render
    assert "$upstream_http_x_auth_request_user" in render
    assert 'proxy_set_header X-Forwarded-User "$spektra_sso_user";' in render


def test_access_answers_may_this_user_see_satker_x():
    """Role powers in one place (store.PERAN): Access answers, nothing tests role names."""
    from spektra_lib.store import PERAN, Access
    assert set(PERAN) == {"admin", "super_user", "user", "publik"}
    kanreg = Access("user", satker="017234")
    unit = Access("user", satker="017220", unit="0102")
    assert Access("super_user").boleh("017234") and Access("admin").boleh(None)
    assert kanreg.boleh("017234") and not kanreg.boleh("017235")
    assert kanreg.tolak("017235") == "Anda tidak berhak melihat data satker 017235."
    assert kanreg.tolak(None) == "Laporan seluruh satker hanya untuk Admin dan Super User."
    assert unit.boleh("017220", "0102") and not unit.boleh("017220")
    assert unit.boleh(None, "0102", pemilik_unit="017220")
    assert not unit.boleh("017220", "0101")
    assert Access("publik").tolak("017234") == "Pengguna Publik hanya dapat melihat dashboard."
    assert Access("publik").boleh(None, public=True) and kanreg.boleh(None, public=True)
    assert (kanreg.sendiri, Access("publik").hanya_dashboard, Access("admin").sees_all) == (
        True, True, True)
