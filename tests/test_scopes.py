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
