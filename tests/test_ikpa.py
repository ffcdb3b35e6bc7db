"""IKPA as the Treasury computes it (issue 22), worked out by hand. Numbers written out.

Tahun 2022 (PER-5/PB/2022, weights 10/15/20/10/10/10/25 + Dispensasi SPM deduction).
Pemutakhiran windows 2022 (10th working day): 15 Feb, 14 Apr, 14 Jul, 14 Oct.

Satker A 017201:
  51 item: pagu 2.400.000, RPD 200.000 every month; realisasi 200.000 Jan–Jul.
  52 item: pagu 1.200.000, RPD 100.000 every month (revisi 0, 3 Jan);
           revisi 1 (25 Apr, KANWIL, code 221, pagu kept): RPD May 200.000, Jun 0,
           Jul 200.000, Aug 0; realisasi 100.000 Jan–Jun, 0 in July.
           revisi 2 (20 May, KPA, code 221): an item text changed (the satker's own).
  Deviasi at July: TW I and TW II keep revisi 0's RPD (revisi 1 came after 14 Apr):
    52: Jan–Jun 0 %, Jul |0 − 200.000| / 200.000 = 100 % -> mean 100/7 = 14,2857 %;
    51: 0 %. 2022 simple mean 7,142857 % -> 92,857143. 2024 pagu-weighted
    (0·2,4 + 14,2857·1,2) / 3,6 = 4,7619 % <= 5 -> 100.
  Revisi DIPA: TW I 0, TW II 1 (revisi 1; revisi 2 is the KPA's), TW III 0 -> 100.
  Penyerapan at July (TW I, TW II ended): 51 25 %/20, 50 %/50; 52 25 %/15, 50 %/50 -> 100.
  Capaian Output: RO 994 (volume 1), projection 5, 10, 15, 20, 30, 40, 50 %, PCRO +10 %
    a month (10 … 70 % >= projection -> 100), every report late (20th of next month):
    0,3 · 0 + 0,7 · 100 = 70.
  Total July: (10·100 + 15·92,857143 + 20·100 + 25·70) / 70 = 6142,857143 / 70 = 87,7551
    -> Cukup; the three contract indicators cannot be computed here.
Satker B 017202 (52 only: pagu 1.000.000, blokir 400.000, RPD 100.000 Jan–Oct):
  realisasi Jan 30.000, Mar 30.000, Apr 200.000, May 200.000.
  Penyerapan in May: TW I alone, 60.000 / 600.000 = 10 % / 15 % -> 66,6667 (TW II
    running: 460.000 / 600.000 = 76,67 % only a projection).
  Satker C 017203 is B without blokir: 60.000 / 1.000.000 = 6 % / 15 % -> 40.
  Revisi: revisi 1 (10 Apr, KANWIL 221) and revisi 2 (10 May, DJA "201;101"): two in
    TW II -> 50; June: (100 + 50) / 2 = 75.
  Capaian in March, no projection (guide 5, 10, 15 %), PCRO Jan 0, Feb 0, Mar 6, every
    report on time: Jan 30 + 0, Feb 30 + 0, Mar 30 + 0,7·40 = 58 -> 118/3 = 39,3333.
"""
from datetime import date

import pandas as pd
import pytest

from spektra_lib import reports, schema
from spektra_lib.reports import ikpa
from spektra_lib.reports.selection import Selection

T, A, B, C = 2022, "017201", "017202", "017203"


def pok(satker, akun, pagu, rpd, *, revisi=0, tanggal="2022-01-03", blokir=None,
        uraian="Item"):
    row = dict(tahun=T, kode_satker=satker, kode_unit=None, kode_program="WA",
               nama_program="P", kode_kegiatan="4843", nama_kegiatan="K", kode_kro="EBA",
               nama_kro="KRO", kode_ro="994", nama_ro="RO", kode_komponen="001",
               nama_komponen="Komp", kode_subkomponen="A", nama_subkomponen="Sub",
               kode_akun=akun, nama_akun="Akun", no_item="1", uraian_item=uraian, volume=1,
               satuan="paket", harga_satuan=pagu, pagu=pagu, prioritas_nasional=0,
               revisi=revisi, tanggal_revisi=pd.Timestamp(tanggal), blokir=blokir)
    row.update({c: rpd[m - 1] for m, c in zip(schema.MONTHS, schema.RPD_COLUMNS)})
    return row


