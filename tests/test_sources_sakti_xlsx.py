"""SAKTI Excel reports downloaded by hand (issue 11 item 4): Form Cetak POK / RPD DIPA
petikan -> pok, Daftar SP2D -> spp. Fixtures in tests/data/layouts/sakti-xlsx/ are written
cell by cell by buat_fixture.py from the real reports' layout; numbers below are worked by
hand from those cells."""
import importlib.util
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect, sakti_xlsx
from spektra_lib.synth import sakti_xlsx as sakti_writer
from spektra_lib.store import Store

DATA = Path(__file__).parent / "data" / "layouts"
FIX = DATA / "sakti-xlsx"
BASE = DATA / "kanonik"


def _fixture_module():
    spec = importlib.util.spec_from_file_location("buat_fixture", FIX / "buat_fixture.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def batch():
    b = detect.read(FIX)
    assert [str(p) for p in b.problems] == []
    return b


def _copy(tmp_path: Path, only=None) -> Path:
    """The fixture folder (or some of its files) in tmp_path/in."""
    d = tmp_path / "in"
    d.mkdir()
    for f in FIX.iterdir():
        if f.suffix in (".xlsx", ".csv") and (only is None or f.name in only):
            shutil.copy(f, d / f.name)
    return d


def _edit(path: Path, **cells):
    """Set cells (`G14="…"`, None to clear) of the first sheet, values only."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for ref, v in cells.items():
        ws[ref] = v
        if isinstance(v, str) and not v.startswith("="):
            ws[ref].data_type = "s"
    wb.save(path)


def _problems(folder, **kw) -> list[str]:
    return [str(p) for p in detect.read(folder, **kw).problems]


def _one(path: Path, tahun=None):
    problems = []
    out = sakti_xlsx.read_report(path, path.name, problems, tahun)
    return out, [str(p) for p in problems]


# -- the fixtures, worked by hand ---------------------------------------------------------
def test_form_pok_read_as_worked_by_hand(batch):
    assert batch.layout == "sakti-xlsx"
    pok = batch.tables["pok"]
    assert len(pok) == 9
    assert set(pok["tahun"]) == {2022}
    # pagu per akun (rupiah; the 017231 report is in thousands: 600.000 -> 600.000.000)
    per_akun = pok.groupby(["kode_satker", "kode_akun"])["pagu"].sum().to_dict()
    assert per_akun == {
        ("017220", "511111"): 1_200_000_000, ("017220", "511119"): 12_000,
        ("017220", "521211"): 15_000_000 + 1_875_025, ("017220", "521219"): 10_000_000,
        ("017231", "511111"): 600_000_000, ("017231", "524111"): 10_000_000 + 4_300_000,
        ("017231", "524113"): 900_000}
    assert pok["pagu"].sum() == 1_226_887_025 + 615_200_000

    def item(satker, komponen, akun, no):
        sel = pok[(pok.kode_satker == satker) & (pok.kode_komponen == komponen)
                  & (pok.kode_akun == akun) & (pok.no_item == no)]
        assert len(sel) == 1
        return sel.iloc[0]
    # codes as written, level names from the level lines
    gaji = item("017220", "001", "511111", "1")
    assert (gaji.kode_program, gaji.kode_kegiatan, gaji.kode_kro, gaji.kode_ro,
            gaji.kode_subkomponen) == ("WA", "4843", "EBA", "994", "A")
    assert (gaji.nama_program, gaji.nama_kegiatan, gaji.nama_kro, gaji.nama_ro,
            gaji.nama_komponen, gaji.nama_subkomponen, gaji.nama_akun) == (
        "Program Dukungan Manajemen", "Pengelolaan Keuangan, BMN, dan Umum",
        "Layanan Dukungan Manajemen Internal", "Layanan Perkantoran", "Gaji dan Tunjangan",
        "Pembayaran Gaji dan Tunjangan", "Belanja Gaji Pokok PNS")
    assert [gaji[f"rpd_{m:02d}"] for m in range(1, 13)] == [100_000_000] * 12
    # two items of akun 521211 numbered 1, 2 (the caption line between is no item);
    # `37.500,50` written as text is 37500.5
    atk, rapat = item("017220", "002", "521211", "1"), item("017220", "002", "521211", "2")
    assert (atk.uraian_item, atk.volume, atk.satuan, atk.harga_satuan, atk.pagu) == (
        "ATK, kertas, tinta", 10, "PAKET", 1_500_000, 15_000_000)
    assert (atk.rpd_01, atk.rpd_02, atk.rpd_03, atk.rpd_05) == (5_000_000, 0, 5_000_000, 5_000_000)
    assert (rapat.uraian_item, rapat.harga_satuan, rapat.pagu, rapat.rpd_02) == (
        "Konsumsi rapat", 37_500.5, 1_875_025, 1_875_025)
    # komponen ZZ1 (alphanumeric) straight to its akun: no subkomponen
    zz1 = item("017220", "ZZ1", "521219", "1")
    assert pd.isna(zz1.kode_subkomponen) and zz1.rpd_04 == 10_000_000 and zz1.pagu == 10_000_000
    # ribuan: harga 430 -> 430.000, months at their fixed columns (Juli is column Y)
    harian = item("017231", "051", "524111", "2")
    assert (harian.kode_program, harian.kode_kro, harian.kode_ro, harian.harga_satuan,
            harian.pagu, harian.rpd_07, harian.rpd_06) == ("CD", "QDC", "001", 430_000,
                                                          4_300_000, 4_300_000, 0)
    dinas = item("017231", "051", "524111", "1")
    assert [dinas[f"rpd_{m:02d}"] for m in (3, 4, 6, 8)] == [2_500_000] * 4
    lokal = item("017231", "051", "524113", "1")    # marked `•`, subkomponen B, September = AB
    assert (lokal.kode_subkomponen, lokal.uraian_item, lokal.rpd_09) == ("B", "Transport lokal", 900_000)
    # the sheet row a user sees
    assert int(gaji["_row"]) == 15 and gaji["_file"] == "POK_017220.xlsx"
    # the RPD of all items adds up to the JUMLAH line's months, e.g. July of 017231:
    # 4.300 + 50.000 thousand
    k = pok[pok.kode_satker == "017231"]
    assert k["rpd_07"].sum() == 54_300_000


def test_daftar_sp2d_read_as_worked_by_hand(batch):
    spp = batch.tables["spp"].set_index("no_sp2d")
    assert len(spp) == 4
    assert spp["nilai"].sum() == 100_000_000 + 4_800_000 + 14_350_000 + 2_450_000
    gaji = spp.loc["220011301000001"]
    assert (gaji.kode_satker, gaji.no_spp, str(gaji.tgl_spp.date()), str(gaji.tgl_sp2d.date()),
            gaji.jenis_spp, gaji.uraian, gaji.status) == (
        "017220", "00001T/017220/2022", "2022-01-20", "2022-01-25", "GAJI INDUK",
        "Gaji induk Januari 2022", "SP2D terbit")
    # gross: Nilai SPM 4.800.000 (Potongan 480.000 is spending too), not Nilai SP2D 4.320.000
    assert spp.loc["220011301000003", "nilai"] == 4_800_000
    # USD 1.000 at the SP2D's rate (14.350.000 / 1.000) -> Rp14.350.000
    assert spp.loc["220011302000002", "nilai"] == 14_350_000
    # no invoice: the SP2D stands in for the SPP
    last = spp.loc["220011302000003"]
    assert (last.no_spp, str(last.tgl_spp.date()), last.jenis_spp) == (
        "220011302000003", "2022-03-28", "GUP")


def test_ingest_into_store(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    summary = ingest_path(FIX, store)
    assert summary.layout == "sakti-xlsx"
    assert summary.rows["pok"] == 9 and summary.rows["spp"] == 4
    pagu = store.sql("SELECT kode_satker, kode_unit, SUM(pagu) AS p FROM pok GROUP BY ALL "
                     "ORDER BY ALL")
    rows = [(r.kode_satker, None if pd.isna(r.kode_unit) else r.kode_unit, float(r.p))
            for r in pagu.itertuples()]
    # units of the central satker come from parameters/organisasi.yaml (komponen 002: 0103)
    assert rows == [("017220", "0102", 1_210_012_000.0), ("017220", "0103", 16_875_025.0),
                    ("017231", None, 615_200_000.0)]
    assert float(store.scalar("SELECT SUM(nilai) FROM spp")) == 121_600_000
    # the same files again change nothing
    assert ingest_path(FIX, store).changed is False


def test_the_fixture_script_writes_what_is_committed(tmp_path):
    """The committed workbooks are what buat_fixture.py writes (same cells)."""
    _fixture_module().main(tmp_path)
    for name in ("POK_017220.xlsx", "POK_017231_ribuan.xlsx", "Daftar_SP2D.xlsx"):
        def cells(p):
            wb = openpyxl.load_workbook(p, read_only=True)
            try:
                return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            finally:
                wb.close()
        assert cells(tmp_path / name) == cells(FIX / name), name


# -- round trip: canonical -> our writers -> our readers ------------------------------------
def _norm(df: pd.DataFrame, drop=()) -> pd.DataFrame:
    df = df.drop(columns=[c for c in ("_file", "_row", *drop) if c in df.columns])
    df = df.astype("string").fillna("")
    return df.sort_values(list(df.columns)).reset_index(drop=True)


@pytest.mark.parametrize("ribuan", [False, True])
def test_round_trip_through_the_writers(ribuan, tmp_path):
    base = detect.read(BASE).tables
    out = tmp_path / "x"
    files = sakti_writer.write_reports(base, out, ribuan=ribuan)
    assert sorted(f.name for f in files) == ["Daftar_SP2D.xlsx", "POK_017220_2022.xlsx",
                                             "POK_017231_2022.xlsx"]
    for f in files:   # values only, never a formula (an uraian starts with `=`)
        wb = openpyxl.load_workbook(f)
        assert not [c.coordinate for row in wb.worksheets[0].iter_rows() for c in row
                    if c.data_type == "f"]
    for name in ("satker", "unit_kerja"):
        shutil.copy(BASE / f"{name}.csv", out)
    back = detect.read(out)
    assert [str(p) for p in back.problems] == []
    assert back.layout == "sakti-xlsx"
    # what the reports cannot carry: the unit kerja, the PN tag, the date of the revision
    # and the source's item key of a POK line; SPM number and date, unit and status of an
    # SPP; SPPs without an SP2D
    lost = {"kode_unit", "prioritas_nasional", "tanggal_revisi", "cons_item"}
    pd.testing.assert_frame_equal(_norm(back.tables["pok"], lost), _norm(base["pok"], lost))
    spp = base["spp"][base["spp"]["no_sp2d"].notna()]
    lost = {"kode_unit", "no_spm", "tgl_spm", "status", "potongan", "nilai_bersih"}
    pd.testing.assert_frame_equal(_norm(back.tables["spp"], lost), _norm(spp, lost))
    # what the Daftar SP2D adds: Potongan (the writer withholds nothing) and Nilai SP2D
    got = back.tables["spp"]
    assert (got["potongan"] == 0).all() and (got["nilai_bersih"] == got["nilai"]).all()
    assert set(back.tables["spp"]["status"]) == {"SP2D terbit"}


def test_revision_from_the_title(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    assert "revisi" not in detect.read(d).tables["pok"] or \
        detect.read(d).tables["pok"]["revisi"].isna().all()
    _edit(d / "POK_017220.xlsx", A3="TAHUN ANGGARAN : 2022   REVISI KE-3")
    assert set(detect.read(d).tables["pok"]["revisi"]) == {3}
    pok = detect.read(BASE).tables["pok"]
    one = pok[pok.kode_satker == "017231"].assign(revisi=2)
    p = sakti_writer.write_form_pok(one, tmp_path / "r.xlsx")
    assert openpyxl.load_workbook(p).worksheets[0]["A3"].value == "TAHUN ANGGARAN 2022   REVISI KE-2"
    out, problems = _one(p)
    assert problems == [] and set(out["pok"]["revisi"]) == {2}


def test_writer_title_says_the_unit(tmp_path):
    pok = detect.read(BASE).tables["pok"]
    one = pok[pok.kode_satker == "017231"]
    for ribuan, text in ((False, "(dalam rupiah)"), (True, "(dalam ribuan rupiah)")):
        p = sakti_writer.write_form_pok(one, tmp_path / f"p{ribuan}.xlsx", "KANREG I", ribuan=ribuan)
        ws = openpyxl.load_workbook(p).worksheets[0]
        assert ws["A5"].value == text and ws["E1"].value == "017231"
        assert ws["B7"].value == "KODE" and ws["R7"].value == "JANUARI" and ws["X7"].value is None
        gaji = [r for r in ws.iter_rows(min_row=8, values_only=True) if r[2] == "Gaji pokok PNS"][0]
        assert gaji[6] == (600_000 if ribuan else 600_000_000)


# -- what is not a SAKTI report -------------------------------------------------------------
def test_other_workbooks_are_not_reports(tmp_path):
    problems = []
    assert sakti_xlsx.read_report(DATA / "kanonik-xlsx" / "spektra.xlsx", "spektra.xlsx",
                                  problems) is None
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"bukan zip")
    assert sakti_xlsx.read_report(bad, "rusak.xlsx", problems) is None
    empty = tmp_path / "kosong.xlsx"
    openpyxl.Workbook().save(empty)
    assert sakti_xlsx.read_report(empty, "kosong.xlsx", problems) is None
    assert problems == []


# -- refusals, line by line ------------------------------------------------------------------
def test_level_line_disagreeing_with_its_items(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    _edit(d / "POK_017220.xlsx", G14="1.200.000.001", R20=5000001)
    assert _problems(d) == [
        "POK_017220.xlsx:14: JUMLAH BIAYA (Rp): jumlah akun 511111 (1.200.000.001) tidak sama "
        "dengan jumlah item di bawahnya (1.200.000.000)",
        "POK_017220.xlsx:20: JANUARI: rencana Januari akun 521211 (5.000.001) tidak sama "
        "dengan jumlah item di bawahnya (5.000.000)"]


def test_total_line_disagreeing_with_the_items(tmp_path):
    d = _copy(tmp_path, {"POK_017231_ribuan.xlsx"})
    _edit(d / "POK_017231_ribuan.xlsx", G27=615000, Y27=54000)    # thousands
    assert _problems(d) == [
        "POK_017231_ribuan.xlsx:27: JUMLAH: baris JUMLAH: jumlah seluruhnya (615.000.000) tidak "
        "sama dengan jumlah seluruh item (615.200.000)",
        "POK_017231_ribuan.xlsx:27: Y: baris JUMLAH: rencana Juli seluruhnya (54.000.000) "
        "tidak sama dengan jumlah seluruh item (54.300.000)"]


def test_year_from_title_and_from_tahun(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    assert _problems(d, tahun=2023) == [
        "POK_017220.xlsx:3: -: tahun anggaran di judul laporan (2022) berbeda dengan --tahun 2023"]
    assert _problems(d, tahun=2022) == []
    _edit(d / "POK_017220.xlsx", A3=None)
    assert _problems(d) == [
        "POK_017220.xlsx:-: -: tahun anggaran tidak tertulis di judul laporan "
        "(TAHUN ANGGARAN ....): beri --tahun"]
    b = detect.read(d, tahun=2024)
    assert b.problems == [] and set(b.tables["pok"]["tahun"]) == {2024}


def test_unit_is_read_from_the_sheet_not_assumed(tmp_path):
    """The same cells without "(dalam ribuan rupiah)" are rupiah: the items then disagree
    with nothing, but the pagu is a thousand times smaller."""
    d = _copy(tmp_path, {"POK_017231_ribuan.xlsx"})
    _edit(d / "POK_017231_ribuan.xlsx", A5="(dalam rupiah)")
    b = detect.read(d)
    assert b.problems == [] and b.tables["pok"]["pagu"].sum() == 615_200
    # the unit written in the header instead of the title
    _edit(d / "POK_017231_ribuan.xlsx", A5=None, G7="JUMLAH (RIBUAN RP)")
    assert detect.read(d).tables["pok"]["pagu"].sum() == 615_200_000


def test_codes_that_are_refused(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    _edit(d / "POK_017220.xlsx", B10="4844.EBA", B13="A.1", B16=511119)
    _edit(d / "POK_017220.xlsx", B24=1)
    got = _problems(d)
    assert got[:2] == [
        "POK_017220.xlsx:10: KODE: KRO 4844.EBA menyebut kegiatan 4844, padahal kegiatan di "
        "atasnya 4843",
        "POK_017220.xlsx:13: KODE: kode 'A.1' tidak dikenali: program (059.01.WA), kegiatan "
        "(4843), KRO (4843.EBA), RO (EBA.994), komponen (3 karakter), subkomponen (1–2 "
        "karakter) atau akun (6 digit); baris item tanpa kode"]
    # a 6-digit akun typed as a number is fine; komponen `1` typed as a number is not
    assert "POK_017220.xlsx:24: KODE: kode '1' tersimpan sebagai angka: nol di depan mungkin " \
           "hilang (komponen/subkomponen), simpan kolom kode sebagai teks" in got
    assert not [p for p in got if ":16:" in p]


def test_item_without_akun(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    _edit(d / "POK_017220.xlsx", B25=None, C25="Penggandaan (tanpa akun)", D25=1, F25=1, G25=1)
    got = _problems(d)
    assert "POK_017220.xlsx:25: KODE: baris item tanpa akun di atasnya: kode akun tidak ada " \
           "pada baris sebelumnya" in got


def test_formula_cell_and_missing_cells(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    _edit(d / "POK_017220.xlsx", G15="=D15*F15", D17=None)
    got = _problems(d)
    assert "POK_017220.xlsx:15: G: sel G15 berisi rumus '=D15*F15': rumus tidak diterima " \
           "sebagai data, simpan nilainya saja" in got
    assert "POK_017220.xlsx:17: VOLUME: wajib diisi pada baris item" in got


def test_truncated_report_without_jumlah_line(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    wb = openpyxl.load_workbook(d / "POK_017220.xlsx")
    wb.worksheets[0].delete_rows(27, 10)
    wb.save(d / "POK_017220.xlsx")
    assert _problems(d) == [
        "POK_017220.xlsx:-: -: baris JUMLAH (jumlah seluruhnya) tidak ditemukan di bawah "
        "rincian: laporan terpotong? unduh ulang Form Cetak POK lengkap"]


def test_missing_satker_and_columns(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    _edit(d / "POK_017220.xlsx", E1=None, G1=None, F7="TARIF")
    assert _problems(d) == [
        "POK_017220.xlsx:1: -: kode satker (6 digit) tidak ditemukan di baris judul laporan",
        "POK_017220.xlsx:7: HARGA_SATUAN: kolom wajib tidak ada di Form Cetak POK"]


def test_rpd_only_on_akun_lines_is_spread_over_items(tmp_path):
    d = _copy(tmp_path, {"POK_017220.xlsx"})
    wb = openpyxl.load_workbook(d / "POK_017220.xlsx")
    ws = wb.worksheets[0]
    cols = ["R", "S", "T", "U", "V", "W", "Y", "AA", "AB", "AC", "AD", "AF"]
    for r in (15, 17, 22, 23, 26):          # the items lose their months
        for c in cols:
            ws[f"{c}{r}"] = None
    for r, vals in ((14, [100_000_000] * 12), (16, [1000] * 12),
                    (25, [0, 0, 0, 10_000_000] + [0] * 8)):
        for c, v in zip(cols, vals):        # the akun lines carry them (521211 already does)
            ws[f"{c}{r}"] = v
    wb.save(d / "POK_017220.xlsx")
    out, problems = _one(d / "POK_017220.xlsx")
    assert problems == []
    pok = out["pok"]
    assert out["pok"].attrs["catatan"] == [
        "POK_017220.xlsx: rencana penarikan bulanan hanya tertulis per akun; dibagi ke item "
        "menurut jumlah biaya masing-masing (tepat sampai tingkat akun)"]
    bahan = pok[pok.kode_akun == "521211"].set_index("no_item")
    # January 5.000.000 over 15.000.000 and 1.875.025: 5e6 × 15e6 / 16.875.025 = 4.444.437,86
    assert bahan.loc["1", "rpd_01"] == 4_444_437.86
    assert bahan.loc["2", "rpd_01"] == 555_562.14      # the rest: the akun's month exact
    assert bahan["rpd_02"].sum() == 1_875_025 and bahan["rpd_04"].sum() == 0
    assert pok[pok.kode_akun == "511111"]["rpd_12"].iloc[0] == 100_000_000
    # through detect.read the same sentence is a note shown after ingest
    b = detect.read(d)
    assert b.problems == [] and out["pok"].attrs["catatan"][0] in b.notes


def test_a_form_pok_copied_as_csv_without_its_title(tmp_path):
    """The flat route (layout recognised from the header): no title, so no satker; the
    structure errors are said once, without the sums they would spoil."""
    (tmp_path / "pok_sakti.csv").write_text(
        "KODE;URAIAN;VOLUME;SATUAN;HARGA SATUAN;JUMLAH BIAYA\n"
        "511111;Belanja Gaji;;;;1200\n;Gaji;12;BLN;100;1200\n;JUMLAH;;;;1200\n",
        encoding="utf-8")
    b = detect.read(tmp_path, tahun=2022)
    assert [str(p) for p in b.problems] == [
        "pok_sakti.csv:-: JUMLAH BIAYA: satuan angka tidak tertulis di laporan (mis. \"dalam "
        "ribuan rupiah\") dan tidak dapat dipastikan dari isinya; setiap salinan asli SAKTI "
        "yang dikenal dalam ribuan rupiah: ulangi dengan --satuan ribuan (atau --satuan "
        "rupiah bila memang rupiah)",
        "pok_sakti.csv:1: -: kode satker (6 digit) tidak ditemukan di baris judul laporan",
        "pok_sakti.csv:3: KODE: baris item tanpa komponen di atasnya: kode komponen tidak ada "
        "pada baris sebelumnya"]


def test_daftar_sp2d_refusals(tmp_path):
    d = _copy(tmp_path, {"Daftar_SP2D.xlsx"})
    _edit(d / "Daftar_SP2D.xlsx", A6=17220, H7=400000, J8=None)
    assert _problems(d) == [
        "Daftar_SP2D.xlsx:6: Kode Satker: kode satker harus 6 digit: '17220' (nol di depan "
        "hilang? simpan sebagai teks)",
        "Daftar_SP2D.xlsx:7: Nilai SP2D: Nilai SPM (4.800.000) − Potongan (400.000) tidak "
        "sama dengan Nilai SP2D (4.320.000)",
        "Daftar_SP2D.xlsx:8: Nilai SP2D Ekuivalen: SP2D dalam USD tanpa Nilai SP2D Ekuivalen "
        "(rupiah)"]
    _edit(d / "Daftar_SP2D.xlsx", A6="017220", H7=480000, J8=14350000, M5="JENIS")
    assert _problems(d) == ["Daftar_SP2D.xlsx:5: JENIS_SPM: kolom wajib tidak ada di Daftar SP2D"]
    _edit(d / "Daftar_SP2D.xlsx", M5="Jenis SPM", E9="31/02/2022")
    assert _problems(d) == ["Daftar_SP2D.xlsx:9: Tgl SP2D: bukan tanggal yang sah "
                            "(YYYY-MM-DD atau dd/mm/yyyy): '31/02/2022'"]


def test_a_foreign_sheet_beside_a_report(tmp_path):
    d = _copy(tmp_path, {"Daftar_SP2D.xlsx"})
    wb = openpyxl.load_workbook(d / "Daftar_SP2D.xlsx")
    wb.create_sheet("Catatan")["A1"] = "dicek Bu Ani"
    wb.save(d / "Daftar_SP2D.xlsx")
    assert _problems(d) == [
        "Daftar_SP2D.xlsx[Catatan]:-: -: lembar ini bukan Form Cetak POK atau Daftar SP2D, "
        "padahal lembar lain di buku kerja ini laporan SAKTI: pisahkan ke berkas lain"]


def test_refused_ingest_leaves_the_store_as_it_was(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    ingest_path(FIX, store)
    before = store.sql("SELECT * FROM pok ORDER BY ALL")
    d = _copy(tmp_path)
    _edit(d / "POK_017220.xlsx", G14="1.200.000.001", F15="100.000.000", D15=13)
    with pytest.raises(IngestError) as e:
        ingest_path(d, store)
    assert "POK_017220.xlsx:14: JUMLAH BIAYA (Rp): jumlah akun 511111" in str(e.value)
    pd.testing.assert_frame_equal(store.sql("SELECT * FROM pok ORDER BY ALL"), before)
