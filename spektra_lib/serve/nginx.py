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
import secrets
import shutil
import subprocess
from pathlib import Path

from ..access import Policy
from ..settings import settings as declared
from .settings import KEY_HEADER, USER_HEADER, Settings



def program() -> str:
    """The nginx program (SPEKTRA_NGINX)."""
    return declared().nginx
HTPASSWD = shutil.which("htpasswd") or "/usr/bin/htpasswd"


def write_htpasswd(path: Path, policy: Policy, *, announce=print) -> Path:
    """An htpasswd (bcrypt) for the policy's users; passwords never touch the repository.

    Per user: env SPEKTRA_SANDI_<NAME> (upper case, '.'/'-' as '_'), else SPEKTRA_SANDI,
    else a random password announced once. SPEKTRA_HTPASSWD names a ready file instead.
    """
    env = declared()
    ready = env.htpasswd
    if ready:
        return Path(ready)
    path = Path(path)
    path.unlink(missing_ok=True)
    for login in sorted(policy.users):
        password = env.sandi_pengguna(login)
        if not password:
            password = secrets.token_urlsafe(9)
            announce(f"Sandi sementara {login}: {password}")
        create = [] if path.exists() else ["-c"]
        # -i reads the password from stdin: it never shows up in the process list.
        subprocess.run([HTPASSWD, "-i", "-B", "-C", "5", *create, str(path), login],
                       input=password, text=True, check=True, capture_output=True)
    path.chmod(0o600)
    return path


def _proxy(key: str, user: str, settings: Settings, *, extra: str = "") -> str:
    """proxy_set_header at location level replaces every inherited one: all of them, each
    time. The key proves to the backend the request came through here; the user header is
    always overwritten (empty, or the agency proxy's verified user)."""
    sso = ""
    if settings.auth == "proxy":
        sso = ("            auth_request /_spektra/sso;\n"
               "            auth_request_set $spektra_sso_user $upstream_http_"
               + settings.auth_header.lower().replace("-", "_") + ";\n"
               "            error_page 401 = @anonim;\n")
    return (sso + extra +
            f"            proxy_set_header Host $http_host;\n"
            f"            proxy_set_header Upgrade $http_upgrade;\n"
            f"            proxy_set_header Connection $connection_upgrade;\n"
            f"            proxy_set_header X-Forwarded-Proto $scheme;\n"
            f"            proxy_set_header X-Spektra-Alamat $remote_addr;\n"
            f"            proxy_set_header {KEY_HEADER} \"{key}\";\n"
            f"            proxy_set_header {USER_HEADER} \"{user}\";\n"
            f"            proxy_pass http://spektra_voila;\n")


