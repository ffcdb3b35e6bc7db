"""SAKTI's Form Cetak POK / RPD DIPA petikan (an Excel report per satker) -> `pok`.

The title rows give the satker, the year and the unit (rupiah or thousands); the tree of
level lines above the items gives each item's codes; the JUMLAH line is checked against
the items. Recognition, the cells and Daftar SP2D are in sakti_xlsx.py; the layout (columns,
aliases, words) in layouts/sakti_form_pok.yaml.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import cetak_pok
from . import layout as layouts
from .parse import RawTable, parse_frame
from .sakti_xlsx import (FORM_POK, LEVEL_LABEL, LEVELS, MONTH_LABEL, _clean_header,
                         _col_index, _col_letter, _extra, _header_names, _raw, _rupiah,
                         _Sheet)


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
    scale, harga_scale, unit, bukti = cetak_pok.decide_unit(
        df, scale, layouts.context().satuan, is_item)
    if scale is None:     # refused; read on in rupiah only to say what else is wrong
        problems.append(Problem(label, None, spec["jumlah"][0], cetak_pok.REFUSAL))
        scale = harga_scale = 1
    elif layouts.in_ingest():
        ctx = layouts.context()
        ctx.notes.append(f"{label}: angka Form Cetak POK dibaca dalam "
                         f"{cetak_pok.how(unit, bukti)}.")
        if kode_satker and year:      # the page's Posisi data names it (satuan_sumber)
            ctx.satuan_dibaca.append({"tahun": int(year), "kode_satker": kode_satker,
                                      "tabel": "pok", "berkas": label, "satuan": unit,
                                      "bukti": bukti})
    out = _build_pok(df, raw, spec, problems, kode_satker, year, scale, x, label,
                     numeric_code or {}, harga_scale)
    if revisi is not None:
        out.insert(list(out.columns).index("_file"), "revisi",
                   pd.array([revisi] * len(out), dtype="Int64"))
    return out


def read_form_pok_sheet(sheet: _Sheet, hrow: int, problems: list[Problem],
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
                  # an empty blokir cell of a sheet with the column: nothing blocked
                  "blokir": (0.0 if b is None or pd.isna(b) else float(b)),
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
    if "blokir" in df.columns:    # the printed copy's column AM (issue 22's pok.blokir)
        out["blokir"] = [it["blokir"] for it in items]
    for c in ("volume", "harga_satuan", "pagu", *months, "blokir"):
        if c in out.columns:
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
