"""`spektra pengguna impor-htpasswd` (issue 26, item 5 of the second session): bcrypt and
argon2 hashes taken as they are and verified at login (bcrypt upgraded to argon2id), every
other kind refused with its line, all lines or none."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import bcrypt
import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings, strategies as st

from spektra_lib import htpasswd, users as U

ROOT = Path(__file__).resolve().parents[1]
LAMA = "Sandi-lama-apache-1"
BARU = "Sandi-baru-argon-22"


@pytest.fixture
def env(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("SPEKTRA_STORE", str(data / "spektra.duckdb"))
    monkeypatch.delenv("SPEKTRA_PENGGUNA", raising=False)
    monkeypatch.delenv("SPEKTRA_AUDIT", raising=False)
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _cli(args, e):
    return subprocess.run([sys.executable, "-m", "spektra_lib.cli", "pengguna", *args],
                          capture_output=True, text=True, env=e, cwd=ROOT)


def _htpasswd(flag: str, login: str, password: str) -> str:
    """A line as Apache's own tool writes it (-B bcrypt $2y$, -m apr1, -s {SHA})."""
    if not shutil.which("htpasswd"):
        pytest.skip("htpasswd (apache2-utils) tidak terpasang")
    out = subprocess.run(["htpasswd", "-nb" + flag, login, password], capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_weak_or_unreadable_hashes_refused_per_line_and_nothing_changes(env, tmp_path):
    users = U.open_users()
    before = [u.__dict__ for u in users.all()]
    f = tmp_path / "htpasswd"
    f.write_text("\n".join([
        "# pengguna lama",
        _htpasswd("B", "kanreg4", LAMA),
        _htpasswd("m", "pimpinan", LAMA),
        _htpasswd("s", "admin", LAMA),
        "biro_keuangan:teksbiasa",
        "Tamu Besar:$2b$05$" + "a" * 53,
        "kanreg4:" + PasswordHasher().hash(BARU),
        "tanpa-hash",
    ]) + "\n")
    r = _cli(["impor-htpasswd", str(f)], env)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [
        "htpasswd:3: sandi: hash apr1 (MD5) terlalu lemah; hapus baris ini dan atur sandinya "
        "dengan `spektra pengguna sandi pimpinan`.",
        "htpasswd:4: sandi: hash {SHA} (SHA-1 tanpa garam) terlalu lemah; hapus baris ini dan "
        "atur sandinya dengan `spektra pengguna sandi admin`.",
        "htpasswd:5: sandi: bukan hash bcrypt/argon2 (crypt atau teks biasa); hapus baris ini "
        "dan atur sandinya dengan `spektra pengguna sandi biro_keuangan`.",
        "htpasswd:6: login: 'Tamu Besar' tidak sah (huruf kecil, angka, titik, garis bawah, "
        "tanda hubung; paling banyak 64).",
        "htpasswd:7: login: kanreg4 sudah ada di baris 2.",
        "htpasswd:8: baris: bukan 'login:hash'.",
        "6 baris ditolak; tidak ada pengguna yang diubah."]
    assert [u.__dict__ for u in users.all()] == before
    assert LAMA not in r.stderr and "teksbiasa" not in r.stderr


def test_bcrypt_and_argon2_hashes_imported_as_they_are_and_verified(env, tmp_path):
    users = U.open_users()
    token, _ = users.open_session("kanreg4", 1)
    f = tmp_path / "htpasswd"
    f.write_text(_htpasswd("B", "kanreg4", LAMA) + "\n"
                 + "op.lama:" + bcrypt.hashpw(LAMA.encode(), bcrypt.gensalt(5)).decode() + "\n"
                 + "op.argon:" + PasswordHasher().hash(BARU) + "\n")
    refused = _cli(["impor-htpasswd", str(f)], env)
    assert refused.returncode == 2
    assert "Pengguna op.lama, op.argon belum ada" in refused.stderr
    assert users.get("op.lama") is None
    done = _cli(["impor-htpasswd", str(f), "--peran", "user", "--satker", "017234"], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("Diimpor dari htpasswd: 2 pengguna baru (op.lama, op.argon), "
                                   "1 sandi diganti (kanreg4); sesi terbuka pengguna yang "
                                   "sandinya diganti diakhiri.")
    assert users.session(token) is None                   # the replaced one's session ended
    assert users.get("op.lama").access.satkers == ("017234",)
    assert users.verify("op.argon", BARU).login == "op.argon"
    assert users.verify("kanreg4", LAMA + "x") is None
    stored = lambda login: users._db().__enter__().execute(            # noqa: E731
        "SELECT sandi FROM pengguna WHERE login = ?", [login]).fetchone()[0]
    assert stored("kanreg4").startswith("$2y$")
    assert users.verify("kanreg4", LAMA).login == "kanreg4"
    assert stored("kanreg4").startswith("$argon2id$")       # upgraded at the first login
    assert users.verify("kanreg4", LAMA).login == "kanreg4"
    assert users.verify("op.lama", LAMA) is not None and users.verify("op.lama", BARU) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=80), max_size=6))
def test_any_file_is_read_into_entries_or_lines_never_a_crash(tmp_path, lines):
    f = tmp_path / "h"
    f.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    entries, problems = htpasswd.read(f)
    assert entries or problems
    for p in problems:
        assert p.startswith("h:") and p.count(":") >= 3
