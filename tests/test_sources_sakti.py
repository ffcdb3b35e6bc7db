"""The SAKTI monitoring service's real output (DOMAIN.md §6): JSON envelope, no THANG,
numeric CONS_ITEM, revisions in KODE_STS_HISTORY, codes written with their parents,
foreign-currency lines, and the monthly realisasi-only update.

Fixture tests/data/layouts/sakti-json, written from the column lists of DOMAIN §6 for
satker 017231 (figures by hand):
- 511111 item 1, revision 1: 12 BLN × 50.000.000 = 600.000.000, RPD 50.000.000 a month
  (revision 0, 10 BLN = 500.000.000, is superseded);
- 524111 item 1 under komponen ZZ1 / subkomponen A: 10 OK × 1.500.000 = 15.000.000,
  RPD Maret 5.000.000 and Juni 10.000.000;
- realisasi: gaji Januari and Februari 50.000.000 each, one USD line of 100 × 15.000 =
  1.500.000 rupiah in Maret: 101.500.000 by the end of Maret.
"""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib import reports
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect, layout
from spektra_lib.store import Store

DATA = Path(__file__).parent / "data" / "layouts"
JSON = DATA / "sakti-json"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        yield s


def test_service_json_loads_with_tahun(store):
    s = ingest_path(JSON, store, tahun=2022)
    assert s.layout == "sakti"
    assert any("revisi ke-1, baris revisi 0 dilewati" in n for n in s.notes)
    pok = store.sql("SELECT kode_program, kode_kegiatan, kode_kro, kode_ro, kode_komponen, "
                    "kode_subkomponen, kode_akun, no_item, volume, pagu, rpd_03, rpd_06, "
                    "revisi, cons_item FROM pok ORDER BY kode_akun")
    pok = pok.astype(object).where(pok.notna(), None)
    assert pok.to_dict("records") == [
        {"kode_program": "WA", "kode_kegiatan": "4843", "kode_kro": "EBA", "kode_ro": "994",
         "kode_komponen": "001", "kode_subkomponen": None, "kode_akun": "511111",
         "no_item": "1", "volume": 12.0, "pagu": 600_000_000, "rpd_03": 50_000_000,
         "rpd_06": 50_000_000, "revisi": 1, "cons_item": "9001001"},
        {"kode_program": "WA", "kode_kegiatan": "4843", "kode_kro": "EBA", "kode_ro": "994",
         "kode_komponen": "ZZ1", "kode_subkomponen": "A", "kode_akun": "524111",
         "no_item": "1", "volume": 10.0, "pagu": 15_000_000, "rpd_03": 5_000_000,
         "rpd_06": 10_000_000, "revisi": 1, "cons_item": "9001002"}]
    real = store.sql("SELECT kode_akun, tanggal, nilai FROM realisasi ORDER BY tanggal")
    assert real["nilai"].tolist() == [50_000_000, 50_000_000, 1_500_000]   # the USD line in rupiah
    cap = store.sql("SELECT bulan, rvro, pcro, revisi FROM capaian_ro ORDER BY bulan")
    assert cap.values.tolist() == [[1, 1, 8.33, 1], [2, 1, 8.34, 1], [3, 1, 8.33, 1]]
    rank = reports.run("ranking_satker", store, tahun=2022, bulan=3)
    row = rank.set_index("kode").loc["017231"]
    assert (row["pagu"], row["realisasi"]) == (615_000_000, 101_500_000)
    assert round(row["persen_realisasi"], 4) == round(101_500_000 / 615_000_000 * 100, 4) == 16.5041
    pok_rep = reports.run("realisasi_pok", store, tahun=2022, bulan=3, satker="017231")
    items = pok_rep[pok_rep["level"] == "item"].set_index("path")
    assert items.loc["WA.4843.EBA.994.ZZ1.A.524111.1", "realisasi"] == 1_500_000
    assert items.loc["WA.4843.EBA.994.001.511111.1", "sisa"] == 500_000_000


