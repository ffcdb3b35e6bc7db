"""One IKPA computation shared by the reports of one page (issue 22 §5: a satker's IKPA
page from the store under 300 ms).

The satker page asks ikpa_estimasi, ikpa_riwayat (its last month is the same estimate),
ikpa_rincian and ikpa_rekonsiliasi of the same store, year, month and satker; the unit
kerja page asks the central satker's score once per unit. Each would compute every
indicator again. `ikpa._entri` keeps the result of `_hitung` (the indicators' Hasil, the
rule, the context without its store and query frames) and of `_estimasi` per key, in this
process, and hands back the same objects with the caller's store: the reports build their
own frames from them (copies), never change them. `laporan` keeps whole frames
(ikpa_riwayat, ikpa_peluang) and hands out copies.

The key is everything the numbers depend on: the store file a reader attached (path and
file stamp: an ingest swaps the file, store.refresh attaches the new one), the store's
content digest (store.fingerprint), the budget date a dated view reads
(store.tanggal_anggaran), the rule files in force (parameters.fingerprint), and year,
month, satker, rule. Only a reader is memoised: a writer's tables can change under it
without a new key (tests, an ingest in progress), so a writer always computes. A result
with the trace (jejak) serves a request without it (the scores are the same); whole-agency
traces (a million rows) are never kept.

`kueri` keeps, for one satker's page, the query results its reports share (ctx.cache,
_data.py: every entry is the same for every reporting month, or keyed by it, as the
history already shares one over its months): the estimate and ikpa_peluang read the
satker's pagu, realisasi and locked RPD once.
"""
from __future__ import annotations

import copy
import threading
from collections import OrderedDict

from ... import parameters

MAKS = 48          # entries kept (one satker page = 1 + one per month of the history)
_memo: OrderedDict = OrderedDict()
_kueri: OrderedDict = OrderedDict()     # one satker's query cache per (store, year, rule)
MAKS_KUERI = 8
_lock = threading.Lock()     # a server's sessions may compute in threads


def kosongkan() -> None:
    """Forget every kept computation (benchmarks/ikpa.py measures a cold page with it)."""
    with _lock:
        _memo.clear()
        _kueri.clear()


def kunci(store, tahun, bulan, satker, rule) -> tuple | None:
    """The key of a computation, or None when it must not be kept (a writer)."""
    if getattr(store, "_db", None) is None:
        return None
    return (str(store.path), store.file_stamp, store.fingerprint(),
            getattr(store, "tanggal_anggaran", None), parameters.fingerprint(),
            int(tahun), int(bulan), satker, rule.berkas)


def kueri(store, tahun, satker, rule) -> dict:
    """The query cache of one satker's page on a reader, kept; else (a writer, every
    satker) a new one for the caller alone. Small: one satker's pagu, realisasi and RPD
    per jenis belanja."""
    key = kunci(store, tahun, 0, satker, rule)
    if key is None or satker is None:
        return {}
    with _lock:
        got = _kueri.get(key)
        if got is None:
            got = _kueri[key] = {}
            while len(_kueri) > MAKS_KUERI:
                _kueri.popitem(last=False)
        _kueri.move_to_end(key)
        return got


def ambil(key, jejak: bool):
    """The kept (ctx, rule, hasil, dipakai) for `key`, one with the trace when `jejak`."""
    if key is None:
        return None
    with _lock:
        for j in ((True,) if jejak else (False, True)):
            got = _memo.get(key + (j,))
            if got is not None:
                _memo.move_to_end(key + (j,))
                return got
    return None


def simpan(key, jejak: bool, satker, value) -> None:
    if key is None or (jejak and satker is None):
        return
    with _lock:
        _memo[key + (jejak,)] = value
        while len(_memo) > MAKS:
            _memo.popitem(last=False)


def salinan(df):
    """A copy of a kept frame a caller may change (attrs included)."""
    out = df.copy()
    out.attrs = copy.deepcopy(df.attrs)
    return out


def laporan(nama: str, store, tahun, bulan, satker, rule, make):
    """A whole report's frame (ikpa_riwayat, ikpa_peluang) kept under the same key: a
    second visit of the page, or its downloads, computes nothing again. Returns a copy."""
    key = kunci(store, tahun, bulan, satker, rule)
    if key is None or satker is None:
        return make()
    key = key + (nama,)
    with _lock:
        got = _memo.get(key)
        if got is not None:
            _memo.move_to_end(key)
    if got is None:         # computed outside the lock (it reads the store)
        got = make()
        with _lock:
            _memo[key] = got
            while len(_memo) > MAKS:
                _memo.popitem(last=False)
    return salinan(got)
