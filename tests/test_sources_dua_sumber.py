"""Two files of one ingest giving the same money (issue 24, sources/dua_sumber.py).

Fixtures: the GLP039 and MyINTRESS Detail files written by synth/glp039.py and
synth/myintress.py from the canonical fixture (tests/data/layouts/sakti-glp039,
myintress-detail), and a MyINTRESS Monitoring SPP written here by synth/myintress.py.
017220's realisasi is 206.375.025 in January–February in each of them; GLP039 declares
January–March (s.d. Maret).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spektra_lib import cli, reports
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect
from spektra_lib.store import Store
from spektra_lib.synth.myintress import write_myintress

LAYOUTS = Path(__file__).parent / "data" / "layouts"
BASE = LAYOUTS / "kanonik"
GLP = LAYOUTS / "sakti-glp039"
DETAIL = LAYOUTS / "myintress-detail"
GLP_TITLE = "SAKTI GLP039 — Laporan Realisasi Anggaran (Fa Detail 16 segmen)"
DETAIL_TITLE = "MyINTRESS — Detail Pengeluaran dan Potongan SPP/SPM/SP2D (Excel)"
CHOOSE = "pilih salah satu sumber (keluarkan satu berkas dari folder)"


def _folder(tmp_path: Path, *files: Path, name: str = "in") -> Path:
    d = tmp_path / name
    d.mkdir()
    for f in ("satker.csv", "unit_kerja.csv", "pok.csv"):
        shutil.copy(BASE / f, d / f)
    for f in files:
        shutil.copy(f, d / f.name)
    return d


def _loaded(tmp_path: Path) -> Store:
    """A store already holding the canonical fixture (its 017220 realisasi 206.375.025)."""
    store = Store(tmp_path / "s.duckdb")
    ingest_path(BASE, store)
    return store


def _total(store: Store, satker: str) -> float:
    return float(reports.realisasi_pok(store, 2022, 3, satker=satker).iloc[0]["realisasi"])


def test_glp039_and_myintress_detail_of_one_satker_are_refused(tmp_path, capsys):
    store = _loaded(tmp_path)
    before = store.content_digest()
    d = _folder(tmp_path, GLP / "GLP039_017220_maret.xlsx",
                DETAIL / "MyINTRESS_Detail_017220.xlsx")
    line = (f"MyINTRESS_Detail_017220.xlsx:-: satker 017220: realisasi Januari–Februari juga "
            f"ada di GLP039_017220_maret.xlsx ({GLP_TITLE}): {CHOOSE}")
    with pytest.raises(IngestError) as e:
        ingest_path(d, store, tahun=2022)
    assert [str(p) for p in e.value.problems] == [line]
    # --ketat changes nothing: it is a refusal either way
    with pytest.raises(IngestError) as e:
        ingest_path(d, store, tahun=2022, ketat=True)
    assert [str(p) for p in e.value.problems] == [line]
    assert store.content_digest() == before
    assert _total(store, "017220") == 206_375_025
    store.close()
    # periksa says the same, and that the ingest would be refused
    rc = cli.main(["periksa", str(d), "--tahun", "2022", "--store", str(tmp_path / "s.duckdb")])
    out = capsys.readouterr().out
    assert rc != 0 and line in out and "DITOLAK" in out
    rc = cli.main(["ingest", str(d), "--tahun", "2022", "--store", str(tmp_path / "s.duckdb")])
    err = capsys.readouterr().err
    assert rc == 1 and line in err and "store tidak berubah" in err


def test_the_same_two_reports_for_different_satker_load(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    d = _folder(tmp_path, GLP / "GLP039_017231_geser.xlsx",
                DETAIL / "MyINTRESS_Detail_017220.xlsx")
    ingest_path(d, store, tahun=2022)
    assert _total(store, "017220") == 206_375_025        # from MyINTRESS Detail, once
    assert _total(store, "017231") == 52_450_000         # from GLP039, once


def test_omspan_and_glp039_of_one_satker_are_refused(tmp_path):
    d = _folder(tmp_path, GLP / "GLP039_017220_maret.xlsx",
                LAYOUTS / "omspan" / "omspan_realisasi.csv")
    b = detect.read(d, tahun=2022)
    omspan = next(r["judul"] for r in b.recognised if r["berkas"] == "omspan_realisasi.csv")
    assert [str(p) for p in b.problems] == [
        f"omspan_realisasi.csv:-: satker 017220: realisasi Januari–Februari juga ada di "
        f"GLP039_017220_maret.xlsx ({GLP_TITLE}): {CHOOSE}"]
    assert "OM-SPAN" in omspan


def test_two_downloads_of_one_report_over_overlapping_months_are_refused(tmp_path):
    src = GLP / "GLP039_017220_maret.xlsx"
    d = _folder(tmp_path, src)
    shutil.copy(src, d / "GLP039_017220_maret (1).xlsx")       # downloaded twice
    b = detect.read(d, tahun=2022)
    assert [str(p) for p in b.problems] == [
        f"GLP039_017220_maret.xlsx:-: satker 017220: realisasi Januari–Maret juga ada di "
        f"GLP039_017220_maret (1).xlsx ({GLP_TITLE}): {CHOOSE}"]


def test_one_layout_split_by_month_loads(tmp_path):
    """Canonical realisasi of one satker split into a file per month: fine."""
    real = pd.read_csv(BASE / "realisasi.csv", dtype=str)
    d = _folder(tmp_path)
    (d / "jan").mkdir()
    (d / "feb").mkdir()
    month = pd.to_datetime(real["tanggal"]).dt.month
    real[month == 1].to_csv(d / "jan" / "realisasi.csv", index=False)
    real[month != 1].to_csv(d / "feb" / "realisasi.csv", index=False)
    store = Store(tmp_path / "s.duckdb")
    ingest_path(d, store)
    assert _total(store, "017220") == 206_375_025


def _spp_017220() -> pd.DataFrame:
    s = detect.read(BASE).tables["spp"]
    return s[s["kode_satker"] == "017220"]


def test_monitoring_spp_and_detail_of_the_same_spp_load_once(tmp_path):
    d = _folder(tmp_path, DETAIL / "MyINTRESS_Detail_017220.xlsx")
    write_myintress(_spp_017220(), d / "MyINTRESS_SPP_017220.xlsx", "KANTOR PUSAT")
    b = detect.read(d)
    assert [str(p) for p in b.problems] == []
    assert ("5 SPP di MyINTRESS_Detail_017220.xlsx juga ada di MyINTRESS_SPP_017220.xlsx "
            "dengan nilai, nomor, dan tanggal yang sama: dimuat sekali (uraian dari "
            "MyINTRESS_Detail_017220.xlsx).") in b.notes
    store = Store(tmp_path / "s.duckdb")
    ingest_path(d, store)
    spp = reports.monitoring_spp(store, 2022, 3, satker="017220").set_index("no_spp")
    assert sorted(spp.index) == ["00001T", "00002T", "00003T", "00004T", "00005T"]
    assert spp["nilai"].sum() == 206_375_025
    assert spp.loc["00001T", "potongan"] == 2_000_000     # what only the Detail gives


def test_monitoring_spp_and_detail_differing_are_refused(tmp_path):
    store = _loaded(tmp_path)
    before = store.content_digest()
    d = _folder(tmp_path, DETAIL / "MyINTRESS_Detail_017220.xlsx")
    spp = _spp_017220().copy()
    spp.loc[spp["no_spp"] == "00005T", "nilai"] = 1_875_000
    write_myintress(spp, d / "MyINTRESS_SPP_017220.xlsx", "KANTOR PUSAT")
    with pytest.raises(IngestError) as e:
        ingest_path(d, store)
    got = [str(p) for p in e.value.problems]
    assert len(got) == 1
    assert got[0].startswith("MyINTRESS_SPP_017220.xlsx:")
    assert got[0].split(":", 2)[2] == (
        f" nilai: SPP 00005T satker 017220 tanggal 10-02-2022 juga ada di "
        f"MyINTRESS_Detail_017220.xlsx ({DETAIL_TITLE}) dengan nilai 1.875.025, di sini "
        f"1.875.000: {CHOOSE}")
    assert store.content_digest() == before


SAKTI = LAYOUTS / "sakti"


def _pem_only(tmp_path: Path) -> Path:
    d = tmp_path / "pem"
    shutil.copytree(SAKTI, d)
    (d / "PEM" / "register_spp.csv").unlink()
    return d


def _spp_rows(store: Store) -> list[tuple]:
    return [tuple(r) for r in store.sql(
        "SELECT kode_satker, no_spp, nilai, status FROM spp ORDER BY ALL").itertuples(index=False)]


def test_pem_spp_leaves_a_stored_register_alone(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    ingest_path(SAKTI, store, tahun=2022)
    before = _spp_rows(store)
    assert ("017231", "00003T", 2_500_000, "Draft") in before   # only the register has it
    s = ingest_path(_pem_only(tmp_path), store, tahun=2022)
    assert _spp_rows(store) == before
    assert ("Monitoring SPP/SPM/SP2D satker 017220, 017231 tidak diambil dari PEM/realisasi: "
            "register SPP satker itu sudah ada di store (sumber yang lebih baik) dan tetap "
            "dipakai.") in s.notes


def test_pem_spp_still_updates_spp_that_came_from_pem(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    d = _pem_only(tmp_path)
    ingest_path(d, store, tahun=2022)
    first = _spp_rows(store)
    assert len(first) == 7 and not any(r[3] == "Draft" for r in first)
    # next month's export: one SPP's lines more (a second line of 017220's 00005T)
    pem = d / "PEM" / "realisasi.csv"
    lines = pem.read_text(encoding="utf-8").splitlines(keepends=True)
    extra = next(x for x in lines[1:] if "00005T" in x)
    pem.write_text("".join(lines) + extra, encoding="utf-8")
    s = ingest_path(d, store, tahun=2022)
    assert not any("tidak diambil dari PEM/realisasi" in n for n in s.notes)
    got = dict(((r[0], r[1]), r[2]) for r in _spp_rows(store))
    was = dict(((r[0], r[1]), r[2]) for r in first)
    assert got[("017220", "00005T")] == 2 * was[("017220", "00005T")]


def test_an_spp_paid_in_one_file_and_not_in_the_other_is_refused(tmp_path):
    d = _folder(tmp_path, DETAIL / "MyINTRESS_Detail_017220.xlsx")
    spp = _spp_017220().copy()
    spp.loc[spp["no_spp"] == "00003T", ["no_sp2d", "tgl_sp2d"]] = [None, pd.NaT]
    write_myintress(spp, d / "MyINTRESS_SPP_017220.xlsx", "KANTOR PUSAT")
    got = [str(p) for p in detect.read(d).problems]
    assert len(got) == 1 and got[0].startswith("MyINTRESS_SPP_017220.xlsx:")
    assert got[0].split(":", 2)[2] == (
        f" no_sp2d: SPP 00003T satker 017220 tanggal 05-01-2022 juga ada di "
        f"MyINTRESS_Detail_017220.xlsx ({DETAIL_TITLE}) dengan no_sp2d 220011301000003, di sini "
        f"kosong: {CHOOSE}")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["017220", "017231"]), st.integers(1, 12),
                          st.sampled_from(["a.csv", "b.csv", "c.xlsx"])), max_size=30))
def test_refused_exactly_when_two_files_share_a_satker_month(lines):
    """Any lines: one problem per (satker, pair of files) sharing a month, naming exactly the
    shared months; none otherwise."""
    from spektra_lib import schema
    from spektra_lib.sources import Batch, dua_sumber
    from spektra_lib.sources.detect import _coerce
    real = pd.DataFrame({"tahun": 2022, "kode_satker": [x[0] for x in lines],
                         "tanggal": [pd.Timestamp(2022, x[1], 1) for x in lines],
                         "nilai": 1.0, "_file": [x[2] for x in lines], "_row": 1})
    b = Batch(layout="kanonik", tables={"realisasi": _coerce(real, schema.REALISASI)})
    dua_sumber.check(b)
    months: dict[tuple[str, str], set[int]] = {}
    for ks, m, f in lines:
        months.setdefault((ks, f), set()).add(m)
    want = sorted(
        f"{fb}:-: satker {ks}: realisasi {dua_sumber.months_text(months[ks, fa] & months[ks, fb])}"
        f" juga ada di {fa} (tabel kanonik): {CHOOSE}"
        for (ks, fa) in months for (k2, fb) in months
        if k2 == ks and fa < fb and months[ks, fa] & months[ks, fb])
    assert sorted(str(p) for p in b.problems) == want
