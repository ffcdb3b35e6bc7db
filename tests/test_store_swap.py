"""Ingest while readers run (issue 14 §6) and `riwayat` / `kembalikan` (§7): the writer
changes a copy and swaps it in; readers never block it and never see half of it; two
writers take turns; a writer that dies leaves the store as it was."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib import swap
from spektra_lib.cli import main
from spektra_lib.store import Store

SEED = Path(__file__).parent / "data" / "seed"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seeded(tmp_path):
    path = tmp_path / "spektra.duckdb"
    assert main(["ingest", str(SEED), "--store", str(path)]) == 0
    return path


def _update(tmp_path, name="real", extra=1_000_000) -> Path:
    """017231's realisasi with one more line in May (a realisasi-only monthly update)."""
    r = pd.read_csv(SEED / "realisasi.csv", dtype=str, keep_default_na=False)
    r = r[r["kode_satker"] == "017231"]
    may = r.iloc[[0]].assign(tanggal="2022-05-15", nilai=str(extra), no_sp2d="2208800099")
    d = tmp_path / name
    d.mkdir()
    pd.concat([r, may]).to_csv(d / "realisasi.csv", index=False)
    return d


def _total(path) -> float:
    with Store(path, read_only=True) as s:
        return float(s.scalar("SELECT sum(nilai) FROM realisasi"))


def test_reader_in_this_process_keeps_its_view_and_the_next_open_sees_new_data(seeded, tmp_path):
    reader = Store(seeded, read_only=True)
    old = float(reader.scalar("SELECT sum(nilai) FROM realisasi"))
    assert main(["ingest", str(_update(tmp_path)), "--store", str(seeded)]) == 0
    assert float(reader.scalar("SELECT sum(nilai) FROM realisasi")) == old   # never half
    assert _total(seeded) == old + 1_000_000                                 # next open
    reader.close()


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
q = "SELECT sum(nilai)::DOUBLE FROM realisasi"
print(con.execute(q).fetchall()[0][0], flush=True)
sys.stdin.readline()
print(con.execute(q).fetchall()[0][0], flush=True)
con.close()
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute(q).fetchall()[0][0], flush=True)
"""


def test_reader_process_holding_the_store_does_not_block_ingest(seeded, tmp_path):
    """A read-only connection in another process (a Voilà kernel, a notebook) holds the
    file: `spektra ingest` still succeeds; the reader sees old, then on reopening new."""
    p = subprocess.Popen([sys.executable, "-c", READER, str(seeded)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    try:
        old = float(p.stdout.readline())
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "spektra_lib.cli", "ingest",
                              str(_update(tmp_path)), "--store", str(seeded), "--tunggu", "5"],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert run.returncode == 0, run.stderr
        assert time.perf_counter() - t0 < 60
        out, _ = p.communicate("\n", timeout=60)
    finally:
        p.kill()
    same, fresh = (float(x) for x in out.split())
    assert same == old
    assert fresh == old + 1_000_000


def test_second_ingest_waits_or_says_one_is_running(seeded, tmp_path, capsys):
    with swap.exclusive(seeded):
        assert main(["ingest", str(_update(tmp_path)), "--store", str(seeded),
                     "--tunggu", "0.5"]) == 4
    err = capsys.readouterr().err
    assert "Ingest lain sedang berjalan" in err and f"PID {os.getpid()}" in err
    # waiting: the first finishes within the wait, the second then goes ahead
    held = threading.Event()

    def first():
        with swap.exclusive(seeded):
            held.set()
            time.sleep(1.0)
    t = threading.Thread(target=first)
    t.start()
    held.wait()
    assert main(["ingest", str(_update(tmp_path, "real2")), "--store", str(seeded),
                 "--tunggu", "20"]) == 0
    t.join()
    assert "Menunggu ingest lain selesai" in capsys.readouterr().err


def test_refused_or_failed_ingest_leaves_the_file_untouched(seeded, tmp_path):
    before = seeded.read_bytes()
    with pytest.raises(RuntimeError):
        with swap.writer(seeded) as st:
            st.con.execute("DELETE FROM realisasi")
            raise RuntimeError("listrik padam")
    assert seeded.read_bytes() == before
    assert not list(tmp_path.glob(".spektra.duckdb.baru-*"))


DIES = """
import os, signal, sys
from spektra_lib import swap
with swap.writer(sys.argv[1]) as st:
    st.con.execute("DELETE FROM realisasi")
    st.con.execute("CHECKPOINT")
    os.kill(os.getpid(), signal.SIGKILL)     # the machine dies before the swap
