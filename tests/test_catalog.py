"""The report catalog (reports/catalog.py): every entry matches its function, and every
report runs through the one entry point that checks the scope."""
from __future__ import annotations

import inspect

import pytest

from spektra_lib import reports
from spektra_lib.problems import AksesDitolak
from spektra_lib.reports import catalog
from spektra_lib.store import Access

TAHUN, BULAN = 2022, 5
PUSAT, KANREG_IV = "017220", "017234"


@pytest.fixture(scope="module")
def store(demo_store_path):
    from spektra_lib.store import Store
    with Store(demo_store_path, read_only=True) as st:
        yield st


def test_declared_parameters_are_the_functions():
    for name, entry in catalog.LAPORAN.items():
        # fn(store, pilihan), reading only the declared parameters: test_architecture
        assert list(inspect.signature(reports.function(name)).parameters) == [
            "store", "pilihan"], name
        assert entry.modul in catalog.MODUL, name
        assert {k.jenis for k in entry.kolom} <= set(catalog.KINDS), name
        assert entry.gaya in catalog.STYLES and set(entry.render) <= set(catalog.SCOPES), name


def test_every_report_gives_its_declared_columns(store):
    for name, entry in catalog.LAPORAN.items():
        params = {"satker": KANREG_IV} if entry.satker_wajib else {}
        df = reports.run(name, store, tahun=TAHUN, bulan=BULAN, **params)
        assert list(df.columns) == entry.columns, name


def test_every_page_has_its_notebook_and_reports():
    from spektra_lib.render.scaffold import NOTEBOOKS
    for page, h in catalog.HALAMAN.items():
        assert (NOTEBOOKS / f"{page}.ipynb").exists(), page
        assert all(r in catalog.LAPORAN for r in h.laporan), page


@pytest.mark.parametrize("name", list(catalog.LAPORAN))
def test_every_report_refuses_another_satker(name, store):
    """A User of one satker asking for another: refused before the report reads, for
    every scoped report; the public (dashboard) figures are every role's."""
    entry = catalog.LAPORAN[name]
    user = store.with_access(Access("user", satker=KANREG_IV))
    publik = store.with_access(Access("publik"))
    if "satker" not in entry.parameter:
        assert entry.publik, name        # agency-wide by construction: only the public ones
        reports.run(name, publik, tahun=TAHUN, bulan=BULAN)
        return
    if entry.publik:
        reports.run(name, user, tahun=TAHUN, bulan=BULAN, satker=PUSAT)
        return
    calls = []
    real = reports.function

    def spy(n):
        calls.append(n)
        return real(n)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reports, "function", spy)
        with pytest.raises(AksesDitolak):
            reports.run(name, user, tahun=TAHUN, bulan=BULAN, satker=PUSAT)
        with pytest.raises(AksesDitolak):
            reports.run(name, publik, tahun=TAHUN, bulan=BULAN, satker=KANREG_IV)
    assert calls == []                    # refused before the report function was looked up
    own = reports.run(name, user, tahun=TAHUN, bulan=BULAN, satker=KANREG_IV)
    assert len(own), name


def test_contract_attribute_access_goes_through_the_entry_point(store):
    user = store.with_access(Access("user", satker=KANREG_IV))
    with pytest.raises(AksesDitolak):
        reports.deviasi_detail(user, TAHUN, BULAN, satker=PUSAT)
    with pytest.raises(ValueError, match="tidak memakai parameter"):
        reports.run("ranking_satker", store, tahun=TAHUN, bulan=BULAN, cari="x")


def test_render_matrix_is_the_catalogs():
    from spektra_lib.render.matrix import load_matrix
    m = load_matrix()
    assert m["publik"] == ["dashboard"]
    assert "dashboard" in m["semua"] and "deviasi_detail" in m["satker"] + m["unit"]
    for kind, pages in m.items():
        assert all(p in catalog.HALAMAN for p in pages), kind
