"""OM-SPAN realisasi CSV: payments at akun level, no komponen, no item.

It lands in the extra table `realisasi_akun`. OUTPUT is written `KRO.RO` (a bare `KRO`
is read too, leaving kode_ro empty); tahun is the year of TANGGAL.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import kanonik
from .parse import RawTable, format_column, parse_frame

T, A, D = schema.TEXT, schema.AMOUNT, schema.DATE
COLUMNS = ["KDSATKER", "BA", "BAES1", "AKUN", "PROGRAM", "KEGIATAN", "OUTPUT", "KEWENANGAN",
           "SUMBER_DANA", "CARA_TARIK", "KDREGISTER", "LOKASI", "BUDGET_TYPE", "TANGGAL",
           "AMOUNT"]
SPEC = {"kode_satker": ("KDSATKER", T), "kode_program": ("PROGRAM", T),
        "kode_kegiatan": ("KEGIATAN", T), "output": ("OUTPUT", T), "kode_akun": ("AKUN", T),
        "tanggal": ("TANGGAL", D), "nilai": ("AMOUNT", A)}


def signature(cols: set[str]) -> str | None:
    return "omspan" if {"KDSATKER", "AKUN", "TANGGAL", "AMOUNT"} <= cols else None


def read(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    for src, _ in SPEC.values():
        if src not in raw.df.columns:
            problems.append(Problem(raw.name, 1, src, "kolom wajib tidak ada di realisasi OM-SPAN"))
    df = parse_frame(raw, SPEC, problems)
    cols = list(SPEC)
    kanonik.require_values(df, raw, cols, problems, {c: SPEC[c][0] for c in cols})
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
    n = len(ra)
    out = ra["kode_kro"].astype("string").fillna("")
    ro = ra["kode_ro"].astype("string").fillna("") if "kode_ro" in ra.columns else ""
    output = (out + np.where(ro != "", "." + ro, "")).astype(object) if n else out
    text = pd.DataFrame({
        "KDSATKER": format_column(ra["kode_satker"], T), "BA": "088", "BAES1": "08801",
        "AKUN": format_column(ra["kode_akun"], T),
        "PROGRAM": format_column(ra["kode_program"], T),
        "KEGIATAN": format_column(ra["kode_kegiatan"], T), "OUTPUT": output,
        "KEWENANGAN": "KP", "SUMBER_DANA": "A", "CARA_TARIK": "1", "KDREGISTER": "",
        "LOKASI": "0100", "BUDGET_TYPE": "DIPA",
        "TANGGAL": format_column(ra["tanggal"], D, dmy=True),
        "AMOUNT": format_column(ra["nilai"], A)}, index=ra.index)
    text[COLUMNS].to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
