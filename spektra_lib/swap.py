"""Changing the store while it is being read: copy the file, change the copy, swap it in.

DuckDB lets one process hold a file read-write and refuses it while any reader holds it
(DESIGN.md). So a writer never opens the live file: it copies it to a new file next to
it, ingests there (one transaction, as before), closes it (checkpointed: no WAL), flushes
it to disk and renames it over the live name with os.replace, which is atomic. Readers
that opened the store before keep reading the file they opened (POSIX keeps it while
open) and see the new data on their next open; nobody ever sees half an ingest; a
machine that dies mid-way leaves the live file untouched (and a stray copy, removed by
the next writer).

Writers take turns through an flock on `<store>.lock`: the second waits up to `tunggu`
seconds, then says plainly that another ingest is running (StoreSedangDipakai).

The file an ingest replaces is kept as `<store>.riwayat/<id>.duckdb`, the content right
after ingest `id` (a hard link: no copy), so `spektra kembalikan ID` can bring it back;
parameters/versi.yaml says how many are kept.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from . import parameters
from .problems import StoreSedangDipakai, safe_text
from .store import FULL_ACCESS, Access, Store, default_path

TUNGGU = 60.0      # seconds a second writer waits for the first


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def history_dir(path: Path) -> Path:
    return path.with_name(path.name + ".riwayat")


def snapshot_path(path: Path, ingest_id: int) -> Path:
    return history_dir(path) / f"{int(ingest_id):06d}.duckdb"


def kept_snapshots() -> int:
    return int((parameters.load("versi").get("riwayat") or {}).get("salinan", 10))


@contextmanager
def exclusive(path: Path, tunggu: float = TUNGGU, on_wait=None):
    """Hold the store's writer lock; wait up to `tunggu` s for another writer."""
    lp = lock_path(path)
    lp.parent.mkdir(parents=True, exist_ok=True)
    f = open(lp, "a+")
    try:
        deadline = time.monotonic() + tunggu
        told = False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                f.seek(0)
                who = f.read().strip() or "proses lain"
                if time.monotonic() >= deadline:
                    raise StoreSedangDipakai(
                        f"Ingest lain sedang berjalan pada store {safe_text(path)} ({who}); "
                        f"sudah ditunggu {tunggu:.0f} dtk. Coba lagi setelah ingest itu "
                        "selesai.") from None
                if on_wait is not None and not told:
                    on_wait(who)
                    told = True
                time.sleep(0.2)
        f.seek(0)
        f.truncate()
        f.write(f"PID {os.getpid()}, mulai {datetime.now():%Y-%m-%d %H:%M:%S}")
        f.flush()
        yield
    finally:
        f.close()      # releases the flock


def _settle(path: Path) -> None:
    """Before copying: the live file must be a store nobody writes directly (Store(path)
    in a notebook or an older SPEKTRA): opening it read-only says so as a sentence
    (StoreSedangDipakai names the process, StoreTidakSah a file that is no store).
    A WAL left by a direct writer that died is merged first."""
    if not path.exists():
        return
    Store(path, read_only=True).close()
    wal = path.with_name(path.name + ".wal")
    if not wal.exists():
        return
    try:
        duckdb.connect(str(path)).close()        # replays and checkpoints the WAL
    except duckdb.IOException as e:
        raise StoreSedangDipakai(
            f"Store {safe_text(path)} sedang dibuka untuk ditulis langsung oleh proses lain; "
            "coba lagi setelah proses itu selesai.") from e


def _sweep(path: Path) -> None:
    """Copies left by a writer that died before its swap (the live file is intact)."""
    for stray in path.parent.glob(f".{path.name}.baru-*"):
        stray.unlink(missing_ok=True)


