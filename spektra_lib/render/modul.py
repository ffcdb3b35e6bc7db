"""The seed's modules — Dashboard, Modul Perencanaan, Modul Keuangan, Capaian & IKPA — of
a scope's pages, from the catalog (`Halaman.modul`), for the page menus and index pages.

Titles are the catalog's (Indonesian), never file names; the order is the catalog's
`MODUL`, then the pages' order within a module.
"""
from __future__ import annotations

import re
from typing import Callable

from ..reports import catalog

JUDUL = {"Dashboard": "Dashboard", "Perencanaan": "Modul Perencanaan",
         "Keuangan": "Modul Keuangan", "Capaian & IKPA": "Capaian & IKPA",
         "Analis": "Analis"}
LAIN = "Laporan lain"


def modul_of(page: str) -> str:
    if page in catalog.HALAMAN:
        return catalog.HALAMAN[page].modul
    if page in catalog.LAPORAN:
        return catalog.LAPORAN[page].modul
    return LAIN


def anchor(modul: str) -> str:
    """'Modul Keuangan' -> 'modul-keuangan' (the scope page's section id)."""
    return re.sub(r"[^a-z0-9]+", "-", JUDUL.get(modul, modul).lower()).strip("-")


def groups(pages: list[str], href: Callable[[str], str] = lambda p: f"{p}.html",
           aktif: str | None = None) -> list[dict]:
    """[{judul, id, item: [{label, href, keterangan, aktif}]}] per module, in order."""
    by: dict[str, list[dict]] = {}
    order = {name: i for i, name in enumerate(catalog.HALAMAN)}
    for p in sorted(pages, key=lambda p: order.get(p, len(order))):
        h = catalog.HALAMAN.get(p)
        by.setdefault(modul_of(p), []).append(
            {"label": catalog.judul(p), "href": href(p), "aktif": p == aktif,
             "keterangan": h.pengantar if h else ""})
    order = [m for m in catalog.MODUL if m in by] + [m for m in by if m not in catalog.MODUL]
    return [{"judul": JUDUL.get(m, m), "id": anchor(m), "item": by[m]} for m in order]


def ringkas(pages: list[str], href_scope: str) -> list[dict]:
    """A scope's modules as links to its page's sections: [{label, href}] ('Modul
    Keuangan (4)')."""
    out = []
    for g in groups(pages):
        n = len(g["item"])
        out.append({"label": g["judul"] + (f" ({n})" if n > 1 else ""),
                    "href": f"{href_scope}#{g['id']}"})
    return out
