"""SAKTI Excel reports that finance staff download by hand (DOMAIN.md §6).

- *Form Cetak POK / RPD DIPA petikan* -> `pok` (layouts/sakti_form_pok.yaml)
- *Daftar SP2D* -> `spp` (layouts/sakti_daftar_sp2d.yaml)

`read_report` is asked about every .xlsx before the generic sheet reader; it returns
None when the workbook is not one of these reports (it looks at the first rows of each
sheet only, so a big canonical workbook costs next to nothing).

Form Cetak POK. Title rows: the satker's code and name (first row), the year (TAHUN
ANGGARAN 2022), the unit of amounts ("dalam ribuan rupiah": detected, never assumed);
the header on row 7; then the budget in tree order, one line per level, the level read from
the shape of the code in column B (program `059.01.WA`, kegiatan `4843`, KRO `4843.EBA`,
RO `EBA.994`, komponen 3 characters, subkomponen 1–2, akun 6 digits); item lines have no
code (or a bullet/dash) and carry volume, satuan, harga satuan, jumlah and the monthly plan;
a text-only line without amounts is a caption and is skipped. The JUMLAH line closes the
budget; what follows it (place, date, signatures) is footer. Items are numbered within
their akun (no_item 1, 2, …). Every level line's jumlah (and monthly plan, where the line
writes one) must equal the sum of the items under it, and the JUMLAH line the sum of all
items: a disagreement is a problem on that line, never corrected. When no item line
carries a monthly plan but akun lines do (an RPD per akun), each akun's plan is spread
over its items in proportion to their jumlah (exact at akun level and above); this is said
in `pok.attrs["catatan"]`.

Daftar SP2D. The header row is found by its column names (title rows may stand above
it); a JUMLAH/TOTAL line ends the list. Mapping onto `spp` is in the layout file.

Every cell is read as text as the user sees it (numbers as Indonesian decimals so that
`1.875` in a number cell is one point eight, not 1875) and parsed by parse.parse_frame;
formula cells are refused; problems name the sheet row.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import schema
from ..schema import BULAN
from ..problems import Problem
from . import layout as layouts
from .parse import RawTable, parse_frame
from .files import cell_text as _cell_text

FORM_POK, DAFTAR_SP2D = "sakti_form_pok", "sakti_daftar_sp2d"
REPORT_LAYOUT = {"pok": FORM_POK, "spp": DAFTAR_SP2D}   # canonical table -> layout name
LEVELS = schema.LEVELS[:-1]      # the level lines above the items
LEVEL_LABEL = {"program": "program", "kegiatan": "kegiatan", "kro": "KRO", "ro": "RO",
               "komponen": "komponen", "subkomponen": "subkomponen", "akun": "akun"}
MONTH_LABEL = BULAN


# -- layout files ----------------------------------------------------------------------
@lru_cache(maxsize=None)
def _extra(name: str) -> dict:
    """The `report:` part of a layout file (what only an Excel report has)."""
    data = yaml.safe_load((layouts.FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))
    return data.get("report") or {}


def _col_index(letters: str) -> int:
    """'A' -> 0, 'AF' -> 31."""
    n = 0
    for ch in letters.strip().upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _col_letter(i: int) -> str:
    """0 -> A, 27 -> AB (openpyxl's own conversion)."""
    from openpyxl.utils import get_column_letter
    return get_column_letter(i + 1)


def _clean_header(h: str) -> str:
    """`JUMLAH BIAYA (Rp)` -> `JUMLAH BIAYA`: what the layout's names are compared with."""
    return re.sub(r"\([^)]*\)", " ", h).strip()


# -- cells -----------------------------------------------------------------------------
def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(cell.value, str) and getattr(cell, "data_type", "s") != "s"
        and cell.value.startswith("="))


class _Sheet:
    """The text of a sheet's rows (1-based row numbers), formula cells refused."""

    def __init__(self, ws, label: str, problems: list[Problem], max_row: int | None = None):
        self.label = label
        self.rows: list[tuple[int, list[str], list[bool]]] = []   # (row, texts, is_number)
        for r_idx, row in enumerate(ws.iter_rows(max_row=max_row), start=1):
            texts, nums = [], []
            for c_idx, cell in enumerate(row):
                if _is_formula(cell):
                    problems.append(Problem(label, r_idx, _col_letter(c_idx), (
                        f"sel {_col_letter(c_idx)}{r_idx} berisi rumus {str(cell.value)!r}: "
                        "rumus tidak diterima sebagai data, simpan nilainya saja")))
                    texts.append("")
                    nums.append(False)
                else:
                    texts.append(_cell_text(cell.value))
                    nums.append(isinstance(cell.value, (int, float))
                                and not isinstance(cell.value, bool))
            while texts and texts[-1] == "":
                texts.pop()
                nums.pop()
            self.rows.append((r_idx, texts, nums))


