"""Bad input never half-loads: each refusal of CONTRACT §1 gives exactly these lines, and
the store (good data ingested first) keeps exactly what it had."""
import hashlib
from datetime import date
from pathlib import Path

import pytest

from spektra_lib import schema
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect
from spektra_lib.synth.write import write
from spektra_lib.store import Store
from spektra_lib.validate import validate

DATA = Path(__file__).parent / "data"
BASE = DATA / "layouts" / "kanonik"

EXPECTED = {
    "kolom_tidak_dikenal": ["pok.csv:1: keterangan_tambahan: kolom tidak dikenal untuk tabel pok"],
    "kolom_wajib_hilang": ["pok.csv:1: pagu: kolom wajib tidak ada di tabel pok"],
    "angka_tidak_sah": ["pok.csv:4: pagu: bukan angka yang sah: 'abc'",
                        "pok.csv:6: volume: bukan angka yang sah: '12 OB'"],
    "tanggal_tidak_sah": [
        "realisasi.csv:3: tanggal: bukan tanggal yang sah (YYYY-MM-DD atau dd/mm/yyyy): '2022-13-45'",
        "realisasi.csv:5: tanggal: bukan tanggal yang sah (YYYY-MM-DD atau dd/mm/yyyy): '31/02/2022'"],
    "item_ganda": [
        "pok.csv:8: no_item: item ganda (tahun=2022, kode_satker=017220, kode_program=WA, "
        "kode_kegiatan=4843, kode_kro=EBA, kode_ro=994, kode_komponen=002, "
        "kode_subkomponen=A, kode_akun=521211, no_item=1) sudah ada di pok.csv:4"],
    "realisasi_item_tidak_ada": [
        "realisasi.csv:2: no_item: realisasi untuk item yang tidak ada di POK: "
        "WA.4843.EBA.994.001.A.511111.9 (satker 017220, tahun 2022, Rp100.000.000)"],
    "bulan_di_luar": ["capaian_ro.csv:3: bulan: bulan di luar 1–12: 13"],
    "pagu_negatif": ["pok.csv:4: pagu: pagu negatif: -15.000.000,00",
                     "pok.csv:4: volume: volume negatif: -10"],
    "pagu_tidak_cocok": [
        "pok.csv:4: pagu: pagu 15.000.002,00 tidak sama dengan volume × harga satuan "
        "(10 × 1.500.000,00 = 15.000.000,00)"],
    "kelompok_tidak_dikenal": [
        "satker.csv:3: kelompok: kelompok tidak dikenal: 'DAERAH' "
        "(pilih PUSAT, KANREG, PUSBANG, LAINNYA)"],
    "unit_satker_tidak_dikenal": [
        "unit_kerja.csv:4: kode_satker: unit kerja dari satker yang tidak dikenal: '999999'"],
    "unit_tidak_cocok": [
        "pok.csv:4: kode_unit: baris POK satker 017220 tidak cocok dengan aturan unit kerja "
        "di parameters/organisasi.yaml (kegiatan 4899, kro EBA, komponen 002)"],
    "rumus_xlsx": ["pok.xlsx[pok]:4: pagu: sel W4 berisi rumus '=T4*V4': rumus tidak diterima "
                   "sebagai data, simpan nilainya saja"],
    # issue 11: well-formed cells no budget can hold are refused, never loaded silently
    "tanggal_di_luar_tahun": [
        "realisasi.csv:2: tanggal: tanggal 2021-12-31 di luar tahun anggaran 2022",
        "realisasi.csv:4: tanggal: tanggal 2023-01-01 di luar tahun anggaran 2022"],
    "satker_tanpa_nol": [
        "pok.csv:2: kode_satker: satker '17220' tidak dikenal: tidak ada di tabel satker berkas "
        "ini, di store, maupun di parameters/organisasi.yaml; mungkin maksudnya '017220' (nol di "
        "depan hilang, mis. kolom kode dibuka sebagai angka di Excel); 2 baris dengan nilai ini, "
        "yang pertama di baris ini",
        "pok.csv:6: kode_satker: satker '999999' tidak dikenal: tidak ada di tabel satker berkas "
        "ini, di store, maupun di parameters/organisasi.yaml"],
    "volume_tak_hingga": [
        "pok.csv:2: volume: angka di luar batas wajar (paling besar 1.000.000.000.000; lihat "
        "parameters/batas_input.yaml): '99999999999999999999999999999999999999999999999999…' "
        "(401 karakter)"],
    "penanda_bukan_01": ["pok.csv:2: prioritas_nasional: harus 0 atau 1, bukan 7",
                         "ro_target.csv:3: strategis: harus 0 atau 1, bukan 2"],
    "tahun_di_luar_rentang": [
        f"pok.csv:2: tahun: tahun 0 di luar rentang wajar 2000–{date.today().year + 1} (lihat "
        "parameters/batas_input.yaml); 6 baris dengan nilai ini, yang pertama di baris ini"],
    "tahun_terlalu_besar": ["capaian_ro.csv:2: tahun: bilangan bulat di luar jangkauan: '99999999999'"],
    "karakter_kendali": [
        "pok.csv:2: uraian_item: berisi karakter kendali U+0000 (NUL): 'Gaji\\x00pokok'; hapus "
        "karakter itu dari sel",
        "pok.csv:3: nama_akun: berisi karakter kendali U+001B (ESC): 'Belanja\\x1b[31m "
        "Pembulatan'; hapus karakter itu dari sel"],
    "nilai_di_atas_batas": [
        "pok.csv:2: pagu: angka di luar batas wajar (paling besar 100.000.000.000.000; lihat "
        "parameters/batas_input.yaml): '1000000000000000000000000000000000000'",
        "pok.csv:3: harga_satuan: angka di luar batas wajar (paling besar 100.000.000.000.000; "
        "lihat parameters/batas_input.yaml): '200.000.000.000.000,00'",
        "pok.csv:3: pagu: angka di luar batas wajar (paling besar 100.000.000.000.000; lihat "
        "parameters/batas_input.yaml): '200000000000000'",
        "realisasi.csv:2: nilai: angka di luar batas wajar (paling besar 100.000.000.000.000; "
        "lihat parameters/batas_input.yaml): '-100000000000000000000'"],
    "angka_lebar_penuh": [
        "pok.csv:2: tahun: bukan bilangan bulat yang sah: '２０２２' (berisi angka selain 0–9, "
        "mis. angka lebar penuh; ketik ulang dengan angka biasa)",
        "pok.csv:2: volume: bukan angka yang sah: '１２' (berisi angka selain 0–9, mis. angka "
        "lebar penuh; ketik ulang dengan angka biasa)"],
}


