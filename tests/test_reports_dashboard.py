"""Rankings and the two dashboard charts on small hand-made data."""
from __future__ import annotations

import numpy as np
import pytest

from spektra_lib import reports
from spektra_lib.problems import AksesDitolak
from spektra_lib.reports._common import RANKING_COLUMNS
from spektra_lib.store import Access


@pytest.fixture
def store(small_report_store):
    return small_report_store


def test_ranking_satker_ties_by_pagu_then_omspan_and_no_pagu_left_out(store):
    df = reports.ranking_satker(store, 2022, 5)
    assert list(df.columns) == RANKING_COLUMNS
    # KANREG II and I both at 50 %: larger pagu first. PUSBANG has no pok: left out.
    assert df["kode"].tolist() == ["017232", "017231", "017220", "017233"]
    assert df["peringkat"].tolist() == [1, 2, 3, 4]
    # Kantor Pusat Jan–May: 120+80+50+10+100-20+50+500+400+200 (the June 999 not yet).
    kp = df.set_index("kode").loc["017220"]
    assert (kp["pagu"], kp["realisasi"], kp["sisa"]) == (4400, 1490, 2910)
    # KANREG III has only OM-SPAN (akun-level) realisasi: it still counts here.
    assert df.set_index("kode").loc["017233", "realisasi"] == 300


def test_ranking_satker_tie_on_pagu_too_goes_by_code(tmp_path):
    from reports_fixture import item, make_store, real, satker_rows
    p = "WA.4843.EBA.994.001.A.511111.1"
    s = make_store(tmp_path, satker=satker_rows(("B2", "Bravo", "KANREG"), ("A1", "Alfa", "KANREG")),
                   pok=[item("B2", p, 100), item("A1", p, 100)],
                   realisasi=[real("B2", p, "2022-01-01", 10), real("A1", p, "2022-01-01", 10)])
    assert reports.ranking_satker(s, 2022, 1)["kode"].tolist() == ["A1", "B2"]


def test_ranking_satker_jenis_belanja_filters_akun_and_drops_no_pagu(store):
    df = reports.ranking_satker(store, 2022, 5, jenis_belanja="52")
    # Only satker with 52 pagu: Kantor Pusat (bahan, perjadin, perkantoran, PN) and KANREG II.
    assert set(df["kode"]) == {"017220", "017232"}
    kp = df.set_index("kode").loc["017220"]
    assert kp["pagu"] == 400 + 500 + 1000 + 800 + 200
    assert kp["realisasi"] == 100 - 20 + 50 + 500 + 400 + 200
    with pytest.raises(ValueError, match="Jenis belanja"):
        reports.ranking_satker(store, 2022, 5, jenis_belanja="99")


def test_ranking_satker_month_cut(store):
    jan = reports.ranking_satker(store, 2022, 1).set_index("kode")
    assert jan.loc["017220", "realisasi"] == 120 + 10 + 500
    jun = reports.ranking_satker(store, 2022, 6).set_index("kode")
    assert jun.loc["017220", "realisasi"] == 1490 + 999


def test_ranking_unit_per_unit_of_central_satker(store):
    df = reports.ranking_unit(store, 2022, 5).set_index("kode")
    assert df["nama"].tolist() == ["Direktorat Jabatan ASN", "Biro Umum", "Biro Keuangan"]
    assert df.loc["0102", "realisasi"] == 120 + 80 + 50 + 10 + 100 - 20 + 50
    assert df.loc["0401", "persen_realisasi"] == pytest.approx(60.0)


def test_ranking_prioritas_nasional_only_pn_lines(store):
    df = reports.ranking_prioritas_nasional(store, 2022, 5)
    assert df["kode"].tolist() == ["0401"]
    assert (df["pagu"].item(), df["realisasi"].item()) == (800, 400)


def test_rankings_are_public(store):
    publik = store.with_access(Access("publik"))
    assert len(reports.ranking_satker(publik, 2022, 5)) == 4
    assert len(reports.ranking_unit(publik, 2022, 5)) == 3


def test_grafik_rpd_realisasi_cumulative_and_blank_after_bulan(store):
    df = reports.grafik_rpd_realisasi(store, 2022, 3, satker="017220", unit="0102")
    assert df["bulan"].tolist() == list(range(1, 13))
    assert df["rencana_kumulatif"].tolist()[:4] == [100, 300, 500, 1200]
    assert df["rencana_kumulatif"].iloc[-1] == 2400
    assert df["realisasi_kumulatif"].tolist()[:3] == [130, 310, 340]
    assert df["realisasi_kumulatif"].iloc[3:].isna().all()
    agency = reports.grafik_rpd_realisasi(store, 2022, 1)
    assert agency["realisasi_kumulatif"].iloc[0] == 120 + 10 + 500 + 500 + 300


def test_grafik_target_realisasi_per_jenis_with_pagu(store):
    df = reports.grafik_target_realisasi(store, 2022, 2, satker="017220")
    assert list(df.columns) == ["bulan", "jenis_belanja", "target_persen", "realisasi_persen"]
    assert sorted(set(df["jenis_belanja"])) == ["51", "52"]   # no 53 / 57 pagu
    assert len(df) == 24
    feb = df[df["bulan"] == 2].set_index("jenis_belanja")
    assert feb.loc["51", "target_persen"] == 16
    assert feb.loc["51", "realisasi_persen"] == pytest.approx((120 + 80 + 10) / 1500 * 100)
    assert feb.loc["52", "realisasi_persen"] == pytest.approx((100 + 500 + 400 + 200) / 2900 * 100)
    assert df[df["bulan"] > 2]["realisasi_persen"].isna().all()


def test_charts_public_but_detail_is_not(store):
    publik = store.with_access(Access("publik"))
    assert len(reports.grafik_rpd_realisasi(publik, 2022, 5, satker="017231")) == 12
    with pytest.raises(AksesDitolak):
        reports.realisasi_pok(publik, 2022, 5, satker="017231")