def real(satker, akun, bulan, nilai):
    return dict(tahun=T, kode_satker=satker, kode_program="WA", kode_kegiatan="4843",
                kode_kro="EBA", kode_ro="994", kode_komponen="001", kode_subkomponen="A",
                kode_akun=akun, no_item="1", tanggal=pd.Timestamp(date(T, bulan, 25)),
                nilai=nilai)


def frame(name, rows):
    return pd.DataFrame(rows).reindex(columns=schema.TABLES[name].names)


def capaian(satker, bulan, pcro, lapor):
    return dict(tahun=T, kode_satker=satker, kode_kegiatan="4843", kode_kro="EBA",
                kode_ro="994", bulan=bulan, rvro=0, pcro=pcro, keterangan="x",
                tgl_lapor=pd.Timestamp(lapor))


RPD_A51 = [200_000] * 12
RPD_A52_0 = [100_000] * 12
RPD_A52_1 = [100_000] * 4 + [200_000, 0, 200_000, 0] + [100_000] * 4
RPD_B = [100_000] * 10 + [0, 0]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from spektra_lib.store import Store
    s = Store(tmp_path_factory.mktemp("ikpa") / "i.duckdb")

    def load(**tables):
        s.ingest({k: frame(k, v) for k, v in tables.items()}, layout="kanonik")
    load(satker=[dict(kode_satker=A, nama_satker="KANREG A", kelompok="KANREG"),
                 dict(kode_satker=B, nama_satker="KANREG B", kelompok="KANREG"),
                 dict(kode_satker=C, nama_satker="KANREG C", kelompok="KANREG")],
         pok=[pok(A, "511111", 2_400_000, RPD_A51), pok(A, "521211", 1_200_000, RPD_A52_0),
              pok(B, "521211", 1_000_000, RPD_B, blokir=400_000),
              pok(C, "521211", 1_000_000, RPD_B)],
         realisasi=[real(A, "511111", m, 200_000) for m in range(1, 8)]
         + [real(A, "521211", m, 100_000) for m in range(1, 7)]
         + [real(k, "521211", m, v) for k in (B, C)
            for m, v in ((1, 30_000), (3, 30_000), (4, 200_000), (5, 200_000))],
         ro_target=[dict(tahun=T, kode_satker=k, kode_kegiatan="4843", kode_kro="EBA",
                         kode_ro="994", nama_ro="RO", target_volume=1, satuan="dok",
                         strategis=0) for k in (A, B)],
         capaian_ro=[capaian(A, m, 10, date(T, m + 1, 20)) for m in range(1, 8)]
         + [capaian(B, 1, 0, "2022-02-03"), capaian(B, 2, 0, "2022-03-02"),
            capaian(B, 3, 6, "2022-04-04")],
         ro_proyeksi=[dict(tahun=T, kode_satker=A, kode_kegiatan="4843", kode_kro="EBA",
                           kode_ro="994", bulan=m, target_pcro=v)
                      for m, v in enumerate([5, 10, 15, 20, 30, 40, 50], 1)])
    load(pok=[pok(A, "511111", 2_400_000, RPD_A51, revisi=1, tanggal="2022-04-25"),
              pok(A, "521211", 1_200_000, RPD_A52_1, revisi=1, tanggal="2022-04-25")])
    load(pok=[pok(A, "511111", 2_400_000, RPD_A51, revisi=2, tanggal="2022-05-20"),
              pok(A, "521211", 1_200_000, RPD_A52_1, revisi=2, tanggal="2022-05-20",
                  uraian="Item (diperbaiki)")])
    for rev, when in ((1, "2022-04-10"), (2, "2022-05-10")):
        load(pok=[pok(B, "521211", 1_000_000, RPD_B, blokir=400_000, revisi=rev,
                      tanggal=when, uraian=f"Item r{rev}")])
    load(revisi_dipa=[
        dict(tahun=T, kode_satker=A, revisi=1, tanggal_pengesahan=pd.Timestamp("2022-04-25"),
             kode_jenis_revisi="221", kewenangan="KANWIL"),
        dict(tahun=T, kode_satker=A, revisi=2, tanggal_pengesahan=pd.Timestamp("2022-05-20"),
             kode_jenis_revisi="221", kewenangan="KPA"),
        dict(tahun=T, kode_satker=B, revisi=1, tanggal_pengesahan=pd.Timestamp("2022-04-10"),
             kode_jenis_revisi="221", kewenangan="KANWIL"),
        dict(tahun=T, kode_satker=B, revisi=2, tanggal_pengesahan=pd.Timestamp("2022-05-10"),
             kode_jenis_revisi="201;101", kewenangan="DJA")])
    load(ikpa_resmi=[dict(tahun=T, bulan=7, kode_satker=A, indikator=i, nilai=v) for i, v in (
        ("Revisi DIPA", 100), ("Deviasi Halaman III DIPA", 90), ("Belanja Kontraktual", 95),
        ("Capaian Output", 70.004), ("Nilai IKPA", 88))])
    yield s
    s.close()


