"""The access policy (parameters/akses.yaml): who is who, and what each one may open.

Identity, in the order a notebook meets it:

- under Voilà (`spektra serve`), the authenticating proxy's `X-Forwarded-User` header,
  which Voilà hands over as env `HTTP_X_FORWARDED_USER` — with preheated kernels only
  after `voila.utils.wait_for_request()`, which `current_access()` calls. No header, an
  unknown name or a failed wait ⇒ Publik (fail closed); `SPEKTRA_USER` is ignored there.
- elsewhere (papermill, `spektra render`, JupyterLab): `SPEKTRA_AUDIENS` (set by
  `spektra site --audience`, e.g. `satker:017234`, so a bundle's kernels query as that
  audience), else `SPEKTRA_USER` if set, else full access: a local analyst already holds
  the store file itself.

The store enforces the resulting `Access` (`store.with_access(access)` → `check_scope`);
the proxy refuses whole notebooks by role before a kernel starts.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import parameters
from .problems import AksesDitolak
from .settings import bawaan, settings
from .store import FULL_ACCESS, PERAN, Access, lingkup_dari

ROLES = tuple(PERAN)     # the roles and their powers: store.PERAN
PUBLIK = Access("publik", nama="Publik")
HEADER = "X-Forwarded-User"
HEADER_ENV = "HTTP_X_FORWARDED_USER"
# The role and scopes the server read from its user file for this request (serve/login.py
# rewrites the header on every request: a client's own is never what arrives here).
ACCESS_HEADER = "X-Spektra-Akses"
ACCESS_ENV = "HTTP_" + ACCESS_HEADER.upper().replace("-", "_")
AUDIENCE_ENV = "SPEKTRA_AUDIENS"     # set by `spektra site --audience`; read via settings().audiens
NOTEBOOK_DIR = bawaan("notebooks")     # the package's pages (installed with it)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class Policy:
    users: dict[str, Access]            # login name -> Access
    notebooks: dict[str, object]        # role -> "semua" or a set of notebook names
    interaktif: frozenset = frozenset()  # roles that may open live pages (a kernel each)

    def may_go_live(self, access: Access) -> bool:
        """May this user open a live page (`interaktif: true` of the role in akses.yaml)?"""
        return access.role in self.interaktif


def role_names() -> dict[str, str]:
    """Each role's name as users read it ("Super User"), from akses.yaml's roles."""
    roles = parameters.load("akses").get("peran") or {}
    return {r: str((roles.get(r) or {}).get("nama") or r) for r in ROLES}


def load_policy(name: str = "akses") -> Policy:
    """parameters/akses.yaml, checked: every user a known role, a User with a satker."""
    raw = parameters.load(name)
    roles = raw.get("peran") or {}
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"akses.yaml: peran tidak dikenal: {', '.join(sorted(unknown))}")
    notebooks: dict[str, object] = {}
    for role in ROLES:
        spec = (roles.get(role) or {}).get("notebook", [] if PERAN[role] == "dashboard"
                                                      else "semua")
        notebooks[role] = "semua" if spec == "semua" else {str(n) for n in spec}
    declared = {r for r, spec in roles.items() if "interaktif" in (spec or {})}
    # none declared: the roles that see every satker (Admin, Super User)
    live = ({r for r in declared if roles[r].get("interaktif")} if declared
            else {r for r in ROLES if Access(r).sees_all})
    users = {}
    for login, u in (raw.get("pengguna") or {}).items():
        login = str(login)
        if not _USERNAME.match(login):
            raise ValueError(f"akses.yaml: nama pengguna '{login}' tidak sah "
                             "(huruf kecil, angka, titik, garis bawah, tanda hubung).")
        role = (u or {}).get("peran")
        if role not in ROLES:
            raise ValueError(f"akses.yaml: pengguna {login}: peran '{role}' tidak dikenal.")
        satker, unit = u.get("satker"), u.get("unit")
        if PERAN[role] == "sendiri" and not satker:
            raise ValueError(f"akses.yaml: pengguna {login} (User) wajib punya satker.")
        try:
            lingkup = lingkup_dari(_texts(satker), _texts(unit))
        except ValueError as e:
            raise ValueError(f"akses.yaml: pengguna {login}: {e}") from None
        users[login] = Access(role, lingkup=lingkup if PERAN[role] == "sendiri" else (),
                              nama=str(u.get("nama", login)))
    return Policy(users, notebooks, frozenset(live))


def _texts(value):
    """akses.yaml's satker / unit: a code, a comma list or a list of them (YAML may read
    a code as a number)."""
    if value is None:
        return None
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)


def access_for(user: str | None, policy: Policy | None = None) -> Access:
    """The Access of a login name; no name or an unknown one ⇒ Publik."""
    if not user:
        return PUBLIK
    policy = policy or load_policy()
    return policy.users.get(user.strip(), PUBLIK)


def under_voila() -> bool:
    """True inside a kernel that Voilà started (it sets these in every kernel's env)."""
    env = os.environ
    return ("VOILA_PREHEAT" in env or "VOILA_BASE_URL" in env
            or env.get("SERVER_SOFTWARE", "").startswith("voila/"))


def waits_for_request() -> bool:
    """True in a preheated Voilà kernel that has not met its request (and user) yet."""
    return under_voila() and os.environ.get("VOILA_PREHEAT") == "True"


def current_access() -> Access:
    """Who is looking at this running notebook (see the module docstring)."""
    if under_voila():
        if waits_for_request():
            _wait_for_request()     # blocks the preheated kernel until a request arrives
            # Mark the request as received so a second call does not wait again.
            os.environ["VOILA_PREHEAT"] = "False"
        given = _served_access(os.environ.get(ACCESS_ENV), os.environ.get(HEADER_ENV))
        return given if given is not None else access_for(os.environ.get(HEADER_ENV))
    s = settings()
    if s.audiens:
        return audience_access(s.audiens)
    return access_for(s.user) if s.user else FULL_ACCESS


def _served_access(raw: str | None, login: str | None) -> Access | None:
    """The Access `spektra serve` sent with the request (None: not sent, or unreadable)."""
    if not raw or not login:
        return None
    import json
    try:
        d = json.loads(raw)
        role = d["peran"]
    except (ValueError, KeyError, TypeError):
        return PUBLIK                       # sent but unreadable: fail closed
    try:
        lingkup = tuple((str(s), None if u is None else str(u)) for s, u in d.get("lingkup") or ())
    except (ValueError, TypeError):
        return PUBLIK
    if role not in ROLES or (PERAN[role] == "sendiri" and not lingkup):
        return PUBLIK
    return Access(role, lingkup=lingkup if PERAN[role] == "sendiri" else (),
                  nama=str(d.get("nama") or login))


def _wait_for_request() -> None:
    """Voilà's wait_for_request; behind `spektra serve --login` Voilà listens on a Unix
    socket and wants the run's key, so the kernel asks there (serve/backend.py)."""
    s = settings()
    sock = s.serve_socket
    if not sock:
        from voila.utils import wait_for_request
        wait_for_request()
        return
    import asyncio
    import json
    import threading

    from websockets.asyncio.client import unix_connect
    kernel_id = os.environ.get("VOILA_KERNEL_ID", "")
    headers = {"X-Spektra-Kunci": s.serve_kunci}
    info: dict = {}

    async def ask():
        async with unix_connect(sock, f"ws://localhost/voila/query/{kernel_id}",
                                additional_headers=headers, open_timeout=10) as ws:
            info.update(json.loads(await ws.recv()))

    def run():       # the kernel's own loop is running: ask from a thread of its own
        try:
            asyncio.run(ask())
        except Exception:           # no answer: stay Publik (fail closed)
            pass

    t = threading.Thread(target=run)
    t.start()
    t.join()
    for k, v in info.items():
        os.environ[k] = str(v)


def all_notebooks(directory: Path | None = None) -> set[str]:
    """Notebook names (without .ipynb) in notebooks/."""
    return {p.stem for p in Path(directory or NOTEBOOK_DIR).glob("*.ipynb")}


def notebooks_for(access: Access, policy: Policy | None = None,
                  directory: Path | None = None) -> set[str]:
    """The notebooks this role may open."""
    policy = policy or load_policy()
    spec = policy.notebooks.get(access.role, set())
    available = all_notebooks(directory)
    return available if spec == "semua" else available & set(spec)


def satker_choices(store, access: Access) -> list[tuple[str, str | None]]:
    """(label, kode) options for a satker widget; None = Seluruh Satker where allowed.

    A User gets the own satker only; Publik sees the dashboard's agency-wide figures,
    which are public, so it may pick any satker there like Admin and Super User.
    """
    from . import scopes      # spektra_lib.scopes (pandas on first use only)
    df = scopes.daftar_satker(store.with_access(access))
    options: list[tuple[str, str | None]] = []
    if not access.sendiri:
        options.append(("Seluruh Satker", None))
    options += [(f"{k} — {n}", k) for k, n in zip(df["kode_satker"], df["nama_satker"])]
    return options


def unit_choices(store, access: Access, satker: str | None) -> list[tuple[str, str | None]]:
    """(label, kode) options for a unit kerja widget of `satker` (empty: no breakdown).

    Asking for a satker the user may not see raises AksesDitolak.
    """
    from . import scopes
    if satker is None:
        return []
    scoped = store.with_access(access)
    own_units = access.units_of(satker) if access.sendiri else None
    if access.sendiri:
        scoped.check_scope(satker=satker, unit=own_units[0] if own_units else None)
    df = scopes.daftar_unit(scoped, satker)
    if df.empty:
        return []
    options: list[tuple[str, str | None]] = []
    if own_units is None:
        options.append(("Seluruh Unit Kerja", None))
    options += [(f"{k} — {n}", k) for k, n in zip(df["kode_unit"], df["nama_unit"])]
    return options


def check_notebook(access: Access, notebook: str, policy: Policy | None = None) -> None:
    """Raise AksesDitolak when this role may not open the notebook (static bundles)."""
    if notebook not in notebooks_for(access, policy):
        raise AksesDitolak(f"Peran {access.role} tidak berhak membuka laporan {notebook}.")


# -- audiences of static bundles (`spektra site --audience`) ----------------------------
AUDIENCE_HELP = "publik | satker:KODE[,KODE…] | unit:KODE | semua (beberapa: dipisah ;)"


def audience_access(audience: str, store=None) -> Access:
    """The Access a static bundle is built with.

    publik → Publik; semua → full access; satker:KODE → a User of that satker;
    unit:KODE (or unit:SATKER/KODE, unit:SATKER-KODE) → a User of that unit kerja. With a
    store, the satker / unit must exist there (a unit's satker is looked up).
    """
    text = (audience or "").strip()
    if ";" in text or "," in text:         # several scopes: one User holding them all
        parts = [audience_access(p.strip(), store)
                 for t in text.split(";") for p in _split_codes(t) if p.strip()]
        if not parts or not all(p.sendiri for p in parts):
            raise ValueError(f"Audiens '{text}' tidak dikenal; pilih salah satu: "
                             f"{AUDIENCE_HELP}.")
        whole = {s for p in parts for s, u in p.lingkup if u is None}
        pairs = {(s, u) for p in parts for s, u in p.lingkup if u is not None}
        lingkup = lingkup_dari(sorted(whole), sorted(pairs - {(s, u) for s, u in pairs
                                                               if s in whole}))
        return Access("user", lingkup=lingkup, nama=", ".join(p.nama for p in parts))
    kind, _, code = text.partition(":")
    kind, code = kind.lower(), code.strip()
    if kind == "publik" and not code:
        return PUBLIK
    if kind == "semua" and not code:
        return FULL_ACCESS
    if kind == "satker" and code:
        if store is not None and not store.scalar(
                "SELECT count(*) FROM satker WHERE kode_satker = ?", [code]):
            raise ValueError(f"Satker {code} tidak ada di store.")
        return Access("user", satker=code, nama=f"Satker {code}")
    if kind == "unit" and code:
        satker, unit = None, code
        for sep in ("/", "-"):
            if sep in code:
                satker, unit = (x.strip() for x in code.split(sep, 1))
        if store is not None:
            owner = store.scalar("SELECT kode_satker FROM unit_kerja WHERE kode_unit = ?"
                                 + (" AND kode_satker = ?" if satker else ""),
                                 [unit] + ([satker] if satker else []))
            if owner is None:
                raise ValueError(f"Unit kerja {code} tidak ada di store.")
            satker = str(owner)
        if not satker:
            raise ValueError(f"Audiens '{text}': sebutkan satker unit itu (unit:SATKER/KODE).")
        return Access("user", satker=satker, unit=unit, nama=f"Unit kerja {unit}")
    raise ValueError(f"Audiens '{text}' tidak dikenal; pilih salah satu: {AUDIENCE_HELP}.")


def _split_codes(part: str) -> list[str]:
    """'satker:A,B' → ['satker:A', 'satker:B'] (a comma list in one audience part)."""
    kind, colon, codes = part.partition(":")
    return [f"{kind}{colon}{c.strip()}" for c in codes.split(",")] if colon else [part]


def audience_name(access: Access) -> str:
    """The canonical audience text of an Access (what SPEKTRA_AUDIENS carries): one scope
    as before (satker:A, unit:A/U), several joined by ';'."""
    if access.sees_all:
        return "semua"
    if access.hanya_dashboard:
        return "publik"
    return ";".join(f"unit:{s}/{u}" if u else f"satker:{s}" for s, u in access.lingkup)
