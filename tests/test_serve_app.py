"""serve/pages.py: the app's menu is the catalog's pages, grouped by their module."""
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
