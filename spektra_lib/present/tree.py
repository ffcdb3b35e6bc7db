"""Hierarchical tables (deviasi, Realisasi POK, program s.d. akun) as self-contained HTML.

Each node is one `<tbody class="node">`, so search and paging move whole nodes and the
+/− toggle shows the node's own rencana / realisasi rows. The small script
(assets/tabel.js) and stylesheet travel inside every table's HTML, so a page works from
file:// with nothing else loaded. See present/__init__.py for the CSS classes.

The HTML comes from Jinja templates (present/templates/) with autoescape on: this module
hands them plain strings, so data text can never become markup. Column widths come from
the catalog's width classes (`th.w-sempit|sedang|lebar`, present/assets/tabel.css).
"""
from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .. import parameters, schema
from . import format as fmt
from .kolom import ANGKA, jenis as jenis_kolom

LEVELS = schema.REPORT_LEVELS
WARNA = ("hijau", "kuning", "merah")
BELUM = "belum jatuh tempo"
# Stands for the table id while the content is hashed; '<' never survives autoescape, so
# no data text can be mistaken for it.
_TID = "<tid>"


@cache
def _asset(name: str) -> str:
    return resources.files("spektra_lib.present").joinpath("assets", name).read_text("utf-8")


@cache
def env() -> Environment:
    return Environment(loader=PackageLoader("spektra_lib.present", "templates"),
                       autoescape=True, trim_blocks=False, lstrip_blocks=False)


def warna_rgb() -> dict[str, str]:
    """{'hijau': '#C6EFCE', ...} from parameters/deviasi.yaml."""
    rgb = parameters.load("deviasi").get("rgb", {})
    return {w: "#" + str(rgb[w]).lstrip("#") for w in WARNA if w in rgb}


def style_block() -> str:
    colours = "".join(f".spektra-tabel td.warna-{w} {{ background: {c}; }}\n"
                      for w, c in warna_rgb().items())
    return f"<style>\n{_asset('tabel.css')}{colours}</style>"


def _missing(x) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


def _text(x) -> str:
    return "" if _missing(x) else str(x)


def _depths(levels: list[str]) -> list[int]:
    """Indentation depth: scope rows at 0, program at 1, ... (a unit under a satker at 1)."""
    out = []
    for lv in levels:
        d = LEVELS.index(lv) if lv in LEVELS else 0
        out.append(max(d - 1, 0) if d >= 1 else 0)
    return out


def _ancestors(depths: list[int]) -> list[list[int]]:
    """For each node, the indices of the nodes above it (from the depth sequence)."""
    stack: list[tuple[int, int]] = []
    out = []
    for i, d in enumerate(depths):
        while stack and stack[-1][1] >= d:
            stack.pop()
        out.append([j for j, _ in stack])
        stack.append((i, d))
    return out


def kepala(label: str, lebar: str = "sedang", jenis: str = "teks", kecil: str = "") -> dict:
    """A header cell: its label, width class (catalog WIDTHS) and alignment."""
    return {"label": label, "lebar": lebar, "angka": jenis in ANGKA, "kecil": kecil}


def render_table(template: str, *, laporan: str, kepala: list[dict], nodes: list[dict],
                 per_halaman: int = 20, caption: str = "", placeholder: str = "Kode atau uraian",
                 kelas: str = "pohon", satuan: str = "baris", **extra) -> str:
    """A grouped table from its template. caption: plain text or Markup (the caller's own
    markup only). A table with a single page of groups hides its pager (`ringkas`)."""
    html = env().get_template(template).render(
        tid=Markup(_TID), laporan=laporan, kepala=kepala, nodes=nodes, per_halaman=per_halaman,
        caption=caption, placeholder=placeholder, kelas=kelas, satuan=satuan,
        ringkas=len(nodes) <= 10, style=Markup(style_block()),
        script=Markup(_asset("tabel.js")), **extra)
    tid = "st-" + hashlib.sha1((laporan + html).encode()).hexdigest()[:12]
    return html.replace(_TID, tid)


def _node(i: int, row, anc: list[int], depth: int, **more) -> dict:
    # No data-teks: tabel.js searches data-kode + the uraian cell (one copy of the text).
    return {"level": _text(row.get("level")), "kode": _text(row.get("kode")), "depth": depth,
            "induk": " ".join(map(str, anc)), **more}


# -- deviasi -----------------------------------------------------------------------------

