"""Every SPEKTRA_* environment variable, declared once: name, default, help (Indonesian).

    from spektra_lib.settings import settings
    settings().store            # SPEKTRA_STORE or its default
    settings().grafik           # SPEKTRA_GRAFIK ("" when unset)

`settings()` reads the environment when called (a kernel, a test or `spektra serve` may
change it between calls); `spektra config` prints the values in force. Variables that one
SPEKTRA process hands to another (`internal=True`) are listed too, never set by hand.
Nothing here imports the rest of the package.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
# Where an installed package keeps the folders it ships beside its code (the wheel's
# build puts notebooks/ and parameters/ there: setup.py); a checkout has them at its root.
TERPASANG = Path(__file__).resolve().parent / "_bawaan"


def bawaan(name: str) -> Path:
    """A folder the package ships (`notebooks`, `parameters`): inside the installed package
    (spektra_lib/_bawaan/<name>), or in a checkout (or an editable install) the
    repository's own folder."""
    installed = TERPASANG / name
    return installed if installed.is_dir() else PACKAGE_ROOT / name


@dataclass(frozen=True)
class Setelan:
    env: str
    attr: str
    default: str
    help: str
    internal: bool = False
    pilihan: tuple[str, ...] = ()


DECLARED: tuple[Setelan, ...] = (
    # data and rules
    Setelan("SPEKTRA_STORE", "store", "data/spektra.duckdb",
            "berkas store DuckDB (relatif: terhadap folder kerja); kosong: data/spektra.duckdb "
            "proyek ini, juga dari notebooks/ (store_bawaan)"),
    Setelan("SPEKTRA_PARAMETERS", "parameters", str(bawaan("parameters")),
            "folder aturan YAML milik instansi: berkas di sini menggantikan berkas paket yang "
            "bernama sama, berkas lain tetap dari parameters/ paket; kosong: aturan paket"),
    Setelan("SPEKTRA_PERIODE", "periode", "", "periode bawaan halaman notebook (TAHUN-BULAN, "
            "mis. 2022-05; `make lab` mengisinya seperti `make demo`); kosong: bulan terakhir "
            "berealisasi di store"),
    Setelan("SPEKTRA_LAYOUT", "layout", "",
            "folder layout ekspor milik instansi (YAML seperti sources/layouts/): menambah "
            "layout, atau mengganti layout paket yang bernama sama; kosong: layout paket saja"),
    Setelan("SPEKTRA_PENGGUNA", "pengguna", "",
            "berkas SQLite pengguna, sesi login dan percobaan gagal; kosong: "
            "spektra-pengguna.sqlite di samping store"),
    Setelan("SPEKTRA_AUDIT", "audit", "",
            "folder log audit (satu berkas SQLite per tahun); kosong: audit/ di samping store"),
    Setelan("SPEKTRA_AUDIT_MATI", "audit_mati", "",
            "isi 1: server tidak mencatat log audit (hanya untuk mengukur biayanya)"),
    Setelan("SPEKTRA_DEBUG", "debug", "", "isi 1: galat internal menampilkan traceback Python"),
    # who is looking (notebooks, static bundles)
    Setelan("SPEKTRA_USER", "user", "",
            "nama pengguna (parameters/akses.yaml) di luar Voilà; kosong: akses penuh analis"),
    Setelan("SPEKTRA_AUDIENS", "audiens", "",
            "audiens situs statis (publik, satker:KODE, unit:KODE); diisi `spektra site`",
            internal=True),
    # pages
    Setelan("SPEKTRA_MODE", "mode", "", "voila: kontrol interaktif; lain: halaman statis; "
            "kosong: dikenali dari lingkungan Voilà"),
    Setelan("SPEKTRA_GRAFIK", "grafik", "", "cara menggambar grafik: halaman (bundel situs), "
            "mandiri (bundel ikut di halaman), jupyter; kosong: menurut lingkungan",
            pilihan=("", "halaman", "mandiri", "jupyter")),
    Setelan("SPEKTRA_SARING", "saring", "statis", "statis: halaman situs membawa saringan "
            "(jenis belanja, rentang bulan, grafik per satker) atas datanya sendiri; mati: "
            "tanpa saringan itu (halaman yang dijawab server, mis. potret `spektra serve`)",
            pilihan=("statis", "mati")),
    # downloads
    Setelan("SPEKTRA_PDF", "pdf", "satu-proses", "satu-proses: satu Chromium mencetak semua "
            "PDF; per-berkas: Chromium baru per berkas", pilihan=("satu-proses", "per-berkas")),
    Setelan("SPEKTRA_CHROMIUM", "chromium", "", "lokasi Chromium; kosong: `chromium` di PATH "
            "atau /usr/bin/chromium"),
    # spektra serve
    Setelan("SPEKTRA_NGINX", "nginx", "/usr/sbin/nginx", "program nginx untuk `serve --login`"),
    Setelan("SPEKTRA_SANDI", "sandi", "", "HANYA UNTUK DEMO: sandi bersama pengguna yang "
            "sandinya belum pernah diatur admin (SPEKTRA_SANDI_<NAMA> per pengguna); kosong: "
            "sandi acak diumumkan sekali. Produksi: `spektra pengguna sandi`"),
    Setelan("SPEKTRA_SERVE_HOST", "serve_host", "0.0.0.0", "alamat dengar proxy login"),
    Setelan("SPEKTRA_SERVE_MAKS_KERNEL", "serve_maks_kernel", "8",
            "batas kernel hidup (termasuk siaga); lebih dari itu: 503"),
    Setelan("SPEKTRA_SERVE_POOL", "serve_pool", "dashboard=2,default=0",
            "kernel siaga per notebook"),
    Setelan("SPEKTRA_SERVE_CULL_DETIK", "serve_cull_detik", "120",
            "kernel tanpa peramban dihentikan setelah sekian detik menganggur"),
    Setelan("SPEKTRA_SERVE_SESI_DETIK", "serve_sesi_detik", "1800",
            "kernel dengan halaman terbuka dihentikan setelah sekian detik menganggur"),
    Setelan("SPEKTRA_SERVE_CULL_INTERVAL", "serve_cull_interval", "30",
            "detik antarpemeriksaan kernel menganggur"),
    Setelan("SPEKTRA_SERVE_BATAS_PUBLIK", "serve_batas_publik", "30r/m",
            "batas permintaan halaman tanpa login per alamat"),
    Setelan("SPEKTRA_SERVE_BURST_PUBLIK", "serve_burst_publik", "10",
            "permintaan di atas batas yang diterima sekaligus sebelum 429"),
    Setelan("SPEKTRA_SERVE_SESI_JAM", "serve_sesi_jam", "8", "jam berlakunya satu login"),
    Setelan("SPEKTRA_SERVE_AUTH", "serve_auth", "sandi",
            "sandi: halaman login SPEKTRA; proxy: layanan autentikasi instansi",
            pilihan=("sandi", "proxy")),
    Setelan("SPEKTRA_SERVE_AUTH_URL", "serve_auth_url", "",
            "mode proxy: URL auth_request layanan instansi"),
    Setelan("SPEKTRA_SERVE_AUTH_HEADER", "serve_auth_header", "X-Auth-Request-User",
            "mode proxy: header jawaban yang menyebut pengguna"),
    Setelan("SPEKTRA_SERVE_LOGIN_URL", "serve_login_url", "",
            "mode proxy: ke mana tombol Masuk mengarah ({kembali} = halaman asal)"),
    Setelan("SPEKTRA_SERVE_SOCKET", "serve_socket", "", "soket Voilà di belakang proxy",
            internal=True),
    Setelan("SPEKTRA_SERVE_KUNCI", "serve_kunci", "", "kunci antara proxy dan Voilà",
            internal=True),
    Setelan("SPEKTRA_SERVE_LOGIN", "serve_login", "", "1 di belakang proxy login",
            internal=True),
    Setelan("SPEKTRA_SERVE_WORKER_UID", "serve_worker_uid", "", "uid:gid pekerja nginx",
            internal=True),
    Setelan("SPEKTRA_SERVE_SETELAN", "serve_setelan", "", "setelan serve sebagai JSON",
            internal=True),
)
BY_ENV = {s.env: s for s in DECLARED}
# Per-user passwords: SPEKTRA_SANDI_<NAMA> (declared as a family, not one by one).
PREFIXES = ("SPEKTRA_SANDI_",)


