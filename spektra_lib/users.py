"""SPEKTRA's users, their login sessions and failed logins: a small SQLite file of its own.

Why not the data store: the DuckDB store is replaced whole by every ingest (a new copy
swapped in atomically, swap.py) and rolled back by `spektra kembalikan`; a user added, a
password changed or a session ended between two ingests must survive both, and the
server writes here at every login while the store is read-only to it. SQLite (standard
library, WAL) lets `spektra pengguna` and the running server write the same file at once;
a change is seen at the server's next request. Default: `spektra-pengguna.sqlite` beside
the store (`SPEKTRA_PENGGUNA` to move it).

Passwords are kept only as argon2id hashes (argon2-cffi); sessions only as the SHA-256 of
their random token (a copy of this file opens no session). `parameters/akses.yaml` stays
the definition of the roles; its `pengguna:` are imported once into an empty file.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .settings import settings
from .store import PERAN, Access, lingkup_dari

ROLES = tuple(r for r, power in PERAN.items() if power != "dashboard")   # a login's roles
LOGIN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
CODE = re.compile(r"^[0-9A-Za-z]{1,12}$")
SANDI_MIN = 10
SANDI_ATURAN = (f"Sandi minimal {SANDI_MIN} karakter, memuat huruf dan angka, dan tidak "
                "memuat nama pengguna.")

# Failed logins (form and Basic alike). Per login: LOCK_LOGIN failures within WINDOW lock
# that login for LOCK_SECONDS after the last one; per address (as the proxy saw it):
# LOCK_ADDRESS failures. Every failure is answered only after FAIL_DELAY seconds.
WINDOW = 15 * 60
LOCK_LOGIN = 5
LOCK_ADDRESS = 20
LOCK_SECONDS = 15 * 60
FAIL_DELAY = 1.0

_HASHER = PasswordHasher()          # argon2id, library defaults (RFC 9106 low-memory)
_DUMMY = _HASHER.hash("tidak-ada-pengguna-ini")

SCHEMA = """
CREATE TABLE IF NOT EXISTS pengguna (
    login TEXT PRIMARY KEY, nama TEXT NOT NULL, peran TEXT NOT NULL,
    satker TEXT, unit TEXT, aktif INTEGER NOT NULL DEFAULT 1,
    sandi TEXT,                       -- argon2id hash, never the password
    sandi_demo INTEGER NOT NULL DEFAULT 0,  -- 1: set from SPEKTRA_SANDI (demo only)
    generasi INTEGER NOT NULL DEFAULT 0,    -- +1 at each password change
    dibuat TEXT NOT NULL, diubah TEXT NOT NULL, terakhir_masuk TEXT);
