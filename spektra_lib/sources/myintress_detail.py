"""MyINTRESS "Detail Pengeluaran dan Potongan SPP/SPM/SP2D" download (.xlsx) -> item
`realisasi` and `spp` (layouts/myintress_detail.yaml; what is known and what is assumed is
written there and in docs/layouts.md).

One line per chart-of-accounts line of an SPP/SPM. Its 16-segment COA string
(`019937.010.521211.05401WA.2886EBA.A000000001.00000.2.0800.2.000000.000000.994.001.0A.000301`)
names the satker, the akun and the item's path: program from segment 4 (`…WA`), kegiatan
and KRO from segment 5 (`2886EBA`), RO, komponen, subkomponen and item from segments 13–16.
A belanja line (akun 5…) with an SP2D is realisasi of its item, dated by the SP2D; a line
without an SP2D is still in process (no realisasi). Per SPP/SPM: nilai = the lines'
pengeluaran, potongan = their potongan (PPh and other withholdings are lines of their own
akun), nilai bersih = nilai − potongan; status `SP2D terbit` with an SP2D, else `Dalam
proses`. A JUMLAH / TOTAL line is checked against the lines above it. Quirks: title rows
above the header, numbers behind an apostrophe, amounts as text `1.234.567` or
`350.937,00`, empty rows.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..problems import Problem
from . import layout as layouts
from .parse import RawTable, parse_frame

NAME = "myintress_detail"
_ROWS = 10        # the header is looked for in the first rows (row 5 in known copies)


@lru_cache(maxsize=None)
def _x() -> dict:
    data = yaml.safe_load((layouts.FOLDER / f"{NAME}.yaml").read_text(encoding="utf-8"))
    return {"coa": data["coa"], "belanja": str(data["belanja"]),
            "total_words": [w.upper() for w in data["total_words"]]}


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (datetime, date)):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v).strip()


def _header(rows: list[list]) -> int | None:
    lay = layouts.load(NAME)
    for i, row in enumerate(rows[:_ROWS]):
        names = [_text(v) for v in row if _text(v)]
        if names and not lay.missing(names):
            return i
    return None


def read_report(path: Path, label: str, problems: list[Problem]) -> dict | None:
    """{"realisasi": df, "spp": df} (with _file, _row) of a MyINTRESS detail download;
    None when the workbook is not one."""
    from .peek import heads
    try:
        found = [n for n, rows in heads(path) if _header(rows) is not None]
    except Exception:  # noqa: BLE001 -- not a workbook calamine can open: others say why
        return None
    if not found:
        return None
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    real, spp = [], []
    for name in found:
        sl = label if len(wb.sheet_names) == 1 else f"{label}[{name}]"
        n0 = len(problems)
        try:
            got = read_rows(wb.get_sheet_by_name(name).to_python(skip_empty_area=False), sl,
                            problems)
        except Exception as e:  # noqa: BLE001 -- never a traceback for a user's file
            del problems[n0:]
            problems.append(Problem(sl, None, None, (
                "Detail Pengeluaran dan Potongan MyINTRESS tidak dapat dibaca: susunan lembar "
                f"ini tidak terduga ({type(e).__name__})")))
            continue
        if got is not None:
            real.append(got["realisasi"])
            spp.append(got["spp"])
    if not real:
        return {"realisasi": _empty_real(), "spp": _empty_spp()}
    return {"realisasi": pd.concat(real, ignore_index=True),
            "spp": pd.concat(spp, ignore_index=True)}


def read_rows(rows: list[list], label: str, problems: list[Problem]) -> dict | None:
    hi = _header(rows)
    lay, x = layouts.load(NAME), _x()
    header = [_text(v) or f"_{i}" for i, v in enumerate(rows[hi])]
    width = len(header)
    body = [(r0 + 1, [_text(v).lstrip("'") for v in (list(row) + [None] * width)[:width]])
            for r0, row in enumerate(rows[hi + 1:], start=hi + 1) if any(_text(v) for v in row)]
    df = pd.DataFrame([c for _, c in body], columns=header, dtype=object) if body else \
        pd.DataFrame(columns=header, dtype=object)
    raw = RawTable(label, Path(label), df, np.array([r for r, _ in body], dtype=int), [])
    spec = lay.spec(header)
    coa_col = spec["coa"][0]
    coa_text = df[coa_col].astype(str).str.strip() if len(df) else pd.Series([], dtype=object)
    # a JUMLAH / TOTAL line (no COA, the word in a text cell) closes the lines above it
    words = "|".join(re.escape(w) for w in x["total_words"])
    is_total = np.array([not c and any(re.match(rf"^({words})\b", v.upper())
                                        for v in cells if v)
                         for c, (_, cells) in zip(coa_text, body)], dtype=bool)
    got = parse_frame(raw, spec, problems)
    lines = ~is_total
    seg = _segments(coa_text, x["coa"], raw, label, coa_col, problems, lines)
    _check_total(got, is_total, raw, spec, label, problems)
    got, seg, rows_ = got[lines].reset_index(drop=True), seg[lines].reset_index(drop=True), \
        raw.rows[lines]
    # a potongan line has no pengeluaran: a line needs one of the two
    empty = {"no_spp": got["no_spp"].isna().to_numpy(),
             "pengeluaran": (got["pengeluaran"].isna() & got["potongan"].isna()).to_numpy()}
    for f, miss in empty.items():
        for i in np.flatnonzero(miss):
            if not _named(problems, label, int(rows_[i]), spec[f][0]):
                problems.append(Problem(label, int(rows_[i]), spec[f][0], "wajib diisi"))
    sat = got["kode_satker"].where(got["kode_satker"].notna(), seg["kode_satker"])
    tahun = layouts.context().tahun
    out_real = _realisasi(got, seg, sat, rows_, label, x, tahun, spec, problems)
    out_spp = _spp(got, sat, rows_, label, spec, problems)
    return {"realisasi": out_real, "spp": out_spp}


def _named(problems, label, row, col) -> bool:
    return any(p.file == label and p.row == row and p.column == col for p in problems)


def _segments(coa: pd.Series, c: dict, raw, label, col, problems, lines) -> pd.DataFrame:
    """The path codes of each line's COA string (None where it is not a 16-segment one)."""
    n = int(c["segments"])
    out = {k: [None] * len(coa) for k in ("kode_satker", "kode_akun", "kode_program",
                                          "kode_kegiatan", "kode_kro", "kode_ro",
                                          "kode_komponen", "kode_subkomponen", "no_item")}
    for i, text in enumerate(coa):
        if not lines[i]:
            continue
        if not text:
            problems.append(Problem(label, int(raw.rows[i]), col, "wajib diisi"))
            continue
        parts = [p.strip() for p in text.split(".")]
        ke = lambda k: parts[int(c[k]) - 1]  # noqa: E731
        why = None
        if len(parts) != n:
            why = f"terdiri dari {len(parts)} segmen, bukan {n}"
        elif not re.fullmatch(r"\d{6}", ke("satker")):
            why = f"segmen satker {ke('satker')!r} bukan 6 digit"
        elif not re.fullmatch(r"\d{6}", ke("akun")):
            why = f"segmen akun {ke('akun')!r} bukan 6 digit"
        elif not re.fullmatch(r"[0-9A-Z]*[A-Z0-9]{2}", ke("program")) or len(ke("program")) < 2:
            why = f"segmen program {ke('program')!r} tidak berakhir dengan kode program"
        elif not re.fullmatch(r"\d{4}[A-Z0-9]{3}", ke("kegiatan_kro")):
            why = (f"segmen kegiatan/KRO {ke('kegiatan_kro')!r} bukan kegiatan 4 digit + KRO "
                   "3 karakter (mis. 2886EBA)")
        elif not re.fullmatch(r"[A-Z0-9]{3}", ke("ro")):
            why = f"segmen RO {ke('ro')!r} bukan 3 karakter"
        elif not re.fullmatch(r"[A-Z0-9]{3}", ke("komponen")):
            why = f"segmen komponen {ke('komponen')!r} bukan 3 karakter"
        elif not re.fullmatch(r"[A-Z0-9]{0,3}", ke("subkomponen")):
            why = f"segmen subkomponen {ke('subkomponen')!r} tidak sah"
        elif not re.fullmatch(r"\d{1,6}", ke("item")):
            why = f"segmen item {ke('item')!r} bukan nomor item"
        if why:
            problems.append(Problem(label, int(raw.rows[i]), col, (
                f"kode COA {text[:120]!r} {why} (satker.KPPN.akun.program.kegiatan+KRO. … "
                ".RO.komponen.subkomponen.item)")))
            continue
        kk = ke("kegiatan_kro")
        for k, v in (("kode_satker", ke("satker")), ("kode_akun", ke("akun")),
                     ("kode_program", ke("program")[-2:]), ("kode_kegiatan", kk[:4]),
                     ("kode_kro", kk[4:]), ("kode_ro", ke("ro")),
                     ("kode_komponen", ke("komponen")),
                     ("kode_subkomponen", ke("subkomponen") or None),
                     ("no_item", str(int(ke("item"))))):
            out[k][i] = v
    return pd.DataFrame(out, dtype=object)


