"""Writers that work chunk by chunk (issue 7: 1,000 satker) write the one-shot bytes."""
import hashlib

import pandas as pd
import pytest

from spektra_lib import schema
from spektra_lib.sources import adk, sakti
from spektra_lib.synth import write
from spektra_lib.synth import build_tables


@pytest.fixture(scope="module")
def t():
    t = write._clean(build_tables(n_satker=3, seed=5, teknis_per_satker=15))
    # A sample keeps the one-row chunks fast; it still spans three satker.
    t["realisasi"] = t["realisasi"].iloc[::40].reset_index(drop=True)
    t["pok"] = t["pok"].iloc[::5].reset_index(drop=True)
    return t


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("rows", [3, 70])
def test_pem_in_chunks_is_the_one_shot_file(t, tmp_path, rows):
    whole = sakti.write_pem(t["realisasi"], t["spp"], tmp_path / "a.csv", chunk_rows=10**9)
    part = sakti.write_pem(t["realisasi"], t["spp"], tmp_path / "b.csv", chunk_rows=rows)
    assert _sha(whole) == _sha(part)
    lines = part.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(t["realisasi"]) + 1 and lines[0].startswith("KDSATKER;KODE_KEMENTERIAN;KD_JNS_SPP")
    # The register fields joined from SPP reach lines of every chunk, not only the first.
    last = pd.read_csv(part, sep=";", dtype=str, keep_default_na=False).iloc[-1]
    assert last["NO_SPP"] != "" and last["NILAI_RUPIAH"].endswith(",00")


@pytest.mark.parametrize("rows", [11])
def test_dataang_in_chunks_is_the_one_shot_file(t, tmp_path, rows):
    whole = sakti.write_dataang(t["pok"], tmp_path / "a.csv", chunk_rows=10**9)
    part = sakti.write_dataang(t["pok"], tmp_path / "b.csv", chunk_rows=rows)
    assert _sha(whole) == _sha(part)
    ang = pd.read_csv(part, sep=";", dtype=str, keep_default_na=False)
    # one line per item plus, as the service lists them, a header line ahead of each akun
    assert (ang["HEADER1"] == "0").sum() == len(t["pok"])
    assert (ang.loc[ang["HEADER1"] != "0", "TOTAL"] == "0").all()


@pytest.mark.parametrize("rows", [3, 40])
def test_d_item_xml_in_chunks_is_the_one_shot_file(t, tmp_path, rows):
    pok = t["pok"]
    whole = adk.write_xml(adk._d_item_text(pok), tmp_path / "a.xml", "c_item")
    part = adk.write_d_item_xml(pok, tmp_path / "b.xml", chunk_rows=rows)
    assert _sha(whole) == _sha(part)
    # One header line per akun of the whole pok, even when an akun spans two chunks.
    akun = pok[list(schema.ITEM_KEY[:-1])].astype("string").fillna("").drop_duplicates()
    assert part.read_text(encoding="utf-8").count("<header1>1</header1>") == len(akun)


def test_akun_heads_mark_first_item_of_each_akun_anywhere():
    pok = pd.DataFrame({c: ["x"] * 5 for c in schema.ITEM_KEY})
    pok["kode_akun"] = ["521211", "521211", "524111", "521211", None]
    pok["kode_subkomponen"] = ["A", "A", "A", "A", ""]   # None and "" are the same blank
    pok.loc[4, "kode_akun"] = ""
    assert adk._akun_heads(pok).tolist() == [True, False, True, False, True]


def test_empty_tables_still_get_their_header(t, tmp_path):
    p = sakti.write_pem(t["realisasi"].iloc[:0], t["spp"], tmp_path / "e.csv", chunk_rows=5)
    assert p.read_text(encoding="utf-8").count("\n") == 1
    x = adk.write_d_item_xml(t["pok"].iloc[:0], tmp_path / "e.xml", chunk_rows=5)
    assert x.read_text(encoding="utf-8").endswith("<VFPData>\n</VFPData>\n")


def test_large_typed_table_is_kept_as_is_and_equals_the_slow_path(monkeypatch):
    import numpy as np

    import spektra_lib.synth as synth
    n = 100_000
    real = pd.DataFrame({c: pd.Series(np.full(n, "x", dtype=object), dtype=object)
                         for c in schema.REALISASI.names})
    real["tahun"] = np.full(n, 2022, dtype=np.int64)
    real["tanggal"] = pd.Series(pd.date_range("2022-01-01", periods=n, freq="min")).astype("datetime64[ns]")
    real["nilai"] = np.arange(n, dtype=float)
    assert synth._already_typed("realisasi", real)
    assert not synth._already_typed("realisasi", real.assign(nilai=real["nilai"].astype(object)))
    assert not synth._already_typed("realisasi", real.iloc[:10])   # small: str-checked anyway
    fast = synth.typed("realisasi", real)
    monkeypatch.setattr(synth, "_already_typed", lambda name, df: False)
    pd.testing.assert_frame_equal(fast, synth.typed("realisasi", real))


def test_kanonik_csv_written_in_chunks_has_the_same_bytes(tmp_path, monkeypatch):
    from spektra_lib.sources import kanonik
    from spektra_lib.synth import build_tables
    tables = build_tables(tahun=2022)
    one = tmp_path / "satu"
    one.mkdir()
    kanonik.write_csv(tables, one)
    monkeypatch.setattr(kanonik, "CSV_CHUNK", 5000)   # realisasi: 6 chunks
    many = tmp_path / "banyak"
    many.mkdir()
    kanonik.write_csv(tables, many)
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in many.iterdir()) and "realisasi.csv" in names
    for n in names:
        assert (one / n).read_bytes() == (many / n).read_bytes(), n
