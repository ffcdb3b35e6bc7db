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
from ..problems import Problem
from . import cetak_pok
from . import layout as layouts
from .parse import RawTable, parse_frame
from .files import cell_text as _cell_text

FORM_POK, DAFTAR_SP2D = "sakti_form_pok", "sakti_daftar_sp2d"
REPORT_LAYOUT = {"pok": FORM_POK, "spp": DAFTAR_SP2D}   # canonical table -> layout name
LEVELS = ["program", "kegiatan", "kro", "ro", "komponen", "subkomponen", "akun"]
LEVEL_LABEL = {"program": "program", "kegiatan": "kegiatan", "kro": "KRO", "ro": "RO",
               "komponen": "komponen", "subkomponen": "subkomponen", "akun": "akun"}
MONTH_LABEL = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember"]
WRITE_MONTHS = ["JANUARI", "PEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
                "SEPTEMBER", "OKTOBER", "NOPEMBER", "DESEMBER"]


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
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


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
        from python_calamine import CalamineWorkbook
        wb = CalamineWorkbook.from_path(str(path))
        return any(recognise(_Peek(wb.get_sheet_by_name(n)))[0] for n in wb.sheet_names)
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
                    df = _read_form_pok_sheet(sheet, hrow, problems, tahun)
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


# -- Form Cetak POK ----------------------------------------------------------------------
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


def _title_facts(title: list[tuple[int, list[str]]], label: str, x: dict,
                 problems: list[Problem], tahun: int | None):
    """(kode_satker, nama_satker, tahun, scale) from the title rows."""
    sat_re = re.compile(x["satker"])
    kode = nama = None
    for _, cells in title[:3]:
        for i, c in enumerate(cells):
            m = sat_re.search(c)
            if m:
                kode = m.group(1)
                rest = [t for t in cells[i + 1:] if re.search(r"[A-Za-z]", t)]
                head = re.sub(sat_re, "", c).strip(" :-–")
                nama = rest[0] if rest else (head if re.search(r"[a-z]{3}", head, re.I)
                                             and not re.fullmatch(r"(KODE\s+)?SATKER|SATUAN\s+KERJA",
                                                                  head, re.I) else None)
                break
        if kode:
            break
    if kode is None:
        problems.append(Problem(label, 1, None, (
            "kode satker (6 digit) tidak ditemukan di baris judul laporan")))
    year_re = re.compile(x["year"], re.I)
    found = None
    for r, cells in title:
        for c in cells:
            m = year_re.search(c)
            if m:
                found = (r, int(next(g for g in m.groups() if g)))
                break
        if found:
            break
    year = None
    if found and tahun is not None and found[1] != int(tahun):
        problems.append(Problem(label, found[0], None, (
            f"tahun anggaran di judul laporan ({found[1]}) berbeda dengan --tahun {tahun}")))
    elif found:
        year = found[1]
    elif tahun is not None:
        year = int(tahun)
    else:
        problems.append(Problem(label, None, None, (
            "tahun anggaran tidak tertulis di judul laporan (TAHUN ANGGARAN ....): "
            "beri --tahun")))
    scale = None          # no unit note: decided from evidence (cetak_pok.decide_unit)
    text = " ".join(c for _, cells in title for c in cells).upper()
    for u in x.get("units", []):
        if re.search(u["pattern"], text):
            scale = int(u["scale"])
            break
    m = re.search(x["revision"], text) if x.get("revision") else None
    return kode, nama, year, scale, (int(m.group(1)) if m else None)


def _rupiah(v: float) -> str:
    from .parse import _indonesian
    s = _indonesian(pd.Series([v]))[0]
    return s[:-3] if s.endswith(",00") else s


