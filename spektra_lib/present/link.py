"""Initial values from the page's address under Voilà, checked against the user's role.

A manager may open `/voila/render/<page>.ipynb?satker=017235&bulan=3`. Voilà
hands the query string to the kernel as env `QUERY_STRING` (for a preheated kernel only
after `voila.utils.wait_for_request()`, which `access.current_access()` calls first).

`baca(query, store, access)` keeps the valid values of satker / unit / tahun / bulan /
bulan_dari / jenis_belanja / per_tanggal (the budget as it stood on that date, YYYY-MM-DD,
CONTRACT §3); an invalid value becomes an Indonesian note and the default
stays. A satker or unit kerja the user may not see is *refused*, never replaced: the page
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
from ..reports.catalog import JENIS_BELANJA

KEYS = ("satker", "unit", "tahun", "bulan", "bulan_dari", "jenis_belanja", "per_tanggal")
_KODE = re.compile(r"^[0-9A-Za-z]{1,12}$")
_TANGGAL = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")   # 2022-03-31 only, not 20220331 or weeks


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


def _tampil(value: str) -> str:
    """A typed value as a message quotes it: short (the message is escaped when shown)."""
    return value if len(value) <= 24 else value[:24] + "…"


def baca(query: str | None, store, access) -> Tautan:
    """The page parameters in `query` that are valid and that `access` may see."""
    raw = parse_qs(query or "", keep_blank_values=False)
    given = {k: raw[k][-1].strip() for k in KEYS if k in raw and raw[k][-1].strip()}
    t = Tautan()
    _angka(given, t, store)
    jenis = given.get("jenis_belanja")
    if jenis is not None:
        if jenis in JENIS_BELANJA:
            t.nilai["jenis_belanja"] = jenis
        else:
            t.pesan.append(f"Jenis belanja “{_tampil(jenis)}” tidak dikenal (pilihan: "
                           f"{', '.join(JENIS_BELANJA)}); ditampilkan semua jenis belanja.")
    _per_tanggal(given.get("per_tanggal"), t)
    _scope(given, t, store, access)
    return t


def _per_tanggal(value: str | None, t: Tautan) -> None:
    if value is None:
        return
    from datetime import date
    try:
        if not _TANGGAL.match(value):
            raise ValueError(value)
        t.nilai["per_tanggal"] = date.fromisoformat(value).isoformat()
    except ValueError:
        t.pesan.append(f"Tanggal anggaran (per_tanggal) “{_tampil(value)}” tidak sah (isi "
                       "tanggal seperti 2022-03-31); ditampilkan anggaran terakhir.")


def _angka(given: dict, t: Tautan, store) -> None:
    if "tahun" in given:
        years = scopes.tahun_tersedia(store)
        v = given["tahun"]
        if v.isdigit() and int(v) in years:
            t.nilai["tahun"] = int(v)
        else:
            t.pesan.append(f"Tahun “{_tampil(v)}” tidak ada di data (tersedia: "
                           f"{', '.join(map(str, years))}); ditampilkan tahun terakhir.")
    for key, label in (("bulan", "Bulan"), ("bulan_dari", "Bulan awal (bulan_dari)")):
        v = given.get(key)
        if v is None:
            continue
        if v.isdigit() and 1 <= int(v) <= 12:
            t.nilai[key] = int(v)
        else:
            t.pesan.append(f"{label} “{_tampil(v)}” tidak sah (isi angka 1 sampai 12); "
                           "dipakai nilai bawaan.")
    dari, sampai = t.nilai.get("bulan_dari"), t.nilai.get("bulan")
    if dari and sampai and dari > sampai:
        del t.nilai["bulan_dari"]
        t.pesan.append(f"Bulan awal ({dari}) sesudah bulan laporan ({sampai}); "
                       "rentang dimulai dari Januari.")


def _scope(given: dict, t: Tautan, store, access) -> None:
    from ..access import satker_choices, unit_choices
    satker, unit = given.get("satker"), given.get("unit")
    if satker is not None:
        if not _KODE.match(satker) or not scopes.satker_ada(store, satker):
            t.pesan.append(f"Satker “{_tampil(satker)}” tidak ada di data; "
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
        t.pesan.append(f"Unit kerja “{_tampil(unit)}” tidak ada di data; "
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
