"""Working days and the capaian-output reporting deadline (DOMAIN.md §4).

A working day is Monday–Friday that is neither a national holiday nor cuti bersama as the
`holidays` package knows them (Indonesia, categories public + government), corrected by
the override lists in parameters/kalender.yaml (the SKB on cuti bersama changes yearly).
The report for month m is due on the N-th working day of month m+1; N comes from
parameters/kalender.yaml (10 for 2021, 5 from 2022); December's report is due in January
of the next year.
"""
from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays
import numpy as np
import pandas as pd

from . import parameters
from .schema import BULAN, BULAN_SINGKAT  # noqa: F401  (the month names: schema.py)


def nama_bulan(m: int, singkat: bool = False) -> str:
    """3 -> 'Maret' ('Mar' singkat)."""
    return (BULAN_SINGKAT if singkat else BULAN)[int(m) - 1]


def _as_date(x) -> date:
    return x if isinstance(x, date) else date.fromisoformat(str(x))


@functools.cache
def _package_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Indonesia(years=year, categories=("public", "government")))


def hari_libur(year: int) -> set[date]:
    """Every weekday off in `year`: holidays + cuti bersama + libur_tambahan − hari_kerja_tambahan."""
    p = parameters.load("kalender")
    extra_off = {_as_date(d) for d in p.get("libur_tambahan") or []}
    extra_work = {_as_date(d) for d in p.get("hari_kerja_tambahan") or []}
    off = set(_package_holidays(year)) | {d for d in extra_off if d.year == year}
    return {d for d in off if d.weekday() < 5} - extra_work


def is_hari_kerja(d: date) -> bool:
    return d.weekday() < 5 and d not in hari_libur(d.year)


def hari_kerja_ke(year: int, month: int, n: int) -> date:
    """The n-th working day (1-based) of the month."""
    if n < 1:
        raise ValueError("n harus >= 1")
    off = hari_libur(year)
    d, count = date(year, month, 1), 0
    while True:
        if d.weekday() < 5 and d not in off:
            count += 1
            if count == n:
                return d
        d += timedelta(days=1)


def n_hari_kerja(tahun: int) -> int:
    """N of the deadline rule in force for reports of `tahun` (latest key <= tahun)."""
    rules = {int(k): int(v) for k, v in parameters.load("kalender")["hari_kerja_ke"].items()}
    years = [y for y in rules if y <= tahun]
    return rules[max(years)] if years else rules[min(rules)]


def batas_waktu_capaian(tahun: int, bulan: int) -> date:
    """Due date of the capaian-output report for month `bulan` of `tahun`."""
    if not 1 <= bulan <= 12:
        raise ValueError(f"Bulan {bulan} di luar 1–12.")
    year, month = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
    return hari_kerja_ke(year, month, n_hari_kerja(tahun))


def _busdaycal(years) -> np.busdaycalendar:
    off = sorted(d for y in sorted(set(years)) for d in hari_libur(int(y)))
    return np.busdaycalendar(holidays=np.array(off, dtype="datetime64[D]"))


def hari_kerja_antara(mulai, sampai) -> np.ndarray:
    """Working days after `mulai` up to and including `sampai` (arrays of dates, NaT
    allowed -> NaN): BAST 28 April 2022 -> SPM 24 May 2022 is 11 (18 weekdays less the
    cuti bersama of 29 April and 4–6 May, Idul Fitri 2–3 May and Waisak 16 May)."""
    a = pd.to_datetime(pd.Series(mulai)).to_numpy("datetime64[D]")
    b = pd.to_datetime(pd.Series(sampai)).to_numpy("datetime64[D]")
    ok = ~(np.isnat(a) | np.isnat(b))
    out = np.full(len(a), np.nan)
    if ok.any():
        both = np.concatenate([a[ok], b[ok]]).astype("datetime64[Y]").astype(int) + 1970
        cal = _busdaycal(range(int(both.min()), int(both.max()) + 1))
        out[ok] = np.busday_count(a[ok] + 1, b[ok] + 1, busdaycal=cal)
    return out
