"""The IKPA pages' reports (issue 22 §5): what the satker can still do this quarter
(ikpa_peluang), the unit kerja's IKPA (ikpa_unit), the agency's lines (ikpa_ringkasan), the
history chart's bands, and who may see which. Worked by hand on test_ikpa's store:

Satker C 017203 in May (52 only, pagu 1.000.000, no blokir, RPD 100.000 Jan–Oct, one
version; realisasi Jan 30.000, Mar 30.000, Apr 200.000, May 200.000): the running quarter
is TW II, June left. 460.000 = 46 % against the TW II target of 52, 50 % -> 40.000 still
needed in June; spending June's RPD (100.000) gives 56 %. Penyerapan at the end of TW II
if the target is reached: TW I 6 %/15 % = 40, TW II 100 -> 70. Deviasi if June = RPD:
months 70, 100, 70, 100, 100, 0 % -> 73,33 % -> 26,67.
Satker B (the same with a 400.000 blokir): 460.000 / 600.000 = 76,67 % >= 50 %: nothing
needed; TW I 10 %/15 % = 66,67, TW II 100 -> 83,33.
Satker A in July: TW III, August and September left, locked RPD = revisi 2 (20 May, before
the 14 July window). 51: 1.400.000 of 2.400.000 against 75 % -> 400.000 (200.000 a month),
RPD 400.000 -> 75 %; 52: 600.000 of 1.200.000 against 70 % -> 240.000 (120.000 a month),
RPD Aug 0 + Sep 100.000 -> 58,33 %. Target reached: 100. Spending to RPD: TW III 51 100,
52 58,33/70 = 83,33, pagu-weighted (240 + 100) / 3,6 = 94,44; mean with TW I, TW II 100:
98,15. Deviasi: 52 Jan–Jun 0, Jul 100, Aug 0, Sep 0 -> 11,11 %; 51 0 -> mean 5,56 % > 5
-> 94,44.
"""
from __future__ import annotations

import pandas as pd
import pytest

from spektra_lib import reports
from spektra_lib.present import charts
from spektra_lib.problems import AksesDitolak
from spektra_lib.reports import catalog
from spektra_lib.store import Access
from test_ikpa import A, B, C, T, store  # noqa: F401  (the hand-made store fixture)


def peluang(store, satker, bulan):
    return reports.run("ikpa_peluang", store, tahun=T, bulan=bulan,
                       satker=satker).set_index("jenis_belanja")


def test_peluang_what_is_still_needed_in_the_running_quarter(store):
    c = peluang(store, C, 5)
    assert c["triwulan"].unique().tolist() == ["TW II"]
    assert c.loc["52", "realisasi_persen"] == pytest.approx(46)
    assert c.loc["52", "target_persen"] == 50
    assert c.loc["52", "kebutuhan"] == pytest.approx(40_000)
    assert c.loc["52", "kebutuhan_per_bulan"] == pytest.approx(40_000)
    assert c.loc["52", "rpd_sisa"] == pytest.approx(100_000)
    assert c.loc["52", "persen_bila_rpd"] == pytest.approx(56)
    assert c.loc["", "nilai_penyerapan_target"] == pytest.approx(70)
    assert c.loc["", "nilai_deviasi_rpd"] == pytest.approx(100 - 440 / 6)
    assert (c["keterangan"] == "proyeksi").all()
    b = peluang(store, B, 5)
    assert b.loc["52", "kebutuhan"] == 0 and b.loc["52", "pagu_efektif"] == 600_000
    assert b.loc["", "nilai_penyerapan_target"] == pytest.approx((200 / 3 + 100) / 2)


