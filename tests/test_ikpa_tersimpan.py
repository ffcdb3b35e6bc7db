"""The IKPA history kept in the store (reports/ikpa/tersimpan.py, issue 22 §5): what the
page reads is exactly the live computation, the page really reads it, and a kept history
is never answered once the rule files, SPEKTRA's code or the data changed; `spektra
ingest` keeps it and a failure to compute it never refuses the data. On test_ikpa's
hand-made store (worked by hand there: A's July total 87,7551 Cukup)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from spektra_lib import reports
from spektra_lib.reports.ikpa import _memo, pilih_aturan, riwayat, tersimpan
from spektra_lib.store import Store

from test_ikpa import A, B, T, frame, real, store  # noqa: F401  (the hand-made store)


@pytest.fixture
def kept(store, tmp_path):  # noqa: F811
    """A copy of the hand-made store with the history kept, as `spektra ingest` leaves it."""
    store.con.execute("CHECKPOINT")
    path = tmp_path / "salinan.duckdb"
    shutil.copy(store.path, path)
    with Store(path) as w:
        assert riwayat.simpan(w) == [T]
        assert riwayat.simpan(w) == []      # nothing changed: nothing computed again
    _memo.kosongkan()
    yield path
    _memo.kosongkan()


def _history(s, satker, bulan):
    return reports.run("ikpa_riwayat", s, tahun=T, bulan=bulan, satker=satker)


@pytest.mark.parametrize("satker,bulan", [(A, 7), (A, 12), (B, 5), (None, 9)])
def test_the_page_reads_the_kept_history_and_it_is_the_live_one(store, kept, monkeypatch,  # noqa: F811
                                                                satker, bulan):
    live = _history(store, satker, bulan)          # a writer always computes
    with Store(kept, read_only=True) as r:
        # the page must not compute the months: it reads them
        monkeypatch.setattr(riwayat, "_bulanan", lambda *a: pytest.fail("dihitung ulang"))
        got = _history(r, satker, bulan)
    pd.testing.assert_frame_equal(got, live, check_exact=True)
    assert got.attrs == live.attrs
    if satker == A and bulan == 7:
        row = got[got["bulan"] == 7].iloc[0]
        assert (round(row["nilai"], 4), row["kategori"]) == (87.7551, "Cukup")


def test_a_changed_rule_file_is_computed_live_not_read(kept, tmp_path, monkeypatch):
    from spektra_lib import parameters
    params = tmp_path / "aturan"
    shutil.copytree(parameters.directory(), params)
    rule = params / "ikpa" / "PER-5-PB-2022.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "{nama: Baik, mulai: 89}" in text
    rule.write_text(text.replace("{nama: Baik, mulai: 89}", "{nama: Baik, mulai: 80}"),
                    encoding="utf-8")
    with Store(kept, read_only=True) as r:
        before = _history(r, A, 7)
        monkeypatch.setenv("SPEKTRA_PARAMETERS", str(params))
        _memo.kosongkan()
        assert tersimpan.baca(r, T, 7, A, pilih_aturan(T)) is None
        after = _history(r, A, 7)
    assert before.loc[6, "kategori"] == "Cukup"
    assert after.loc[6, "kategori"] == "Baik"       # 87,7551 under the agency's bands
    assert after.loc[6, "nilai"] == before.loc[6, "nilai"]


def test_new_code_or_new_data_is_computed_live(kept, monkeypatch):
    with Store(kept, read_only=True) as r:
        assert tersimpan.baca(r, T, 7, A, pilih_aturan(T)) is not None
        monkeypatch.setattr(tersimpan, "kode", lambda: "rilis berikutnya")
        assert tersimpan.baca(r, T, 7, A, pilih_aturan(T)) is None
        # another rule asked for than the year's own
        monkeypatch.undo()
        assert tersimpan.baca(r, T, 7, A, pilih_aturan(T, "PER-5/PB/2024")) is None
        before = _history(r, A, 7)
    with Store(kept) as w:      # A spends 300.000 more on belanja barang in March
        w.ingest({"realisasi": frame("realisasi", [real(A, "521211", 3, 300_000)])},
                 layout="kanonik")
    _memo.kosongkan()
    with Store(kept, read_only=True) as r:
        assert tersimpan.baca(r, T, 7, A, pilih_aturan(T)) is None    # not kept again yet
        after = _history(r, A, 7)
        live = after.copy()
    assert after.loc[2, "nilai"] != before.loc[2, "nilai"]
    with Store(kept) as w:
        assert riwayat.simpan(w) == [T]
    _memo.kosongkan()
    with Store(kept, read_only=True) as r:
        pd.testing.assert_frame_equal(_history(r, A, 7), live, check_exact=True)


def test_spektra_ingest_keeps_the_history_and_a_failure_never_refuses_the_data(
        tmp_path, monkeypatch, capsys):
    from spektra_lib import synth
    from spektra_lib.cli import main
    src = tmp_path / "demo"
    synth.generate(src, tahun=T, n_satker=2)
    db = tmp_path / "s.duckdb"
    capsys.readouterr()
    assert main(["ingest", str(src), "--store", str(db)]) == 0
    out = capsys.readouterr().out
    import re
    # seconds in Indonesian: "1,7 dtk" (a "1.7" reads as seventeen)
    assert re.search(rf"riwayat IKPA tahun {T} dihitung dan disimpan \(\d+,\d dtk\)\.", out)
    assert re.search(r"Ingest kanonik dari .*\(\d+,\d dtk\)\.", out)
    with Store(db, read_only=True) as r:
        kode = r.sql("SELECT min(kode_satker) AS k FROM pok")["k"][0]
        assert tersimpan.baca(r, T, 12, kode, pilih_aturan(T)) is not None

    def boom(_store):
        raise RuntimeError("uji")
    monkeypatch.setattr(riwayat, "simpan", boom)
    db2 = tmp_path / "s2.duckdb"
    assert main(["ingest", str(src), "--store", str(db2)]) == 0
    out = capsys.readouterr().out
    assert "riwayat IKPA tidak disimpan (RuntimeError: uji)" in out
    with Store(db2, read_only=True) as r:
        assert r.scalar("SELECT count(*) FROM pok") > 0      # the data loaded all the same
        assert tersimpan.baca(r, T, 12, kode, pilih_aturan(T)) is None
        assert len(_history(r, kode, 12)) == 12             # the page computes it


def test_an_official_score_or_a_revision_makes_only_its_satkers_pages_stale(kept):
    """Incremental render (scope fingerprints): the IKPA inputs are a satker's page data."""
    with Store(kept) as w:
        before = {k: w.scope_fingerprint(T, k) for k in (A, B)}
        w.ingest({"ikpa_resmi": frame("ikpa_resmi", [dict(
            tahun=T, bulan=7, kode_satker=A, indikator="Nilai IKPA", nilai=88.1)])},
            layout="kanonik")
        after = {k: w.scope_fingerprint(T, k) for k in (A, B)}
    assert after[A] != before[A] and after[B] == before[B]
