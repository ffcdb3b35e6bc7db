"""Every report that can use akun-level (OM-SPAN) realisasi, on the committed OM-SPAN
fixtures (CSV with upper-case headers, XLSX with lower-case headers), with numbers worked
by hand from the files.

The fixture (tests/data/layouts/omspan/d_item.xml and omspan_realisasi.csv):

| satker | akun (node)                        | unit | pagu          | rpd Jan / Feb / Mar        |
|--------|------------------------------------|------|---------------|----------------------------|
| 017220 | WA.4843.EBA.994.001.A.511111 (1)   | 0102 | 1.200.000.000 | 100.000.000 each month     |
| 017220 | WA.4843.EBA.994.001.A.511119 (1)   | 0102 |        12.000 | 1.000 each month           |
| 017220 | WA.4843.EBA.994.002.A.521211 (1,2) | 0103 |    16.875.025 | 5.000.000 / 1.875.025 / 5.000.000 |
| 017231 | CD.5764.QDC.001.051.A.524111 (1)   | -    |    10.000.000 | 0 / 0 / 2.500.000 (PN)     |
| 017231 | WA.4843.EBA.994.001.511111 (1)     | -    |   600.000.000 | 50.000.000 each month      |

OM-SPAN: 017220 511111 100.000.000 (25/01) + 100.000.000 (24/02); 017220 521211
4.800.000 (10/01) − 300.000 (20/01) + 1.875.025 (15/02); 017231 524111 2.450.000 (15/03);
017231 511111 50.000.000 (25/01).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spektra_lib import reports
from spektra_lib.ingest import ingest_path
from spektra_lib.sources import detect
from spektra_lib.store import Store

LAYOUTS = Path(__file__).parent / "data" / "layouts"
PUSAT, KANREG = "017220", "017231"
PAGU_PUSAT = 1_200_000_000 + 12_000 + 15_000_000 + 1_875_025          # 1.216.887.025
PAGU_KANREG = 600_000_000 + 10_000_000
REAL_PUSAT_JAN = 100_000_000 + 4_800_000 - 300_000                     # 104.500.000
REAL_PUSAT = REAL_PUSAT_JAN + 100_000_000 + 1_875_025                  # 206.375.025
REAL_KANREG = 50_000_000 + 2_450_000
GAJI = "WA.4843.EBA.994.001.A.511111"
BAHAN = "WA.4843.EBA.994.002.A.521211"


def _ingest(folder: Path, tmp: Path) -> Store:
    store = Store(tmp / "s.duckdb")
    ingest_path(folder, store)
    return store


@pytest.fixture(scope="module", params=["omspan", "omspan-xlsx"])
def store(request, tmp_path_factory):
    s = _ingest(LAYOUTS / request.param, tmp_path_factory.mktemp(request.param))
    yield s
    s.close()


def test_both_fixtures_read_the_same_realisasi_akun():
    csv, xlsx = (detect.read(LAYOUTS / n) for n in ("omspan", "omspan-xlsx"))
    assert csv.problems == [] == xlsx.problems
    assert csv.layout == xlsx.layout == "adk+omspan"
    a, b = (x.tables["realisasi_akun"].drop(columns=["_file", "_row"]) for x in (csv, xlsx))
    assert a["nilai"].sum() == b["nilai"].sum() == REAL_PUSAT + REAL_KANREG
    # The XLSX writes the 524111 line's OUTPUT as a bare KRO: no RO there.
    pd.testing.assert_frame_equal(a.drop(columns="kode_ro"), b.drop(columns="kode_ro"))
    assert a["kode_ro"].tolist() == ["994"] * 5 + ["001", "994"]
    assert b["kode_ro"].isna().tolist() == [False] * 5 + [True, False]


def test_lower_case_csv_header_reads_as_upper(tmp_path):
    shutil.copytree(LAYOUTS / "omspan", tmp_path / "d")
    p = tmp_path / "d" / "omspan_realisasi.csv"
    head, rest = p.read_text(encoding="utf-8").split("\n", 1)
    p.write_text(head.lower() + "\n" + rest, encoding="utf-8")
    b = detect.read(tmp_path / "d")
    assert b.problems == [] and b.tables["realisasi_akun"]["nilai"].sum() == 258_825_025


def test_realisasi_akun_has_the_realisasi(store):
    df = reports.realisasi_akun(store, 2022, 3, satker=PUSAT)
    assert "catatan" not in df.attrs
    got = df.set_index("path")
    assert df.iloc[0]["realisasi"] == REAL_PUSAT and df.iloc[0]["pagu"] == PAGU_PUSAT
    assert got.loc[GAJI, "realisasi"] == 200_000_000
    assert got.loc[GAJI, "sisa"] == 1_000_000_000
    assert got.loc[GAJI, "persen_realisasi"] == pytest.approx(200 / 1200 * 100)
    assert got.loc["WA.4843.EBA.994.001.A.511119", "realisasi"] == 0
    assert got.loc[BAHAN, "realisasi"] == 6_375_025
    assert got.loc["WA.4843.EBA.994.002", "realisasi"] == 6_375_025
    assert got.loc["WA.4843.EBA.994.001", "realisasi"] == 200_000_000
    # January alone, February alone
    assert reports.realisasi_akun(store, 2022, 1, satker=PUSAT).iloc[0]["realisasi"] \
        == REAL_PUSAT_JAN
    feb = reports.realisasi_akun(store, 2022, 2, satker=PUSAT, bulan_dari=2).set_index("path")
    assert feb.loc[BAHAN, "realisasi"] == 1_875_025 and feb.loc[GAJI, "realisasi"] == 1e8


def test_realisasi_akun_kanreg_bare_kro_and_blank_subkomponen(store):
    df = reports.realisasi_akun(store, 2022, 3, satker=KANREG).set_index("path")
    assert df.loc["", "realisasi"] == REAL_KANREG
    assert df.loc["CD.5764.QDC.001.051.A.524111", "realisasi"] == 2_450_000
    assert df.loc["WA.4843.EBA.994.001.511111", "realisasi"] == 50_000_000
    assert df.loc["CD", "persen_realisasi"] == pytest.approx(24.5)


def test_realisasi_akun_unit_cari_and_agency(store):
    unit = reports.realisasi_akun(store, 2022, 3, unit="0103")
    assert (unit.iloc[0]["level"], unit.iloc[0]["pagu"], unit.iloc[0]["realisasi"]) == (
        "unit", 16_875_025, 6_375_025)
    assert reports.realisasi_akun(store, 2022, 3, unit="0102").iloc[0]["realisasi"] == 2e8
    cari = reports.realisasi_akun(store, 2022, 3, satker=PUSAT, cari="521")
    assert cari.loc[cari["level"] == "akun", "kode"].tolist() == ["521211"]
    assert cari.iloc[0]["realisasi"] == 6_375_025 and cari.iloc[0]["pagu"] == 16_875_025
    words = reports.realisasi_akun(store, 2022, 3, satker=PUSAT, cari="gaji pokok")
    assert words.iloc[0]["realisasi"] == 200_000_000
    agency = reports.realisasi_akun(store, 2022, 3).set_index("path")
    assert agency.loc["", "realisasi"] == REAL_PUSAT + REAL_KANREG == 258_825_025
    # komponen 001 holds 017220's 511111 (sub A) and 017231's (no sub)
    assert agency.loc["WA.4843.EBA.994.001", "realisasi"] == 250_000_000


def test_rankings(store):
    sat = reports.ranking_satker(store, 2022, 3)
    assert sat["kode"].tolist() == [PUSAT, KANREG]
    assert sat["realisasi"].tolist() == [REAL_PUSAT, REAL_KANREG]
    assert sat["persen_realisasi"].tolist() == pytest.approx(
        [206_375_025 / 1_216_887_025 * 100, 52_450_000 / 610_000_000 * 100])
    assert sat["sisa"].tolist() == [PAGU_PUSAT - REAL_PUSAT, PAGU_KANREG - REAL_KANREG]
    jan = reports.ranking_satker(store, 2022, 1)
    assert jan["realisasi"].tolist() == [REAL_PUSAT_JAN, 50_000_000]   # 8,59 % vs 8,20 %
    belanja_barang = reports.ranking_satker(store, 2022, 3, jenis_belanja="52")
    assert belanja_barang.set_index("kode")["realisasi"].to_dict() == {
        KANREG: 2_450_000, PUSAT: 6_375_025}
    unit = reports.ranking_unit(store, 2022, 3)
    assert unit["kode"].tolist() == ["0103", "0102"]
    assert unit["realisasi"].tolist() == [6_375_025, 200_000_000]
    assert unit["pagu"].tolist() == [16_875_025, 1_200_012_000]
    # The PN-tagged line is of a satker without unit kerja: nothing to rank.
    assert reports.ranking_prioritas_nasional(store, 2022, 3).empty


def test_realisasi_satker(store):
    agency = reports.realisasi_satker(store, 2022, 3).set_index("kode")
    assert agency["realisasi"].to_dict() == {PUSAT: REAL_PUSAT, KANREG: REAL_KANREG}
    feb = reports.realisasi_satker(store, 2022, 2, satker=PUSAT, bulan_dari=2).set_index("kode")
    assert feb["realisasi"].to_dict() == {"0102": 100_000_000, "0103": 1_875_025}
    one = reports.realisasi_satker(store, 2022, 3, satker=KANREG)
    assert one["realisasi"].tolist() == [REAL_KANREG]


def test_deviasi_kumulatif(store):
    df = reports.deviasi_kumulatif(store, 2022, 3).set_index(["kode", "bulan"])
    rencana = [105_001_000, 206_877_025, 311_878_025]
    realisasi = [104_500_000, REAL_PUSAT, REAL_PUSAT]
    for m in (1, 2, 3):
        row = df.loc[(PUSAT, m)]
        assert row["rencana_kumulatif"] == rencana[m - 1]
        assert row["realisasi_kumulatif"] == realisasi[m - 1]
        assert row["deviasi_persen"] == pytest.approx(
            abs(realisasi[m - 1] - rencana[m - 1]) / rencana[m - 1] * 100)
    assert df.loc[(PUSAT, 3), "deviasi_persen"] == pytest.approx(33.8283, abs=1e-4)
    assert df.loc[(KANREG, 1), "deviasi_persen"] == 0
    assert df.loc[(KANREG, 3), "rencana_kumulatif"] == 152_500_000
    assert df.loc[(KANREG, 3), "realisasi_kumulatif"] == REAL_KANREG
    assert np.isnan(df.loc[(KANREG, 4), "realisasi_kumulatif"])
    unit = reports.deviasi_kumulatif(store, 2022, 3, satker=PUSAT).set_index(["kode", "bulan"])
    assert unit.loc[("0103", 1), "rencana_kumulatif"] == 5_000_000
    assert unit.loc[("0103", 1), "realisasi_kumulatif"] == 4_500_000
    assert unit.loc[("0103", 1), "deviasi_persen"] == pytest.approx(10)
    assert unit.loc[("0102", 2), "realisasi_kumulatif"] == 200_000_000


def test_grafik_rpd_realisasi(store):
    df = reports.grafik_rpd_realisasi(store, 2022, 3)
    assert df["rencana_kumulatif"].tolist()[:3] == [155_001_000, 306_877_025, 464_378_025]
    assert df["realisasi_kumulatif"].tolist()[:3] == [154_500_000, 256_375_025, 258_825_025]
    assert df["realisasi_kumulatif"].iloc[3:].isna().all()
    unit = reports.grafik_rpd_realisasi(store, 2022, 2, unit="0103")
    assert unit["realisasi_kumulatif"].tolist()[:2] == [4_500_000, 6_375_025]


def test_grafik_target_realisasi(store):
    df = reports.grafik_target_realisasi(store, 2022, 3, satker=PUSAT)
    assert sorted(df["jenis_belanja"].unique()) == ["51", "52"]
    got = df.set_index(["jenis_belanja", "bulan"])
    assert got.loc[("51", 1), "realisasi_persen"] == pytest.approx(1e8 / 1_200_012_000 * 100)
    assert got.loc[("51", 2), "realisasi_persen"] == pytest.approx(2e8 / 1_200_012_000 * 100)
    assert got.loc[("52", 1), "realisasi_persen"] == pytest.approx(4.5e6 / 16_875_025 * 100)
    assert got.loc[("52", 3), "realisasi_persen"] == pytest.approx(6_375_025 / 16_875_025 * 100)
    assert got.loc[("51", 1), "target_persen"] == 7.92
    assert np.isnan(got.loc[("52", 4), "realisasi_persen"])
    kanreg = reports.grafik_target_realisasi(store, 2022, 3, satker=KANREG).set_index(
        ["jenis_belanja", "bulan"])
    assert kanreg.loc[("52", 3), "realisasi_persen"] == pytest.approx(24.5)


def test_realisasi_pok_has_akun_realisasi_and_items_without_detail(store):
    """Issue 24: OM-SPAN realisasi on akun and above, never 0; item lines "tanpa rincian
    item" (empty, not 0)."""
    pok = reports.realisasi_pok(store, 2022, 3, satker=PUSAT).set_index("path")
    assert pok.attrs["catatan"].startswith("Realisasi hanya sampai tingkat akun (data "
                                           "OM-SPAN): baris item tanpa rincian item")
    assert pok.iloc[0]["pagu"] == PAGU_PUSAT and pok.iloc[0]["realisasi"] == REAL_PUSAT
    assert pok.loc["WA", "realisasi"] == REAL_PUSAT
    assert pok.loc[GAJI, "realisasi"] == 200_000_000
    assert pok.loc[BAHAN, "realisasi"] == 6_375_025
    assert pok.loc[BAHAN, "sisa"] == 16_875_025 - 6_375_025
    items = pok[pok["level"] == "item"]
    assert len(items) == 4 and items["realisasi"].isna().all() and items["sisa"].isna().all()
    agency = reports.realisasi_pok(store, 2022, 3)
    assert agency.iloc[0]["uraian"] == "Seluruh Satker"
    assert agency.iloc[0]["realisasi"] == REAL_PUSAT + REAL_KANREG
    assert "untuk satker 017220, 017231" in agency.attrs["catatan"]