def _check_total(got, is_total, raw, spec, label, problems) -> None:
    """Each JUMLAH line against the lines since the previous one (pengeluaran, potongan)."""
    start = 0
    for t in np.flatnonzero(is_total):
        for f in ("pengeluaran", "potongan"):
            v = got[f].iloc[t]
            if pd.isna(v):
                continue
            s = float(got[f].iloc[start:t][~is_total[start:t]].fillna(0).sum())
            if abs(float(v) - s) > 0.005:
                problems.append(Problem(label, int(raw.rows[t]), spec[f][0], (
                    f"baris jumlah ({_rp(float(v))}) tidak sama dengan jumlah baris di atasnya "
                    f"({_rp(s)})")))
        start = t + 1


def _rp(v: float) -> str:
    whole = f"{abs(v):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if v < 0 else "") + whole.removesuffix(",00")


def _realisasi(got, seg, sat, rows_, label, x, tahun, spec, problems) -> pd.DataFrame:
    paid = (seg["kode_akun"].astype(str).str.startswith(x["belanja"]).to_numpy(bool)
            & got["no_sp2d"].notna().to_numpy() & got["pengeluaran"].notna().to_numpy()
            & (got["pengeluaran"].fillna(0) != 0).to_numpy() & seg["no_item"].notna().to_numpy())
    no_date = paid & got["tgl_sp2d"].isna().to_numpy()
    for i in np.flatnonzero(no_date):
        if not _named(problems, label, int(rows_[i]), spec["tgl_sp2d"][0]):
            problems.append(Problem(label, int(rows_[i]), spec["tgl_sp2d"][0], (
                "tanggal SP2D kosong padahal nomor SP2D ada: realisasi tidak dapat ditanggali")))
    paid &= ~no_date
    tgl = pd.to_datetime(got["tgl_sp2d"])
    years = tgl.dt.year
    if tahun is not None:
        for i in np.flatnonzero(paid & (years != int(tahun)).to_numpy()):
            problems.append(Problem(label, int(rows_[i]), spec["tgl_sp2d"][0], (
                f"SP2D tahun {int(years.iloc[i])} berbeda dengan --tahun {tahun}")))
    idx = np.flatnonzero(paid)
    out = pd.DataFrame({
        "tahun": pd.array(years.iloc[idx].astype("Int64").to_numpy(), dtype="Int64"),
        "kode_satker": sat.iloc[idx].to_numpy(object),
        **{k: seg[k].iloc[idx].to_numpy(object) for k in (
            "kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
            "kode_subkomponen", "kode_akun", "no_item")},
        "tanggal": tgl.iloc[idx].to_numpy(),
        "nilai": got["pengeluaran"].iloc[idx].astype(float).to_numpy(),
        "no_sp2d": got["no_sp2d"].iloc[idx].to_numpy(object)})
    out["_file"] = label
    out["_row"] = rows_[idx].astype("int64")
    return out