def by(df, satker):
    return df[df["kode_satker"] == satker].set_index("indikator")


def trace(store, satker, bulan, indikator, **kw):
    r = ikpa.ikpa_rincian(store, Selection(tahun=T, bulan=bulan, satker=satker, **kw))
    return r[r["indikator"] == indikator]


def test_2022_has_eight_indicators_weights_and_deduction(store):
    df = ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=7, satker=A))
    assert list(df.columns) == ikpa.COLUMNS
    assert (df["dasar"] == "PER-5/PB/2022").all()
    assert df["indikator"].tolist() == [
        "Revisi DIPA", "Deviasi Halaman III DIPA", "Penyerapan Anggaran", "Belanja Kontraktual",
        "Penyelesaian Tagihan", "Pengelolaan UP dan TUP", "Capaian Output", "Dispensasi SPM",
        "Nilai IKPA"]
    assert df["bobot"].tolist()[:7] == [10, 15, 20, 10, 10, 10, 25]
    d = by(df, A)
    assert d.loc["Revisi DIPA", "nilai"] == 100
    assert d.loc["Deviasi Halaman III DIPA", "nilai"] == pytest.approx(100 - 50 / 7)
    assert d.loc["Penyerapan Anggaran", "nilai"] == 100
    assert d.loc["Capaian Output", "nilai"] == pytest.approx(70)     # every report late
    assert d.loc["Dispensasi SPM", "nilai"] == 0
    for name in ("Belanja Kontraktual", "Penyelesaian Tagihan", "Pengelolaan UP dan TUP"):
        assert d.loc[name, "keterangan"].startswith("tidak dapat dihitung: ")
        assert pd.isna(d.loc[name, "nilai"]) and d.loc[name, "bobot_efektif"] == 0
    assert d.loc["Capaian Output", "bobot_efektif"] == pytest.approx(2500 / 70)
    total = (1000 + 15 * (100 - 50 / 7) + 2000 + 25 * 70) / 70
    assert d.loc["Nilai IKPA", "nilai"] == pytest.approx(total)
    assert round(total, 2) == 87.76
    assert d.loc["Nilai IKPA", "kategori"] == "Cukup"
    assert d.loc["Nilai IKPA", "keterangan"] == "estimasi"
    notes = df.attrs["catatan"]
    assert "penyerapan_target" in notes and "revisi_pita" in notes
    assert "kategori" not in df.attrs["belum_terkonfirmasi"]      # confirmed for 2022


def test_revision_after_april_window_used_from_july(store):
    t = trace(store, A, 7, "Deviasi Halaman III DIPA")
    rpd = t[(t["jenis_belanja"] == "52") & (t["besaran"] == "rpd")].set_index("periode")["nilai"]
    # the RPD in force in May/June (revisi 1: 200.000 / 0) is not the one locked for TW II
    assert rpd["2022-05"] == 100_000 and rpd["2022-06"] == 100_000
    assert rpd["2022-07"] == 200_000
    dev = t[(t["jenis_belanja"] == "52") & (t["besaran"] == "deviasi_persen")]
    assert dev["nilai"].tolist() == [0, 0, 0, 0, 0, 0, 100]


def test_kanwil_221_counted_kpa_update_not(store):
    t = trace(store, A, 7, "Revisi DIPA").set_index(["periode", "besaran"])["nilai"]
    assert t["TW I", "jumlah_revisi_dihitung"] == 0
    assert t["TW II", "jumlah_revisi_dihitung"] == 1          # KANWIL 221 yes, KPA no
    assert t["TW III", "jumlah_revisi_dihitung"] == 0


def test_two_counted_revisions_in_one_quarter(store):
    d = by(ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=6, satker=B)), B)
    assert d.loc["Revisi DIPA", "nilai"] == 75                  # TW I 100, TW II (2) 50
    t = trace(store, B, 6, "Revisi DIPA").set_index(["periode", "besaran"])["nilai"]
    assert t["TW II", "jumlah_revisi_dihitung"] == 2 and t["TW II", "skor"] == 50


