"""Monitoring SPP/SPM/SP2D from MonSAKTI's PEM/realisasi (issue 24): when no SPP register
comes with it, each SPP its lines name is one `spp` row (nilai = the sum of its lines)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from spektra_lib import reports
from spektra_lib.ingest import ingest_path
from spektra_lib.sources import detect
from spektra_lib.store import Store

SAKTI = Path(__file__).parent / "data" / "layouts" / "sakti"


def _without_register(tmp_path: Path) -> Path:
    d = tmp_path / "sakti"
    shutil.copytree(SAKTI, d)
    (d / "PEM" / "register_spp.csv").unlink()
    return d


def test_spp_rows_come_from_pem_lines_when_no_register(tmp_path):
    with_reg = detect.read(SAKTI, tahun=2022)
    b = detect.read(_without_register(tmp_path), tahun=2022)
    assert [str(p) for p in b.problems] == []
    reg = with_reg.tables["spp"]
    # PEM/realisasi holds paid lines only: the register's SPP without an SP2D (a draft)
    # cannot come from it
    assert reg[reg["no_sp2d"].isna()]["status"].tolist() == ["Draft"]
    reg = reg[reg["no_sp2d"].notna()].set_index(["kode_satker", "no_spp"])
    got = b.tables["spp"].set_index(["kode_satker", "no_spp"])
    assert sorted(got.index) == sorted(reg.index) and len(got) == 7
    for c in ("nilai", "no_spm", "no_sp2d", "jenis_spp", "uraian", "status"):
        assert got[c].sort_index().tolist() == reg.loc[got.index, c].sort_index().tolist(), c
    for c in ("tgl_spp", "tgl_spm", "tgl_sp2d"):
        assert (pd.to_datetime(got[c]).sort_index() == pd.to_datetime(reg.loc[got.index, c])
                .sort_index()).all(), c
    assert any(n.startswith("Monitoring SPP/SPM/SP2D satker 017220, 017231 diambil dari "
                            "PEM/realisasi") for n in b.notes)


def test_a_register_beside_pem_wins(tmp_path):
    b = detect.read(SAKTI, tahun=2022)
    assert not any("diambil dari PEM/realisasi" in n for n in b.notes)


def test_monitoring_spp_is_not_empty(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    ingest_path(_without_register(tmp_path), store, tahun=2022)
    df = reports.monitoring_spp(store, 2022, 12, satker="017220")
    reg = pd.read_csv(SAKTI / "PEM" / "register_spp.csv", sep=";", dtype=str)
    reg = reg[reg["KDSATKER"] == "017220"]
    assert len(df) == len(reg) > 0
    total = reg["NILAI_SPP"].str.replace(".", "", regex=False).str.replace(",", ".").astype(float)
    assert df["nilai"].sum() == total.sum()


def test_daftar_sp2d_shows_potongan_and_nilai_sp2d_beside_nilai_spm(tmp_path):
    from spektra_lib.present import tables
    store = Store(tmp_path / "s.duckdb")
    ingest_path(SAKTI.parent / "sakti-xlsx", store)
    df = reports.monitoring_spp(store, 2022, 12, satker="017220")
    atk = df[df["no_sp2d"] == "220011301000003"].iloc[0]
    assert (atk["nilai"], atk["potongan"], atk["nilai_bersih"]) == (4_800_000, 480_000, 4_320_000)
    shown = tables.format_flat("monitoring_spp", df)
    cols = list(shown.columns)
    assert cols[cols.index("Nilai"):cols.index("Nilai") + 3] == ["Nilai", "Potongan",
                                                                  "Nilai SP2D"]
    # an SPP register carries neither: the columns are left out, not shown empty
    store2 = Store(tmp_path / "r.duckdb")
    ingest_path(SAKTI, store2, tahun=2022)
    reg = reports.monitoring_spp(store2, 2022, 12, satker="017220")
    assert reg["potongan"].isna().all()
    assert "Potongan" not in tables.format_flat("monitoring_spp", reg).columns