def test_without_tahun_the_refusal_says_to_give_it(store):
    with pytest.raises(IngestError) as e:
        ingest_path(JSON, store)
    lines = [str(p) for p in e.value.problems]
    hint = ("ini tidak memuat tahun anggaran (keluaran layanan SAKTI tidak punya kolom THANG): "
            "jalankan dengan --tahun, misalnya `spektra ingest FOLDER --tahun 2022`")
    assert lines == [f"capaianRO_017231.json:-: -: berkas capaianRO {hint}",
                     f"dataAng_017231.json:-: -: berkas dataAng {hint}"]
    assert store.counts()["pok"] == 0


def test_a_year_in_the_file_must_agree_with_tahun(store):
    with pytest.raises(IngestError) as e:
        ingest_path(DATA / "sakti", store, tahun=2023)
    lines = [str(p) for p in e.value.problems]
    assert "ANG/dataAng.csv:2: THANG: tahun 2022 di berkas berbeda dengan --tahun 2023" in lines


def _pem_only(tmp_path: Path, kode_item, tanggal="2022-04-25", nilai=50_000_000) -> Path:
    rows = json.loads((JSON / "realisasi_017231.json").read_text())[1][:1]
    rows[0].update(KODE_ITEM=kode_item, TGL_SP2D=tanggal, NILAI_RUPIAH=nilai,
                   NO_SP2D="220311301000004", NO_SPP="00004T")
    out = tmp_path / "april"
    out.mkdir()
    (out / "realisasi_017231_2022-04.json").write_text(
        json.dumps([[{"TOKEN": "x"}], rows]), encoding="utf-8")
    return out


def test_monthly_realisasi_only_update_is_keyed_by_the_stored_cons_item(store, tmp_path):
    ingest_path(JSON, store, tahun=2022)
    before = store.sql("SELECT kode_akun, no_item, tanggal, nilai FROM realisasi "
                       "WHERE month(tanggal) <> 4 ORDER BY ALL").values.tolist()
    # the monthly update replaces the months it covers (here April, one line) and keeps
    # every other month of the satker
    s = ingest_path(_pem_only(tmp_path, 9001001), store, tahun=2022)
    # the SPP the line names is the satker's monitoring SPP row of April (issue 24)
    assert s.rows == {"realisasi": 1, "spp": 1}
    got = store.sql("SELECT kode_akun, no_item, tanggal, nilai FROM realisasi ORDER BY ALL")
    assert got.query("tanggal.dt.month == 4").values.tolist() == [
        ["511111", "1", pd.Timestamp("2022-04-25"), 50_000_000]]
    assert got.query("tanggal.dt.month != 4").values.tolist() == before
    assert len(before) == 3
    assert store.counts()["pok"] == 2   # the budget untouched


def test_monthly_update_for_an_item_nobody_knows_is_refused(store, tmp_path):
    ingest_path(JSON, store, tahun=2022)
    before = store.fingerprint()
    with pytest.raises(IngestError) as e:
        ingest_path(_pem_only(tmp_path, 1234), store, tahun=2022)
    assert [str(p) for p in e.value.problems] == [
        "realisasi_017231_2022-04.json:1: KODE_ITEM: item '1234' satker 017231 tidak ada "
        "di dataAng (CONS_ITEM) berkas ini maupun di POK yang sudah dimuat"]
    assert store.fingerprint() == before


def test_a_renamed_or_lower_case_column_is_a_layout_alias(tmp_path):
    out = tmp_path / "v"
    shutil.copytree(JSON, out)
    env = json.loads((out / "dataAng_017231.json").read_text())
    env[1] = [{("kode_satker" if k == "KDSATKER" else k.lower()): v for k, v in r.items()}
              for r in env[1]]
    (out / "dataAng_017231.json").write_text(json.dumps(env))
    back = detect.read(out, tahun=2022)
    assert back.problems == []
    assert back.tables["pok"]["pagu"].sum() == 615_000_000
    assert "KODE_SATKER" in layout.load("sakti_dataang").field("kode_satker").sources


def test_a_parent_code_that_disagrees_is_named(tmp_path):
    out = tmp_path / "v"
    shutil.copytree(JSON, out)
    env = json.loads((out / "dataAng_017231.json").read_text())
    env[1][-1]["KODE_OUTPUT"] = "4844.EBA"
    (out / "dataAng_017231.json").write_text(json.dumps(env))
    assert [str(p) for p in detect.read(out, tahun=2022).problems] == [
        "dataAng_017231.json:6: kode_kro: kode KRO '4844.EBA' tidak sesuai kode kegiatan '4843' "
        "di baris yang sama"]


