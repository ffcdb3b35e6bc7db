"""Layout recognition and round trips: write(layout) then read() gives the tables back."""
import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.sources import detect, sakti
from spektra_lib.synth.write import LAYOUTS, write

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("make_corpus", DATA / "make_corpus.py")
_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_corpus)
FROM_BASE = _corpus.FROM_BASE
BASE = DATA / "layouts" / "kanonik"


@pytest.fixture(scope="module")
def base():
    b = detect.read(BASE)
    assert b.problems == [] and b.layout == "kanonik"
    return b.tables


def _norm(df: pd.DataFrame, drop=()) -> pd.DataFrame:
    df = df.drop(columns=[c for c in ("_file", "_row", *drop) if c in df.columns])
    df = df.astype("string").fillna("")
    return df.sort_values(list(df.columns)).reset_index(drop=True)


# What a layout cannot carry: unit kerja of POK lines (assigned by organisasi at ingest)
# and, for OM-SPAN, item-level realisasi (it becomes realisasi_akun).
# A real layout's own item key (cons_item) is kept beside the canonical pok.
LOST = {"kanonik": set(), "kanonik-xlsx": set(), "sakti": {"kode_unit", "cons_item"},
        "adk": {"kode_unit", "cons_item"}, "adk-dbf": {"kode_unit", "cons_item"},
        "omspan": {"kode_unit", "cons_item"}, "sakti-json": {"kode_unit", "cons_item"},
        "adk-keu": {"kode_unit", "cons_item"}, "omspan-xlsx": {"kode_unit", "cons_item"},
        "sakti-xlsx": {"kode_unit", "cons_item"}}


READ_AS = {"kanonik": "kanonik", "kanonik-xlsx": "kanonik", "sakti": "sakti", "sakti-json": "sakti", "sakti-xlsx": "sakti-xlsx", "adk-keu": "adk+sakti", "omspan-xlsx": "adk+omspan",
           "adk": "adk+sakti", "adk-dbf": "adk+sakti", "omspan": "adk+omspan"}


# sakti-laporan writes realisasi as GLP039 sums per item and period (not payment lines):
# read back in tests/test_sources_glp039.py::test_synth_sakti_laporan_reads_back; myintress
# the printed POK (ribuan) and one SPP per SPM: tests/test_synth.py's ingest_cleanly
@pytest.mark.parametrize("layout", [lay for lay in LAYOUTS
                                    if lay not in ("sakti-laporan", "myintress")])
def test_round_trip(layout, base, tmp_path):
    write(base, tmp_path / layout, layout)
    back = detect.read(tmp_path / layout, tahun=2022)
    assert back.problems == []
    assert back.layout == READ_AS[layout]
    expected = dict(base)
    if layout in ("omspan", "omspan-xlsx"):
        from spektra_lib.sources.omspan import from_realisasi
        expected["realisasi_akun"] = from_realisasi(expected.pop("realisasi"))
    assert sorted(back.tables) == sorted(expected)
    for name, df in expected.items():
        drop = LOST[layout] if name == "pok" else set()
        pd.testing.assert_frame_equal(_norm(back.tables[name], drop), _norm(df, drop),
                                      obj=f"{layout}:{name}")


# written from the base by make_corpus.py; the other real-layout fixtures (sakti-json,
# sakti-xlsx, adk-keu, omspan-xlsx) have figures of their own, tested in their modules
@pytest.mark.parametrize("layout", FROM_BASE)
def test_committed_samples_read_as_the_base(layout, base):
    back = detect.read(DATA / "layouts" / layout, tahun=2022)
    assert back.problems == []
    assert back.tables["pok"]["pagu"].sum() == base["pok"]["pagu"].sum() == 1_826_887_025
    assert sorted(back.tables["pok"]["no_item"]) == sorted(base["pok"]["no_item"])


def test_recognised_by_header_not_name(tmp_path, base):
    write(base, tmp_path / "s", "sakti")
    flat = tmp_path / "flat"
    flat.mkdir()
    for i, p in enumerate(sorted((tmp_path / "s").rglob("*.csv"))):
        shutil.copy(p, flat / f"ekspor_{i:02d}.csv")
    back = detect.read(flat, tahun=2022)
    assert back.problems == [] and back.layout == "sakti"
    assert len(back.tables["realisasi"]) == 7 and len(back.tables["pok"]) == 6
    assert back.tables["pok"]["nama_akun"].notna().all()


def test_mixed_folder_adk_item_sakti_realisasi_canonical_satker(tmp_path, base):
    write({"pok": base["pok"]}, tmp_path / "m", "adk")
    # PEM/realisasi beside an ADK d_item (which has no CONS_ITEM): KODE_ITEM in our dotted form
    write({"realisasi": base["realisasi"], "spp": base["spp"]}, tmp_path / "m", "adk")
    write({"satker": base["satker"], "unit_kerja": base["unit_kerja"]}, tmp_path / "m",
                 "kanonik")
    back = detect.read(tmp_path / "m")
    assert back.problems == [] and back.layout == "adk+sakti"
    assert sorted(back.tables) == ["pok", "realisasi", "satker", "spp", "unit_kerja"]
    # realisasi without dataAng: KODE_ITEM (= CONS_ITEM) names the item itself
    pd.testing.assert_frame_equal(_norm(back.tables["realisasi"]), _norm(base["realisasi"]))


