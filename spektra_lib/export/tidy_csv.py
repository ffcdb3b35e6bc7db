"""CSV: the tidy table of CONTRACT.md §2 exactly — a public contract for automation.

Header = the contract's columns in order (columns added later follow them); numbers are
not formatted (no thousands dots), but rupiah are written as rupiah: `17700188000`, or
`1875.50` with its sen, never a float's `17700188000.0`; empty cells for missing values;
UTF-8 without BOM.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..reports import catalog
from .common import contract_columns


def contract_order(df: pd.DataFrame, report: str) -> pd.DataFrame:
    cols = contract_columns(report)
    absent = [c for c in cols if c not in df.columns]
    if absent:
        raise ValueError(f"Laporan {report} tidak memuat kolom kontrak: {', '.join(absent)}")
    return df[cols + [c for c in df.columns if c not in cols]]


def _rupiah_text(s: pd.Series) -> pd.Series:
    x = pd.to_numeric(s, errors="coerce")
    whole = x.notna() & (x.round(2) == x.round(0))
    out = pd.Series("", index=s.index, dtype=object)
    out[whole] = x[whole].round(0).astype("int64").astype(str)
    part = x.notna() & ~whole
    out[part] = x[part].map(lambda v: f"{v:.2f}")
    return out


def write_csv(df: pd.DataFrame, path: Path, report: str) -> Path:
    out = contract_order(df, report).copy()
    for k in catalog.laporan(report).kolom:
        if k.jenis == "rupiah" and k.key in out.columns:
            out[k.key] = _rupiah_text(out[k.key])
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)
