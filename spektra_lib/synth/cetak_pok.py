"""SAKTI's Form Cetak POK as printed to Excel (sheet `UC_ANG_6.4`, DOMAIN.md §6; read by
sources/sakti_xlsx.py with sources/cetak_pok.py): title rows, the header on row 7 with a
column-number row under it, and — what a printed copy has — the header repeated on every
page with a page mark, item lines without a code, months in R–W, Y, AA–AD, AF, the total
in AL, blokir in AM, NAMA PPK UMUM / NAMA PPK beside them. Amounts in ribuan rupiah as every
known real copy, with or without the unit note; `harga_rupiah` writes harga satuan in
rupiah beside totals in ribuan (the evidence the reader decides the unit from).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import pok_tree
from .pok_tree import LEVELS
from .xlsx_inline import write

SHEET = "UC_ANG_6.4"
MONTHS = ["JANUARI", "PEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
          "SEPTEMBER", "OKTOBER", "NOPEMBER", "DESEMBER"]
MONTH_COLS = [17, 18, 19, 20, 21, 22, 24, 26, 27, 28, 29, 31]   # R–W, Y, AA–AD, AF
KODE, URAIAN, VOL, SAT, HARGA, JUMLAH, BLOKIR, PPK_UMUM, PPK = 1, 2, 10, 11, 12, 37, 38, 39, 40
WIDTH = 41


def _header() -> list:
    h = [None] * WIDTH
    h[0], h[KODE], h[URAIAN], h[VOL], h[SAT], h[HARGA] = (
        "NO", "KODE", "URAIAN", "VOLUME", "SATUAN", "HARGA SATUAN")
    for c, m in zip(MONTH_COLS, MONTHS):
        h[c] = m
    h[JUMLAH], h[BLOKIR], h[PPK_UMUM], h[PPK] = "JUMLAH", "BLOKIR", "NAMA PPK UMUM", "NAMA PPK"
    return h


def _numbers(header: list) -> list:
    out, n = [None] * WIDTH, 0
    for i, v in enumerate(header):
        if v:
            n += 1
            out[i] = f"({n})"
    return out


def lines(pok: pd.DataFrame, *, ribuan: bool = True, harga_rupiah: bool = False,
          blokir: dict | None = None, kode_ba: str = "088", kode_eselon1: str = "01",
          item_mark: str | None = None) -> list[list]:
    """The budget lines (no title, header or footer) of one satker's POK, in tree order.
    `blokir`: {(akun, no_item): rupiah blocked}."""
    scale = 1000.0 if ribuan else 1.0
    blokir = blokir or {}
    p = pok.copy()
    for lv in LEVELS:
        p[f"kode_{lv}"] = p[f"kode_{lv}"].astype(object).where(p[f"kode_{lv}"].notna(), "")
    p["_no"] = pd.to_numeric(p["no_item"], errors="coerce")
    p = p.sort_values([f"kode_{lv}" for lv in LEVELS] + ["_no"], kind="stable")
    p["_blokir"] = [float(blokir.get((a, str(n)), 0.0)) for a, n in zip(p["kode_akun"],
                                                                         p["no_item"])]
    months = [f"rpd_{m:02d}" for m in range(1, 13)]

    def amount(v, digits: int = 3):
        v = round(float(v) / scale, digits)
        return int(v) if v.is_integer() else v

    def row(code, uraian, g, item=None):
        out = [None] * WIDTH
        out[KODE], out[URAIAN] = code, uraian
        for c, m in zip(MONTH_COLS, months):
            out[c] = amount(g[m].sum())
        out[JUMLAH], out[BLOKIR] = amount(g["pagu"].sum()), amount(g["_blokir"].sum())
        if item is not None:
            out[VOL], out[SAT] = float(item["volume"]), str(item["satuan"])
            out[HARGA] = float(item["harga_satuan"]) if harga_rupiah else amount(
                item["harga_satuan"], 6)
            out[PPK_UMUM], out[PPK] = "PPK Satker", "Pejabat Pembuat Komitmen"
        return out

    out = []
    for _, it, lv, g in pok_tree.lines(p):
        if lv is None:
            out.append(row(item_mark, str(it["uraian_item"]), g, it))
            continue
        own = it[f"kode_{lv}"]
        code = {"program": f"{kode_ba}.{kode_eselon1}.{own}",
                "kro": f"{it['kode_kegiatan']}.{own}",
                "ro": f"{it['kode_kro']}.{own}"}.get(lv, own)
        name = it.get(f"nama_{lv}")
        out.append(row(code, "" if pd.isna(name) else str(name), g))
    total = row(None, "JUMLAH SELURUHNYA", p)
    return out + [total]


def write_cetak_pok(pok: pd.DataFrame, path: Path, satker_name: str = "", *,
                    ribuan: bool = True, unit_note: bool = True, harga_rupiah: bool = False,
                    lines_per_page: int = 40, blokir: dict | None = None) -> Path:
    """One satker's POK (one year) as the printed Form Cetak POK; a new page (its mark,
    then the header and the column numbers again) every `lines_per_page` budget lines."""
    if pok["kode_satker"].nunique() != 1 or pok["tahun"].nunique() != 1:
        raise ValueError("write_cetak_pok: satu satker dan satu tahun per berkas")
    kode, tahun = str(pok["kode_satker"].iloc[0]), int(pok["tahun"].iloc[0])

    def text_row(**cells):
        out = [None] * WIDTH
        for k, v in cells.items():
            out[int(k[1:])] = v
        return out
    note = ("(dalam ribuan rupiah)" if ribuan else "(dalam rupiah)") if unit_note else None
    title = [text_row(c0="SATKER", c4=kode, c6=satker_name),
             text_row(c0="FORM CETAK POK"),
             text_row(c0=f"TAHUN ANGGARAN {tahun}"),
             text_row(c0="KEMENTERIAN/LEMBAGA : 088 BADAN KEPEGAWAIAN NEGARA"),
             text_row(c0=note), text_row()]
    header = _header()
    body = lines(pok, ribuan=ribuan, harga_rupiah=harga_rupiah, blokir=blokir)
    rows = title + [header, _numbers(header)]
    page = 1
    for n, ln in enumerate(body[:-1], start=1):
        rows.append(ln)
        if n % lines_per_page == 0 and n < len(body) - 1:
            page += 1
            rows.append(text_row(c37=f"Halaman {page - 1}"))
            rows += [list(header), _numbers(header)]
    rows.append(body[-1])
    rows += [text_row(), text_row(c27=f"Jakarta, 31 Desember {tahun - 1}"),
             text_row(c27="Kuasa Pengguna Anggaran"), text_row(),
             text_row(c27="NIP. 197001011995031001"), text_row(c37=f"Halaman {page}")]
    return write(Path(path), [(SHEET, rows, [])])
