"""The user file, `spektra pengguna` and `spektra audit` (issue 26, items 1, 2 and 7)."""
from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from spektra_lib import users as U
from spektra_lib.audit import Audit
from spektra_lib.cli import main
from spektra_lib.cli_admin import read_password

ROOT = Path(__file__).resolve().parents[1]
SANDI = "Rahasia-kuat-2026"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SPEKTRA_STORE", str(tmp_path / "data" / "spektra.duckdb"))
    monkeypatch.delenv("SPEKTRA_PENGGUNA", raising=False)
    monkeypatch.delenv("SPEKTRA_AUDIT", raising=False)
    return tmp_path / "data"


def _file_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _cli(args, stdin_text=None, tmp_env=None):
    """Run the real command (stdin a pipe, not a terminal)."""
    return subprocess.run([sys.executable, "-m", "spektra_lib.cli", *args], input=stdin_text,
                          capture_output=True, text=True, env=tmp_env, cwd=ROOT)


def test_akses_yaml_users_are_imported_once_and_then_the_file_is_the_truth(env):
    users = U.open_users()
    assert {u.login for u in users.all()} == {"admin", "pimpinan", "kanreg4", "biro_keuangan"}
    kanreg4 = users.get("kanreg4")
    assert (kanreg4.peran, kanreg4.satker, kanreg4.unit) == ("user", "017234", None)
    users.disable("kanreg4")
    users.change("biro_keuangan", peran="super_user")
    again = U.open_users()                      # a restart: akses.yaml not read again
    assert again.get("kanreg4").aktif is False
    assert again.get("biro_keuangan").peran == "super_user"
    assert again.get("biro_keuangan").satker is None


def test_cli_adds_a_user_with_the_password_from_stdin_and_never_prints_it(env):
    import os
    e = {**os.environ, "PYTHONPATH": str(ROOT)}
    weak = _cli(["pengguna", "tambah", "op5", "--peran", "user", "--satker", "017234"],
                "pendek1\n", e)
    assert weak.returncode == 2
    assert "minimal 10 karakter, memuat huruf dan angka" in weak.stderr
    assert "pendek1" not in weak.stdout + weak.stderr
    done = _cli(["pengguna", "tambah", "op5", "--peran", "user", "--satker", "017234",
                 "--nama", "Operator Lima"], SANDI + "\n", e)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Pengguna op5 ditambahkan: User, satker 017234."
    listing = _cli(["pengguna", "daftar"], None, e)
    line = next(l for l in listing.stdout.splitlines() if l.startswith("op5 "))
    assert "User" in line and "satker 017234" in line and "aktif" in line
    assert "Operator Lima" in line
    users = U.Users()
    assert users.verify("op5", SANDI).satker == "017234"
    assert users.verify("op5", SANDI + "x") is None
    everything = _file_bytes(env)           # user file and audit log, every byte
    assert SANDI.encode() not in everything
    assert b"pendek1" not in everything
    log = Audit().read()
    assert [(r["aksi"], r["hasil"], r["sasaran"]) for r in log] == [
        ("pengguna", "ok", "tambah op5 (user, satker 017234)"),
        ("pengguna", "ditolak", "tambah op5")]


def test_password_asked_twice_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True
    answers = iter([SANDI, SANDI])
    assert read_password("op5", Tty(), ask=lambda prompt: next(answers)) == SANDI
    answers = iter([SANDI, SANDI + "!"])
    with pytest.raises(ValueError, match="Kedua sandi tidak sama"):
        read_password("op5", Tty(), ask=lambda prompt: next(answers))


def test_disable_and_password_change_end_open_sessions(env):
    users = U.open_users()
    users.set_password("kanreg4", SANDI)
    token, _ = users.open_session("kanreg4", hours=8)
    other, _ = users.open_session("kanreg4", hours=8)
    assert users.session(token)[0].login == "kanreg4"
    users.set_password("kanreg4", SANDI + "9")
    assert users.session(token) is None and users.session(other) is None
    token, _ = users.open_session("kanreg4", hours=8)
    assert main(["pengguna", "nonaktifkan", "kanreg4"]) == 0
    assert users.session(token) is None
    assert users.verify("kanreg4", SANDI + "9") is None          # inactive: no login
    assert main(["pengguna", "ubah", "kanreg4", "--aktif"]) == 0
    assert users.verify("kanreg4", SANDI + "9").login == "kanreg4"


def test_logout_ends_the_session_server_side_and_a_copy_of_the_file_opens_none(env):
    users = U.open_users()
    token, csrf = users.open_session("admin", hours=8)
    with sqlite3.connect(users.path) as db:
        stored = [r[0] for r in db.execute("SELECT id FROM sesi")]
    assert token not in stored and users.session(stored[0]) is None
    assert users.close_session(token) == "admin"
    assert users.session(token) is None


