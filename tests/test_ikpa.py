"""IKPA estimate of one small synthetic satker, worked out by hand (numbers written out).

Satker 017299, tahun 2024, bulan 3 (Maret):
  51 Pegawai: pagu 2.400.000, RPD Jan–Mar 100.000 each; realisasi 100.000 each month.
  52 Barang:  pagu   600.000, RPD Jan 0, Feb 100.000, Mar 200.000;
              realisasi Jan 50.000, Feb 80.000, Mar 200.000 (and 500.000 in April, ignored).
  RO 994: PCRO 5 + 5 + 2 = 12 %; RO 995: PCRO 30 %.

Deviasi per month: 51 -> 0, 0, 0 (mean 0); 52 -> 100 (RPD 0 with realisasi), 20, 0
(mean 40).
Penyerapan s.d. Maret: 51 300.000 / 2.400.000 = 12,5 %; 52 330.000 / 600.000 = 55 %;
overall 630.000 / 3.000.000 = 21 %.
Capaian output vs target PCRO Maret 15 %: RO 994 12/15 = 0,8 -> 80; RO 995 capped 100;
mean 90.

2024 (PER-5/PB/2024): deviasi pagu-weighted (0·2,4 + 40·0,6) / 3 = 8 % -> 92;
  penyerapan per jenis belanja, TW I targets 51: 20 %, 52: 15 %:
  51 12,5/20 = 62,5; 52 capped 100; pagu-weighted (62,5·2,4 + 100·0,6) / 3 = 70;
  weights 15 / 20 / 25 of 60 -> effective 25 / 33,33 / 41,67;
  total 92·0,25 + 70·20/60 + 90·25/60 = 23 + 23,333… + 37,5 = 83,8333… -> Cukup.
2021 (PER-4/PB/2021): deviasi simple mean (0 + 40) / 2 = 20 % -> 80;
  penyerapan overall 21 / 15 -> 100; weights 5 / 15 / 17 of 37;
  total (80·5 + 100·15 + 90·17) / 37 = 3430 / 37 = 92,7027… -> Baik.
"""
from datetime import date

import pandas as pd
import pytest

from spektra_lib import schema
from spektra_lib.problems import AksesDitolak
from spektra_lib import reports
from spektra_lib.reports import ikpa
from spektra_lib.store import Access, Store

T, S, S2 = 2024, "017299", "017298"


def pok(akun, ro, pagu, rpd, satker=S):
    row = dict(tahun=T, kode_satker=satker, kode_unit=None, kode_program="WA", nama_program="P",
               kode_kegiatan="4843", nama_kegiatan="K", kode_kro="EBA", nama_kro="KRO",
               kode_ro=ro, nama_ro="RO", kode_komponen="001", nama_komponen="Komp",
               kode_subkomponen="A", nama_subkomponen="Sub", kode_akun=akun, nama_akun="Akun",
               no_item="1", uraian_item="Item", volume=1, satuan="paket", harga_satuan=pagu,
               pagu=pagu, prioritas_nasional=0)
    row.update({c: rpd.get(m, 0) for m, c in zip(schema.MONTHS, schema.RPD_COLUMNS)})
    return row


def real(akun, ro, tanggal, nilai, satker=S):
    return dict(tahun=T, kode_satker=satker, kode_program="WA", kode_kegiatan="4843",
                kode_kro="EBA", kode_ro=ro, kode_komponen="001", kode_subkomponen="A",
                kode_akun=akun, no_item="1", tanggal=tanggal, nilai=nilai)