def read_form_pok(raw: RawTable, problems: list[Problem], tahun: int | None = None,
                  title: list[tuple[int, list[str]]] | None = None,
                  header_row: int | None = None,
                  numeric_code: dict[int, bool] | None = None) -> pd.DataFrame | None:
    """The lines of a Form Cetak POK below its header (raw.df's columns, as written) ->
    canonical pok. `title`: (row, cells) of the rows above the header (satker, year, unit);
    a table without them (a CSV copy) lacks the satker and is refused with that line.
    `numeric_code`: sheet row -> whether its code cell is a number (zeros may be lost)."""
    lay, x = layouts.load(FORM_POK), _extra(FORM_POK)
    if tahun is None:
        tahun = layouts.context().tahun
    label = raw.name
    header = list(raw.df.columns)
    keys = [_clean_header(h) for h in header]
    got = lay.resolve(keys)
    by_key = {}
    for k, h in zip(keys, header):
        by_key.setdefault(k, h)
    hrow = header_row or (int(raw.rows[0]) - 1 if len(raw.rows) else 1)
    for miss in lay.missing(keys):
        problems.append(Problem(label, hrow, miss, "kolom wajib tidak ada di Form Cetak POK"))
    kode_satker, _, year, scale, revisi = _title_facts(title or [], label, x, problems, tahun)
    # the unit may also be written in the header (`JUMLAH (RIBUAN RP)`)
    if scale is None:
        for u in x.get("units", []):
            if re.search(u["pattern"], " ".join(header).upper()):
                scale = int(u["scale"])
                break
    spec = {f: (by_key[k], kind) for f, (k, kind) in got.items()}
    months = [f"rpd_{m:02d}" for m in schema.MONTHS]
    named = [m for m in months if m in spec]
    if named and len(named) < 12:
        problems.append(Problem(label, hrow, None, (
            "kolom bulan rencana penarikan tidak lengkap di header: tidak ada "
            + ", ".join(MONTH_LABEL[int(m[-2:]) - 1] for m in months if m not in spec))))
        return None
    if not named:
        for m, letters in zip(months, x["rpd_columns"]):
            i = _col_index(letters)
            spec[m] = (header[i] if i < len(header) else _col_letter(i), schema.AMOUNT)
            if i >= len(header):
                raw.df[_col_letter(i)] = ""
                header.append(_col_letter(i))
    if lay.missing(keys):
        return None
    # the JUMLAH line closes the budget: rows after it are footer (place, date, signatures)
    cut = _total_line(raw, lay, keys, x)
    if cut is None:
        problems.append(Problem(label, None, None, (
            "baris JUMLAH (jumlah seluruhnya) tidak ditemukan di bawah rincian: laporan "
            "terpotong? unduh ulang Form Cetak POK lengkap")))
        cut = len(raw.df)
    df = parse_frame(RawTable(raw.name, raw.path, raw.df.iloc[:cut].reset_index(drop=True),
                              raw.rows[:cut], []), spec, problems)
    codes = raw.df[spec["kode"][0]].astype(str).str.strip().iloc[:cut]
    is_item = (codes.isin(set(x.get("item_marks", ["-"]))) | (codes == "")).to_numpy(bool)
    scale, harga_scale, how = cetak_pok.decide_unit(df, scale, layouts.context().satuan,
                                                    is_item)
    if scale is None:     # refused; read on in rupiah only to say what else is wrong
        problems.append(Problem(label, None, spec["jumlah"][0], cetak_pok.REFUSAL))
        scale = harga_scale = 1
    elif layouts.in_ingest():
        layouts.context().notes.append(f"{label}: angka Form Cetak POK dibaca dalam {how}.")
    out = _build_pok(df, raw, spec, problems, kode_satker, year, scale, x, label,
                     numeric_code or {}, harga_scale)
    if revisi is not None:
        out.insert(list(out.columns).index("_file"), "revisi",
                   pd.array([revisi] * len(out), dtype="Int64"))
    return out


def _read_form_pok_sheet(sheet: _Sheet, hrow: int, problems: list[Problem],
                         tahun: int | None) -> pd.DataFrame | None:
    label = sheet.label
    title = [(r, cells) for r, cells, _ in sheet.rows if r < hrow]
    header_cells = next(cells for r, cells, _ in sheet.rows if r == hrow)
    names = _header_names(header_cells)
    body = [(r, cells, nums) for r, cells, nums in sheet.rows if r > hrow and any(cells)]
    # a printed copy repeats the header on every page (with column numbers, page marks)
    furniture = cetak_pok.page_rows(header_cells, [(r, c) for r, c, _ in body])
    body = [b for b in body if b[0] not in furniture]
    width = max([len(names)] + [len(c) for _, c, _ in body])
    names = names + [_col_letter(i) for i in range(len(names), width)]
    raw = _raw(label, names, [c for _, c, _ in body], [r for r, _, _ in body])
    lay = layouts.load(FORM_POK)
    keys = [_clean_header(h) for h in names]
    kode_col = lay.resolve(keys).get("kode")
    numeric = {}
    if kode_col:
        ci = keys.index(kode_col[0])
        numeric = {r: nums[ci] for r, _, nums in body if ci < len(nums)}
    return read_form_pok(raw, problems, tahun, title, header_row=hrow, numeric_code=numeric)


