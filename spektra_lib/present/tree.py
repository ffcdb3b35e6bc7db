"""Hierarchical tables (deviasi, Realisasi POK, program s.d. akun) as self-contained HTML.

Each node is one `<tbody class="node">`, so search and paging move whole nodes and the
+/− toggle shows the node's own rencana / realisasi rows. The small script
(assets/tabel.js) and stylesheet travel inside every table's HTML, so a page works from
file:// with nothing else loaded. See present/__init__.py for the CSS classes.
"""
from __future__ import annotations

import hashlib
import math
from functools import cache
from html import escape
from importlib import resources

import numpy as np
import pandas as pd

from .. import parameters
from . import format as fmt

LEVELS = ["satker", "unit", "program", "kegiatan", "kro", "ro", "komponen", "subkomponen",
          "akun", "item"]
WARNA = ("hijau", "kuning", "merah")
BELUM = "belum jatuh tempo"


@cache
def _asset(name: str) -> str:
    return resources.files("spektra_lib.present").joinpath("assets", name).read_text("utf-8")


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


def _wrap(laporan: str, thead: str, bodies: list[str], per_halaman: int = 20, *,
          caption: str = "", placeholder: str = "Kode atau uraian", kelas: str = "pohon") -> str:
    """caption: ready HTML (the caller escapes data in it)."""
    body = "\n".join(bodies)
    tid = "st-" + hashlib.sha1((laporan + body).encode()).hexdigest()[:12]
    pilihan = "".join(f'<option value="{n}"{" selected" if n == per_halaman else ""}>{n}</option>'
                      for n in (10, 20, 50, 100))
    return f"""<div class="spektra-tabel" id="{tid}" data-laporan="{escape(laporan)}" data-per-halaman="{per_halaman}">
{style_block()}
<div class="kontrol"><label>Tampilkan <select class="per-halaman">{pilihan}</select> baris</label>
<label>Cari: <input class="cari" type="search" placeholder="{escape(placeholder)}"></label></div>
<table class="spektra {kelas}">{f"<caption>{caption}</caption>" if caption else ""}
<thead>{thead}</thead>
{body}
</table>
<div class="halaman"><button type="button" class="sebelumnya">&lsaquo; Sebelumnya</button>
<span class="info-halaman"></span>
<button type="button" class="berikutnya">Berikutnya &rsaquo;</button></div>
<script>{_asset('tabel.js')}
window.spektraTabel("{tid}");</script>
</div>"""


def _tbody(i: int, row, anc: list[int], rows_html: str, depth: int) -> str:
    teks = f"{row.get('kode', '') or ''} {row.get('uraian', '') or ''}".lower()
    return (f'<tbody class="node level-{escape(str(row["level"]))}" data-level="{escape(str(row["level"]))}"'
            f' data-kode="{escape(str(row.get("kode", "") or ""))}"'
            f' data-path="{escape(str(row.get("path", "") or ""))}" data-depth="{depth}"'
            f' data-teks="{escape(teks)}" data-induk="{" ".join(map(str, anc))}">\n{rows_html}\n</tbody>')


def _uraian_cell(text: str, depth: int, colspan: int = 1, toggle: bool = False) -> str:
    button = ('<button type="button" class="toggle" aria-expanded="false" '
              'title="Tampilkan rencana dan realisasi">+</button>') if toggle else ""
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return (f'<td class="uraian"{span} style="padding-left:{0.4 + 1.2 * depth:.1f}em">'
            f'{button}{escape(text)}</td>')


# -- deviasi -----------------------------------------------------------------------------

