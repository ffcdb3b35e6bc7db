"""MyINTRESS Monitoring SPP, SPM, dan SP2D download -> spp (issue 24). Files written by
synth/myintress.py from the canonical fixture's spp.csv (017220: five SPP)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spektra_lib import reports
from spektra_lib.ingest import ingest_path
from spektra_lib.sources import detect, myintress
from spektra_lib.store import Store
from spektra_lib.synth import xlsx_inline
from spektra_lib.synth.myintress import HEADER, write_myintress

BASE = Path(__file__).parent / "data" / "layouts" / "kanonik"


def _spp() -> pd.DataFrame:
    s = detect.read(BASE).tables["spp"]
    return s[s["kode_satker"] == "017220"]


def test_monitoring_spp_from_myintress(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for f in ("satker.csv", "unit_kerja.csv", "pok.csv"):
        shutil.copy(BASE / f, d / f)
    want = _spp()
    write_myintress(want, d / "MyINTRESS.xlsx", "KANTOR PUSAT")
    b = detect.read(d)
    assert [str(p) for p in b.problems] == []
    assert [r["layout"] for r in b.recognised if r["berkas"] == "MyINTRESS.xlsx"] == \
        ["myintress_spp"]
    got = b.tables["spp"].sort_values("no_spp")
    assert got["no_spp"].tolist() == sorted(want["no_spp"])
    assert got["nilai"].sum() == want["nilai"].sum()
    assert set(got["jenis_spp"]) == set(want["jenis_spp"])
    store = Store(tmp_path / "s.duckdb")
    ingest_path(d, store)
    df = reports.monitoring_spp(store, 2022, 12, satker="017220")
    assert len(df) == len(want) and df["nilai"].sum() == want["nilai"].sum()


def test_without_a_satker_anywhere_it_is_refused(tmp_path):
    rows = [HEADER, ["1", "'00001T", "03-01-2022", "", "01 - LS", "x", "1.000", "", ""]]
    path = xlsx_inline.write(tmp_path / "spp.xlsx", [("Data", rows, [])])
    problems = []
    assert myintress.read_report(path, "spp.xlsx", problems) is None
    assert [str(p) for p in problems] == [
        "spp.xlsx:-: -: kode satker tidak ada: tidak ada kolom satker, dan judul maupun nama "
        "berkas tidak memuat kode 6 digit (mis. simpan sebagai MyINTRESS_017220.xlsx)"]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=10),
                                   st.floats(allow_nan=True, allow_infinity=True)),
                         max_size=10), max_size=6))
def test_any_cells_give_indonesian_lines(tmp_path_factory, cells):
    tmp = tmp_path_factory.mktemp("m")
    rows = [["SATKER 017220"], HEADER] + cells
    path = xlsx_inline.write(tmp / "m.xlsx", [("Data", rows, [])])
    problems = []
    myintress.read_report(path, "m.xlsx", problems)
    for p in problems:
        assert str(p).startswith("m.xlsx:") and "Error" not in str(p), str(p)
