"""SAKTI Rincian Kertas Kerja Satker (RKK, issue 24): read to hold the POK of the same ingest
against it, akun path by akun path; it loads nothing. Files written by synth/rkk.py from the
canonical fixture (tests/data/layouts/kanonik/pok.csv): 017220 has three akun paths
(511111 1.200.000.000, 511119 12.000, 521211 16.875.025)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spektra_lib.sources import detect, rkk
from spektra_lib.synth import xlsx_inline
from spektra_lib.synth.rkk import write_rkk

BASE = Path(__file__).parent / "data" / "layouts" / "kanonik"


def _pok() -> pd.DataFrame:
    pok = pd.read_csv(BASE / "pok.csv", dtype=str, keep_default_na=False)
    pok["pagu"] = pok["pagu"].astype(float)
    return pok


def _folder(tmp_path: Path, with_pok=True) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for f in ("satker.csv", "unit_kerja.csv") + (("pok.csv",) if with_pok else ()):
        shutil.copy(BASE / f, d / f)
    pok = _pok()
    write_rkk(pok[pok.kode_satker == "017220"], d / "RKK_017220.xlsx", "KANTOR PUSAT")
    return d


def test_rkk_agrees_with_the_pok(tmp_path):
    b = detect.read(_folder(tmp_path))
    assert [str(p) for p in b.problems] == []
    assert "RKK_017220.xlsx: pagu 3 jalur akun satker 017220 sama dengan POK (Rincian " \
           "Kertas Kerja Satker)." in b.notes
    seen = [r for r in b.recognised if r["berkas"] == "RKK_017220.xlsx"]
    assert seen == [{"berkas": "RKK_017220.xlsx", "layout": "sakti_rkk",
                     "judul": "SAKTI — Rincian Kertas Kerja Satker (RKK), pemeriksaan pagu",
                     "tabel": "(pemeriksaan pagu)", "baris": 3}]
    assert "rkk" not in b.tables and len(b.tables["pok"]) == 6


def test_a_path_that_differs_is_named_with_both_amounts(tmp_path):
    d = _folder(tmp_path)
    (d / "pok.csv").write_text((d / "pok.csv").read_text().replace(
        ",Pembulatan gaji,12,BLN,1000,12000,", ",Pembulatan gaji,12,BLN,1500,18000,"))
    b = detect.read(d)
    assert any(n.startswith("RKK_017220.xlsx: pagu 1 dari 3 jalur akun satker 017220 berbeda "
                            "antara Rincian Kertas Kerja Satker dan POK: "
                            "WA.4843.EBA.994.001.A.511119 RKK Rp12.000, POK Rp18.000")
               for n in b.notes), b.notes


def test_without_the_pok_it_is_read_for_checking_only(tmp_path):
    b = detect.read(_folder(tmp_path, with_pok=False))
    assert "RKK_017220.xlsx: Rincian Kertas Kerja Satker 017220 dibaca untuk pemeriksaan " \
           "saja (tidak memuat data); POK satker itu tidak ada di ingest ini." in b.notes


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=10),
                                   st.floats(allow_nan=True, allow_infinity=True),
                                   st.sampled_from(["524111", "088.01.WA", "KODE", "-"])),
                         max_size=12), max_size=8))
def test_any_cells_give_indonesian_lines(tmp_path_factory, cells):
    tmp = tmp_path_factory.mktemp("r")
    rows = [["RINCIAN KERTAS KERJA SATKER"], ["SATKER : 017220"], [],
            ["KODE", None, None, "URAIAN", None, None, None, None, None, "JUMLAH BIAYA"]]
    path = xlsx_inline.write(tmp / "r.xlsx", [("RKK_MULTIYEAR_SATKER", rows + cells, [])])
    problems = []
    out = rkk.read_report(path, "r.xlsx", problems)
    assert out is not None
    for p in problems:
        assert str(p).startswith("r.xlsx:") and "Error" not in str(p), str(p)
