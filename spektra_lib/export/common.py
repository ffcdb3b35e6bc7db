"""What every export format shares: the title block (Meta) and the table as people read it.

A report's tidy DataFrame becomes one or more `Grid`s — Indonesian headers, a display
kind per cell, outline level, bold parents, colour fills — and each format only draws
grids. So Excel, Word, PDF and HTML show the same rows, labels and colours.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import parameters, schema, scopes
from ..present import format as fmt
from ..present.kolom import jenis as jenis_kolom
from ..present.kolom import kosong as missing  # noqa: F401  (read from here too)
from ..reports import catalog

# A report's chart, wide style and sheet name: the catalog (reports/catalog.py).
WIDE_STYLE = "deviasi"

LEVELS = schema.REPORT_LEVELS
# Excel allows outline levels 0..7: the scope row stays at 0 with the programs (it is the
# total, always visible) so that item rows can still fold under their akun.
OUTLINE = {"satker": 0, "unit": 0, "program": 0, "kegiatan": 1, "kro": 2, "ro": 3,
           "komponen": 4, "subkomponen": 5, "akun": 6, "item": 7}

KOSONG = "Tidak ada data untuk pilihan ini."


def contract_columns(report: str) -> list[str]:
    """The tidy columns of CONTRACT.md §2, in order: the CSV header is exactly this."""
    return catalog.laporan(report).columns


def colours() -> dict[str, str]:
    """warna -> RRGGBB from parameters/deviasi.yaml."""
    return {k: str(v).upper() for k, v in parameters.load("deviasi")["rgb"].items()}


# -- title block ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Meta:
    judul: str
    scope: str = ""
    periode: str = ""
    tanggal_data: str = ""      # kept for pickles of older runs; not shown
    catatan: str = ""
    posisi_data: str = ""       # the latest date in the scope's data (Store.posisi_data)
    dibuat: str = ""            # when this file was made: never called the data's date

    def lines(self) -> list[tuple[str, str]]:
        """The labelled lines under the title, in reading order, empty ones left out."""
        rows = [("Satker / Unit Kerja", self.scope), ("Periode", self.periode),
                ("Posisi data", self.posisi_data), ("Dibuat", self.dibuat),
                ("Catatan", self.catatan)]
        return [(k, v) for k, v in rows if v]


def build_meta(store, report: str, df: pd.DataFrame, **params) -> Meta:
    tahun, bulan = params.get("tahun"), params.get("bulan")
    periode = ""
    if tahun and bulan:
        jenis = catalog.laporan(report).periode
        if jenis == "keadaan" and not params.get("tanggal"):
            # as of the scope's Posisi data, as the report computes it (issue 27.10)
            from ..reports.capaian import tanggal_acuan
            params = {**params, "tanggal": tanggal_acuan(store, tahun, bulan,
                                                         params.get("satker"))}
        periode = fmt.periode_laporan(jenis, params)
    return Meta(judul=catalog.judul(report),
                scope=scopes.nama_scope(store, params.get("satker"), params.get("unit")),
                periode=periode, catatan=catatan(df),
                posisi_data=posisi_data(store, tahun, params.get("satker"), params.get("unit"),
                                        bulan),
                dibuat=dibuat())


def posisi_data(store, tahun, satker=None, unit=None, bulan=None) -> str:
    """'31 Mei 2022' (scopes.posisi_data), or empty when the scope has no dated data;
    followed by the unit an Excel report was read in, where one was recorded
    ('…; POK dibaca dalam ribuan rupiah (POK.xlsx: tertulis di laporan)', issue 24)."""
    tanggal = scopes.posisi_data(store, tahun, satker, unit, bulan)
    teks = fmt.tanggal_panjang(tanggal) if tanggal is not None else ""
    satuan = fmt.satuan_sumber(scopes.satuan_sumber(store, tahun, satker, unit))
    if satuan:
        teks = f"{teks}; {satuan}" if teks else satuan
    return teks


def dibuat(waktu=None) -> str:
    """'22 November 2026 pukul 14.05': when a page or file was made."""
    from datetime import datetime
    waktu = waktu or datetime.now()
    return f"{fmt.tanggal_panjang(waktu)} pukul {waktu:%H.%M}"


def catatan(df: pd.DataFrame) -> str:
    note = df.attrs.get("catatan") or ""
    if isinstance(note, (list, tuple)):
        note = "; ".join(str(n) for n in note if n)
    return str(note)


def tanggal_data(store) -> str:
    """The latest ingest time, as '22 November 2026'; empty for a store never loaded."""
    waktu = scopes.tanggal_data(store)
    return fmt.tanggal_panjang(waktu) if waktu is not None else ""


# -- the table as people read it ----------------------------------------------------------
@dataclass
class Column:
    key: str
    header: str
    kind: str = "teks"     # the column kind (catalog KINDS; present/kolom.py draws it)
    width: int = 12        # characters, a hint for Excel and Word


@dataclass
class Row:
    values: list
    kinds: list[str]
    outline: int = 0
    bold: bool = False
    fills: dict[int, str] = field(default_factory=dict)    # column index -> RRGGBB
    indent: int = 0
    level: str = ""        # the node's level on its first row (hierarchical grids)


@dataclass
class Grid:
    title: str            # sheet name
    columns: list[Column]
    rows: list[Row]
    hierarchical: bool = False
    text_columns: tuple[int, ...] = ()   # where indent applies (uraian)


def _kolom(report: str, col: str):
    return catalog.LAPORAN[report].kolom_of(col) if report in catalog.LAPORAN else None


def kind_of(col: str, series: pd.Series | None = None, report: str = "") -> str:
    """The catalog's kind of the column; a column the catalog does not declare (a note
    column added later): a number when its values are numbers, else text."""
    k = _kolom(report, col)
    if k is not None:
        return k.jenis
    if series is not None and pd.api.types.is_numeric_dtype(series):
        return "angka"
    return "teks"


def header_of(report: str, col: str) -> str:
    k = _kolom(report, col)
    return k.label if k is not None else col.replace("_", " ").title()


def _rank(level) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def _parents(levels: list) -> list[bool]:
    ranks = [_rank(lv) for lv in levels]
    return [i + 1 < len(ranks) and ranks[i + 1] > ranks[i] for i in range(len(ranks))]


def _pesan_pelanggaran() -> dict[str, str]:
    from ..reports.capaian import legenda_pelanggaran
    return legenda_pelanggaran()


def _display_value(col: str, v):
    """The value a file's cell is drawn from; how each kind reads is present/kolom.py's.
    Two columns read otherwise than their kind (text): the rule codes as their messages,
    the status capitalised as the page's labels."""
    if missing(v):
        return None
    if col == "pelanggaran":
        # the messages a user reads, as on the page; the codes stay in the tidy CSV
        pesan = _pesan_pelanggaran()
        return " ".join(pesan.get(c, c) for c in str(v).split(";") if c) or None
    if col == "status" and isinstance(v, str):
        return v[:1].upper() + v[1:]          # normal -> Normal, as the page's labels
    return v


