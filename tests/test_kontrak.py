"""Issue 23: contracts, tagihan and UP/TUP worked by hand on tests/data/kontrak/.

The fixture (satker 999001): K-001 Rp300 juta in two termin of Rp150 juta (paid 25 May and
12 August: lunas), K-002 Rp450 juta in three termin (paid once, 18 July: berjalan), K-003
Rp80 juta signed 15 June, unregistered and unpaid. BAST 28 April 2022 -> SPM 24 May 2022.
TUP Rp60 juta SP2D 3 March, GTUP NIHIL Rp50 juta SPM 7 April (five weeks), Rp10 juta
deposited 8 April; TUP Rp20 juta SP2D 6 September accounted 26 September.
"""
from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spektra_lib import reports
from spektra_lib.cli import main
from spektra_lib.ingest import check_path, ingest_path
from spektra_lib.kalender import hari_kerja_antara
from spektra_lib.store import Store

DATA = Path(__file__).parent / "data" / "kontrak"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("kontrak") / "s.duckdb")
    ingest_path(DATA, s)
    yield s
    s.close()


def _row(df, **match):
    sel = df
    for k, v in match.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (match, sel)
    return sel.iloc[0]


# -- kontrak -----------------------------------------------------------------------------
def test_kontrak_two_termin_lunas_one_of_three_berjalan_one_unpaid(store):
    df = reports.kontrak(store, 2022, 9, satker="999001")
    assert list(df["no_kontrak"]) == ["K-001/2022", "K-002/2022", "K-003/2022"]
    k1 = _row(df, no_kontrak="K-001/2022")
    assert (k1["terbayar"], k1["sisa"], k1["persen_terbayar"], k1["status"],
            k1["kali_bayar"]) == (300_000_000, 0, 100.0, "lunas", 2)
    k2 = _row(df, no_kontrak="K-002/2022")
    assert (k2["terbayar"], k2["sisa"], k2["status"], k2["kali_bayar"],
            k2["jumlah_termin"]) == (150_000_000, 300_000_000, "berjalan", 1, 3)
    assert k2["persen_terbayar"] == pytest.approx(100 / 3)
    assert k2["tgl_register_kppn"] == pd.Timestamp("2022-03-07")     # dd/mm/yyyy in the file
    k3 = _row(df, no_kontrak="K-003/2022")
    assert (k3["terbayar"], k3["sisa"], k3["persen_terbayar"], k3["status"]) == (
        0, 80_000_000, 0.0, "belum dibayar")
    assert pd.isna(k3["tgl_register_kppn"])                          # not registered at KPPN


def test_kontrak_as_of_the_month(store):
    """In June only K-001's first termin is paid, and K-003 (signed 15 June) is listed;
    in May K-003 is not yet signed."""
    jun = reports.kontrak(store, 2022, 6, satker="999001")
    assert _row(jun, no_kontrak="K-001/2022")["status"] == "berjalan"
    assert _row(jun, no_kontrak="K-001/2022")["persen_terbayar"] == 50.0
    assert _row(jun, no_kontrak="K-002/2022")["status"] == "belum dibayar"
    mei = reports.kontrak(store, 2022, 5, satker="999001")
    assert "K-003/2022" not in set(mei["no_kontrak"])
    # a contract signed in December of the year before (kontrak dini) is the year's
    assert list(reports.kontrak(store, 2022, 1, satker="999002")["no_kontrak"]) == ["K-101/2022"]


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    shutil.copytree(DATA, d)
    return d


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def test_kontrak_paid_beyond_its_value_and_a_payment_without_contract(tmp_path):
    d = _copy(tmp_path)
    _append(d / "spp.csv", "999001,,00011T,2022-10-03,00011A,2022-10-04,220950301000120,"
            "2022-10-05,Kelebihan bayar,LS,1000000,Upload SP2D,K-001/2022,2022-09-30")
    _append(d / "spp.csv", "999001,,00012T,2022-10-03,00012A,2022-10-04,220950301000121,"
            "2022-10-05,Kontrak salah ketik,LS,2500000,Upload SP2D,K-999/2022,2022-09-30")
    batch = check_path(d)
    assert not batch.problems
    warn = [str(w) for w in batch.warnings]
    assert warn == ["spp.csv:14: no_kontrak: kontrak K-999/2022 tidak ada di "
                    "register kontrak satker pembayar (di berkas ini maupun di store); "
                    "pembayaran ini belum dihitung di laporan kontrak sampai registernya "
                    "dimuat"]
    with Store(tmp_path / "s.duckdb") as s:
        ingest_path(d, s)
        df = reports.kontrak(s, 2022, 10, satker="999001")
        k1 = _row(df, no_kontrak="K-001/2022")
        assert (k1["terbayar"], k1["sisa"], k1["status"]) == (301_000_000, -1_000_000,
                                                              "melebihi nilai")
        assert df.attrs["catatan"] == (
            "Peringatan: 1 pembayaran (Rp2.500.000) menyebut nomor kontrak yang tidak ada di "
            "register kontrak: K-999/2022. Pembayaran itu tidak dihitung di tabel ini sampai "
            "registernya dimuat.")


