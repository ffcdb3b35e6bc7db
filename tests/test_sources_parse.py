"""Parsing cells and files: amounts, dates, codes, separators, BOM, formula cells."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spektra_lib import schema
from spektra_lib.sources import detect
from spektra_lib.synth.write import write
from spektra_lib.sources.parse import format_column, parse_date, parse_int, parse_number

DATA = Path(__file__).parent / "data"


def test_amounts_plain_and_indonesian():
    s = pd.Series(["1234567", "1234567.00", "1.234.567,00", "-1.234.567,50", "1.500", "", "abc",
                   "12,5", "1,234.00"])
    values, bad = parse_number(s, schema.AMOUNT)
    assert values[:5].tolist() == [1234567, 1234567, 1234567, -1234567.5, 1500]
    assert np.isnan(values[5]) and not bad[5]          # empty is missing, not an error
    assert bad.tolist() == [False] * 6 + [True, False, True]
    assert values[7] == 12.5


def test_volume_keeps_dot_decimals():
    values, bad = parse_number(pd.Series(["1.5", "2,25", "1.000,5"]), schema.NUMBER)
    assert values.tolist() == [1.5, 2.25, 1000.5] and not bad.any()


def test_dates_iso_and_dmy():
    values, bad = parse_date(pd.Series(["2022-01-25", "25/01/2022", "5/1/2022", "2022-02-30",
                                        "31/02/2022", "kemarin", ""]))
    assert [d.date().isoformat() if not pd.isna(d) else None for d in values] == [
        "2022-01-25", "2022-01-25", "2022-01-05", None, None, None, None]
    assert bad.tolist() == [False, False, False, True, True, True, False]


def test_ints():
    values, bad = parse_int(pd.Series(["2022", "07", "2022.0", "1.5", "x"]))
    assert values[:3].tolist() == [2022, 7, 2022]
    assert bad.tolist() == [False, False, False, True, True]


def test_indonesian_amount_written_and_read_back():
    s = pd.Series([1234567.0, -300000.0, 37500.5, None])
    text = format_column(s, schema.AMOUNT, indonesian=True)
    assert text.tolist() == ["1.234.567,00", "-300.000,00", "37.500,50", ""]
    back, bad = parse_number(text, schema.AMOUNT)
    assert back[:3].tolist() == [1234567.0, -300000.0, 37500.5] and not bad.any()


def test_codes_keep_leading_zeros():
    pok = detect.read(DATA / "layouts" / "kanonik").tables["pok"]
    assert pok["kode_satker"].iloc[0] == "017220"
    assert pok["kode_komponen"].iloc[0] == "001"
    assert pok["kode_unit"].iloc[0] == "0102"


def test_bom_semicolon_and_indonesian_amounts_load_like_the_plain_file():
    odd = detect.read(DATA / "bad" / "bom_titik_koma")
    plain = detect.read(DATA / "layouts" / "kanonik")
    assert odd.problems == []
    for name in ("pok", "realisasi"):
        pd.testing.assert_frame_equal(odd.tables[name].drop(columns=["_file", "_row"]),
                                      plain.tables[name].drop(columns=["_file", "_row"]))
    assert odd.tables["realisasi"]["nilai"].tolist()[3] == -300000.0


def test_all_problems_of_a_file_at_once():
    batch = detect.read(DATA / "bad" / "angka_tidak_sah")
    assert [str(p) for p in batch.problems] == [
        "pok.csv:4: pagu: bukan angka yang sah: 'abc'",
        "pok.csv:6: volume: bukan angka yang sah: '12 OB'"]


def test_formula_cell_refused_and_text_never_a_formula(tmp_path):
    batch = detect.read(DATA / "bad" / "rumus_xlsx")
    assert [str(p) for p in batch.problems] == [
        "pok.xlsx[pok]:4: pagu: sel W4 berisi rumus '=T4*V4': rumus tidak diterima "
        "sebagai data, simpan nilainya saja"]
    # Writing a workbook: an uraian starting with '=' stays text (opened, it is no formula).
    plain = detect.read(DATA / "layouts" / "kanonik")
    write(plain.tables, tmp_path, "kanonik-xlsx")
    import openpyxl
    ws = openpyxl.load_workbook(tmp_path / "spektra.xlsx")["pok"]
    cells = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("=")]
    assert [(c.value, c.data_type) for c in cells] == [("=SUM(A1) konsumsi <rapat> & snack", "s")]
    assert detect.read(tmp_path).problems == []


def test_not_utf8_is_a_problem(tmp_path):
    (tmp_path / "satker.csv").write_bytes("kode_satker,nama_satker,kelompok\n017220,KANTOR \xd1,PUSAT\n"
                                          .encode("latin-1"))
    msgs = [str(p) for p in detect.read(tmp_path).problems]
    assert len(msgs) == 1 and msgs[0].startswith("satker.csv:-: -: berkas bukan teks UTF-8")


@pytest.mark.parametrize("name", ["kolom_tidak_dikenal", "kolom_wajib_hilang"])
def test_header_problems_are_on_line_1(name):
    problems = detect.read(DATA / "bad" / name).problems
    assert problems and all(p.row == 1 for p in problems)


# -- XML (streamed: a national d_item.xml has a million records) -----------------------
ODD_XML = """<?xml version="1.0" encoding="UTF-8"?>
<VFPData>
\t<c_item><thang>2022</thang><kdakun> 521211 </kdakun></c_item>
\t<c_item>hanya teks</c_item>
\t<c_item><kdakun>017220</kdakun><NMITEM>&lt;rapat&gt; &amp; snack</NMITEM></c_item>
\t<c_item><nmitem>a</nmitem><NMITEM>b</NMITEM><thang>2023</thang></c_item>
</VFPData>
"""


@pytest.mark.parametrize("block", [1, 2, 50_000])
def test_xml_records_become_text_columns(tmp_path, monkeypatch, block):
    from spektra_lib.sources import files
    monkeypatch.setattr(files, "XML_BLOCK", block)   # flushes to Arrow between records
    (tmp_path / "d.xml").write_text(ODD_XML, encoding="utf-8")
    raw = files.read_xml(tmp_path / "d.xml", "d.xml")
    assert raw.problems == [] and raw.rows.tolist() == [1, 2, 3, 4]
    assert list(raw.df.columns) == ["THANG", "KDAKUN", "NMITEM"]   # order first seen
    assert raw.df.astype(object).values.tolist() == [
        ["2022", "521211", ""], ["", "", ""], ["", "017220", "<rapat> & snack"],
        ["2023", "", "b"]]


def test_xml_entity_bomb_and_broken_file_are_problems(tmp_path):
    from spektra_lib.sources.files import read_xml
    (tmp_path / "bom.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
        "<VFPData><c_item><kdakun>&b;</kdakun></c_item></VFPData>\n", encoding="utf-8")
    (tmp_path / "rusak.xml").write_text("<VFPData><c_item><thang>2022</thang></c_item><c_it",
                                        encoding="utf-8")
    for name in ("bom.xml", "rusak.xml"):
        raw = read_xml(tmp_path / name, name)
        assert raw.df.empty and len(raw.problems) == 1
        assert str(raw.problems[0]).startswith(f"{name}:-: -: XML tidak dapat dibaca")


def test_a_number_cell_with_three_decimals_is_not_read_as_thousands(tmp_path):
    import openpyxl

    from spektra_lib.sources import detect
    base = detect.read(DATA / "layouts" / "kanonik").tables["realisasi"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "realisasi"
    cols = [c for c in base.columns if not c.startswith("_")]
    ws.append(cols)
    row = base.iloc[0]
    ws.append([2.125 if c == "nilai" else (row[c].date() if c == "tanggal" else
               (int(row[c]) if c == "tahun" else row[c])) for c in cols])
    wb.save(tmp_path / "r.xlsx")
    got = detect.read(tmp_path / "r.xlsx")
    assert got.tables["realisasi"]["nilai"].tolist() == [2.125]