def _total_line(raw: RawTable, lay, keys, x) -> int | None:
    got = lay.resolve(keys)
    if "uraian" not in got or "jumlah" not in got:
        return None
    col = {f: raw.df[raw.df.columns[keys.index(k)]].astype(str).tolist()
           for f, (k, _) in got.items()}
    words = [w.upper() for w in x.get("total_words", ["JUMLAH", "TOTAL"])]
    for i in range(len(raw.df)):
        text = " ".join(col[f][i] for f in ("kode", "uraian") if f in col).strip().upper()
        if not any(text == w or text.startswith(w + " ") for w in words):
            continue
        if any(col[f][i].strip() for f in ("volume", "harga_satuan") if f in col):
            continue
        if col["jumlah"][i].strip():
            return i
    return None


def _build_pok(df, raw, spec, problems, kode_satker, year, scale, x, label, numeric_code,
               harga_scale=None):
    months = [f"rpd_{m:02d}" for m in schema.MONTHS]
    amounts = ["jumlah"] + months + (["blokir"] if "blokir" in df.columns else [])
    for c in amounts:
        df[c] = (df[c] * scale).round(2)
    df["harga_satuan"] = (df["harga_satuan"] * (harga_scale or scale)).round(2)
    level_res = [(lv["level"], re.compile(lv["pattern"])) for lv in x["levels"]]
    marks = set(x.get("item_marks", ["-"]))
    col_of = {f: src for f, (src, _) in spec.items()}
    # the JUMLAH line, when found, is the first row after the budget
    total_idx = len(df) if raw.df.shape[0] > len(df) else None
    cur: dict[str, tuple[str, str] | None] = {lv: None for lv in LEVELS}
    node_of: dict[str, int | None] = {lv: None for lv in LEVELS}
    nodes: list[dict] = []            # level lines: level, kode, row, jumlah, rpd, sums
    items: list[dict] = []
    no_item = 0
    bad_before = {(p.row, p.column) for p in problems if p.file == label}
    structural = False       # a line left out of the tree: sums below would only echo it
    records = df.to_dict("records")
    codes = raw.df[col_of["kode"]].astype(str).tolist()
    for i, row in enumerate(records):
        r = int(row["_row"])
        code = codes[i].strip()
        uraian = row["uraian"] if isinstance(row["uraian"], str) else None
        has_amount = any(pd.notna(row[c]) for c in ("volume", "harga_satuan", "jumlah"))
        if code in marks or code == "":
            if not has_amount:
                continue      # a caption (text grouping the items below it)
            missing = [lv for lv in LEVELS if lv != "subkomponen" and cur[lv] is None]
            if missing:
                problems.append(Problem(label, r, col_of["kode"], (
                    f"baris item tanpa {LEVEL_LABEL[missing[-1]]} di atasnya: kode "
                    f"{LEVEL_LABEL[missing[-1]]} tidak ada pada baris sebelumnya")))
                structural = True
                continue
            for f in ("volume", "harga_satuan", "jumlah"):
                if pd.isna(row[f]) and (r, col_of[f]) not in bad_before:
                    problems.append(Problem(label, r, col_of[f], "wajib diisi pada baris item"))
            b = row.get("blokir")
            if b is not None and pd.notna(b) and pd.notna(row["jumlah"]) and \
                    not 0 <= b <= row["jumlah"] + 0.005:
                problems.append(Problem(label, r, col_of["blokir"], (
                    f"blokir ({_rupiah(b)}) di luar 0 s.d. jumlah item ({_rupiah(row['jumlah'])})")))
            no_item += 1
            it = {"_row": r, "no_item": str(no_item), "uraian_item": uraian,
                  "volume": row["volume"], "satuan": row["satuan"],
                  "harga_satuan": row["harga_satuan"], "pagu": row["jumlah"],
                  "_nodes": [node_of[lv] for lv in LEVELS if node_of[lv] is not None]}
            for lv in LEVELS:
                it[lv] = cur[lv]
            for m in months:
                it[m] = row[m]
            items.append(it)
            continue
        if numeric_code.get(r) and len(code) < 4:
            problems.append(Problem(label, r, col_of["kode"], (
                f"kode {code!r} tersimpan sebagai angka: nol di depan mungkin hilang "
                "(komponen/subkomponen), simpan kolom kode sebagai teks")))
            structural = True
            continue
        level = m = None
        for lv, rx in level_res:
            m = rx.fullmatch(code)
            if m:
                level = lv
                break
        if level is None:
            problems.append(Problem(label, r, col_of["kode"], (
                f"kode {code!r} tidak dikenali: program (059.01.WA), kegiatan (4843), KRO "
                "(4843.EBA), RO (EBA.994), komponen (3 karakter), subkomponen (1–2 karakter) "
                "atau akun (6 digit); baris item tanpa kode")))
            structural = True
            continue
        own = m.groups()[-1]
        if level == "kro" and cur["kegiatan"] and m.group(1) != cur["kegiatan"][0]:
            problems.append(Problem(label, r, col_of["kode"], (
                f"KRO {code} menyebut kegiatan {m.group(1)}, padahal kegiatan di atasnya "
                f"{cur['kegiatan'][0]}")))
        if level == "ro" and cur["kro"] and m.group(1) != cur["kro"][0]:
            problems.append(Problem(label, r, col_of["kode"], (
                f"RO {code} menyebut KRO {m.group(1)}, padahal KRO di atasnya "
                f"{cur['kro'][0]}")))
        k = LEVELS.index(level)
        for lv in LEVELS[k:]:
            cur[lv], node_of[lv] = None, None
        cur[level] = (own, uraian)
        node_of[level] = len(nodes)
        nodes.append({"level": level, "kode": code, "row": r, "jumlah": row["jumlah"],
                      "rpd": [row[mm] for mm in months], "sum": 0.0,
                      "sum_rpd": [0.0] * 12, "items": []})
        if level == "akun":
            no_item = 0
    catatan: list[str] = []
    has_item_rpd = any(pd.notna(it[m]) for it in items for m in months)
    if items and not has_item_rpd:
        akun_rpd = [n for n in nodes if n["level"] == "akun" and any(pd.notna(v) for v in n["rpd"])]
        if not akun_rpd:
            problems.append(Problem(label, None, col_of["rpd_01"], (
                "rencana penarikan dana (RPD) bulanan kosong: tidak ada nilai bulan pada baris "
                "item maupun akun")))
        else:
            _spread_rpd(items, nodes, months)
            catatan.append(
                f"{label}: rencana penarikan bulanan hanya tertulis per akun; dibagi ke item "
                "menurut jumlah biaya masing-masing (tepat sampai tingkat akun)")
    for it in items:
        for m in months:
            if pd.isna(it[m]):
                it[m] = 0.0
        for n in it["_nodes"]:
            nodes[n]["sum"] += 0.0 if pd.isna(it["pagu"]) else float(it["pagu"])
            for j, m in enumerate(months):
                nodes[n]["sum_rpd"][j] += float(it[m])
            nodes[n]["items"].append(1)
    # each level line against the items under it; the JUMLAH line against all items. In
    # rupiah a sum is exact (to the cent); in thousands each line may be rounded to half
    # a unit, so a sum of n items may be off by n half-units.
    def tol(n: int) -> float:
        return 0.01 if scale == 1 else 0.5 * scale * max(n, 1)
    jcol = col_of["jumlah"]
    for n in nodes if not structural else ():
        what = f"{LEVEL_LABEL[n['level']]} {n['kode']}"
        n_items = max(len(n["items"]), 1)
        if pd.notna(n["jumlah"]) and abs(n["jumlah"] - n["sum"]) > tol(n_items):
            problems.append(Problem(label, n["row"], jcol, (
                f"jumlah {what} ({_rupiah(n['jumlah'])}) tidak sama dengan jumlah item di "
                f"bawahnya ({_rupiah(n['sum'])})")))
        if has_item_rpd:
            for j, m in enumerate(months):
                v = n["rpd"][j]
                if pd.notna(v) and abs(v - n["sum_rpd"][j]) > tol(n_items):
                    problems.append(Problem(label, n["row"], col_of[m], (
                        f"rencana {MONTH_LABEL[j]} {what} ({_rupiah(v)}) tidak sama dengan "
                        f"jumlah item di bawahnya ({_rupiah(n['sum_rpd'][j])})")))
    if total_idx is not None and not structural:
        _check_total(raw, total_idx, spec, items, months, scale, tol, problems, label)
    out = pd.DataFrame({
        "tahun": pd.array([year] * len(items), dtype="Int64"),
        "kode_satker": [kode_satker] * len(items),
        "kode_unit": [None] * len(items),
        **{f"kode_{lv}": [it[lv][0] if it[lv] else None for it in items] for lv in LEVELS},
        **{f"nama_{lv}": [it[lv][1] if it[lv] else None for it in items] for lv in LEVELS},
        **{c: [it[c] for it in items] for c in ("no_item", "uraian_item", "volume", "satuan",
                                                 "harga_satuan", "pagu", *months)},
    })
    out["prioritas_nasional"] = pd.array([pd.NA] * len(items), dtype="Int64")
    for c in ("volume", "harga_satuan", "pagu", *months):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    out = out[[c for c in schema.POK.names if c in out.columns]]
    out["_file"] = label
    out["_row"] = np.array([it["_row"] for it in items], dtype="int64")
    out.attrs["catatan"] = catatan
    if catatan and layouts.in_ingest():
        layouts.context().notes.extend(catatan)
    return out


