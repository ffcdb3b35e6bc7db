"""`spektra synth --riwayat N` (issue 25): past years with a seasonal pattern per satker
and jenis belanja, ingested before the demo year, whose budget does not change and whose
52 / 53 spending follows the same patterns, a few satker deliberately behind."""
from __future__ import annotations

from pathlib import Path

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


def test_demo_year_budget_is_the_plain_synth_s_its_spending_follows_the_pattern(demo, tmp_path):
    plain = tmp_path / "plain"
    generate(plain, n_satker=4, seed=3)
    mine, theirs = _files(demo / "2022"), _files(plain)
    # the same budget and agency; the spending (and what is made of it) differs
    for name in ("pok.csv", "satker.csv", "unit_kerja.csv", "ro_target.csv"):
        assert mine[Path(name)] == theirs[Path(name)], name
    assert mine[Path("realisasi.csv")] != theirs[Path("realisasi.csv")]
    assert sorted(p.name for p in demo.iterdir()) == ["2022", "riwayat-2019", "riwayat-2020",
                                                     "riwayat-2021"]


@pytest.fixture(scope="module")
def demo_like(tmp_path_factory):
    """`make demo`'s agency (16 satker, seed 0) with three past years, ingested."""
    out = tmp_path_factory.mktemp("demo16") / "demo"
    assert main(["synth", str(out), "--riwayat", "3"]) == 0
    path = out.parent / "s.duckdb"
    with Store(path) as s:
        for d in ("riwayat-2019", "riwayat-2020", "riwayat-2021", "2022"):
            ingest_path(out / d, s)
    return path


def test_demo_year_shows_every_status_berisiko_a_minority(demo_like):
    from spektra_lib import reports
    with Store(demo_like, read_only=True) as s:
        df = reports.proyeksi_penyerapan(s, 2022, 5)
        rank52 = reports.ranking_proyeksi(s, 2022, 5, jenis_belanja="52")
        real = s.sql("SELECT kode_satker, sum(CAST(nilai AS DOUBLE)) AS nilai FROM realisasi "
                     "WHERE tahun = 2022 AND left(kode_akun, 2) = '52' AND month(tanggal) <= 5 "
                     "GROUP BY ALL").set_index("kode_satker")["nilai"]
    counts = df["status"].value_counts()
    assert {"aman", "waspada", "berisiko"} <= set(counts.index), counts.to_dict()
    assert counts["berisiko"] < len(df) / 2, counts.to_dict()
    # the deliberately behind satker: their 52 is below its pattern, among the furthest
    # below target (the ranking is by gap, and some satker usually end 52 lower)
    behind = tahun_berjalan_behind(16, 0)
    assert len(behind) == 2
    rows = df[df["kode_satker"].isin(behind) & (df["jenis_belanja"] == "52")]
    assert (rows["status"] == "berisiko").all()
    assert rows["penjelasan"].str.contains("di bawah pola 3 tahun").all()
    assert (rank52.set_index("kode").loc[behind, "peringkat"] <= 4).all()   # of 16
    others = real.drop(behind)
    assert real[behind].max() < others.median() / 2


def tahun_berjalan_behind(n: int, seed: int) -> list[str]:
    """The satker codes tahun_berjalan puts behind (its returned indexes)."""
    from spektra_lib.synth import budget, build_tables  # noqa: F401
    from spektra_lib.synth.riwayat import tahun_berjalan
    sat = budget.satker_frame(None, np.random.default_rng(seed))
    pok = budget.build_pok(sat, 2022, np.random.default_rng(seed), 130)
    _, idx = tahun_berjalan(pok, np.zeros((len(pok), 12)), n, 2022, seed)
    return sat["kode_satker"].to_numpy()[idx].tolist()


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
