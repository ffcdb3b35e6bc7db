"""Budget versions in the right order (issue 27 §15): an undated POK — the usual DIPA awal
in canonical files — is in force from 1 January of its year, so a revision dated 1 April
that arrives later is the newer one; a revision whose number and date contradict a kept
version is refused with one line, the store unchanged."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.cli import main
from spektra_lib.store import Store

SEED = Path(__file__).parent / "data" / "seed"
K = "017236"


def _pok() -> pd.DataFrame:
    return pd.read_csv(SEED / "pok.csv", dtype=str, keep_default_na=False)


def _revision(tmp_path, name: str, revisi: int, tanggal: str) -> Path:
    """017236's POK with one more item of 50.000.000 (revisi `revisi`, dated `tanggal`)."""
    p = _pok()
    p = p[p["kode_satker"] == K].copy()
    extra = p.iloc[[-1]].copy()
    extra["no_item"] = "99"
    extra["uraian_item"] = "Tambahan revisi"
    extra["volume"], extra["harga_satuan"], extra["pagu"] = "1", "50000000", "50000000"
    for m in range(1, 13):
        extra[f"rpd_{m:02d}"] = "50000000" if m == 12 else "0"
    p = pd.concat([p, extra])
    p["revisi"], p["tanggal_revisi"] = str(revisi), tanggal
    d = tmp_path / name
    d.mkdir()
    p.to_csv(d / "pok.csv", index=False)
    return d


def _pagu(store: Path, *extra: str, tmp: Path) -> int:
    out = tmp / f"r{len(list(tmp.glob('r*.csv')))}.csv"
    assert main(["report", "realisasi_pok", "--tahun", "2022", "--bulan", "5", "--satker", K,
                 "--store", str(store), *extra, "-o", str(out)]) == 0
    r = pd.read_csv(out, dtype={"kode": str})
    return int(r.loc[r["level"] == "satker", "pagu"].iloc[0])


@pytest.fixture
def store(tmp_path):
    d = tmp_path / "awal"
    shutil.copytree(SEED, d)          # undated: no revisi / tanggal_revisi columns
    path = tmp_path / "s.duckdb"
    assert main(["ingest", str(d), "--store", str(path)]) == 0
    return path


def test_undated_dipa_then_april_revision(store, tmp_path, capsys):
    original = int(_pok().query("kode_satker == @K")["pagu"].astype(int).sum())
    assert main(["ingest", str(_revision(tmp_path, "rev1", 1, "2022-04-01")),
                 "--store", str(store)]) == 0
    capsys.readouterr()
    assert _pagu(store, tmp=tmp_path) == original + 50_000_000
    assert _pagu(store, "--per-tanggal", "2022-03-31", tmp=tmp_path) == original
    with Store(store, read_only=True) as s:
        v = s.budget_versions(2022, K)
    assert v[["versi", "revisi", "tanggal_dari"]].values.tolist() == [
        [1, 0, "awal tahun"], [2, 1, "sumber"]]
    assert [d.isoformat() for d in v["tanggal"].dt.date] == ["2022-01-01", "2022-04-01"]
    assert main(["riwayat", "--store", str(store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = next(i for i, ln in enumerate(lines) if "16 satker" in ln)
    second = next(i for i, ln in enumerate(lines) if f"{K} rev 1" in ln)
    assert first < second


def test_revision_dated_before_the_one_it_follows_is_refused(store, tmp_path, capsys):
    assert main(["ingest", str(_revision(tmp_path, "rev2", 2, "2022-07-01")),
                 "--store", str(store)]) == 0
    with Store(store, read_only=True) as s:
        before = s.fingerprint()
    capsys.readouterr()
    # revisi 3 dated in March, before revisi 2 of 1 July
    assert main(["ingest", str(_revision(tmp_path, "rev3", 3, "2022-03-01")),
                 "--store", str(store)]) == 1
    err = capsys.readouterr()
    assert ("pok:-: tanggal_revisi: satker 017236 tahun 2022: revisi 3 bertanggal 01/03/2022, "
            "sebelum revisi 2 yang sudah dimuat (01/07/2022); periksa nomor dan tanggal "
            "revisinya") in err.out + err.err
    with Store(store, read_only=True) as s:
        assert s.fingerprint() == before
