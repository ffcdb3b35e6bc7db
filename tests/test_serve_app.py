"""serve/: the app menu from the catalog (pages.py), settings from the declaration."""
from __future__ import annotations

from spektra_lib.reports import catalog
from spektra_lib.serve import pages


def test_menu_lists_every_catalog_page_of_the_app_under_its_module():
    shown = {nb for _, items in pages.menu_groups() for nb, _ in items}
    assert shown == {n for n, h in catalog.HALAMAN.items() if h.modul != "Analis"}
    groups = dict(pages.menu_groups())
    assert ("rekap_jenis_belanja", "Rekap Realisasi per Jenis Belanja") in groups["Modul Keuangan"]
    assert [g for g, _ in pages.menu_groups()] == [
        "Dashboard", "Modul Perencanaan", "Modul Keuangan", "Capaian Output dan IKPA"]


def test_menu_shows_only_what_the_role_may_open():
    text = pages.menu({"dashboard", "realisasi_pok"})
    assert "Dashboard Realisasi Anggaran" in text and "Realisasi POK" in text
    assert "Modul Perencanaan" not in text and "Deviasi" not in text
    assert "realisasi_pok.ipynb" in text and ">realisasi_pok<" not in text


def test_serve_settings_take_their_defaults_from_the_declaration():
    from spektra_lib import settings as declared
    from spektra_lib.serve.settings import Settings, from_env
    assert from_env({}) == Settings()
    assert Settings().maks_kernel == int(declared.BY_ENV["SPEKTRA_SERVE_MAKS_KERNEL"].default)
    s = from_env({"SPEKTRA_SERVE_MAKS_KERNEL": "3", "SPEKTRA_SERVE_POOL": "dashboard=1"})
    assert s.maks_kernel == 3 and s.pool == {"dashboard.ipynb": 1, "default": 0}


def test_passwords_per_user_then_shared():
    from spektra_lib.settings import settings
    env = {"SPEKTRA_SANDI": "bersama", "SPEKTRA_SANDI_KANREG_4": "khusus"}
    assert settings(env).sandi_pengguna("kanreg-4") == "khusus"
    assert settings(env).sandi_pengguna("admin") == "bersama"
    assert settings({}).sandi_pengguna("admin") == ""


def test_unduh_writes_what_the_page_shows_for_the_users_scope(demo_store_path, tmp_path):
    import openpyxl
    import pdfplumber
    import pytest

    from spektra_lib import scopes
    from spektra_lib.problems import AksesDitolak
    from spektra_lib.serve import download
    from spektra_lib.store import Access, Store
    user = Access("user", satker="017234", nama="Kanreg IV")
    pdf = download.write("deviasi_detail", "pdf", "satker=017234&bulan=3", user, tmp_path,
                         demo_store_path)
    assert pdf.name == "deviasi_detail-017234-2022-03.pdf"
    with Store(demo_store_path, read_only=True) as st:
        nama = scopes.nama_scope(st, satker="017234")
        lain = scopes.nama_scope(st, satker="017235")
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
    assert "Deviasi Rencana dan Realisasi Detail" in text and nama in text and "Maret 2022" in text
    # Another satker: refused by the store, whatever the address says; no file.
    with pytest.raises(AksesDitolak):
        download.write("deviasi_detail", "xlsx", "satker=017235", user, tmp_path,
                       demo_store_path)
    with pytest.raises(download.Invalid):
        download.write("deviasi_detail", "xlsx", "bulan=13", user, tmp_path, demo_store_path)
    # A User's dashboard file leaves out the agency-wide rankings, as the page does.
    xlsx = download.write("dashboard", "xlsx", "", user, tmp_path, demo_store_path)
    sheets = openpyxl.load_workbook(xlsx).sheetnames
    assert not any("Ranking Satker" in s for s in sheets) and lain not in str(sheets)


def test_unduh_menu_links_carry_the_pages_choices():
    from spektra_lib.page.widgets import unduh_html
    text = unduh_html("realisasi_pok", {"tahun": 2022, "bulan": 5, "satker": "017234",
                                        "unit": None, "bulan_dari": 2, "jenis_belanja": "52"})
    import html
    import re
    from urllib.parse import parse_qs, urlsplit
    href = html.unescape(re.search(r'href="(/unduh/realisasi_pok\.pdf\?[^"]+)"', text).group(1))
    assert {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()} == {
        "satker": "017234", "tahun": "2022", "bulan": "5", "bulan_dari": "2",
        "jenis_belanja": "52"}
    assert "Excel (.xlsx)" in text and "Word (.docx)" in text and ">Unduh<" in text


def test_the_rate_limit_cookie_is_what_nginx_checks_and_cannot_be_made_up():
    import base64
    import hashlib

    from spektra_lib.serve import session
    token = session.limit_token("kunci-run", hours=1, now=1_000_000)
    digest, expiry, nonce = token.split(".")
    # nginx: secure_link_md5 "$expiry $nonce <secret>", the md5 in base64url, no padding
    want = hashlib.md5(f"{expiry} {nonce} {session.limit_secret('kunci-run')}".encode()).digest()
    assert base64.urlsafe_b64encode(want).decode().rstrip("=") == digest
    assert int(expiry) == 1_000_000 + 3600
    assert session.limit_token_ok(token, "kunci-run", now=1_000_100)
    assert not session.limit_token_ok(token, "kunci-run", now=1_004_000)        # expired
    assert not session.limit_token_ok(token, "kunci-lain", now=1_000_100)
    assert not session.limit_token_ok("A" * 22 + ".9999999999.AAAAAAAAAAAA", "kunci-run")
    # Each login its own bucket at nginx, even two in the same second.
    assert token != session.limit_token("kunci-run", hours=1, now=1_000_000)
    # The kernels' key is not the run key, nor the limit secret.
    assert session.kernel_key("kunci-run") not in ("kunci-run", session.limit_secret("kunci-run"))
