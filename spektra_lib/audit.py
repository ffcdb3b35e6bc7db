"""The audit log: who logged in (or failed to), saw, downloaded, uploaded, ingested, rolled
back or changed a user — with time, user, role, action, target, result and address.

One SQLite file per calendar year (`audit-2026.sqlite`) in the audit folder (default
`audit/` beside the store, `SPEKTRA_AUDIT` to move it): the year is the rotation. Rows are
only ever added: triggers refuse UPDATE and DELETE, and nothing in SPEKTRA removes a file.
Retention: every year file is kept by SPEKTRA; the agency archives a closed year's file
(at least 5 years, like other financial administration records) and may move it away —
`spektra audit` reads whatever year files are in the folder. Never a password: the app
records logins and targets only (`Users` holds hashes, this file holds none).
"""
from __future__ import annotations

import atexit
import csv
import sqlite3
import threading
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from .settings import settings

COLUMNS = ("waktu", "pengguna", "peran", "aksi", "sasaran", "hasil", "alamat")
ACTIONS = ("masuk", "keluar", "lihat", "ditolak", "unduh", "unggah", "periksa", "ingest",
           "kembalikan", "pengguna")

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    waktu TEXT NOT NULL, pengguna TEXT NOT NULL, peran TEXT NOT NULL, aksi TEXT NOT NULL,
    sasaran TEXT NOT NULL, hasil TEXT NOT NULL, alamat TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_waktu ON audit(waktu);
CREATE TRIGGER IF NOT EXISTS audit_tetap_ubah BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'log audit tidak dapat diubah'); END;
CREATE TRIGGER IF NOT EXISTS audit_tetap_hapus BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'log audit tidak dapat dihapus'); END;
"""


def default_folder(store: Path | str | None = None) -> Path:
    s = settings()
    return Path(s.audit) if s.audit else Path(store or s.store).parent / "audit"


def _clean(value, limit: int = 300) -> str:
    text = "" if value is None else str(value)
    return "".join(c if c.isprintable() else "?" for c in text)[:limit]


class Audit:
    """The log. `buffered` (the server): a page view costs an append to a list; a thread
    writes what gathered every FLUSH_SECONDS in one transaction on a kept connection (a
    crash loses at most that much; a normal stop writes it all)."""

    FLUSH_SECONDS = 0.5

    def __init__(self, folder: Path | str | None = None, *, buffered: bool = False):
        self.folder = Path(folder) if folder else default_folder()
        self._lock = threading.Lock()          # the buffer
        self._write_lock = threading.Lock()    # the connections
        self._conns: dict[Path, sqlite3.Connection] = {}
        self._buffer: list[tuple[Path, list]] = []
        self.buffered = buffered
        if buffered:
            atexit.register(self.flush)
            threading.Thread(target=self._flusher, name="spektra-audit", daemon=True).start()

    def _file(self, year: int) -> Path:
        return self.folder / f"audit-{year}.sqlite"

    def _conn(self, path: Path) -> sqlite3.Connection:
        db = self._conns.get(path)
        if db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=15, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            path.chmod(0o600)
            self._conns[path] = db
        return db

    def record(self, aksi: str, *, pengguna: str | None = "", peran: str = "",
               sasaran: str = "", hasil: str = "ok", alamat: str = "",
               when: datetime | None = None) -> None:
        when = when or datetime.now().astimezone()
        row = [when.strftime("%Y-%m-%d %H:%M:%S"), _clean(pengguna, 64) or "-",
               _clean(peran, 20) or "publik", _clean(aksi, 20), _clean(sasaran),
               _clean(hasil, 200), _clean(alamat, 64)]
        item = (self._file(when.year), row)
        if self.buffered:
            with self._lock:
                self._buffer.append(item)
        else:
            self._write([item])

    def _write(self, items) -> None:
        if not items:
            return
        with self._write_lock:
            by_file: dict[Path, list] = {}
            for path, row in items:
                by_file.setdefault(path, []).append(row)
            for path, rows in by_file.items():
                db = self._conn(path)
                db.execute("BEGIN")
                db.executemany("INSERT INTO audit VALUES (?,?,?,?,?,?,?)", rows)
                db.execute("COMMIT")

    def flush(self) -> None:
        with self._lock:
            items, self._buffer = self._buffer, []
        self._write(items)

    def _flusher(self) -> None:
        import time
        while True:
            time.sleep(self.FLUSH_SECONDS)
            try:
                self.flush()
            except Exception:               # noqa: BLE001  the next round tries again
                pass

    def close(self) -> None:
        self.flush()
        with self._write_lock:
            for db in self._conns.values():
                db.close()
            self._conns.clear()

    def read(self, *, dari: date | None = None, sampai: date | None = None,
             pengguna: str | None = None, aksi: str | None = None, cari: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[dict]:
        """Rows, newest first, filtered (dates inclusive; cari: any column contains)."""
        self.flush()
        where, args = [], []
        if dari:
            where.append("waktu >= ?")
            args.append(dari.isoformat())
        if sampai:
            where.append("waktu < ?")
            args.append(date.fromordinal(sampai.toordinal() + 1).isoformat())
        if pengguna:
            where.append("pengguna = ?")
            args.append(pengguna)
        if aksi:
            where.append("aksi = ?")
            args.append(aksi)
        if cari:
            where.append("(" + " OR ".join(f"instr(lower({c}), ?) > 0" for c in COLUMNS) + ")")
            args += [cari.lower()] * len(COLUMNS)
        sql = "SELECT *, rowid FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
        rows: list[tuple] = []
        for path in sorted(self.folder.glob("audit-*.sqlite"), reverse=True):
            year = path.stem.split("-")[-1]
            if not year.isdigit() or (dari and int(year) < dari.year) or (
                    sampai and int(year) > sampai.year):
                continue
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=15)
            with closing(db):
                rows += db.execute(sql, args).fetchall()
        # newest first; rows of the same second in the order they were written (rowid)
        rows.sort(key=lambda r: (r[0], r[-1]), reverse=True)
        rows = rows[offset:offset + limit] if limit is not None else rows[offset:]
        return [dict(zip(COLUMNS, r[:-1])) for r in rows]

    def count(self, **filters) -> int:
        return len(self.read(**filters))


def write(rows: list[dict], out: Path) -> Path:
    """-o FILE.csv or FILE.xlsx: the columns of COLUMNS, text cells only (never a formula)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(COLUMNS)
            for r in rows:
                w.writerow([r[c] for c in COLUMNS])
        return out
    if suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font
        wb = Workbook()
        ws = wb.active
        ws.title = "audit"
        for j, c in enumerate(COLUMNS, 1):
            ws.cell(1, j, c).font = Font(bold=True)
        for i, r in enumerate(rows, 2):
            for j, c in enumerate(COLUMNS, 1):
                cell = ws.cell(i, j)
                cell.value = r[c]
                cell.data_type = "s"             # "=1+1" from a URL stays text
        for j, width in enumerate((20, 16, 11, 11, 60, 30, 16), 1):
            ws.column_dimensions[chr(64 + j)].width = width
        ws.freeze_panes = "A2"
        wb.save(out)
        return out
    raise ValueError(f"{out}: audit ditulis sebagai .csv atau .xlsx, bukan '{suffix or out.name}'.")
