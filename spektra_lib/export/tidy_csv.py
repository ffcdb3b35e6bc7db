"""CSV: the tidy table of CONTRACT.md §2 exactly — a public contract for automation.

Header = the contract's columns in order (columns added later follow them); numbers are
not formatted (no thousands dots), but rupiah are written as rupiah: `17700188000`, or
`1875.50` with its sen, never a float's `17700188000.0`; empty cells for missing values;
UTF-8 without BOM.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..present.kolom import jenis as jenis_kolom
from ..reports import catalog
from .common import contract_columns


def contract_order(df: pd.DataFrame, report: str) -> pd.DataFrame:
    cols = contract_columns(report)
    absent = [c for c in cols if c not in df.columns]
    if absent:
        raise ValueError(f"Laporan {report} tidak memuat kolom kontrak: {', '.join(absent)}")
    return df[cols + [c for c in df.columns if c not in cols]]


def write_csv(df: pd.DataFrame, path: Path, report: str) -> Path:
    out = contract_order(df, report).copy()
    for k in catalog.laporan(report).kolom:
        tulis = jenis_kolom(k.jenis).csv       # the kind's CSV form (present/kolom.py)
        if tulis is not None and k.key in out.columns:
            out[k.key] = tulis(out[k.key])
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)