def _spread_rpd(items: list[dict], nodes: list[dict], months: list[str]) -> None:
    """Each akun's monthly plan over its items, in proportion to their jumlah; the last
    item takes the rounding rest so that the akun's months add up exactly."""
    by_akun: dict[int, list[dict]] = {}
    for it in items:
        akun = next(n for n in reversed(it["_nodes"]) if nodes[n]["level"] == "akun")
        by_akun.setdefault(akun, []).append(it)
    for a, its in by_akun.items():
        rpd = [0.0 if pd.isna(v) else float(v) for v in nodes[a]["rpd"]]
        w = np.array([0.0 if pd.isna(it["pagu"]) else float(it["pagu"]) for it in its])
        share = w / w.sum() if w.sum() else np.r_[1.0, np.zeros(len(its) - 1)]
        for j, m in enumerate(months):
            parts = np.round(rpd[j] * share, 2)
            parts[-1] = round(rpd[j] - parts[:-1].sum(), 2)
            for it, v in zip(its, parts):
                it[m] = float(v)


def _check_total(raw, idx, spec, items, months, scale, tol, problems, label):
    from .parse import parse_number
    r = int(raw.rows[idx])
    for f in ["jumlah", *months]:
        src = spec[f][0]
        text = pd.Series([str(raw.df[src].iloc[idx]) if src in raw.df.columns else ""])
        val, bad = parse_number(text)
        if bad[0]:
            problems.append(Problem(label, r, src, f"bukan angka yang sah: {text[0]!r}"))
            continue
        if pd.isna(val[0]):
            continue
        v = round(float(val[0]) * scale, 2)
        key = "pagu" if f == "jumlah" else f
        s = sum(0.0 if pd.isna(it[key]) else float(it[key]) for it in items)
        if abs(v - s) > tol(len(items)):
            what = "jumlah seluruhnya" if f == "jumlah" else \
                f"rencana {MONTH_LABEL[months.index(f)]} seluruhnya"
            problems.append(Problem(label, r, src, (
                f"baris JUMLAH: {what} ({_rupiah(v)}) tidak sama dengan jumlah seluruh item "
                f"({_rupiah(s)})")))


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