def nginx_conf(run_dir: Path, *, host: str, port: int, socket: Path, key: str,
               settings: Settings) -> str:
    """The whole nginx.conf: every path under run_dir, nothing needs root.

    What a browser may reach is listed; everything else is 404. Which notebook a role may
    open is decided by the backend (same policy file) before any kernel starts.
    """
    run = Path(run_dir)
    user = "$spektra_sso_user" if settings.auth == "proxy" else ""
    p = lambda extra="": _proxy(key, user, settings, extra=extra)  # noqa: E731
    plain = lambda: _proxy(key, "", Settings())                     # noqa: E731
    limits = ("            limit_req zone=publik burst={b} nodelay;\n"
              "            limit_req zone=semua burst={b2} nodelay;\n").format(
        b=settings.burst_publik, b2=settings.burst_publik * 4)
    rate_user = _times(settings.batas_publik, 4)
    from .session import LIMIT_COOKIE, limit_secret
    secret = limit_secret(key)
    temp = "\n".join(f"    {k}_temp_path {run}/tmp/{k};"
                     for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    sso = ""
    if settings.auth == "proxy":
        sso = (f"        location = /_spektra/sso {{\n            internal;\n"
               f"            proxy_pass {settings.auth_url};\n"
               f"            proxy_pass_request_body off;\n"
               f"            proxy_set_header Content-Length \"\";\n"
               f"            proxy_set_header X-Original-URI $request_uri;\n        }}\n"
               f"        location @anonim {{\n{plain()}        }}\n")
    return f"""# Generated by `spektra serve --login`; regenerated at every start.
{_user_line()}worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    default_type text/html;
    charset utf-8;
    server_tokens off;
    access_log {run}/nginx-access.log;
{temp}
    proxy_http_version 1.1;
    proxy_buffering off;
    proxy_read_timeout 3600s;
    proxy_hide_header X-Frame-Options;
    proxy_hide_header X-Content-Type-Options;
    proxy_hide_header Referrer-Policy;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    # Rate limits. nginx cannot check the session's HMAC, so a login also carries
    # {LIMIT_COOKIE}=<md5>.<expiry>.<nonce>, which secure_link verifies with a secret derived from
    # the run key (session.limit_token). Verified: limited per login token (4x the public
    # rate: an office behind one address is many users). Anything else, a made-up cookie
    # or an unchecked Basic header included, is anonymous: limited per client address.
    map $cookie_{LIMIT_COOKIE} $spektra_batas_md5 {{
        "~^([A-Za-z0-9_-]{{22}})\.([0-9]{{1,12}})\.([A-Za-z0-9_-]{{12}})$" $1;
        default "";
    }}
    map $cookie_{LIMIT_COOKIE} $spektra_batas_sampai {{
        "~^([A-Za-z0-9_-]{{22}})\.([0-9]{{1,12}})\.([A-Za-z0-9_-]{{12}})$" $2;
        default "";
    }}
    map $cookie_{LIMIT_COOKIE} $spektra_batas_acak {{
        "~^([A-Za-z0-9_-]{{22}})\.([0-9]{{1,12}})\.([A-Za-z0-9_-]{{12}})$" $3;
        default "";
    }}
    map $secure_link $spektra_anonim {{
        "1" "";
        default $binary_remote_addr;
    }}
    # one bucket per login: the nonce is derived from the login (session.limit_token)
    map $secure_link $spektra_pengguna {{
        "1" $spektra_batas_acak;
        default "";
    }}
    limit_req_zone $spektra_anonim zone=publik:2m rate={settings.batas_publik};
    # zone "semua": every verified login, each in a bucket of its own
    limit_req_zone $spektra_pengguna zone=semua:2m rate={rate_user};
    # Password guesses: 10 login attempts a minute per address (the form itself is free).
    map $request_method $spektra_masuk {{ POST $binary_remote_addr; default ""; }}
    limit_req_zone $spektra_masuk zone=masuk:1m rate=10r/m;
    limit_req_status 429;
    upstream spektra_voila {{ server unix:{socket}; }}
    server {{
        listen {host}:{port};
        absolute_redirect off;
        secure_link $spektra_batas_md5,$spektra_batas_sampai;
        secure_link_md5 "$spektra_batas_sampai $spektra_batas_acak {secret}";
        error_page 404 /_spektra/tidak_ada.html;
        error_page 429 /_spektra/terlalu_sering.html;
        error_page 502 504 /_spektra/tidak_tersedia.html;
        # every page, the proxy's own included (the backend sets them too)
        add_header X-Frame-Options DENY always;
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy same-origin always;
        location /_spektra/ {{ internal; alias {run}/www/; }}
{sso}        location = / {{
{p()}        }}
        location = /masuk {{
            limit_req zone=masuk burst=5 nodelay;
{p()}        }}
        location = /keluar {{
{p()}        }}
        location = /_spektra/saya {{
{p()}        }}
        # `spektra serve --periksa`: the backend's figures, through here (so with the key),
        # for this machine only.
        location = /_spektra/periksa {{
            allow 127.0.0.1;
            allow ::1;
            deny all;
            rewrite ^ /_spektra/status break;
{plain()}        }}
        # Pages start kernels: a rate per client, the backend's ceiling behind it.
        location ^~ /voila/render/ {{
{p(limits)}        }}
        # A page's Unduh menu: files made for the asking user, rate-limited like pages.
        location ^~ /unduh/ {{
{p(limits)}        }}
        location = /voila/tree {{ return 302 /; }}
        location ^~ /voila/tree/ {{ return 302 /; }}
        location ^~ /voila/static/ {{
{plain()}        }}
        location ^~ /voila/templates/ {{
{plain()}        }}
        location ^~ /voila/labextensions/ {{
{plain()}        }}
        location ^~ /voila/api/themes/ {{
{plain()}        }}
        location ^~ /voila/api/shutdown/ {{
{plain()}        }}
        # A page's own kernel (its id is known only to that page): widgets' websocket.
        location ~ "^/api/kernels/[0-9a-f-]{{36}}(/channels)?$" {{
{plain()}        }}
        # Everything else (/voila/api/contents, /files, /voila/query, /api/...): nothing.
        location / {{ return 404; }}
    }}
}}
"""


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
