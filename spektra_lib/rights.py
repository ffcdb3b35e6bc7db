"""Roles, their powers and what one user may see (`Access`): the one place that knows a
role's name. Everything else asks an Access (sees_all, sendiri, mengelola, tolak …); the
store enforces it (`Store.check_scope`), parameters/akses.yaml names the roles' notebooks
and live pages."""
from __future__ import annotations

from dataclasses import dataclass

# Role powers, in one place (parameters/akses.yaml names the users and their roles):
# "semua" every satker; "sendiri" the own satker(s) (or unit kerja); "dashboard" only the
# dashboard's public, agency-wide figures. Nothing else tests a role's name.
PERAN = {"admin": "semua", "super_user": "semua", "user": "sendiri", "publik": "dashboard"}
# The powers beyond a role's reach of data, in one place too: who administers SPEKTRA
# (/admin, uploads, users). Live pages per role are akses.yaml's `interaktif`.
MENGELOLA = frozenset({"admin"})

Lingkup = tuple[tuple[str, "str | None"], ...]


def _codes(value) -> list[str]:
    """A code, a comma list or an iterable of them → the codes, stripped, in order."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        if isinstance(item, tuple):
            out.append(item)
            continue
        out += [c.strip() for c in str(item).split(",") if c.strip()]
    return out


def lingkup_dari(satker=None, unit=None) -> Lingkup:
    """The (satker, unit | None) scopes of satker and unit codes: a unit is "SATKER/UNIT"
    or a (satker, unit) pair, or a bare code when there is exactly one satker (its own);
    a satker with none of its units listed is seen whole, one with units listed only
    through them."""
    satkers = _codes(satker)
    pairs: list[tuple[str, str]] = []
    for u in _codes(unit):
        if isinstance(u, tuple):
            pairs.append((str(u[0]), str(u[1])))
        elif "/" in u:
            s, _, k = u.partition("/")
            pairs.append((s.strip(), k.strip()))
        elif len(satkers) == 1:
            pairs.append((satkers[0], u))
        else:
            raise ValueError(f"Unit kerja {u}: sebutkan satkernya (SATKER/{u}).")
    limited = {s for s, _ in pairs}
    out = {(s, None) for s in satkers if s not in limited} | set(pairs)
    return tuple(sorted(out, key=lambda p: (p[0], p[1] or "")))


@dataclass(frozen=True, init=False)
class Access:
    """What one user may see. role: a key of PERAN (admin, super_user, user, publik).

    A User's scopes are `lingkup`: (satker, None) a whole satker, (satker, unit) one unit
    kerja of it; a User may hold several. `satker` / `unit` are the first scope (the
    default a page opens on), never what may be seen: ask `tolak` / `boleh`."""
    role: str
    lingkup: Lingkup
    nama: str

    def __init__(self, role: str = "admin", satker=None, unit=None, nama: str = "", *,
                 lingkup: Lingkup | None = None):
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "lingkup", tuple(lingkup) if lingkup is not None
                           else lingkup_dari(satker, unit))
        object.__setattr__(self, "nama", nama)

    @property
    def satker(self) -> str | None:
        """The first satker (a page's default), None for a role that sees every satker."""
        return self.lingkup[0][0] if self.lingkup else None

    @property
    def unit(self) -> str | None:
        """The unit kerja of the first scope (None: the whole satker)."""
        return self.lingkup[0][1] if self.lingkup else None

    @property
    def satkers(self) -> tuple[str, ...]:
        """Every satker this User may see, whole or through some of its units."""
        return tuple(dict.fromkeys(s for s, _ in self.lingkup))

    def units_of(self, satker: str) -> tuple[str, ...] | None:
        """The units of `satker` this User may see; None: the whole satker (or not a
        satker of theirs: see `satkers`)."""
        units = tuple(u for s, u in self.lingkup if s == satker and u is not None)
        return units or None

    @property
    def hanya_unit(self) -> bool:
        """A User of unit kerja only (no whole satker)."""
        return bool(self.lingkup) and all(u is not None for _, u in self.lingkup)

    @property
    def sees_all(self) -> bool:
        """Every satker (Admin, Super User)."""
        return PERAN.get(self.role) == "semua"

    @property
    def sendiri(self) -> bool:
        """Limited to the own satker / unit kerja (a User): its pages default to them and
        leave out the agency-wide reports."""
        return PERAN.get(self.role) == "sendiri"

    @property
    def hanya_dashboard(self) -> bool:
        """Only the dashboard's public figures (Publik)."""
        return PERAN.get(self.role) == "dashboard"

    @property
    def mengelola(self) -> bool:
        """May administer SPEKTRA (/admin: users, uploads, rollback)."""
        return self.role in MENGELOLA

    def tolak(self, satker: str | None, unit: str | None = None, *, public: bool = False,
              pemilik_unit: str | None = None) -> str | None:
        """Why this user may not see satker / unit kerja (None: may see it). `public`:
        the dashboard's agency-wide figures; `pemilik_unit`: the satker `unit` belongs to
        (the store knows it)."""
        if self.sees_all or public:
            return None
        if self.hanya_dashboard:
            return "Pengguna Publik hanya dapat melihat dashboard."
        if satker is None and unit is None:
            return "Laporan seluruh satker hanya untuk Admin dan Super User."
        if unit is not None:
            if satker is not None and pemilik_unit is not None and pemilik_unit != satker:
                return f"Unit kerja {unit} bukan bagian dari satker {satker}."
            satker = satker or pemilik_unit
        if satker not in self.satkers:
            return f"Anda tidak berhak melihat data satker {satker}."
        allowed = self.units_of(satker)
        if allowed is not None and unit not in allowed:
            return f"Anda hanya berhak melihat data unit kerja {', '.join(allowed)}."
        return None

    def boleh(self, satker: str | None, unit: str | None = None, **kw) -> bool:
        """May this user see satker (and unit kerja)? See `tolak`."""
        return self.tolak(satker, unit, **kw) is None


FULL_ACCESS = Access("admin")