def test_adk_keeps_priced_lines_only_and_reads_month_spellings(tmp_path, base):
    write({"pok": base["pok"]}, tmp_path, "adk")
    xml = (tmp_path / "d_item.xml").read_text(encoding="utf-8")
    assert xml.count("<header1>1</header1>") == 5            # one header line per akun
    assert "<pebruari>" in xml and "<nopember>" in xml
    assert "&lt;rapat&gt; &amp; snack" in xml
    alt = xml.replace("pebruari>", "februari>").replace("nopember>", "november>")
    (tmp_path / "d_item.xml").write_text(alt, encoding="utf-8")
    pok = detect.read(tmp_path, tahun=2022).tables["pok"]
    assert len(pok) == 6
    assert pok["rpd_02"].sum() == base["pok"]["rpd_02"].sum()
    assert pok["rpd_11"].sum() == base["pok"]["rpd_11"].sum()


def test_sakti_realisasi_joins_by_cons_item(tmp_path, base):
    write({"pok": base["pok"], "realisasi": base["realisasi"]}, tmp_path, "sakti")
    ang = pd.read_csv(tmp_path / "ANG" / "dataAng.csv", sep=";", dtype=str)
    # A real SAKTI CONS_ITEM is opaque: replace it, the join must still hold via dataAng.
    opaque = {c: f"X{i:05d}" for i, c in enumerate(ang["CONS_ITEM"])}
    ang["CONS_ITEM"] = ang["CONS_ITEM"].map(opaque)
    ang.to_csv(tmp_path / "ANG" / "dataAng.csv", sep=";", index=False)
    pem = pd.read_csv(tmp_path / "PEM" / "realisasi.csv", sep=";", dtype=str, keep_default_na=False)
    pem["KODE_ITEM"] = pem["KODE_ITEM"].map(opaque)
    pem.to_csv(tmp_path / "PEM" / "realisasi.csv", sep=";", index=False)
    back = detect.read(tmp_path, tahun=2022)
    assert back.problems == []
    pd.testing.assert_frame_equal(_norm(back.tables["realisasi"]), _norm(base["realisasi"]))
    pem.loc[0, "KODE_ITEM"] = "TIDAKADA"
    pem.to_csv(tmp_path / "PEM" / "realisasi.csv", sep=";", index=False)
    assert [str(p) for p in detect.read(tmp_path, tahun=2022).problems] == [
        "PEM/realisasi.csv:2: KODE_ITEM: item 'TIDAKADA' satker 017220 tidak ada di dataAng "
        "(CONS_ITEM) berkas ini maupun di POK yang sudah dimuat"]


def test_omspan_notes_say_item_reports_are_unavailable(tmp_path, base):
    write(base, tmp_path, "omspan")
    back = detect.read(tmp_path, tahun=2022)
    assert "realisasi" not in back.tables
    assert back.tables["realisasi_akun"]["nilai"].sum() == base["realisasi"]["nilai"].sum()
    assert len(back.notes) == 1
    assert "tingkat akun" in back.notes[0] and "017220, 017231" in back.notes[0]
    assert "tidak tersedia" in back.notes[0]


