"""/admin: the Administrator's module (seed §II) — users, Unggah data, ingest history with
kembalikan, the rules in force (read-only) and the audit log.

Only the Admin role reaches it (anyone else: 403, recorded; Publik: the login page). Every
form is a POST carrying the session's CSRF token and this site's Origin. The data work is
the command line's own: `spektra periksa`, `spektra ingest`, `spektra riwayat` and
`spektra kembalikan` run as child processes on the server's store, and their output is
shown as they print it (one implementation, whatever changes in it). Uploads go to
`unggah/<waktu>-<acak>/` inside the data folder (the store's folder), one folder per
upload, file names reduced to a plain name (`../../x` → `x`; anything else unsafe is
refused), at most UNGGAH_MAKS_MB per upload; nothing there is executed or served back.
"""
from __future__ import annotations

import asyncio
import re
import secrets
import sys
import time
from pathlib import Path, PurePosixPath, PureWindowsPath

from .. import parameters
from ..users import ROLES, PenggunaTidakSah, check_password, peran_nama
from . import login as doors, pages

UNGGAH_MAKS_MB = 50
PER_HALAMAN = 50
_UPLOAD_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[A-Za-z0-9_-]{8}$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}$")
RULE_FILES = ("deviasi", "kalender", "capaian", "batas_input", "versi", "kontrak", "proyeksi")


def safe_name(raw: str) -> str | None:
    """The plain file name an upload is kept as, or None when refused."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name.strip()
    if not _FILE_NAME.match(name) or name in (".", ".."):
        return None
    return name


def upload_dir(store: Path) -> Path:
    return Path(store).resolve().parent / "unggah"


async def run_cli(*args: str, timeout: float = 600) -> tuple[int, str]:
    """`spektra ARGS` as a child process: (exit code, what it printed)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "spektra_lib.cli", *args, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except asyncio.TimeoutError:
        proc.kill()
        return 124, "Perintah melewati batas waktu dan dihentikan."
    return proc.returncode, out.decode("utf-8", "replace")


class AdminMixin:
    """Mixed into backend.SpektraHandler: the Admin only, forms with the session's token."""

    def _store(self) -> Path:
        return self.service.snapshots.store_path

    async def prepare(self):
        await super().prepare()
        if self._finished:
            return
        ident = self.ident
        if not ident.access.mengelola:
            self.service.record(self, "ditolak", self.request.path, "bukan Admin")
            if not ident.login:
                return self.redirect(f"/masuk?kembali={self.request.path}")
            return self.page(403, pages.ditolak(ident.nama, ident.role))
        if self.request.method == "POST":
            if not doors.same_origin(self) or not doors.same_token(
                    self.get_body_argument("csrf", ""), ident.csrf):
                self.service.record(self, "ditolak", self.request.path, "tanpa token CSRF sah")
                return self.page(403, pages.pesan(
                    "Formulir ditolak", ["Formulir ini kedaluwarsa atau tidak berasal dari "
                                         "SPEKTRA. Buka lagi halamannya lalu ulangi."],
                    [("/admin", "Administrasi")], penting=True, **self._who()))

    def _who(self) -> dict:
        return {"nama": self.ident.nama, "role": self.ident.role}

    def show(self, template: str, judul: str, status: int = 200, **values):
        self.page(status, pages.render(f"admin/{template}", judul=judul, csrf=self.ident.csrf,
                                       lebar=True, **self._who(), **values))


