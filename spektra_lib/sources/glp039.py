"""SAKTI GLP039 "Laporan Realisasi Anggaran / Fa Detail 16 segmen" (.xlsx) -> `realisasi`.

The layout (layouts/sakti_glp039.yaml, DOMAIN.md §6): title rows (satker, year, period
"s.d. Juli"), a two-level header, a JUMLAH SELURUHNYA row, then the budget tree with one
line per level (program/kegiatan codes in one column, KRO/RO in the next, komponen,
subkomponen, akun) and item lines (`000017. Uraian`) carrying pagu revisi, lock pagu,
realisasi periode lalu, periode ini and s.d. periode (in the column under S.D. PERIODE or
the one beside it: the header cell is merged over two). Quirks met here: inline strings,
numbers as Java writes them (`2.037392E10`, also as text), a sheet name with a trailing
space, footnote lines inside the data, copies shifted by a column (columns are found by
header text).

Each item gives up to two realisasi lines: periode lalu dated the day before the period
starts, periode ini dated the period's last day (a zero amount gives no line); the file
declares the span it covers, January to its period (layout.Context.cakupan: the ingest
replaces those months, updates.py, store.py; Posisi data reaches the period's end). Checks, each
a `berkas:baris: kolom: masalah` line: lalu + ini = s.d. periode per line; every level line
and the JUMLAH SELURUHNYA row equal the items under them (pagu revisi and realisasi); an
amount on a line without a code or item number; a code whose parent disagrees.
`pagu revisi` per item is kept in `attrs["pagu"]` (checked against the POK by detect).
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..problems import Problem
from . import layout as layouts
from .sakti_xlsx import _col_letter

NAME = "sakti_glp039"
AMOUNTS = ("pagu", "lock_pagu", "lalu", "ini", "sd")
LABEL = {"pagu": "pagu revisi", "lock_pagu": "lock pagu", "lalu": "realisasi periode lalu",
         "ini": "realisasi periode ini", "sd": "realisasi s.d. periode"}
MONTHS = {"JANUARI": 1, "FEBRUARI": 2, "PEBRUARI": 2, "MARET": 3, "APRIL": 4, "MEI": 5,
          "JUNI": 6, "JULI": 7, "AGUSTUS": 8, "SEPTEMBER": 9, "OKTOBER": 10, "NOVEMBER": 11,
          "NOPEMBER": 11, "DESEMBER": 12}
FIELD_LABEL = {"program": "PROGRAM/KEGIATAN", "kro": "KRO/RO", "komponen": "KOMPONEN",
               "subkomponen": "SUB KOMPONEN", "akun": "AKUN", "uraian": "URAIAN",
               "item": "ITEM", "pagu": "PAGU REVISI", "lock_pagu": "LOCK PAGU",
               "lalu": "PERIODE LALU", "ini": "PERIODE INI", "sd": "S.D. PERIODE"}
LEVELS = ["program", "kegiatan", "kro", "ro", "komponen", "subkomponen", "akun"]
_JAVA = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INDO = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+,\d+$")
_CODE = {
    "program": re.compile(r"^(?:\d{3}\.\d{2}\.)?([A-Z]{2})$"),
    "kegiatan": re.compile(r"^(?:([A-Z]{2})\.)?(\d{4})$"),
    "kro": re.compile(r"^(?:(\d{4})\.)?([A-Z0-9]{3})$"),
    "ro": re.compile(r"^([A-Z0-9]{3})\.([A-Z0-9]{3})$"),
    "komponen": re.compile(r"^([A-Z0-9]{3})$"),
    "subkomponen": re.compile(r"^(?:([A-Z0-9]{3})\.)?([A-Z0-9]{1,2})$"),
    "akun": re.compile(r"^(\d{6})$"),
}


@lru_cache(maxsize=None)
def _x() -> dict:
    data = yaml.safe_load((layouts.FOLDER / f"{NAME}.yaml").read_text(encoding="utf-8"))
    return data["report"]


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v).strip()


def number(v) -> tuple[float | None, bool]:
    """(value, ok) of an amount cell: a number cell, Java's `2.037392E10` / `1234567.0`
    (also as text), or Indonesian `1.234.567,00`. Empty is (None, True)."""
    if v is None or v == "":
        return None, True
    if isinstance(v, bool):
        return None, False
    if isinstance(v, (int, float)):
        f = float(v)
        return (f, True) if np.isfinite(f) else (None, False)
    s = str(v).strip().replace("\u00a0", "").replace(" ", "")
    if s in ("", "-"):
        return None, True
    neg = s.startswith("(") and s.endswith(")")
    s = s[1:-1] if neg else s
    if _JAVA.match(s) and not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}", s):
        f = float(s)
    elif _INDO.match(s):
        f = float(s.replace(".", "").replace(",", "."))
    else:
        return None, False
    if not np.isfinite(f) or abs(f) > layouts_limit():
        return None, False
    return (-f if neg else f), True



def layouts_limit() -> float:
    from .parse import limits
    return float(limits()["nilai_rupiah_maks"])


# -- recognition ---------------------------------------------------------------------------
def _header_rows(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    """(0-based index of the lower header row, {field: column}) when the rows hold a GLP039
    header, else None."""
    x = _x()
    pats = {f: re.compile(p, re.I) for f, p in x["columns"].items()}
    n = min(len(rows), int(x["header_search"]))
    for i in range(n):
        low = [_text(v).upper() for v in rows[i]]
        if not any(pats["lalu"].search(c) for c in low):
            continue
        top = [_text(v).upper() for v in rows[i - 1]] if i else []
        width = max(len(low), len(top))
        carry, names = "", []
        for c in range(width):
            t = top[c] if c < len(top) else ""
            lo = low[c] if c < len(low) else ""
            carry = t or (carry if lo else "")
            names.append(" ".join(w for w in (carry if lo else t, lo) if w).strip())
        cols: dict[str, int] = {}
        for f in x["columns"]:
            for c, name in enumerate(names):
                # the lower row names the realisasi columns; the top one the rest
                part = (low[c] if c < len(low) else "") if f in ("lalu", "ini", "sd") else name
                if part and pats[f].search(part) and c not in cols.values():
                    cols[f] = c
                    break
        if all(f in cols for f in ("lalu", "ini", "akun")):
            return i, cols
    return None


def recognise(rows: list[list]) -> bool:
    return _header_rows(rows) is not None


def _sheets(path: Path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        yield name, wb.get_sheet_by_name(name)


def read_report(path: Path, label: str, problems: list[Problem],
                tahun: int | None = None) -> dict[str, pd.DataFrame] | None:
    """{"realisasi": frame} for a GLP039 workbook; None when `path` is not one."""
    from .files import _plain_workbook
    from .peek import heads as peek
    try:
        heads = [rows[:int(_x()["header_search"])] for _, rows in peek(path)]
    except Exception:  # noqa: BLE001 -- not a workbook calamine can open: others say why
        return None
    found = [i for i, h in enumerate(heads) if recognise(h)]
    if not found:
        return None
    sheets = list(_sheets(path))
    try:
        plain = _plain_workbook(path)
    except Exception:  # noqa: BLE001
        plain = False
    if not plain:
        problems.append(Problem(label, None, None, (
            "Laporan Realisasi GLP039 ini berisi rumus atau deklarasi DTD: unduh ulang dari "
            "SAKTI (laporan asli hanya berisi nilai)")))
        return {}
    out = []
    for i in found:
        name, sheet = sheets[i]
        sl = label if len(sheets) == 1 else f"{label}[{name}]"
        n0 = len(problems)
        try:
            rows = sheet.to_python(skip_empty_area=False)
            df = read_rows(rows, sl, problems, tahun)
        except Exception as e:  # noqa: BLE001 -- never a traceback for a user's file
            del problems[n0:]
            problems.append(Problem(sl, None, None, (
                f"Laporan Realisasi GLP039 tidak dapat dibaca: susunan lembar ini tidak terduga ({e})")))
            continue
        if df is not None:
            out.append(df)
    if not out:
        return {}
    pagu = [d.attrs.pop("pagu") for d in out]     # a frame in attrs breaks pd.concat
    periode = [p for d in out for p in d.attrs.pop("periode", [])]
    res = pd.concat(out, ignore_index=True) if len(out) > 1 else out[0]
    res.attrs["pagu"] = pd.concat(pagu, ignore_index=True)
    res.attrs["periode"] = periode
    return {"realisasi": res}


# -- title -----------------------------------------------------------------------------------
def _title(title: list[list], label: str, problems: list[Problem], tahun: int | None):
    """(kode_satker, tahun, period end month) from the title rows."""
    x = _x()
    cells = [_text(v) for row in title for v in row if _text(v)]
    text = " ".join(cells).upper()
    sat = None
    for c in cells:
        if re.search(r"SATKER|SATUAN\s+KERJA", c, re.I) or re.fullmatch(r"\d{6}", c.strip()):
            m = re.search(x["satker"], c)
            if m:
                sat = m.group(1)
                break
    if sat is None:
        m = re.search(r"SATKER\D{0,20}?(\d{6})", text) or re.search(x["satker"], text)
        sat = m.group(1) if m else None
    if sat is None:
        problems.append(Problem(label, 1, None, (
            "kode satker (6 digit) tidak ditemukan di baris judul Laporan Realisasi GLP039")))
    month = year = None
    m = re.search(x["period_date"], text)
    if m:
        month, year = int(m.group(2)), int(m.group(3))
    else:
        m = re.search(x["period_month"], text)
        if m:
            month = MONTHS[m.group(1)]
    if month is None or not 1 <= month <= 12:
        problems.append(Problem(label, None, None, (
            "periode laporan tidak ditemukan di judul (mis. \"s.d. Juli\"): realisasi periode "
            "lalu dan periode ini tidak dapat ditanggali")))
        month = None
    m = re.search(x["year"], text)
    found = int(next(g for g in m.groups() if g)) if m else year
    if found is not None and tahun is not None and found != int(tahun):
        problems.append(Problem(label, None, None, (
            f"tahun anggaran di judul laporan ({found}) berbeda dengan --tahun {tahun}")))
        found = None
    elif found is None and tahun is not None:
        found = int(tahun)
    elif found is None:
        problems.append(Problem(label, None, None, (
            "tahun anggaran tidak tertulis di judul Laporan Realisasi (TAHUN ANGGARAN ....): "
            "beri --tahun")))
    return sat, found, month


# -- body ------------------------------------------------------------------------------------
def _rupiah(v: float) -> str:
    from .sakti_xlsx import _rupiah as rupiah    # sources never import present/
    return rupiah(v)


def read_rows(rows: list[list], label: str, problems: list[Problem],
              tahun: int | None = None) -> pd.DataFrame | None:
    """The cells of one GLP039 sheet (row lists, first row = sheet row 1) -> realisasi."""
    if tahun is None:
        tahun = layouts.context().tahun
    x = _x()
    got = _header_rows(rows)
    if got is None:
        return None
    hi, cols = got
    for f in x["required"]:
        if f not in cols:
            problems.append(Problem(label, hi + 1, None, (
                f"kolom {FIELD_LABEL[f]} tidak ditemukan di header Laporan Realisasi GLP039")))
    if any(f not in cols for f in x["required"]):
        return None
    sat, year, month = _title(rows[:max(hi - 1, 0)], label, problems, tahun)
    letters = {f: _col_letter(c) for f, c in cols.items()}
    words = [w.upper() for w in x["total_words"]]
    item_re = re.compile(x["item_number"])
    cur: dict[str, str | None] = {lv: None for lv in LEVELS}
    written: dict[str, str] = {}
    open_nodes: dict[str, dict] = {}
    nodes: list[dict] = []
    items: list[dict] = []
    total: dict | None = None

    def cell(row, f):
        c = cols.get(f)
        return row[c] if c is not None and c < len(row) else None

    def amounts(row, r) -> dict | None:
        out = {}
        for f in AMOUNTS:
            if f not in cols:
                out[f] = None
                continue
            v = cell(row, f)
            if f == "sd" and (v is None or v == ""):
                c = cols["sd"] + 1       # the merged S.D. PERIODE: detail rows one to the right
                if c < len(row) and c not in cols.values():
                    v = row[c]
            val, ok = number(v)
            if not ok:
                problems.append(Problem(label, r, letters[f], (
                    f"{LABEL[f]}: bukan angka yang sah: {_text(v)[:40]!r}")))
                return None
            out[f] = val
        return out

    level_cols = {"program": ("program", "kegiatan"), "kro": ("kro", "ro"),
                  "komponen": ("komponen",), "subkomponen": ("subkomponen",),
                  "akun": ("akun",)}
    for r0 in range(hi + 1, len(rows)):
        row, r = rows[r0], r0 + 1
        texts = {f: _text(cell(row, f)) for f in ("program", "kro", "komponen", "subkomponen",
                                                    "akun", "item", "uraian")}
        amt_cells = [cell(row, f) for f in AMOUNTS if f in cols]
        has_amount = any(_text(v) not in ("", "-") for v in amt_cells) or (
            cols["sd"] + 1 < len(row) and _text(row[cols["sd"] + 1]) not in ("", "-")
            and cols["sd"] + 1 not in cols.values())
        first = next((t for t in (_text(v) for v in row) if t), "").upper()
        if total is None and any(first == w or first.startswith(w + " ") for w in words) \
                and has_amount:
            total = {"row": r, **(amounts(row, r) or {})}
            continue
        level = None
        for col, lvs in level_cols.items():
            code = texts[col].upper()
            if not code:
                continue
            for lv in lvs:
                m = _CODE[lv].fullmatch(code)
                if m:
                    level = (lv, code, m)
                    break
            if level:
                break
        m_item = item_re.match(texts["item"]) if texts["item"] else None
        if level is None and m_item is None:
            if has_amount:
                problems.append(Problem(label, r, None, (
                    "baris berisi angka tetapi tanpa kode (program, kegiatan, KRO, RO, "
                    "komponen, subkomponen, akun) maupun nomor item: laporan rusak atau "
                    "susunannya lain")))
            continue          # a footnote or a blank line inside the data
        a = amounts(row, r) if has_amount else {f: None for f in AMOUNTS}
        if a is None:
            continue
        if level is not None and m_item is None:
            lv, code, m = level
            parent = {"kegiatan": "program", "kro": "kegiatan", "ro": "kro",
                      "subkomponen": "komponen"}.get(lv)
            given = m.group(1) if lv in ("kegiatan", "kro", "ro", "subkomponen") else None
            if given and parent and cur[parent] is not None and given != cur[parent]:
                problems.append(Problem(label, r, letters[{"kegiatan": "program", "kro": "kro",
                                                           "ro": "kro", "subkomponen":
                                                           "subkomponen"}[lv]], (
                    f"kode {code} menyebut {parent} {given}, padahal {parent} di atasnya "
                    f"{cur[parent]}")))
            k = LEVELS.index(lv)
            for lv2 in LEVELS[k:]:
                cur[lv2] = None
                open_nodes.pop(lv2, None)
            cur[lv] = m.groups()[-1]
            written[lv] = code
            node = {"level": lv, "kode": code, "row": r, **a,
                    "sum": {f: 0.0 for f in AMOUNTS}}
            nodes.append(node)
            open_nodes[lv] = node
            continue
        # an item line
        missing = [lv for lv in LEVELS if lv != "subkomponen" and cur[lv] is None]
        if missing:
            problems.append(Problem(label, r, letters["item"], (
                f"baris item tanpa {missing[-1]} di atasnya: kode {missing[-1]} tidak ada pada "
                "baris sebelumnya")))
            continue
        no = str(int(m_item.group(1)))
        lalu, ini, sd = (a["lalu"] or 0.0), (a["ini"] or 0.0), a["sd"]
        if sd is not None and abs(lalu + ini - sd) > 0.005:
            problems.append(Problem(label, r, letters["sd"], (
                f"realisasi s.d. periode ({_rupiah(sd)}) tidak sama dengan periode lalu "
                f"({_rupiah(lalu)}) + periode ini ({_rupiah(ini)})")))
        it = {"row": r, "no_item": no, "uraian": m_item.group(2).strip(),
              **{f"kode_{lv}": cur[lv] for lv in LEVELS}, **a}
        items.append(it)
        for node in open_nodes.values():
            for f in AMOUNTS:
                node["sum"][f] += it[f] or 0.0
    _check_sums(nodes, items, total, letters, label, problems)
    if sat is None or year is None or month is None:
        return None
    return _frame(items, sat, year, month, label)


def _check_sums(nodes, items, total, letters, label, problems) -> None:
    """Every level line and the JUMLAH SELURUHNYA row against the items under them."""
    tol = 0.005
    for n in nodes:
        for f in ("pagu", "lalu", "ini", "sd"):
            if n[f] is not None and abs(n[f] - n["sum"][f]) > tol * max(len(items), 1):
                problems.append(Problem(label, n["row"], letters.get(f), (
                    f"{LABEL[f]} {n['level']} {n['kode']} ({_rupiah(n[f])}) tidak sama dengan "
                    f"jumlah item di bawahnya ({_rupiah(n['sum'][f])})")))
    if total is None:
        problems.append(Problem(label, None, None, (
            "baris JUMLAH SELURUHNYA tidak ditemukan: laporan terpotong? unduh ulang GLP039")))
        return
    for f in ("pagu", "lalu", "ini", "sd"):
        v = total.get(f)
        s = sum(it[f] or 0.0 for it in items)
        if v is not None and abs(v - s) > tol * max(len(items), 1):
            problems.append(Problem(label, total["row"], letters.get(f), (
                f"baris JUMLAH SELURUHNYA: {LABEL[f]} ({_rupiah(v)}) tidak sama dengan jumlah "
                f"seluruh item ({_rupiah(s)})")))


def _frame(items, sat, year, month, label) -> pd.DataFrame:
    start = date(year, month, 1)
    before = pd.Timestamp(start) - pd.Timedelta(days=1)
    end = pd.Timestamp(date(year, month, calendar.monthrange(year, month)[1]))
    recs = []
    for it in items:
        for f, day in (("lalu", before), ("ini", end)):
            v = it[f]
            if v:
                recs.append({"tahun": year, "kode_satker": sat,
                             **{f"kode_{lv}": it[f"kode_{lv}"] for lv in LEVELS},
                             "no_item": it["no_item"], "tanggal": day, "nilai": round(v, 2),
                             "no_sp2d": None, "_file": label, "_row": it["row"]})
    if recs and layouts.in_ingest():
        # GLP039 is year-to-date: it covers January to its period and replaces exactly
        # those months, also one without a line (periode lalu is one sum dated before the
        # period: a January already stored would otherwise be counted twice)
        layouts.context().cakupan.append({"tahun": year, "kode_satker": sat,
                                          "tabel": "realisasi", "berkas": label,
                                          "bulan_awal": 1, "bulan_akhir": month})
    cols = ["tahun", "kode_satker", *[f"kode_{lv}" for lv in LEVELS], "no_item", "tanggal",
            "nilai", "no_sp2d", "_file", "_row"]
    df = pd.DataFrame(recs, columns=cols)
    df["tanggal"] = pd.to_datetime(df["tanggal"])
    df["_row"] = df["_row"].astype("int64")
    df.attrs["pagu"] = pd.DataFrame([{
        "tahun": year, "kode_satker": sat, **{f"kode_{lv}": it[f"kode_{lv}"] for lv in LEVELS},
        "no_item": it["no_item"], "pagu": it["pagu"], "_file": label, "_row": it["row"]}
        for it in items])
    df.attrs["periode"] = [{"berkas": label, "kode_satker": sat, "tahun": year,
                            "bulan": month}]
    return df


def pagu_notes(pagu: list[pd.DataFrame], pok: pd.DataFrame | None) -> list[str]:
    """GLP039's pagu revisi held against the POK of the same satker read in the same
    ingest: items whose pagu differs (the POK may predate the latest revision)."""
    if not pagu or pok is None or not len(pok):
        return []
    from . import codes
    from ..schema import ITEM_KEY
    g = codes.normalise(pd.concat(pagu, ignore_index=True), [])
    p = pok[ITEM_KEY + ["pagu"]].copy()
    for df in (g, p):
        for k in ITEM_KEY:
            df[k] = df[k].astype(object).where(df[k].notna(), "").astype(str)
    g = g[g["kode_satker"].isin(set(p["kode_satker"]))]
    m = g.merge(p, on=ITEM_KEY, how="left", suffixes=("", "_pok"))
    off = m[m["pagu_pok"].isna() | ((m["pagu"].fillna(0) - m["pagu_pok"]).abs() > 0.5)]
    notes = []
    for (f, ks), d in off.groupby(["_file", "kode_satker"], sort=True):
        notes.append(
            f"{f}: pagu revisi {len(d)} item berbeda dengan POK satker {ks} yang dimuat "
            f"(GLP039 Rp{_rupiah(d['pagu'].sum())}, POK Rp{_rupiah(d['pagu_pok'].fillna(0).sum())}"
            "): POK itu mungkin belum revisi terakhir; realisasi tetap dimuat per item.")
    return notes
