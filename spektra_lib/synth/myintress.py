"""MyINTRESS "Monitoring SPP, SPM, dan SP2D" download of one satker (read by
sources/myintress.py): title rows, the header, one line per SPP/SPM with its numbers behind
an apostrophe, Jenis SPP/SPM as `kode - NAMA`, Jumlah Pengeluaran as text `1.234.567`."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .xlsx_inline import write

HEADER = ["No", "No. SPP/SPM", "Tanggal SPP", "Tanggal SPM", "Jenis SPP/SPM", "Uraian SPP/SPM",
          "Jumlah Pengeluaran", "No. SP2D", "Tanggal SP2D"]


def _d(v) -> str | None:
    return None if pd.isna(v) else pd.Timestamp(v).strftime("%d-%m-%Y")


def _rp(v: float) -> str:
    s = f"{abs(round(float(v))):,}".replace(",", ".")
    return ("-" if v < 0 else "") + s


def write_myintress(spp: pd.DataFrame, path: Path, satker_name: str = "") -> Path:
    kode = str(spp["kode_satker"].iloc[0])
    codes = {j: f"{i + 1:02d}" for i, j in enumerate(sorted(spp["jenis_spp"].dropna().unique()))}
    rows = [["MONITORING SPP, SPM, DAN SP2D"], [f"SATKER {kode} {satker_name}".strip()], [],
            HEADER]
    for i, r in enumerate(spp.sort_values(["tgl_spp", "no_spp"]).itertuples(), start=1):
        rows.append([str(i), f"'{r.no_spp}", _d(r.tgl_spp), _d(r.tgl_spm),
                     f"{codes[r.jenis_spp]} - {r.jenis_spp}", str(r.uraian or ""), _rp(r.nilai),
                     None if pd.isna(r.no_sp2d) else f"'{r.no_sp2d}", _d(r.tgl_sp2d)])
    return write(Path(path), [("Data", rows, [])])