def test_penyerapan_in_may_on_tw1_alone_and_blokir_moves_it(store):
    df = ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=5))
    assert by(df, B).loc["Penyerapan Anggaran", "nilai"] == pytest.approx(200 / 3)
    assert by(df, C).loc["Penyerapan Anggaran", "nilai"] == pytest.approx(40)
    t = trace(store, B, 5, "Penyerapan Anggaran")
    q1 = t[t["periode"] == "TW I"].set_index("besaran")["nilai"]
    assert q1["pagu_efektif"] == 600_000 and q1["realisasi_kumulatif"] == 60_000
    assert q1["target_persen"] == 15
    running = t[t["periode"].str.startswith("TW II (berjalan")].set_index("besaran")["nilai"]
    assert running["realisasi_persen"] == pytest.approx(460 / 6)
    assert "skor" not in running.index                          # a projection, not a score


def test_penyerapan_before_first_quarter_end_cannot_be_computed(store):
    d = by(ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=2, satker=B)), B)
    assert d.loc["Penyerapan Anggaran", "keterangan"].startswith(
        "tidak dapat dihitung: belum ada triwulan yang berakhir")


def test_capaian_on_time_against_the_guide_without_projection(store):
    d = by(ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=3, satker=B)), B)
    assert d.loc["Capaian Output", "nilai"] == pytest.approx(118 / 3)
    t = trace(store, B, 3, "Capaian Output")
    assert (t["besaran"] == "target_pcro_pedoman RO 4843.EBA.994").sum() == 3
    notes = ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=3, satker=B)).attrs["catatan"]
    assert "target pedoman 15/40/60/100 dipakai" in notes


def test_satker_without_ro_target_cannot_score_capaian(store):
    d = by(ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=3, satker=C)), C)
    assert d.loc["Capaian Output", "keterangan"] == (
        "tidak dapat dihitung: target RO (tabel ro_target) belum ada")
    # 10 + 15 + 20 = 45 of 100 computed: below half, no total
    assert pd.isna(d.loc["Nilai IKPA", "nilai"])
    assert d.loc["Nilai IKPA", "keterangan"].startswith("tidak dapat dihitung: ")


def test_2024_rule_semester_and_pagu_weighted(store):
    df = ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=7, satker=A, aturan=2024))
    d = by(df, A)
    assert (df["dasar"] == "PER-5/PB/2024").all() and len(df) == 9
    assert d.loc["Deviasi Halaman III DIPA", "nilai"] == 100     # 4,76 % <= 5
    t = trace(store, A, 7, "Revisi DIPA", aturan=2024)
    assert set(t["periode"]) == {"Semester I", "Semester II", "Tahun"}


def test_2021_has_thirteen_indicators_and_no_total(store):
    df = ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=7, satker=A, aturan=2021))
    assert (df["dasar"] == "PER-4/PB/2021").all()
    assert len(df) == 14 and df["bobot"].iloc[:13].sum() == 100
    d = by(df, A)
    # computed: revisi 5 + deviasi 5 + penyerapan 15 + capaian 17 = 42 < 50: no total
    assert pd.isna(d.loc["Nilai IKPA", "nilai"])
    assert "42 dari 100" in d.loc["Nilai IKPA", "keterangan"]
    assert d.loc["LPJ Bendahara", "keterangan"].startswith("tidak dapat dihitung: data LPJ")


def test_rule_of_each_year():
    assert ikpa.pilih_aturan(2021).dasar == "PER-4/PB/2021"
    assert ikpa.pilih_aturan(2022).dasar == "PER-5/PB/2022"
    assert ikpa.pilih_aturan(2023).dasar == "PER-5/PB/2022"
    assert ikpa.pilih_aturan(2026).dasar == "PER-5/PB/2024"
    with pytest.raises(ValueError, match="tidak dikenal"):
        ikpa.pilih_aturan(2024, "PER-4/PB/2023")


@pytest.mark.parametrize("nilai, kat", [(95, "Sangat Baik"), (94.99, "Baik"), (89, "Baik"),
                                        (88.99, "Cukup"), (70, "Cukup"), (69.99, "Kurang")])
def test_category_bands(nilai, kat):
    assert ikpa.kategori(nilai, ikpa.pilih_aturan(2022).nilai("kategori")) == kat


