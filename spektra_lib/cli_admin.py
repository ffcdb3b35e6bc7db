"""`spektra pengguna …` and `spektra audit` (CONTRACT §3): the Administrator's commands.

A password is read from standard input when it is not a terminal (one line), else asked
twice without echo; it is never printed, never an argument (the process list would show
it), and refused with the rule when weak. Every change is written to the audit log as
done by `cli:<os user>` from `lokal`.
"""
from __future__ import annotations

import getpass
import os
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ACTIONS = ("daftar", "tambah", "ubah", "nonaktifkan", "sandi", "impor-htpasswd")


def add_parsers(sub, store_arg) -> None:
    p = sub.add_parser("pengguna", help="kelola pengguna (Administrator): daftar, tambah, ubah, "
                                        "nonaktifkan, sandi")
    p.add_argument("aksi", choices=ACTIONS, metavar="AKSI", help=" | ".join(ACTIONS))
    p.add_argument("login", nargs="?", metavar="LOGIN",
                   help="nama pengguna (impor-htpasswd: BERKAS htpasswd; hash bcrypt/argon2 "
                        "dipakai apa adanya, jenis lain ditolak per baris)")
    from .users import ROLES
    p.add_argument("--peran", choices=ROLES)
    p.add_argument("--satker", nargs="+", action="extend", metavar="K",
                   help="kode satker User (boleh berulang atau dipisah koma)")
    p.add_argument("--unit", nargs="+", action="extend", metavar="U",
                   help="unit kerja User: UNIT atau SATKER/UNIT (boleh berulang atau dipisah "
                        "koma); satker yang unitnya disebut hanya terlihat lewat unit itu")
    p.add_argument("--nama", help="nama yang tampil")
    p.add_argument("--aktif", action="store_true", help="ubah: aktifkan lagi pengguna")
    store_arg(p)

    p = sub.add_parser("audit", help="log audit: siapa masuk, melihat, mengunduh, meng-ingest")
    p.add_argument("--dari", metavar="YYYY-MM-DD")
    p.add_argument("--sampai", metavar="YYYY-MM-DD")
    p.add_argument("--pengguna", metavar="LOGIN")
    p.add_argument("--aksi", metavar="AKSI")
    p.add_argument("--cari", metavar="TEKS")
    p.add_argument("-o", "--output", type=Path, help="FILE.csv atau FILE.xlsx")
    store_arg(p)


def _actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except Exception:                   # noqa: BLE001  no name for this uid
        return f"cli:{os.getuid()}"


def read_password(login: str, stdin=None, ask=getpass.getpass) -> str:
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        line = stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = ask(f"Sandi baru untuk {login}: ")
    second = ask("Ulangi sandi: ")
    if first != second:
        raise ValueError("Kedua sandi tidak sama; tidak ada yang diubah.")
    return first


def _codes_store(path):
    """The store the satker / unit kerja codes are checked against (None: not there yet:
    the codes are then checked for form only, and said so)."""
    from .store import Store, default_path
    path = Path(path or default_path())
    if not path.exists():
        print(f"Catatan: store {path} belum ada; kode satker / unit kerja belum diperiksa "
              "terhadap data.", file=sys.stderr)
        return None
    return Store(path, read_only=True)


@contextmanager
def _perubahan(args, log, sasaran: str, perlu_kode: bool):
    """A change of users: the store the satker / unit kerja codes are checked against
    (None when the change names none, or there is no store yet), closed after; a change
    users.py refuses is audited as refused and said as a ValueError."""
    from .users import PenggunaTidakSah
    codes = _codes_store(args.store) if perlu_kode and (args.satker or args.unit) else None
    try:
        yield codes
    except PenggunaTidakSah as e:
        _catat(log, sasaran, "ditolak")
        raise ValueError(str(e)) from None
    finally:
        if codes is not None:
            codes.close()


