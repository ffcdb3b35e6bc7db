"""SAKTI GLP039 "Laporan Realisasi Anggaran / Fa Detail 16 segmen" as a satker downloads it
(DOMAIN.md §6; read by sources/glp039.py): one workbook per satker and period, written
with the quirks real copies carry — inline strings only, Java-written numbers
(`2.037392E10`), the sheet name with its trailing space, a two-level header with merged
cells, JUMLAH SELURUHNYA on row 9, codes in the forms this report writes them (`DL`,
`DL.2376`, `SAC`, `SAC.811`, `302`, `302.0B`), footnote lines inside the data, and on
request the copy shifted one column to the left or numbers as text.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import pok_tree
from .pok_tree import LEVELS
from .xlsx_inline import Teks, write

SHEET = "GLP039_LAPORAN REALISASI SUPER "       # 31 characters, the trailing space included
BULAN = ["JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
         "SEPTEMBER", "OKTOBER", "NOVEMBER", "DESEMBER"]
B, C, E, F, H, URAIAN, ITEM, PAGU, LOCK, LALU, INI, SD, SD_ITEM, PERSEN, SISA = (
    1, 2, 4, 5, 7, 8, 13, 16, 18, 22, 23, 24, 25, 26, 27)
WIDTH = 28
FOOTNOTE = "*) Realisasi s.d. periode termasuk pengembalian belanja pada tahun berjalan"


def amounts(pok: pd.DataFrame, realisasi: pd.DataFrame, bulan: int) -> pd.DataFrame:
    """The POK items of one satker with realisasi before (`lalu`) and in (`ini`) `bulan`."""
    key = ["kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
           "kode_subkomponen", "kode_akun", "no_item"]
    p = pok.copy()
    for k in key:
        p[k] = p[k].astype(object).where(p[k].notna(), "").astype(str)
    r = realisasi.copy()
    for k in key:
        r[k] = r[k].astype(object).where(r[k].notna(), "").astype(str)
    month = pd.to_datetime(r["tanggal"]).dt.month
    r = r[month <= bulan]
    r = r.assign(lalu=r["nilai"].where(month[r.index] < bulan, 0.0),
                 ini=r["nilai"].where(month[r.index] == bulan, 0.0))
    agg = r.groupby(key, as_index=False)[["lalu", "ini"]].sum()
    p = p.merge(agg, on=key, how="left")
    p[["lalu", "ini"]] = p[["lalu", "ini"]].fillna(0.0)
    p["_no"] = pd.to_numeric(p["no_item"], errors="coerce")
    return p.sort_values(key[:-1] + ["_no"], kind="stable").reset_index(drop=True)


def _num(v: float, as_text: bool):
    v = round(float(v), 2)
    return Teks(v) if as_text else v


def rows(pok: pd.DataFrame, realisasi: pd.DataFrame, bulan: int, satker_name: str = "",
         footnotes: bool = True, text_numbers: bool = False, kode_ba: str = "088",
         kode_eselon1: str = "01") -> tuple[list[list], list[str]]:
    """(rows, merged ranges) of the sheet."""
    p = amounts(pok, realisasi, bulan)
    kode = str(p["kode_satker"].iloc[0])
    tahun = int(p["tahun"].iloc[0])

    def line(cells=None):
        out = [None] * WIDTH
        for k, v in (cells or {}).items():
            out[k] = v
        return out

    def money(g: pd.DataFrame, item: bool) -> dict:
        pagu, lalu, ini = g["pagu"].sum(), g["lalu"].sum(), g["ini"].sum()
        sd = lalu + ini
        return {PAGU: _num(pagu, text_numbers), LOCK: _num(pagu, text_numbers),
                LALU: _num(lalu, text_numbers), INI: _num(ini, text_numbers),
                (SD_ITEM if item else SD): _num(sd, text_numbers),
                PERSEN: round(sd / pagu * 100, 2) if pagu else 0.0,
                SISA: _num(pagu - sd, text_numbers)}

    out = [line({B: "LAPORAN REALISASI ANGGARAN - FA DETAIL (16 SEGMEN)"}),
           line({B: f"KEMENTERIAN/LEMBAGA : {kode_ba}   ESELON I : {kode_ba}.{kode_eselon1}"}),
           line({B: f"SATKER : {kode} - {satker_name}".rstrip(" -")}),
           line({B: f"TAHUN ANGGARAN {tahun}"}),
           line({B: f"PERIODE : JANUARI S.D. {BULAN[bulan - 1]} {tahun}"}),
           line(),
           line({B: "PROGRAM/KEGIATAN", C: "KRO/RO", E: "KOMPONEN", F: "SUB KOMPONEN",
                   H: "AKUN", URAIAN: "URAIAN", ITEM: "ITEM", PAGU: "PAGU REVISI",
                   LOCK: "LOCK PAGU", LALU: "REALISASI", PERSEN: "%", SISA: "SISA ANGGARAN"}),
           line({LALU: "PERIODE LALU", INI: "PERIODE INI", SD: "S.D. PERIODE"}),
           line({B: "JUMLAH SELURUHNYA", **money(p, False)})]
    merges = ["W7:Z7", "Y8:Z8", "B7:B8", "C7:C8", "E7:E8", "F7:F8", "H7:H8", "I7:M8",
              "N7:P8", "Q7:R8", "S7:V8"]
    n_items = 0
    for _, it, lv, g in pok_tree.lines(p):
        if lv is None:
            no = int(float(it["no_item"]))
            out.append(line({ITEM: f"{no:06d}. {it['uraian_item']}", **money(g, True)}))
            n_items += 1
            if footnotes and n_items % 40 == 0:
                out.append(line({B: FOOTNOTE}))
                out.append(line({B: f"Dicetak dari SAKTI - Halaman {n_items // 40}"}))
            continue
        own = it[f"kode_{lv}"]
        code = {"kegiatan": f"{it['kode_program']}.{own}", "ro": f"{it['kode_kro']}.{own}",
                "subkomponen": f"{it['kode_komponen']}.{own.rjust(2, '0')}"}.get(lv, own)
        col = {"program": B, "kegiatan": B, "kro": C, "ro": C, "komponen": E,
               "subkomponen": F, "akun": H}[lv]
        name = it.get(f"nama_{lv}")
        out.append(line({col: code, URAIAN: "" if pd.isna(name) else str(name),
                         **money(g, False)}))
    if footnotes:
        out.append(line({B: FOOTNOTE}))
    return out, merges


def write_glp039(pok: pd.DataFrame, realisasi: pd.DataFrame, bulan: int, path: Path,
                 satker_name: str = "", *, footnotes: bool = True, shifted: bool = False,
                 text_numbers: bool = False) -> Path:
    """One satker's GLP039 for the period January to `bulan`. `shifted`: the copy one
    column to the left; `text_numbers`: amounts as text (`"2.037392E10"`)."""
    if pok["kode_satker"].nunique() != 1 or pok["tahun"].nunique() != 1:
        raise ValueError("write_glp039: satu satker dan satu tahun per berkas")
    r, merges = rows(pok, realisasi, bulan, satker_name, footnotes, text_numbers)
    if shifted:
        r = [row[1:] for row in r]
        merges = [_shift(m) for m in merges]
    return write(Path(path), [(SHEET, r, merges)])


def _shift(ref: str) -> str:
    from .xlsx_inline import col_letter
    import re

    def one(m):
        letters, num = m.group(1), m.group(2)
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        return f"{col_letter(max(n - 2, 0))}{num}"
    return re.sub(r"([A-Z]+)(\d+)", one, ref)