class Settings:
    """The values in force, one attribute per declared variable (text, '' when unset),
    read from the environment when asked (an invalid value of one variable does not stop
    reading the others)."""

    _BY_ATTR = {s.attr: s for s in DECLARED}

    def __init__(self, env=None):
        self._env = os.environ if env is None else env

    def __getattr__(self, attr: str) -> str:
        s = self._BY_ATTR.get(attr)
        if s is None:
            raise AttributeError(attr)
        value = self._env.get(s.env)
        if (value is None or value == "") and attr == "store":
            return store_bawaan()
        value = s.default if value is None or value == "" else value
        if s.pilihan and value not in s.pilihan:
            raise ValueError(f"{s.env} harus salah satu dari: "
                             f"{', '.join(p or '(kosong)' for p in s.pilihan)}; "
                             f"bukan '{value}'.")
        return value

    def sandi_pengguna(self, login: str) -> str:
        """A user's password for `serve --login`: SPEKTRA_SANDI_<NAMA> (upper case, '.' and
        '-' as '_'), else SPEKTRA_SANDI ('' when neither is set)."""
        return self._env.get(sandi_env(login)) or self.sandi

    def rows(self, env=None) -> list[tuple[str, str, str, str]]:
        """(variable, value in force, where from, help) for `spektra config`."""
        env = os.environ if env is None else env
        out = []
        for s in DECLARED:
            try:
                shown = getattr(self, s.attr)
            except ValueError as e:
                shown = f"(tidak sah: {e})"
            if s.env in ("SPEKTRA_SANDI", "SPEKTRA_SERVE_KUNCI") and shown:
                shown = "(tersembunyi)"
            origin = "lingkungan" if env.get(s.env) else "bawaan"
            out.append((s.env, shown, origin, s.help + (" [internal]" if s.internal else "")))
        return out


