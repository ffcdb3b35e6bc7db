"""The IKPA inputs (issue 22): bad rows in every new table refused with exact
`berkas:baris: kolom: masalah` lines, the store unchanged; good rows load. Plus a
property test: any mix of valid and broken revisi_dipa rows is either loaded whole
(all valid) or refused whole with one line per broken row."""
from pathlib import Path

import pytest

from spektra_lib.ingest import ingest_path
from spektra_lib.problems import IngestError
from spektra_lib.store import Store
from test_validate import BASE, digest

HEAD = {
    "revisi_dipa": "tahun,kode_satker,revisi,tanggal_pengesahan,kode_jenis_revisi,kewenangan",
    "ro_proyeksi": "tahun,kode_satker,kode_kegiatan,kode_kro,kode_ro,bulan,target_pcro",
    "dispensasi_spm": "tahun,kode_satker,no_surat,tanggal",
    "ikpa_resmi": "tahun,bulan,kode_satker,indikator,nilai",
}
GOOD = {
    "revisi_dipa": ["2022,017220,1,2022-04-25,221,KANWIL", "2022,017220,2,2022-05-20,221;101,KPA"],
    "ro_proyeksi": ["2022,017220,4843,EBA,994,3,15", "2022,017220,4843,EBA,994,6,40"],
    "dispensasi_spm": ["2022,017220,S-1/2022,2022-12-20"],
    "ikpa_resmi": ["2022,5,017220,Revisi DIPA,100", "2022,5,017220,Nilai IKPA,88.5"],
}
CASES = {
    "kode_revisi_tidak_dikenal": ("revisi_dipa", ["2022,017220,1,2022-04-25,221;999,KANWIL",
                                                   "2022,017220,2,2022-05-20,abc,KPA"], [
        "revisi_dipa.csv:2: kode_jenis_revisi: kode jenis revisi tidak dikenal: '999' (tiga "
        "angka, mis. 221; beberapa kode dipisah ';')",
        "revisi_dipa.csv:3: kode_jenis_revisi: kode jenis revisi tidak dikenal: 'abc' (tiga "
        "angka, mis. 221; beberapa kode dipisah ';')"]),
    "kewenangan_tidak_dikenal": ("revisi_dipa", ["2022,017220,1,2022-04-25,221,KPPN"], [
        "revisi_dipa.csv:2: kewenangan: kewenangan tidak dikenal: 'KPPN' (pilih DJA, DITPA, "
        "KANWIL, KPA)"]),
    "tanggal_di_luar_tahun": ("revisi_dipa", ["2022,017220,1,2023-01-05,221,KANWIL"], [
        "revisi_dipa.csv:2: tanggal_pengesahan: tanggal 2023-01-05 di luar tahun anggaran 2022"]),
    "revisi_ganda": ("revisi_dipa", ["2022,017220,1,2022-04-25,221,KANWIL",
                                     "2022,017220,1,2022-04-26,212,DJA"], [
        "revisi_dipa.csv:3: revisi: kunci ganda (tahun=2022, kode_satker=017220, revisi=1) "
        "sudah ada di revisi_dipa.csv:2"]),
    "proyeksi_di_atas_100": ("ro_proyeksi", ["2022,017220,4843,EBA,994,13,15",
                                             "2022,017220,4843,EBA,994,6,140"], [
        "ro_proyeksi.csv:3: target_pcro: target PCRO harus 0–100 %, bukan 140,00",
        "ro_proyeksi.csv:2: bulan: bulan di luar 1–12: 13"]),
    "dispensasi_ganda_dan_di_luar_tahun": ("dispensasi_spm", [
        "2022,017220,S-1,2022-12-20", "2022,017220,S-1,2022-12-21", "2022,017220,S-2,2021-12-30"], [
        "dispensasi_spm.csv:3: no_surat: kunci ganda (tahun=2022, kode_satker=017220, "
        "no_surat=S-1) sudah ada di dispensasi_spm.csv:2",
        "dispensasi_spm.csv:4: tanggal: tanggal 2021-12-30 di luar tahun anggaran 2022"]),
    "nilai_resmi_140": ("ikpa_resmi", ["2022,5,017220,Nilai IKPA,140",
                                       "2022,5,017220,Revisi Dipa,90",
                                       "2022,5,17220,Revisi DIPA,90"], [
        "ikpa_resmi.csv:4: kode_satker: satker '17220' tidak dikenal: tidak ada di tabel satker "
        "berkas ini, di store, maupun di parameters/organisasi.yaml; mungkin maksudnya '017220' "
        "(nol di depan hilang, mis. kolom kode dibuka sebagai angka di Excel)",
        "ikpa_resmi.csv:2: nilai: nilai IKPA harus 0–100, bukan 140,00",
        "ikpa_resmi.csv:3: indikator: indikator tidak dikenal: 'Revisi Dipa' (nama seperti "
        "laporan ikpa_estimasi, mis. Revisi DIPA, Nilai IKPA)"]),
}


