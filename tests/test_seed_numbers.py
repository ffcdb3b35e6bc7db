"""The seed manual's printed numbers, reproduced through files -> ingest -> report."""
from __future__ import annotations

import numpy as np
import pytest

from spektra_lib import reports
from spektra_lib.store import Store

from reports_fixture import load_seed

TAHUN, BULAN = 2022, 5


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = load_seed(Store(tmp_path_factory.mktemp("seed") / "seed.duckdb"))
    yield s
    s.close()


def test_deviasi_detail_eba_row_of_biro_keuangan(store):
    df = reports.deviasi_detail(store, TAHUN, BULAN, satker="017220", unit="0102")
    eba = df[df["path"] == "WA.4843.EBA"].set_index("bulan")
    assert len(eba) == 12
    assert eba["pagu"].iloc[0] == 236_598_535_000
    assert eba.loc[1:5, "rencana"].tolist() == [8_119_369_897, 23_642_953_500, 23_642_953_500,
                                                18_813_183_533, 18_813_183_533]
    assert eba.loc[1:5, "realisasi"].tolist() == [9_048_762_480, 14_668_550_557, 14_722_672_233,
                                                  25_547_820_590, 83_994_000]
    assert eba.loc[1:5, "realisasi"].sum() == 64_071_799_860
    assert eba.loc[1:5, "deviasi_persen"].round(2).tolist() == [11.45, 37.96, 37.73, 35.80, 99.55]
    assert eba.loc[1:5, "warna"].tolist() == ["kuning", "merah", "merah", "merah", "merah"]
    later = eba.loc[6:12]
    assert later["realisasi"].isna().all() and later["deviasi_persen"].isna().all()
    assert later["warna"].isna().all() and (later["rencana"] > 0).all()
    head = df[df["bulan"] == 1].iloc[0]
    assert (head["level"], head["kode"], head["uraian"]) == ("unit", "0102", "Biro Keuangan")
    for path in ("WA", "WA.4843"):
        assert df[(df["path"] == path) & (df["bulan"] == 1)]["pagu"].item() == 237_864_572_000


def test_realisasi_pok_511111_rollup(store):
    df = reports.realisasi_pok(store, TAHUN, BULAN, satker="017220", unit="0102")
    akun = df[df["path"] == "WA.4843.EBA.994.001.A.511111"].iloc[0]
    assert (akun["pagu"], akun["realisasi"]) == (50_857_454_000, 21_998_809_490)
    assert round(akun["persen_realisasi"], 2) == 43.26
    assert akun["sisa"] == 28_858_644_510
    items = df[df["path"].str.startswith("WA.4843.EBA.994.001.A.511111.")]
    assert items["uraian"].tolist() == ["Belanja Gaji Pokok PNS",
                                        "Belanja Gaji Pokok PNS (gaji ke 13)",
                                        "Belanja Gaji Pokok PNS (gaji ke 14)"]
    assert items["pagu"].tolist() == [42_232_058_000, 4_312_698_000, 4_312_698_000]
    assert items["realisasi"].tolist() == [17_876_795_200, 0, 4_122_014_290]
    assert items["persen_realisasi"].round(2).tolist() == [42.33, 0.00, 95.58]
    assert items["sisa"].tolist() == [24_355_262_800, 4_312_698_000, 190_683_710]
    assert items["satuan"].tolist() == ["THN", "BLN", "BLN"]
    assert items["volume"].tolist() == [1, 1, 1]
    # The seed's upper rows: WA and EBA.
    wa = df[df["path"] == "WA"].iloc[0]
    assert (wa["pagu"], wa["realisasi"]) == (237_864_572_000, 64_313_064_724)
    assert round(wa["persen_realisasi"], 2) == 27.04
    eba = df[df["path"] == "WA.4843.EBA"].iloc[0]
    assert (eba["realisasi"], eba["sisa"]) == (64_071_799_860, 172_526_735_140)
    a = df[df["path"] == "WA.4843.EBA.994.001.A"].iloc[0]
    assert (a["pagu"], a["realisasi"]) == (235_598_535_000, 63_735_999_860)
    pembulatan = df[df["path"].str.startswith("WA.4843.EBA.994.001.A.511119.")]
    assert pembulatan["realisasi"].tolist() == [274_865, 0, 75_195]


def test_deviasi_kumulatif_kantor_pusat(store):
    df = reports.deviasi_kumulatif(store, TAHUN, BULAN)
    kp = df[df["kode"] == "017220"].set_index("bulan")
    assert kp["pagu"].iloc[0] == 356_683_787_000
    assert kp.loc[1:3, "rencana_kumulatif"].tolist() == [16_474_236_083, 63_893_360_703,
                                                         115_918_747_643]
    assert kp.loc[1:3, "realisasi_kumulatif"].tolist() == [9_677_971_026, 44_132_444_823,
                                                           78_552_762_278]
    assert kp.loc[1:3, "deviasi_persen"].round(2).tolist() == [41.25, 30.93, 32.23]
    assert kp.loc[1:3, "warna"].tolist() == ["merah", "merah", "merah"]
    assert kp.loc[6:12, "realisasi_kumulatif"].isna().all()
    assert set(df["level"]) == {"satker"} and df["kode"].nunique() == 16