def test_item_reports_say_item_realisasi_is_missing(store):
    det = reports.deviasi_detail(store, 2022, 3, satker=PUSAT)
    assert det.attrs["catatan"].startswith("Realisasi tingkat item tidak tersedia")
    assert det["realisasi"].isna().all() and det["warna"].isna().all()
    assert det.iloc[0]["rencana"] == 105_001_000


# -- what cannot go down to one akun node ---------------------------------------------
def _with_extra_item(tmp_path: Path) -> Path:
    """The fixture plus a priced 521211 line of 3.000.000 under komponen 001 (unit 0102):
    017220's OM-SPAN 521211 can then mean two komponen of two unit kerja."""
    d = tmp_path / "d"
    shutil.copytree(LAYOUTS / "omspan", d)
    xml = (d / "d_item.xml").read_text(encoding="utf-8")
    recs = xml.split("\t<c_item>")
    src = next(r for r in recs if "<kdakun>521211</kdakun>" in r and "<noitem>1</noitem>" in r)
    new = src.replace("<kdkmpnen>002</kdkmpnen>", "<kdkmpnen>001</kdkmpnen>")
    for tag, v in (("hargasat", "3000000"), ("jumlah", "3000000"), ("volkeg", "1"),
                   ("januari", "3000000"), ("maret", "0")):
        start = new.index(f"<{tag}>")
        new = new[:start] + f"<{tag}>{v}</{tag}>" + new[new.index(f"</{tag}>") + len(tag) + 3:]
    (d / "d_item.xml").write_text(xml.replace("</VFPData>", "\t<c_item>" + new.rstrip()
                                              .removesuffix("</VFPData>") + "\n</VFPData>\n"),
                                  encoding="utf-8")
    return d


