"""Who and what a report can be about: satker and unit kerja lists, names for titles.

Lists respect `store.access`: a User sees only the own satker (and the own unit kerja);
Admin, Super User and Publik (the dashboard's satker filter) see all. Below reports,
present and access: it asks only the store.
"""
from __future__ import annotations

import pandas as pd


def _restricted(store) -> bool:
    return store.access.sendiri


def satker_pusat(store) -> str | None:
    """The central satker: the one whose unit kerja are listed (the most, if several)."""
    return store.scalar("SELECT kode_satker FROM unit_kerja GROUP BY kode_satker "
                        "ORDER BY count(*) DESC, kode_satker LIMIT 1")


def nama_satker(store, satker: str) -> str:
    return store.scalar("SELECT nama_satker FROM satker WHERE kode_satker = $s",
                        {"s": satker}) or satker


def nama_unit(store, unit: str) -> str:
    return store.scalar("SELECT nama_unit FROM unit_kerja WHERE kode_unit = $u",
                        {"u": unit}) or unit


def daftar_satker(store) -> pd.DataFrame:
    """kode_satker, nama_satker, kelompok — ordered by kelompok (PUSAT first), then code."""
    cond, p = "", {}
    if _restricted(store):
        cond, p = "WHERE list_contains($s, kode_satker)", {"s": list(store.access.satkers)}
    return store.sql(
        "SELECT kode_satker, nama_satker, kelompok FROM satker " + cond +
        " ORDER BY CASE kelompok WHEN 'PUSAT' THEN 0 WHEN 'KANREG' THEN 1 "
        "WHEN 'PUSBANG' THEN 2 ELSE 3 END, kode_satker", p)


def daftar_unit(store, satker: str | None = None) -> pd.DataFrame:
    """kode_unit, nama_unit, kode_satker — of `satker` (or all), ordered by code."""
    cond, p = ["TRUE"], {}
    if satker is not None:
        cond.append("kode_satker = $s")
        p["s"] = satker
    if _restricted(store):
        # a whole satker of the user's: all its units; else only the units listed
        a = store.access
        whole = [s for s, u in a.lingkup if u is None]
        pairs = [f"{s}/{u}" for s, u in a.lingkup if u is not None]
        cond.append("(list_contains($whole, kode_satker) OR "
                    "list_contains($pairs, kode_satker || '/' || kode_unit))")
        p["whole"], p["pairs"] = whole or [""], pairs or [""]
    return store.sql("SELECT kode_unit, nama_unit, kode_satker FROM unit_kerja WHERE "
                     + " AND ".join(cond) + " ORDER BY kode_unit", p)


def nama_scope(store, satker: str | None = None, unit: str | None = None) -> str:
    """The name a title shows: the unit kerja, else the satker, else "Seluruh Satker"."""
    if unit is not None:
        return nama_unit(store, unit)
    if satker is not None:
        return nama_satker(store, satker)
    return "Seluruh Satker"


def nama_unit_map(store) -> dict[str, str]:
    """kode_unit -> nama_unit of the units this store's user may see."""
    units = daftar_unit(store)
    return dict(zip(units["kode_unit"], units["nama_unit"]))


def latest_period(store) -> tuple[int, int]:
    """(tahun, bulan) a page opens without one chosen — the one rule for the site, the app
    and the CLI: the newest year with realisasi and its last month with realisasi. A new
    year's DIPA without realisasi yet (January) leaves every page on the year before; a
    store with budget but no realisasi opens its newest budget year at December."""
    row = store.sql(
        "SELECT tahun, max(month(tanggal)) AS bulan FROM (SELECT tahun, tanggal FROM realisasi "
        "UNION ALL SELECT tahun, tanggal FROM realisasi_akun) GROUP BY tahun "
        "ORDER BY tahun DESC LIMIT 1")
    if len(row) and not pd.isna(row["tahun"].iloc[0]):
        return int(row["tahun"].iloc[0]), int(row["bulan"].iloc[0])
    tahun = store.scalar("SELECT max(tahun) FROM pok")
    if tahun is None:
        raise ValueError("Store masih kosong: jalankan dulu `spektra ingest FOLDER`.")
    return int(tahun), 12


def bulan_terakhir(store, tahun) -> int:
    """The last month of `tahun` with realisasi (12 when none): the months a page offers
    to choose ("S.d. bulan" offered months with no data, issue 27.8)."""
    if not tahun:
        return 12
    bulan = store.scalar(
        "SELECT max(m) FROM (SELECT max(month(tanggal)) m FROM realisasi WHERE tahun = ? "
        "UNION ALL SELECT max(month(tanggal)) FROM realisasi_akun WHERE tahun = ?)",
        [int(tahun), int(tahun)])
    return int(bulan or 12)


def periode_bawaan(store) -> tuple[int, int]:
    """(tahun, bulan) a notebook page opens on without its own: SPEKTRA_PERIODE
    ("2022-05", as `make lab` sets it from the demo's TAHUN/BULAN, so the notebooks open on
    the site's month), else latest_period."""
    from .settings import settings
    value = settings().periode.strip()
    if value:
        try:
            tahun, bulan = (int(x) for x in value.split("-"))
            if 1 <= bulan <= 12:
                return tahun, bulan
        except ValueError:
            pass
        raise ValueError(f"SPEKTRA_PERIODE harus TAHUN-BULAN, mis. 2022-05; bukan '{value}'.")
    return latest_period(store)


def tahun_tersedia(store) -> list[int]:
    """The budget years in the store, ascending."""
    return [int(y) for y in store.sql("SELECT DISTINCT tahun FROM pok ORDER BY tahun")["tahun"]]


def satker_ada(store, satker: str) -> bool:
    return bool(store.scalar("SELECT count(*) FROM satker WHERE kode_satker = ?", [satker]))


def pemilik_unit(store, unit: str) -> str | None:
    """The satker a unit kerja belongs to (None: no such unit)."""
    return store.scalar("SELECT kode_satker FROM unit_kerja WHERE kode_unit = ?", [unit])


def tanggal_data(store):
    """When the store was last loaded (the latest ingest), or None."""
    return store.scalar("SELECT max(waktu) FROM ingest_log")


def satuan_sumber(store, tahun, satker=None, unit=None) -> list[dict]:
    """What the page's Posisi data says of units (issue 24): the unit each Excel report
    of the scope was read in and from what evidence (posisi.satuan_sumber); [] when none
    was recorded or the store cannot tell."""
    if not tahun:
        return []
    from .posisi import satuan_sumber as rows
    try:
        out = rows(store, int(tahun), satker, unit)
    except Exception:          # noqa: BLE001  a store without the table: no words, no failure
        return []
    # the agency's page counts satker per unit rather than naming one satker's file
    return [{**r, "seluruh": satker is None and unit is None} for r in out]


def posisi_data(store, tahun, satker=None, unit=None, bulan=None):
    """The date a page or file states as Posisi data (CONTRACT §3): the latest date in the
    scope's data (Store.posisi_data), but not past the end of the reported month (a report
    s.d. Mei does not show June's payments); None when the scope has no dated data."""
    if not tahun:
        return None
    try:
        tanggal = store.posisi_data(int(tahun), satker, unit)
    except Exception:          # noqa: BLE001  a store without the table: no line, no failure
        return None
    if tanggal is not None and bulan:
        import calendar
        from datetime import date, datetime
        akhir = date(int(tahun), int(bulan), calendar.monthrange(int(tahun), int(bulan))[1])
        if isinstance(tanggal, datetime):
            tanggal = tanggal.date()
        tanggal = min(tanggal, akhir)
    return tanggal