def grids(df: pd.DataFrame, report: str, *, full: bool) -> list[Grid]:
    """The report as people read it. `full` (Excel) adds the tidy data sheet and paths."""
    wide = report in catalog.LAPORAN and catalog.LAPORAN[report].gaya == WIDE_STYLE
    if wide and {"level", "kode", "bulan"} <= set(df.columns):
        out = [wide_grid(df, report)]
        if full:
            out.append(long_grid(df, report, title="Data", plain=True))
        return out
    return [long_grid(df, report, title="Laporan", plain=False, with_path=full)]


def long_grid(df: pd.DataFrame, report: str, *, title: str, plain: bool,
              with_path: bool = True) -> Grid:
    hier = "level" in df.columns and not plain
    keys = list(df.columns)
    entry = catalog.LAPORAN.get(report)
    if entry is not None and hier:     # as on the tree page: a note column only when used
        keys = [c for c in keys if c not in entry.kosong_sembunyi
                or df[c].map(lambda v: "" if missing(v) else str(v)).str.strip().any()]
    if hier:
        keys = [c for c in keys if c not in ("level", "path")] + \
               (["path"] if with_path and "path" in df.columns else [])
    cols = [Column(c, header_of(report, c), kind_of(c, df[c], report)) for c in keys]
    fill_of = colours()
    parents = _parents(list(df["level"])) if hier else [False] * len(df)
    rows = []
    records = df.to_dict("records")
    for i, rec in enumerate(records):
        values = [_display_value(c.key, rec.get(c.key)) for c in cols]
        fills = {}
        warna = rec.get("warna")
        if isinstance(warna, str) and warna in fill_of:
            for j, c in enumerate(cols):
                if c.key in ("deviasi_persen", "warna"):
                    fills[j] = fill_of[warna]
        if rec.get("status") == "anomali":
            fills.update({j: fill_of.get("merah", "FFC7CE") for j, c in enumerate(cols)
                          if c.key == "status"})
        level = rec.get("level") if hier else None
        rows.append(Row(values, [c.kind for c in cols], outline=OUTLINE.get(level, 0),
                        bold=parents[i], fills=fills,
                        indent=max(OUTLINE.get(level, 0), 0) if hier else 0,
                        level=level or ""))
    if entry is not None and entry.jumlah and records and df.attrs.get("jumlah"):
        rows.append(_jumlah_row(df.attrs["jumlah"], cols))
    text_cols = tuple(j for j, c in enumerate(cols) if c.key in ("uraian", "nama", "nama_ro"))
    _fit_widths(cols, rows)
    return Grid(title, cols, rows, hierarchical=hier, text_columns=text_cols)


