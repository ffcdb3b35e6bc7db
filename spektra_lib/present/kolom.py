"""Column kinds, one definition each (issue 21 §3): how a value of a catalog column kind
reads on the page and in a file (Word, PDF, the printable HTML), what an Excel cell holds
and its number format, how the tidy CSV writes it, and how it is aligned.

The catalog (reports/catalog.py `KINDS`) names the kind of every report column; the page's
tables (present/tables.py, present/tree.py) and every export format (export/common.py,
excel.py, word.py, html_page.py, tidy_csv.py) read the kind's behaviour from `JENIS` below
and nowhere else (tests/test_kolom.py fails on a kind compared by name there). A new kind is one `Jenis` here plus its name in the catalog's `KINDS`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

import pandas as pd

from ..reports.catalog import JENIS_BELANJA
from . import format as fmt


def kosong(x) -> bool:
    """A missing value (None, NaN, NaT, pd.NA): an empty cell everywhere."""
    return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


def _teks(v) -> str:
    return v if isinstance(v, str) else str(v)


def _ya_tidak(v) -> str:
    return "Ya" if v in (1, True, "1") else "Tidak"


def _jenis_belanja(v) -> str:
    j = str(v)
    if j == "":     # a report's satker line over every jenis belanja (proyeksi, peluang)
        return "Seluruh belanja"
    return f"{j} {JENIS_BELANJA[j]}" if j in JENIS_BELANJA else j


def _bulat(v) -> str:
    try:
        return str(int(v))
    except (TypeError, ValueError):
        return str(v)


def _rupiah_csv(s: pd.Series) -> pd.Series:
    """Rupiah in the tidy CSV: whole rupiah as integers ("1234567"), others with two
    decimals, missing empty (a machine format, not the Indonesian one users read)."""
    x = pd.to_numeric(s, errors="coerce")
    whole = x.notna() & (x.round(2) == x.round(0))
    out = pd.Series("", index=s.index, dtype=object)
    out[whole] = x[whole].round(0).astype("int64").astype(str)
    part = x.notna() & ~whole
    out[part] = x[part].map(lambda v: f"{v:.2f}")
    return out


def _tanggal_excel(v):
    if isinstance(v, str):
        return datetime.fromisoformat(v).date()
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v if isinstance(v, (date, datetime)) else None


def _angka_excel(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _bulat_excel(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Jenis:
    """One column kind. `teks`: a present value as the user reads it (the page, Word, PDF,
    HTML); `excel`: the number format of an Excel cell holding the value itself (None: the
    cell holds `teks`, as text); `sel`: the value an Excel cell holds (None when it is not
    one after all: then written as text); `csv`: how the tidy CSV writes the column (None:
    as pandas does); `angka`: a number, right-aligned on the page; `kanan_di_berkas`:
    right-aligned (and kept on one line) in a file's table — every value that is not free
    text, dates too."""
    nama: str
    teks: Callable[[object], str]
    angka: bool = False
    excel: str | None = None
    sel: Callable[[object], object] | None = None
    kanan_di_berkas: bool = False
    csv: Callable[[pd.Series], pd.Series] | None = None

    def tampil(self, v) -> str:
        """The value as read; empty for a missing one."""
        return "" if kosong(v) else self.teks(v)

    def nilai_excel(self, v):
        """What an Excel cell of this kind holds: a number or date (formatted `excel`),
        else None (the cell is text)."""
        return self.sel(v) if self.sel is not None else None


JENIS: dict[str, Jenis] = {j.nama: j for j in [
    Jenis("rupiah", fmt.rupiah, angka=True, excel="#,##0", sel=_angka_excel,
          kanan_di_berkas=True, csv=_rupiah_csv),
    Jenis("persen", fmt.persen, angka=True, excel='0.00" %"', sel=_angka_excel,
          kanan_di_berkas=True),
    Jenis("angka", fmt.angka, angka=True, excel="#,##0.##", sel=_angka_excel,
          kanan_di_berkas=True),
    Jenis("bulat", _bulat, angka=True, excel="0", sel=_bulat_excel, kanan_di_berkas=True),
    Jenis("tanggal", fmt.tanggal, excel="dd/mm/yyyy", sel=_tanggal_excel,
          kanan_di_berkas=True),
    Jenis("teks", _teks),
    Jenis("bulan", lambda v: fmt.nama_bulan(int(v))),
    Jenis("jenis_belanja", _jenis_belanja),
    Jenis("ya_tidak", _ya_tidak),
    # a unit kerja's code; the page shows its name where it knows the names (tables.py)
    Jenis("unit", _teks),
]}

ANGKA = frozenset(k for k, j in JENIS.items() if j.angka)


def jenis(nama: str) -> Jenis:
    """The kind of that name; an unknown name reads as text."""
    return JENIS.get(nama, JENIS["teks"])


def tampil(v, nama: str) -> str:
    """A value of kind `nama` as read (page, Word, PDF, HTML)."""
    return jenis(nama).tampil(v)


def pembaca(nama: str, nama_unit: dict[str, str] | None = None) -> Callable[[object], str]:
    """How the page shows a column of kind `nama`: the kind's reading, and a unit kerja by
    its name where the page knows the names (files keep the code)."""
    if nama == "unit" and nama_unit:
        return lambda k: nama_unit.get(k, k) if isinstance(k, str) else ""
    return jenis(nama).tampil