def store_bawaan(cwd: Path | None = None) -> str:
    """The store without SPEKTRA_STORE: data/spektra.duckdb of the project the working
    folder is in — a notebook's kernel runs in notebooks/ and must find the store `make demo`
    made one folder up (issue 27.7). A project folder has pyproject.toml or notebooks/ next
    to its data/. No project store found: data/spektra.duckdb under the working folder (a
    first ingest creates it there)."""
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "data" / "spektra.duckdb"
        if candidate.is_file() and ((folder / "pyproject.toml").is_file()
                                    or (folder / "notebooks").is_dir()):
            return str(candidate) if folder != here else "data/spektra.duckdb"
    return "data/spektra.duckdb"


def settings(env=None) -> Settings:
    return Settings(env)


def env_name(attr: str) -> str:
    """The variable behind an attribute (to hand a value to a child process's env)."""
    return Settings._BY_ATTR[attr].env


def sandi_env(login: str) -> str:
    return PREFIXES[0] + login.upper().replace(".", "_").replace("-", "_")


def undeclared(env=None) -> list[str]:
    """SPEKTRA_* variables set in `env` that nothing declares (a typo, an old name)."""
    env = os.environ if env is None else env
    return sorted(k for k in env if k.startswith("SPEKTRA_") and k not in BY_ENV
                  and not k.startswith(PREFIXES))
