"""Every report of CONTRACT.md §2: (store, pilihan) -> tidy DataFrame, never formatted.

What each report is (function, title, parameters, columns, public or scoped …) is declared
once in `catalog.py`. A report function is `fn(store, pilihan)`: `pilihan` is the one
`Selection` (selection.py) of the page parameters it accepts. Every report runs through
`run()`, which builds that Selection from keywords and checks the scope against
the store's access before the report reads anything; `reports.<name>(store, …)` is the
same entry point. Modules load on first use, so that `spektra report` and a notebook pay
only for the report they run.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable

from .catalog import LAPORAN, laporan
from .selection import Selection, setiap_laporan

if TYPE_CHECKING:
    import pandas as pd


def function(name: str) -> Callable[..., "pd.DataFrame"]:
    """The report's own function (no scope check: call `run`)."""
    module, func = laporan(name).fungsi.split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)


def parameters_of(name: str) -> list[str]:
    """The keyword parameters a report accepts (besides store)."""
    return list(laporan(name).parameter)


def run(name: str, store, **params) -> "pd.DataFrame":
    """Run a report with the parameters it accepts; others (None) are ignored, others set
    refuse. The scope asked for is checked first: a report cannot forget it."""
    # the function is looked up only once the scope has passed (tests/test_catalog.py)
    return guarded(name, store, params, lambda st, pilihan: function(name)(st, pilihan))


def guarded(name: str, store, params: dict, fn: Callable, *, ignore: tuple = ()):
    """`fn(store, pilihan)` behind run's checks: the values read as their declarations say
    (reports/selection.py; an invalid one refused), unknown parameters refused, the scope
    checked against the store's access first, the budget as of per_tanggal. `pilihan` is
    one Selection of the parameters the report accepts (per_tanggal is the store's, not
    the report's). `fn` may return a frame or a dict of frames (keuangan.semua_rentang);
    each gets the version note. `ignore`: parameters `fn` does not take (dropped, not
    refused)."""
    entry = laporan(name)
    for key in ignore:
        params.pop(key, None)
    accepted = (set(entry.parameter) - set(ignore)) | set(setiap_laporan())
    extra = {k: v for k, v in params.items() if k not in accepted and v is not None}
    if extra:
        raise ValueError(f"Laporan '{name}' tidak memakai parameter: {', '.join(sorted(extra))}")
    pilihan = Selection(**{k: v for k, v in params.items() if k in accepted})
    missing = [k for k in ("tahun", "bulan") if getattr(pilihan, k) is None]
    if missing:
        raise ValueError(f"Laporan '{name}' memerlukan {' dan '.join(missing)}.")
    given = Selection(**pilihan.only(accepted - {"per_tanggal"}))
    store.refresh()   # a kept reader sees the latest ingest (issue 14 §6)
    store.check_scope(given.satker, given.unit, public=entry.publik)
    if given.satker is not None and not store.scalar(
            "SELECT count(*) FROM satker WHERE kode_satker = $s", {"s": str(given.satker)}):
        # an empty report for a mistyped code reads as "no spending": refuse instead
        raise ValueError(f"Satker '{given.satker}' tidak dikenal di store ini; daftar satker "
                         "ada di laporan ranking_satker.")
    if pilihan.per_tanggal is None:
        return fn(store, given)
    # per_tanggal (CONTRACT §3): every report reads the budget as it stood on that date
    from datetime import date
    per_tanggal = date.fromisoformat(pilihan.per_tanggal)
    with store.anggaran(given.tahun, tanggal=per_tanggal) as dated:
        out = fn(dated, given)
    from ._common import catat_versi

    def versi(df):
        return catat_versi(df, store, given.tahun, given.satker, per_tanggal,
                           bulan=given.bulan)
    return {k: versi(df) for k, df in out.items()} if isinstance(out, dict) else versi(out)


def versi_info(dated, tahun: int, satker, rpd: bool) -> list[dict]:
    """versi.used for a store view (Store.anggaran) at its budget date: which version each
    satker's figures come from (reports/catatan_versi.py words it)."""
    from ..versi import used
    return used(dated.con, tahun=int(tahun), satker=satker, tanggal_anggaran=dated.tanggal_anggaran,
                rpd=rpd)


def _entry(name: str):
    def report(store, *args, **params):
        if args:
            params.update(zip(("tahun", "bulan"), args))
        return run(name, store, **params)
    report.__name__ = report.__qualname__ = name
    report.__doc__ = function(name).__doc__
    return report


def __getattr__(name: str):
    # `reports.<name>(store, tahun, bulan, ...)` works as the contract says.
    if name in LAPORAN:
        return _entry(name)
    raise AttributeError(name)