class Pengguna(AdminMixin):
    """/admin: the users, and the forms that change them."""

    def get(self):
        self._list()

    def _codes(self):
        """The store the satker / unit kerja codes are checked against (None: no data
        loaded yet; codes then checked for form only)."""
        try:
            return self.service.snapshots.store()
        except Exception:               # noqa: BLE001  no store yet: nothing to check against
            return None

    def _list(self, pesan: str = "", galat: str = "", status: int = 200):
        users = self.service.users.all()
        store = self._codes()
        satker = unit = []
        if store is not None:
            satker = list(store.sql("SELECT kode_satker, nama_satker FROM satker "
                                    "ORDER BY kode_satker").itertuples(index=False))
            unit = list(store.sql("SELECT kode_satker || '/' || kode_unit, nama_unit FROM "
                                  "unit_kerja ORDER BY 1").itertuples(index=False))
        self.show("pengguna.html.j2", "Administrasi — Pengguna", status, pengguna=users,
                  peran=[(r, peran_nama(r)) for r in ROLES], pesan=pesan, galat=galat,
                  daftar_satker=satker, daftar_unit=unit)

    def post(self):
        users = self.service.users
        arg = lambda k: self.get_body_argument(k, "").strip()     # noqa: E731
        aksi, login = arg("aksi"), arg("login").lower()
        try:
            if aksi == "tambah":
                password = self.get_body_argument("sandi", "")
                users._checked(login, arg("peran"), arg("satker"), arg("unit"), self._codes())
                check_password(password, login)
                u = users.add(login, nama=arg("nama") or login, peran=arg("peran"),
                              satker=arg("satker"), unit=arg("unit"), password=password,
                              store=self._codes())
                what = f"tambah {login} ({u.peran}, {u.lingkup})"
            elif aksi == "ubah":
                u = users.change(login, nama=arg("nama") or None, peran=arg("peran") or None,
                                 satker=arg("satker"), unit=arg("unit"), scopes_given=True,
                                 store=self._codes())
                what = f"ubah {login} ({u.peran}, {u.lingkup})"
            elif aksi in ("nonaktifkan", "aktifkan"):
                if login == self.ident.login:
                    raise PenggunaTidakSah("Anda tidak dapat menonaktifkan diri sendiri.")
                users.change(login, aktif=aksi == "aktifkan")
                what = f"{aksi} {login}"
            elif aksi == "sandi":
                users.set_password(login, self.get_body_argument("sandi", ""))
                what = f"sandi {login}"
            else:
                raise PenggunaTidakSah("Aksi tidak dikenal.")
        except PenggunaTidakSah as e:
            self.service.record(self, "pengguna", f"{aksi} {login}", "ditolak")
            return self._list(galat=str(e), status=400)
        self.service.record(self, "pengguna", what, "ok")
        self._list(pesan=f"Tersimpan: {what}. Berlaku pada permintaan berikutnya pengguna itu.")


class Unggah(AdminMixin):
    """/admin/unggah: upload a month's files, see `spektra periksa`, confirm the ingest."""

    def get(self):
        self.show("unggah.html.j2", "Unggah data", maks=UNGGAH_MAKS_MB)

    async def post(self):
        files = [f for fs in self.request.files.values() for f in fs]
        tahun = self.get_body_argument("tahun", "").strip()
        if tahun and not re.fullmatch(r"20[0-9]{2}", tahun):
            return self.show("unggah.html.j2", "Unggah data", 400, maks=UNGGAH_MAKS_MB,
                             galat=f"Tahun '{tahun}' tidak sah (mis. 2022).")
        total = sum(len(f["body"]) for f in files)
        problems = []
        if not files:
            problems.append("Tidak ada berkas yang dipilih.")
        if total > UNGGAH_MAKS_MB * 1024 * 1024:
            problems.append(f"Ukuran unggahan {total / 1048576:.1f} MB melebihi batas "
                            f"{UNGGAH_MAKS_MB} MB.".replace(".", ","))
        names = []
        for f in files:
            name = safe_name(f.get("filename", ""))
            if name is None:
                problems.append(f"Nama berkas '{f.get('filename', '')[:80]}' tidak sah: "
                                "huruf, angka, spasi, titik, garis bawah, tanda hubung.")
            names.append(name)
        if len(set(names)) != len(names):
            problems.append("Dua berkas bernama sama.")
        if problems:
            self.service.record(self, "unggah", ", ".join(str(n) for n in names)[:200],
                                "ditolak")
            return self.show("unggah.html.j2", "Unggah data", 400, maks=UNGGAH_MAKS_MB,
                             galat=" ".join(problems))
        root = upload_dir(self._store())
        uid = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_urlsafe(6)[:8]
        folder = root / uid
        folder.mkdir(parents=True, mode=0o700)
        for f, name in zip(files, names):
            target = (folder / name).resolve()
            assert target.parent == folder.resolve()      # safe_name made it so
            target.write_bytes(f["body"])
            target.chmod(0o600)
        if tahun:
            (folder / ".tahun").write_text(tahun)
        self.service.record(self, "unggah", f"{uid}: {', '.join(names)}", "ok")
        code, out = await run_cli("periksa", str(folder), "--store", str(self._store()),
                                  *(["--tahun", tahun] if tahun else []))
        self.service.record(self, "periksa", uid, "ok" if code == 0 else f"masalah (kode {code})")
        self.show("periksa.html.j2", "Unggah data — hasil periksa", uid=uid, berkas=names,
                  keluaran=out.replace(str(folder) + "/", "").replace(str(folder), "unggahan"),
                  dapat=code == 0)


