"""OM-SPAN realisasi CSV: payments at akun level, no komponen, no item.

It lands in the extra table `realisasi_akun`. Its columns, their other names and which
are required are in `layouts/omspan_realisasi.yaml`; headers upper or lower case (CSV or
XLSX). OUTPUT is written `KRO.RO` (a bare `KRO` is read too, leaving kode_ro empty);
tahun is the year of TANGGAL.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import kanonik, layout
from .parse import RawTable, format_column, parse_frame

T, A, D = schema.TEXT, schema.AMOUNT, schema.DATE
LAYOUT = "omspan_realisasi"       # layouts/omspan_realisasi.yaml: columns and aliases
# What our writer fills the columns it has no data for with (BA and eselon I of BKN).
CONSTANT = {"BA": "088", "BAES1": "08801", "KEWENANGAN": "KP", "SUMBER_DANA": "A",
            "CARA_TARIK": "1", "KDREGISTER": "", "LOKASI": "0100", "BUDGET_TYPE": "DIPA"}
# The columns in the order OM-SPAN writes them.
COLUMNS = ["KDSATKER", "BA", "BAES1", "AKUN", "PROGRAM", "KEGIATAN", "OUTPUT", "KEWENANGAN",
           "SUMBER_DANA", "CARA_TARIK", "KDREGISTER", "LOKASI", "BUDGET_TYPE", "TANGGAL",
           "AMOUNT"]


def _layout():
    return layout.load(LAYOUT)


def read(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    lay = _layout()
    header = list(raw.df.columns)
    for name in lay.missing(header):
        problems.append(Problem(raw.name, 1, name, "kolom wajib tidak ada di realisasi OM-SPAN"))
    spec = {f: v for f, v in lay.spec(header).items() if lay.field(f).required}
    df = parse_frame(raw, spec, problems)
    cols = [c for c in spec if spec[c][0] in raw.df.columns]
    kanonik.require_values(df, raw, cols, problems, {c: spec[c][0] for c in cols})
    parts = df["output"].fillna("").str.split(".", n=1)
    df["kode_kro"] = parts.str[0].where(df["output"].notna(), None).astype(object)
    ro = parts.str[1]
    df["kode_ro"] = ro.where(ro.notna() & (ro != ""), None).astype(object)
    df["tahun"] = df["tanggal"].dt.year.astype("Int64")
    return df[schema.REALISASI_AKUN.names + ["_file", "_row"]]


def from_realisasi(realisasi: pd.DataFrame) -> pd.DataFrame:
    """realisasi_akun from item-level realisasi: summed per akun and SP2D date."""
    key = schema.REALISASI_AKUN.names[:-1]
    r = realisasi.copy()
    r["nilai"] = pd.to_numeric(r["nilai"]).astype(float)
    return (r.groupby(key, dropna=False, sort=True)["nilai"].sum().reset_index())


def write(ra: pd.DataFrame, path: Path) -> Path:
    """OM-SPAN CSV of realisasi_akun, columns named as the layout's first names."""
    n = len(ra)
    out = ra["kode_kro"].astype("string").fillna("")
    ro = ra["kode_ro"].astype("string").fillna("") if "kode_ro" in ra.columns else ""
    output = (out + np.where(ro != "", "." + ro, "")).astype(object) if n else out
    names = _layout().write_names()
    values = {"kode_satker": format_column(ra["kode_satker"], T),
              "kode_akun": format_column(ra["kode_akun"], T),
              "kode_program": format_column(ra["kode_program"], T),
              "kode_kegiatan": format_column(ra["kode_kegiatan"], T), "output": output,
              "tanggal": format_column(ra["tanggal"], D, dmy=True),
              "nilai": format_column(ra["nilai"], A)}
    text = pd.DataFrame({names[f][0]: v for f, v in values.items()}, index=ra.index)
    for col, v in CONSTANT.items():
        text[col] = v
    text[COLUMNS].to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