def test_akun_under_two_komponen_stays_on_the_ro(tmp_path):
    store = _ingest(_with_extra_item(tmp_path), tmp_path)
    try:
        assert store.scalar("SELECT sum(pagu)::DOUBLE FROM pok WHERE kode_satker = '017220'",
                            {}) == PAGU_PUSAT + 3_000_000
        df = reports.realisasi_akun(store, 2022, 3, satker=PUSAT)
        got = df.set_index("path")
        assert got.loc["", "realisasi"] == REAL_PUSAT
        assert got.loc["WA.4843.EBA.994", "realisasi"] == REAL_PUSAT
        assert got.loc["WA.4843.EBA.994.001", "realisasi"] == 200_000_000   # not split
        assert got.loc["WA.4843.EBA.994.002", "realisasi"] == 0
        assert got.loc[BAHAN, "realisasi"] == 0
        assert got.loc["WA.4843.EBA.994.001.A.521211", "realisasi"] == 0
        assert df.attrs["catatan"] == (
            "Realisasi OM-SPAN (tingkat akun) yang tidak dapat ditempatkan pada satu akun "
            "POK: satker 017220 akun 521211 (EBA.994, Rp6.375.025,00) ada di lebih dari satu "
            "komponen/subkomponen POK, dihitung sampai tingkat RO.")
        # No unit kerja gets what belongs to two of them; the satker keeps it.
        unit = reports.ranking_unit(store, 2022, 3).set_index("kode")
        assert unit["realisasi"].to_dict() == {"0102": 200_000_000, "0103": 0}
        assert reports.ranking_satker(store, 2022, 3).set_index("kode").loc[
            PUSAT, "realisasi"] == REAL_PUSAT
    finally:
        store.close()