def write(folder: Path, table: str, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{table}.csv").write_text("\n".join([HEAD[table]] + rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("vi") / "s.duckdb")
    ingest_path(BASE, s)
    yield s
    s.close()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_ikpa_input_refused_store_unchanged(case, store, tmp_path):
    table, rows, expected = CASES[case]
    before = (store.counts(), digest(store))
    with pytest.raises(IngestError) as err:
        ingest_path(write(tmp_path / case, table, rows), store)
    assert sorted(str(p) for p in err.value.problems) == sorted(expected)
    assert (store.counts(), digest(store)) == before


@pytest.mark.parametrize("table", sorted(GOOD))
def test_good_ikpa_input_loads(table, store, tmp_path):
    ingest_path(write(tmp_path / table, table, GOOD[table]), store)
    assert store.counts()[table] == len(GOOD[table])


def test_blokir_above_pagu_and_late_tgl_lapor_refused(store, tmp_path):
    pok = (BASE / "pok.csv").read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "blokir"
    folder.mkdir()
    lines = [pok[0] + ",blokir"] + [line + "," for line in pok[1:]]
    lines[1] = pok[1] + ",999999999999"
    (folder / "pok.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cap = (BASE / "capaian_ro.csv").read_text(encoding="utf-8").splitlines()
    clines = [cap[0] + ",tgl_lapor"] + [line + ",2023-01-06" for line in cap[1:]]
    clines[1] = cap[1] + ",2024-01-05"
    (folder / "capaian_ro.csv").write_text("\n".join(clines) + "\n", encoding="utf-8")
    before = (store.counts(), digest(store))
    with pytest.raises(IngestError) as err:
        ingest_path(folder, store)
    msgs = sorted(str(p) for p in err.value.problems)
    assert len(msgs) == 2
    assert msgs[1].startswith("pok.csv:2: blokir: blokir 999.999.999.999,00 harus antara 0 dan pagu ")
    assert msgs[0] == ("capaian_ro.csv:2: tgl_lapor: tanggal lapor 2024-01-05 di luar tahun "
                       "anggaran 2022 dan tahun berikutnya")
    assert (store.counts(), digest(store)) == before


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

VALID_CODE = st.sampled_from(["201", "221", "212", "101", "301", "221;212"])
BAD_CODE = st.sampled_from(["999", "abc", "22", "2211", "221;x"])
VALID_KEW = st.sampled_from(["DJA", "DITPA", "KANWIL", "KPA", "kanwil"])
BAD_KEW = st.sampled_from(["KPPN", "Satker", "DJPb"])


@st.composite
def revisi_rows(draw):
    n = draw(st.integers(1, 6))
    rows, bad = [], set()
    for i in range(n):
        kind = draw(st.sampled_from(["ok", "ok", "kode", "kewenangan", "tanggal"]))
        code = draw(BAD_CODE if kind == "kode" else VALID_CODE)
        kew = draw(BAD_KEW if kind == "kewenangan" else VALID_KEW)
        month = draw(st.integers(1, 12))
        year = 2023 if kind == "tanggal" else 2022
        rows.append(f"2022,017220,{i + 1},{year}-{month:02d}-15,{code},{kew}")
        if kind != "ok":
            bad.add(i + 2)
    return rows, bad


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=revisi_rows())
def test_revisi_dipa_loaded_whole_or_refused_whole(case, store, tmp_path_factory):
    rows, bad = case
    folder = write(tmp_path_factory.mktemp("p"), "revisi_dipa", rows)
    before = (store.counts(), digest(store))
    if not bad:
        ingest_path(folder, store)
        assert store.counts()["revisi_dipa"] == len(rows)
        return
    with pytest.raises(IngestError) as err:
        ingest_path(folder, store)
    lines = [str(p) for p in err.value.problems]
    assert {int(x.split(":")[1]) for x in lines} == bad
    assert all(x.startswith("revisi_dipa.csv:") and x.count(": ") >= 2 for x in lines)
    assert (store.counts(), digest(store)) == before
