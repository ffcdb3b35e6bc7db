"""Issue 11: whatever a user gives `spektra ingest` (any file, any bytes, any name), the
answer is Indonesian `file:row: column: problem` lines, a non-zero exit and a store that
keeps exactly what it had; never a Python traceback. Hand-picked regressions, each with
its exact lines (the property test in test_property_ingest.py covers the rest)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from spektra_lib.cli import main
from spektra_lib.ingest import check_path, ingest_path
from spektra_lib.problems import Problem
from spektra_lib.store import Store

DATA = Path(__file__).parent / "data"
BASE = DATA / "layouts" / "kanonik"
LIMITS = "parameters/batas_input.yaml"


# -- helpers ---------------------------------------------------------------------------
def table(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((BASE / name).read_text(encoding="utf-8"))))


def edited(name: str, *edits: tuple[int, str, str]) -> str:
    """The base file `name` with cells (row index, column, new text) replaced."""
    rows = table(name)
    for i, col, value in edits:
        rows[i][rows[0].index(col)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def folder(root: Path, files: dict) -> Path:
    """Files by name (str, or bytes for names that are not UTF-8) -> str or bytes."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        raw = os.fsencode(root) + b"/" + (name if isinstance(name, bytes) else name.encode())
        with open(raw, "wb") as fh:
            fh.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def state(path: Path):
    with Store(path, read_only=True) as s:
        return s.counts(), s._content_digest(), s.fingerprint()


def run(argv: list[str], capsys) -> tuple[int, list[str], list[str]]:
    rc = main(argv)
    cap = capsys.readouterr()
    return rc, cap.out.splitlines(), cap.err.splitlines()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """A store holding the canonical fixture: the POK every monthly update builds on."""
    path = tmp_path_factory.mktemp("robust") / "s.duckdb"
    with Store(path) as s:
        ingest_path(BASE, s)
    return path


@pytest.fixture
def store_path(loaded, tmp_path) -> Path:
    """A private copy of `loaded`, for tests that load."""
    p = tmp_path / "s.duckdb"
    shutil.copy(loaded, p)
    return p


def refused(case: Path, store: Path, capsys) -> list[str]:
    """Ingest `case`: refused, exit 1, the store unchanged; the problem lines."""
    before = state(store)
    rc, out, err = run(["ingest", str(case), "--store", str(store)], capsys)
    assert rc == 1, (out, err)
    assert err[0].startswith("Ingest ditolak:") and err[0].endswith("store tidak berubah.")
    assert not any("Traceback" in line for line in err)
    assert state(store) == before
    return err[1:]


# -- 1. DuckDB 2.x: the monthly realisasi-only update, a header-only file ------------------
def test_duckdb_is_the_newest_the_dependency_range_allows():
    assert int(duckdb.__version__.split(".")[0]) >= 2, "run this file against DuckDB 2.x too"


def test_realisasi_only_folder_is_the_monthly_update(store_path, tmp_path, capsys):
    extra = edited("realisasi.csv") + "2022,017220,WA,4843,EBA,994,001,A,511111,1,2022-03-25,100000000,220011301000009\n"
    case = folder(tmp_path / "bulanan", {"realisasi.csv": extra})
    rc, out, err = run(["ingest", str(case), "--store", str(store_path)], capsys)
    assert (rc, err) == (0, [])
    assert "data dimuat; realisasi 8" in out[0]
    with Store(store_path, read_only=True) as s:
        assert s.scalar("SELECT count(*) FROM realisasi") == 8
        assert s.scalar("SELECT count(*) FROM pok") == 6          # the POK stays
        assert s.scalar("SELECT sum(nilai) FROM realisasi_bulan WHERE bulan = 3 "
                        "AND kode_satker = '017220'") == 100_000_000


def test_realisasi_only_for_an_item_the_store_lacks_is_refused(store_path, tmp_path, capsys):
    case = folder(tmp_path / "c", {"realisasi.csv": edited("realisasi.csv", (1, "no_item", "9"))})
    assert refused(case, store_path, capsys) == [
        "realisasi.csv:2: no_item: realisasi untuk item yang tidak ada di POK: "
        "WA.4843.EBA.994.001.A.511111.9 (satker 017220, tahun 2022, Rp100.000.000)"]