def test_akun_not_in_pok_stays_on_its_ro(tmp_path):
    d = tmp_path / "d"
    shutil.copytree(LAYOUTS / "omspan", d)
    with open(d / "omspan_realisasi.csv", "a", encoding="utf-8") as f:
        f.write("017231,088,08801,522111,WA,4843,EBA.994,KP,A,1,,0100,DIPA,10/03/2022,1000000\n")
    store = _ingest(d, tmp_path)
    try:
        df = reports.realisasi_akun(store, 2022, 3, satker=KANREG)
        got = df.set_index("path")
        assert got.loc["", "realisasi"] == REAL_KANREG + 1_000_000
        assert got.loc["WA.4843.EBA.994", "realisasi"] == 51_000_000
        assert got.loc["WA.4843.EBA.994.001", "realisasi"] == 50_000_000
        assert "akun 522111 (EBA.994, Rp1.000.000,00) tidak ada di POK, dihitung sampai " \
               "tingkat RO" in df.attrs["catatan"]
        assert reports.ranking_satker(store, 2022, 3).set_index("kode").loc[
            KANREG, "realisasi"] == REAL_KANREG + 1_000_000
    finally:
        store.close()


def test_each_item_line_says_tanpa_rincian_item_on_page_and_in_excel(store, tmp_path):
    """Issue 24: not only the note — every item line a user reads says it has no detail,
    its realisasi empty (never Rp0), the akun above it carrying the OM-SPAN realisasi."""
    from openpyxl import load_workbook

    from spektra_lib.export import write
    from spektra_lib.present.tree import hierarchy_table
    pok = reports.realisasi_pok(store, 2022, 3, satker=PUSAT)
    items = pok[pok["level"] == "item"]
    assert items["keterangan"].tolist() == ["tanpa rincian item"] * 4
    assert pok.loc[pok["level"] != "item", "keterangan"].isna().all()
    import re

    def item_rows(html: str) -> list[str]:
        return re.findall(r'<tbody class="node level-item".*?</tbody>', html, re.S)
    page = hierarchy_table(pok, laporan="realisasi_pok")
    assert ">Keterangan<" in page
    shown = item_rows(page)
    assert len(shown) == 4 and all(">tanpa rincian item<" in r for r in shown)
    assert not any(">0<" in r for r in shown)   # as if nothing were spent: what it was before
    spent_nothing = pok.assign(realisasi=pok["realisasi"].fillna(0))
    assert all(">0<" in r for r in item_rows(hierarchy_table(spent_nothing,
                                                             laporan="realisasi_pok")))
    write(pok, tmp_path / "pok.xlsx", report="realisasi_pok")
    ws = load_workbook(tmp_path / "pok.xlsx")["Laporan"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if "Keterangan" in r)
    k, real = rows[head].index("Keterangan"), rows[head].index("Realisasi")
    lines = [r for r in rows[head + 1:] if r[k] == "tanpa rincian item"]
    assert len(lines) == 4 and all(r[real] is None for r in lines)
    # the agency: every item line here belongs to an akun-only satker
    agency = reports.realisasi_pok(store, 2022, 3)
    a_items = agency[agency["level"] == "item"]
    assert len(a_items) == 6 and a_items["realisasi"].isna().all()
    assert set(a_items["keterangan"]) == {"tanpa rincian item"}


