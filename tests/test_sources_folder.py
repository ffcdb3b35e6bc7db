"""Folders as users have them (issue 24): a file no reader supports costs one line — what it
looks like, that it is skipped, the nearest supported report — and the files that are fine
still load; `--ketat` makes it a refusal; `periksa` never lists it as recognised."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spektra_lib.cli import main
from spektra_lib.ingest import check_path, ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.store import Store
from spektra_lib.synth import xlsx_inline

BASE = Path(__file__).parent / "data" / "layouts" / "kanonik"

MYINTRESS_LINE = ("MyINTRESS_017220.xlsx[Data]:1: -: berkas tidak didukung, dilewati: tampak seperti "
            "DETAIL PENGELUARAN DAN POTONGAN SPP/SPM/SP2D (bukan tabel kanonik, laporan SAKTI, "
            "ADK, atau OM-SPAN yang dikenal); laporan yang didukung paling mirip: SAKTI — "
            "Daftar SP2D (Excel)")
PDF_LINE = ("panduan.pdf:-: -: berkas tidak didukung, dilewati: PDF tidak dibaca: unduh "
            "laporan yang sama sebagai Excel (.xlsx)")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "unduhan"
    d.mkdir()
    for f in ("satker.csv", "unit_kerja.csv", "pok.csv", "realisasi.csv"):
        shutil.copy(BASE / f, d / f)
    # a MyINTRESS workbook (not read yet): title rows, the header on row 5, 22 columns
    rows = [["DETAIL PENGELUARAN DAN POTONGAN SPP/SPM/SP2D"], ["SATKER 017220"], [], [],
            ["NO", "NOMOR SPP", "TANGGAL SPP", "COA 16 SEGMEN", "NILAI"]]
    rows += [[f"{i}", f"0000{i}T", "03-01-2022", "017220.088.01.WA.4843"] + [f"{i}.000"] * 18
             for i in range(1, 6)]
    xlsx_inline.write(d / "MyINTRESS_017220.xlsx", [("Data", rows, [])])
    (d / "panduan.pdf").write_bytes(b"%PDF-1.4\n")
    return d


def test_an_unsupported_file_is_one_line_and_the_rest_loads(folder, tmp_path):
    batch = check_path(folder)
    assert batch.problems == []
    assert [str(w) for w in batch.warnings] == [PDF_LINE, MYINTRESS_LINE]
    store = Store(tmp_path / "s.duckdb")
    s = ingest_path(folder, store)
    assert s.rows["pok"] == 6 and s.rows["realisasi"] == 7


def test_ketat_refuses_it_and_leaves_the_store(folder, tmp_path):
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(IngestError) as e:
        ingest_path(folder, store, ketat=True)
    assert sorted(str(p) for p in e.value.problems) == [MYINTRESS_LINE, PDF_LINE]
    assert store.sql("SELECT count(*) AS n FROM pok").iloc[0, 0] == 0


def test_periksa_lists_it_as_skipped_never_as_recognised(folder, tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    assert main(["periksa", str(folder), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    dikenali = out.split("Berkas dikenali:")[1].split("Baris per tabel")[0]
    assert "MyINTRESS" not in dikenali and "panduan" not in dikenali
    assert f"Peringatan: {MYINTRESS_LINE}" in out and f"Peringatan: {PDF_LINE}" in out
    assert main(["periksa", str(folder), "--store", str(store), "--ketat"]) == 1
    assert "ingest --ketat akan DITOLAK (2 peringatan)" in capsys.readouterr().out


def test_a_folder_of_only_unsupported_files_recognises_nothing(tmp_path, capsys):
    d = tmp_path / "x"
    d.mkdir()
    (d / "catatan.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["periksa", str(d), "--store", str(tmp_path / "s.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "Berkas dikenali:\n  tidak ada berkas yang dikenali" in out