def test_twenty_failures_lock_the_login_and_the_address_with_the_time_left(env):
    users = U.open_users()
    t = 1_000_000.0
    for i in range(U.LOCK_LOGIN):
        assert users.locked("kanreg4", "10.0.0.1", now=t + i) == 0
        users.failed("kanreg4", "10.0.0.1", now=t + i)
    left = users.locked("kanreg4", "10.0.0.9", now=t + 10)
    assert 14 * 60 < left <= 15 * 60
    assert U.waktu_tunggu(left) == "14 menit 54 detik"
    assert users.locked("kanreg4", "10.0.0.9", now=t + 4 + 15 * 60 + 1) == 0
    for i in range(U.LOCK_ADDRESS):                 # one address, many logins
        users.failed(f"tebak{i}", "10.0.0.2", now=t + i)
    assert users.locked("admin", "10.0.0.2", now=t + 30) > 0
    assert users.locked("admin", "10.0.0.3", now=t + 30) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(login=st.text(max_size=80), password=st.text(max_size=40))
def test_any_login_or_password_is_a_refusal_in_indonesian_never_a_crash(env, login, password):
    users = U.Users()
    try:
        users.add(login, nama="x", peran="user", satker="017234", password=password)
    except U.PenggunaTidakSah as e:
        assert str(e).startswith(("Nama pengguna", "Sandi ditolak", "Pengguna "))
    else:
        assert users.verify(login, password).login == login
        assert password.encode() not in users.path.read_bytes()
    assert users.verify(login, password + "x") is None
    assert users.session(login) is None


def test_audit_rows_cannot_be_changed_and_filter_by_user_and_date(env, tmp_path):
    from datetime import date, datetime
    log = Audit()
    log.record("masuk", pengguna="kanreg4", peran="user", sasaran="/masuk", hasil="gagal",
               alamat="10.0.0.1", when=datetime(2025, 12, 31, 23, 0))
    log.record("lihat", pengguna="kanreg4", peran="user", sasaran="=HYPERLINK(\"x\")",
               alamat="10.0.0.1", when=datetime(2026, 1, 2, 8, 0))
    log.record("unduh", pengguna="admin", peran="admin", sasaran="deviasi_detail.xlsx",
               alamat="10.0.0.2", when=datetime(2026, 1, 3, 8, 0))
    assert sorted(p.name for p in log.folder.glob("*.sqlite")) == ["audit-2025.sqlite",
                                                                   "audit-2026.sqlite"]
    with sqlite3.connect(log.folder / "audit-2026.sqlite") as db:
        with pytest.raises(sqlite3.DatabaseError, match="tidak dapat diubah"):
            db.execute("UPDATE audit SET hasil = 'ok'")
        with pytest.raises(sqlite3.DatabaseError, match="tidak dapat dihapus"):
            db.execute("DELETE FROM audit")
    assert [r["aksi"] for r in log.read(pengguna="kanreg4")] == ["lihat", "masuk"]
    assert [r["aksi"] for r in log.read(dari=date(2026, 1, 1), sampai=date(2026, 1, 2))] == [
        "lihat"]
    out = tmp_path / "audit.xlsx"
    assert main(["audit", "--pengguna", "kanreg4", "-o", str(out)]) == 0
    from openpyxl import load_workbook
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["waktu", "pengguna", "peran", "aksi", "sasaran",
                                        "hasil", "alamat"]
    assert ws["E2"].value == "=HYPERLINK(\"x\")" and ws["E2"].data_type == "s"
    assert ws["A3"].value == "2025-12-31 23:00:00" and ws["F3"].value == "gagal"
    csv_out = tmp_path / "audit.csv"
    assert main(["audit", "--dari", "2026-01-03", "-o", str(csv_out)]) == 0
    assert csv_out.read_text().splitlines() == [
        "waktu,pengguna,peran,aksi,sasaran,hasil,alamat",
        "2026-01-03 08:00:00,admin,admin,unduh,deviasi_detail.xlsx,ok,10.0.0.2"]
    assert main(["audit", "--dari", "kemarin"]) == 2


def test_ingest_and_kembalikan_from_the_command_line_are_audited(env, tmp_path):
    bad = tmp_path / "kosong"
    bad.mkdir()
    (bad / "pok.csv").write_text("bukan,kolom\n1,2\n")
    assert main(["ingest", str(bad)]) != 0
    assert main(["kembalikan", "99"]) != 0
    rows = Audit().read()
    assert sorted((r["aksi"], r["sasaran"]) for r in rows) == [("ingest", str(bad)),
                                                                ("kembalikan", "ingest 99")]
    assert all(r["hasil"] != "ok" and r["pengguna"].startswith("cli:") for r in rows)


def test_audit_rows_of_the_same_second_read_newest_first(env):
    """A refusal and the retry that follows within one second (the CLI test's weak
    password, then the good one): the retry is newest — the order was a tie before."""
    from datetime import datetime
    log = Audit()
    second = datetime(2026, 3, 2, 9, 0, 0)
    for n in range(5):
        log.record("pengguna", pengguna="admin", sasaran=f"ubah op{n}", when=second)
    assert [r["sasaran"] for r in log.read()] == [f"ubah op{n}" for n in (4, 3, 2, 1, 0)]
