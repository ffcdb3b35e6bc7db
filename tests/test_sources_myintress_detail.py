"""MyINTRESS "Detail Pengeluaran dan Potongan SPP/SPM/SP2D" (issue 24): sheet `Data`, title
rows, the header on row 5, the 16-segment COA string per line, amounts as text. Fixtures in
tests/data/layouts/myintress-detail/ (buat_fixture.py) are the canonical fixture's
realisasi and SPP written that way:

017220: 00003T 4.800.000 and 00004T -300.000 on 521211.1, 00001T / 00002T 100.000.000 each on
511111.1 with PPh 21 potongan 2.000.000 each, 00005T 1.875.025 on 521211.2: realisasi
206.375.025, potongan 4.000.000. 017231: 00001T 50.000.000 (511111.1, no subkomponen),
00002T 2.450.000 (524111.1), 00003T 2.500.000 without SP2D (in process, no realisasi).
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spektra_lib import reports
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect
from spektra_lib.store import Store
from spektra_lib.synth import xlsx_inline

LAYOUTS = Path(__file__).parent / "data" / "layouts"
FIX = LAYOUTS / "myintress-detail"
BASE = LAYOUTS / "kanonik"
PUSAT = FIX / "MyINTRESS_Detail_017220.xlsx"


def _rows(path: Path = PUSAT) -> list[list]:
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    return [[None if v == "" else v for v in r] for r in rows]


def _only(tmp_path: Path, rows: list[list], name: str = "d.xlsx") -> Path:
    return xlsx_inline.write(tmp_path / name, [("Data", rows, [])])


def test_item_realisasi_and_one_spp_per_spm_with_its_potongan():
    b = detect.read(FIX)
    assert [str(p) for p in b.problems] == []
    assert {(r["berkas"], r["tabel"], r["baris"]) for r in b.recognised
            if r["layout"] == "myintress_detail"} == {
        ("MyINTRESS_Detail_017220.xlsx", "realisasi", 5), ("MyINTRESS_Detail_017220.xlsx", "spp", 5),
        ("MyINTRESS_Detail_017231.xlsx", "realisasi", 2), ("MyINTRESS_Detail_017231.xlsx", "spp", 3)}
    keys = ["kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
            "kode_komponen", "kode_subkomponen", "kode_akun", "no_item", "no_sp2d"]
    got = b.tables["realisasi"].sort_values("no_sp2d")
    want = detect.read(BASE).tables["realisasi"].sort_values("no_sp2d")
    assert got[keys].astype(object).fillna("").values.tolist() == \
        want[keys].astype(object).fillna("").values.tolist()
    assert got["tanggal"].tolist() == want["tanggal"].tolist()
    assert got["nilai"].tolist() == want["nilai"].tolist()
    spp = b.tables["spp"].set_index(["kode_satker", "no_spp"])
    assert len(spp) == 8
    gaji = spp.loc[("017220", "00001T")]
    assert (gaji["nilai"], gaji["potongan"], gaji["nilai_bersih"], gaji["no_sp2d"],
            gaji["status"], gaji["jenis_spp"]) == (
        100_000_000, 2_000_000, 98_000_000, "220011301000001", "SP2D terbit", "GAJI INDUK")
    draft = spp.loc[("017231", "00003T")]
    assert pd.isna(draft["no_sp2d"]) and draft["status"] == "Dalam proses"
    assert draft["nilai"] == 2_500_000 and draft["tgl_spp"] == pd.Timestamp("2022-03-28")


def test_ingested_it_fills_realisasi_pok_and_monitoring_spp(tmp_path):
    d = tmp_path / "in"
    shutil.copytree(FIX, d, ignore=shutil.ignore_patterns("*.py"))
    store = Store(tmp_path / "s.duckdb")
    ingest_path(d, store)
    pok = reports.realisasi_pok(store, 2022, 3, satker="017220").set_index("path")
    assert pok.iloc[0]["realisasi"] == 206_375_025
    assert pok.loc["WA.4843.EBA.994.002.A.521211.1", "realisasi"] == 4_500_000
    assert pok.loc["WA.4843.EBA.994.002.A.521211.2", "realisasi"] == 1_875_025
    assert pok["keterangan"].isna().all()            # item-level data: nothing to mark
    kanreg = reports.realisasi_pok(store, 2022, 3, satker="017231")
    assert kanreg.iloc[0]["realisasi"] == 52_450_000
    spp = reports.monitoring_spp(store, 2022, 3, satker="017220").set_index("no_spp")
    assert spp["potongan"].sum() == 4_000_000
    assert spp.loc["00002T", "nilai_bersih"] == 98_000_000
    kspp = reports.monitoring_spp(store, 2022, 3, satker="017231").set_index("no_spp")
    assert kspp.loc["00003T", "status"] == "Dalam proses"


def test_what_a_wrong_line_says(tmp_path):
    rows = _rows()
    h = next(i for i, r in enumerate(rows) if r[7] == "Kode COA")
    coa = rows[h + 1][7]
    rows[h + 1][7] = coa.rsplit(".", 1)[0]                   # 15 segments
    rows[h + 2][6] = None                                    # SP2D number, no SP2D date
    rows[h + 3][7] = coa.replace(".4843EBA.", ".48EBA.")     # kegiatan/KRO mangled
    rows[-1][9] = "206.375.026"                              # JUMLAH off by one rupiah
    b = detect.read(_only(tmp_path, rows))
    assert [str(p) for p in b.problems] == [
        f"d.xlsx:{h + 2}: Kode COA: kode COA '{coa.rsplit('.', 1)[0]}' terdiri dari 15 segmen, "
        "bukan 16 (satker.KPPN.akun.program.kegiatan+KRO. … .RO.komponen.subkomponen.item)",
        f"d.xlsx:{h + 3}: Tanggal SP2D: tanggal SP2D kosong padahal nomor SP2D ada: realisasi "
        "tidak dapat ditanggali",
        f"d.xlsx:{h + 4}: Kode COA: kode COA '{coa.replace('.4843EBA.', '.48EBA.')}' segmen "
        "kegiatan/KRO '48EBA' bukan kegiatan 4 digit + KRO 3 karakter (mis. 2886EBA) "
        "(satker.KPPN.akun.program.kegiatan+KRO. … .RO.komponen.subkomponen.item)",
        f"d.xlsx:{len(rows)}: Nilai Pengeluaran: baris jumlah (206.375.026) tidak sama dengan "
        "jumlah baris di atasnya (206.375.025)"]


def test_a_year_other_than_tahun_is_refused(tmp_path):
    b = detect.read(PUSAT, tahun=2023)
    lines = [str(p) for p in b.problems]
    assert len(lines) == 5 and all(
        p.endswith("Tanggal SP2D: SP2D tahun 2022 berbeda dengan --tahun 2023") for p in lines)


def test_a_sheet_without_the_detail_header_is_left_to_other_readers(tmp_path):
    rows = _rows()
    h = next(i for i, r in enumerate(rows) if r[7] == "Kode COA")
    rows[h][7] = "Akun"                                     # no COA column: not this report
    b = detect.read(_only(tmp_path, rows))
    assert not [r for r in b.recognised if r["layout"] == "myintress_detail"]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(
    st.none(), st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["JUMLAH", "'00001T", "1.234.567", "350.937,00", "25-01-2022",
                     "017220.010.521211.08801WA.4843EBA.A000000001.00000.2.0100.2.000000."
                     "000000.994.002.0A.000001", "017220.010.5", "-", "..............."])),
    max_size=12), min_size=1, max_size=8))
def test_any_lines_give_indonesian_lines_and_leave_the_store(tmp_path, cells):
    rows = _rows()
    h = next(i for i, r in enumerate(rows) if r[7] == "Kode COA")
    d = Path(tempfile.mkdtemp(dir=tmp_path))
    for f in ("satker.csv", "unit_kerja.csv", "pok.csv"):
        shutil.copy(BASE / f, d / f)
    _only(d, rows[:h + 2] + cells + rows[h + 2:])
    store = Store(d / "s.duckdb")
    before = store.sql("SELECT count(*) AS n FROM realisasi").iloc[0, 0], \
        store.sql("SELECT count(*) AS n FROM spp").iloc[0, 0]
    try:
        ingest_path(d, store)
    except IngestError as e:
        for p in e.problems:
            assert str(p).startswith("d.xlsx") and "Error" not in str(p), str(p)
        assert (store.sql("SELECT count(*) AS n FROM realisasi").iloc[0, 0],
                store.sql("SELECT count(*) AS n FROM spp").iloc[0, 0]) == before
    store.close()


def test_one_spp_naming_two_sp2d_is_named(tmp_path):
    rows = _rows()
    i = next(i for i, r in enumerate(rows) if r[8] == "Potongan PPh Pasal 21")
    rows[i][5] = "'220011301000099"          # 00001T's PPh line under another SP2D
    b = detect.read(_only(tmp_path, rows))
    h = next(i for i, r in enumerate(rows) if r[7] == "Kode COA")
    first = next(j for j, r in enumerate(rows) if r[1] == "'00001T")
    assert [str(p) for p in b.problems] == [
        f"d.xlsx:{first + 1}: No. SP2D: SPP/SPM 00001T satker 017220: no sp2d berbeda "
        "antarbaris (220011301000001, 220011301000099)"]
    assert h < first


def test_synth_myintress_reads_back_to_the_same_money(tmp_path):
    """`spektra synth --format myintress`: Form Cetak POK and the Detail download per satker
    read back to the base's pok, realisasi and spp (each SPP once, no two-source refusal)."""
    from spektra_lib.synth.write import write
    base = detect.read(BASE).tables
    write(base, tmp_path / "m", "myintress")
    b = detect.read(tmp_path / "m", tahun=2022)
    assert [str(p) for p in b.problems] == []
    assert b.tables["pok"]["pagu"].sum() == base["pok"]["pagu"].sum()
    for name in ("realisasi", "spp"):
        got, want = b.tables[name], base[name]
        assert len(got) == len(want), name
        assert got["nilai"].sum() == want["nilai"].sum(), name
    key = ["kode_satker", "no_spp"]
    assert sorted(map(tuple, b.tables["spp"][key].values.tolist())) == \
        sorted(map(tuple, base["spp"][key].values.tolist()))
