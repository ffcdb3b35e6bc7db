"""Initial values from the page's address under Voilà, checked against the user's role.

A manager may open `/voila/render/<page>.ipynb?satker=017235&bulan=3`. Voilà
hands the query string to the kernel as env `QUERY_STRING` (for a preheated kernel only
after `voila.utils.wait_for_request()`, which `access.current_access()` calls first).

`baca(query, store, access)` keeps the valid values of the page parameters declared
with `tautan` (reports/selection.py: satker, unit, tahun, bulan, the month range, jenis
belanja, the budget date …), each read as its declaration says; an invalid value becomes
an Indonesian note and the default stays. A satker or unit kerja the user may not see is *refused*, never replaced: the page
then shows "Akses ditolak: …" and no data (Halaman.ditolak). Other keys (Voilà's own
`template`, `theme`) are ignored.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from .. import scopes
from ..problems import AksesDitolak
from ..reports.selection import PARAMETER, di_tautan, kutip, melewati

_KODE = re.compile(r"^[0-9A-Za-z]{1,12}$")


@dataclass
class Tautan:
    """What the address asked for: accepted values, notes on the rest, a refusal."""
    nilai: dict = field(default_factory=dict)
    pesan: list[str] = field(default_factory=list)
    ditolak: str | None = None


def query_string() -> str | None:
    """The page's query string under Voilà (None elsewhere: papermill, JupyterLab)."""
    from ..access import under_voila
    return os.environ.get("QUERY_STRING") if under_voila() else None


def baca(query: str | None, store, access) -> Tautan:
    """The page parameters in `query` that are valid and that `access` may see."""
    raw = parse_qs(query or "", keep_blank_values=False)
    given = {k: raw[k][-1].strip() for k in di_tautan() if k in raw and raw[k][-1].strip()}
    t = Tautan()
    for name, text in given.items():
        prm = PARAMETER[name]
        if prm.jenis == "kode":
            continue        # satker / unit kerja: against the store and the access, below
        try:
            value = prm.baca(text)
        except ValueError as e:
            t.pesan.append(prm.pesan(text, str(e)))
            continue
        if prm.jenis == "tahun":
            years = scopes.tahun_tersedia(store)
            if value not in years:
                t.pesan.append(prm.pesan(text, f"tersedia: {', '.join(map(str, years))}",
                                         salah="tidak ada di data"))
                continue
        t.nilai[name] = value
    for name, note in melewati(t.nilai):
        del t.nilai[name]
        t.pesan.append(note)
    _scope(given, t, store, access)
    return t


def _scope(given: dict, t: Tautan, store, access) -> None:
    from ..access import satker_choices, unit_choices
    satker, unit = given.get("satker"), given.get("unit")
    if satker is not None:
        if not _KODE.match(satker) or not scopes.satker_ada(store, satker):
            t.pesan.append(f"Satker “{kutip(satker)}” tidak ada di data; "
                           "parameter satker diabaikan.")
            satker = None
        elif satker not in [v for _, v in satker_choices(store, access)]:
            t.ditolak = f"Anda tidak berhak melihat data satker {satker}."
            t.nilai["satker"] = satker      # kept: the store refuses it too
            return
        else:
            t.nilai["satker"] = satker
    if unit is None:
        return
    owner = scopes.pemilik_unit(store, unit) if _KODE.match(unit) else None
    if owner is None:
        t.pesan.append(f"Unit kerja “{kutip(unit)}” tidak ada di data; "
                       "parameter unit diabaikan.")
        return
    if satker is not None and owner != satker:
        t.pesan.append(f"Unit kerja {unit} bukan bagian dari satker {satker}; "
                       "parameter unit diabaikan.")
        return
    try:
        allowed = [v for _, v in unit_choices(store, access, owner)]
    except AksesDitolak:
        allowed = []
    t.nilai.update(satker=owner, unit=unit)     # kept when refused: the store refuses it too
    if unit not in allowed:
        t.ditolak = f"Anda tidak berhak melihat data unit kerja {unit}."
