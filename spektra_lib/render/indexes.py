"""The index pages of a rendered site, from what `render` recorded (no store needed).

site/index.html        landing page: the agency dashboard of the latest period + periods
site/<t>/<mm>/index.html              one page per period listing its scopes
site/<t>/<mm>/<scope>/index.html      one page per scope listing its reports
site/assets/                          stylesheet and chart bundle shared by every page

Each period folder keeps `periode.json` (scopes and their rendered reports), written by
`render`, so index pages never need the store.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import modul, pages
from .matrix import Scope

PERIOD_FILE = "periode.json"
GROUPS = {"semua": "Tingkat Instansi", "satker": "Satuan Kerja",
          "unit": "Unit Kerja Kantor Pusat"}


# -- bookkeeping written by render -----------------------------------------------------
def record_period(out: Path, tahun: int, bulan: int, entries: list[tuple[Scope, str]]) -> None:
    """Add (scope, report) pages that now exist to site/<t>/<mm>/periode.json."""
    path = Path(out) / str(tahun) / f"{bulan:02d}" / PERIOD_FILE
    data = _read_json(path) or {"tahun": tahun, "bulan": bulan, "scopes": {}}
    for scope, report in entries:
        s = data["scopes"].setdefault(scope.slug, {"reports": []})
        s.update({"nama": scope.nama, "kind": scope.kind, "satker": scope.satker,
                  "unit": scope.unit})
        if report not in s["reports"]:
            s["reports"].append(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def periods(out: Path) -> list[tuple[int, int, dict]]:
    """Rendered periods, newest first."""
    found = []
    for p in Path(out).glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{PERIOD_FILE}"):
        data = _read_json(p)
        if data:
            found.append((int(data["tahun"]), int(data["bulan"]), data))
    return sorted(found, key=lambda x: (x[0], x[1]), reverse=True)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


# -- index pages -----------------------------------------------------------------------
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(pages.TEMPLATES / "site"),
                       autoescape=select_autoescape(["html", "j2"]))


def _visible(data: dict, allowed: dict[str, list[str]] | None, slugs: set[str] | None = None):
    """(slug, scope info, reports) the audience may see, in the matrix order."""
    for slug, s in data["scopes"].items():
        if slugs is not None and slug not in slugs:
            continue
        reps = s["reports"]
        if allowed is not None:
            reps = [r for r in reps if r in allowed.get(s["kind"], [])]
        if reps:
            yield slug, s, reps


def write_indexes(out: Path, allowed: dict[str, list[str]] | None = None,
                  slugs: set[str] | None = None, home: str = "semua") -> Path:
    """Period, scope and landing pages for everything rendered under `out` (limited to
    `allowed` reports per scope kind and `slugs` scopes; landing: `home`'s dashboard)."""
    out = Path(out)
    tpl = _env().get_template("daftar.html.j2")
    now = datetime.now().strftime("%d/%m/%Y %H:%M")
    all_periods = periods(out)
    for tahun, bulan, data in all_periods:
        label = pages.period_label(tahun, bulan)
        pdir = out / str(tahun) / f"{bulan:02d}"
        groups: dict[str, list] = {}
        for slug, s, reps in _visible(data, allowed, slugs):
            # The scope's row: its name, then its modules (links to the scope page's
            # sections), as the seed's menu groups them.
            groups.setdefault(s["kind"], []).append(
                {"label": s["nama"], "href": f"{slug}/index.html",
                 "tautan": modul.ringkas(reps, f"{slug}/index.html")})
            (pdir / slug / "index.html").write_text(tpl.render(
                root="../../../", judul=s["nama"], dibuat=now,
                keterangan=f"Laporan periode {label}, menurut modul.",
                breadcrumb=[("Beranda", "../../../index.html"), (label, "../index.html"),
                            (s["nama"], None)],
                grup_list=modul.groups(reps)
                + pages.pack_group(pdir / slug, None if allowed is None else reps)),
                encoding="utf-8")
        grup_list = [{"judul": GROUPS.get(k, k), "item": groups[k]}
                     for k in GROUPS if k in groups]
        (pdir / "index.html").write_text(tpl.render(
            root="../../", judul=f"Laporan Periode {label}", dibuat=now,
            keterangan="Pilih satuan kerja atau unit kerja, lalu modulnya.",
            breadcrumb=[("Beranda", "../../index.html"), (label, None)],
            grup_list=grup_list), encoding="utf-8")
    return write_landing(out, all_periods, allowed, slugs, home)


def write_landing(out: Path, all_periods, allowed=None, slugs=None, home="semua") -> Path:
    """index.html: the latest dashboard of `home` (re-exported with root paths), or a list."""
    index = Path(out) / "index.html"
    period_links = [{"label": f"Periode {pages.period_label(t, b)}", "href": f"{t}/{b:02d}/index.html",
                     "aktif": False} for t, b, data in all_periods
                    if any(True for _ in _visible(data, allowed, slugs))]
    menu = _landing_menu(all_periods, allowed, slugs, home)
    for tahun, bulan, data in all_periods:
        dash = Path(out) / str(tahun) / f"{bulan:02d}" / home / "dashboard.ipynb"
        visible = {slug: reps for slug, _, reps in _visible(data, allowed, slugs)}
        if "dashboard" in visible.get(home, []) and dash.exists():
            import nbformat
            nb = nbformat.read(dash, as_version=4)
            ctx = {"root": "", "judul": pages.title("dashboard"),
                   "scope_nama": f"{data['scopes'][home]['nama']} — "
                                 f"{pages.period_label(tahun, bulan)}",
                   "breadcrumb": [("Beranda", None)], "laporan_lain": [],
                   "modul_list": menu, "periode_list": period_links,
                   "scripts": pages.SCRIPTS, "galat": None, "downloads": [],
                   "dibuat": datetime.now().strftime("%d/%m/%Y %H:%M")}
            index.write_text(pages.html(nb, ctx, site=out), encoding="utf-8")
            return index
    tpl = _env().get_template("daftar.html.j2")
    index.write_text(tpl.render(
        root="", judul="SPEKTRA", dibuat=datetime.now().strftime("%d/%m/%Y %H:%M"),
        keterangan="Laporan bulanan perencanaan dan realisasi anggaran.",
        breadcrumb=[("Beranda", None)],
        grup_list=menu + ([{"judul": "Periode", "id": "periode", "item": period_links}]
                          if period_links else [])),
        encoding="utf-8")
    return index


def _landing_menu(all_periods, allowed, slugs, home) -> list[dict]:
    """The landing page's modules: the home scope's pages of the newest period that has
    any (links from the site root)."""
    for tahun, bulan, data in all_periods:
        visible = {slug: reps for slug, _, reps in _visible(data, allowed, slugs)}
        reps = visible.get(home)
        if reps:
            return modul.groups(reps, href=lambda r: f"{tahun}/{bulan:02d}/{home}/{r}.html",
                                aktif="dashboard")
    return []


