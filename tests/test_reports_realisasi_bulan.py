"""Reports read realisasi pre-summed per item × month (`realisasi_bulan`): the figures a
user reads must be those of the lines, after re-ingest, a refused ingest, and on a store
made before the table existed."""
from __future__ import annotations

import pandas as pd
import pytest

from spektra_lib.problems import IngestError

from spektra_lib import reports
from spektra_lib.store import Store

from reports_fixture import P1, P_BAHAN, load, real, small_store

K = "017220"
CALLS = [("realisasi_pok", {"satker": K}), ("deviasi_detail", {"satker": K}),
         ("deviasi_kumulatif", {}), ("ranking_satker", {}), ("ranking_unit", {}),
         ("realisasi_akun", {"satker": K, "cari": "gaji"}),
         ("grafik_rpd_realisasi", {}), ("realisasi_satker", {"satker": K})]


def _run_all(store) -> dict:
    return {name: reports.run(name, store, tahun=2022, bulan=6, **kw) for name, kw in CALLS}


def _from_lines(store) -> dict:
    """The same reports with the pre-summed table replaced by sums over the lines."""
    other = store.with_access(store.access)
    other.__dict__["_realisasi_bulan"] = (
        "(SELECT tahun, kode_satker, kode_program, kode_kegiatan, kode_kro, kode_ro, "
        "kode_komponen, kode_subkomponen, kode_akun, no_item, month(tanggal) AS bulan, "
        "sum(nilai) AS nilai FROM realisasi GROUP BY ALL)")
    return _run_all(other)


def _assert_same(a: dict, b: dict) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


@pytest.fixture
def store(tmp_path):
    s = small_store(tmp_path)
    yield s
    s.close()


def _outside(store, month: int, path: str | None = None) -> float:
    """K's realisasi (of the item `path`) outside `month`: a realisasi export replaces
    only the months it covers (issue 27 §1), so these stay."""
    item = ("AND concat_ws('.', kode_program, kode_kegiatan, kode_kro, kode_ro, kode_komponen,"
            " kode_subkomponen, kode_akun, no_item) = $p") if path else ""
    return float(store.scalar(
        f"SELECT coalesce(sum(nilai), 0) FROM realisasi WHERE kode_satker = $k AND "
        f"month(tanggal) <> $m {item}", {"k": K, "m": month, **({"p": path} if path else {})}))


def test_reports_equal_sums_over_lines_with_cents(store):
    kept = _outside(store, 4, P1 + ".1")
    # Cents that do not add up exactly in binary floating point.
    load(store, realisasi=[real(K, P1 + ".1", "2022-04-01", 0.1),
                           real(K, P1 + ".1", "2022-04-02", 0.2),
                           real(K, P1 + ".1", "2022-04-03", 0.7),
                           real(K, P_BAHAN, "2022-04-03", 1234567.89)])
    table = _run_all(store)
    _assert_same(table, _from_lines(store))
    item = table["realisasi_pok"].set_index("path").loc[P1 + ".1"]
    assert item["realisasi"] == kept + 1.0
    april = table["deviasi_detail"].query("path == @P1 + '.1' and bulan == 4").iloc[0]
    assert april["realisasi"] == 1.0


def test_reingest_of_one_satker_replaces_its_sums_only(store):
    before = reports.ranking_satker(store, 2022, 6).set_index("kode")["realisasi"]
    kept = _outside(store, 3)
    load(store, realisasi=[real(K, P1 + ".1", "2022-03-10", 40)])
    after = reports.ranking_satker(store, 2022, 6).set_index("kode")["realisasi"]
    assert after[K] == kept + 40
    assert after.drop(K).equals(before.drop(K))
    pok = reports.realisasi_pok(store, 2022, 6, satker=K)
    assert pok.iloc[0]["realisasi"] == kept + 40
    assert store.scalar("SELECT count(*) FROM realisasi_bulan WHERE kode_satker = $k",
                        {"k": K}) == store.scalar(
        "SELECT count(*) FROM (SELECT DISTINCT kode_program, kode_kegiatan, kode_kro, kode_ro, "
        "kode_komponen, kode_subkomponen, kode_akun, no_item, month(tanggal) FROM realisasi "
        "WHERE kode_satker = $k)", {"k": K})
    assert store.scalar("SELECT sum(nilai) FROM realisasi_bulan WHERE kode_satker = $k AND "
                        "bulan = 3", {"k": K}) == 40
    _assert_same(_run_all(store), _from_lines(store))


def test_refused_ingest_leaves_sums_unchanged(store):
    before = _run_all(store)
    bad = pd.DataFrame([real(K, P1 + ".1", "bukan tanggal", 40)]).astype(object)
    # a value DuckDB cannot store is a refusal a user can read, and nothing changes
    with pytest.raises(IngestError, match="tabel realisasi tidak dapat disimpan"):
        store.ingest({"realisasi": bad}, layout="kanonik")
    _assert_same(before, _run_all(store))


def test_store_made_before_the_table(tmp_path):
    s = small_store(tmp_path)
    expected = _run_all(s)
    s.con.execute("DROP TABLE realisasi_bulan")   # as a store written by an older version
    path = s.path
    s.close()
    with Store(path, read_only=True) as old:      # read-only: sums over the lines
        _assert_same(expected, _run_all(old))
    with Store(path) as reopened:                 # writable: the table is filled once
        assert reopened.scalar("SELECT count(*) FROM realisasi_bulan") > 0
        _assert_same(expected, _run_all(reopened))