def test_peluang_two_months_left_on_the_locked_rpd(store):
    a = peluang(store, A, 7)
    assert a["triwulan"].unique().tolist() == ["TW III"]
    assert a.loc["51", "kebutuhan"] == pytest.approx(400_000)
    assert a.loc["51", "kebutuhan_per_bulan"] == pytest.approx(200_000)
    assert a.loc["52", "kebutuhan"] == pytest.approx(240_000)
    assert a.loc["52", "rpd_sisa"] == pytest.approx(100_000)      # revisi 2: Aug 0, Sep 100.000
    assert a.loc["52", "persen_bila_rpd"] == pytest.approx(700 / 12)
    assert a.loc["", "kebutuhan"] == pytest.approx(640_000)
    assert a.loc["", "persen_bila_rpd"] == pytest.approx(2500 / 36)
    assert a.loc["", "nilai_penyerapan_target"] == pytest.approx(100)
    assert a.loc["", "nilai_penyerapan_rpd"] == pytest.approx((200 + 340 / 3.6) / 3)
    assert a.loc["", "nilai_deviasi_rpd"] == pytest.approx(100 - 100 / 18)


def test_peluang_says_proyeksi_and_refuses_without_a_satker(store):
    df = reports.run("ikpa_peluang", store, tahun=T, bulan=7, satker=A)
    assert df.attrs["catatan"].startswith("PROYEKSI untuk TW III 2022 (bulan tersisa: "
                                          "2022-08, 2022-09), menurut PER-5/PB/2022")
    assert "Proyeksi" in catalog.judul("ikpa_peluang")
    with pytest.raises(ValueError, match="pilih satu satker"):
        reports.run("ikpa_peluang", store, tahun=T, bulan=7)
    december = reports.run("ikpa_peluang", store, tahun=T, bulan=12, satker=A)
    assert december.empty and "sudah berakhir" in december.attrs["catatan"]


def test_a_user_sees_only_the_own_satker(store):
    own = store.with_access(Access("user", satker=B))
    assert len(reports.run("ikpa_peluang", own, tahun=T, bulan=5, satker=B))
    for name in ("ikpa_peluang", "ikpa_riwayat", "ikpa_rincian", "ikpa_estimasi"):
        with pytest.raises(AksesDitolak):
            reports.run(name, own, tahun=T, bulan=5, satker=A)
    with pytest.raises(AksesDitolak):            # the agency's lines name every satker
        reports.run("ikpa_ringkasan", own, tahun=T, bulan=5)


def test_riwayat_chart_bands_from_the_rule_file(store):
    df = reports.run("ikpa_riwayat", store, tahun=T, bulan=7, satker=A)
    assert [b["nama"] for b in df.attrs["pita"]] == ["Sangat Baik", "Baik", "Cukup", "Kurang"]
    spec = charts.chart_for("ikpa_riwayat", df).to_dict()
    band = next(v for v in spec["datasets"].values() if v and "dari" in v[0])
    # the limits as the rule has them (Kurang from where the axis starts, if in sight)
    got = [(b["nama"], b["dari"], b["sampai"]) for b in band]
    assert got[:3] == [("Sangat Baik", 95, 100), ("Baik", 89, 95), ("Cukup", 70, 89)]
    assert [g[0] for g in got[3:]] in ([], ["Kurang"]) and all(g[2] == 70 for g in got[3:])
    text = str(spec)
    assert "Estimasi SPEKTRA" in text and "Nilai resmi OM-SPAN" in text
    assert "pita kategori menurut PER-5/PB/2022" in text and "bukan nilai resmi" in text
    # the bands follow the rule file, not the code: another rule's limits move them
    moved = df.copy()
    moved.attrs = {**df.attrs, "pita": [{"nama": "Tinggi", "mulai": 80},
                                        {"nama": "Rendah", "mulai": None}]}
    spec = charts.chart_for("ikpa_riwayat", moved).to_dict()
    band = next(v for v in spec["datasets"].values() if v and "dari" in v[0])
    assert [b["nama"] for b in band] == ["Tinggi", "Rendah"] and band[0]["dari"] == 80


def test_pita_from_a_low_axis():
    pita = charts.pita_ikpa([{"nama": "Sangat Baik", "mulai": 95}, {"nama": "Baik", "mulai": 89},
                             {"nama": "Cukup", "mulai": 70}, {"nama": "Kurang", "mulai": None}],
                            50)
    assert pita.values.tolist() == [["Sangat Baik", 95, 100], ["Baik", 89, 95],
                                    ["Cukup", 70, 89], ["Kurang", 50, 70]]


