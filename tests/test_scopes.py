"""Scope lists and names, as menus and titles use them."""
from __future__ import annotations

import pytest

from spektra_lib import scopes
from spektra_lib.store import Access


@pytest.fixture
def store(small_report_store):
    return small_report_store


def test_lists_for_admin(store):
    sat = scopes.daftar_satker(store)
    assert list(sat.columns) == ["kode_satker", "nama_satker", "kelompok"]
    assert sat["kode_satker"].tolist() == ["017220", "017231", "017232", "017233", "017245"]
    assert scopes.daftar_unit(store)["kode_unit"].tolist() == ["0102", "0103", "0401"]
    assert scopes.daftar_unit(store, "017231").empty
    assert scopes.satker_pusat(store) == "017220"


def test_lists_for_a_user(store):
    user = store.with_access(Access("user", satker="017220", unit="0103"))
    assert scopes.daftar_satker(user)["kode_satker"].tolist() == ["017220"]
    assert scopes.daftar_unit(user)["kode_unit"].tolist() == ["0103"]
    kanreg = store.with_access(Access("user", satker="017231"))
    assert scopes.daftar_unit(kanreg).empty


def test_nama_scope(store):
    assert scopes.nama_scope(store) == "Seluruh Satker"
    assert scopes.nama_scope(store, "017231") == "KANREG I"
    assert scopes.nama_scope(store, "017220", "0102") == "Biro Keuangan"


def test_one_latest_period_for_site_app_and_cli(tmp_path):
    """January after a new DIPA: the 2023 budget is in, its realisasi not yet. The site,
    the app's page and the snapshot all open December 2022, the last month with realisasi
    (issue 21: the site took the newest year with realisasi, the pages the newest POK)."""
    from reports_fixture import item, load, real, satker_rows
    from spektra_lib.page.notebook import Halaman
    from spektra_lib.render.site import latest_period as site_period
    from spektra_lib.scopes import latest_period
    from spektra_lib.store import Store
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        load(s, satker=satker_rows(("017231", "KANREG I", "KANREG")),
             pok=[item("017231", "WA.1.A.1.1..521211.1", 1200, tahun=2022),
                  item("017231", "WA.1.A.1.1..521211.1", 1500, tahun=2023)],
             realisasi=[real("017231", "WA.1.A.1.1..521211.1", "2022-12-20", 900)])
    with Store(path, read_only=True) as s:
        assert latest_period(s) == (2022, 12)
        h = Halaman(store=s, satker="017231", grafik="halaman", interaktif=False)
        assert (h.params["tahun"], h.params["bulan"]) == (2022, 12)
    assert site_period(path) == (2022, 12)
    with Store(path) as s:
        load(s, realisasi=[real("017231", "WA.1.A.1.1..521211.1", "2023-01-25", 100,
                                tahun=2023)])
    assert site_period(path) == (2023, 1)