def test_unknown_file_is_skipped_with_one_line(tmp_path):
    (tmp_path / "catatan.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    b = detect.read(tmp_path, tahun=2022)
    assert b.problems == []
    assert [str(p) for p in b.skipped] == [
        "catatan.csv:1: -: berkas tidak didukung, dilewati: tampak seperti A, B (bukan tabel "
        "kanonik, laporan SAKTI, ADK, atau OM-SPAN yang dikenal)"]


def test_cons_item_is_stable(base):
    c = sakti.cons_item(base["pok"])
    assert c.iloc[0] == "2022.017220.WA.4843.EBA.994.001.A.511111.1"
    assert c.is_unique


def test_write_is_deterministic(tmp_path, base):
    for layout in ("sakti", "adk-dbf"):
        a = write(base, tmp_path / "a" / layout, layout)
        b = write(base, tmp_path / "b" / layout, layout)
        assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


# -- SAKTI PEM/realisasi read in slices (issue 7: 9 million lines at national scale) -----
SAKTI = DATA / "layouts" / "sakti"


def _sakti_copy(tmp_path: Path, edit=None) -> Path:
    folder = tmp_path / "sakti"
    shutil.copytree(SAKTI, folder)
    if edit:
        pem = folder / "PEM" / "realisasi.csv"
        lines = pem.read_text(encoding="utf-8").splitlines()
        pem.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return folder


def _read_both(folder: Path, monkeypatch):
    whole = detect.read(folder)
    from spektra_lib.sources import files
    monkeypatch.setattr(detect, "PEM_SLICE", 2)
    monkeypatch.setattr(files, "STREAM_BLOCK", 700)  # ~2 lines per Arrow batch
    sizes, real_iter = [], files.iter_csv

    def counted(*a, **kw):
        for raw in real_iter(*a, **kw):
            sizes.append(len(raw.df))
            yield raw
    monkeypatch.setattr(detect, "iter_csv", counted)
    sliced = detect.read(folder)
    sliced.slices = sizes
    return whole, sliced


def test_pem_in_slices_reads_the_same_lines_and_line_numbers(tmp_path, monkeypatch):
    whole, sliced = _read_both(_sakti_copy(tmp_path), monkeypatch)
    assert whole.problems == sliced.problems == []
    assert len(sliced.slices) >= 3 and sum(sliced.slices) == 7, sliced.slices
    a, b = whole.tables["realisasi"], sliced.tables["realisasi"]
    assert len(a) == 7
    assert list(b["_row"]) == list(a["_row"]) == list(range(2, 9))
    pd.testing.assert_frame_equal(a.drop(columns="_file"), b.drop(columns="_file"))
    assert b["nilai"].sum() == a["nilai"].sum()


def test_bad_value_in_a_late_slice_is_named_by_file_line_and_column(tmp_path, monkeypatch):
    def bad(lines):
        cells = lines[6].split(";")
        cells[-2] = "12a.000,00"                # NILAI_RUPIAH of line 7
        lines[6] = ";".join(cells)
        return lines
    whole, sliced = _read_both(_sakti_copy(tmp_path, bad), monkeypatch)
    assert sliced.problems == whole.problems
    assert len(sliced.slices) >= 3, sliced.slices
    msgs = [str(p) for p in sliced.problems]
    assert len(msgs) == 1 and msgs[0].startswith("PEM/realisasi.csv:7: NILAI_RUPIAH:"), msgs


def test_pem_the_fast_reader_cannot_take_falls_back_whole(tmp_path, monkeypatch):
    # an empty line mid-file: the careful reader keeps every line number as a user sees it
    whole, sliced = _read_both(_sakti_copy(tmp_path, lambda ls: ls[:4] + [""] + ls[4:]),
                               monkeypatch)
    assert sliced.problems == whole.problems == []
    assert sliced.slices == []         # refused before a slice: read whole, carefully
    rows = list(sliced.tables["realisasi"]["_row"])
    assert rows == list(whole.tables["realisasi"]["_row"]) == [2, 3, 4, 6, 7, 8, 9]


def test_pem_fallback_after_some_slices_gives_the_whole_reads_problems(tmp_path, monkeypatch):
    # line 8 has one cell too many: pyarrow stops there, after slices were already parsed
    whole, sliced = _read_both(_sakti_copy(tmp_path, lambda ls: ls[:7] + [ls[7] + ";x"]),
                               monkeypatch)
    assert sliced.slices, "some slices came before the refusal"
    assert sliced.problems == whole.problems
    msgs = [str(p) for p in sliced.problems]
    assert msgs == [str(p) for p in whole.problems]
    assert msgs == ["PEM/realisasi.csv:8: -: baris ini berisi 20 kolom, padahal header 19 "
                    "kolom (pemisah di dalam teks? beri tanda kutip)"]


# -- big canonical CSVs (realisasi, pok) are parsed in slices too ---------------------------
def _kanonik_both(folder: Path, monkeypatch):
    from spektra_lib.sources import files
    whole = detect.read(folder)
    monkeypatch.setattr(detect, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(detect, "PEM_SLICE", 2)
    monkeypatch.setattr(files, "STREAM_BLOCK", 500)
    sizes, real_iter = [], files.iter_csv

    def counted(*a, **kw):
        for raw in real_iter(*a, **kw):
            sizes.append((raw.name, len(raw.df)))
            yield raw
    monkeypatch.setattr(detect, "iter_csv", counted)
    sliced = detect.read(folder)
    return whole, sliced, sizes


def test_kanonik_tables_in_slices_are_the_same(monkeypatch):
    whole, sliced, sizes = _kanonik_both(BASE, monkeypatch)
    assert sliced.problems == whole.problems == []
    for big in ("realisasi.csv", "pok.csv"):
        assert sum(1 for n, _ in sizes if n == big) >= 2, sizes
    for name in ("realisasi", "pok"):
        pd.testing.assert_frame_equal(sliced.tables[name], whole.tables[name], obj=name)


def test_kanonik_slices_report_problems_as_the_whole_file(tmp_path, monkeypatch):
    folder = tmp_path / "k"
    shutil.copytree(BASE, folder)
    p = folder / "realisasi.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[-1].split(",")
    cells[header.index("nilai")] = "sejuta"
    lines[-1] = ",".join(cells)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole, sliced, sizes = _kanonik_both(folder, monkeypatch)
    msgs = [str(x) for x in sliced.problems]
    assert msgs == [str(x) for x in whole.problems]
    assert len(msgs) == 1 and msgs[0].startswith(f"realisasi.csv:{len(lines)}: nilai:"), msgs