# -- writers (synthetic generator, tests) -----------------------------------------------------
def _cell(ws, v):
    """A value cell; text that starts with `=` stays text (never a formula)."""
    from openpyxl.cell import WriteOnlyCell
    if isinstance(v, str) and v.startswith("="):
        c = WriteOnlyCell(ws, value=v)
        c.data_type = "s"
        return c
    return v


def _num(v, scale: int = 1):
    if v is None or pd.isna(v):
        return None
    v = float(v) / scale
    return int(v) if v.is_integer() and abs(v) < 1e15 else v


def _text(v) -> str | None:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def write_form_pok(pok: pd.DataFrame, path: Path, satker_name: str | None = None,
                   ribuan: bool = False, kode_ba: str = "088", kode_eselon1: str = "01") -> Path:
    """One satker's POK (one tahun) as SAKTI's Form Cetak POK / RPD DIPA petikan: title
    rows, header on row 7, tree of level lines with their sums, items, JUMLAH line and the
    footer; `ribuan`: amounts in thousands of rupiah (said in the title). Every cell a value."""
    import openpyxl
    x = _extra(FORM_POK)
    if pok["kode_satker"].nunique() != 1 or pok["tahun"].nunique() != 1:
        raise ValueError("write_form_pok: satu satker dan satu tahun per berkas")
    scale = 1000 if ribuan else 1
    months = [f"rpd_{m:02d}" for m in schema.MONTHS]
    kode = str(pok["kode_satker"].iloc[0])
    tahun = int(pok["tahun"].iloc[0])
    p = pok.copy()
    for lv in LEVELS:
        p[f"kode_{lv}"] = p[f"kode_{lv}"].astype(object).where(p[f"kode_{lv}"].notna(), "")
    p["_no"] = pd.to_numeric(p["no_item"], errors="coerce")
    p = p.sort_values([f"kode_{lv}" for lv in LEVELS] + ["_no", "no_item"], kind="stable")
    mcols = [_col_index(c) for c in x["rpd_columns"]]
    width = max(mcols) + 1
    B, C, D, E, F, G, H = range(1, 8)

    def line(code, uraian, vol=None, sat=None, harga=None, jumlah=None, rpd=None, sd=None):
        cells = [None] * width
        cells[B], cells[C] = code, uraian
        cells[D], cells[E], cells[F], cells[G], cells[H] = vol, sat, harga, jumlah, sd
        for j, ci in enumerate(mcols):
            cells[ci] = None if rpd is None else rpd[j]
        return cells

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("POK")
    row1 = [None] * width
    row1[0], row1[4], row1[6] = "SATKER", kode, satker_name or ""
    title = [row1,
             ["FORM CETAK POK / RPD DIPA PETIKAN"],
             [f"TAHUN ANGGARAN {tahun}" + _revisi_text(pok)],
             [f"KEMENTERIAN/LEMBAGA : {kode_ba}   UNIT ESELON I : {kode_ba}.{kode_eselon1}"],
             ["(dalam ribuan rupiah)" if ribuan else "(dalam rupiah)"],
             []]
    header = [None] * width
    header[0] = "NO"
    header[B:H + 1] = ["KODE", "URAIAN", "VOLUME", "SATUAN", "HARGA SATUAN", "JUMLAH BIAYA",
                       "SUMBER DANA"]
    for j, ci in enumerate(mcols):
        header[ci] = WRITE_MONTHS[j]
    for r in title + [header]:
        ws.append([_cell(ws, v) for v in r])

    def sums(g):
        return (_num(g["pagu"].sum(), scale), [_num(g[m].sum(), scale) for m in months])

    prev = {lv: None for lv in LEVELS}
    keys = [f"kode_{lv}" for lv in LEVELS]
    groups = {}
    for k in range(len(LEVELS)):
        groups[k] = {key: g for key, g in p.groupby(keys[:k + 1], sort=False, dropna=False)}
    for _, it in p.iterrows():
        at = tuple(it[k] for k in keys)
        for k, lv in enumerate(LEVELS):
            if prev[lv] == at[:k + 1]:
                continue
            for lv2 in LEVELS[k:]:
                prev[lv2] = None
            prev[lv] = at[:k + 1]
            own = at[k]
            if lv == "subkomponen" and own == "":
                continue
            code = {"program": f"{kode_ba}.{kode_eselon1}.{own}",
                    "kro": f"{it['kode_kegiatan']}.{own}",
                    "ro": f"{it['kode_kro']}.{own}"}.get(lv, own)
            g = groups[k][at[:k + 1]]
            jumlah, rpd = sums(g)
            ws.append([_cell(ws, v) for v in line(code, _text(it[f"nama_{lv}"]) or "",
                                                   jumlah=jumlah, rpd=rpd)])
        ws.append([_cell(ws, v) for v in line(
            None, _text(it["uraian_item"]) or "", _num(it["volume"]), _text(it["satuan"]),
            _num(it["harga_satuan"], scale), _num(it["pagu"], scale),
            [_num(it[m], scale) for m in months], "RM")])
    jumlah, rpd = sums(p)
    ws.append(line(None, "JUMLAH SELURUHNYA", jumlah=jumlah, rpd=rpd))
    ws.append([])
    sig = [None] * width
    sig[mcols[8]] = f"Jakarta, 31 Desember {tahun - 1}"
    ws.append(sig)
    sig = [None] * width
    sig[mcols[8]] = "Kuasa Pengguna Anggaran"
    ws.append(sig)
    sig = [None] * width
    sig[mcols[8]] = "NIP. 197001011995031001"
    ws.append(sig)
    path = Path(path)
    wb.save(path)
    return path