def _spp(got, sat, rows_, label, spec, problems) -> pd.DataFrame:
    """One row per (satker, SPP/SPM number), in the order first met (grouped in pandas: a
    download of 20,000 lines has thousands of SPP)."""
    ok = got["no_spp"].notna().to_numpy() & sat.notna().to_numpy()
    if not ok.any():
        return _empty_spp()
    df = got[ok].assign(kode_satker=sat[ok].to_numpy(object), _row=rows_[ok].astype("int64"),
                        pengeluaran=got["pengeluaran"][ok].fillna(0.0),
                        potongan=got["potongan"][ok].fillna(0.0))
    g = df.groupby(["kode_satker", "no_spp"], sort=False)
    cols = ["no_sp2d", "tgl_sp2d", "tgl_spm", "tgl_spp", "uraian", "jenis"]
    first = g[cols].first()
    many = g[cols[:4]].nunique()
    for f in cols[:4]:
        for ks, no in many.index[many[f].to_numpy() > 1]:
            part = df[(df["kode_satker"] == ks) & (df["no_spp"] == no)]
            seen = part[f].dropna().unique()
            problems.append(Problem(label, int(part["_row"].iloc[0]), spec[f][0], (
                f"SPP/SPM {no} satker {ks}: {f.replace('_', ' ')} berbeda antarbaris "
                f"({', '.join(_show(v) for v in seen[:3])})")))
    tgl = first["tgl_spp"].fillna(first["tgl_spm"]).fillna(first["tgl_sp2d"])
    row0 = g["_row"].min()
    for ks, no in tgl.index[tgl.isna().to_numpy()]:
        problems.append(Problem(label, int(row0[(ks, no)]), spec["tgl_spp"][0], (
            f"SPP/SPM {no}: tidak ada tanggal SPP, SPM maupun SP2D")))
    keep = tgl.notna().to_numpy()
    if not keep.any():
        return _empty_spp()
    idx = first.index[keep]
    nilai = g["pengeluaran"].sum()[keep].astype(float).to_numpy()
    pot = g["potongan"].sum()[keep].astype(float).to_numpy()
    sp2d = first["no_sp2d"][keep]
    jenis = first["jenis"][keep].astype("string").str.split(" - ", n=1).str[-1].str.strip()
    res = pd.DataFrame({
        "kode_satker": idx.get_level_values(0).to_numpy(object), "kode_unit": None,
        "no_spp": idx.get_level_values(1).to_numpy(object),
        "tgl_spp": pd.to_datetime(tgl[keep]).to_numpy(),
        "no_spm": idx.get_level_values(1).to_numpy(object),
        "tgl_spm": pd.to_datetime(first["tgl_spm"][keep]).to_numpy(),
        "no_sp2d": sp2d.to_numpy(object),
        "tgl_sp2d": pd.to_datetime(first["tgl_sp2d"][keep]).to_numpy(),
        "uraian": first["uraian"][keep].fillna("").astype(str).to_numpy(object),
        "jenis_spp": jenis.fillna("tidak tercantum").to_numpy(object),
        "nilai": nilai,
        "status": np.where(sp2d.notna().to_numpy(), "SP2D terbit", "Dalam proses"),
        "potongan": pot, "nilai_bersih": nilai - pot})
    res["_file"] = label
    res["_row"] = row0[keep].to_numpy("int64")
    return res


def _show(v) -> str:
    return v.strftime("%d-%m-%Y") if hasattr(v, "strftime") else str(v)


def _empty_real() -> pd.DataFrame:
    cols = ["tahun", "kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
            "kode_komponen", "kode_subkomponen", "kode_akun", "no_item", "tanggal", "nilai",
            "no_sp2d", "_file", "_row"]
    return pd.DataFrame({c: [] for c in cols})


def _empty_spp() -> pd.DataFrame:
    cols = ["kode_satker", "kode_unit", "no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d",
            "tgl_sp2d", "uraian", "jenis_spp", "nilai", "status", "potongan", "nilai_bersih",
            "_file", "_row"]
    return pd.DataFrame({c: [] for c in cols})
