"""`spektra synth --riwayat N` (issue 25): past years with a seasonal pattern per satker
and jenis belanja, ingested before the demo year, whose own files do not change."""
from __future__ import annotations

import numpy as np
import pytest

from spektra_lib.cli import main
from spektra_lib.ingest import ingest_path
from spektra_lib.store import Store
from spektra_lib.synth import generate
from spektra_lib.synth.riwayat import pola


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("riwayat") / "demo"
    assert main(["synth", str(out), "--satker", "4", "--seed", "3", "--riwayat", "3"]) == 0
    return out


def _files(d):
    return {p.relative_to(d): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_demo_year_files_are_the_plain_synth_s(demo, tmp_path):
    plain = tmp_path / "plain"
    generate(plain, n_satker=4, seed=3)
    # the command adds an official IKPA beside the demo year (issue 22); the rest is equal
    assert {k: v for k, v in _files(demo / "2022").items()
            if str(k) != "ikpa_resmi.csv"} == _files(plain)
    assert sorted(p.name for p in demo.iterdir()) == ["2022", "riwayat-2019", "riwayat-2020",
                                                     "riwayat-2021"]


def test_history_ingests_and_shows_the_planted_shapes(demo, tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        for y in (2019, 2020, 2021):
            ingest_path(demo / f"riwayat-{y}", s)
        ingest_path(demo / "2022", s)
        assert s.sql("SELECT DISTINCT tahun FROM pok ORDER BY 1")["tahun"].tolist() == \
            [2019, 2020, 2021, 2022]
        m = s.sql("SELECT r.tahun, left(r.kode_akun, 2) AS jb, month(r.tanggal) AS bulan, "
                  "sum(CAST(r.nilai AS DOUBLE)) AS nilai FROM realisasi r WHERE r.tahun < 2022 "
                  "GROUP BY ALL")
        pagu = s.sql("SELECT tahun, left(kode_akun, 2) AS jb, sum(CAST(pagu AS DOUBLE)) AS "
                     "pagu FROM pok WHERE tahun < 2022 GROUP BY ALL").set_index(["tahun", "jb"])
    tab = m.pivot_table(index=["tahun", "jb"], columns="bulan", values="nilai",
                        aggfunc="sum", fill_value=0.0)
    share = tab.cumsum(axis=1).div(tab.sum(axis=1), axis=0)
    # 51 flat (payroll): about half the year by June; 52 back-loaded; 53: most in Q4
    assert share.xs("51", level="jb")[6].between(0.45, 0.6).all()
    assert (share.xs("52", level="jb")[6] < 0.47).all()
    assert ((1 - share.xs("53", level="jb")[9]) > 0.35).all()
    akhir = tab.sum(axis=1) / pagu["pagu"].reindex(tab.index) * 100
    assert akhir.xs("51", level="jb").between(93, 100).all()
    assert akhir.xs("53", level="jb").between(60, 99).all()


def test_planted_pattern_differs_between_satker_and_is_cumulative():
    p = pola(5, seed=1)
    c52 = p["52"][[f"c{m}" for m in range(1, 13)]].to_numpy()
    assert np.allclose(c52[:, -1], 1.0) and (np.diff(c52, axis=1) >= 0).all()
    assert c52[:, 5].std() > 0.02                  # satkers differ in their own curve


def test_riwayat_refuses_a_layout_without_year_folders(tmp_path, capsys):
    assert main(["synth", str(tmp_path / "x"), "--riwayat", "2", "--format", "sakti"]) == 2
    assert "--riwayat hanya untuk format" in capsys.readouterr().err
