"""SAKTI's Excel reports written from canonical tables (the synthetic agency and the
tests): Form Cetak POK / RPD DIPA petikan per satker and Daftar SP2D, read back by
sources/sakti_xlsx.py, the reader whose layout files (sources/layouts/) they follow."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..sources.parse import MONTH_NAMES
from ..sources.sakti_xlsx import FORM_POK, LEVELS, _col_index, _extra
from . import pok_tree

# SAKTI writes month names in capitals, its own spelling (PEBRUARI, NOPEMBER): as read.
WRITE_MONTHS = MONTH_NAMES


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

    for _, it, lv, g in pok_tree.lines(p):
        if lv is None:
            ws.append([_cell(ws, v) for v in line(
                None, _text(it["uraian_item"]) or "", _num(it["volume"]), _text(it["satuan"]),
                _num(it["harga_satuan"], scale), _num(it["pagu"], scale),
                [_num(it[m], scale) for m in months], "RM")])
            continue
        own = it[f"kode_{lv}"]
        code = {"program": f"{kode_ba}.{kode_eselon1}.{own}",
                "kro": f"{it['kode_kegiatan']}.{own}",
                "ro": f"{it['kode_kro']}.{own}"}.get(lv, own)
        jumlah, rpd = sums(g)
        ws.append([_cell(ws, v) for v in line(code, _text(it[f"nama_{lv}"]) or "",
                                               jumlah=jumlah, rpd=rpd)])
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
