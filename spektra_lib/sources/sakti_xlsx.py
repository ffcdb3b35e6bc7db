"""SAKTI Excel reports that finance staff download by hand (DOMAIN.md §6).

- Form Cetak POK / RPD DIPA petikan -> `pok`
- Daftar SP2D -> `spp`

`read_report` is asked about every .xlsx before the generic sheet reader; it returns
None when the workbook is not one of these reports.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..problems import Problem


def read_report(path: Path, label: str, problems: list[Problem],
                tahun: int | None = None) -> dict[str, pd.DataFrame] | None:
    """{canonical table: frame with the schema's columns plus `_file`, `_row`} for a SAKTI
    Excel report; None when `path` is not one (the caller reads it as a plain sheet)."""
    return None
