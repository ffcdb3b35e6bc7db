"""How big `spektra serve` may grow, read from the environment (no CLI flag needed).

Every SPEKTRA_SERVE_* variable, its default and its help text are declared once in
`spektra_lib.settings.DECLARED` (`spektra config` prints them with the values in force;
docs/serve.md explains them). Here they become typed, checked values.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from .. import settings as declared

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
ADDRESS_HEADER = "X-Spektra-Alamat"        # the client's address as nginx saw it ($remote_addr)


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


def _default(name: str) -> str:
    return declared.BY_ENV[PREFIX + name].default


def _text(env, name: str) -> str:
    """The variable's value, or its declared default when unset or empty."""
    raw = env.get(PREFIX + name)
    return _default(name) if raw is None or raw == "" else raw


def _int(env, name: str, minimum: int = 0) -> int:
    raw = _text(env, name)
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{PREFIX}{name} harus bilangan bulat, bukan '{raw}'.") from None
    if value < minimum:
        raise ValueError(f"{PREFIX}{name} paling kecil {minimum}, bukan {value}.")
    return value


@dataclass(frozen=True)
class Settings:
    maks_kernel: int = int(_default("MAKS_KERNEL"))
    pool: dict[str, int] = field(default_factory=lambda: _pool(_default("POOL")))
    cull_detik: int = int(_default("CULL_DETIK"))
    sesi_detik: int = int(_default("SESI_DETIK"))
    cull_interval: int = int(_default("CULL_INTERVAL"))
    batas_publik: str = _default("BATAS_PUBLIK")
    burst_publik: int = int(_default("BURST_PUBLIK"))
    sesi_jam: int = int(_default("SESI_JAM"))
    auth: str = _default("AUTH")
    auth_url: str = _default("AUTH_URL")
    auth_header: str = _default("AUTH_HEADER")
    login_url: str = _default("LOGIN_URL")
    # Kernels that draw report pages once for everyone (snapshot.py): one on 2 cores.
    potret_kernel: int = 1
    # Draw the most asked pages at start and after each ingest (snapshot.prewarm).
    potret_awal: bool = True

    def pool_total(self, notebooks: set[str]) -> int:
        """Kernels the preheated pools hold once filled, for these notebook names."""
        default = self.pool.get("default", 0)
        return sum(self.pool.get(f"{nb}.ipynb", default) for nb in notebooks)

    def check(self, notebooks: set[str]) -> None:
        held = self.pool_total(notebooks) + self.potret_kernel
        if held >= self.maks_kernel:
            raise ValueError(
                f"{PREFIX}MAKS_KERNEL ({self.maks_kernel}) harus lebih besar daripada jumlah "
                f"kernel siaga ({PREFIX}POOL) ditambah kernel penggambar halaman "
                f"({self.potret_kernel}): {held}; kalau tidak, tidak ada halaman interaktif "
                "yang bisa dibuka.")


def from_env(env=None, **override) -> Settings:
    env = os.environ if env is None else env
    rate = _text(env, "BATAS_PUBLIK")
    if not re.fullmatch(r"\d+r/[sm]", rate):
        raise ValueError(f"{PREFIX}BATAS_PUBLIK harus seperti 30r/m atau 2r/s, bukan '{rate}'.")
    auth = _text(env, "AUTH").lower()
    if auth not in declared.BY_ENV[PREFIX + "AUTH"].pilihan:
        raise ValueError(f"{PREFIX}AUTH harus 'sandi' atau 'proxy', bukan '{auth}'.")
    if auth == "proxy" and not _text(env, "AUTH_URL"):
        raise ValueError(f"{PREFIX}AUTH=proxy memerlukan {PREFIX}AUTH_URL (layanan autentikasi instansi).")
    values = dict(
        maks_kernel=_int(env, "MAKS_KERNEL", 1),
        pool=_pool(_text(env, "POOL")),
        cull_detik=_int(env, "CULL_DETIK", 10),
        sesi_detik=_int(env, "SESI_DETIK", 60),
        cull_interval=_int(env, "CULL_INTERVAL", 1),
        batas_publik=rate,
        burst_publik=_int(env, "BURST_PUBLIK", 0),
        sesi_jam=_int(env, "SESI_JAM", 1),
        auth=auth,
        auth_url=_text(env, "AUTH_URL"),
        auth_header=_text(env, "AUTH_HEADER"),
        login_url=_text(env, "LOGIN_URL"),
    )
    values.update(override)
    return Settings(**values)


def to_env(settings: Settings) -> str:
    return json.dumps(settings.__dict__)


def for_backend(env=None) -> Settings:
    """The settings `spektra serve` started the backend with (else from the environment)."""
    env = os.environ if env is None else env
    raw = declared.settings(env).serve_setelan
    return Settings(**json.loads(raw)) if raw else from_env(env)
