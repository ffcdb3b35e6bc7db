"""An Apache/nginx htpasswd file read for `spektra pengguna impor-htpasswd` (issue 26).

Each `login:hash` line is taken as it is when a kept library verifies that hash: argon2
(`$argon2id$…`, `$argon2i$…`: argon2-cffi, as SPEKTRA's own) or bcrypt (`$2y$`, `$2b$`,
`$2a$`: pyca/bcrypt, what `htpasswd -B` writes). A bcrypt hash is replaced by an
argon2id hash of the same password at the user's first login (users.Users.verify). Any
other kind — apr1/MD5 (`$apr1$`, htpasswd's default), `{SHA}`, crypt, plain text — is
weak or unverifiable here and refused with its line: the user's password is then set with
`spektra pengguna sandi LOGIN`. A password never passes through here, only hashes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from argon2 import extract_parameters
from argon2.exceptions import InvalidHashError

_BCRYPT = re.compile(r"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")
LOGIN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")     # as users.LOGIN


@dataclass(frozen=True)
class Entry:
    baris: int
    login: str
    sandi: str          # the hash, as the file holds it


def kind(hashed: str) -> str | None:
    """'argon2' or 'bcrypt' when a kept library verifies this hash, else None."""
    if hashed.startswith("$argon2"):
        try:
            extract_parameters(hashed)
        except (InvalidHashError, ValueError):
            return None
        return "argon2"
    if _BCRYPT.match(hashed):
        return "bcrypt"
    return None


def _refused_kind(hashed: str) -> str:
    if hashed.startswith("$apr1$"):
        return "hash apr1 (MD5) terlalu lemah"
    if hashed.startswith("{SHA}"):
        return "hash {SHA} (SHA-1 tanpa garam) terlalu lemah"
    if hashed.startswith("$argon2") or hashed.startswith("$2"):
        return "hash rusak (tidak dapat dibaca)"
    if hashed.startswith("$"):
        return f"jenis hash {hashed.split('$')[1][:10]!r} tidak didukung"
    return "bukan hash bcrypt/argon2 (crypt atau teks biasa)"


def read(path: Path) -> tuple[list[Entry], list[str]]:
    """(entries, problems): every problem a `berkas:baris: kolom: masalah` line."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return [], [f"{path.name}:1: berkas: bukan teks UTF-8."]
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{n}"
        login, colon, hashed = line.partition(":")
        login, hashed = login.strip(), hashed.strip()
        if not colon or not hashed:
            problems.append(f"{where}: baris: bukan 'login:hash'.")
            continue
        if not LOGIN.match(login):
            shown = login if login.isprintable() else repr(login)
            problems.append(f"{where}: login: '{shown[:64]}' tidak sah (huruf kecil, angka, "
                            "titik, garis bawah, tanda hubung; paling banyak 64).")
            continue
        if login in seen:
            problems.append(f"{where}: login: {login} sudah ada di baris {seen[login]}.")
            continue
        seen[login] = n
        if kind(hashed) is None:
            problems.append(f"{where}: sandi: {_refused_kind(hashed)}; hapus baris ini dan "
                            f"atur sandinya dengan `spektra pengguna sandi {login}`.")
            continue
        entries.append(Entry(n, login, hashed))
    if not entries and not problems:
        problems.append(f"{path.name}:1: berkas: tidak ada baris 'login:hash'.")
    return entries, problems


def verify_bcrypt(hashed: str, password: str) -> bool:
    """True when password is the one of this bcrypt hash (pyca/bcrypt)."""
    import bcrypt
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:                  # a password bcrypt cannot take (> 72 bytes)
        return False
