"""`spektra site`: the published static site for one audience.

Renders what the period still lacks (render/runner.py) in kernels that query the store as
the audience (render/audience.py), then writes the index pages (render/indexes.py):

site/index.html        landing page: the agency dashboard of the latest period + periods
site/<t>/<mm>/index.html              one page per period listing its scopes
site/<t>/<mm>/<scope>/index.html      one page per scope listing its reports
site/assets/                          stylesheet and chart bundle shared by every page
"""
from __future__ import annotations

from pathlib import Path

from ..store import Store, default_path
from . import audience as aud
from . import pages
from .indexes import write_indexes
from .matrix import load_matrix, scopes_from_store
from .runner import NOTEBOOKS, render

AUDIENCES = ("semua", "publik", "satker:KODE", "unit:KODE")


# -- the command -----------------------------------------------------------------------
def latest_period(store_path) -> tuple[int, int]:
    """The period the site opens without one chosen (scopes.latest_period: the same rule
    as the app's pages)."""
    from ..scopes import latest_period as rule
    with Store(store_path, read_only=True) as st:
        return rule(st)


def build_site(*, store_path=None, audience: str = "semua", tahun: int | None = None,
               bulan: int | None = None, out=None, progress: bool = True,
               **render_kw) -> Path:
    """Render what the period still lacks for this audience, then write the index pages.

    audience: publik | satker:KODE | unit:KODE | semua (render/audience.py says what each
    holds). out: the bundle's own folder (default site/ or site-<audience>/). Returns the
    landing page path.
    """
    store_path = Path(store_path) if store_path is not None else default_path()
    matrix = render_kw.pop("matrix", None) or load_matrix()
    scopes = render_kw.pop("scopes", None)
    with Store(store_path, read_only=True) as st:
        bundle = aud.plan(audience, st, scopes if scopes is not None else scopes_from_store(st),
                          matrix)
    if bundle.user and render_kw.get("scheduler"):
        raise ValueError("Situs per satker/unit dirender di mesin ini; tanpa --scheduler.")
    if tahun is None or bulan is None:
        t, b = latest_period(store_path)
        tahun, bulan = tahun or t, bulan or b
    out = Path(out) if out is not None else aud.default_out(audience)
    aud.claim(out, bundle)
    notebooks = render_kw.pop("notebooks", None) or NOTEBOOKS
    with aud.kernels_as(bundle):
        result = render(store_path=store_path, tahun=tahun, bulan=bulan, out=out,
                        progress=progress, matrix=bundle.matrix, scopes=bundle.scopes,
                        notebooks=notebooks, **render_kw)
    if result.failed and progress:
        print(result.pesan())
    pages.ensure_assets(out)
    return write_indexes(out, allowed=bundle.allowed, slugs=bundle.slugs, home=bundle.home)