# -- tagihan -----------------------------------------------------------------------------
def test_bast_28_april_spm_24_may_on_time_with_idul_fitri_and_cuti_bersama(store):
    weekdays = np.busday_count(np.datetime64("2022-04-29"), np.datetime64("2022-05-25"))
    assert weekdays == 18                       # late on weekdays alone (> 17)
    assert hari_kerja_antara(["2022-04-28"], ["2022-05-24"]).tolist() == [11.0]
    df = reports.tagihan(store, 2022, 5, satker="999001")
    assert len(df) == 1
    r = df.iloc[0]
    assert (r["no_kontrak"], r["no_spm"], r["hari_kerja"], r["tepat_waktu"], r["keterangan"]) == (
        "K-001/2022", "00005A", 11, 1, "tepat waktu")


def test_tagihan_late_open_and_month_range(store):
    sep = reports.tagihan(store, 2022, 9, satker="999001")
    assert list(sep["keterangan"]) == ["tepat waktu", "terlambat", "tepat waktu", "belum SPM"]
    late = _row(sep, no_spm="00006A")                  # BAST 1 June -> SPM 15 July
    assert (late["hari_kerja"], late["tepat_waktu"]) == (32, 0)
    open_ = sep.iloc[-1]                               # BAST 20 September, no SPM yet
    assert (open_["no_kontrak"], open_["hari_kerja"], open_["sisa_hari_kerja"]) == (
        "K-002/2022", 8, 9)
    assert pd.isna(open_["tepat_waktu"]) and pd.isna(open_["tgl_spm"])
    okt = reports.tagihan(store, 2022, 10, satker="999001", bulan_dari=10)
    assert len(okt) == 1                               # only the open BAST, now past the limit
    r = okt.iloc[0]
    assert (r["hari_kerja"], r["tepat_waktu"], r["sisa_hari_kerja"], r["keterangan"]) == (
        29, 0, -12, "belum SPM, lewat batas")
    jj = reports.tagihan(store, 2022, 7, satker="999001", bulan_dari=6)
    assert list(jj["no_spm"]) == ["00006A"]


# -- up_tup ------------------------------------------------------------------------------
def test_up_tup_late_tup_and_leftover_deposited(store):
    df = reports.up_tup(store, 2022, 9, satker="999001").set_index("bulan")
    assert list(df.index) == list(range(1, 10))
    assert df.loc[1, "up"] == 100_000_000 and df.loc[2, "up"] == 40_000_000
    # TUP of 3 March accounted on 7 April (five weeks): late, by its whole amount
    assert (df.loc[3, "tup"], df.loc[3, "sisa_tup"], df.loc[3, "tup_lewat_batas"]) == (
        60_000_000, 60_000_000, 60_000_000)
    # Rp50 juta accounted, the Rp10 juta left deposited: nothing outstanding
    assert (df.loc[4, "pertanggungjawaban_tup"], df.loc[4, "setoran_tup"],
            df.loc[4, "sisa_tup"]) == (50_000_000, 10_000_000, 0)
    # TUP of 6 September accounted on 26 September: on time
    assert (df.loc[9, "tup"], df.loc[9, "pertanggungjawaban_tup"], df.loc[9, "sisa_tup"],
            df.loc[9, "tup_lewat_batas"]) == (20_000_000, 20_000_000, 0, 0)
    assert df["nama_satker"].unique().tolist() == ["Kantor Regional Contoh"]


def test_up_tup_outstanding_tup_late_once_its_month_is_past(store):
    """As of March the TUP is outstanding but not yet due (3 April): not late yet."""
    mar = reports.up_tup(store, 2022, 3, satker="999001").set_index("bulan")
    assert (mar.loc[3, "sisa_tup"], mar.loc[3, "tup_lewat_batas"]) == (60_000_000, 0)


def test_up_tup_all_satker_lists_those_with_up_or_tup(store):
    df = reports.up_tup(store, 2022, 2)
    assert df["kode_satker"].unique().tolist() == ["999001"]


# -- refusals ------------------------------------------------------------------------------
def _cli(*args) -> tuple[int, list[str], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(args))
    return rc, out.getvalue().splitlines(), err.getvalue().splitlines()