def _head(ws, n: int) -> list[list[str]]:
    out = []
    for row in ws.iter_rows(max_row=n, values_only=True):
        out.append([_cell_text(v) for v in row])
    return out


# -- recognition -----------------------------------------------------------------------
def _find_header(rows: list[list[str]], lay: layouts.Layout, search: int) -> int | None:
    """0-based index of the first row (among the first `search`) whose cells the layout
    recognises."""
    for i, cells in enumerate(rows[:search]):
        if lay.matches([_clean_header(c) for c in cells if c]):
            return i
    return None


def recognise(ws) -> tuple[str | None, int | None]:
    """(layout name, 1-based header row) of a worksheet, or (None, None)."""
    pok_x, sp_x = _extra(FORM_POK), _extra(DAFTAR_SP2D)
    n = max(int(pok_x.get("header_search", 15)), int(sp_x.get("header_search", 30)))
    head = _head(ws, n)
    for name, x in ((DAFTAR_SP2D, sp_x), (FORM_POK, pok_x)):
        i = _find_header(head, layouts.load(name), int(x.get("header_search", 15)))
        if i is not None:
            return name, i + 1
    return None, None


class _Peek:
    """The first rows of a calamine sheet, shaped like openpyxl's iter_rows for _head."""

    def __init__(self, sheet):
        self.sheet = sheet

    def iter_rows(self, max_row: int, values_only: bool = True):
        for i, row in enumerate(self.sheet.iter_rows()):
            if i >= max_row:
                break
            yield row


def _may_be_report(path: Path) -> bool:
    """A quick look with calamine (no openpyxl load, which parses every sheet of a
    workbook without a stored dimension just to size it: 9 s on a 37,000-row canonical
    workbook). True when calamine cannot tell: the careful path then decides."""
    try:
        from .peek import Rows, heads     # one calamine load shared with GLP039 and RKK
        return any(recognise(Rows(rows))[0] for _, rows in heads(path))
    except Exception:  # noqa: BLE001 -- not readable here: let openpyxl say
        return True


def read_report(path: Path, label: str, problems: list[Problem],
                tahun: int | None = None) -> dict[str, pd.DataFrame] | None:
    """{canonical table: frame with the schema's columns plus `_file`, `_row`} for a SAKTI
    Excel report; None when `path` is not one (the caller reads it as a plain sheet)."""
    import openpyxl
    if not _may_be_report(path):
        return None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 -- not a workbook we can open: the generic reader says why
        return None
    try:
        try:
            sheets = [(ws, *recognise(ws)) for ws in wb.worksheets]
        except Exception:  # noqa: BLE001
            return None
        if not any(kind for _, kind, _ in sheets):
            return None
        out: dict[str, list[pd.DataFrame]] = {}
        for ws, kind, hrow in sheets:
            name = label if len(sheets) == 1 else f"{label}[{ws.title}]"
            if kind is None:
                if any(any(c for c in r) for r in _head(ws, 50)):
                    problems.append(Problem(name, None, None, (
                        "lembar ini bukan Form Cetak POK atau Daftar SP2D, padahal lembar lain "
                        "di buku kerja ini laporan SAKTI: pisahkan ke berkas lain")))
                continue
            n0 = len(problems)
            try:
                sheet = _Sheet(ws, name, problems)
                if kind == FORM_POK:
                    from .sakti_form_pok import read_form_pok_sheet
                    df = read_form_pok_sheet(sheet, hrow, problems, tahun)
                    table = "pok"
                else:
                    df = _read_sp2d_sheet(sheet, hrow, problems)
                    table = "spp"
            except Exception as e:  # noqa: BLE001 -- never a traceback for a user's file
                del problems[n0:]
                problems.append(Problem(name, None, None, (
                    f"{layouts.load(kind).title} tidak dapat dibaca: {type(e).__name__}: {e}")))
                continue
            if df is not None:
                out.setdefault(table, []).append(df)
        res = {}
        for t, dfs in out.items():
            res[t] = pd.concat(dfs, ignore_index=True) if len(dfs) > 1 else dfs[0]
            notes = [n for d in dfs for n in d.attrs.get("catatan", [])]
            if notes:
                res[t].attrs["catatan"] = notes
        return res
    finally:
        wb.close()


