"""Readers, one per source layout, each landing in the canonical tables (schema.py).

`read(path)` recognises the layout and returns a Batch; nothing here touches the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..problems import Problem


@dataclass
class Batch:
    layout: str                                   # kanonik, sakti, adk, omspan
    # Canonical tables: schema columns with parsed values (TEXT pandas `str`: Arrow, NaN
    # when missing; AMOUNT/NUMBER
    # float, INT Int64, DATE datetime64) plus `_file` and `_row` (the source line) so that
    # later checks can name where a value came from.
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # shown to the user after ingest
    # What each file was recognised as, for `spektra periksa`: dicts with keys
    # berkas (label as in problems), layout (name), judul (Indonesian title),
    # tabel (canonical table it feeds), baris (data lines read).
    recognised: list[dict] = field(default_factory=list)
    # Files left out as not supported (one line each: what they look like, the nearest
    # supported report); a warning, a refusal with `--ketat`.
    skipped: list[Problem] = field(default_factory=list)
    # The unit each Excel report's amounts were read in and from what evidence (dicts of
    # schema.SATUAN_SUMBER's columns), kept by the store for the page's Posisi data.
    satuan: list[dict] = field(default_factory=list)
    # The months a file declares it covers, per satker (GLP039: January to its period),
    # dicts of schema.CAKUPAN_SUMBER's columns: an ingest replaces exactly those months.
    cakupan: list[dict] = field(default_factory=list)
    # The layout of each file feeding a dated table, per satker and year (dicts of
    # schema.SUMBER_TABEL's columns; sources/dua_sumber.py).
    sumber: list[dict] = field(default_factory=list)