def digest(store: Store) -> str:
    h = hashlib.sha256()
    for name in schema.TABLES:
        h.update(store.sql(f"SELECT * FROM {name} ORDER BY ALL").to_csv(index=False).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("v") / "s.duckdb")
    ingest_path(BASE, s)
    yield s
    s.close()


def test_every_refusal_of_the_contract_has_a_case():
    assert sorted(EXPECTED) == sorted(p.name for p in (DATA / "bad").iterdir()
                                      if p.name != "bom_titik_koma")


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_refused_with_exact_lines_store_unchanged(case, store):
    before = (store.counts(), digest(store))
    with pytest.raises(IngestError) as err:
        ingest_path(DATA / "bad" / case, store)
    assert [str(p) for p in err.value.problems] == EXPECTED[case]
    assert (store.counts(), digest(store)) == before


def test_ingesting_the_same_folder_twice_changes_nothing(store):
    before = (store.counts(), digest(store))
    summary = ingest_path(BASE, store)
    assert not summary.changed
    assert (store.counts(), digest(store)) == before
    assert store.scalar("SELECT sum(pagu) FROM pok") == 1_826_887_025


def test_bom_semicolon_indonesian_amounts_load_and_change_nothing(store):
    before = (store.counts(), digest(store))
    ingest_path(DATA / "bad" / "bom_titik_koma", store)
    assert (store.counts(), digest(store)) == before


def test_treasury_rule_breaks_are_loaded_as_reported(store):
    # fractional RVRO and a cumulative PCRO above 100 are the capaian report's business
    got = store.sql("SELECT rvro, pcro FROM capaian_ro WHERE kode_satker = '017231' "
                    "ORDER BY bulan").values.tolist()
    assert got == [[0.5, 60.0], [0.0, 55.5]]


def test_realisasi_of_a_stored_satker_needs_no_pok_in_the_batch(store, tmp_path):
    base = detect.read(BASE).tables
    write({"realisasi": base["realisasi"]}, tmp_path, "kanonik")
    batch = detect.read(tmp_path)
    assert validate(batch, store) == []
    lines = validate(batch, None)      # no store: every line's item is unknown
    assert [p.row for p in lines if p.row is not None] == list(range(2, 9))
    # then one line per satker: the paths that cannot meet a POK and their money
    summary = [str(p) for p in lines if p.row is None]
    assert len(summary) == 2 and summary[0].startswith(
        "realisasi.csv:-: no_item: realisasi satker 017220 tahun 2022 yang tidak bertemu POK: ")
    assert "WA.4843.EBA.994.001.A.511111.1 Rp200.000.000 (2 baris)" in summary[0]


def test_unknown_unit_of_a_pok_line(store, tmp_path):
    base = detect.read(BASE).tables
    pok = base["pok"].copy()
    pok.loc[0, "kode_unit"] = "9999"
    write({"pok": pok}, tmp_path, "kanonik")
    assert [str(p) for p in validate(detect.read(tmp_path), store)] == [
        "pok.csv:2: kode_unit: unit kerja tidak dikenal: '9999'"]