def deviasi_table(df: pd.DataFrame, *, laporan: str, per_halaman: int = 20) -> str:
    """The seed's deviasi screen: per node a title row (kode, uraian, pagu), a Deviasi row
    over Jan..Des, and hidden Rencana / Realisasi rows behind the node's + button.

    Months with empty `warna` (after the reporting month) are blank, never 100 %.
    A cumulative report (rencana_kumulatif) has one node per satker / unit kerja.
    """
    kumulatif = "rencana_kumulatif" in df.columns
    rencana_col = "rencana_kumulatif" if kumulatif else "rencana"
    realisasi_col = "realisasi_kumulatif" if kumulatif else "realisasi"
    suffix = " Kumulatif" if kumulatif else ""
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
    blank = f'<td class="angka belum-jatuh-tempo" title="{BELUM}"></td>'
    bodies = []
    for i, first in enumerate(firsts):
        parent = i + 1 < n and depths[i + 1] > depths[i]
        nomor = str(i + 1) if kumulatif else escape(str(first.get("kode", "") or ""))
        judul = (f'<tr class="judul{" induk" if parent or kumulatif else ""}">'
                 f'<td class="{"no" if kumulatif else "kode"}">{nomor}</td>'
                 f'{_uraian_cell(str(first["uraian"]), depths[i], 11, toggle=True)}'
                 f'<td class="angka pagu" colspan="2">Pagu: {fmt.rupiah(first["pagu"])}</td></tr>')
        rencana, realisasi, deviasi = [], [], []
        for m in range(12):
            w = grid["warna"][i, m]
            rencana.append(f'<td class="angka">{fmt.rupiah(grid[rencana_col][i, m])}</td>')
            if _missing(w) or str(w) == "":
                realisasi.append(blank)
                deviasi.append(blank)
                continue
            w = escape(str(w))
            realisasi.append(f'<td class="angka">{fmt.rupiah(grid[realisasi_col][i, m])}</td>')
            deviasi.append(f'<td class="angka deviasi warna-{w}" data-warna="{w}">'
                           f'{fmt.persen(grid["deviasi_persen"][i, m])}</td>')
        rows = [judul,
                f'<tr class="rencana" hidden><td></td><td class="keterangan">Rencana{suffix}</td>{"".join(rencana)}</tr>',
                f'<tr class="realisasi" hidden><td></td><td class="keterangan">Realisasi{suffix}</td>{"".join(realisasi)}</tr>',
                f'<tr class="deviasi"><td></td><td class="keterangan">Deviasi{suffix}</td>{"".join(deviasi)}</tr>']
        bodies.append(_tbody(i, first, ancestors[i], "\n".join(rows), depths[i]))
    months = "".join(f"<th>{fmt.nama_bulan(m, singkat=True)}</th>" for m in range(1, 13))
    first_col = "No" if kumulatif else "Kode"
    second = "Satker / Unit Kerja" if kumulatif else "Uraian"
    thead = f"<tr><th>{first_col}</th><th>{second}</th>{months}</tr>"
    return _wrap(laporan, thead, bodies, per_halaman)


# -- realisasi POK / program s.d. akun ---------------------------------------------------

# Columns of the report a tree table does not show as columns of their own.
TREE_HIDDEN = {"level", "path", "satuan"}


def _cell(col: str, jenis: str, row) -> str:
    v = row.get(col)
    if jenis == "angka":       # a volume, with its satuan
        text = "" if _missing(v) else f"{fmt.angka(v)} {row.get('satuan') or ''}".strip()
    elif jenis == "persen":
        text = fmt.persen(v)
    else:
        text = fmt.rupiah(v)
    return f'<td class="angka">{escape(text)}</td>'


def hierarchy_table(df: pd.DataFrame, *, laporan: str, per_halaman: int = 20) -> str:
    """One row per node, indented by level, parents bold; items as '- uraian' (the seed).
    Columns: the report's catalog columns but level, path and satuan (with the volume)."""
    from ..reports.catalog import laporan as entry
    columns = [(k.key, k.label, k.jenis) for k in entry(laporan).kolom
               if k.key not in TREE_HIDDEN]
    rows = df.to_dict("records")
    levels = [str(r["level"]) for r in rows]
    depths = _depths(levels)
    ancestors = _ancestors(depths)
    bodies = []
    for i, r in enumerate(rows):
        parent = i + 1 < len(rows) and depths[i + 1] > depths[i]
        item = r["level"] == "item"
        kode = "" if item else str(r.get("kode", "") or "")
        uraian = ("- " if item else "") + str(r.get("uraian", "") or "")
        cells = [f'<td class="kode">{escape(kode)}</td>', _uraian_cell(uraian, depths[i])]
        cells += [_cell(c, jenis, r) for c, _, jenis in columns[2:]]
        tr = f'<tr class="baris{" induk" if parent else ""}">{"".join(cells)}</tr>'
        bodies.append(_tbody(i, r, ancestors[i], tr, depths[i]))
    thead = "<tr>" + "".join(f"<th>{escape(label)}</th>" for _, label, _ in columns) + "</tr>"
    return _wrap(laporan, thead, bodies, per_halaman)
