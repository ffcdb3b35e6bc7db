"""CSV: the tidy table of CONTRACT.md §2 exactly — a public contract for automation.

Header = the contract's columns in order (columns added later follow them); numbers are
not formatted; empty cells for missing values; UTF-8 without BOM.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import contract_columns


def contract_order(df: pd.DataFrame, report: str) -> pd.DataFrame:
    cols = contract_columns(report)
    absent = [c for c in cols if c not in df.columns]
    if absent:
        raise ValueError(f"Laporan {report} tidak memuat kolom kontrak: {', '.join(absent)}")
    return df[cols + [c for c in df.columns if c not in cols]]


def write_csv(df: pd.DataFrame, path: Path, report: str) -> Path:
    contract_order(df, report).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)
