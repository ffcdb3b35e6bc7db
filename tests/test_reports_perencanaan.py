"""deviasi_detail and deviasi_kumulatif on small hand-made data."""
from __future__ import annotations

import numpy as np
import pytest

from spektra_lib import reports
from spektra_lib.problems import AksesDitolak
from spektra_lib.reports.perencanaan import DETAIL_COLUMNS, KUMULATIF_COLUMNS
from spektra_lib.store import Access

from reports_fixture import P1


@pytest.fixture
def store(small_report_store):
    return small_report_store


def test_detail_rows_per_node_and_month(store):
    df = reports.deviasi_detail(store, 2022, 3, satker="017220", unit="0102")
    assert list(df.columns) == DETAIL_COLUMNS
    assert len(df) % 12 == 0
    first = df.iloc[0]
    assert (first["level"], first["kode"], first["path"], first["uraian"]) == (
        "unit", "0102", "", "Biro Keuangan")
    item1 = df[df["path"] == P1 + ".1"].set_index("bulan")
    assert item1["rencana"].tolist() == [100, 100, 100, 0, 0, 0, 700, 0, 0, 0, 0, 0]
    assert item1.loc[1:3, "realisasi"].tolist() == [120, 80, 50]
    assert item1.loc[1:3, "deviasi_persen"].tolist() == pytest.approx([20, 20, 50])
    assert item1.loc[1:3, "warna"].tolist() == ["kuning", "kuning", "merah"]
    # Months after bulan: rencana kept, the rest blank (the June payment is not shown).
    assert item1.loc[4:, "realisasi"].isna().all() and item1.loc[4:, "deviasi_persen"].isna().all()
    assert item1.loc[4:, "warna"].isna().all()


def test_detail_rpd_zero(store):
    df = reports.deviasi_detail(store, 2022, 3, satker="017220", unit="0102")
    item2 = df[df["path"] == P1 + ".2"].set_index("bulan")
    # rpd 0 with realisasi 10 -> deviasi_rpd_nol (100, merah); rpd 0 and nothing paid -> 0.
    assert (item2.loc[1, "deviasi_persen"], item2.loc[1, "warna"]) == (100, "merah")
    assert (item2.loc[2, "deviasi_persen"], item2.loc[2, "warna"]) == (0, "hijau")


def test_detail_parents_sum_children_and_refunds(store):
    df = reports.deviasi_detail(store, 2022, 3, satker="017220", unit="0102")
    komp = df[df["path"] == "WA.4843.EBA.994.003"].set_index("bulan")
    # Blank subkomponen: akun directly under the komponen, no segment in the path.
    assert "WA.4843.EBA.994.003.521211" in set(df["path"])
    assert komp.loc[3, "realisasi"] == -20                       # the refund
    assert komp.loc[3, "deviasi_persen"] == pytest.approx(120)
    top = df[df["level"] == "unit"].set_index("bulan")
    items = df[df["level"] == "item"]
    for m in (1, 2, 3):
        month = items[items["bulan"] == m]
        assert top.loc[m, "rencana"] == month["rencana"].sum()
        assert top.loc[m, "realisasi"] == month["realisasi"].sum()
    assert top["pagu"].iloc[0] == items[items["bulan"] == 1]["pagu"].sum() == 2400


def test_detail_omspan_only_satker_has_no_item_realisasi(store):
    df = reports.deviasi_detail(store, 2022, 3, satker="017233")
    assert df.attrs["catatan"].startswith("Realisasi tingkat item tidak tersedia")
    assert df["realisasi"].isna().all() and df["warna"].isna().all()
    assert df["rencana"].iloc[0] == 1000


def test_detail_access(store):
    user = store.with_access(Access("user", satker="017231"))
    with pytest.raises(AksesDitolak):
        reports.deviasi_detail(user, 2022, 3, satker="017220")
    with pytest.raises(AksesDitolak):
        reports.deviasi_detail(user, 2022, 3)
    assert len(reports.deviasi_detail(user, 2022, 3, satker="017231")) > 0
    unit_user = store.with_access(Access("user", satker="017220", unit="0103"))
    with pytest.raises(AksesDitolak):
        reports.deviasi_detail(unit_user, 2022, 3, satker="017220", unit="0102")
    assert len(reports.deviasi_detail(unit_user, 2022, 3, unit="0103")) > 0


def test_kumulatif_per_satker(store):
    df = reports.deviasi_kumulatif(store, 2022, 2)
    assert list(df.columns) == KUMULATIF_COLUMNS
    assert df["kode"].unique().tolist() == ["017220", "017231", "017232", "017233"]
    k2 = df[df["kode"] == "017232"].set_index("bulan")
    assert k2.loc[1:2, "rencana_kumulatif"].tolist() == [2000, 2000]
    assert k2.loc[1:2, "realisasi_kumulatif"].tolist() == [0, 1000]
    assert k2.loc[1:2, "deviasi_persen"].tolist() == [100, 50]
    assert k2.loc[3:, "realisasi_kumulatif"].isna().all() and k2.loc[3:, "warna"].isna().all()
    # OM-SPAN-only satker: its akun-level realisasi counts at satker level.
    assert df[(df["kode"] == "017233") & (df["bulan"] == 1)]["realisasi_kumulatif"].item() == 300


def test_kumulatif_central_satker_per_unit(store):
    df = reports.deviasi_kumulatif(store, 2022, 3, satker="017220")
    assert set(df["level"]) == {"unit"}
    assert df["kode"].unique().tolist() == ["0102", "0103", "0401"]
    bk = df[df["kode"] == "0102"].set_index("bulan")
    assert bk.loc[1:3, "rencana_kumulatif"].tolist() == [100, 300, 500]
    assert bk.loc[1:3, "realisasi_kumulatif"].tolist() == [130, 310, 340]
    assert bk.loc[3, "deviasi_persen"] == pytest.approx(32.0)
    assert bk.loc[3, "warna"] == "merah"