"""


def test_writer_killed_mid_way_loses_nothing(seeded, tmp_path):
    old = _total(seeded)
    run = subprocess.run([sys.executable, "-c", DIES, str(seeded)], cwd=ROOT, timeout=120)
    assert run.returncode == -9
    assert list(tmp_path.glob(".spektra.duckdb.baru-*"))       # its half-made copy
    assert _total(seeded) == old
    assert main(["ingest", str(_update(tmp_path)), "--store", str(seeded)]) == 0
    assert not list(tmp_path.glob(".spektra.duckdb.baru-*"))   # swept by the next writer
    assert _total(seeded) == old + 1_000_000


def test_riwayat_and_kembalikan(seeded, tmp_path, capsys):
    assert main(["ingest", str(_update(tmp_path, "a", 1_000_000)), "--store", str(seeded)]) == 0
    assert main(["ingest", str(_update(tmp_path, "b", 2_000_000)), "--store", str(seeded)]) == 0
    log = swap.history(seeded)
    assert log["id"].tolist() == [1, 2, 3]
    digest_1 = log.loc[log["id"] == 1, "digest"].item()
    digest_3 = log.loc[log["id"] == 3, "digest"].item()
    capsys.readouterr()
    assert main(["riwayat", "--store", str(seeded)]) == 0
    out = capsys.readouterr().out
    assert "   1* " in out and "   3* " in out and "kanonik" in out
    assert "realisasi 11" in out       # ingest 2: 10 lines + May
    assert "017231" in out

    reader = Store(seeded, read_only=True)
    assert main(["kembalikan", "1", "--store", str(seeded)]) == 0
    assert "dikembalikan ke isinya sesaat setelah ingest 1" in capsys.readouterr().out
    with Store(seeded, read_only=True) as s:
        assert s.content_digest() == digest_1
        assert s.fingerprint() == digest_1
        log = s.ingest_log()
    assert log["id"].tolist() == [1, 2, 3, 4]
    assert log["layout"].iloc[-1] == "kembalikan"
    assert json.loads(log["lingkup"].iloc[-1]) == {"kembali_ke": 1}
    assert float(reader.scalar("SELECT sum(nilai) FROM realisasi")) == _total(seeded) + 2_000_000
    reader.close()
    # the return can itself be undone: back to right after ingest 3
    assert main(["kembalikan", "3", "--store", str(seeded)]) == 0
    with Store(seeded, read_only=True) as s:
        assert s.content_digest() == digest_3
    assert main(["riwayat", "--store", str(seeded)]) == 0
    assert "kembali ke 1" in capsys.readouterr().out
    assert main(["kembalikan", "99", "--store", str(seeded)]) == 2
    assert "tidak ada di riwayat" in capsys.readouterr().err


def test_kembalikan_beyond_the_kept_copies(seeded, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(swap, "kept_snapshots", lambda: 1)
    for i in range(3):
        assert main(["ingest", str(_update(tmp_path, f"u{i}", 1000 + i)),
                     "--store", str(seeded)]) == 0
    assert sorted(swap.available(seeded)) == [3]
    capsys.readouterr()
    assert main(["kembalikan", "1", "--store", str(seeded)]) == 2
    assert "tidak disimpan lagi" in capsys.readouterr().err


def test_report_per_tanggal_on_the_command_line(tmp_path):
    path = tmp_path / "v.duckdb"
    d1, d2 = tmp_path / "v1", tmp_path / "v2"
    d1.mkdir(), d2.mkdir()
    for f in ("satker.csv", "unit_kerja.csv"):
        shutil.copy(SEED / f, d1 / f)
    p = pd.read_csv(SEED / "pok.csv", dtype=str, keep_default_na=False)
    p = p[p["kode_satker"] == "017231"]
    p.assign(revisi="0", tanggal_revisi="2022-01-03").to_csv(d1 / "pok.csv", index=False)
    p2 = p.copy()
    i = p2.index[1]
    p2.loc[i, "volume"], p2.loc[i, "pagu"] = "2", str(2 * int(p2.loc[i, "harga_satuan"]))
    p2.loc[i, "rpd_12"] = str(int(p2.loc[i, "rpd_12"]) + int(p2.loc[i, "harga_satuan"]))
    p2.assign(revisi="1", tanggal_revisi="2022-04-10").to_csv(d2 / "pok.csv", index=False)
    assert main(["ingest", str(d1), "--store", str(path)]) == 0
    assert main(["ingest", str(d2), "--store", str(path)]) == 0
    for when, extra in ((None, 1), ("2022-03-31", 0)):
        out = tmp_path / f"pok-{when}.csv"
        argv = ["report", "realisasi_pok", "--tahun", "2022", "--bulan", "5", "--satker",
                "017231", "--store", str(path), "-o", str(out)]
        assert main(argv + (["--per-tanggal", when] if when else [])) == 0
        pagu = pd.read_csv(out)["pagu"].iloc[0]
        assert pagu == p["pagu"].astype(float).sum() + extra * int(p.loc[i, "harga_satuan"])
    assert main(["report", "realisasi_pok", "--tahun", "2022", "--bulan", "5", "--store",
                 str(path), "--per-tanggal", "31-03-2022", "-o", str(tmp_path / "x.csv")]) == 2


# -- Posisi data and per-scope fingerprints (for pages and incremental render) ---------

def test_posisi_data_is_the_latest_date_in_the_scope(seeded, tmp_path):
    from datetime import date
    with Store(seeded, read_only=True) as s:
        r = s.sql("SELECT kode_satker, max(tanggal) AS d FROM realisasi GROUP BY 1")
        sp = s.sql("SELECT max(greatest(tgl_spp, tgl_spm, tgl_sp2d)) AS d FROM spp")["d"].item()
        k231 = r.loc[r["kode_satker"] == "017231", "d"].item().date()
        assert s.posisi_data(2022, "017231") == k231
        assert s.posisi_data(2022) == max(r["d"].max().date(), sp.date())
        assert s.posisi_data(2022, "017220", unit="0102") is not None
        assert s.posisi_data(2023) is None
    main(["ingest", str(_update(tmp_path)), "--store", str(seeded)])
    with Store(seeded, read_only=True) as s:
        assert s.posisi_data(2022, "017231") == date(2022, 5, 15)


def test_scope_fingerprint_changes_only_for_the_updated_satker(seeded, tmp_path):
    with Store(seeded, read_only=True) as s:
        before = {k: s.scope_fingerprint(2022, k) for k in ("017220", "017231", "017232")}
        whole = s.scope_fingerprint(2022)
    main(["ingest", str(_update(tmp_path)), "--store", str(seeded)])
    with Store(seeded, read_only=True) as s:
        after = {k: s.scope_fingerprint(2022, k) for k in before}
        assert s.scope_fingerprint(2022) != whole
    assert after["017231"] != before["017231"]
    assert after["017220"] == before["017220"] and after["017232"] == before["017232"]
    # an identical re-ingest changes no fingerprint
    main(["ingest", str(_update(tmp_path, "again")), "--store", str(seeded)])
    with Store(seeded, read_only=True) as s:
        assert {k: s.scope_fingerprint(2022, k) for k in before} == after


def test_a_kept_reader_sees_the_new_data_on_its_next_report(seeded, tmp_path):
    """A Voilà kernel or a notebook keeps its Store open: its next report after an ingest
    shows the new data, without a restart (issue 14 §6), and a scoped copy follows too."""
    from spektra_lib import reports
    from spektra_lib.store import Access
    reader = Store(seeded, read_only=True)
    user = reader.with_access(Access("user", satker="017231"))
    rank = reports.run("ranking_satker", reader, tahun=2022, bulan=5).set_index("kode")
    before = float(rank.loc["017231", "realisasi"])
    assert main(["ingest", str(_update(tmp_path)), "--store", str(seeded)]) == 0
    rank = reports.run("ranking_satker", reader, tahun=2022, bulan=5).set_index("kode")
    assert float(rank.loc["017231", "realisasi"]) == before + 1_000_000
    mine = reports.run("realisasi_pok", user, tahun=2022, bulan=5, satker="017231")
    assert float(mine.iloc[0]["realisasi"]) == before + 1_000_000
    reader.close()


def test_kembalikan_refuses_a_kept_copy_that_was_replaced(seeded, tmp_path, capsys):
    """Issue 27 §14: the kept copy is checked against the ingest log's digest."""
    assert main(["ingest", str(_update(tmp_path, "a", 1_000_000)), "--store", str(seeded)]) == 0
    assert main(["ingest", str(_update(tmp_path, "b", 2_000_000)), "--store", str(seeded)]) == 0
    # someone puts the copy after ingest 2 where the copy after ingest 1 was
    shutil.copyfile(swap.snapshot_path(seeded, 2), swap.snapshot_path(seeded, 1))
    with Store(seeded, read_only=True) as s:
        before = s.content_digest()
    capsys.readouterr()
    assert main(["kembalikan", "1", "--store", str(seeded)]) == 2
    err = capsys.readouterr().err
    assert "Salinan store setelah ingest 1 (000001.duckdb) tidak cocok dengan catatan" in err
    assert "store tidak dikembalikan" in err
    with Store(seeded, read_only=True) as s:
        assert s.content_digest() == before
        assert s.ingest_log()["id"].tolist() == [1, 2, 3]


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "lama"])
def test_tunggu_must_be_a_finite_number_of_seconds(seeded, value, capsys):
    assert main(["kembalikan", "1", "--tunggu", value, "--store", str(seeded)]) == 2
    assert "--tunggu: harus jumlah detik" in capsys.readouterr().err


@pytest.mark.parametrize("cmd", [["riwayat"], ["ingest", "tests/data/seed"],
                                 ["periksa", "tests/data/seed"], ["kembalikan", "1"],
                                 ["report", "realisasi_pok", "--tahun", "2022", "--bulan", "5",
                                  "-o", "x.csv"]])
def test_a_store_that_is_a_folder_is_a_plain_refusal(tmp_path, cmd, capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    folder = tmp_path / "folder"
    folder.mkdir()
    assert main(cmd + ["--store", str(folder)]) == 2
    assert f"Galat: {folder} adalah folder, bukan berkas store" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_report_for_an_unknown_satker_is_refused(seeded, tmp_path, capsys):
    """Issue 27 §4: not an empty report with exit 0."""
    out = tmp_path / "x.csv"
    assert main(["report", "realisasi_pok", "--tahun", "2022", "--bulan", "5", "--satker",
                 "017299", "--store", str(seeded), "-o", str(out)]) == 2
    assert "Satker '017299' tidak dikenal di store ini" in capsys.readouterr().err
    assert not out.exists()