def cmd_pengguna(args) -> int:
    from .audit import Audit
    from .users import PenggunaTidakSah, check_password, open_users, peran_nama
    users = open_users(args.store)
    log = Audit(_audit_folder(args.store))
    say = print
    if args.aksi == "daftar":
        rows = users.all()
        say(f"{len(rows)} pengguna di {users.path}:")
        say(f"{'login':20} {'peran':11} {'lingkup':28} {'status':12} {'masuk terakhir':19} nama")
        for u in rows:
            status = "aktif" if u.aktif else "nonaktif"
            say(f"{u.login:20} {peran_nama(u.peran):11} {u.lingkup:28} {status:12} "
                f"{u.terakhir_masuk or '-':19} {u.nama}")
        return 0
    if not args.login:
        raise ValueError(f"`spektra pengguna {args.aksi}` memerlukan "
                         f"{'BERKAS' if args.aksi == 'impor-htpasswd' else 'LOGIN'}.")
    if args.aksi == "impor-htpasswd":
        return _import_htpasswd(args, users, log)
    login = args.login.strip().lower()
    satker, unit = args.satker, args.unit
    with _perubahan(args, log, f"{args.aksi} {login}",
                    args.aksi in ("tambah", "ubah")) as codes:
        if args.aksi == "tambah":
            if not args.peran:
                raise ValueError("`tambah` memerlukan --peran admin|super_user|user.")
            users._checked(login, args.peran, satker, unit, codes)  # before asking a password
            if users.get(login):
                raise PenggunaTidakSah(f"Pengguna {login} sudah ada.")
            password = read_password(login)
            check_password(password, login)
            u = users.add(login, nama=args.nama or login, peran=args.peran, satker=satker,
                          unit=unit, password=password, store=codes)
            what = f"tambah {login} ({u.peran}, {u.lingkup})"
            say(f"Pengguna {login} ditambahkan: {peran_nama(u.peran)}, {u.lingkup}.")
        elif args.aksi == "ubah":
            scopes = args.satker is not None or args.unit is not None
            u = users.change(login, nama=args.nama, peran=args.peran, satker=satker, unit=unit,
                             scopes_given=scopes, aktif=True if args.aktif else None,
                             store=codes)
            what = f"ubah {login} ({u.peran}, {u.lingkup}{', aktif' if args.aktif else ''})"
            say(f"Pengguna {login} diubah: {peran_nama(u.peran)}, {u.lingkup}, "
                f"{'aktif' if u.aktif else 'nonaktif'}. Berlaku pada permintaan berikutnya.")
        elif args.aksi == "nonaktifkan":
            n = users.sessions_of(login)
            users.disable(login)
            what = f"nonaktifkan {login}"
            say(f"Pengguna {login} dinonaktifkan; {n} sesi terbuka diakhiri.")
        else:                                                   # sandi
            users._require(login)
            password = read_password(login)
            users.set_password(login, password)
            what = f"sandi {login}"
            say(f"Sandi {login} diganti; sesi terbuka pengguna itu diakhiri.")
    _catat(log, what, "ok")
    return 0


def _catat(log, sasaran: str, hasil: str) -> None:
    """An audit row of a user change made from the command line (by the shell's user)."""
    log.record("pengguna", pengguna=_actor(), peran="admin", sasaran=sasaran, hasil=hasil,
               alamat="lokal")


def _import_htpasswd(args, users, log) -> int:
    """`spektra pengguna impor-htpasswd BERKAS`: all lines or none (problems per line)."""
    from . import htpasswd
    path = Path(args.login)
    if not path.is_file():
        raise ValueError(f"Berkas {path} tidak ada.")
    entries, problems = htpasswd.read(path)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        _catat(log, f"impor-htpasswd {path.name}", "ditolak")
        print(f"{len(problems)} baris ditolak; tidak ada pengguna yang diubah.", file=sys.stderr)
        return 2
    with _perubahan(args, log, f"impor-htpasswd {path.name}", True) as codes:
        added, replaced = users.import_hashes(entries, peran=args.peran, satker=args.satker,
                                              unit=args.unit, store=codes)
    what = (f"impor-htpasswd {path.name}: {len(added)} ditambahkan, {len(replaced)} diganti "
            "sandinya")
    _catat(log, what, "ok")
    print(f"Diimpor dari {path.name}: {len(added)} pengguna baru"
          + (f" ({', '.join(added)})" if added else "")
          + f", {len(replaced)} sandi diganti" + (f" ({', '.join(replaced)})" if replaced else "")
          + "; sesi terbuka pengguna yang sandinya diganti diakhiri.")
    return 0


def audited(aksi: str, command):
    """`spektra ingest|kembalikan` with a row in the audit log (done by cli:<os user>)."""
    def run(args):
        target = str(getattr(args, "dir", "") or f"ingest {getattr(args, 'id', '')}")
        try:
            code = command(args)
        except BaseException as e:
            _record_cli(args, aksi, target, f"ditolak ({type(e).__name__})")
            raise
        _record_cli(args, aksi, target, "ok" if code == 0 else f"kode {code}")
        return code
    return run


def _record_cli(args, aksi, target, hasil) -> None:
    try:
        from .audit import Audit
        Audit(_audit_folder(getattr(args, "store", None))).record(
            aksi, pengguna=_actor(), peran="admin", sasaran=target, hasil=hasil, alamat="lokal")
    except OSError:
        pass                      # an unwritable log folder never stops the command


def _audit_folder(store):
    from .audit import default_folder
    return default_folder(store)


def _date(text: str | None, flag: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag}: '{text}' bukan tanggal YYYY-MM-DD.") from None


def cmd_audit(args) -> int:
    from .audit import Audit, write
    log = Audit(_audit_folder(args.store))
    rows = log.read(dari=_date(args.dari, "--dari"), sampai=_date(args.sampai, "--sampai"),
                    pengguna=args.pengguna, aksi=args.aksi, cari=args.cari)
    if args.output:
        write(rows, args.output)
        print(f"{len(rows)} baris audit ditulis ke {args.output}.")
        return 0
    print(f"{len(rows)} baris audit (terbaru dulu) dari {log.folder}:")
    for r in rows:
        print(f"{r['waktu']}  {r['pengguna']:16} {r['peran']:10} {r['aksi']:10} "
              f"{r['hasil']:10} {r['alamat']:15} {r['sasaran']}")
    return 0