def test_unit_page_the_satker_of_the_unit_and_its_mean(demo_store):
    from spektra_lib import scopes
    pusat = scopes.satker_pusat(demo_store)
    unit = scopes.daftar_unit(demo_store, pusat)["kode_unit"].iloc[0]
    df = reports.run("ikpa_unit", demo_store, tahun=2022, bulan=5, satker=pusat, unit=unit)
    ring = reports.run("ikpa_ringkasan", demo_store, tahun=2022, bulan=5)
    own = ring[ring["kode_satker"] == pusat].iloc[0]
    assert df["kode_satker"].tolist() == [pusat, ""]
    assert df.iloc[0]["nilai"] == pytest.approx(own["nilai"])
    assert df.iloc[0]["kategori"] == own["kategori"]
    assert df.iloc[0]["indikator_termahal"] == own["indikator_termahal"]
    assert df.iloc[1]["nama_satker"] == "Rata-rata 1 satker unit kerja"
    assert df.iloc[1]["nilai"] == pytest.approx(own["nilai"])
    assert df.attrs["catatan"].startswith("IKPA dinilai per satker: unit kerja ini tidak punya "
                                          "nilai sendiri")
    # a User of that unit kerja sees it and its trace, not another unit's nor the satker's
    user = demo_store.with_access(Access("user", satker=pusat, unit=unit))
    assert len(reports.run("ikpa_unit", user, tahun=2022, bulan=5, satker=pusat, unit=unit)) == 2
    trace = reports.run("ikpa_rincian", user, tahun=2022, bulan=5, satker=pusat, unit=unit)
    assert trace["kode_satker"].unique().tolist() == [pusat] and len(trace) > 100
    other = scopes.daftar_unit(demo_store, pusat)["kode_unit"].iloc[1]
    with pytest.raises(AksesDitolak):
        reports.run("ikpa_unit", user, tahun=2022, bulan=5, satker=pusat, unit=other)
    with pytest.raises(AksesDitolak):
        reports.run("ikpa_estimasi", user, tahun=2022, bulan=5, satker=pusat)


def test_agency_page_one_line_per_satker_every_total_an_estimate(demo_store):
    df = reports.run("ikpa_ringkasan", demo_store, tahun=2022, bulan=5)
    satker = demo_store.sql("SELECT count(DISTINCT kode_satker) AS n FROM pok")["n"][0]
    assert len(df) == satker + 1 and df.iloc[-1]["kode_satker"] == ""
    assert df.iloc[-1]["nilai"] == pytest.approx(df.iloc[:-1]["nilai"].mean())
    entry = catalog.LAPORAN["ikpa_ringkasan"]
    assert entry.kolom_of("nilai").label == "Nilai IKPA (estimasi)"
    assert entry.kolom_of("kategori").label == "Kategori (estimasi)"
    assert "spektra report ikpa_rincian" in entry.pengantar
    assert catalog.matrix()["semua"].count("ikpa_ringkasan") == 1
    assert "ikpa_estimasi" not in catalog.matrix()["semua"]
    assert "ikpa_unit" in catalog.matrix()["unit"]


def test_app_offers_a_unit_user_the_unit_page_only():
    from spektra_lib.serve.backend import bisa_dibuka
    pages = {"ikpa_unit", "ikpa_estimasi", "ikpa_ringkasan"}
    assert bisa_dibuka(Access("user", "017220", "0102"), pages) == {"ikpa_unit"}
    assert bisa_dibuka(Access("user", "017234"), pages) == pages


def test_agency_note_is_the_rule_not_every_satkers_lines(demo_store):
    df = reports.run("ikpa_ringkasan", demo_store, tahun=2022, bulan=5)
    est = reports.run("ikpa_estimasi", demo_store, tahun=2022, bulan=5)
    assert ", satker 0172" in est.attrs["catatan"]
    note = df.attrs["catatan"]
    assert note.startswith("Estimasi menurut PER-5/PB/2022") and ", satker 0172" not in note
    assert "Parameter belum terkonfirmasi yang dipakai" in note
    assert note.endswith(f" {est.attrs['catatan_satker']} catatan per satker (mis. indikator "
                         "yang sebagian tidak dapat dinilai, target pedoman yang dipakai) ada "
                         "di halaman Estimasi Nilai IKPA tiap satker.")


