"""Column kinds defined once (present/kolom.py, issue 21 §3): every kind the catalog names
has one definition, the page and the files (Word, PDF, HTML) read a value the same way,
and Excel holds the number itself with the kind's format, or the text."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from spektra_lib.export.common import Column, Grid, Meta, Row, display_text
from spektra_lib.export.excel import write_xlsx
from spektra_lib.present import tables
from spektra_lib.present.kolom import ANGKA, JENIS
from spektra_lib.reports import catalog

# (kind, value, what a user reads)
READ = [("rupiah", 1234567, "1.234.567"), ("rupiah", -2500.4, "-2.500"),
        ("persen", 38.7813, "38,78 %"), ("angka", 1234.5, "1.234,5"), ("bulat", 3.0, "3"),
        ("tanggal", date(2022, 5, 31), "31/05/2022"),
        ("tanggal", pd.Timestamp("2022-12-01"), "01/12/2022"), ("teks", "SPM-01", "SPM-01"),
        ("bulan", 5, "Mei"), ("jenis_belanja", "52", "52 Barang"),
        ("jenis_belanja", "", "Seluruh belanja"), ("ya_tidak", 1, "Ya"), ("ya_tidak", 0, "Tidak"),
        ("unit", "0102", "0102")]


def test_every_catalog_kind_has_one_definition():
    assert set(JENIS) == set(catalog.KINDS)
    assert ANGKA == {"rupiah", "persen", "angka", "bulat"}
    used = {k.jenis for e in catalog.LAPORAN.values() for k in e.kolom}
    assert used <= set(JENIS)


@pytest.mark.parametrize("kind,value,text", READ)
def test_the_page_and_the_files_read_a_value_alike(kind, value, text):
    assert tables._formatter(kind, None)(value) == text
    assert display_text(value, kind) == text
    for missing in (None, float("nan"), pd.NaT):
        assert tables._formatter(kind, None)(missing) == display_text(missing, kind) == ""


def test_the_page_names_a_unit_where_it_knows_the_names():
    assert tables._formatter("unit", {"0102": "Biro Umum"})("0102") == "Biro Umum"


def test_excel_holds_numbers_with_the_kinds_format_and_text_otherwise(tmp_path):
    kinds = ["rupiah", "persen", "angka", "bulat", "tanggal", "bulan", "jenis_belanja",
             "ya_tidak", "teks"]
    values = [1234567.0, 38.7813, 1234.5, 3, date(2022, 5, 31), 5, "52", 1, "=SUM(A1)"]
    grid = Grid("Laporan", [Column(k, k, k) for k in kinds], [Row(values, kinds)])
    path = write_xlsx([grid], tmp_path / "x.xlsx", Meta("Uji"))
    ws = load_workbook(path).active
    row = next(r for r in ws.iter_rows() if r[0].value == 1234567)
    got = {k: (c.value, c.number_format, c.data_type) for k, c in zip(kinds, row)}
    assert got["rupiah"][:2] == (1234567, "#,##0")
    assert got["persen"][:2] == (38.7813, '0.00" %"')
    assert got["angka"][:2] == (1234.5, "#,##0.##")
    assert got["bulat"][:2] == (3, "0")
    assert got["tanggal"][0].date() == date(2022, 5, 31) and got["tanggal"][1] == "dd/mm/yyyy"
    assert got["bulan"] == ("Mei", "General", "s")
    assert got["jenis_belanja"] == ("52 Barang", "General", "s")
    assert got["ya_tidak"] == ("Ya", "General", "s")
    assert got["teks"] == ("=SUM(A1)", "General", "s")     # data text is never a formula


def test_files_right_align_every_value_that_is_not_free_text():
    right = {k for k, j in JENIS.items() if j.kanan_di_berkas}
    assert right == ANGKA | {"tanggal"}


def test_no_layer_formats_a_kind_of_its_own():
    """The page and the files ask present/kolom.py how a kind reads: a module of present/
    or export/ comparing a column kind with a number or date kind's name (`if kind ==
    "rupiah"`) is a second definition of it."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "spektra_lib"
    pattern = re.compile(r'\b(kind|jenis)\s*(==|!=)\s*"(rupiah|persen|angka|bulat|int|tanggal)"')
    found = [f"{p.relative_to(root)}:{i}" for folder in ("present", "export")
             for p in (root / folder).rglob("*.py") if p.name != "kolom.py"
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []


def test_the_tidy_csv_writes_rupiah_as_whole_numbers():
    s = JENIS["rupiah"].csv(pd.Series([17_700_188_000.0, 1875.5, None]))
    assert s.tolist() == ["17700188000", "1875.50", ""]
    assert JENIS["persen"].csv is None        # as pandas writes it