def frame(name, rows):
    # tuples give the leading columns; optional columns added later stay empty
    cols = schema.TABLES[name].names
    width = len(rows[0]) if rows and not isinstance(rows[0], dict) else len(cols)
    return pd.DataFrame(rows, columns=cols[:width]).reindex(columns=cols)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("store") / "i.duckdb")
    s.ingest({
        "satker": frame("satker", [(S, "KANTOR REGIONAL XX", "KANREG"),
                                   (S2, "PUSBANG YY", "PUSBANG")]),
        "pok": frame("pok", [
            pok("511111", "994", 2_400_000, {1: 100_000, 2: 100_000, 3: 100_000}),
            pok("521211", "995", 600_000, {2: 100_000, 3: 200_000}),
            pok("511111", "994", 1_200_000, {1: 100_000, 2: 100_000, 3: 100_000}, S2),
        ]),
        "realisasi": frame("realisasi", [
            real("511111", "994", date(2024, 1, 25), 100_000),
            real("511111", "994", date(2024, 2, 25), 100_000),
            real("511111", "994", date(2024, 3, 25), 100_000),
            real("521211", "995", date(2024, 1, 15), 50_000),
            real("521211", "995", date(2024, 2, 15), 80_000),
            real("521211", "995", date(2024, 3, 15), 200_000),
            real("521211", "995", date(2024, 4, 15), 500_000),
            real("511111", "994", date(2024, 1, 25), 100_000, S2),
            real("511111", "994", date(2024, 2, 25), 100_000, S2),
        ]),
        "ro_target": frame("ro_target", [
            (T, S, "4843", "EBA", "994", "RO 994", 12, "layanan", 0),
            (T, S, "4843", "EBA", "995", "RO 995", 1, "dokumen", 0),
        ]),
        "capaian_ro": frame("capaian_ro", [
            (T, S, "4843", "EBA", "994", 1, 1, 5, "a"),
            (T, S, "4843", "EBA", "994", 2, 1, 5, "b"),
            (T, S, "4843", "EBA", "994", 3, 1, 2, "c"),
            (T, S, "4843", "EBA", "995", 2, 0, 30, "d"),
            (T, S, "4843", "EBA", "994", 4, 1, 50, "April: ignored"),
        ]),
    }, layout="kanonik")
    yield s
    s.close()


def _by(df):
    return df.set_index("indikator")


def test_ikpa_2024_by_hand(store):
    df = ikpa.ikpa_estimasi(store, T, 3, satker=S)
    assert list(df.columns) == ikpa.COLUMNS
    d = _by(df)
    assert d.loc["Deviasi Halaman III DIPA", "nilai"] == pytest.approx(92)
    assert d.loc["Penyerapan Anggaran", "nilai"] == pytest.approx(70)
    assert d.loc["Capaian Output", "nilai"] == pytest.approx(90)
    # Revisi DIPA from the budget versions (issue 14): one version, no revision -> 100.
    # Weights 10 + 15 + 20 + 25 = 70: (10·100 + 15·92 + 20·70 + 25·90) / 70 = 6030 / 70.
    assert d.loc["Revisi DIPA", "nilai"] == 100
    assert d.loc["Revisi DIPA", "keterangan"] == "estimasi"
    assert d.loc["Revisi DIPA", "bobot"] == 10
    assert d.loc["Revisi DIPA", "bobot_efektif"] == pytest.approx(1000 / 70)
    assert d.loc["Deviasi Halaman III DIPA", "bobot_efektif"] == pytest.approx(1500 / 70)
    assert d.loc["Penyerapan Anggaran", "bobot_efektif"] == pytest.approx(2000 / 70)
    assert d.loc["Capaian Output", "nilai_tertimbang"] == pytest.approx(90 * 25 / 70)
    assert d.loc["Nilai IKPA", "nilai"] == pytest.approx(6030 / 70)
    assert d.loc["Nilai IKPA", "kategori"] == "Cukup"
    assert d.loc["Nilai IKPA", "keterangan"] == "estimasi"
    assert df["nama_satker"].unique().tolist() == ["KANTOR REGIONAL XX"]
    assert df.attrs["aturan"] == "PER-5/PB/2024"