def _jumlah_row(total: dict, cols: list[Column]) -> Row:
    """The bold "Jumlah" row (the report's df.attrs["jumlah"]), as on the page."""
    named = [j for j, c in enumerate(cols) if c.key in ("nama", "jenis_belanja")]
    word = named[0] if named else next((j for j, c in enumerate(cols) if c.kind == "teks"), None)
    values = [total.get(c.key, "Jumlah" if j == word else None) for j, c in enumerate(cols)]
    return Row(values, ["teks" if j == word else c.kind for j, c in enumerate(cols)], bold=True)


def wide_columns(report: str) -> tuple[str, str, tuple[str, str, str]]:
    """(rencana column, realisasi column, the three row labels) of a deviasi report."""
    keys = catalog.laporan(report).columns
    plan = next(k for k in keys if k.startswith("rencana"))
    real = next(k for k in keys if k.startswith("realisasi"))
    suffix = " Kumulatif" if plan.endswith("_kumulatif") else ""
    return plan, real, tuple(f"{w}{suffix}" for w in ("Rencana", "Realisasi", "Deviasi"))


def wide_grid(df: pd.DataFrame, report: str) -> Grid:
    """Per node: Rencana, Realisasi, Deviasi rows; months Jan..Des as columns."""
    plan_col, real_col, labels = wide_columns(report)
    cols = [Column("kode", "Kode", "teks"), Column("uraian", "Uraian", "teks"),
            Column("baris", "Keterangan", "teks"), Column("pagu", "Pagu", "rupiah")]
    cols += [Column(f"m{m}", fmt.nama_bulan(m, singkat=True), "rupiah") for m in range(1, 13)]
    fill_of = colours()
    key = ["level", "kode"] + (["path"] if "path" in df.columns else [])
    d = df.copy()
    d["_node"] = d.groupby(key, sort=False, dropna=False).ngroup()
    nodes = d.drop_duplicates("_node").sort_values("_node")
    parents = _parents(list(nodes["level"]))
    pos = (d["_node"].to_numpy(), d["bulan"].astype(int).to_numpy() - 1)

    def months(col: str) -> list[list]:
        # nodes × 12 as plain lists, None for an empty month (after `bulan`)
        grid = np.full((len(nodes), 12), None, dtype=object)
        grid[pos] = [None if missing(v) else v for v in d[col].tolist()]
        return grid.tolist()
    plan_m, real_m, dev_m, warna_m = (months(c) for c in
                                      (plan_col, real_col, "deviasi_persen", "warna"))
    money = ["teks", "teks", "teks", "rupiah"] + ["rupiah"] * 12
    persen = ["teks"] * 4 + ["persen"] * 12
    rows: list[Row] = []
    for i, node in enumerate(nodes.to_dict("records")):
        outline = OUTLINE.get(node["level"], 0)
        rows.append(Row([node["kode"], node["uraian"], labels[0], node["pagu"], *plan_m[i]],
                        money, outline=outline, bold=parents[i], indent=outline,
                        level=node["level"]))
        rows.append(Row([None, None, labels[1], None, *real_m[i]], money, outline=outline))
        fills = {4 + k: fill_of[w] for k, w in enumerate(warna_m[i])
                 if isinstance(w, str) and w in fill_of}
        rows.append(Row([None, None, labels[2], None, *dev_m[i]], persen, outline=outline,
                        fills=fills))
    _fit_widths(cols, rows)
    cols[1].width = min(cols[1].width, 45)
    return Grid("Laporan", cols, rows, hierarchical=True, text_columns=(1,))


