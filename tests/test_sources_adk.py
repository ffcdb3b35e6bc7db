"""ADK DIPA files: the DIPA application's FoxPro tables (`*.KEU`, DBF inside) with the real
d_item columns (DOMAIN §6), the header-line rule checked against JUMLAH, NOREV kept, and
layouts as data (a renamed column is a YAML change). Fixture: tests/data/layouts/adk-keu/
(written by tests/make_adk_keu_fixture.py, whose docstring lists every record)."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import make_adk_keu_fixture as fx
from spektra_lib.sources import adk, detect, layout, refs
from spektra_lib.synth.write import write
from spektra_lib.sources.files import read_dbf
from spektra_lib.sources.parse import RawTable

KEU = Path(__file__).parent / "data" / "layouts" / "adk-keu"
PAGU = 1_200_000_000 + 15_000_000 + 10_000_000


def _folder(tmp_path: Path, items=None, without=("T_SATKER.KEU",)) -> Path:
    """The fixture (T_SATKER left out: detect.py does not use it yet, see refs.satker_rows),
    with D_ITEM.KEU rewritten from `items` when given."""
    d = tmp_path / "adk"
    shutil.copytree(KEU, d, ignore=shutil.ignore_patterns(*without))
    if items is not None:
        (d / "D_ITEM.KEU").write_bytes(
            fx.vfp_dbf(fx.D_ITEM, [[r[n] for n, *_ in fx.D_ITEM] for r in items]))
    return d


def _item(i: int, **change) -> list[dict]:
    items = [dict(r) for r in fx.ITEMS]
    items[i - 1].update(change)
    return items


def test_committed_keu_files_are_the_generator_s():
    assert (KEU / "D_ITEM.KEU").read_bytes() == fx.vfp_dbf(
        fx.D_ITEM, [[r[n] for n, *_ in fx.D_ITEM] for r in fx.ITEMS])


def test_keu_folder_reads_every_priced_line_with_names(tmp_path):
    b = detect.read(_folder(tmp_path))
    assert [str(p) for p in b.problems] == []
    assert b.layout == "adk" and sorted(b.tables) == ["pok"]
    pok = b.tables["pok"].sort_values("_row")
    # records 2, 4, 5, 7: the three header records (1, 3, 6) are left out
    assert pok["_row"].tolist() == [2, 4, 5, 7]
    assert pok["kode_satker"].tolist() == ["017220", "017220", "017220", "017231"]
    assert pok["kode_komponen"].tolist() == ["001", "ZZ1", "ZZ1", "051"]
    assert pok["no_item"].tolist() == ["1", "1", "2", "1"]
    assert pok["pagu"].tolist() == [1_200_000_000, 15_000_000, 0, 10_000_000]
    assert pok["volume"].tolist() == [12, 3, 0, 4]
    assert pok["revisi"].tolist() == [2, 2, 2, 1]
    assert pok.groupby("kode_satker")["pagu"].sum().to_dict() == {
        "017220": 1_215_000_000, "017231": 10_000_000}
    # pagu = sum of JUMLAH over every record of the file: header records carry none
    raw = read_dbf(KEU / "D_ITEM.KEU", "D_ITEM.KEU")
    assert pd.to_numeric(raw.df["JUMLAH"]).sum() == pok["pagu"].sum() == PAGU
    assert pok["rpd_01"].sum() == 105_000_000 and pok["rpd_03"].sum() == 107_500_000
    got = pok.iloc[1]
    assert (got["nama_program"], got["nama_kegiatan"], got["nama_kro"], got["nama_ro"],
            got["nama_komponen"], got["nama_subkomponen"], got["nama_akun"]) == (
        "Program Dukungan Manajemen", "Pengelolaan Keuangan, BMN, dan Umum",
        "Layanan Dukungan Manajemen Internal", "Layanan Perkantoran", "Rapat Koordinasi",
        "Rapat", "Belanja Bahan")
    assert {r["berkas"]: r["layout"] for r in b.recognised}["D_ITEM.KEU"] == "adk_d_item"


def test_keu_dbf_and_xml_spellings_are_one_layout(tmp_path):
    d = _folder(tmp_path)
    (d / "D_ITEM.KEU").rename(d / "d_item.dbf")
    pok = detect.read(d).tables["pok"]
    assert pok["pagu"].sum() == PAGU and len(pok) == 4


def test_t_satker_names_only_undeclared_satker():
    t = refs.read(read_dbf(KEU / "T_SATKER.KEU", "T_SATKER.KEU"), [], refs.SATKER)
    assert refs.signature(set(t.columns)) == refs.SATKER
    pok = pd.DataFrame({"kode_satker": ["017220", "017231", "999999"]})
    rows = refs.satker_rows(t, pok, known={"017220"})
    # 017231: name from T_SATKER, kelompok from organisasi.yaml; 999999 not in T_SATKER
    assert rows[["kode_satker", "nama_satker", "kelompok"]].values.tolist() == [
        ["017231", "KANTOR REGIONAL I BKN YOGYAKARTA", "KANREG"]]
    assert refs.satker_rows(t, pok, known={"017220", "017231"}).empty


def test_whole_keu_folder_names_its_satker_from_t_satker():
    b = detect.read(KEU)
    assert b.problems == [] and b.tables["pok"]["pagu"].sum() == PAGU
    assert "adk_t_satker" in {r["layout"] for r in b.recognised}


@pytest.mark.parametrize("mark, shown", [
    ({"HEADER1": "01"}, "HEADER1=01"),
    ({"KDHEADER": "1"}, "KDHEADER=1"),
    ({"HEADER2": "02", "KDHEADER": "1"}, "HEADER2=02, KDHEADER=1"),
])
def test_priced_line_marked_as_header_is_kept_and_named(tmp_path, mark, shown):
    b = detect.read(_folder(tmp_path, _item(2, **mark)))
    col = next(iter(mark)) if "HEADER1" in mark else ("HEADER2" if "HEADER2" in mark
                                                     else "KDHEADER")
    assert [str(p) for p in b.problems] == [
        f"D_ITEM.KEU:2: {col}: baris bertanda judul ({shown}) tetapi berharga (JUMLAH "
        "1200000000, HARGASAT 100000000): aturan baris judul ADK tidak pasti, jadi baris ini "
        "tidak dibuang dan tidak ditebak; periksa penanda HEADER1/HEADER2/KDHEADER baris ini "
        "di aplikasi DIPA"]
    assert b.tables["pok"]["pagu"].sum() == PAGU          # never dropped


def test_header_without_price_goes_whatever_marks_it(tmp_path):
    # record 3 (HEADER1=01) also flagged by KDHEADER; record 1 only by HEADER2
    items = _item(3, KDHEADER="1")
    items[0].update(KDHEADER="0", HEADER2="05")
    pok = detect.read(_folder(tmp_path, items)).tables["pok"]
    assert sorted(pok["_row"]) == [2, 4, 5, 7]


def test_many_disagreements_listed_then_counted():
    items = [dict(fx.ITEMS[1], NOITEM=i, HEADER1="01") for i in range(1, 56)]
    text = pd.DataFrame([{n: str(r[n]) for n, *_ in fx.D_ITEM} for r in items])
    problems: list = []
    pok = adk.read_d_item(RawTable("d.KEU", Path("d.KEU"), text, np.arange(1, 56), []),
                          problems)
    assert len(pok) == 55 and len(problems) == adk.MAX_LISTED + 1
    assert str(problems[-1]) == "d.KEU:51: -: dan 5 baris lain bertanda judul tetapi berharga"


def test_missing_column_is_a_problem_not_a_traceback(tmp_path):
    fields = [f for f in fx.D_ITEM if f[0] != "KDGIAT"]
    d = _folder(tmp_path)
    (d / "D_ITEM.KEU").write_bytes(fx.vfp_dbf(fields, [[r[n] for n, *_ in fields]
                                                       for r in fx.ITEMS]))
    probs = [str(p) for p in detect.read(d).problems]
    assert "D_ITEM.KEU:1: KDGIAT: kolom wajib tidak ada di d_item" in probs


def test_revisi_round_trips_through_the_writer(tmp_path):
    pok = detect.read(_folder(tmp_path)).tables["pok"]
    for fmt in ("adk", "adk-dbf"):
        out = tmp_path / "tulis" / fmt
        write({"pok": pok}, out, fmt)
        back = detect.read(out).tables["pok"].sort_values(["kode_satker", "kode_akun",
                                                           "no_item"])
        assert back["revisi"].tolist() == [2, 2, 2, 1] and back["pagu"].sum() == PAGU


# -- layouts as data ---------------------------------------------------------------
def test_layout_files_describe_the_readers():
    d_item = layout.load("adk_d_item")
    assert d_item.table == "pok" and d_item.reader == "adk:read_d_item"
    assert layout.recognise({c for c, *_ in fx.D_ITEM}).name == "adk_d_item"
    om = layout.load("omspan_realisasi")
    assert om.matches(["kdsatker", "akun", "tanggal", "amount"])
    assert om.resolve(["Kode Akun", "AMOUNT"]) == {"kode_akun": ("Kode Akun", "text"),
                                                   "nilai": ("AMOUNT", "amount")}
    for name in refs.NAMES + [refs.SATKER]:
        assert layout.load("adk_" + name).system == "adk"


@pytest.fixture
def layouts_copy(tmp_path, monkeypatch):
    """The layout folder copied, so that a test may edit a YAML file."""
    folder = tmp_path / "layouts"
    shutil.copytree(layout.FOLDER, folder)
    monkeypatch.setattr(layout, "FOLDER", folder)
    layout.all_layouts.cache_clear()
    yield folder
    layout.all_layouts.cache_clear()


def test_renamed_column_is_a_yaml_change(tmp_path, layouts_copy):
    fields = [("KDSUBKMP" if f[0] == "KDSKMPNEN" else f[0], *f[1:]) for f in fx.D_ITEM]
    rows = [[r["KDSKMPNEN" if n == "KDSUBKMP" else n] for n, *_ in fields] for r in fx.ITEMS]
    d = _folder(tmp_path)
    (d / "D_ITEM.KEU").write_bytes(fx.vfp_dbf(fields, rows))
    assert "D_ITEM.KEU:1: KDSKMPNEN: kolom wajib tidak ada di d_item" in [
        str(p) for p in detect.read(d).problems]
    y = layouts_copy / "adk_d_item.yaml"
    y.write_text(y.read_text(encoding="utf-8").replace(
        "kode_subkomponen: {from: [KDSKMPNEN]}", "kode_subkomponen: {from: [KDSKMPNEN, KDSUBKMP]}"),
        encoding="utf-8")
    layout.all_layouts.cache_clear()
    b = detect.read(d)
    assert b.problems == [] and b.tables["pok"]["kode_subkomponen"].tolist() == ["A"] * 4


def test_an_agencys_layout_variant_in_its_own_folder(tmp_path, monkeypatch):
    """SPEKTRA_LAYOUT: the agency's variant of an export (a renamed column) in its own
    folder replaces the package's layout of that name; the package is not edited."""
    fields = [("KDSUBKMP" if f[0] == "KDSKMPNEN" else f[0], *f[1:]) for f in fx.D_ITEM]
    rows = [[r["KDSKMPNEN" if n == "KDSUBKMP" else n] for n, *_ in fields] for r in fx.ITEMS]
    d = _folder(tmp_path)
    (d / "D_ITEM.KEU").write_bytes(fx.vfp_dbf(fields, rows))
    package = (layout.FOLDER / "adk_d_item.yaml").read_bytes()
    agency = tmp_path / "layout_instansi"
    agency.mkdir()
    (agency / "adk_d_item.yaml").write_text(package.decode("utf-8").replace(
        "kode_subkomponen: {from: [KDSKMPNEN]}", "kode_subkomponen: {from: [KDSKMPNEN, KDSUBKMP]}"),
        encoding="utf-8")
    assert "D_ITEM.KEU:1: KDSKMPNEN: kolom wajib tidak ada di d_item" in [
        str(p) for p in detect.read(d).problems]
    monkeypatch.setenv("SPEKTRA_LAYOUT", str(agency))
    b = detect.read(d)
    assert b.problems == [] and b.tables["pok"]["kode_subkomponen"].tolist() == ["A"] * 4
    assert (layout.FOLDER / "adk_d_item.yaml").read_bytes() == package
    assert len([lay for lay in layout.all_layouts() if lay.name == "adk_d_item"]) == 1
    monkeypatch.setenv("SPEKTRA_LAYOUT", str(tmp_path / "tidak_ada"))
    with pytest.raises(ValueError, match="SPEKTRA_LAYOUT .*folder tidak ada"):
        layout.all_layouts()


def test_omspan_alias_columns_load(tmp_path):
    d = tmp_path / "om"
    d.mkdir()
    (d / "r.csv").write_text(
        "KDSATKER,KODE_AKUN,KODE_PROGRAM,KEGIATAN,OUTPUT,TANGGAL,AMOUNT,CATATAN\n"
        "017220,521211,WA,4843,EBA.994,10/01/2022,\"4.800.000,00\",kolom tambahan\n",
        encoding="utf-8")
    b = detect.read(d)
    assert b.problems == []
    ra = b.tables["realisasi_akun"]
    assert ra[["kode_akun", "kode_program", "kode_ro"]].values.tolist() == [
        ["521211", "WA", "994"]] and ra["nilai"].tolist() == [4_800_000]