def test_bad_contract_rows_refused_with_file_row_lines_store_unchanged(tmp_path):
    store = tmp_path / "s.duckdb"
    assert _cli("ingest", str(DATA), "--store", str(store))[0] == 0
    with Store(store, read_only=True) as s:
        before = s.content_digest()
    d = _copy(tmp_path)
    _append(d / "kontrak.csv", "2022,999001,K-004/2022,2022-07-01,Nol,521211,0,,,termin,0")
    _append(d / "kontrak.csv", "2022,999001,K-005/2022,2022-07-01,Cicil,521211,5000000,,,"
            "angsuran,2")
    _append(d / "setoran.csv", "2022,999001,2022-10-01,PNBP,500000,")
    _append(d / "setoran.csv", "2022,999001,2023-01-03,UP,500000,")
    _append(d / "kontrak.csv", "2022,999001,K-007/2022,2023-01-05,Telat,521211,5000000,,,"
            "sekaligus,1")
    _append(d / "spp.csv", "999001,,00013T,2022-05-02,00013A,2022-05-09,220950301000130,"
            "2022-05-10,BAST sesudah SPM,LS,1000000,Upload SP2D,K-001/2022,2022-05-20")
    rc, out, err = _cli("ingest", str(d), "--store", str(store))
    assert rc == 1
    assert err == [
        "Ingest ditolak: 7 masalah; store tidak berubah.",
        "kontrak.csv:6: jumlah_termin: jumlah termin 0: paling sedikit 1",
        "kontrak.csv:6: nilai_kontrak: nilai kontrak 0,00: kontrak K-004/2022 harus bernilai "
        "lebih dari 0 (periksa kolom nilai di register kontrak)",
        "kontrak.csv:7: cara_bayar: cara bayar tidak dikenal: 'angsuran' (pilih sekaligus "
        "atau termin)",
        "kontrak.csv:8: tgl_kontrak: tanggal kontrak 2023-01-05 sesudah tahun anggaran 2022 "
        "(kontrak yang ditandatangani sebelum 1 Januari boleh: kontrak dini)",
        "setoran.csv:3: jenis: jenis setoran tidak dikenal: 'PNBP' (pilih TUP, UP, lainnya)",
        "setoran.csv:4: tanggal: tanggal setoran 2023-01-03 di luar tahun anggaran 2022",
        "spp.csv:13: tgl_bast: tanggal BAST 2022-05-20 sesudah tanggal SPM 2022-05-09 "
        "(SPM 00013A): SPM tagihan kontraktual terbit sesudah BAST-nya; periksa kedua tanggal"]
    with Store(store, read_only=True) as s:
        assert s.content_digest() == before


def test_tup_deposit_without_tup_is_a_warning_periksa_shows_ketat_refuses(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DATA / "satker.csv", d / "satker.csv")
    (d / "setoran.csv").write_text("tahun,kode_satker,tanggal,jenis,nilai,ntpn\n"
                                   "2022,999002,2022-05-02,TUP,5000000,\n", encoding="utf-8")
    rc, out, _ = _cli("periksa", str(d), "--store", str(tmp_path / "s.duckdb"))
    assert rc == 0
    assert ("Peringatan: setoran.csv:2: jenis: setoran TUP, padahal register SPP "
            "satker ini tidak memuat TUP pada tahun itu (di berkas ini maupun di store); "
            "periksa jenis setoran atau muat register SPP-nya") in out
    rc, _, err = _cli("ingest", str(d), "--ketat", "--store", str(tmp_path / "s.duckdb"))
    assert rc == 1 and err[1].startswith("setoran.csv:2: jenis: setoran TUP, padahal")


def test_spektra_report_kontrak_to_xlsx_and_csv(tmp_path, store):
    path = tmp_path / "s.duckdb"
    assert _cli("ingest", str(DATA), "--store", str(path))[0] == 0
    for name in ("kontrak", "tagihan", "up_tup"):
        rc, out, err = _cli("report", name, "--tahun", "2022", "--bulan", "9", "--satker",
                            "999001", "--store", str(path), "-o", str(tmp_path / f"{name}.csv"))
        assert rc == 0, err
    csv = pd.read_csv(tmp_path / "kontrak.csv", dtype=str)
    assert list(csv["status"]) == ["lunas", "berjalan", "belum dibayar"]
    rc, _, err = _cli("report", "kontrak", "--tahun", "2022", "--bulan", "9", "--satker",
                      "999001", "--store", str(path), "-o", str(tmp_path / "k.xlsx"))
    assert rc == 0, err
    import openpyxl
    ws = openpyxl.load_workbook(tmp_path / "k.xlsx").active
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "K-002/2022" in text and "Berjalan" in text   # status capitalised for people


def test_a_changed_contract_register_rerenders_only_its_satker(tmp_path):
    """Incremental render: the kontrak page of 999001 is stale once its register changes;
    999002's pages are not."""
    d = _copy(tmp_path)
    with Store(tmp_path / "s.duckdb") as s:
        ingest_path(d, s)
        before = {k: s.scope_fingerprint(2022, k) for k in ("999001", "999002")}
        _append(d / "kontrak.csv", "2022,999001,K-006/2022,2022-07-01,Baru,521211,5000000,,,"
                "sekaligus,1")
        ingest_path(d, s)
        after = {k: s.scope_fingerprint(2022, k) for k in ("999001", "999002")}
    assert after["999001"] != before["999001"] and after["999002"] == before["999002"]
