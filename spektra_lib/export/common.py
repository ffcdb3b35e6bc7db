"""What every export format shares: the title block (Meta) and the table as people read it.

A report's tidy DataFrame becomes one or more `Grid`s — Indonesian headers, a display
kind per cell, outline level, bold parents, colour fills — and each format only draws
grids. So Excel, Word, PDF and HTML show the same rows, labels and colours.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import parameters
from ..present import format as fmt

# The tidy columns of CONTRACT.md §2, in order: the CSV header is exactly this.
CONTRACT_COLUMNS: dict[str, list[str]] = {
    **{name: ["peringkat", "kode", "nama", "pagu", "realisasi", "persen_realisasi", "sisa"]
       for name in ("ranking_satker", "ranking_unit", "ranking_prioritas_nasional",
                    "realisasi_satker")},
    "deviasi_detail": ["level", "kode", "path", "uraian", "bulan", "pagu", "rencana",
                       "realisasi", "deviasi_persen", "warna"],
    "deviasi_kumulatif": ["level", "kode", "uraian", "bulan", "pagu", "rencana_kumulatif",
                          "realisasi_kumulatif", "deviasi_persen", "warna"],
    "realisasi_pok": ["level", "kode", "path", "uraian", "volume", "satuan", "harga_satuan",
                      "pagu", "realisasi", "persen_realisasi", "sisa"],
    "realisasi_akun": ["level", "kode", "path", "uraian", "pagu", "realisasi",
                       "persen_realisasi", "sisa"],
    "monitoring_spp": ["no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d", "tgl_sp2d",
                       "uraian", "jenis_spp", "nilai", "status", "kode_unit"],
    "grafik_rpd_realisasi": ["bulan", "rencana_kumulatif", "realisasi_kumulatif"],
    "grafik_target_realisasi": ["bulan", "jenis_belanja", "target_persen", "realisasi_persen"],
    "capaian_output": ["path", "nama_ro", "strategis", "bulan", "target_volume", "satuan",
                       "rvro_kumulatif", "pcro_kumulatif", "ppa", "gap", "status",
                       "pelanggaran", "keterangan_draf"],
}

CHART_REPORTS = ("grafik_rpd_realisasi", "grafik_target_realisasi")
# Reports shown per node with Rencana / Realisasi / Deviasi rows and months as columns,
# as the seed's screens do; their tidy long shape goes to a second Excel sheet.
WIDE_REPORTS = {
    "deviasi_detail": ("rencana", "realisasi", ("Rencana", "Realisasi", "Deviasi")),
    "deviasi_kumulatif": ("rencana_kumulatif", "realisasi_kumulatif",
                          ("Rencana Kumulatif", "Realisasi Kumulatif", "Deviasi Kumulatif")),
}

LEVELS = ["satker", "unit", "program", "kegiatan", "kro", "ro", "komponen", "subkomponen",
          "akun", "item"]
# Excel allows outline levels 0..7: the scope row stays at 0 with the programs (it is the
# total, always visible) so that item rows can still fold under their akun.
OUTLINE = {"satker": 0, "unit": 0, "program": 0, "kegiatan": 1, "kro": 2, "ro": 3,
           "komponen": 4, "subkomponen": 5, "akun": 6, "item": 7}

HEADERS = {
    "peringkat": "No", "kode": "Kode", "nama": "Nama Satker / Unit Kerja", "pagu": "Pagu",
    "realisasi": "Realisasi", "persen_realisasi": "% Realisasi", "sisa": "Sisa",
    "level": "Level", "path": "Kode Lengkap", "uraian": "Uraian", "bulan": "Bulan",
    "rencana": "Rencana (RPD)", "deviasi_persen": "Deviasi", "warna": "Warna",
    "rencana_kumulatif": "Rencana Kumulatif", "realisasi_kumulatif": "Realisasi Kumulatif",
    "volume": "Volume", "satuan": "Satuan", "harga_satuan": "Harga Satuan",
    "no_spp": "No SPP", "tgl_spp": "Tgl SPP", "no_spm": "No SPM", "tgl_spm": "Tgl SPM",
    "no_sp2d": "No SP2D", "tgl_sp2d": "Tgl SP2D", "jenis_spp": "Jenis SPP", "nilai": "Nilai",
    "status": "Status", "kode_unit": "Unit Kerja", "jenis_belanja": "Jenis Belanja",
    "target_persen": "Target", "realisasi_persen": "Realisasi",
    "nama_ro": "Nama RO", "strategis": "Strategis", "target_volume": "Target Volume",
    "rvro_kumulatif": "RVRO Kumulatif", "pcro_kumulatif": "PCRO Kumulatif", "ppa": "PPA",
    "gap": "Gap", "pelanggaran": "Pelanggaran", "keterangan_draf": "Draf Keterangan",
}
HEADER_OVERRIDES = {
    "realisasi_pok": {"pagu": "Jumlah Biaya"},
    "ranking_satker": {"nama": "Nama Satker"},
    "ranking_unit": {"nama": "Nama Unit Kerja"},
    "ranking_prioritas_nasional": {"nama": "Nama Unit Kerja"},
}
# The same column name means another thing in a report outside CONTRACT §2.
KIND_OVERRIDES = {"ikpa_estimasi": {"nilai": "angka"}}
KOSONG = "Tidak ada data untuk pilihan ini."
RUPIAH = {"pagu", "realisasi", "sisa", "rencana", "rencana_kumulatif", "realisasi_kumulatif",
          "harga_satuan", "nilai"}
PERSEN = {"persen_realisasi", "deviasi_persen", "target_persen", "realisasi_persen",
          "pcro_kumulatif", "ppa", "gap"}
ANGKA = {"volume", "target_volume", "rvro_kumulatif"}
INT = {"peringkat", "strategis"}
JENIS_BELANJA = {"51": "51 Pegawai", "52": "52 Barang", "53": "53 Modal", "57": "57 Bansos"}


def missing(x) -> bool:
    return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


def colours() -> dict[str, str]:
    """warna -> RRGGBB from parameters/deviasi.yaml."""
    return {k: str(v).upper() for k, v in parameters.load("deviasi")["rgb"].items()}


# -- title block ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Meta:
    judul: str
    scope: str = ""
    periode: str = ""
    tanggal_data: str = ""
    catatan: str = ""

    def lines(self) -> list[tuple[str, str]]:
        """The labelled lines under the title, in reading order, empty ones left out."""
        rows = [("Satker / Unit Kerja", self.scope), ("Periode", self.periode),
                ("Tanggal data", self.tanggal_data), ("Catatan", self.catatan)]
        return [(k, v) for k, v in rows if v]


def build_meta(store, report: str, df: pd.DataFrame, **params) -> Meta:
    from .. import reports
    tahun, bulan = params.get("tahun"), params.get("bulan")
    periode = ""
    if tahun and bulan:
        ranged = "bulan_dari" in _accepted(report)
        periode = fmt.periode(tahun, bulan, (params.get("bulan_dari") or 1) if ranged else None)
    return Meta(judul=reports.TITLES.get(report, report),
                scope=scope_name(store, params.get("satker"), params.get("unit")),
                periode=periode, tanggal_data=tanggal_data(store),
                catatan=catatan(df))


def _accepted(report: str) -> list[str]:
    from .. import reports
    try:
        return reports.parameters_of(report)
    except (ValueError, ImportError, AttributeError):
        return []


def catatan(df: pd.DataFrame) -> str:
    note = df.attrs.get("catatan") or ""
    if isinstance(note, (list, tuple)):
        note = "; ".join(str(n) for n in note if n)
    return str(note)


def tanggal_data(store) -> str:
    """The latest ingest time, as '22 November 2026'; empty for a store never loaded."""
    waktu = store.scalar("SELECT max(waktu) FROM ingest_log")
    return fmt.tanggal_panjang(waktu) if waktu is not None else ""


def scope_name(store, satker: str | None, unit: str | None) -> str:
    try:
        from ..reports.scopes import nama_scope
    except ImportError:
        nama_scope = None
    if nama_scope is not None:
        return nama_scope(store, satker, unit)
    # Until reports.scopes lands: the names straight from the store.
    if unit:
        nama = store.scalar("SELECT nama_unit FROM unit_kerja WHERE kode_unit = ?", [unit])
        return nama or unit
    if satker:
        nama = store.scalar("SELECT nama_satker FROM satker WHERE kode_satker = ?", [satker])
        return f"{satker} {nama}" if nama else satker
    return "Seluruh Satker"


# -- the table as people read it ----------------------------------------------------------
@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"     # text, rupiah, persen, angka, int, tanggal
    width: int = 12        # characters, a hint for Excel and Word


@dataclass
class Row:
    values: list
    kinds: list[str]
    outline: int = 0
    bold: bool = False
    fills: dict[int, str] = field(default_factory=dict)    # column index -> RRGGBB
    indent: int = 0


@dataclass
class Grid:
    title: str            # sheet name
    columns: list[Column]
    rows: list[Row]
    hierarchical: bool = False
    text_columns: tuple[int, ...] = ()   # where indent applies (uraian)


def kind_of(col: str, series: pd.Series | None = None, report: str = "") -> str:
    if col in KIND_OVERRIDES.get(report, {}):
        return KIND_OVERRIDES[report][col]
    if col in RUPIAH:
        return "rupiah"
    if col in PERSEN:
        return "persen"
    if col in ANGKA:
        return "angka"
    if col in INT:
        return "int"
    if col.startswith("tgl_") or col in ("tanggal", "batas_waktu"):
        return "tanggal"
    if series is not None and pd.api.types.is_numeric_dtype(series) and col != "bulan":
        return "angka"
    return "text"


def header_of(report: str, col: str) -> str:
    return HEADER_OVERRIDES.get(report, {}).get(col) or HEADERS.get(col) or \
        col.replace("_", " ").title()


def _rank(level) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def _parents(levels: list) -> list[bool]:
    ranks = [_rank(lv) for lv in levels]
    return [i + 1 < len(ranks) and ranks[i + 1] > ranks[i] for i in range(len(ranks))]


def _display_value(col: str, v):
    if missing(v):
        return None
    if col == "bulan":
        return fmt.nama_bulan(int(v))
    if col == "jenis_belanja":
        return JENIS_BELANJA.get(str(v), str(v))
    return v


def grids(df: pd.DataFrame, report: str, *, full: bool) -> list[Grid]:
    """The report as people read it. `full` (Excel) adds the tidy data sheet and paths."""
    if report in WIDE_REPORTS and {"level", "kode", "bulan"} <= set(df.columns):
        out = [wide_grid(df, report)]
        if full:
            out.append(long_grid(df, report, title="Data", plain=True))
        return out
    return [long_grid(df, report, title="Laporan", plain=False, with_path=full)]


def long_grid(df: pd.DataFrame, report: str, *, title: str, plain: bool,
              with_path: bool = True) -> Grid:
    hier = "level" in df.columns and not plain
    keys = list(df.columns)
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
                        indent=max(OUTLINE.get(level, 0), 0) if hier else 0))
    text_cols = tuple(j for j, c in enumerate(cols) if c.key in ("uraian", "nama", "nama_ro"))
    _fit_widths(cols, rows)
    return Grid(title, cols, rows, hierarchical=hier, text_columns=text_cols)


def wide_grid(df: pd.DataFrame, report: str) -> Grid:
    """Per node: Rencana, Realisasi, Deviasi rows; months Jan..Des as columns."""
    plan_col, real_col, labels = WIDE_REPORTS[report]
    cols = [Column("kode", "Kode", "text"), Column("uraian", "Uraian", "text"),
            Column("baris", "Keterangan", "text"), Column("pagu", "Pagu", "rupiah")]
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
    money = ["text", "text", "text", "rupiah"] + ["rupiah"] * 12
    persen = ["text"] * 4 + ["persen"] * 12
    rows: list[Row] = []
    for i, node in enumerate(nodes.to_dict("records")):
        outline = OUTLINE.get(node["level"], 0)
        rows.append(Row([node["kode"], node["uraian"], labels[0], node["pagu"], *plan_m[i]],
                        money, outline=outline, bold=parents[i], indent=outline))
        rows.append(Row([None, None, labels[1], None, *real_m[i]], money, outline=outline))
        fills = {4 + k: fill_of[w] for k, w in enumerate(warna_m[i])
                 if isinstance(w, str) and w in fill_of}
        rows.append(Row([None, None, labels[2], None, *dev_m[i]], persen, outline=outline,
                        fills=fills))
    _fit_widths(cols, rows)
    cols[1].width = min(cols[1].width, 45)
    return Grid("Laporan", cols, rows, hierarchical=True, text_columns=(1,))


def display_text(v, kind: str) -> str:
    """A cell as text, Indonesian style (Word, PDF, HTML)."""
    if missing(v):
        return ""
    if kind == "rupiah":
        return fmt.rupiah(v)
    if kind == "persen":
        return fmt.persen(v)
    if kind == "angka":
        return fmt.angka(v)
    if kind == "int":
        return str(int(v))
    if kind == "tanggal":
        return fmt.tanggal(v)
    return str(v)


def _fit_widths(cols: list[Column], rows: list[Row], cap: int = 60) -> None:
    sample = rows[:500]
    for j, c in enumerate(cols):
        longest = max([len(display_text(r.values[j], r.kinds[j])) + r.indent * (j == 1)
                       for r in sample] + [len(c.header)], default=len(c.header))
        c.width = max(6, min(cap, longest + 2))
