"""The `spektra` command as other programs call it (CONTRACT.md §3)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spektra_lib.cli import main

SEED = Path(__file__).parent / "data" / "seed"
BAD = Path(__file__).parent / "data" / "bad"


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "s.duckdb"
    assert main(["ingest", str(SEED), "--store", str(path)]) == 0
    return path


def test_report_csv_is_the_contract_table(store_path, tmp_path, capsys):
    out = tmp_path / "ranking.csv"
    assert main(["report", "ranking_satker", "--tahun", "2022", "--bulan", "5",
                 "--store", str(store_path), "-o", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["peringkat", "kode", "nama", "pagu", "realisasi", "persen_realisasi",
                       "sisa"]
    assert rows[1][0] == "1"
    assert rows[1][2] == "KANTOR REGIONAL IV BADAN KEPEGAWAIAN NEGARA MAKASAR"
    assert float(rows[1][3]) == 18_941_565_000 and float(rows[1][4]) == 7_345_314_825
    assert "ditulis ke" in capsys.readouterr().out


def test_reingest_says_nothing_changed(store_path, capsys):
    assert main(["ingest", str(SEED), "--store", str(store_path)]) == 0
    assert "tidak ada perubahan" in capsys.readouterr().out


def test_refused_ingest_exits_non_zero_with_one_line_per_problem(store_path, capsys):
    before = store_path.read_bytes()
    assert main(["ingest", str(BAD / "pagu_negatif"), "--store", str(store_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Ingest ditolak:") and "store tidak berubah" in err[0]
    assert any(": pagu: " in line for line in err[1:])
    from spektra_lib.store import Store
    with Store(store_path, read_only=True) as s:
        assert s.scalar("SELECT count(*) FROM ingest_log") == 1


def test_refusals_are_clear(store_path, tmp_path, capsys):
    assert main(["report", "ranking_satker", "--tahun", "2022", "--bulan", "13",
                 "-o", "x.csv"]) == 2
    assert "--bulan '13' tidak sah (isi angka 1 sampai 12)" in capsys.readouterr().err
    assert main(["report", "tidak_ada", "--tahun", "2022", "--bulan", "5",
                 "--store", str(store_path), "-o", str(tmp_path / "x.csv")]) == 2
    assert "Laporan 'tidak_ada' tidak dikenal" in capsys.readouterr().err
    assert main(["report", "deviasi_detail", "--tahun", "2022", "--bulan", "5",
                 "--store", str(tmp_path / "kosong.duckdb"), "-o", str(tmp_path / "x.csv")]) == 2
    assert "spektra ingest" in capsys.readouterr().err