class Ingest(AdminMixin):
    """POST /admin/ingest: the confirmed upload into the store (`spektra ingest`)."""

    async def post(self):
        uid = self.get_body_argument("unggahan", "")
        folder = upload_dir(self._store()) / uid
        if not _UPLOAD_ID.match(uid) or not folder.is_dir():
            return self.show("hasil.html.j2", "Ingest", 400, judul_hasil="Ingest ditolak",
                             keluaran="Unggahan tidak ditemukan; unggah lagi berkasnya.")
        tahun = (folder / ".tahun").read_text() if (folder / ".tahun").exists() else ""
        code, out = await run_cli("ingest", str(folder), "--store", str(self._store()),
                                  *(["--tahun", tahun] if tahun else []))
        self.service.record(self, "ingest", uid, "ok" if code == 0 else f"ditolak (kode {code})")
        self.show("hasil.html.j2", "Ingest", 200 if code == 0 else 400,
                  judul_hasil="Data dimuat" if code == 0 else "Ingest ditolak; store tidak berubah",
                  keluaran=out.replace(str(folder), "unggahan"))


class Riwayat(AdminMixin):
    """/admin/riwayat: `spektra riwayat`; kembalikan behind a confirmation page."""

    async def get(self):
        code, out = await run_cli("riwayat", "--store", str(self._store()))
        ids = [int(m.group(1)) for m in re.finditer(r"^\s*(\d+)\*", out, re.M)]
        ask = self.get_query_argument("kembalikan", "")
        if ask.isdigit() and int(ask) in ids:
            return self.show("kembalikan.html.j2", "Kembalikan store", id=int(ask))
        self.show("riwayat.html.j2", "Riwayat ingest", keluaran=out, ids=ids)

    async def post(self):
        ask = self.get_body_argument("id", "")
        if not ask.isdigit():
            return self.redirect("/admin/riwayat")
        code, out = await run_cli("kembalikan", ask, "--store", str(self._store()))
        self.service.record(self, "kembalikan", f"ingest {ask}",
                            "ok" if code == 0 else f"gagal (kode {code})")
        self.show("hasil.html.j2", "Kembalikan store", 200 if code == 0 else 400,
                  judul_hasil="Store dikembalikan" if code == 0 else "Tidak dapat dikembalikan",
                  keluaran=out)


class Aturan(AdminMixin):
    """/admin/aturan: the rules in force, read-only — each file from where it is read (the
    agency's folder where it has one, else the package's), the IKPA rule of every year."""

    def get(self):
        own = parameters.directory().resolve()
        files = []
        for name in (*RULE_FILES, *parameters.names("ikpa")):
            try:
                path = parameters.path(name)
            except FileNotFoundError:
                continue
            asal = "folder instansi" if path.resolve().parent.is_relative_to(own) and \
                own != parameters.bawaan().resolve() else "bawaan paket"
            files.append((f"parameters/{name}.yaml ({asal})", path.read_text(encoding="utf-8")))
        self.show("aturan.html.j2", "Aturan yang berlaku", berkas=files)


class AuditLog(AdminMixin):
    """/admin/audit: the log with search and pages (read-only: no form changes it)."""

    def get(self):
        log = self.service.audit
        cari = self.get_query_argument("cari", "").strip()[:100]
        pengguna = self.get_query_argument("pengguna", "").strip()[:64]
        try:
            halaman = max(1, int(self.get_query_argument("halaman", "1")))
        except ValueError:
            halaman = 1
        rows = log.read(cari=cari or None, pengguna=pengguna or None) if log else []
        total = len(rows)
        rows = rows[(halaman - 1) * PER_HALAMAN: halaman * PER_HALAMAN]
        self.show("audit.html.j2", "Log audit", baris=rows, cari=cari, pengguna_cari=pengguna,
                  halaman=halaman, total=total, per=PER_HALAMAN, mati=log is None)


ROUTES = [("/admin", Pengguna), ("/admin/unggah", Unggah), ("/admin/ingest", Ingest),
          ("/admin/riwayat", Riwayat), ("/admin/aturan", Aturan), ("/admin/audit", AuditLog)]
