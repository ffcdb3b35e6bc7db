"""SAKTI GLP039 Laporan Realisasi (Fa Detail 16 segmen) -> realisasi (issue 24).

Fixtures in tests/data/layouts/sakti-glp039/ are written by buat_fixture.py from the
canonical fixture (tests/data/layouts/kanonik), s.d. Maret 2022:

| satker | item                               | Jan–Feb (periode lalu)          | Mar (ini) |
|--------|------------------------------------|---------------------------------|-----------|
| 017220 | WA.4843.EBA.994.001.A.511111.1     | 100.000.000 + 100.000.000       | 0         |
| 017220 | WA.4843.EBA.994.002.A.521211.1     | 4.800.000 − 300.000             | 0         |
| 017220 | WA.4843.EBA.994.002.A.521211.2     | 1.875.025                       | 0         |
| 017231 | CD.5764.QDC.001.051.A.524111.1     | 0                               | 2.450.000 |
| 017231 | WA.4843.EBA.994.001.511111.1       | 50.000.000                      | 0         |

Periode lalu is dated 28 Feb 2022 (the day before the period), periode ini 31 Mar 2022.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spektra_lib import reports
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect, glp039
from spektra_lib.store import Store
from spektra_lib.synth import xlsx_inline
from spektra_lib.synth.glp039 import SHEET, write_glp039

LAYOUTS = Path(__file__).parent / "data" / "layouts"
FIX = LAYOUTS / "sakti-glp039"
BASE = LAYOUTS / "kanonik"


def _folder(tmp_path: Path, glp=("GLP039_017220_maret.xlsx", "GLP039_017231_geser.xlsx"),
            base=("satker.csv", "unit_kerja.csv", "pok.csv")) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for f in base:
        shutil.copy(BASE / f, d / f)
    for f in glp:
        shutil.copy(FIX / f, d / f)
    return d


def test_fixture_carries_the_real_quirks():
    with zipfile.ZipFile(FIX / "GLP039_017220_maret.xlsx") as z:
        names = z.namelist()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        book = z.read("xl/workbook.xml").decode()
    assert "xl/sharedStrings.xml" not in names            # inline strings only
    assert 't="inlineStr"' in sheet and "<v>2.0E8</v>" in sheet
    assert f'name="{SHEET}"' in book and SHEET.endswith(" ")
    with zipfile.ZipFile(FIX / "GLP039_017231_geser.xlsx") as z:
        shifted = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A9" t="inlineStr"><is><t xml:space="preserve">JUMLAH SELURUHNYA' in shifted
    assert ">5.0E7<" in shifted and "<v>5.0E7</v>" not in shifted   # numbers as text


def test_read_items_periode_lalu_before_and_ini_in_the_period(tmp_path):
    b = detect.read(_folder(tmp_path, base=()), tahun=2022)
    assert [str(p) for p in b.problems] == []
    assert [(r["berkas"], r["layout"], r["tabel"], r["baris"]) for r in b.recognised] == [
        ("GLP039_017220_maret.xlsx", "sakti_glp039", "realisasi", 3),
        ("GLP039_017231_geser.xlsx", "sakti_glp039", "realisasi", 2)]
    r = b.tables["realisasi"]
    # no made-up lines: each file declares the span it covers, January to its period
    assert (r["nilai"] != 0).all()
    assert sorted((c["kode_satker"], c["bulan_awal"], c["bulan_akhir"], c["berkas"])
                  for c in b.cakupan) == [
        ("017220", 1, 3, "GLP039_017220_maret.xlsx"), ("017231", 1, 3, "GLP039_017231_geser.xlsx")]
    r = r.assign(path=r[["kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
                         "kode_subkomponen", "kode_akun", "no_item"]]
                 .astype(object).fillna("").agg(".".join, axis=1))
    got = sorted(zip(r["kode_satker"], r["path"], r["tanggal"].dt.strftime("%Y-%m-%d"),
                     r["nilai"]))
    assert got == [
        ("017220", "WA.4843.EBA.994.001.A.511111.1", "2022-02-28", 200_000_000),
        ("017220", "WA.4843.EBA.994.002.A.521211.1", "2022-02-28", 4_500_000),
        ("017220", "WA.4843.EBA.994.002.A.521211.2", "2022-02-28", 1_875_025),
        ("017231", "CD.5764.QDC.001.051.A.524111.1", "2022-03-31", 2_450_000),
        ("017231", "WA.4843.EBA.994.001..511111.1", "2022-02-28", 50_000_000)]


def test_ingest_with_pok_gives_item_program_and_satker_totals(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    s = ingest_path(_folder(tmp_path), store)
    assert s.rows["realisasi"] == 5            # the items' lines only, nothing made up
    df = reports.realisasi_pok(store, 2022, 3, satker="017220").set_index("path")
    assert df.loc["WA.4843.EBA.994.002.A.521211.1", "realisasi"] == 4_500_000
    assert df.loc["WA", "realisasi"] == 206_375_025
    assert df.iloc[0]["level"] == "satker" and df.iloc[0]["realisasi"] == 206_375_025
    kan = reports.realisasi_pok(store, 2022, 3, satker="017231").set_index("path")
    assert kan.loc["CD", "realisasi"] == 2_450_000 and kan.iloc[0]["realisasi"] == 52_450_000
    # the period's month is March: periode ini lands there, periode lalu before it
    feb = reports.realisasi_pok(store, 2022, 2, satker="017231")
    assert feb.iloc[0]["realisasi"] == 50_000_000


def test_a_later_glp039_replaces_january_to_its_period_never_twice(tmp_path):
    """The store holds the payment lines of January–March (canonical realisasi); GLP039
    s.d. Maret replaces those three months: realisasi s.d. Maret is the report's own, not
    January counted again inside periode lalu."""
    store = Store(tmp_path / "s.duckdb")
    first = _folder(tmp_path, glp=(), base=("satker.csv", "unit_kerja.csv", "pok.csv",
                                            "realisasi.csv"))
    ingest_path(first, store)
    assert reports.realisasi_pok(store, 2022, 1, satker="017220").iloc[0]["realisasi"] \
        == 104_500_000
    d = tmp_path / "glp"
    d.mkdir()
    shutil.copy(FIX / "GLP039_017220_maret.xlsx", d / "GLP039_017220_maret.xlsx")
    s = ingest_path(d, store)
    # January has no line in the file (periode lalu is dated 28 February) and March none
    # either (nothing paid): the file declares January–March and replaces all three
    assert [(c.kode_satker, c.dari, c.sampai) for c in s.changes] == [("017220", 1, 3)]
    assert reports.realisasi_pok(store, 2022, 3, satker="017220").iloc[0]["realisasi"] \
        == 206_375_025
    from datetime import date
    assert store.posisi_data(2022, "017220") == date(2022, 3, 31)   # the period's end
    # January–February are one sum now, dated 28 February (the file cannot split them)
    assert reports.realisasi_pok(store, 2022, 1, satker="017220").iloc[0]["realisasi"] == 0
    assert reports.realisasi_pok(store, 2022, 2, satker="017220").iloc[0]["realisasi"] \
        == 206_375_025


def test_pagu_revisi_against_the_pok_is_said(tmp_path):
    d = _folder(tmp_path)
    pok = (d / "pok.csv").read_text().replace(",Gaji pokok PNS,12,BLN,100000000,1200000000,",
                                              ",Gaji pokok PNS,12,BLN,90000000,1080000000,")
    (d / "pok.csv").write_text(pok)
    b = detect.read(d)
    assert any("GLP039_017220_maret.xlsx: pagu revisi 1 item berbeda dengan POK satker 017220"
               in n and "GLP039 Rp1.200.000.000, POK Rp1.080.000.000" in n for n in b.notes)


def _rows(**kw):
    pok = pd.read_csv(BASE / "pok.csv", dtype=str, keep_default_na=False)
    pok["pagu"] = pok["pagu"].astype(float)
    pok["tahun"] = pok["tahun"].astype(int)
    real = pd.read_csv(BASE / "realisasi.csv", dtype=str, keep_default_na=False)
    real["nilai"] = real["nilai"].astype(float)
    from spektra_lib.synth.glp039 import rows
    p = pok[pok.kode_satker == "017220"]
    return rows(p, real[real.kode_satker == "017220"], 3, "Uji", **kw)


def _save(tmp_path, rows, name="g.xlsx"):
    return xlsx_inline.write(tmp_path / name, [(SHEET, rows, [])])


def _read(path, tahun=None):
    problems = []
    out = glp039.read_report(path, path.name, problems, tahun)
    return out, [str(p) for p in problems]


def test_a_total_row_that_disagrees_is_named(tmp_path):
    rows, _ = _rows()
    rows[8][22] = 1.0          # JUMLAH SELURUHNYA, periode lalu
    out, probs = _read(_save(tmp_path, rows))
    assert probs == ["g.xlsx:9: W: baris JUMLAH SELURUHNYA: realisasi periode lalu (1) tidak "
                     "sama dengan jumlah seluruh item (206.375.025)"]


def test_an_item_whose_lalu_plus_ini_is_not_sd_is_named(tmp_path):
    rows, _ = _rows(footnotes=False)
    i = next(i for i, r in enumerate(rows) if isinstance(r[13], str) and r[13].startswith("000002"))
    rows[i][25] = 1_875_026.0
    out, probs = _read(_save(tmp_path, rows))
    assert f"g.xlsx:{i + 1}: Y: realisasi s.d. periode (1.875.026) tidak sama dengan periode " \
           "lalu (1.875.025) + periode ini (0)" in probs


def test_a_bad_number_and_an_uncoded_amount_are_lines_not_tracebacks(tmp_path):
    rows, _ = _rows(footnotes=False)
    i = next(i for i, r in enumerate(rows) if isinstance(r[13], str) and r[13].startswith("000001"))
    rows[i][23] = "sejuta"
    rows.insert(12, [None] * 16 + [5.0])
    out, probs = _read(_save(tmp_path, rows))
    assert "g.xlsx:13: -: baris berisi angka tetapi tanpa kode (program, kegiatan, KRO, RO, " \
           "komponen, subkomponen, akun) maupun nomor item: laporan rusak atau susunannya " \
           "lain" in probs
    assert f"g.xlsx:{i + 2}: X: realisasi periode ini: bukan angka yang sah: 'sejuta'" in probs


def test_year_and_period_come_from_the_title(tmp_path):
    out, probs = _read(FIX / "GLP039_017220_maret.xlsx", tahun=2023)
    assert probs == ["GLP039_017220_maret.xlsx:-: -: tahun anggaran di judul laporan (2022) "
                     "berbeda dengan --tahun 2023"]
    rows, _ = _rows()
    rows[4][1] = "PERIODE : 2022"
    out, probs = _read(_save(tmp_path, rows))
    assert probs == ["g.xlsx:-: -: periode laporan tidak ditemukan di judul (mis. \"s.d. "
                     "Juli\"): realisasi periode lalu dan periode ini tidak dapat ditanggali"]


def test_refused_glp039_leaves_the_store_as_it_was(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    ingest_path(_folder(tmp_path), store)
    before = store.sql("SELECT sum(nilai) AS n, count(*) AS c FROM realisasi").iloc[0].tolist()
    rows, _ = _rows()
    rows[8][23] = 7.0
    bad = tmp_path / "bad"
    bad.mkdir()
    _save(bad, rows, "GLP039_017220.xlsx")
    with pytest.raises(IngestError) as e:
        ingest_path(bad, store)
    assert "baris JUMLAH SELURUHNYA: realisasi periode ini (7)" in str(e.value.problems[0])
    assert store.sql("SELECT sum(nilai) AS n, count(*) AS c FROM realisasi").iloc[0].tolist() \
        == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12),
                                   st.floats(allow_nan=True, allow_infinity=True),
                                   st.sampled_from(["PERIODE LALU", "PERIODE INI", "AKUN",
                                                    "S.D. PERIODE", "2.037392E10", "DL.2376",
                                                    "000017. Item", "JUMLAH SELURUHNYA",
                                                    "SATKER 017220", "s.d. Juli"])),
                         max_size=30), max_size=14))
def test_any_cells_give_indonesian_lines_never_a_traceback(tmp_path_factory, cells):
    tmp = tmp_path_factory.mktemp("h")
    rows, _ = _rows(footnotes=False)
    path = xlsx_inline.write(tmp / "x.xlsx", [(SHEET, rows[:9] + cells + rows[9:], [])])
    problems = []
    out = glp039.read_report(path, "x.xlsx", problems, None)
    for p in problems:
        assert str(p).startswith("x.xlsx:") and "Traceback" not in str(p)
        assert "Error:" not in str(p), str(p)


@settings(max_examples=8, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_named_xlsx_give_lines_and_leave_the_store(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("b")
    d = tmp / "in"
    d.mkdir()
    (d / "GLP039.xlsx").write_bytes(data)
    store = Store(tmp / "s.duckdb")
    with pytest.raises(IngestError) as e:
        ingest_path(d, store)
    assert all(str(p).startswith("GLP039.xlsx") for p in e.value.problems)
    assert store.sql("SELECT count(*) AS n FROM realisasi").iloc[0, 0] == 0


def test_synth_sakti_laporan_reads_back(tmp_path):
    """`spektra synth --format sakti-laporan`: the printed Form Cetak POK and GLP039 of each
    satker read back to the generated budget and realisasi s.d. its last month."""
    from spektra_lib.synth import build_tables
    from spektra_lib.synth.write import write
    t = build_tables(n_satker=2, seed=5)
    write(t, tmp_path / "d", "sakti-laporan")
    sat = sorted(t["pok"]["kode_satker"].unique())
    assert sorted(p.name for p in (tmp_path / "d" / "unduhan").iterdir()) == sorted(
        [f"GLP039_{k}_2022.xlsx" for k in sat] + [f"POK_{k}_2022.xlsx" for k in sat])
    b = detect.read(tmp_path / "d")
    assert [str(p) for p in b.problems] == []
    assert b.tables["pok"]["pagu"].sum() == pytest.approx(t["pok"]["pagu"].sum())
    assert b.tables["pok"]["rpd_07"].sum() == pytest.approx(t["pok"]["rpd_07"].sum())
    assert b.tables["realisasi"]["nilai"].sum() == pytest.approx(t["realisasi"]["nilai"].sum())
    per_satker = b.tables["realisasi"].groupby("kode_satker")["nilai"].sum()
    want = t["realisasi"].groupby("kode_satker")["nilai"].sum()
    assert per_satker.round(2).to_dict() == want.round(2).to_dict()
