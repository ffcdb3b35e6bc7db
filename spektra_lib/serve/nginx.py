"""The proxy: Debian's nginx, the only way in to SPEKTRA's Voilà (backend.py).

Voilà listens on a Unix socket in the run folder (0600) and answers only requests that
carry the per-run key this proxy adds; a client's own `X-Forwarded-User` is always
overwritten. The proxy lists what a browser may reach (pages, Voilà's assets, a page's
own kernel websocket) and rate-limits page requests per client, anonymous ones hardest;
the backend decides who is who (login session) and which notebook a role may open, before
any kernel starts, and refuses pages when the kernel ceiling is reached.

With SPEKTRA_SERVE_AUTH=proxy the agency's authenticating service (LDAP, SSO) decides
who is who instead: nginx asks it with auth_request and passes its user on.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..settings import settings as declared
from .settings import ADDRESS_HEADER, KEY_HEADER, USER_HEADER, Settings



def program() -> str:
    """The nginx program (SPEKTRA_NGINX)."""
    return declared().nginx


def nginx_conf(run_dir: Path, *, host: str, port: int, socket: Path, key: str,
               settings: Settings) -> str:
    """The whole nginx.conf (templates/nginx.conf.j2): every path under run_dir, nothing
    needs root.

    What a browser may reach is listed; everything else is 404. Which notebook a role may
    open is decided by the backend (same policy file) before any kernel starts.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from .session import LIMIT_COOKIE, limit_secret
    env = Environment(loader=PackageLoader("spektra_lib.serve", "templates"),
                      undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                      trim_blocks=True)
    limits = ("            limit_req zone=publik burst={b} nodelay;\n"
              "            limit_req zone=semua burst={b2} nodelay;\n").format(
        b=settings.burst_publik, b2=settings.burst_publik * 4)
    return env.get_template("nginx.conf.j2").render(
        run=str(Path(run_dir)), user_line=_user_line(), host=host, port=port,
        socket=str(socket), key=key, secret=limit_secret(key), limit_cookie=LIMIT_COOKIE,
        batas_publik=settings.batas_publik, rate_user=_times(settings.batas_publik, 4),
        temp=("client_body", "proxy", "fastcgi", "uwsgi", "scgi"), limits=limits,
        sso=settings.auth == "proxy", sso_url=settings.auth_url,
        sso_header=settings.auth_header.lower().replace("-", "_"),
        address_header=ADDRESS_HEADER, key_header=KEY_HEADER, user_header=USER_HEADER)


def _times(rate: str, factor: int) -> str:
    n, unit = rate.split("r/")
    return f"{int(n) * factor}r/{unit}"


def _worker_ids() -> tuple[int, int] | None:
    """(uid, gid) nginx workers drop to when started as root; None otherwise."""
    if os.geteuid() != 0:
        return None
    import pwd
    pw = pwd.getpwnam("nobody")
    return pw.pw_uid, pw.pw_gid


def _user_line() -> str:
    ids = _worker_ids()
    if ids is None:
        return ""
    import grp
    return f"user nobody {grp.getgrgid(ids[1]).gr_name};\n"


def hand_to_workers(run: Path, paths: list[Path]) -> None:
    """As root, nginx workers run as nobody: let them reach the run dir and own these."""
    ids = _worker_ids()
    if ids is None:
        return
    for parent in Path(run).resolve().parents:
        if not parent.stat().st_mode & 0o001:
            raise RuntimeError(f"Pekerja nginx (nobody) tidak dapat melewati {parent}: "
                               "arahkan TMPDIR ke folder yang boleh dilewati semua pengguna "
                               "(mis. /tmp).")
    run.chmod(0o711)
    for p in paths:
        for q in [p, *(p.rglob("*") if p.is_dir() else [])]:
            os.chown(q, *ids)


def write_pages(www: Path) -> None:
    """The proxy's own pages, in Bahasa Indonesia, with no outside asset."""
    from .pages import static_page
    www.mkdir(parents=True, exist_ok=True)
    (www / "tidak_ada.html").write_text(static_page(
        "Halaman tidak ditemukan", '<p>Alamat ini tidak ada. Kembali ke <a href="/">Beranda</a>.</p>'),
        encoding="utf-8")
    (www / "terlalu_sering.html").write_text(static_page(
        "Terlalu banyak permintaan",
        "<p>Terlalu banyak halaman dibuka dari alamat Anda dalam waktu singkat. "
        "Tunggu sebentar, lalu muat ulang halaman ini.</p>"), encoding="utf-8")
    (www / "tidak_tersedia.html").write_text(static_page(
        "Layanan sedang tidak tersedia",
        "<p>SPEKTRA sedang tidak menjawab. Coba lagi sebentar lagi; bila berulang, hubungi "
        "admin SPEKTRA.</p>"), encoding="utf-8")


def start_nginx(conf: Path, log) -> subprocess.Popen:
    """nginx in the foreground (daemon off) as a child process; check the config first."""
    prefix = str(conf.parent)
    errlog = str(conf.parent / "nginx-error.log")   # not Debian's /var/log default
    test = subprocess.run([program(), "-t", "-q", "-p", prefix, "-e", errlog, "-c", str(conf)],
                          capture_output=True, text=True)
    if test.returncode != 0:
        raise RuntimeError(f"Konfigurasi nginx tidak sah:\n{test.stderr}")
    return subprocess.Popen([program(), "-p", prefix, "-e", errlog, "-c", str(conf)], stdout=log, stderr=log,
                            start_new_session=True)