CREATE TABLE IF NOT EXISTS sesi (
    id TEXT PRIMARY KEY,              -- sha256 of the cookie's token
    login TEXT NOT NULL, dibuat REAL NOT NULL, sampai REAL NOT NULL,
    alamat TEXT, csrf TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sesi_login ON sesi(login);
CREATE TABLE IF NOT EXISTS gagal (kunci TEXT NOT NULL, waktu REAL NOT NULL);
CREATE INDEX IF NOT EXISTS gagal_kunci ON gagal(kunci, waktu);
CREATE TABLE IF NOT EXISTS meta (kunci TEXT PRIMARY KEY, nilai TEXT);
"""


class PenggunaTidakSah(ValueError):
    """A user change refused: the message says why, in Indonesian."""


@dataclass(frozen=True)
class User:
    login: str
    nama: str
    peran: str
    satker: str | None
    unit: str | None
    aktif: bool
    generasi: int
    terakhir_masuk: str | None
    sandi_demo: bool = False

    @property
    def access(self) -> Access:
        if PERAN[self.peran] != "sendiri":
            return Access(self.peran, nama=self.nama)
        try:
            return Access(self.peran, lingkup=lingkup_dari(self.satker, self.unit),
                          nama=self.nama)
        except ValueError:              # an unreadable row sees nothing (fail closed)
            return Access("publik", nama=self.nama)

    @property
    def lingkup(self) -> str:
        """The scopes as a user reads them: 'satker 017234, 017235; unit 017220/0102'."""
        if PERAN[self.peran] != "sendiri":
            return "semua satker"
        a = self.access
        whole = [s for s, u in a.lingkup if u is None]
        units = [f"{s}/{u}" for s, u in a.lingkup if u is not None]
        return "; ".join(([f"satker {', '.join(whole)}"] if whole else [])
                         + ([f"unit {', '.join(units)}"] if units else [])) or "-"

    @property
    def satker_teks(self) -> str:
        """The satker codes as the form shows them (comma list)."""
        return ", ".join(s for s, u in self.access.lingkup if u is None) \
            if PERAN[self.peran] == "sendiri" else ""

    @property
    def unit_teks(self) -> str:
        return ", ".join(f"{s}/{u}" for s, u in self.access.lingkup if u is not None) \
            if PERAN[self.peran] == "sendiri" else ""


def default_path(store: Path | str | None = None) -> Path:
    s = settings()
    if s.pengguna:
        return Path(s.pengguna)
    return Path(store or s.store).parent / "spektra-pengguna.sqlite"


def open_users(store: Path | str | None = None, path: Path | str | None = None) -> "Users":
    """The user file (beside `store`), with akses.yaml's users imported the first time."""
    from .access import load_policy
    users = Users(path or default_path(store))
    users.import_policy(load_policy())
    return users


def _now_text() -> str:
    return datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def peran_nama(role: str) -> str:
    """The role's name shown (akses.yaml's `peran: <role>: nama:`, the roles' one definition)."""
    from .access import role_names
    return role_names().get(role, role)


def check_password(password: str, login: str = "") -> None:
    """Raise PenggunaTidakSah with the rule when the password is weak."""
    p = password or ""
    if (len(p) < SANDI_MIN or not re.search(r"[A-Za-z]", p) or not re.search(r"[0-9]", p)
            or (login and login.lower() in p.lower()) or any(ord(c) < 32 for c in p)):
        raise PenggunaTidakSah(f"Sandi ditolak: {SANDI_ATURAN}")


def _codes(value) -> list[str]:
    """A code, a comma list or a list of either → the codes (duplicates dropped)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return list(dict.fromkeys(c.strip() for i in items for c in str(i).split(",")
                              if c.strip()))


def _in_store(store, satkers: list[str], units: list[str]) -> tuple[list[str], list[str]]:
    """Every code checked against the store's satker and unit kerja; bare unit codes
    qualified with their satker ("SATKER/UNIT")."""
    known = {str(k) for k in store.sql("SELECT kode_satker FROM satker")["kode_satker"]}
    owners: dict[str, set[str]] = {}
    for s, u in store.sql("SELECT kode_satker, kode_unit FROM unit_kerja").itertuples(
            index=False):
        owners.setdefault(str(u), set()).add(str(s))
    unknown = [c for c in satkers if c not in known]
    if unknown:
        raise PenggunaTidakSah(f"Satker {', '.join(unknown)} tidak ada di store (lihat daftar "
                               "satker pada data yang dimuat).")
    out = []
    for code in units:
        s, slash, u = code.partition("/")
        if not slash:
            u = s
            mine = owners.get(u, set())
            if len(mine) > 1:
                mine = mine & set(satkers)
            if len(mine) != 1:
                raise PenggunaTidakSah(
                    f"Unit kerja {u} tidak ada di store." if not owners.get(u) else
                    f"Unit kerja {u} ada di beberapa satker; tulis SATKER/{u}.")
            s = next(iter(mine))
        elif s not in owners.get(u, set()):
            raise PenggunaTidakSah(f"Unit kerja {u} tidak ada di satker {s}.")
        out.append(f"{s}/{u}")
    return satkers, out


class Users:
    """The user file. Every method opens its own short connection (thread-safe, and a
    change by another process is seen at once)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
        if new:
            self.path.chmod(0o600)

    @contextmanager
    def _db(self):
        """This thread's kept connection (autocommit: each statement sees the latest
        commit of any process; kept, so that closing does not checkpoint the WAL at every
        request)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        yield db

    @contextmanager
    def _tx(self):
        """One write transaction on this thread's connection (rolled back on error)."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- users --------------------------------------------------------------------------
    @staticmethod
    def _user(row) -> User:
        return User(row["login"], row["nama"], row["peran"], row["satker"], row["unit"],
                    bool(row["aktif"]), row["generasi"], row["terakhir_masuk"],
                    bool(row["sandi_demo"]))

    def get(self, login: str) -> User | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM pengguna WHERE login = ?", [login]).fetchone()
        return self._user(row) if row else None

    def all(self) -> list[User]:
        with self._db() as db:
            return [self._user(r) for r in db.execute("SELECT * FROM pengguna ORDER BY login")]

    @staticmethod
    def _checked(login, peran, satker, unit, store=None) -> tuple[str, str | None, str | None]:
        """(login, satker text, unit text) as stored; raises PenggunaTidakSah. satker and
        unit: a code, a comma list or a list; with `store`, every code must be there and a
        bare unit code is read as the unit of the satker it belongs to."""
        if not LOGIN.match(login or ""):
            raise PenggunaTidakSah(f"Nama pengguna '{login}' tidak sah: huruf kecil, angka, "
                                   "titik, garis bawah, tanda hubung (paling banyak 64).")
        if peran not in ROLES:
            raise PenggunaTidakSah(f"Peran '{peran}' tidak dikenal; pilih admin, super_user "
                                   "atau user.")
        satkers = _codes(satker)
        units = _codes(unit)
        for code in satkers:
            if not CODE.match(code):
                raise PenggunaTidakSah(f"Kode satker '{code}' tidak sah (angka/huruf, "
                                       "paling banyak 12).")
        for code in units:
            if not all(CODE.match(c) for c in code.split("/", 1)):
                raise PenggunaTidakSah(f"Kode unit kerja '{code}' tidak sah (UNIT atau "
                                       "SATKER/UNIT; angka/huruf, paling banyak 12).")
        if PERAN[peran] != "sendiri":
            return login, None, None        # Admin and Super User see every satker
        if not satkers and not units:
            raise PenggunaTidakSah(f"Pengguna berperan {peran} wajib punya satker (--satker) "
                                   "atau unit kerja (--unit).")
        if store is not None:
            satkers, units = _in_store(store, satkers, units)
        try:
            lingkup = lingkup_dari(satkers, units)
        except ValueError as e:
            raise PenggunaTidakSah(str(e)) from None
        whole = [s for s, u in lingkup if u is None]
        pairs = [f"{s}/{u}" for s, u in lingkup if u is not None]
        return login, ",".join(whole) or None, ",".join(pairs) or None

    def add(self, login: str, *, nama: str, peran: str, satker=None, unit=None,
            password: str | None = None, demo: bool = False, store=None) -> User:
        login, satker, unit = self._checked(login, peran, satker, unit, store)
        if password is not None and not demo:
            check_password(password, login)
        now = _now_text()
        with self._db() as db:
            if db.execute("SELECT 1 FROM pengguna WHERE login = ?", [login]).fetchone():
                raise PenggunaTidakSah(f"Pengguna {login} sudah ada.")
            db.execute("INSERT INTO pengguna (login, nama, peran, satker, unit, sandi, "
                       "sandi_demo, dibuat, diubah) VALUES (?,?,?,?,?,?,?,?,?)",
                       [login, (nama or login).strip()[:120], peran, satker, unit,
                        _HASHER.hash(password) if password else None, int(demo), now, now])
        return self.get(login)

    def change(self, login: str, *, nama: str | None = None, peran: str | None = None,
               satker=None, unit=None, aktif: bool | None = None,
               scopes_given: bool = False, store=None) -> User:
        """Change what is given. With peran or scopes_given, satker/unit are replaced."""
        old = self._require(login)
        peran = peran or old.peran
        if scopes_given or peran != old.peran:
            new_satker, new_unit = satker, unit
        else:
            new_satker, new_unit, store = old.satker, old.unit, None   # kept as they were
        _, new_satker, new_unit = self._checked(login, peran, new_satker, new_unit, store)
        with self._tx() as db:
            db.execute("UPDATE pengguna SET nama = ?, peran = ?, satker = ?, unit = ?, "
                       "aktif = ?, diubah = ? WHERE login = ?",
                       [(nama or old.nama).strip()[:120], peran, new_satker, new_unit,
                        int(old.aktif if aktif is None else aktif), _now_text(), login])
            if aktif is False:
                db.execute("DELETE FROM sesi WHERE login = ?", [login])
        return self.get(login)

    def disable(self, login: str) -> User:
        """Inactive at once: every open session of the user ends."""
        return self.change(login, aktif=False)

    def set_password(self, login: str, password: str, *, demo: bool = False) -> User:
        """A new password: its hash only; every open session of the user ends."""
        self._require(login)
        if not demo:
            check_password(password, login)
        with self._tx() as db:
            db.execute("UPDATE pengguna SET sandi = ?, sandi_demo = ?, generasi = generasi + 1,"
                       " diubah = ? WHERE login = ?",
                       [_HASHER.hash(password), int(demo), _now_text(), login])
            db.execute("DELETE FROM sesi WHERE login = ?", [login])
        return self.get(login)

    def _require(self, login: str) -> User:
        user = self.get(login)
        if user is None:
            raise PenggunaTidakSah(f"Pengguna {login} tidak ada (lihat `spektra pengguna "
                                   "daftar`).")
        return user

    def verify(self, login: str, password: str) -> User | None:
        """The active user whose password this is, else None (same work either way)."""
        if not LOGIN.match(login or "") or not password:
            return None
        with self._db() as db:
            row = db.execute("SELECT * FROM pengguna WHERE login = ?", [login]).fetchone()
        stored = row["sandi"] if row is not None and row["sandi"] else None
        if stored is not None and stored.startswith("$2"):   # bcrypt, from an htpasswd
            from .htpasswd import verify_bcrypt
            if not verify_bcrypt(stored, password) or not row["aktif"]:
                return None
            with self._db() as db:      # argon2id from now on (sessions stay open)
                db.execute("UPDATE pengguna SET sandi = ? WHERE login = ? AND sandi = ?",
                           [_HASHER.hash(password), login, stored])
            return self._user(row)
        try:
            _HASHER.verify(stored or _DUMMY, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if stored is None or not row["aktif"]:
            return None
        return self._user(row)

    def import_hashes(self, entries, *, peran: str | None = None, satker=None, unit=None,
                      store=None) -> tuple[list[str], list[str]]:
        """htpasswd entries (htpasswd.read): a known login's hash replaced (its sessions
        end), a new login added with `peran` and scopes (refused without). One
        transaction: all or nothing. (added, replaced) logins."""
        new = [e for e in entries if self.get(e.login) is None]
        if new and not peran:
            raise PenggunaTidakSah(
                f"Pengguna {', '.join(e.login for e in new)} belum ada; tambahkan dulu atau "
                "beri --peran (dan --satker/--unit untuk User) bagi pengguna baru.")
        if new:
            _, satker, unit = self._checked(new[0].login, peran, satker, unit, store)
        now = _now_text()
        added, replaced = [], []
        with self._tx() as db:
            for e in entries:
                if e in new:
                    db.execute("INSERT INTO pengguna (login, nama, peran, satker, unit, sandi, "
                               "sandi_demo, dibuat, diubah) VALUES (?,?,?,?,?,?,0,?,?)",
                               [e.login, e.login, peran, satker, unit, e.sandi, now, now])
                    added.append(e.login)
                else:
                    db.execute("UPDATE pengguna SET sandi = ?, sandi_demo = 0, generasi = "
                               "generasi + 1, diubah = ? WHERE login = ?", [e.sandi, now, e.login])
                    db.execute("DELETE FROM sesi WHERE login = ?", [e.login])
                    replaced.append(e.login)
        return added, replaced

    def mark_login(self, login: str) -> None:
        with self._db() as db:
            db.execute("UPDATE pengguna SET terakhir_masuk = ? WHERE login = ?",
                       [_now_text(), login])

    # -- akses.yaml, once; SPEKTRA_SANDI for the demo -------------------------------------
    def import_policy(self, policy) -> list[str]:
        """The policy's users, the first time only (the file then is the truth)."""
        with self._db() as db:
            if db.execute("SELECT 1 FROM meta WHERE kunci = 'akses_diimpor'").fetchone():
                return []
        added = []
        for login, a in sorted(policy.users.items()):
            if a.role not in ROLES or self.get(login):
                continue
            self.add(login, nama=a.nama or login, peran=a.role,
                     satker=[s for s, u in a.lingkup if u is None],
                     unit=[f"{s}/{u}" for s, u in a.lingkup if u is not None])
            added.append(login)
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('akses_diimpor', ?)", [_now_text()])
        return added

    def demo_passwords(self, env=None, announce=print) -> None:
        """FOR THE DEMO ONLY: users whose password no administrator has set take
        SPEKTRA_SANDI_<NAMA> / SPEKTRA_SANDI; with neither, a random one said once."""
        s = settings(env)
        for u in self.all():
            with self._db() as db:
                has = db.execute("SELECT sandi FROM pengguna WHERE login = ?",
                                 [u.login]).fetchone()["sandi"]
            if has and not u.sandi_demo:
                continue                            # set by an administrator: kept
            password = s.sandi_pengguna(u.login)
            if password:
                if not has or self.verify(u.login, password) is None:
                    self.set_password(u.login, password, demo=True)
            elif not has:
                password = secrets.token_urlsafe(9)
                self.set_password(u.login, password, demo=True)
                announce(f"Sandi sementara {u.login}: {password} (ganti dengan "
                         f"`spektra pengguna sandi {u.login}`)")

    # -- sessions -----------------------------------------------------------------------
    @staticmethod
    def _sid(token: str) -> str:
        return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()

    def open_session(self, login: str, hours: float, address: str = "") -> tuple[str, str]:
        """(cookie token, CSRF token) of a new session."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = time.time()
        with self._db() as db:
            db.execute("DELETE FROM sesi WHERE sampai < ?", [now])
            db.execute("INSERT INTO sesi VALUES (?,?,?,?,?,?)",
                       [self._sid(token), login, now, now + hours * 3600, address[:64], csrf])
        return token, csrf

    def session(self, token: str | None) -> tuple[User, str] | None:
        """(user, CSRF token) of a live session of an active user, else None."""
        if not token or not re.fullmatch(r"[A-Za-z0-9_-]{20,100}", token):
            return None
        with self._db() as db:
            row = db.execute("SELECT p.*, s.csrf AS csrf FROM sesi s JOIN pengguna p "
                             "USING (login) WHERE s.id = ? AND s.sampai > ? AND p.aktif = 1",
                             [self._sid(token), time.time()]).fetchone()
        return (self._user(row), row["csrf"]) if row else None

    def close_session(self, token: str | None) -> str | None:
        """End one session; the login it belonged to (None: there was none)."""
        if not token or not re.fullmatch(r"[A-Za-z0-9_-]{20,100}", token):
            return None
        with self._db() as db:
            row = db.execute("DELETE FROM sesi WHERE id = ? RETURNING login",
                             [self._sid(token)]).fetchone()
        return row["login"] if row else None

    def sessions_of(self, login: str) -> int:
        with self._db() as db:
            return db.execute("SELECT count(*) FROM sesi WHERE login = ? AND sampai > ?",
                              [login, time.time()]).fetchone()[0]

    # -- failed logins --------------------------------------------------------------------
    def locked(self, login: str, address: str, now: float | None = None) -> float:
        """Seconds until this login or address may try again (0: may try now)."""
        now = now or time.time()
        wait = 0.0
        with self._db() as db:
            for key, limit in ((f"login:{login}", LOCK_LOGIN), (f"alamat:{address}", LOCK_ADDRESS)):
                rows = db.execute("SELECT waktu FROM gagal WHERE kunci = ? AND waktu > ? "
                                  "ORDER BY waktu DESC LIMIT ?",
                                  [key, now - WINDOW, limit]).fetchall()
                if len(rows) >= limit:
                    wait = max(wait, rows[0]["waktu"] + LOCK_SECONDS - now)
        return max(0.0, wait)

    def failed(self, login: str, address: str, now: float | None = None) -> None:
        now = now or time.time()
        with self._db() as db:
            db.execute("DELETE FROM gagal WHERE waktu < ?", [now - WINDOW - LOCK_SECONDS])
            db.executemany("INSERT INTO gagal VALUES (?, ?)",
                           [(f"login:{(login or '')[:64]}", now), (f"alamat:{address}", now)])

    def succeeded(self, login: str) -> None:
        """A right password clears the login's failures (not the address's)."""
        with self._db() as db:
            db.execute("DELETE FROM gagal WHERE kunci = ?", [f"login:{login}"])


def waktu_tunggu(seconds: float) -> str:
    """'14 menit 5 detik' — the time left, said plainly."""
    s = max(1, int(round(seconds)))
    m, d = divmod(s, 60)
    if m and d:
        return f"{m} menit {d} detik"
    return f"{m} menit" if m else f"{d} detik"
