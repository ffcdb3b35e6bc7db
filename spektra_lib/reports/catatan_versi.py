"""The sentence under a report saying which budget version its figures use (issue 27.11).

From versi.used(): per satker the reference version (versi, revisi, tanggal) and, per month,
the version whose RPD the month is measured against. Dates as a reader writes them
("5 Juli 2022"); a version dated after the reported month says so; the agency's page groups
the satkers that share a version instead of listing each (it became a paragraph).
"""
from __future__ import annotations

import calendar
from datetime import date, datetime

from ..kalender import nama_bulan

SEBUT = 3           # satkers named in a group; more are counted


def _tanggal(d) -> str:
    if isinstance(d, datetime):
        d = d.date()
    return f"{d.day} {nama_bulan(d.month)} {d.year}"


def _rpd(months: dict) -> str:
    """'RPD Jan–Mar revisi 0, Apr–Des revisi 1'; empty when all months share one."""
    runs: list[list] = []
    for m in range(1, 13):
        ver = months[m]
        if runs and runs[-1][2] == ver:
            runs[-1][1] = m
        else:
            runs.append([m, m, ver])
    if len(runs) < 2:
        return ""
    return "RPD " + ", ".join(
        (f"{nama_bulan(a, True)}–{nama_bulan(b, True)}" if a != b else nama_bulan(a, True))
        + f" revisi {ver[1]}" for a, b, ver in runs)


def kalimat(info: list[dict], tanggal: date | None, tahun: int | None = None,
            bulan: int | None = None) -> str | None:
    """'Anggaran terakhir: POK revisi 2 (berlaku 5 Juli 2022, sesudah Mei 2022); RPD …'.
    None when every satker has a single version and no date was asked for."""
    if not info or (tanggal is None and all(i["jumlah_versi"] == 1 for i in info)):
        return None
    akhir = None
    if tahun and bulan:
        akhir = date(int(tahun), int(bulan), calendar.monthrange(int(tahun), int(bulan))[1])
    groups: dict[tuple, list[str]] = {}
    for i in info:
        _, rev, tgl = i["acuan"]
        tgl = tgl.date() if isinstance(tgl, datetime) else tgl
        groups.setdefault((rev, tgl, _rpd(i["bulan"])), []).append(i["kode_satker"])
    parts = []
    for (rev, tgl, rpd), kode in groups.items():
        after = (f", sesudah {nama_bulan(bulan)} {tahun}"
                 if akhir is not None and tanggal is None and tgl > akhir else "")
        text = f"POK revisi {rev} (berlaku {_tanggal(tgl)}{after})"
        if len(info) > 1:
            who = (f"semua {len(kode)} satker" if len(groups) == 1 else
                   f"satker {', '.join(kode)}" if len(kode) <= SEBUT else f"{len(kode)} satker")
            text = f"{who}: {text}"
        parts.append(text + (f"; {rpd}" if rpd else ""))
    head = (f"Anggaran per tanggal {_tanggal(tanggal)}" if tanggal
            else "Anggaran terakhir")
    return f"{head}: " + " · ".join(parts) + "."
