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
    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder else default_folder()
        self._lock = threading.Lock()
        self._ready: set[Path] = set()

    def _file(self, year: int) -> Path:
        return self.folder / f"audit-{year}.sqlite"

    def _open(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=15, isolation_level=None)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def record(self, aksi: str, *, pengguna: str | None = "", peran: str = "",
               sasaran: str = "", hasil: str = "ok", alamat: str = "",
               when: datetime | None = None) -> None:
        when = when or datetime.now().astimezone()
        path = self._file(when.year)
        row = [when.strftime("%Y-%m-%d %H:%M:%S"), _clean(pengguna, 64) or "-",
               _clean(peran, 20) or "publik", _clean(aksi, 20), _clean(sasaran),
               _clean(hasil, 200), _clean(alamat, 64)]
        with self._lock:
            if path not in self._ready:
                self.folder.mkdir(parents=True, exist_ok=True)
                with closing(self._open(path)) as db:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.executescript(SCHEMA)
                path.chmod(0o600)
                self._ready.add(path)
            with closing(self._open(path)) as db:
                db.execute("INSERT INTO audit VALUES (?,?,?,?,?,?,?)", row)

    def read(self, *, dari: date | None = None, sampai: date | None = None,
             pengguna: str | None = None, aksi: str | None = None, cari: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[dict]:
        """Rows, newest first, filtered (dates inclusive; cari: any column contains)."""
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
        sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
        rows: list[tuple] = []
        for path in sorted(self.folder.glob("audit-*.sqlite"), reverse=True):
            year = path.stem.split("-")[-1]
            if not year.isdigit() or (dari and int(year) < dari.year) or (
                    sampai and int(year) > sampai.year):
                continue
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=15)
            with closing(db):
                rows += db.execute(sql, args).fetchall()
        rows.sort(key=lambda r: r[0], reverse=True)
        rows = rows[offset:offset + limit] if limit is not None else rows[offset:]
        return [dict(zip(COLUMNS, r)) for r in rows]

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