# Levels above a kegiatan: named in each kegiatan section's context line.
_ABOVE = {"satker": "Satker", "unit": "Unit Kerja", "program": "Program"}


def sections_by(grid: Grid, level: str = "kegiatan") -> list[tuple[str, str, Grid]]:
    """A long hierarchical grid cut into (heading, context, grid) per node of `level`:
    first the rows above that level ("Ringkasan"), then one table per node with its
    descendants; context names the satker / unit / program it belongs to. One untitled
    part when the grid has no such node (a short table stays one table)."""
    starts = [i for i, r in enumerate(grid.rows) if r.level == level]
    if not starts:
        return [("", "", grid)]

    def part(rows: list[Row]) -> Grid:
        return Grid(grid.title, grid.columns, rows, grid.hierarchical, grid.text_columns)
    above: list[Row] = []
    pieces: list = []           # a Row above the level, or the rows of one node
    current = None
    for r in grid.rows:
        if r.level == level:
            current = [r]
            pieces.append(current)
        elif r.level in _ABOVE:
            current = None
            above.append(r)
            pieces.append(r)
        elif current is not None:
            current.append(r)
        else:
            above.append(r)     # the Realisasi / Deviasi rows of a node above
    out = [("Ringkasan", "", part(above))] if above else []
    chain: dict[str, Row] = {}
    for piece in pieces:
        if isinstance(piece, Row):
            chain[piece.level] = piece
            for lower in list(_ABOVE)[list(_ABOVE).index(piece.level) + 1:]:
                chain.pop(lower, None)
            continue
        head = piece[0]
        heading = f"{level.capitalize()} {head.values[0] or ''} {head.values[1] or ''}".strip()
        context = " · ".join(f"{_ABOVE[lv]} {chain[lv].values[0] or ''} "
                             f"{chain[lv].values[1] or ''}".strip()
                             for lv in _ABOVE if lv in chain)
        out.append((heading, context, part(piece)))
    return out


def display_text(v, kind: str) -> str:
    """A cell as text, Indonesian style (Word, PDF, HTML): its kind's (present/kolom.py)."""
    return jenis_kolom(kind).tampil(v)


def _fit_widths(cols: list[Column], rows: list[Row], cap: int = 60) -> None:
    sample = rows[:500]
    for j, c in enumerate(cols):
        longest = max([len(display_text(r.values[j], r.kinds[j])) + r.indent * (j == 1)
                       for r in sample] + [len(c.header)], default=len(c.header))
        c.width = max(6, min(cap, longest + 2))
