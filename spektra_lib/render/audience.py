"""Static bundles per audience (`spektra site --audience`): what each one may contain.

publik          the agency dashboard only (its rankings are public by design).
satker:KODE     that satker's pages, its unit kerja's pages (central satker) and a
                dashboard of the satker itself: the two charts. The agency-wide rankings,
                which name every other satker, are left out by the page itself for a User
                (catalog: a report without a satker parameter; page/notebook.py), not
                by editing the notebook.
unit:KODE       that unit kerja's pages and a dashboard of the unit (charts only).
semua           everything (Admin, Super User).

Each bundle lives in its own folder, marked with the audience (`.spektra-audiens`), and
is rendered in kernels that query the store as that audience (env SPEKTRA_AUDIENS →
access.current_access()), so even a faulty page cannot read another satker: the store
refuses it.
"""
from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..access import AUDIENCE_ENV, audience_access, audience_name
from ..store import Access
from .matrix import Scope, slug
from .runner import shutdown_kernel

MARKER = ".spektra-audiens"
DASHBOARD = "dashboard"


@dataclass
class Bundle:
    access: Access
    name: str                       # canonical audience text (semua, publik, satker:K, unit:K/U)
    scopes: list[Scope]
    matrix: dict[str, list[str]]
    home: str | None                # slug of the scope whose dashboard is the landing page

    @property
    def allowed(self) -> dict[str, list[str]] | None:
        """Reports per scope kind for the index pages (None: all)."""
        if self.name == "semua":
            return None
        m = self.matrix
        return {"semua": m.get("semua", []), "unit": m.get("unit", []),
                "satker": m.get("satker", []) + [r for r in m.get("pusat", [])
                                                 if r not in m.get("satker", [])]}

    @property
    def slugs(self) -> set[str] | None:
        return None if self.name == "semua" else {s.slug for s in self.scopes}

    @property
    def user(self) -> bool:
        return self.access.sendiri


def default_out(audience: str) -> Path:
    """site/ for semua, site-<audience>/ otherwise (a bundle never shares a folder)."""
    name = audience.strip().lower()
    return Path("site") if name == "semua" else Path("site-" + slug(name.replace(":", "-")
                                                                     .replace("/", "-")))


def plan(audience: str, store, scopes: list[Scope], matrix: dict) -> Bundle:
    """The scopes and reports of one audience, from all scopes and the render matrix."""
    access = audience_access(audience, store)
    name = audience_name(access)
    if name == "semua":
        return Bundle(access, name, scopes, matrix, "semua")
    if access.hanya_dashboard:
        return Bundle(access, name, [s for s in scopes if s.kind == "semua"],
                      {"semua": list(matrix.get("publik", [DASHBOARD]))}, "semua")
    with_dash = lambda names: [DASHBOARD] + [n for n in names if n != DASHBOARD]  # noqa: E731
    mine = [s for s in scopes if s.kind in ("satker", "unit")
            and access.boleh(s.satker, s.unit if s.kind == "unit" else None)]
    if any(u is None for _, u in access.lingkup):      # a whole satker (or several)
        home = next((s for s in mine if s.kind == "satker"), None)
        sub = {"satker": with_dash(matrix.get("satker", [])), "pusat": matrix.get("pusat", []),
               "unit": list(matrix.get("unit", []))}
    else:
        home = mine[0] if mine else None
        sub = {"unit": with_dash(matrix.get("unit", []))}
    if home is None:
        raise ValueError(f"Audiens '{audience}': tidak ada halaman untuk scope itu di store.")
    return Bundle(access, name, mine, sub, home.slug)


@contextlib.contextmanager
def kernels_as(bundle: Bundle):
    """Kernels started inside see the store as this audience (fresh kernel before/after)."""
    old = os.environ.get(AUDIENCE_ENV)
    shutdown_kernel()
    os.environ[AUDIENCE_ENV] = bundle.name
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(AUDIENCE_ENV, None)
        else:
            os.environ[AUDIENCE_ENV] = old
        shutdown_kernel()


def claim(out: Path, bundle: Bundle) -> None:
    """Mark `out` as this audience's folder; refuse one that holds another audience."""
    out = Path(out)
    marker = out / MARKER
    if marker.exists():
        held = json.loads(marker.read_text(encoding="utf-8")).get("audiens")
        if held != bundle.name:
            raise ValueError(f"Folder {out} berisi situs audiens '{held}'; pakai --out lain "
                             f"untuk audiens '{bundle.name}'.")
    elif bundle.name != "semua" and any(out.glob("[0-9][0-9][0-9][0-9]/*")):
        raise ValueError(f"Folder {out} sudah berisi laporan lain; pakai --out yang kosong "
                         f"untuk audiens '{bundle.name}'.")
    out.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"audiens": bundle.name}), encoding="utf-8")
