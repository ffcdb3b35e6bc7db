"""A monthly update never loses data (issue 27 §1): a realisasi export replaces only the
months it covers, per satker; the change is shown per satker before (periksa) and after
(ingest); a covered month falling by more than 1 % is a warning, refused under --ketat."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.cli import main
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "seed"


def _seed_jan_may() -> pd.DataFrame:
    r = pd.read_csv(SEED / "realisasi.csv", dtype=str, keep_default_na=False)
    return r[r["tanggal"] < "2022-06-01"]


def _month_totals(store: Store) -> dict[tuple[str, int], float]:
    got = store.sql("SELECT kode_satker, month(tanggal) AS m, CAST(sum(nilai) AS DOUBLE) AS v "
                    "FROM realisasi GROUP BY ALL")
    return {(r.kode_satker, int(r.m)): r.v for r in got.itertuples()}


@pytest.fixture
def jan_may(tmp_path):
    """A store with the seed's POK and January–May realisasi of every satker."""
    d = tmp_path / "awal"
    shutil.copytree(SEED, d)
    _seed_jan_may().to_csv(d / "realisasi.csv", index=False)
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        ingest_path(d, s)
    return path


def _june(jan_may_rows: pd.DataFrame) -> pd.DataFrame:
    """June's realisasi: every satker's May lines again, dated June, a tenth higher."""
    may = jan_may_rows[jan_may_rows["tanggal"].str.startswith("2022-05")].copy()
    may["tanggal"] = may["tanggal"].str.replace("2022-05", "2022-06", regex=False)
    may["nilai"] = (may["nilai"].astype(int) * 11 // 10).astype(str)
    may["no_sp2d"] = may["no_sp2d"] + "6"
    return may


def _folder(tmp_path, name, df) -> Path:
    d = tmp_path / name
    d.mkdir()
    df.to_csv(d / "realisasi.csv", index=False)
    return d


def test_june_only_keeps_january_to_may_and_adds_june(jan_may, tmp_path, capsys):
    with Store(jan_may, read_only=True) as s:
        before = _month_totals(s)
    june = _june(_seed_jan_may())
    folder = _folder(tmp_path, "juni", june)

    assert main(["periksa", str(folder), "--store", str(jan_may)]) == 0
    seen = capsys.readouterr().out
    assert main(["ingest", str(folder), "--store", str(jan_may)]) == 0
    out = capsys.readouterr().out

    with Store(jan_may, read_only=True) as s:
        after = _month_totals(s)
    assert {k: v for k, v in after.items() if k[1] <= 5} == before
    june_totals = june.assign(v=june["nilai"].astype(float)).groupby("kode_satker")["v"].sum()
    assert {k[0]: v for k, v in after.items() if k[1] == 6} == june_totals.to_dict()

    # 017220: Jan–May as before, plus June; the line a user reads, before and after
    s0 = sum(v for (k, m), v in before.items() if k == "017220")
    s1 = s0 + june_totals["017220"]
    line = (f"017220 BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA 2022: realisasi bulan Juni diganti, bulan "
            f"lain tetap; s.d. Juni Rp{_rp(s0)} → Rp{_rp(s1)}")
    assert "Perubahan realisasi per satker bila dimuat:" in seen and line in seen
    assert "Perubahan realisasi per satker:" in out and line in out
    assert "Peringatan" not in out


def test_cumulative_january_to_june_replaces_those_months(jan_may, tmp_path, capsys):
    rows = _seed_jan_may()
    # a cumulative export: January–June, with one March SP2D corrected upwards by 1.000
    cum = pd.concat([rows, _june(rows)], ignore_index=True)
    i = cum.index[(cum["kode_satker"] == "017220") & cum["tanggal"].str.startswith("2022-03")][0]
    cum.loc[i, "nilai"] = str(int(cum.loc[i, "nilai"]) + 1000)
    with Store(jan_may, read_only=True) as s:
        before = _month_totals(s)
    assert main(["ingest", str(_folder(tmp_path, "kumulatif", cum)), "--store",
                 str(jan_may)]) == 0
    out = capsys.readouterr().out
    with Store(jan_may, read_only=True) as s:
        after = _month_totals(s)
        n = s.scalar("SELECT count(*) FROM realisasi")
    assert n == len(cum)            # nothing doubled
    assert after[("017220", 3)] == before[("017220", 3)] + 1000
    assert {k: v for k, v in after.items() if k[1] <= 5 and k != ("017220", 3)} == \
        {k: v for k, v in before.items() if k != ("017220", 3)}
    assert ("017220 BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA 2022: realisasi bulan "
            "Januari–Juni diganti") in out


def test_a_covered_month_falling_is_a_warning_and_refused_when_strict(jan_may, tmp_path,
                                                                      capsys):
    rows = _seed_jan_may()
    # a truncated export: 017220's April–May with half of May's lines missing
    sat = rows[(rows["kode_satker"] == "017220") & (rows["tanggal"] >= "2022-04-01")]
    may = sat[sat["tanggal"].str.startswith("2022-05")]
    cut = pd.concat([sat[sat["tanggal"].str.startswith("2022-04")], may.iloc[: len(may) // 2]])
    folder = _folder(tmp_path, "terpotong", cut)
    with Store(jan_may, read_only=True) as s:
        fp = s.fingerprint()
    assert main(["periksa", str(folder), "--store", str(jan_may), "--ketat"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"Peringatan: realisasi:-: satker 017220: realisasi Mei 2022 turun "
                     r"\d+,\d\d %", out)
    assert "ingest --ketat akan DITOLAK (1 peringatan)" in out
    with Store(jan_may) as s:
        with pytest.raises(IngestError):
            ingest_path(folder, s, ketat=True)
        assert s.fingerprint() == fp
    # without --ketat: loaded, and said
    assert main(["ingest", str(folder), "--store", str(jan_may)]) == 0
    assert "Peringatan: realisasi:-: satker 017220: realisasi Mei 2022 turun" in \
        capsys.readouterr().out


def test_readme_monthly_update_runs_as_written(jan_may, tmp_path, monkeypatch, capsys):
    """The README's paragraph on the monthly update: its commands, as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("**Pembaruan bulanan.**", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    cmds = [ln.split("#")[0].split() for ln in block.strip().splitlines()]
    assert [c[:2] for c in cmds] == [[".venv/bin/spektra", "periksa"],
                                     [".venv/bin/spektra", "ingest"]]
    folder = tmp_path / Path(cmds[0][2])
    folder.parent.mkdir(parents=True, exist_ok=True)
    _folder(folder.parent, folder.name, _june(_seed_jan_may()))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPEKTRA_STORE", str(jan_may))
    with Store(jan_may, read_only=True) as s:
        before = _month_totals(s)
    for c in cmds:
        assert main(c[1:]) == 0
    with Store(jan_may, read_only=True) as s:
        after = _month_totals(s)
    assert {k: v for k, v in after.items() if k[1] <= 5} == before
    assert any(m == 6 for _, m in after)
    assert "realisasi bulan Juni diganti, bulan lain tetap" in capsys.readouterr().out


def _rp(x: float) -> str:
    return f"{round(x):,}".replace(",", ".")