def test_two_targets_each_in_one_place(tmp_path):
    """The store's target_penyerapan is the agency's own target (the dashboard's dashed
    lines); IKPA, its proyeksi and what is left this quarter score against the rule file's
    target alone: a 99 % agency target changes the chart, not one IKPA number."""
    from test_ikpa import RPD_B, frame, pok, real
    from spektra_lib.store import Store
    with Store(tmp_path / "t.duckdb") as s:
        s.ingest({"satker": frame("satker", [dict(kode_satker=C, nama_satker="C",
                                                  kelompok="KANREG")]),
                  "pok": frame("pok", [pok(C, "521211", 1_000_000, RPD_B)]),
                  "realisasi": frame("realisasi", [real(C, "521211", m, v) for m, v in
                                                   ((1, 30_000), (3, 30_000), (4, 200_000))])},
                 layout="kanonik")

        def ikpa_numbers():
            est = reports.run("ikpa_estimasi", s, tahun=T, bulan=5, satker=C)
            pel = reports.run("ikpa_peluang", s, tahun=T, bulan=5, satker=C)
            return est[["indikator", "nilai"]], pel
        before = ikpa_numbers()
        s.ingest({"target_penyerapan": frame("target_penyerapan", [
            dict(tahun=T, bulan=m, jenis_belanja="52", target_persen=99) for m in range(1, 13)])},
            layout="kanonik")
        for a, b in zip(ikpa_numbers(), before):
            pd.testing.assert_frame_equal(a, b)
        pel = reports.run("ikpa_peluang", s, tahun=T, bulan=5, satker=C)
        assert pel.iloc[0]["target_persen"] == 50           # PER-5/PB/2022, 52, TW II
        chart = reports.run("grafik_target_realisasi", s, tahun=T, bulan=5, satker=C)
        assert (chart["target_persen"] == 99).all()
    assert catalog.LAPORAN["grafik_target_realisasi"].kolom_of("target_persen").label == \
        "Target Instansi"


def test_riwayat_shares_queries_not_months(store):
    """ikpa_riwayat keeps one query cache over its months: every month is still exactly
    that month's estimate (realisasi cut at its end)."""
    for k in (A, B):
        df = reports.run("ikpa_riwayat", store, tahun=T, bulan=7, satker=k)
        each = [reports.run("ikpa_estimasi", store, tahun=T, bulan=m, satker=k).iloc[-1]["nilai"]
                for m in range(1, 8)]
        pd.testing.assert_series_equal(df["nilai"].reset_index(drop=True),
                                       pd.Series(each, name="nilai"), check_dtype=False)


def test_unit_users_page_shows_the_own_unit_and_refuses_another(demo_store):
    """The IKPA Unit Kerja page as a unit kerja's User opens it (page/notebook.Halaman): the
    own unit by default, with its trace; another unit's address is refused, no data."""
    from spektra_lib import scopes
    from spektra_lib.page.notebook import Halaman
    pusat = scopes.satker_pusat(demo_store)
    units = scopes.daftar_unit(demo_store, pusat)["kode_unit"].tolist()
    user = demo_store.with_access(Access("user", satker=pusat, unit=units[0]))
    h = Halaman(store=user, tahun=2022, bulan=5, grafik="halaman", interaktif=False)
    assert (h.params["satker"], h.params["unit"]) == (pusat, units[0])
    own = reports.run("ikpa_unit", demo_store, tahun=2022, bulan=5, satker=pusat, unit=units[0])
    assert f"{own.iloc[0]['nilai']:.2f}".replace(".", ",") in h.tabel("ikpa_unit").data
    assert "Rincian Perhitungan IKPA (" in h.rincian("ikpa_rincian").data
    other = Halaman(store=user, tahun=2022, bulan=5, unit=units[1], grafik="halaman",
                    interaktif=False)
    assert "Akses ditolak" in other.tabel("ikpa_unit").data