def _fsync(p: Path, directory: bool = False) -> None:
    fd = os.open(p, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def writer(path: str | Path | None = None, *, tunggu: float = TUNGGU, mulai_dari: Path | None = None,
           access: Access = FULL_ACCESS, on_wait=None):
    """A read-write Store on a new copy of the store, swapped in when the block ends
    without an exception (and thrown away otherwise). `mulai_dari`: start from that
    file instead of the live one (kembalikan). `store.path` is the live path."""
    path = Path(path) if path is not None else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(path, tunggu, on_wait):
        _settle(path)
        _sweep(path)
        tmp = path.with_name(f".{path.name}.baru-{os.getpid()}")
        source = mulai_dari if mulai_dari is not None else (path if path.exists() else None)
        if source is not None:
            shutil.copyfile(source, tmp)
        prev_id = None
        if mulai_dari is not None and path.exists():
            with Store(path, read_only=True) as live:
                prev_id = _last_id(live)
        store = Store(tmp, access=access)
        if mulai_dari is None and source is not None:
            prev_id = _last_id(store)       # the copy is the live content
        store.path = path
        ok = False
        try:
            yield store
            ok = True
        finally:
            store.close()
            if not ok:
                tmp.unlink(missing_ok=True)
                tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        _fsync(tmp)
        if prev_id is not None:
            _keep(path, prev_id)
        os.replace(tmp, path)
        _fsync(path.parent, directory=True)
        _prune(path)


def _last_id(store: Store) -> int | None:
    cols = set(store.sql("SELECT * FROM ingest_log LIMIT 0").columns)
    if "id" not in cols:
        n = store.scalar("SELECT count(*) FROM ingest_log")
        return int(n) if n else None
    v = store.scalar("SELECT max(id) FROM ingest_log")
    return int(v) if v is not None else None


def _keep(path: Path, ingest_id: int) -> None:
    """The file about to be replaced is the content right after ingest `ingest_id`."""
    snap = snapshot_path(path, ingest_id)
    snap.parent.mkdir(exist_ok=True)
    snap.unlink(missing_ok=True)
    try:
        os.link(path, snap)            # the old inode lives on under this name: no copy
    except OSError:
        shutil.copyfile(path, snap)    # a file system without hard links


def _prune(path: Path) -> None:
    d = history_dir(path)
    if not d.exists():
        return
    snaps = sorted(d.glob("*.duckdb"))
    for old in snaps[:max(0, len(snaps) - kept_snapshots())]:
        old.unlink(missing_ok=True)


def available(path: Path) -> set[int]:
    d = history_dir(path)
    return {int(p.stem) for p in d.glob("*.duckdb")} if d.exists() else set()


# -- riwayat / kembalikan ---------------------------------------------------------------

def history(path: str | Path | None = None):
    """The ingest log (oldest first) with `dapat_dikembalikan`: a kept copy exists, or it
    is the current content."""
    path = Path(path) if path is not None else default_path()
    with Store(path, read_only=True) as st:
        log = st.sql("SELECT * FROM ingest_log ORDER BY waktu")
    if "id" not in log.columns:
        log["id"] = range(1, len(log) + 1)
        log["lingkup"] = None
    keep = available(path)
    last = log["id"].max() if len(log) else None
    log["dapat_dikembalikan"] = [int(i) in keep or i == last for i in log["id"]]
    return log


def restore(path: str | Path | None, ingest_id: int, *, tunggu: float = TUNGGU,
            on_wait=None) -> dict:
    """The store back to exactly its content right after ingest `ingest_id`, atomically;
    the return is logged as an ingest of its own (so it can be undone the same way)."""
    path = Path(path) if path is not None else default_path()
    if not path.exists():
        raise FileNotFoundError(f"Store {path} belum ada.")
    log = history(path)
    ids = [int(i) for i in log["id"]]
    if ingest_id not in ids:
        raise ValueError(f"Ingest {ingest_id} tidak ada di riwayat store {path} "
                         f"(ada: {ids[0] if ids else '-'}–{ids[-1] if ids else '-'}).")
    row = log[log["id"] == ingest_id].iloc[0]
    target = row["digest"]
    if ingest_id == ids[-1]:
        return {"id": None, "digest": target, "berubah": False}
    snap = snapshot_path(path, ingest_id)
    if not snap.exists():
        raise ValueError(
            f"Salinan store setelah ingest {ingest_id} tidak disimpan lagi (disimpan "
            f"{kept_snapshots()} terakhir, parameters/versi.yaml riwayat.salinan); "
            "tidak dapat dikembalikan.")
    with writer(path, tunggu=tunggu, mulai_dari=snap, on_wait=on_wait) as st:
        # The kept copy must be what the log says it was: a replaced or damaged file is
        # refused (the writer throws the copy away; the live store stays as it is).
        got = st.content_digest()
        if got != target:
            raise ValueError(
                f"Salinan store setelah ingest {ingest_id} ({snap.name}) tidak cocok dengan "
                f"catatan ingest itu (digest {got}, seharusnya {target}): salinan itu telah "
                "berubah atau rusak; store tidak dikembalikan dan tetap seperti sebelumnya.")
        # the log goes on: the whole history, plus this return
        cols = [c for c in log.columns if c != "dapat_dikembalikan"]
        keep = log[cols]
        st.con.execute("DELETE FROM ingest_log")
        st.con.register("_log", keep)
        st.con.execute(f"INSERT INTO ingest_log ({', '.join(cols)}) "
                       f"SELECT {', '.join(cols)} FROM _log")
        st.con.unregister("_log")
        digest = st.content_digest()
        new_id = max(ids) + 1
        st.con.execute(
            "INSERT INTO ingest_log (waktu, layout, sumber, berkas, baris, digest, id, lingkup) "
            "VALUES (?, 'kembalikan', ?, '[]', '{}', ?, ?, ?)",
            [datetime.now(), f"kembali ke ingest {ingest_id}", digest, new_id,
             json.dumps({"kembali_ke": int(ingest_id)})])
    return {"id": new_id, "digest": digest, "target": target, "berubah": True}
