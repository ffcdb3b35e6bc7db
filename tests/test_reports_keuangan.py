"""Realisasi POK / akun / satker and Monitoring SPP on small hand-made data."""
from __future__ import annotations

import pandas as pd
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


def test_monitoring_spp_as_it_stood_at_the_end_of_the_month(tmp_path):
    # issue 27.12: "s.d. Mei" listed an SP2D of 7 June as done
    from reports_fixture import make_store, satker_rows
    rows = [("00001T", "2022-05-10", "2022-05-11", "2022-05-12"),     # done in May
            ("00002T", "2022-05-30", "2022-05-31", "2022-06-07"),     # SP2D in June
            ("00003T", "2022-05-31", "2022-06-02", "2022-06-03")]     # SPM in June
    st = make_store(tmp_path, satker=satker_rows(("017231", "Kanreg I", "KANREG")),
                    spp=[{"kode_satker": "017231", "no_spp": no, "tgl_spp": spp,
                          "no_spm": no[:-1] + "A", "tgl_spm": spm, "no_sp2d": "2210" + no[:-1],
                          "tgl_sp2d": sp2d, "uraian": f"SPP {no}", "jenis_spp": "LS",
                          "nilai": 100, "status": "Upload SP2D"} for no, spp, spm, sp2d in rows])
    mei = reports.monitoring_spp(st, 2022, 5, satker="017231").set_index("no_spp")
    assert mei["status"].tolist() == ["Upload SP2D", "Dalam proses: SP2D belum terbit",
                                      "Dalam proses: SPM belum terbit"]
    assert mei["no_sp2d"].isna().tolist() == [False, True, True]
    assert mei.loc["00002T", "no_spm"] == "00002A" and pd.isna(mei.loc["00003T", "no_spm"])
    assert pd.isna(mei.loc["00003T", "tgl_spm"]) and pd.isna(mei.loc["00002T", "tgl_sp2d"])
    # s.d. Juni: all three done, as the source says
    jun = reports.monitoring_spp(st, 2022, 6, satker="017231")
    assert jun["status"].tolist() == ["Upload SP2D"] * 3 and jun["no_sp2d"].notna().all()


def test_monitoring_spp_in_process_or_done_view(tmp_path, capsys):
    # issue 27.12: no status filter, no "masih dalam proses" view
    from reports_fixture import make_store, satker_rows
    from spektra_lib.cli import main
    from spektra_lib.page import widgets
    rows = [("00001T", "2022-05-10", "2022-05-12"), ("00002T", "2022-05-30", "2022-06-07"),
            ("00003T", "2022-05-31", None)]
    st = make_store(tmp_path, satker=satker_rows(("017231", "Kanreg I", "KANREG")),
                    spp=[{"kode_satker": "017231", "no_spp": no, "tgl_spp": spp,
                          "no_spm": None, "tgl_spm": None,
                          "no_sp2d": sp2d and "2210" + no, "tgl_sp2d": sp2d,
                          "uraian": f"SPP {no}", "jenis_spp": "LS", "nilai": 100,
                          "status": "Upload SP2D" if sp2d else "Proses Verifikasi PPSPM"}
                         for no, spp, sp2d in rows])
    def nos(**kw):
        return reports.run("monitoring_spp", st, tahun=2022, bulan=5, satker="017231",
                           **kw)["no_spp"].tolist()
    assert nos(status_spp="proses") == ["00002T", "00003T"]
    assert nos(status_spp="selesai") == ["00001T"]
    assert nos() == ["00001T", "00002T", "00003T"]
    path = st.path
    st.close()
    out = tmp_path / "proses.csv"
    assert main(["report", "monitoring_spp", "--tahun", "2022", "--bulan", "5", "--satker",
                 "017231", "--status-spp", "proses", "--store", str(path), "-o",
                 str(out)]) == 0
    assert [line.split(",")[0] for line in out.read_text().splitlines()[1:]] == [
        "00002T", "00003T"]
    assert "status_spp" in widgets.page_parameters("monitoring_spp")


def test_monitoring_spp_for_the_whole_agency_lists_what_is_in_process(tmp_path):
    """Issue 27.12: a page for the whole agency; each row names its satker; without a
    status only the SPP still in process at the month's end (the full register of every
    satker would be too large a page); the satker's own page keeps its full register."""
    from reports_fixture import make_store, satker_rows
    from spektra_lib.present.tables import format_flat
    rows = [("017231", "00001T", "2022-05-10", "2022-05-12"),
            ("017231", "00002T", "2022-05-30", "2022-06-07"),
            ("017232", "00001T", "2022-05-20", None)]
    st = make_store(tmp_path, satker=satker_rows(("017231", "Kanreg I", "KANREG"),
                                                 ("017232", "Kanreg II", "KANREG")),
                    spp=[{"kode_satker": k, "no_spp": no, "tgl_spp": spp, "no_spm": None,
                          "tgl_spm": None, "no_sp2d": sp2d and "2210" + no, "tgl_sp2d": sp2d,
                          "uraian": f"SPP {k} {no}", "jenis_spp": "LS", "nilai": 100,
                          "status": "Upload SP2D" if sp2d else "Proses Verifikasi PPSPM"}
                         for k, no, spp, sp2d in rows])
    agency = reports.run("monitoring_spp", st, tahun=2022, bulan=5)
    assert agency[["nama_satker", "no_spp"]].values.tolist() == [
        ["Kanreg II", "00001T"], ["Kanreg I", "00002T"]]
    assert "hanya SPP yang masih dalam proses" in agency.attrs["catatan"]
    done = reports.run("monitoring_spp", st, tahun=2022, bulan=5, status_spp="selesai")
    assert done[["nama_satker", "no_spp"]].values.tolist() == [["Kanreg I", "00001T"]]
    shown = format_flat("monitoring_spp", agency)
    assert list(shown.columns[:3]) == ["No", "Satker", "No SPP"]
    own = reports.run("monitoring_spp", st, tahun=2022, bulan=5, satker="017231")
    assert own["no_spp"].tolist() == ["00001T", "00002T"] and own["nama_satker"].isna().all()
    assert "Satker" not in format_flat("monitoring_spp", own).columns
    assert "semua" in reports.catalog.laporan("monitoring_spp").render
