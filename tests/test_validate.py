"""Bad input never half-loads: each refusal of CONTRACT §1 gives exactly these lines, and
the store (good data ingested first) keeps exactly what it had."""
import hashlib
from pathlib import Path

import pytest

from spektra_lib import schema
from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.sources import detect
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
        "WA.4843.EBA.994.001.A.511111.9 (satker 017220, tahun 2022)"],
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
    detect.write({"realisasi": base["realisasi"]}, tmp_path, "kanonik")
    batch = detect.read(tmp_path)
    assert validate(batch, store) == []
    assert [p.row for p in validate(batch, None)] == list(range(2, 9))   # no store: unknown


def test_unknown_unit_of_a_pok_line(store, tmp_path):
    base = detect.read(BASE).tables
    pok = base["pok"].copy()
    pok.loc[0, "kode_unit"] = "9999"
    detect.write({"pok": pok}, tmp_path, "kanonik")
    assert [str(p) for p in validate(detect.read(tmp_path), store)] == [
        "pok.csv:2: kode_unit: unit kerja tidak dikenal: '9999'"]
