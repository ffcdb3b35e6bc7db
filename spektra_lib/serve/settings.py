"""How big `spektra serve` may grow, read from the environment (no CLI flag needed).

| variable                      | default              | meaning                                        |
|-------------------------------|----------------------|------------------------------------------------|
| SPEKTRA_SERVE_MAKS_KERNEL     | 8                    | ceiling on live kernels, preheated pool included; a page request beyond it gets 503 "Server sedang penuh" before any kernel starts |
| SPEKTRA_SERVE_POOL            | dashboard=2,default=0| preheated kernels per notebook (`default`: the rest) |
| SPEKTRA_SERVE_CULL_DETIK      | 120                  | a kernel no browser is connected to is stopped after this many idle seconds |
| SPEKTRA_SERVE_SESI_DETIK      | 1800                 | a kernel with an open page, idle this long, is stopped too |
| SPEKTRA_SERVE_CULL_INTERVAL   | 30                   | seconds between idle checks                    |
| SPEKTRA_SERVE_BATAS_PUBLIK    | 30r/m                | nginx limit_req per client address for pages opened without login |
| SPEKTRA_SERVE_BURST_PUBLIK    | 10                   | requests above the rate accepted at once before 429 |
| SPEKTRA_SERVE_SESI_JAM        | 8                    | hours a login stays valid (also ends when the server restarts) |
| SPEKTRA_SERVE_AUTH            | sandi                | `sandi`: SPEKTRA's own login page; `proxy`: the agency's authenticating service (see docs/serve.md) |
| SPEKTRA_SERVE_AUTH_URL        |                      | proxy mode: nginx auth_request URL of the agency's service (oauth2-proxy, nginx-ldap-auth) |
| SPEKTRA_SERVE_AUTH_HEADER     | X-Auth-Request-User  | proxy mode: the response header naming the user |
| SPEKTRA_SERVE_LOGIN_URL       |                      | proxy mode: where "Masuk" sends the browser (`{kembali}` = page to return to) |
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

PREFIX = "SPEKTRA_SERVE_"

# Between `spektra serve` and its Voilà process (backend.py); set per run, never by hand.
KEY_HEADER = "X-Spektra-Kunci"
KEY_ENV = "SPEKTRA_SERVE_KUNCI"
SOCKET_ENV = "SPEKTRA_SERVE_SOCKET"
HTPASSWD_ENV = "SPEKTRA_SERVE_HTPASSWD_RUN"
LOGIN_ENV = "SPEKTRA_SERVE_LOGIN"          # "1" when behind the login proxy
WORKER_ENV = "SPEKTRA_SERVE_WORKER_UID"    # uid:gid nginx workers run as (root only)
SETTINGS_ENV = "SPEKTRA_SERVE_SETELAN"     # the Settings below, as JSON
USER_HEADER = "X-Forwarded-User"


def _pool(text: str) -> dict[str, int]:
    pools: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, n = part.partition("=")
        if not sep or not n.strip().isdigit():
            raise ValueError(f"{PREFIX}POOL: '{part}' bukan NAMA=ANGKA (mis. dashboard=2,default=0).")
        name = name.strip()
        if name != "default" and not name.endswith(".ipynb"):
            name += ".ipynb"
        pools[name] = int(n)
    pools.setdefault("default", 0)
    return pools


def _int(env, name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{PREFIX}{name} harus bilangan bulat, bukan '{raw}'.") from None
    if value < minimum:
        raise ValueError(f"{PREFIX}{name} paling kecil {minimum}, bukan {value}.")
    return value


@dataclass(frozen=True)
class Settings:
    maks_kernel: int = 8
    pool: dict[str, int] = field(default_factory=lambda: {"dashboard.ipynb": 2, "default": 0})
    cull_detik: int = 120
    sesi_detik: int = 1800
    cull_interval: int = 30
    batas_publik: str = "30r/m"
    burst_publik: int = 10
    sesi_jam: int = 8
    auth: str = "sandi"
    auth_url: str = ""
    auth_header: str = "X-Auth-Request-User"
    login_url: str = ""

    def pool_total(self, notebooks: set[str]) -> int:
        """Kernels the preheated pools hold once filled, for these notebook names."""
        default = self.pool.get("default", 0)
        return sum(self.pool.get(f"{nb}.ipynb", default) for nb in notebooks)

    def check(self, notebooks: set[str]) -> None:
        held = self.pool_total(notebooks)
        if held >= self.maks_kernel:
            raise ValueError(
                f"{PREFIX}MAKS_KERNEL ({self.maks_kernel}) harus lebih besar daripada jumlah "
                f"kernel siaga ({PREFIX}POOL: {held}); kalau tidak, tidak ada halaman yang "
                "bisa dibuka.")


def from_env(env=None, **override) -> Settings:
    env = os.environ if env is None else env
    rate = env.get(PREFIX + "BATAS_PUBLIK") or "30r/m"
    if not re.fullmatch(r"\d+r/[sm]", rate):
        raise ValueError(f"{PREFIX}BATAS_PUBLIK harus seperti 30r/m atau 2r/s, bukan '{rate}'.")
    auth = (env.get(PREFIX + "AUTH") or "sandi").lower()
    if auth not in ("sandi", "proxy"):
        raise ValueError(f"{PREFIX}AUTH harus 'sandi' atau 'proxy', bukan '{auth}'.")
    if auth == "proxy" and not env.get(PREFIX + "AUTH_URL"):
        raise ValueError(f"{PREFIX}AUTH=proxy memerlukan {PREFIX}AUTH_URL (layanan autentikasi instansi).")
    values = dict(
        maks_kernel=_int(env, "MAKS_KERNEL", 8, 1),
        pool=_pool(env.get(PREFIX + "POOL") or "dashboard=2,default=0"),
        cull_detik=_int(env, "CULL_DETIK", 120, 10),
        sesi_detik=_int(env, "SESI_DETIK", 1800, 60),
        cull_interval=_int(env, "CULL_INTERVAL", 30, 1),
        batas_publik=rate,
        burst_publik=_int(env, "BURST_PUBLIK", 10, 0),
        sesi_jam=_int(env, "SESI_JAM", 8, 1),
        auth=auth,
        auth_url=env.get(PREFIX + "AUTH_URL", ""),
        auth_header=env.get(PREFIX + "AUTH_HEADER") or "X-Auth-Request-User",
        login_url=env.get(PREFIX + "LOGIN_URL", ""),
    )
    values.update(override)
    return Settings(**values)


def to_env(settings: Settings) -> str:
    return json.dumps(settings.__dict__)


def for_backend(env=None) -> Settings:
    """The settings `spektra serve` started the backend with (else from the environment)."""
    env = os.environ if env is None else env
    raw = env.get(SETTINGS_ENV)
    return Settings(**json.loads(raw)) if raw else from_env(env)