def deviasi_table(df: pd.DataFrame, *, laporan: str, per_halaman: int = 20) -> str:
    """The seed's deviasi screen: per node a title row (kode, uraian, pagu), a Deviasi row
    over Jan..Des, and Rencana / Realisasi rows behind the node's + button (built from the
    node's `data-rencana` / `data-realisasi`, formatted figures separated by "|").

    Months with empty `warna` (after the reporting month) are blank, never 100 %.
    A cumulative report (rencana_kumulatif) has one node per satker / unit kerja.
    """
    kumulatif = "rencana_kumulatif" in df.columns
    rencana_col = "rencana_kumulatif" if kumulatif else "rencana"
    realisasi_col = "realisasi_kumulatif" if kumulatif else "realisasi"
    keys = ["level", "kode", "path"] if "path" in df.columns else ["level", "kode"]
    # One pass over the rows (a satker's detail is thousands of nodes x 12 months).
    node_id = df[keys].astype(str).groupby(keys, sort=False).ngroup().to_numpy()
    n = int(node_id.max()) + 1 if len(df) else 0
    month = df["bulan"].astype(int).to_numpy() - 1
    grid = {}
    for col in (rencana_col, realisasi_col, "deviasi_persen", "warna"):
        a = np.full((n, 12), None, dtype=object)
        a[node_id, month] = df[col].to_numpy(dtype=object)
        grid[col] = a
    firsts = df.groupby(node_id, sort=True).head(1).to_dict("records")
    levels = [str(r["level"]) for r in firsts]
    depths = [0] * n if kumulatif else _depths(levels)
    ancestors = [[] for _ in range(n)] if kumulatif else _ancestors(depths)
    nodes = []
    for i, first in enumerate(firsts):
        parent = i + 1 < n and depths[i + 1] > depths[i]
        bulan = []
        for m in range(12):
            w = grid["warna"][i, m]
            w = "" if _missing(w) else str(w)
            bulan.append({"warna": w, "realisasi": fmt.rupiah(grid[realisasi_col][i, m]),
                          "deviasi": fmt.persen(grid["deviasi_persen"][i, m]) if w else ""})
        # The months after the reporting month are one blank cell (colspan): 26.026 empty
        # cells were 1,7 MB of the central satker's page.
        akhir = next((k for k in range(12, 0, -1) if bulan[k - 1]["warna"]), 0)
        nodes.append(_node(
            i, first, ancestors[i], depths[i], uraian=_text(first["uraian"]),
            kosong=12 - akhir,
            nomor=str(i + 1) if kumulatif else _text(first.get("kode")),
            induk_baris=parent or kumulatif, pagu=fmt.rupiah(first["pagu"]),
            # Rencana / realisasi rows are built by tabel.js when + is pressed: as rows
            # they were 1,7 of the central satker's 3,2 MB page (issue 15 §5).
            data={"rencana": "|".join(fmt.rupiah(grid[rencana_col][i, m]) for m in range(12)),
                  "realisasi": "|".join(c["realisasi"] if c["warna"] else ""
                                        for c in bulan[:akhir])},
            bulan=bulan[:akhir]))
    suffix = " Kumulatif" if kumulatif else ""
    head = [kepala("No" if kumulatif else "Kode", "sempit"),
            kepala("Satker / Unit Kerja" if kumulatif else "Uraian", "keterangan")]
    head += [kepala(fmt.nama_bulan(m, singkat=True), "angka", "rupiah") for m in range(1, 13)]
    return render_table("deviasi.html.j2", laporan=laporan, kepala=head, nodes=nodes,
                        per_halaman=per_halaman, kelas="pohon deviasi", kumulatif=kumulatif,
                        suffix=suffix, atribut={"baris": f"Rencana{suffix}|Realisasi{suffix}"})


# -- realisasi POK / program s.d. akun ---------------------------------------------------

# Columns of the report a tree table does not show as columns of their own.
TREE_HIDDEN = {"level", "path", "satuan"}


def _cell(col: str, jenis: str, row) -> str:
    v = row.get(col)
    shown = jenis_kolom(jenis).tampil(v)
    if col == "volume" and shown:       # with its satuan (the tree has no satuan column)
        return f"{shown} {row.get('satuan') or ''}".strip()
    return shown


def hierarchy_table(df: pd.DataFrame, *, laporan: str, per_halaman: int = 20) -> str:
    """One row per node, indented by level, parents bold; items as '- uraian' (the seed).
    Columns: the report's catalog columns but level, path and satuan (with the volume)."""
    from ..reports.catalog import laporan as entry
    e = entry(laporan)
    columns = [k for k in e.kolom if k.key not in TREE_HIDDEN and not (
        k.key in e.kosong_sembunyi and (k.key not in df.columns or not df[k.key].map(
            _text).str.strip().any()))]
    rows = df.to_dict("records")
    depths = _depths([str(r["level"]) for r in rows])
    ancestors = _ancestors(depths)
    nodes = []
    for i, r in enumerate(rows):
        item = r["level"] == "item"
        nodes.append(_node(
            i, r, ancestors[i], depths[i], induk_baris=i + 1 < len(rows) and depths[i + 1] > depths[i],
            kode_tampil="" if item else _text(r.get("kode")),
            uraian=("- " if item else "") + _text(r.get("uraian")),
            sel=[_cell(k.key, k.jenis, r) for k in columns[2:]]))
    head = [kepala(k.label, k.lebar, k.jenis) for k in columns]
    return render_table("pohon.html.j2", laporan=laporan, kepala=head, nodes=nodes,
                        per_halaman=per_halaman)
