"""The IKPA page's reports share one computation (reports/ikpa/_memo.py, issue 22 §5):
what a reader of the store gets through the memo is exactly what a fresh computation
gives, every month of the history is that month's stand-alone estimate, a new ingest is
never answered from the old data, and a caller changing its frame changes nothing kept.
On test_ikpa's hand-made store (worked by hand there), read through a copy of its file."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from spektra_lib import reports
from spektra_lib.reports.ikpa import _memo
from spektra_lib.store import Store

from test_ikpa import A, B, T, frame, real, store  # noqa: F401  (the hand-made store)

PAGE = ("ikpa_estimasi", "ikpa_riwayat", "ikpa_peluang", "ikpa_rincian", "ikpa_rekonsiliasi")


@pytest.fixture
def reader(store, tmp_path):  # noqa: F811
    store.con.execute("CHECKPOINT")
    path = tmp_path / "salinan.duckdb"
    shutil.copy(store.path, path)
    _memo.kosongkan()
    s = Store(path, read_only=True)
    yield s
    s.close()
    _memo.kosongkan()


def _page(s, satker, bulan):
    return {n: reports.run(n, s, tahun=T, bulan=bulan, satker=satker) for n in PAGE}


@pytest.mark.parametrize("satker,bulan", [(A, 7), (B, 5)])
def test_page_through_the_memo_equals_the_writers_fresh_computation(store, reader,  # noqa: F811
                                                                    satker, bulan):
    shared = _page(reader, satker, bulan)
    assert len(_memo._memo) >= bulan     # the reader's computations were kept
    fresh = _page(store, satker, bulan)  # a writer always computes
    for name in PAGE:
        pd.testing.assert_frame_equal(shared[name], fresh[name], obj=name)
        assert shared[name].attrs == fresh[name].attrs, name
    # the history's last month is the page's estimate
    assert shared["ikpa_riwayat"].iloc[-1]["nilai"] == pytest.approx(
        shared["ikpa_estimasi"].iloc[-1]["nilai"])


def test_every_month_of_the_history_is_that_months_own_estimate(reader):
    for k in (A, B):
        df = reports.run("ikpa_riwayat", reader, tahun=T, bulan=9, satker=k)
        each = []
        for m in range(1, 10):
            _memo.kosongkan()       # each month computed on its own, no query shared
            each.append(reports.run("ikpa_estimasi", reader, tahun=T, bulan=m,
                                    satker=k).iloc[-1]["nilai"])
        assert df["bulan"].tolist() == list(range(1, 10))
        pd.testing.assert_series_equal(df["nilai"].reset_index(drop=True),
                                       pd.Series(each, name="nilai"), check_dtype=False)


def test_a_changed_frame_changes_nothing_kept(reader):
    first = reports.run("ikpa_estimasi", reader, tahun=T, bulan=7, satker=A)
    want = first.copy()
    first["nilai"] = -1.0
    first.attrs["catatan"] = "diubah"
    again = reports.run("ikpa_estimasi", reader, tahun=T, bulan=7, satker=A)
    pd.testing.assert_frame_equal(again, want)
    assert again.attrs["catatan"] != "diubah"


def test_a_new_ingest_is_not_answered_from_the_old_data(reader):
    path = reader.path
    before = reports.run("ikpa_estimasi", reader, tahun=T, bulan=7, satker=A)
    reader.close()
    with Store(path) as w:      # A spends 1.200.000 more on belanja barang in March
        w.ingest({"realisasi": frame("realisasi", [real(A, "521211", 3, 300_000)])},
                 layout="kanonik")
    with Store(path, read_only=True) as s:
        after = reports.run("ikpa_estimasi", s, tahun=T, bulan=7, satker=A)
        _memo.kosongkan()
        fresh = reports.run("ikpa_estimasi", s, tahun=T, bulan=7, satker=A)
    pen = "Penyerapan Anggaran"
    assert after.set_index("indikator").loc[pen, "nilai"] != pytest.approx(
        before.set_index("indikator").loc[pen, "nilai"])
    pd.testing.assert_frame_equal(after, fresh)
    reader.__init__(path, read_only=True)       # the fixture closes it


def test_kept_computation_outlives_the_reader_that_made_it(reader):
    """A page's store closed (a notebook kernel, a test), the same file opened again: the
    kept computation serves the new reader, never the closed connection."""
    path = reader.path
    first = _page(reader, A, 7)
    reader.close()
    with Store(path, read_only=True) as again:
        second = _page(again, A, 7)
    for name in PAGE:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)
    reader.__init__(path, read_only=True)       # the fixture closes it