def test_dispensasi_deduction(tmp_path):
    """1 letter against 400 SPM of TW IV: 2,5 permil -> band <= 5: 0,75 off the total."""
    from spektra_lib.store import Store
    s = Store(tmp_path / "d.duckdb")
    s.ingest({"satker": frame("satker", [dict(kode_satker=A, nama_satker="A", kelompok="KANREG")]),
              "pok": frame("pok", [pok(A, "511111", 2_400_000, RPD_A51)]),
              "realisasi": frame("realisasi", [real(A, "511111", m, 200_000) for m in range(1, 13)]),
              "spp": frame("spp", [dict(kode_satker=A, no_spp=f"{i:05d}", tgl_spp=pd.Timestamp("2022-11-01"),
                                        no_spm=f"{i:05d}", tgl_spm=pd.Timestamp("2022-11-02"),
                                        uraian="x", jenis_spp="LS", nilai=1, status="SP2D")
                                   for i in range(400)]),
              "ro_target": frame("ro_target", [dict(tahun=T, kode_satker=A, kode_kegiatan="4843",
                                                    kode_kro="EBA", kode_ro="994", nama_ro="RO",
                                                    target_volume=1, satuan="dok", strategis=0)]),
              "capaian_ro": frame("capaian_ro", [capaian(A, m, 5, date(T + m // 12, m % 12 + 1, 2))
                                                 for m in range(1, 13)]),
              "dispensasi_spm": frame("dispensasi_spm", [dict(tahun=T, kode_satker=A, no_surat="S-1",
                                                              tanggal=pd.Timestamp("2022-12-20"))])},
             layout="kanonik")
    d = by(ikpa.ikpa_estimasi(s, Selection(tahun=T, bulan=12, satker=A)), A)
    assert d.loc["Dispensasi SPM", "nilai"] == 0.75
    assert d.loc["Dispensasi SPM", "nilai_tertimbang"] == -0.75
    ok = d[(d["bobot"] > 0) & d["nilai"].notna() & (d.index != "Nilai IKPA")]
    assert d.loc["Nilai IKPA", "nilai"] == pytest.approx(ok["nilai_tertimbang"].sum() - 0.75)
    r = ikpa.ikpa_rincian(s, Selection(tahun=T, bulan=12, satker=A))
    r = r[r["indikator"] == "Dispensasi SPM"].set_index("besaran")["nilai"]
    assert r["rasio_permil"] == 2.5 and r["jumlah_spm"] == 400
    s.close()


def test_registry_scope_and_catalog(store):
    from spektra_lib.problems import AksesDitolak
    from spektra_lib.store import Access
    df = reports.run("ikpa_estimasi", store, tahun=T, bulan=7, satker=A)
    assert df.iloc[-1]["indikator"] == "Nilai IKPA"
    with pytest.raises(AksesDitolak):
        reports.ikpa_rincian(store.with_access(Access("user", satker=B)), T, 7, satker=A)
    r = reports.run("ikpa_rincian", store, tahun=T, bulan=7, satker=A)
    assert list(r.columns) == ikpa.RINCIAN_COLUMNS and len(r) > 50


def test_rekonsiliasi_beside_the_official_score(store):
    df = ikpa.ikpa_rekonsiliasi(store, Selection(tahun=T, bulan=7, satker=A))
    assert list(df.columns) == ikpa.REKON_COLUMNS
    d = df.set_index("indikator")
    assert sorted(d.index) == ["Belanja Kontraktual", "Capaian Output",
                               "Deviasi Halaman III DIPA", "Nilai IKPA", "Revisi DIPA"]
    assert d.loc["Revisi DIPA", "selisih"] == 0 and d.loc["Revisi DIPA", "penjelasan"] == "sama"
    assert d.loc["Capaian Output", "penjelasan"] == "sama"            # 70,00 as OM-SPAN shows
    assert d.loc["Deviasi Halaman III DIPA", "selisih"] == pytest.approx(10 - 50 / 7)
    assert d.loc["Deviasi Halaman III DIPA", "penjelasan"] == (
        "parameter belum terkonfirmasi: deviasi_bulan_maks, deviasi_rpd_nol")
    assert pd.isna(d.loc["Belanja Kontraktual", "estimasi"])
    assert d.loc["Belanja Kontraktual", "penjelasan"].startswith("tidak dapat dihitung: ")
    assert d.loc["Nilai IKPA", "resmi"] == 88
    assert d.loc["Nilai IKPA", "selisih"] == pytest.approx((1000 + 15 * (100 - 50 / 7) + 2000
                                                            + 25 * 70) / 70 - 88)
    assert d.loc["Nilai IKPA", "penjelasan"].startswith(
        "tidak dihitung: Belanja Kontraktual, Penyelesaian Tagihan, Pengelolaan UP dan TUP")


def test_ringkasan_one_line_per_satker_and_the_mean(store):
    df = ikpa.ikpa_ringkasan(store, Selection(tahun=T, bulan=7))
    d = df.set_index("kode_satker")
    # A: capaian 70 costs 25/70·30 = 10,71 points, deviasi 15/70·7,14 = 1,53
    assert d.loc[A, "indikator_termahal"] == "Capaian Output"
    assert d.loc[A, "poin_hilang"] == pytest.approx(25 / 70 * 30)
    assert d.loc[A, "tidak_dihitung"] == 3
    assert d.loc[A, "nilai"] == pytest.approx((1000 + 15 * (100 - 50 / 7) + 2000 + 25 * 70) / 70)
    scored = df.loc[df["kode_satker"] != "", "nilai"].dropna()
    assert d.loc["", "nilai"] == pytest.approx(scored.mean())
    assert d.loc["", "nama_satker"] == f"Rata-rata {len(scored)} satker"


def test_riwayat_month_by_month_beside_the_official(store):
    df = ikpa.ikpa_riwayat(store, Selection(tahun=T, bulan=7, satker=A))
    assert df["bulan"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    july = df.set_index("bulan").loc[7]
    assert july["nilai"] == pytest.approx((1000 + 15 * (100 - 50 / 7) + 2000 + 25 * 70) / 70)
    assert july["resmi"] == 88 and july["kategori"] == "Cukup"
    assert df.set_index("bulan")["resmi"].isna().tolist() == [True] * 6 + [False]
    # March, the first quarter end: each month is the estimate as it stood then
    assert df.set_index("bulan").loc[3, "nilai"] == pytest.approx(
        ikpa.ikpa_estimasi(store, Selection(tahun=T, bulan=3, satker=A)).iloc[-1]["nilai"])


def test_a_store_older_than_the_ikpa_inputs_read_only(tmp_path):
    """The site and the app open the store read-only: one written before revisi_dipa,
    ro_proyeksi, dispensasi_spm, ikpa_resmi, pok.blokir and capaian_ro.tgl_lapor existed
    answers with what it has (and says what is missing), never an exception."""
    from spektra_lib.store import Store
    path = tmp_path / "old.duckdb"
    with Store(path) as s:
        s.ingest({"satker": frame("satker", [dict(kode_satker=A, nama_satker="A", kelompok="KANREG")]),
                  "pok": frame("pok", [pok(A, "511111", 2_400_000, RPD_A51)]),
                  "realisasi": frame("realisasi", [real(A, "511111", m, 200_000) for m in (1, 2, 3)])},
                 layout="kanonik")
        for t in ("revisi_dipa", "ro_proyeksi", "dispensasi_spm", "ikpa_resmi", "kontrak", "setoran"):
            s.con.execute(f"DROP TABLE IF EXISTS {t}")
        s.con.execute("ALTER TABLE pok DROP COLUMN blokir")
        s.con.execute("ALTER TABLE pok_versi DROP COLUMN blokir")
        s.con.execute("ALTER TABLE capaian_ro DROP COLUMN tgl_lapor")
    with Store(path, read_only=True) as s:
        d = by(ikpa.ikpa_estimasi(s, Selection(tahun=T, bulan=3, satker=A)), A)
        assert d.loc["Penyerapan Anggaran", "nilai"] == 100        # 25 % against 20 %
        assert d.loc["Revisi DIPA", "nilai"] == 100                # one version, nothing to count
        assert d.loc["Dispensasi SPM", "nilai"] == 0
        assert d.loc["Capaian Output", "keterangan"].startswith("tidak dapat dihitung: ")
        # an indicator whose table the old store lacks says so (issue 23's contract register)
        assert d.loc["Belanja Kontraktual", "keterangan"] == (
            "tidak dapat dihitung: tabel kontrak belum ada di store (store dibuat sebelum "
            "tabel itu ada; ingest ulang)")
        assert ikpa.ikpa_rekonsiliasi(s, Selection(tahun=T, bulan=3, satker=A)).empty
        assert ikpa.ikpa_riwayat(s, Selection(tahun=T, bulan=3, satker=A))["resmi"].isna().all()