def test_agency_item_line_names_how_many_satker_lack_detail(tmp_path):
    """A third satker with the same item path as 017220's gaji line, and item-level
    realisasi 7.000.000: agency-wide that line sums its realisasi and says that one of its
    two satker has no item detail; a satker with item data has no Keterangan column."""
    d = tmp_path / "d"
    shutil.copytree(LAYOUTS / "omspan", d)
    base = LAYOUTS / "kanonik"
    lines = (base / "pok.csv").read_text(encoding="utf-8").splitlines(True)
    gaji = next(x for x in lines if ",017220," in x and ",511111," in x)
    (d / "pok.csv").write_text(lines[0] + gaji.replace(",017220,", ",017299,").replace(
        ",0102,", ",,"), encoding="utf-8")
    (d / "satker.csv").write_text("kode_satker,nama_satker,kelompok\n017299,SATKER UJI,LAINNYA\n",
                                  encoding="utf-8")
    (d / "realisasi.csv").write_text(
        "tahun,kode_satker,kode_program,kode_kegiatan,kode_kro,kode_ro,kode_komponen,"
        "kode_subkomponen,kode_akun,no_item,tanggal,nilai\n"
        "2022,017299,WA,4843,EBA,994,001,A,511111,1,2022-02-25,7000000\n", encoding="utf-8")
    store = _ingest(d, tmp_path)
    agency = reports.realisasi_pok(store, 2022, 3).set_index("path")
    line = agency.loc[GAJI + ".1"]
    assert line["realisasi"] == 7_000_000
    assert line["keterangan"] == "tanpa rincian item di 1 dari 2 satker"
    assert np.isnan(agency.loc[BAHAN + ".1", "realisasi"])
    assert agency.loc[BAHAN + ".1", "keterangan"] == "tanpa rincian item"
    own = reports.realisasi_pok(store, 2022, 3, satker="017299")
    assert own["keterangan"].isna().all() and own.iloc[-1]["realisasi"] == 7_000_000
    from spektra_lib.present.tree import hierarchy_table
    assert ">Keterangan<" not in hierarchy_table(own, laporan="realisasi_pok")
