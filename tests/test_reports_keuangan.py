"""Realisasi POK / akun / satker and Monitoring SPP on small hand-made data."""
from __future__ import annotations

import pytest

from spektra_lib import reports
from spektra_lib.problems import AksesDitolak
from spektra_lib.reports.keuangan import AKUN_COLUMNS, POK_COLUMNS, SPP_COLUMNS
from spektra_lib.store import Access

from reports_fixture import P1


@pytest.fixture
def store(small_report_store):
    return small_report_store


def test_pok_hierarchy_order_paths_and_items(store):
    df = reports.realisasi_pok(store, 2022, 5, satker="017220", unit="0102")
    assert list(df.columns) == POK_COLUMNS
    assert df["level"].tolist()[:9] == ["unit", "program", "kegiatan", "kro", "ro", "komponen",
                                        "subkomponen", "akun", "item"]
    # Items by numeric no_item (2 before 10); blank subkomponen: no row, no path segment.
    assert df["path"].tolist()[8:] == [
        P1 + ".1", P1 + ".2", P1 + ".10", "WA.4843.EBA.994.003",
        "WA.4843.EBA.994.003.521211", "WA.4843.EBA.994.003.521211.1",
        "WA.4843.EBA.994.003.524111", "WA.4843.EBA.994.003.524111.1"]
    assert df.loc[df["level"] == "item", "kode"].tolist() == ["1", "2", "10", "1", "1"]
    assert df.loc[df["level"] != "item", "volume"].isna().all()
    item = df[df["path"] == P1 + ".1"].iloc[0]
    assert (item["volume"], item["satuan"], item["harga_satuan"]) == (1, "PKT", 1000)
    assert (item["realisasi"], item["sisa"], item["persen_realisasi"]) == (250, 750, 25)


def test_pok_parents_are_sums_refund_and_month_range(store):
    df = reports.realisasi_pok(store, 2022, 5, satker="017220", unit="0102")
    top, items = df.iloc[0], df[df["level"] == "item"]
    assert top["pagu"] == items["pagu"].sum() == 2400
    assert top["realisasi"] == items["realisasi"].sum() == 120 + 80 + 50 + 10 + 100 - 20 + 50
    bahan = df[df["path"] == "WA.4843.EBA.994.003.521211"].iloc[0]
    assert bahan["realisasi"] == 80                                   # 100 then a -20 refund
    feb_mar = reports.realisasi_pok(store, 2022, 3, satker="017220", unit="0102", bulan_dari=2)
    assert feb_mar.iloc[0]["realisasi"] == 80 + 50 + 100 - 20
    with pytest.raises(ValueError):
        reports.realisasi_pok(store, 2022, 2, satker="017220", bulan_dari=3)


def test_pok_satker_scope_row_and_omspan_note(store):
    df = reports.realisasi_pok(store, 2022, 5, satker="017220")
    assert (df.iloc[0]["level"], df.iloc[0]["kode"], df.iloc[0]["uraian"]) == (
        "satker", "017220", "KANTOR PUSAT")
    assert "catatan" not in df.attrs
    om = reports.realisasi_pok(store, 2022, 5, satker="017233")
    assert om.attrs["catatan"].startswith("Realisasi hanya sampai tingkat akun (data "
                                          "OM-SPAN): baris item tanpa rincian item")
    # OM-SPAN's 300 on akun 511111 (January) and above; the item line has no detail
    assert om.iloc[0]["pagu"] == 1000 and om.iloc[0]["realisasi"] == 300
    assert om[om["level"] == "akun"]["realisasi"].tolist() == [300]
    assert om[om["level"] == "item"]["realisasi"].isna().all()


def test_akun_stops_at_akun_and_cari(store):
    df = reports.realisasi_akun(store, 2022, 5, satker="017220")
    assert list(df.columns) == AKUN_COLUMNS
    assert "item" not in set(df["level"])
    by_code = reports.realisasi_akun(store, 2022, 5, satker="017220", cari="524")
    assert set(by_code.loc[by_code["level"] == "akun", "kode"]) == {"524111"}
    # Ancestors re-summed over the matching akun only.
    assert by_code.iloc[0]["pagu"] == 500 + 200 and by_code.iloc[0]["realisasi"] == 50 + 200
    by_words = reports.realisasi_akun(store, 2022, 5, satker="017220", cari="perjalanan DINAS")
    assert by_words["path"].tolist() == by_code["path"].tolist()
    none = reports.realisasi_akun(store, 2022, 5, satker="017220", cari="tidak ada")
    assert none.empty and list(none.columns) == AKUN_COLUMNS


def test_realisasi_satker_levels_and_range(store):
    agency = reports.realisasi_satker(store, 2022, 5)
    assert agency["kode"].tolist() == ["017232", "017231", "017220", "017233"]
    pusat = reports.realisasi_satker(store, 2022, 5, satker="017220")
    assert pusat["kode"].tolist() == ["0401", "0103", "0102"]
    feb = reports.realisasi_satker(store, 2022, 2, satker="017220", bulan_dari=2)
    assert feb.set_index("kode").loc["0102", "realisasi"] == 80 + 100
    one = reports.realisasi_satker(store, 2022, 5, satker="017231")
    assert one["kode"].tolist() == ["017231"] and one["realisasi"].item() == 500


def test_monitoring_spp_range_unit_and_year(store):
    df = reports.monitoring_spp(store, 2022, 3, satker="017220")
    assert list(df.columns) == SPP_COLUMNS
    assert df["no_spp"].tolist() == ["00001T", "00002T", "00003T"]   # 2021 row left out
    assert reports.monitoring_spp(store, 2022, 3, satker="017220", bulan_dari=2)[
        "no_spp"].tolist() == ["00002T", "00003T"]
    assert reports.monitoring_spp(store, 2022, 3, unit="0102")["no_spp"].tolist() == [
        "00001T", "00003T"]


def test_access_user_of_other_satker_refused(store):
    user = store.with_access(Access("user", satker="017231"))
    for fn in (reports.realisasi_pok, reports.realisasi_akun, reports.realisasi_satker,
               reports.monitoring_spp):
        with pytest.raises(AksesDitolak):
            fn(user, 2022, 5, satker="017220")
        with pytest.raises(AksesDitolak):
            fn(user, 2022, 5)
    assert reports.realisasi_satker(user, 2022, 5, satker="017231")["realisasi"].item() == 500


def test_akun_of_an_omspan_only_satker_has_its_realisasi(store):
    # 017233 has only OM-SPAN realisasi: 300 on WA.4843.EBA.994 akun 511111 (January),
    # the akun of one pok node (komponen 001, sub A): it shows there and on every ancestor.
    df = reports.realisasi_akun(store, 2022, 5, satker="017233")
    assert "catatan" not in df.attrs
    assert df["realisasi"].tolist() == [300] * len(df) and df.iloc[0]["pagu"] == 1000
    assert df.iloc[-1]["path"] == P1 and df.iloc[-1]["sisa"] == 700
    # The agency tree counts it too (it is no longer left out with a note).
    agency = reports.realisasi_akun(store, 2022, 5)
    assert "catatan" not in agency.attrs
    assert agency.iloc[0]["realisasi"] == reports.realisasi_satker(store, 2022, 5)[
        "realisasi"].sum()