def test_header_only_file_loads_nothing_and_says_so(store_path, tmp_path, capsys):
    header = (BASE / "pok.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
    case = folder(tmp_path / "c", {"pok.csv": header})
    before = state(store_path)
    rc, out, err = run(["ingest", str(case), "--store", str(store_path)], capsys)
    assert (rc, err) == (0, [])
    assert "tidak ada perubahan (data sama); tidak ada baris data" in out[0]
    note = ("Catatan: pok.csv: hanya header, tanpa baris data; tidak ada yang dimuat "
            "ke tabel pok (data pok di store tetap).")
    # the fixture's store was loaded without `spektra ingest`: its IKPA history is kept now
    assert out[1] == note and len(out) == 3
    assert out[2].startswith("Catatan: riwayat IKPA tahun 2022 dihitung dan disimpan (")
    assert state(store_path)[:2] == before[:2]
    rc, out, err = run(["ingest", str(case), "--store", str(store_path)], capsys)
    assert (rc, err, out[1:]) == (0, [], [note])      # kept and unchanged: nothing computed


def test_header_only_pok_beside_realisasi_loads_the_realisasi(store_path, tmp_path, capsys):
    header = (BASE / "pok.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
    case = folder(tmp_path / "c", {"pok.csv": header, "realisasi.csv": edited(
        "realisasi.csv", (1, "nilai", "99000000"))})
    rc, out, err = run(["ingest", str(case), "--store", str(store_path)], capsys)
    assert (rc, err) == (0, []) and "data dimuat; realisasi 7" in out[0]
    with Store(store_path, read_only=True) as s:
        assert s.scalar("SELECT count(*) FROM pok") == 6
        assert s.scalar("SELECT sum(nilai) FROM realisasi") == 258_825_025 - 1_000_000


def test_store_api_leaves_no_open_result(store_path):
    # DuckDB 2.x refuses register() while a result is unfinished: scalar/fingerprint
    # must read theirs to the end
    with Store(store_path) as s:
        s.scalar("SELECT kode_satker FROM pok")
        s.fingerprint()
        s.con.register("_x", __import__("pandas").DataFrame({"a": [1]}))
        s.con.unregister("_x")


# -- 2. no traceback, no English -----------------------------------------------------------
def _dtd_xlsx(path: Path) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "pok"
    ws.append(["tahun", "kode_satker"])
    ws.append([2022, "017220"])
    wb.save(path)
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "aaaa">'
                                    b'<!ENTITY b "&a;&a;&a;&a;">]><worksheet', 1)
            zout.writestr(item, data)
    return out.getvalue()


def _xlsx(path: Path, sheet: str, rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path.read_bytes()


CASES = {
    "angka_10_pangkat_36": (
        lambda tmp: {"realisasi.csv": edited("realisasi.csv", (1, "nilai", "1" + "0" * 36))},
        ["realisasi.csv:2: nilai: angka di luar batas wajar (paling besar 100.000.000.000.000; "
         f"lihat {LIMITS}): '1000000000000000000000000000000000000'"]),
    "tahun_melampaui_integer": (
        lambda tmp: {"pok.csv": edited("pok.csv", (1, "tahun", "99999999999"))},
        ["pok.csv:2: tahun: bilangan bulat di luar jangkauan: '99999999999'"]),
    "xlsx_bukan_zip": (
        lambda tmp: {"pok.xlsx": b"tahun,kode_satker\n2022,017220\n"},
        ["pok.xlsx:-: -: bukan workbook Excel .xlsx yang sah (bukan arsip zip: mungkin .xls "
         "lama, CSV yang diberi nama .xlsx, atau berkas rusak); simpan ulang dari Excel sebagai "
         ".xlsx"]),
    "xlsx_dengan_dtd": (
        lambda tmp: {"pok.xlsx": _dtd_xlsx(tmp / "asli.xlsx")},
        ["pok.xlsx:-: -: workbook berisi deklarasi DTD/entitas XML, yang tidak diterima demi "
         "keamanan; simpan ulang dari Excel sebagai .xlsx"]),
    "berkas_kosong": (
        lambda tmp: {"pok.csv": b""},
        ["pok.csv:-: -: berkas kosong (0 byte): tidak ada header maupun data"]),
    "utf16": (
        lambda tmp: {"pok.csv": (BASE / "pok.csv").read_text(encoding="utf-8").encode("utf-16")},
        ["pok.csv:-: -: berkas tersimpan sebagai teks UTF-16 (\"Unicode Text\"); simpan ulang "
         "sebagai CSV UTF-8."]),
    "angka_lebar_penuh": (
        lambda tmp: {"realisasi.csv": edited("realisasi.csv", (2, "nilai", "１００"))},
        ["realisasi.csv:3: nilai: bukan angka yang sah: '１００' (berisi angka selain 0–9, mis. "
         "angka lebar penuh; ketik ulang dengan angka biasa)"]),
    "nama_berkas_bukan_utf8": (
        lambda tmp: {b"pok\xff.csv": (BASE / "pok.csv").read_bytes()},
        ["pok\\xff.csv:-: -: nama berkas bukan teks UTF-8 (byte \\xff); ganti nama berkas itu "
         "dengan huruf biasa lalu ulangi"]),
    "baris_baru_di_nama_berkas": (
        lambda tmp: {"po\nk.csv": edited("pok.csv", (1, "pagu", "abc"))},
        ["po\\nk.csv:2: pagu: bukan angka yang sah: 'abc'"]),
    "baris_baru_di_header_dan_sel": (
        lambda tmp: {"pok.csv": edited("pok.csv", (0, "satuan", "sat\nuan"),
                                       (1, "volume", "1\n2"))},
        ["pok.csv:1: sat\\nuan: kolom tidak dikenal untuk tabel pok",
         "pok.csv:1: satuan: kolom wajib tidak ada di tabel pok",
         "pok.csv:2: volume: bukan angka yang sah: '1\\n2'"]),
    "header_ganda_dan_kolom_tanpa_nama": (
        lambda tmp: {"satker.csv": "kode_satker,nama_satker,kelompok,KELOMPOK,,\n"
                                   "017220,KANTOR PUSAT,PUSAT,PUSAT,catatan,\n"},
        ["satker.csv:1: -: kolom ke-5 tidak bernama padahal berisi data (mis. baris 2); beri "
         "nama kolomnya atau hapus isinya",
         "satker.csv:1: KELOMPOK: nama kolom ganda: kolom ke-3 dan ke-4; hapus salah satunya"]),
    "xlsx_header_ganda_dan_nilai_di_luar_header": (
        lambda tmp: {"satker.xlsx": _xlsx(tmp / "s.xlsx", "satker", [
            ["kode_satker", "nama_satker", "kelompok", "kelompok"],
            ["017220", "KANTOR PUSAT", "PUSAT", "PUSAT", None, "tersembunyi"]])},
        ["satker.xlsx[satker]:1: -: kolom ke-6 tidak bernama padahal berisi data (mis. baris "
         "2); beri nama kolomnya atau hapus isinya",
         "satker.xlsx[satker]:1: kelompok: nama kolom ganda: kolom ke-3 dan ke-4; hapus salah "
         "satunya"]),
    # 3. wrong data that used to load silently
    "tanggal_tahun_lalu": (
        lambda tmp: {"realisasi.csv": edited("realisasi.csv", (1, "tanggal", "31/12/2021"))},
        ["realisasi.csv:2: tanggal: tanggal 2021-12-31 di luar tahun anggaran 2022"]),
    "satker_tanpa_nol_di_realisasi_ro_dan_capaian": (
        lambda tmp: {"realisasi.csv": edited("realisasi.csv", (6, "kode_satker", "17231")),
                     "ro_target.csv": edited("ro_target.csv", (1, "kode_satker", "17220")),
                     "capaian_ro.csv": edited("capaian_ro.csv", (1, "kode_satker", "017299"))},
        ["capaian_ro.csv:2: kode_satker: satker '017299' tidak dikenal: tidak ada di tabel "
         "satker berkas ini, di store, maupun di parameters/organisasi.yaml",
         "realisasi.csv:7: kode_satker: satker '17231' tidak dikenal: tidak ada di tabel satker "
         "berkas ini, di store, maupun di parameters/organisasi.yaml; mungkin maksudnya '017231' "
         "(nol di depan hilang, mis. kolom kode dibuka sebagai angka di Excel)",
         "ro_target.csv:2: kode_satker: satker '17220' tidak dikenal: tidak ada di tabel satker "
         "berkas ini, di store, maupun di parameters/organisasi.yaml; mungkin maksudnya '017220' "
         "(nol di depan hilang, mis. kolom kode dibuka sebagai angka di Excel)"]),
    "volume_401_digit": (
        lambda tmp: {"pok.csv": edited("pok.csv", (3, "volume", "1" * 401))},
        ["pok.csv:4: volume: angka di luar batas wajar (paling besar 1.000.000.000.000; lihat "
         f"{LIMITS}): '11111111111111111111111111111111111111111111111111…' (401 karakter)"]),
    "tahun_nol": (
        lambda tmp: {"ro_target.csv": edited("ro_target.csv", (2, "tahun", "0"))},
        [f"ro_target.csv:3: tahun: tahun 0 di luar rentang wajar 2000–{date.today().year + 1} "
         f"(lihat {LIMITS})"]),
    "nul_dan_bel_di_teks": (
        lambda tmp: {"spp.csv": edited("spp.csv", (1, "uraian", "Gaji\x00"), (2, "status", "\x07"))},
        ["spp.csv:2: uraian: berisi karakter kendali U+0000 (NUL): 'Gaji\\x00'; hapus karakter "
         "itu dari sel",
         "spp.csv:3: status: berisi karakter kendali U+0007 (BEL): '\\x07'; hapus karakter itu "
         "dari sel"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_with_exact_lines(case, loaded, tmp_path, capsys):
    make, expected = CASES[case]
    d = folder(tmp_path / "case", make(tmp_path))
    assert refused(d, loaded, capsys) == expected


def test_a_trailing_separator_is_not_a_column(store_path, tmp_path, capsys):
    text = "".join(line + ",\n" for line in (BASE / "satker.csv").read_text(
        encoding="utf-8").splitlines())
    case = folder(tmp_path / "c", {"satker.csv": text})
    rc, out, err = run(["ingest", str(case), "--store", str(store_path)], capsys)
    assert (rc, err) == (0, []) and "tidak ada perubahan" in out[0]


def test_a_100_mb_cell_is_refused_with_its_length_only(loaded, tmp_path, capsys):
    rows = table("spp.csv")
    rows[1][rows[0].index("uraian")] = "x" * (100 << 20)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    d = folder(tmp_path / "c", {"spp.csv": out.getvalue()})
    del out, rows
    assert refused(d, loaded, capsys) == [
        "spp.csv:2: uraian: isi sel terlalu panjang: 104.857.600 karakter (paling banyak "
        f"10.000; lihat {LIMITS})"]


def test_ceilings_come_from_the_parameters(loaded, tmp_path, monkeypatch, capsys):
    params = tmp_path / "parameters"
    shutil.copytree(Path(__file__).parents[1] / "parameters", params)
    (params / "batas_input.yaml").write_text(
        "nilai_rupiah_maks: 1000000000\npanjang_sel_maks: 60\ntahun_paling_awal: 2022\n",
        encoding="utf-8")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(params))
    d = folder(tmp_path / "c", {"pok.csv": edited("pok.csv", (4, "uraian_item", "x" * 61))})
    assert refused(d, loaded, capsys) == [
        "pok.csv:2: pagu: angka di luar batas wajar (paling besar 1.000.000.000; lihat "
        f"{LIMITS}): '1200000000'",
        "pok.csv:5: uraian_item: isi sel terlalu panjang: 61 karakter (paling banyak 60; lihat "
        f"{LIMITS})"]
    # a ceiling above what the store holds is capped at DECIMAL(18,2)
    (params / "batas_input.yaml").write_text("nilai_rupiah_maks: 1e30\n", encoding="utf-8")
    d = folder(tmp_path / "d", {"realisasi.csv": edited("realisasi.csv", (1, "nilai", "1" + "0" * 16))})
    assert refused(d, loaded, capsys) == [
        "realisasi.csv:2: nilai: angka di luar batas wajar (paling besar "
        f"9.999.999.999.999.998; lihat {LIMITS}): '10000000000000000'"]


def test_problem_is_one_line_whatever_it_names():
    p = Problem("a\nb\udcff.csv", 3, "ko\rlom", "nilai 'x\u2028y'\n")
    assert str(p) == "a\\nb\\xff.csv:3: ko\\rlom: nilai 'x\\u2028y'\\n"
    str(p).encode("utf-8")


# -- the store held by another process -----------------------------------------------------
@pytest.fixture
def held(store_path):
    """Another process holding the store open for writing (DuckDB: one writer)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\n"
         f"c = duckdb.connect({str(store_path)!r})\nprint('ok', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ok"
        yield store_path
    finally:
        proc.kill()
        proc.wait()


def test_store_held_by_another_process_is_a_sentence(held, capsys):
    rc, out, err = run(["ingest", str(BASE), "--store", str(held)], capsys)
    assert rc == 4 and out == [] and len(err) == 1
    assert err[0].startswith(f"Galat: Store {held} sedang dipakai proses lain (PID ")
    assert err[0].endswith("; coba lagi setelah proses itu selesai.")


def test_periksa_still_checks_when_the_store_is_held(held, tmp_path, capsys):
    bytes_before = held.read_bytes()
    case = folder(tmp_path / "c", {"realisasi.csv": edited("realisasi.csv")})
    rc, out, err = run(["periksa", str(case), "--store", str(held)], capsys)
    assert (rc, err) == (0, [])
    assert any(line.startswith("Catatan: Store ") and "sedang dipakai proses lain" in line
               and "Diperiksa tanpa isi store" in line for line in out)
    assert out[-1] == "Hasil: tidak ada masalah; `spektra ingest` akan memuatnya."
    # what is provable without the store is still refused
    bad = folder(tmp_path / "b", {"realisasi.csv": edited("realisasi.csv", (1, "tanggal", "2021-12-31"))})
    rc, out, err = run(["periksa", str(bad), "--store", str(held)], capsys)
    assert rc == 1 and "realisasi.csv:2: tanggal: tanggal 2021-12-31 di luar tahun anggaran 2022" in out
    assert held.read_bytes() == bytes_before


def test_a_store_that_is_not_duckdb_is_a_sentence(tmp_path, capsys):
    bogus = tmp_path / "pok.csv"
    bogus.write_text("bukan store\n", encoding="utf-8")
    rc, out, err = run(["ingest", str(BASE), "--store", str(bogus)], capsys)
    assert rc == 2 and err == [f"Galat: {bogus} bukan berkas store DuckDB SPEKTRA; periksa "
                               "--store atau SPEKTRA_STORE."]


# -- 4. the unexpected: a sentence, the traceback only for developers ---------------------------
def test_unexpected_error_is_a_sentence_unless_debugging(store_path, monkeypatch, capsys):
    from spektra_lib import ingest

    def broken(*a, **k):
        raise KeyError("THANG")
    monkeypatch.setattr(ingest, "ingest_path", broken)
    monkeypatch.delenv("SPEKTRA_DEBUG", raising=False)
    before = state(store_path)
    rc, out, err = run(["ingest", str(BASE), "--store", str(store_path)], capsys)
    assert rc == 70 and len(err) == 1 and "Traceback" not in err[0]
    assert err[0].startswith("Galat tak terduga pada `spektra ingest` (KeyError: 'THANG'). ")
    assert "SPEKTRA_DEBUG=1" in err[0] and "store tetap seperti sebelumnya" in err[0]
    assert state(store_path) == before
    monkeypatch.setenv("SPEKTRA_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["ingest", str(BASE), "--store", str(store_path)])


def test_help_names_exit_codes_and_debug(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "SPEKTRA_DEBUG=1" in text and "--tahun" in text and "4 store sedang dipakai" in text


def test_missing_folder_is_a_sentence(tmp_path, capsys):
    rc, out, err = run(["ingest", str(tmp_path / "tidak_ada"), "--store",
                        str(tmp_path / "s.duckdb")], capsys)
    assert rc == 2 and err == [f"Galat: {tmp_path / 'tidak_ada'}: berkas atau folder tidak ada."]
    assert not (tmp_path / "s.duckdb").exists()


# -- 5. --tahun and periksa --------------------------------------------------------------------
def test_ingest_passes_tahun_to_the_readers(store_path, monkeypatch, capsys):
    from spektra_lib.sources import detect
    seen = []
    real_read = detect.read

    def spy(path, tahun=None, **kw):
        seen.append(tahun)
        return real_read(path, tahun=tahun, **kw)
    monkeypatch.setattr(detect, "read", spy)
    assert main(["ingest", str(BASE), "--tahun", "2022", "--store", str(store_path)]) == 0
    assert main(["periksa", str(BASE), "--tahun", "2022", "--store", str(store_path)]) == 0
    assert seen == [2022, 2022]


def test_a_canonical_year_other_than_tahun_is_refused(loaded, tmp_path, capsys):
    case = folder(tmp_path / "c", {"ro_target.csv": edited("ro_target.csv")})
    rc, out, err = run(["ingest", str(case), "--tahun", "2023", "--store", str(loaded)], capsys)
    assert rc == 1 and err[1:] == [
        "ro_target.csv:2: tahun: tahun 2022 di berkas berbeda dengan --tahun 2023; 2 baris "
        "dengan nilai ini, yang pertama di baris ini"]


def test_periksa_good_folder_exit_0_store_untouched(loaded, capsys):
    before, bytes_before = state(loaded), loaded.read_bytes()
    rc, out, err = run(["periksa", str(BASE), "--store", str(loaded)], capsys)
    assert (rc, err) == (0, [])
    assert out[0] == f"Periksa {BASE} terhadap store {loaded}; store tidak diubah."
    assert out[1] == "Berkas dikenali:"
    assert ("Baris per tabel: satker 2, unit_kerja 2, pok 6, realisasi 7, spp 8, ro_target 2, "
            "capaian_ro 4, target_penyerapan 48") in out
    assert out[-1] == "Hasil: tidak ada masalah; `spektra ingest` akan memuatnya."
    assert state(loaded) == before and loaded.read_bytes() == bytes_before


def test_periksa_folder_with_one_bad_file(loaded, tmp_path, capsys):
    case = folder(tmp_path / "c", {
        "pok.csv": edited("pok.csv"),
        "realisasi.csv": edited("realisasi.csv", (1, "tanggal", "2021-12-31")),
        "satker.csv": edited("satker.csv")})
    before = loaded.read_bytes()
    rc, out, err = run(["periksa", str(case), "--store", str(loaded)], capsys)
    assert rc == 1 and err == []
    assert "Baris per tabel: satker 2, pok 6, realisasi 7" in out
    i = out.index("Masalah (1):")
    assert out[i + 1:] == ["realisasi.csv:2: tanggal: tanggal 2021-12-31 di luar tahun anggaran 2022",
                           "Hasil: ingest akan DITOLAK (1 masalah)."]
    assert loaded.read_bytes() == before
    # exit 0 iff ingest would load it
    rc, _, _ = run(["ingest", str(case), "--store", str(loaded)], capsys)
    assert rc == 1


def test_periksa_without_a_store_checks_against_an_empty_one(tmp_path, capsys):
    store = tmp_path / "belum.duckdb"
    case = folder(tmp_path / "c", {"realisasi.csv": edited("realisasi.csv")})
    rc, out, err = run(["periksa", str(case), "--store", str(store)], capsys)
    assert rc == 1 and not store.exists()
    assert f"Catatan: Store {store} belum ada: diperiksa seperti ke store kosong." in out
    assert ("realisasi.csv:2: no_item: realisasi untuk item yang tidak ada di POK: "
            "WA.4843.EBA.994.001.A.511111.1 (satker 017220, tahun 2022, Rp100.000.000)") in out


def test_periksa_lists_what_each_file_was_recognised_as(loaded, capsys, monkeypatch):
    from spektra_lib.sources import detect
    real_read = detect.read

    def with_recognised(path, tahun=None, **kw):
        b = real_read(path, tahun=tahun, **kw)
        b.recognised = [{"berkas": "pok.csv", "layout": "kanonik", "judul": "POK kanonik",
                         "tabel": "pok", "baris": 1234}]
        return b
    monkeypatch.setattr(detect, "read", with_recognised)
    rc, out, _ = run(["periksa", str(BASE), "--store", str(loaded)], capsys)
    assert rc == 0 and out[1:3] == ["Berkas dikenali:",
                                    "  pok.csv: POK kanonik [kanonik] → pok, 1.234 baris"]


def test_check_path_never_touches_the_store(loaded):
    before = loaded.read_bytes()
    with Store(loaded, read_only=True) as s:
        batch = check_path(DATA / "bad" / "pagu_negatif", s)
    assert batch.problems and loaded.read_bytes() == before

