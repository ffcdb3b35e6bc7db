"""Unduh from a Voilà page: the xlsx, docx or pdf of exactly what the page shows.

The page's menu (page/widgets.py `unduh_html`) links to `/unduh/<page>.<fmt>?<the page's
current choices>`; the backend (backend.py `Unduh`) answers with `write()` below, which
reads the same address parameters the page reads (page/link.py: a scope this user may
not see is refused, invalid values are named), opens the store with the asking user's
Access (the store refuses any other scope), computes the page's reports as the page does
(`Halaman`, the same reports the viewer's page shows) and writes them with the export
functions the static site's downloads use (`export.write` / `export.write_parts`).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

FORMATS = ("xlsx", "docx", "pdf")
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf"}


class Invalid(ValueError):
    """An address the page would not accept (its notes, in Indonesian)."""


def write(page: str, fmt: str, query: str, access, folder: Path, store_path=None) -> Path:
    """Write the page's file into `folder`; AksesDitolak for a scope the user may not see,
    Invalid for parameters the page would not accept."""
    from .. import export
    from ..export.common import Meta, catatan, dibuat, posisi_data
    from ..page.notebook import Halaman
    from ..problems import AksesDitolak
    from ..reports import catalog
    from ..store import Store
    if fmt not in FORMATS:
        raise Invalid(f"Format '{fmt}' tidak tersedia; pilihan: {', '.join(FORMATS)}.")
    if not catalog.laporan_halaman(page):
        raise Invalid(f"Halaman '{page}' tidak punya laporan untuk diunduh.")
    with Store(Path(store_path) if store_path else None, read_only=True) as opened:
        store = opened.with_access(access)
        h = Halaman(store=store, interaktif=False, grafik="halaman", tautan_query=query or "")
        if h.ditolak:
            raise AksesDitolak(h.ditolak)
        if h.pesan:
            raise Invalid(" ".join(h.pesan))
        names = [r for r in catalog.laporan_halaman(page) if h.tampak(r)]
        parts = [(r, h.data(r)) for r in names]
        p = h.params
        meta = Meta(judul=catalog.judul(page), scope=h.scope(page), periode=h.periode(page),
                    posisi_data=posisi_data(store, p["tahun"], p["satker"], p["unit"]),
                    dibuat=dibuat())
        path = Path(folder) / filename(page, fmt, p)
        if len(parts) == 1 and parts[0][0] == page:
            df = parts[0][1]
            note = catatan(df)
            if note and not meta.catatan:
                meta = replace(meta, catatan=note)
            return export.write(df, path, report=page, meta=meta)
        return export.write_parts(parts, path, meta=meta)


def filename(page: str, fmt: str, params: dict) -> str:
    """<page>-<satker or unit>-<tahun>-<bulan>.<fmt>, e.g. …-017234-2022-05.pdf."""
    scope = params.get("unit") or params.get("satker") or "semua"
    scope = re.sub(r"[^0-9A-Za-z]", "", str(scope)) or "semua"
    return f"{page}-{scope}-{int(params['tahun'])}-{int(params['bulan']):02d}.{fmt}"