# -- shared by both readers ----------------------------------------------------------
def _raw(label: str, names: list[str], cells: list[list[str]], rows: list[int]) -> RawTable:
    df = pd.DataFrame([(c + [""] * len(names))[:len(names)] for c in cells], columns=names,
                      dtype=object)
    if not len(df):
        df = pd.DataFrame(columns=names, dtype=object)
    return RawTable(label, Path(label), df, np.array(rows, dtype=int), [])


def _header_names(cells: list[str]) -> list[str]:
    """Column names as the user sees them: the header text, or the column letter where the
    header is empty or repeated."""
    seen, out = set(), []
    for i, c in enumerate(cells):
        name = c if c and c not in seen else _col_letter(i)
        seen.add(name)
        out.append(name)
    return out


def _rupiah(v: float) -> str:
    from .parse import _indonesian
    s = _indonesian(pd.Series([v]))[0]
    return s[:-3] if s.endswith(",00") else s



# -- Daftar SP2D ---------------------------------------------------------------------------
def read_daftar_sp2d(raw: RawTable, problems: list[Problem],
                     header_row: int | None = None) -> pd.DataFrame | None:
    """Daftar SP2D lines (header = raw.df's columns, as written) -> canonical spp."""
    lay, x = layouts.load(DAFTAR_SP2D), _extra(DAFTAR_SP2D)
    label = raw.name
    header = list(raw.df.columns)
    hrow = header_row or (int(raw.rows[0]) - 1 if len(raw.rows) else 1)
    missing = lay.missing(header)
    for miss in missing:
        problems.append(Problem(label, hrow, miss, "kolom wajib tidak ada di Daftar SP2D"))
    if missing:
        return None
    spec = lay.spec(header)
    df = parse_frame(raw, spec, problems)
    src = {f: s for f, (s, _) in spec.items()}
    seen = {(p.row, p.column) for p in problems if p.file == label}
    rows = df["_row"].to_numpy()

    def need(field):
        for i in np.flatnonzero(df[field].isna().to_numpy()):
            if (int(rows[i]), src[field]) not in seen:
                problems.append(Problem(label, int(rows[i]), src[field], "wajib diisi"))
    for f in ("kode_satker", "no_sp2d", "tgl_sp2d", "nilai_sp2d"):
        need(f)
    no_jenis = df["jenis_spm"].isna() & df["jenis_sp2d"].isna()
    for i in np.flatnonzero(no_jenis.to_numpy()):
        problems.append(Problem(label, int(rows[i]), src["jenis_spm"], "wajib diisi"))
    ks = df["kode_satker"]
    bad = ks.notna() & ~ks.astype("string").str.fullmatch(r"\d{6}").fillna(False).astype(bool)
    for i in np.flatnonzero(bad.to_numpy()):
        problems.append(Problem(label, int(rows[i]), src["kode_satker"], (
            f"kode satker harus 6 digit: {ks.iloc[i]!r} (nol di depan hilang? simpan sebagai "
            "teks)")))
    rupiah = {s.upper() for s in x.get("rupiah", ["IDR", ""])}
    cur = df["mata_uang"].fillna("").astype(str).str.strip().str.upper()
    idr = cur.isin(rupiah).to_numpy()
    sp2d = df["nilai_sp2d"].astype(float)
    pot = df["potongan"].astype(float).fillna(0.0)
    gross = df["nilai_spm"].astype(float).where(df["nilai_spm"].notna(), sp2d + pot)
    ekv = df["nilai_ekuivalen"].astype(float)
    nilai = pd.Series(np.nan, index=df.index)
    nilai[idr] = gross[idr]
    for i in np.flatnonzero(~idr):
        r = int(rows[i])
        if pd.isna(ekv.iloc[i]):
            problems.append(Problem(label, r, src["nilai_ekuivalen"], (
                f"SP2D dalam {cur.iloc[i]} tanpa Nilai SP2D Ekuivalen (rupiah)")))
        elif pd.isna(sp2d.iloc[i]) or sp2d.iloc[i] == 0:
            if (r, src["nilai_sp2d"]) not in seen and pd.notna(sp2d.iloc[i]):
                problems.append(Problem(label, r, src["nilai_sp2d"], (
                    f"SP2D dalam {cur.iloc[i]} dengan Nilai SP2D 0: kurs tidak dapat dihitung")))
        else:   # the rate the SP2D used, applied to the gross amount
            nilai.iloc[i] = round(float(gross.iloc[i]) * float(ekv.iloc[i]) / float(sp2d.iloc[i]), 2)
    # Nilai SPM − Potongan = Nilai SP2D, and in rupiah Nilai SP2D Ekuivalen = Nilai SP2D
    has_spm = df["nilai_spm"].notna() & sp2d.notna()
    off = has_spm & ((df["nilai_spm"].astype(float) - pot - sp2d).abs() > 1)
    for i in np.flatnonzero(off.to_numpy()):
        problems.append(Problem(label, int(rows[i]), src["nilai_sp2d"], (
            f"Nilai SPM ({_rupiah(df['nilai_spm'].iloc[i])}) − Potongan ({_rupiah(pot.iloc[i])}) "
            f"tidak sama dengan Nilai SP2D ({_rupiah(sp2d.iloc[i])})")))
    off = pd.Series(idr, index=df.index) & ekv.notna() & sp2d.notna() & ((ekv - sp2d).abs() > 1)
    for i in np.flatnonzero(off.to_numpy()):
        problems.append(Problem(label, int(rows[i]), src["nilai_ekuivalen"], (
            f"SP2D rupiah: Nilai SP2D Ekuivalen ({_rupiah(ekv.iloc[i])}) tidak sama dengan "
            f"Nilai SP2D ({_rupiah(sp2d.iloc[i])})")))
    inv = df["nomor_invoice"]
    out = pd.DataFrame({
        "kode_satker": ks,
        "kode_unit": None,
        "no_spp": inv.where(inv.notna(), df["no_sp2d"]),
        "tgl_spp": df["tanggal_invoice"].where(df["tanggal_invoice"].notna(), df["tgl_sp2d"]),
        "no_spm": None,
        "tgl_spm": pd.NaT,
        "no_sp2d": df["no_sp2d"],
        "tgl_sp2d": df["tgl_sp2d"],
        "uraian": df["deskripsi"],
        "jenis_spp": df["jenis_spm"].where(df["jenis_spm"].notna(), df["jenis_sp2d"]),
        "nilai": nilai.astype(float),
        "status": x.get("status", "SP2D terbit"),
        # beside Nilai SPM (the gross `nilai`): what was withheld and what was paid out,
        # in rupiah (issue 24); the rate of a foreign-currency SP2D is its own
        "potongan": (pot * np.where(idr, 1.0, (ekv / sp2d).to_numpy(float))).round(2),
        "nilai_bersih": sp2d.where(pd.Series(idr, index=df.index), ekv).astype(float),
    })
    out["tgl_spm"] = pd.to_datetime(out["tgl_spm"])
    out["_file"] = label
    out["_row"] = df["_row"].astype("int64")
    return out


def _read_sp2d_sheet(sheet: _Sheet, hrow: int, problems: list[Problem]) -> pd.DataFrame | None:
    x = _extra(DAFTAR_SP2D)
    lay = layouts.load(DAFTAR_SP2D)
    header_cells = next(cells for r, cells, _ in sheet.rows if r == hrow)
    names = _header_names(header_cells)
    got = lay.resolve(names)
    words = [w.upper() for w in x.get("total_words", ["JUMLAH", "TOTAL"])]
    body = []
    for r, cells, _ in sheet.rows:
        if r <= hrow or not any(cells):
            continue
        cells = (cells + [""] * len(names))[:max(len(names), len(cells))]
        no = cells[names.index(got["no_sp2d"][0])] if "no_sp2d" in got else ""
        first = next((c for c in cells if c), "").upper()
        if not no and any(first == w or first.startswith(w + " ") for w in words):
            break     # the JUMLAH line: the rest is footer
        body.append((r, cells))
    width = max([len(names)] + [len(c) for _, c in body])
    names = names + [_col_letter(i) for i in range(len(names), width)]
    raw = _raw(sheet.label, names, [c for _, c in body], [r for r, _ in body])
    return read_daftar_sp2d(raw, problems, header_row=hrow)