def _revisi_text(pok: pd.DataFrame) -> str:
    rev = pok["revisi"].dropna().unique() if "revisi" in pok.columns else []
    if len(rev) > 1:
        raise ValueError("write_form_pok: satu revisi DIPA per berkas")
    return f"   REVISI KE-{int(rev[0])}" if len(rev) else ""


SP2D_HEADER = ["Kode Satker", "Nama Satker", "No SP2D", "Tanggal Selesai SP2D", "Tgl SP2D",
               "Mata Uang", "Nilai SPM", "Potongan", "Nilai SP2D", "Nilai SP2D Ekuivalen",
               "Nomor Invoice", "Tanggal Invoice", "Jenis SPM", "Jenis SP2D", "Deskripsi"]


def write_daftar_sp2d(spp: pd.DataFrame, path: Path,
                      satker_names: dict[str, str] | None = None) -> Path:
    """The SPP lines that have an SP2D as SAKTI's Daftar SP2D: title rows, header, one
    line per SP2D in rupiah (Nomor/Tanggal Invoice = no_spp/tgl_spp), JUMLAH line."""
    import openpyxl
    s = spp[spp["no_sp2d"].notna() & (spp["no_sp2d"].astype(str).str.strip() != "")]
    s = s.sort_values(["kode_satker", "tgl_sp2d", "no_sp2d"], kind="stable")
    names = satker_names or {}
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Daftar SP2D")
    dates = pd.to_datetime(s["tgl_sp2d"])
    ws.append(["DAFTAR SP2D"])
    ws.append([f"Periode : {dates.min():%d-%m-%Y} s.d. {dates.max():%d-%m-%Y}"
               if len(s) else "Periode : -"])
    ws.append([])
    ws.append(SP2D_HEADER)

    def d(v):
        return None if pd.isna(v) else pd.Timestamp(v).to_pydatetime()
    for _, r in s.iterrows():
        nilai = _num(r["nilai"])
        ks = str(r["kode_satker"])
        ws.append([_cell(ws, v) for v in [
            ks, names.get(ks, ""), str(r["no_sp2d"]), d(r["tgl_sp2d"]), d(r["tgl_sp2d"]),
            "IDR", nilai, 0, nilai, nilai, _text(r["no_spp"]), d(r["tgl_spp"]),
            _text(r["jenis_spp"]), _text(r["jenis_spp"]), _text(r["uraian"]) or ""]])
    total = _num(s["nilai"].sum()) if len(s) else 0
    ws.append(["JUMLAH", None, None, None, None, None, total, 0, total, total])
    path = Path(path)
    wb.save(path)
    return path


def write_reports(tables: dict[str, pd.DataFrame], out_dir: Path, ribuan: bool = False,
                  satker_names: dict[str, str] | None = None) -> list[Path]:
    """The Excel reports a satker's staff download: `POK_<satker>_<tahun>.xlsx` per satker
    and year, `Daftar_SP2D.xlsx` for the SPP lines with an SP2D. Returns the files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = dict(satker_names or {})
    if not names and "satker" in tables:
        sat = tables["satker"]
        names = dict(zip(sat["kode_satker"].astype(str), sat["nama_satker"].astype(str)))
    written = []
    pok = tables.get("pok")
    if pok is not None and len(pok):
        for (ks, th), g in pok.groupby(["kode_satker", "tahun"], sort=True):
            written.append(write_form_pok(g, out_dir / f"POK_{ks}_{th}.xlsx",
                                          satker_name=names.get(str(ks)), ribuan=ribuan))
    spp = tables.get("spp")
    if spp is not None and len(spp):
        written.append(write_daftar_sp2d(spp, out_dir / "Daftar_SP2D.xlsx", names))
    return written
