"""The printed Form Cetak POK (issue 24): pages with their header repeated, item lines without
a code, blokir, and the unit of amounts decided from evidence. Fixtures in
tests/data/layouts/sakti-cetak-pok/ (buat_fixture.py) are the canonical fixture
(tests/data/layouts/kanonik/pok.csv) printed:

017220 (ribuan, three pages): pagu 1.200.000.000 + 12.000 + 15.000.000 + 1.875.025 =
1.216.887.025; RPD Januari 105.001.000. 017231: 600.000.000 + 10.000.000 = 610.000.000,
every amount a whole number of thousands.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spektra_lib import reports
from spektra_lib.cli import main
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect
from spektra_lib.store import Store
from spektra_lib.synth import xlsx_inline

LAYOUTS = Path(__file__).parent / "data" / "layouts"
FIX = LAYOUTS / "sakti-cetak-pok"
GLP = LAYOUTS / "sakti-glp039"
BASE = LAYOUTS / "kanonik"


def _folder(tmp_path: Path, *files: Path, name="in") -> Path:
    d = tmp_path / name
    d.mkdir()
    for f in (BASE / "satker.csv", BASE / "unit_kerja.csv", *files):
        shutil.copy(f, d / f.name)
    return d


def test_three_printed_pages_load_with_pagu_in_rupiah():
    b = detect.read(_only(FIX / "POK_017220_3hal.xlsx"))
    assert [str(p) for p in b.problems] == []
    pok = b.tables["pok"]
    assert len(pok) == 4
    assert pok["pagu"].sum() == 1_216_887_025
    assert pok["rpd_01"].sum() == 105_001_000
    konsumsi = pok[pok["uraian_item"].str.contains("konsumsi")].iloc[0]
    assert (konsumsi["kode_akun"], konsumsi["no_item"], konsumsi["volume"],
            konsumsi["harga_satuan"], konsumsi["pagu"], konsumsi["rpd_02"]) == (
        "521211", "2", 50, 37_500.5, 1_875_025, 1_875_025)
    # text that looks like a formula is text, never a formula
    assert konsumsi["uraian_item"] == "=SUM(A1) konsumsi <rapat> & snack"
    assert "POK_017220_3hal.xlsx: angka Form Cetak POK dibaca dalam ribuan rupiah (tertulis " \
           "di laporan)." in b.notes


def _only(f: Path) -> Path:
    return f        # detect.read takes one file as well as a folder


def _tanpa_satuan(tmp_path: Path) -> Path:
    import importlib.util
    spec = importlib.util.spec_from_file_location("buat_cetak", FIX / "buat_fixture.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.tanpa_satuan(tmp_path)


def test_without_a_unit_note_the_file_is_refused_naming_satuan(tmp_path):
    b = detect.read(_tanpa_satuan(tmp_path))
    assert [str(p) for p in b.problems] == [
        "POK_017231_tanpa_satuan.xlsx:-: JUMLAH: satuan angka tidak tertulis di laporan (mis. "
        "\"dalam ribuan rupiah\") dan tidak dapat dipastikan dari isinya; setiap salinan asli "
        "SAKTI yang dikenal dalam ribuan rupiah: ulangi dengan --satuan ribuan (atau --satuan "
        "rupiah bila memang rupiah)"]


def test_satuan_ribuan_loads_it_and_says_so(tmp_path):
    f = _tanpa_satuan(tmp_path)
    b = detect.read(f, satuan="ribuan")
    assert [str(p) for p in b.problems] == []
    assert b.tables["pok"]["pagu"].sum() == 610_000_000
    assert b.notes == ["POK_017231_tanpa_satuan.xlsx: angka Form Cetak POK dibaca dalam ribuan "
                       "rupiah (tidak tertulis di laporan; --satuan ribuan)."]
    r = detect.read(f, satuan="rupiah")
    assert r.tables["pok"]["pagu"].sum() == 610_000


def test_harga_in_rupiah_beside_totals_in_ribuan_decides_the_unit():
    b = detect.read(FIX / "POK_017231_harga_rupiah.xlsx")
    assert [str(p) for p in b.problems] == []
    pok = b.tables["pok"]
    assert pok["pagu"].sum() == 610_000_000
    assert sorted(pok["harga_satuan"]) == [2_500_000, 50_000_000]
    assert any("harga satuan dalam rupiah (tidak tertulis; volume × harga satuan = 1.000 × "
               "jumlah pada semua item)" in n for n in b.notes)


def test_blokir_above_the_item_is_refused(tmp_path):
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(str(FIX / "POK_017220_3hal.xlsx")) \
        .get_sheet_by_name("UC_ANG_6.4").to_python()
    rows = [[None if v == "" else v for v in r] for r in rows]
    i = next(i for i, r in enumerate(rows) if r[2] == "Gaji pokok PNS")
    rows[i][38] = 2_000_000.0       # blokir 2.000.000 ribuan on a 1.200.000 ribuan item
    path = xlsx_inline.write(tmp_path / "p.xlsx", [("UC_ANG_6.4", rows, [])])
    assert [str(p) for p in detect.read(path).problems] == [
        f"p.xlsx:{i + 1}: BLOKIR: blokir (2.000.000.000) di luar 0 s.d. jumlah item "
        "(1.200.000.000)"]


def test_cli_periksa_names_satuan_and_ingest_with_it(tmp_path, capsys):
    d = _folder(tmp_path, _tanpa_satuan(tmp_path))
    store = tmp_path / "s.duckdb"
    assert main(["periksa", str(d), "--store", str(store)]) == 1
    assert "--satuan ribuan" in capsys.readouterr().out
    assert main(["ingest", str(d), "--store", str(store), "--satuan", "ribuan"]) == 0
    out = capsys.readouterr().out
    assert "dibaca dalam ribuan rupiah (tidak tertulis di laporan; --satuan ribuan)" in out


def test_cetak_pok_and_glp039_of_the_same_satker_meet_item_by_item(tmp_path):
    """POK from the printed Form Cetak POK, realisasi from GLP039 (s.d. Maret): the
    subkomponen is `A` in one and `302.0A`-style `001.0A` in the other."""
    d = _folder(tmp_path, FIX / "POK_017220_3hal.xlsx", GLP / "GLP039_017220_maret.xlsx")
    store = Store(tmp_path / "s.duckdb")
    ingest_path(d, store)
    df = reports.realisasi_pok(store, 2022, 3, satker="017220").set_index("path")
    assert df.iloc[0]["level"] == "satker"
    assert (df.iloc[0]["pagu"], df.iloc[0]["realisasi"]) == (1_216_887_025, 206_375_025)
    assert (df.loc["WA", "pagu"], df.loc["WA", "realisasi"]) == (1_216_887_025, 206_375_025)
    item = df.loc["WA.4843.EBA.994.002.A.521211.2"]
    assert (item["pagu"], item["realisasi"], item["sisa"]) == (1_875_025, 1_875_025, 0)
    assert df.loc["WA.4843.EBA.994.001.A.511111.1", "realisasi"] == 200_000_000
    # the RPD is kept beside the realisasi: February's plan and realisasi of the same item
    dev = reports.deviasi_detail(store, 2022, 3, satker="017220")
    feb = dev[(dev["path"] == "WA.4843.EBA.994.002.A.521211.2") & (dev["bulan"] == 2)].iloc[0]
    assert (feb["rencana"], feb["realisasi"]) == (1_875_025, 1_875_025)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=10),
                                   st.floats(allow_nan=False, allow_infinity=False,
                                             min_value=-1e13, max_value=1e13),
                                   st.sampled_from(["KODE", "URAIAN", "JUMLAH", "VOLUME",
                                                    "(1)", "Halaman 2", "-", "524111",
                                                    "4843.EBA", "JUMLAH SELURUHNYA"])),
                         max_size=40), min_size=1, max_size=10),
       st.sampled_from([None, "ribuan", "rupiah"]))
def test_any_lines_give_indonesian_lines_and_leave_the_store(tmp_path, cells, satuan):
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(str(FIX / "POK_017220_3hal.xlsx")) \
        .get_sheet_by_name("UC_ANG_6.4").to_python()
    rows = [[None if v == "" else v for v in r] for r in rows]
    # a folder per example: hypothesis draws the same cells with another satuan too
    import tempfile
    d = Path(tempfile.mkdtemp(dir=tmp_path))
    xlsx_inline.write(d / "p.xlsx", [("UC_ANG_6.4", rows[:12] + cells + rows[12:], [])])
    store = Store(d / "s.duckdb")
    before = store.sql("SELECT count(*) AS n FROM pok").iloc[0, 0]
    try:
        ingest_path(d, store, satuan=satuan)
    except IngestError as e:
        for p in e.problems:
            assert str(p).startswith("p.xlsx") and "Error" not in str(p), str(p)
        assert store.sql("SELECT count(*) AS n FROM pok").iloc[0, 0] == before


def test_blokir_of_the_printed_pok_reaches_pok_and_ikpa_penyerapan(tmp_path):
    """Column AM: 2.000 (ribuan) blocked on 521211 item 1 of 017220; IKPA Penyerapan scores
    on pagu − blokir (PER-5/PB/2022)."""
    d = _folder(tmp_path, FIX / "POK_017220_3hal.xlsx", GLP / "GLP039_017220_maret.xlsx")
    store = Store(tmp_path / "s.duckdb")
    ingest_path(d, store)
    pok = store.sql("SELECT kode_akun, no_item, pagu, blokir FROM pok WHERE kode_satker = "
                    "'017220' ORDER BY kode_akun, no_item")
    assert pok.values.tolist() == [["511111", "1", 1_200_000_000, 0], ["511119", "1", 12_000, 0],
                                   ["521211", "1", 15_000_000, 2_000_000],
                                   ["521211", "2", 1_875_025, 0]]
    r = reports.run("ikpa_rincian", store, tahun=2022, bulan=3, satker="017220")
    q1 = r[(r["indikator"] == "Penyerapan Anggaran") & (r["periode"] == "TW I")]
    base = q1.pivot_table(index="jenis_belanja", columns="besaran", values="nilai")
    assert base.loc["52", ["pagu", "blokir", "pagu_efektif"]].tolist() == [
        16_875_025, 2_000_000, 14_875_025]