def test_ikpa_2021_rules_by_hand(store):
    d = _by(ikpa.ikpa_estimasi(store, T, 3, satker=S, aturan=2021))
    assert d.loc["Deviasi Halaman III DIPA", "nilai"] == pytest.approx(80)
    assert d.loc["Penyerapan Anggaran", "nilai"] == pytest.approx(100)
    # weights 5 + 5 + 15 + 17 = 42: (5·100 + 3430) / 42
    assert d.loc["Capaian Output", "bobot_efektif"] == pytest.approx(17 * 100 / 42)
    assert d.loc["Nilai IKPA", "nilai"] == pytest.approx(3930 / 42)
    assert d.loc["Nilai IKPA", "kategori"] == "Baik"
    assert d.loc["LPJ Bendahara", "keterangan"] == "tidak dapat dihitung"


def test_satker_without_capaian_data_rescales_the_rest(store):
    # 017298: 51 only, pagu 1.200.000, RPD 100.000 Jan–Mar, realisasi Jan and Feb 100.000.
    # Deviasi 0, 0, 100 -> 33,33 % -> 66,67; penyerapan 16,67 % / 20 % -> 83,33;
    # no RO: capaian output cannot be computed; Revisi DIPA 100 (one version); weights
    # 10 + 15 + 20 = 45: (10·100 + 15·200/3 + 20·250/3) / 45 = 81,48 -> Cukup.
    df = ikpa.ikpa_estimasi(store, T, 3)
    assert df["kode_satker"].unique().tolist() == [S2, S]
    d = _by(df[df["kode_satker"] == S2])
    assert d.loc["Deviasi Halaman III DIPA", "nilai"] == pytest.approx(66.6667, abs=1e-4)
    assert d.loc["Penyerapan Anggaran", "nilai"] == pytest.approx(83.3333, abs=1e-4)
    assert d.loc["Capaian Output", "keterangan"] == "tidak dapat dihitung"
    assert d.loc["Capaian Output", "bobot_efektif"] == 0
    assert d.loc["Penyerapan Anggaran", "bobot_efektif"] == pytest.approx(20 * 100 / 45)
    assert d.loc["Nilai IKPA", "nilai"] == pytest.approx((1000 + 1000 + 5000 / 3) / 45)
    assert d.loc["Nilai IKPA", "kategori"] == "Cukup"


def test_rule_year_defaults_to_latest_not_after_tahun():
    assert ikpa.pilih_aturan(2022)[0] == 2021
    assert ikpa.pilih_aturan(2026)[0] == 2024
    with pytest.raises(ValueError, match="tidak dikenal"):
        ikpa.pilih_aturan(2024, 2019)


@pytest.mark.parametrize("nilai, kat", [(95, "Sangat Baik"), (94.99, "Baik"), (89, "Baik"),
                                        (88.99, "Cukup"), (70, "Cukup"), (69.99, "Kurang")])
def test_category_bands_2024(nilai, kat):
    assert ikpa.kategori(nilai, ikpa.pilih_aturan(2024)[1]["kategori"]) == kat


def test_interpolated_monthly_target():
    assert ikpa.target_bulan({3: 15, 6: 50, 9: 70, 12: 90}, 3) == 15
    assert ikpa.target_bulan({3: 15, 6: 50, 9: 70, 12: 90}, 1) == pytest.approx(5)
    assert ikpa.target_bulan({3: 15, 6: 50, 9: 70, 12: 90}, 4) == pytest.approx(15 + 35 / 3)


def test_scope(store):
    with pytest.raises(AksesDitolak):
        reports.ikpa_estimasi(store.with_access(Access("user", satker="017220")), T, 3, satker=S)
    with pytest.raises(AksesDitolak):
        reports.ikpa_estimasi(store.with_access(Access("user", satker=S)), T, 3)
    assert len(reports.ikpa_estimasi(store.with_access(Access("user", satker=S)), T, 3,
                                     satker=S)) == 9   # 8 indicators of 2024 + total


def test_registry_runs_ikpa(store):
    from spektra_lib import reports
    df = reports.run("ikpa_estimasi", store, tahun=T, bulan=3, satker=S, aturan=2021)
    assert df.iloc[-1]["indikator"] == "Nilai IKPA"
    assert df.iloc[-1]["nilai"] == pytest.approx(3930 / 42)
