"""Issue 23: the contract indicators of IKPA worked by hand (estimates; parameters of the
rule of the year, parameters/ikpa/*.yaml, bands unconfirmed), on tests/data/kontrak/ and
on a register made here; then through ikpa_estimasi and ikpa_rincian. `Ctx` stands for
the IKPA frame's Konteks (reports/ikpa/dasar.py) with the rule in force."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.ingest import ingest_path
from spektra_lib.reports import ikpa_kontrak as ik
from spektra_lib.reports.ikpa import aturan
from spektra_lib.store import Store
from spektra_lib.reports.selection import Selection

DATA = Path(__file__).parent / "data" / "kontrak"


@dataclass
class Ctx:
    store: object
    tahun: int
    bulan: int
    satker: str | None
    kode_satker: list
    dipakai: set = field(default_factory=set)
    rule: int | None = None          # the rule of another year (aturan=)

    def p(self, name, *default):
        self.dipakai.add(name)
        return aturan.pilih(self.tahun, self.rule).nilai(name, *default)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("ik") / "s.duckdb")
    ingest_path(DATA, s)
    yield s
    s.close()


def _trace(rincian, kode, besaran):
    sel = rincian[(rincian["kode_satker"] == kode) & (rincian["besaran"] == besaran)]
    assert len(sel) == 1, besaran
    return sel["nilai"].iloc[0]


def test_belanja_kontraktual_by_hand(tmp_path):
    """One contract of 52 in TW I, registered (kontrak dini 110); one of 53, Rp120 juta,
    paid at once in August (TW III: 80); 1 of 2 contracts over Rp50 juta signed by 30 June
    (50 %: 60). (110 × 40 + 80 × 40 + 60 × 20) / 100 = 88."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "satker.csv").write_text("kode_satker,nama_satker,kelompok\n999005,Satker Uji,KANREG\n",
                                  encoding="utf-8")
    (d / "kontrak.csv").write_text(
        "tahun,kode_satker,no_kontrak,tgl_kontrak,uraian,kode_akun,nilai_kontrak,penyedia,"
        "tgl_register_kppn,cara_bayar,jumlah_termin\n"
        "2022,999005,A,2022-03-15,Jasa,522151,90000000,,2022-03-20,termin,2\n"
        "2022,999005,B,2022-07-11,Mebel,532111,120000000,,2022-07-13,sekaligus,1\n"
        "2022,999005,C,2022-07-20,Kecil,521211,20000000,,,sekaligus,1\n", encoding="utf-8")
    (d / "spp.csv").write_text(
        "kode_satker,kode_unit,no_spp,tgl_spp,no_spm,tgl_spm,no_sp2d,tgl_sp2d,uraian,"
        "jenis_spp,nilai,status,no_kontrak,tgl_bast\n"
        "999005,,1,2022-08-01,1A,2022-08-02,1S,2022-08-04,Mebel,LS,120000000,Upload SP2D,B,"
        "2022-07-29\n", encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as s:
        ingest_path(d, s)
        nilai, kurang, rincian, catatan = ik.belanja_kontraktual(
            Ctx(s, 2022, 12, None, ["999005", "999009"]))
    assert nilai["999005"] == pytest.approx(88.0)
    assert _trace(rincian, "999005", "skor_kontrak_dini") == 110
    assert _trace(rincian, "999005", "skor_akselerasi_53") == 80
    assert _trace(rincian, "999005", "persen_sampai_30_juni") == 50
    assert _trace(rincian, "999005", "skor_distribusi") == 60
    assert kurang == {"999009": "tidak ada kontrak di register kontrak (tabel kontrak)"}


def test_belanja_kontraktual_fixture_capped_and_component_left_out(store):
    nilai, kurang, rincian, catatan = ik.belanja_kontraktual(
        Ctx(store, 2022, 12, None, ["999001", "999002"]))
    # 999002: signed 20 Dec 2021 (pra-DIPA 120), 53 paid at once in March (100), all by
    # June (100): 108 capped at 100; 999001 has no 53 paid at once: weights 40/20
    assert _trace(rincian, "999002", "skor_kontrak_dini") == 120
    assert nilai.to_dict() == {"999001": 100.0, "999002": 100.0}
    assert catatan["999001"] == ["Belanja Kontraktual: komponen akselerasi_53 belum dapat "
                                 "dinilai (tidak ada kontrak yang memenuhi); bobot komponen "
                                 "lain disesuaikan."]


def test_penyelesaian_tagihan_by_hand(store):
    # September: 2 of 3 SPM on time (BAST 1 June -> SPM 15 July late); the BAST of
    # 20 September still within its 17 days is not judged yet
    nilai, kurang, rincian, _ = ik.penyelesaian_tagihan(
        Ctx(store, 2022, 9, None, ["999001", "999002", "017220"]))
    assert nilai["999001"] == pytest.approx(200 / 3)
    assert nilai["999002"] == 100.0
    assert kurang["017220"].startswith("tidak ada SPM-LS kontraktual")
    # October: that BAST is past its limit without an SPM: judged late, 2 of 4
    nilai, _, rincian, _ = ik.penyelesaian_tagihan(Ctx(store, 2022, 10, "999001", ["999001"]))
    assert nilai["999001"] == 50.0
    assert _trace(rincian, "999001", "bast_belum_spm_lewat_batas") == 1


def test_up_tup_by_hand(store):
    """UP 7 January, next GUP 10 February (after 7 February: late); that GUP has no next
    one within a month (late) -> 0 of 2. TUP of 3 March accounted after five weeks: late;
    TUP of 6 September accounted on 26 September: on time -> 1 of 2. (0 × 50 + 50 × 50)
    / 100 = 25. 999002 has no UP: tidak dapat dihitung."""
    nilai, kurang, rincian, _ = ik.up_tup(Ctx(store, 2022, 9, None, ["999001", "999002"]))
    assert nilai["999001"] == 25.0
    assert _trace(rincian, "999001", "up_gup_tepat_waktu") == 0
    assert _trace(rincian, "999001", "tup_dinilai") == 2
    assert _trace(rincian, "999001", "tup_tepat_waktu") == 1
    assert kurang == {"999002": "tidak ada UP/GUP di register SPP (jenis_spp UP, GUP)"}
    # March: the TUP is not due yet (3 April): the TUP component is left out; UP and GUP
    # are both late already (no GUP by 10 March)
    nilai, _, rincian, catatan = ik.up_tup(Ctx(store, 2022, 3, "999001", ["999001"]))
    assert _trace(rincian, "999001", "tup_dinilai") == 0
    assert _trace(rincian, "999001", "up_gup_dinilai") == 2
    assert nilai["999001"] == 0.0
    assert "komponen TUP tidak dihitung" in catatan["999001"][0]


def test_data_kontrak_2021_registered_within_five_working_days(store):
    """K-001 signed 10 Feb, registered 14 Feb (2 working days); K-002 signed 1 Mar,
    registered 7 Mar (4); K-003 signed 15 Jun, never registered: late once 5 working days
    have passed -> 2 of 3. In March K-003 is not signed yet: 2 of 2. (The 2022 data scored
    with the PER-4/PB/2021 rule, whose indicator this is.)"""
    nilai, kurang, rincian, _ = ik.data_kontrak(Ctx(store, 2022, 9, None, ["999001", "017220"],
                                                    rule=2021))
    assert nilai["999001"] == pytest.approx(200 / 3)
    assert _trace(rincian, "999001", "terdaftar_tepat_waktu") == 2
    assert kurang == {"017220": "tidak ada kontrak di register kontrak (tabel kontrak)"}
    assert ik.data_kontrak(Ctx(store, 2022, 3, "999001", ["999001"], rule=2021))[0][
        "999001"] == 100.0


def test_the_three_indicators_in_the_ikpa_report(tmp_path):
    """Plugged into the IKPA frame (issue 22): ikpa_estimasi scores them under PER-5/PB/2022
    with their weights, says why one cannot be computed, and ikpa_rincian carries their
    trace; their unconfirmed bands are listed with the rule's other ones. (The frame scores
    satker with pagu: one POK item each.)"""
    from reports_fixture import item, load

    from spektra_lib.reports import ikpa
    store = Store(tmp_path / "s.duckdb")
    ingest_path(DATA, store)
    load(store, pok=[item(k, "WA.4843.EBA.994.001.A.521211.1", 1_000_000)
                     for k in ("999001", "999002")])
    df = ikpa.ikpa_estimasi(store, Selection(tahun=2022, bulan=9, satker="999001"))
    df = df.set_index("indikator")
    assert df.loc["Penyelesaian Tagihan", "nilai"] == pytest.approx(200 / 3)
    assert df.loc["Pengelolaan UP dan TUP", "nilai"] == 25.0
    assert df.loc["Belanja Kontraktual", "nilai"] == 100.0
    assert (df.loc["Belanja Kontraktual", "bobot"], df.loc["Penyelesaian Tagihan", "bobot"],
            df.loc["Pengelolaan UP dan TUP", "bobot"]) == (10, 10, 10)
    other = ikpa.ikpa_estimasi(store, Selection(tahun=2022, bulan=9, satker="999002"))
    other = other.set_index("indikator")
    assert other.loc["Pengelolaan UP dan TUP", "keterangan"] == (
        "tidak dapat dihitung: tidak ada UP/GUP di register SPP (jenis_spp UP, GUP)")
    assert other.loc["Pengelolaan UP dan TUP", "bobot_efektif"] == 0
    r = ikpa.ikpa_rincian(store, Selection(tahun=2022, bulan=9, satker="999001"))
    up = r[(r["indikator"] == "Pengelolaan UP dan TUP") & (r["besaran"] == "tup_tepat_waktu")]
    assert up["nilai"].tolist() == [1.0] and up["periode"].tolist() == ["2022-09"]
    assert "belanja_kontraktual_pita_distribusi" in df.attrs["belum_terkonfirmasi"]
    store.close()


def test_history_months_equal_each_months_own_estimate(tmp_path):
    """Inside ikpa_riwayat the three indicators read their tables once for the year and cut
    each month (ikpa_kontrak._sekali): every month's score, reason and trace must be the
    one that month's stand-alone estimate gives, for one satker and for all. The fixture's
    contracts, BASTs, UP/GUP and TUP fall in different months, so the scores move."""
    from reports_fixture import item, load

    from spektra_lib.reports import ikpa
    store = Store(tmp_path / "s.duckdb")
    ingest_path(DATA, store)
    load(store, pok=[item(k, "WA.4843.EBA.994.001.A.521211.1", 1_000_000)
                     for k in ("999001", "999002")])
    three = ["Belanja Kontraktual", "Penyelesaian Tagihan", "Pengelolaan UP dan TUP"]
    cols = ["kode_satker", "indikator", "nilai", "keterangan", "bobot_efektif"]
    for satker in ("999001", None):
        cache = {"bulan_riwayat": 12}            # as ikpa_riwayat shares it over its months
        seen = set()
        for m in range(1, 13):
            hist = ikpa._estimasi_bersama(store, 2022, m, satker, None, cache=cache,
                                          jejak=False)
            own = ikpa.ikpa_estimasi(store, Selection(tahun=2022, bulan=m, satker=satker))
            h, o = (d[d["indikator"].isin(three)][cols].reset_index(drop=True)
                    for d in (hist, own))
            pd.testing.assert_frame_equal(h, o, obj=f"{satker} bulan {m}")
            seen.add(tuple(o["nilai"].fillna(-1)))
        assert len(seen) > 3                     # the months differ: a wrong cut would show
        assert any(k[0] == "ikpa_kontrak" for k in cache)   # the year's reads were shared
    # the trace too (ikpa_rincian's rows of the three), a month inside the history
    cache = {"bulan_riwayat": 12}
    for m in range(1, 13):
        ctx, _, hasil, _ = ikpa._entri(store, 2022, m, "999001", None, True, cache)[:4]
        own = ikpa._entri(store, 2022, m, "999001", None, True, None)[2]
        for kode in ("kontraktual", "tagihan", "up_tup"):
            pd.testing.assert_frame_equal(hasil[kode].rincian, own[kode].rincian,
                                          obj=f"{kode} bulan {m}")
    store.close()