@pytest.mark.parametrize("text, message", [
    ('[[{"TOKEN": "x"}], [{"A": 1}', "JSON tidak dapat dibaca (baris 1, kolom 29): berkas "
                                     "terpotong atau bukan JSON"),
    ('{"hasil": 1}', 'JSON bukan keluaran layanan SAKTI: tidak ada daftar baris data '
                     '(diharapkan [[{"TOKEN": …}], [{baris}, …]])'),
])
def test_broken_json_is_one_line(tmp_path, text, message):
    (tmp_path / "x.json").write_text(text)
    assert [str(p) for p in detect.read(tmp_path).problems] == [f"x.json:-: -: {message}"]


def test_an_unknown_file_names_the_nearest_layout_and_what_it_lacks(tmp_path):
    (tmp_path / "anggaran.csv").write_text("KDSATKER;KODE_AKUN;HARGASAT;TOTAL\n017231;511111;1;1\n")
    [p] = detect.read(tmp_path).problems
    assert str(p).startswith("anggaran.csv:1: -: jenis berkas tidak dikenali dari kolomnya")
    assert ("paling mirip SAKTI ANG/dataAng — POK per item, yang kurang kolom KODE_PROGRAM, "
            "KODE_KEGIATAN, KODE_OUTPUT, KODE_SUBOUTPUT, KODE_KOMPONEN, NOMOR_ITEM, VOLKEG, "
            "POK_NILAI_1") in str(p)


def test_header_lines_with_a_total_are_named_in_a_note(tmp_path):
    out = tmp_path / "v"
    shutil.copytree(JSON, out)
    env = json.loads((out / "dataAng_017231.json").read_text())
    env[1][2]["TOTAL"] = 600000000    # the revision-1 header line of akun 511111
    (out / "dataAng_017231.json").write_text(json.dumps(env))
    back = detect.read(out, tahun=2022)
    assert back.problems == [] and back.tables["pok"]["pagu"].sum() == 615_000_000
    assert any(n.startswith("dataAng_017231.json: 1 baris header (HEADER1/HEADER2 bukan 0) "
                            "membawa TOTAL (baris 3)") for n in back.notes)


def test_every_layout_is_documented():
    text = (Path(__file__).parents[1] / "docs" / "layouts.md").read_text(encoding="utf-8")
    missing = [lay.name for lay in layout.all_layouts() if f"`{lay.name}`" not in text]
    assert missing == []


def test_a_json_amount_with_three_decimals_is_not_read_as_thousands(tmp_path):
    # 1.875 as a JSON number is one rupiah and a fraction, not 1.875 (= 1875) as Indonesian text
    out = tmp_path / "v"
    shutil.copytree(JSON, out)
    env = json.loads((out / "realisasi_017231.json").read_text())
    env[1][2]["NILAI_RUPIAH"] = 1.875
    (out / "realisasi_017231.json").write_text(json.dumps(env))
    real = detect.read(out, tahun=2022).tables["realisasi"]
    assert sorted(real["nilai"])[0] == 1.875


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_same_service_rows_saved_as_csv_or_xlsx(tmp_path, fmt):
    """Agencies also save the service's rows as CSV (`;`, Indonesian numbers) or XLSX."""
    out = tmp_path / fmt
    out.mkdir()
    for name in ("satker.csv", "ro_target.csv", "target_penyerapan.csv"):
        shutil.copy(JSON / name, out)
    for name in ("dataAng_017231", "realisasi_017231", "capaianRO_017231"):
        rows = pd.DataFrame(json.loads((JSON / f"{name}.json").read_text())[1])
        if fmt == "csv":
            text = rows.astype(object).where(rows.notna(), "").astype(str)
            text.to_csv(out / f"{name}.csv", sep=";", index=False)
        else:
            rows.to_excel(out / f"{name}.xlsx", sheet_name=name.split("_")[0], index=False)
    back = detect.read(out, tahun=2022)
    assert back.problems == []
    assert back.tables["pok"]["pagu"].sum() == 615_000_000
    assert back.tables["realisasi"]["nilai"].sum() == 101_500_000
    assert {r["layout"] for r in back.recognised} >= {"sakti_dataang", "sakti_realisasi",
                                                      "sakti_capaian_ro"}