SEED_TOP10 = [
    ("KANTOR REGIONAL IV BADAN KEPEGAWAIAN NEGARA MAKASAR", 18_941_565_000, 7_345_314_825, 38.78, 11_596_250_175),
    ("KANTOR REGIONAL VI BADAN KEPEGAWAIAN NEGARA MEDAN", 13_361_266_000, 4_986_053_455, 37.32, 8_375_212_545),
    ("KANTOR REGIONAL II BADAN KEPEGAWAIAN NEGARA SURABAYA", 15_609_888_000, 5_785_847_891, 37.07, 9_824_040_109),
    ("KANTOR REGIONAL V BADAN KEPEGAWAIAN NEGARA JAKARTA", 14_466_979_000, 4_771_439_853, 32.98, 9_695_539_147),
    ("KANTOR REGIONAL X BADAN KEPEGAWAIAN NEGARA DENPASAR", 13_641_221_000, 4_451_941_928, 32.64, 9_189_279_072),
    ("KANTOR REGIONAL VII BADAN KEPEGAWAIAN NEGARA PALEMBANG", 16_209_129_000, 5_273_809_522, 32.54, 10_935_319_478),
    ("KANTOR REGIONAL VIII BADAN KEPEGAWAIAN NEGARA BANJARMASIN", 14_459_196_000, 4_699_878_758, 32.50, 9_759_317_242),
    ("KANTOR REGIONAL XI BADAN KEPEGAWAIAN NEGARA MANADO", 13_317_764_000, 4_315_445_895, 32.40, 9_002_318_105),
    ("KANTOR REGIONAL XII BADAN KEPEGAWAIAN NEGARA PEKANBARU", 14_624_986_000, 4_654_113_769, 31.82, 9_970_872_231),
    ("KANTOR REGIONAL XIII BKN BANDA ACEH", 8_589_411_000, 2_639_454_735, 30.73, 5_949_956_265),
]


def test_ranking_satker_top_ten(store):
    df = reports.ranking_satker(store, TAHUN, BULAN)
    top = df.head(10)
    assert top["peringkat"].tolist() == list(range(1, 11))
    got = list(zip(top["nama"], top["pagu"], top["realisasi"],
                   top["persen_realisasi"].round(2), top["sisa"]))
    assert got == SEED_TOP10
    assert len(df) == 16
    kp = df[df["kode"] == "017220"].iloc[0]
    assert kp["peringkat"] > 10 and kp["persen_realisasi"] < 30.73


SEED_UNIT_ORDER = ["Direktorat Wasdal III", "Direktorat Wasdal II",
                   "Direktorat Pensiun PNS dan Pejabat Negara", "Direktorat Arsip Kepegawaian",
                   "Direktorat Wasdal I", "Direktorat Kompensasi ASN",
                   "Direktorat Peraturan Perundang-Undangan", "Inspektorat",
                   "Direktorat Pengadaan dan Kepangkatan", "Biro Keuangan"]


def test_ranking_unit_seed_order(store):
    # Biro Umum carries the rest of Kantor Pusat's Jan–Mar spending (the kumulatif row),
    # which the seed's own unit table (another data snapshot) cannot hold as well: the
    # seed's ten units keep their order among themselves.
    df = reports.ranking_unit(store, TAHUN, BULAN)
    seed = df[df["nama"].isin(SEED_UNIT_ORDER)]
    assert seed["nama"].tolist() == SEED_UNIT_ORDER
    wasdal = seed.iloc[0]
    assert (wasdal["pagu"], wasdal["realisasi"], wasdal["sisa"]) == (
        825_000_000, 441_157_017, 383_842_983)
    assert round(wasdal["persen_realisasi"], 2) == 53.47
    bk = df[df["kode"] == "0102"].iloc[0]
    assert bk["pagu"] == 237_864_572_000 and bk["realisasi"] == 64_313_064_724
    assert df["peringkat"].tolist() == list(range(1, len(df) + 1))


def test_ranking_prioritas_nasional(store):
    df = reports.ranking_prioritas_nasional(store, TAHUN, BULAN)
    assert df["nama"].tolist()[:2] == ["Direktorat Jabatan ASN", "Direktorat Kinerja ASN"]
    assert df["persen_realisasi"].round(2).tolist() == [27.53, 7.54, 3.41, 1.59, 0.96, 0.70]


def test_monitoring_spp_biro_keuangan(store):
    df = reports.monitoring_spp(store, TAHUN, BULAN, satker="017220", unit="0102")
    assert df["no_spp"].tolist() == ["00002T", "00003T", "00004T", "00043T", "00047T",
                                     "00048T", "00049T"]
    assert df["nilai"].iloc[0] == 4_651_803_651
    assert df["tgl_sp2d"].iloc[1].strftime("%d/%m/%Y") == "01/02/2022"
