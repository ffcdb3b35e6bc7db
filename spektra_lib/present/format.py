"""Indonesian number, percent, date and month formatting (babel, locale id_ID)."""
from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

from ..kalender import BULAN, BULAN_SINGKAT, nama_bulan  # noqa: F401  (month names live there)

LOCALE = "id_ID"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x) in ("NaT", "<NA>", "nan")


def _id_ID(x, decimals: int, trailing_zeros: bool) -> str:
    """Babel's id_ID output for "#,##0.00" (trailing_zeros) or "#,##0.##", ~20x faster
    (a deviasi page formats tens of thousands of cells; the IKPA page's trace a thousand):
    the value is rounded to `decimals` first, so up to 15 significant digits Python's
    fixed-point digits are Babel's (tests/test_present_tables.py holds them equal on any
    float). Beyond, Babel (it writes a float's shortest digits), and past its 28-digit
    precision, where it fails, the float's exact digits."""
    r = round(float(x), decimals)
    if not math.isfinite(r) or 10.0 ** (15 - decimals) <= abs(r) < 10.0 ** (28 - decimals):
        pattern = "#,##0" + ("." + ("0" if trailing_zeros else "#") * decimals
                             if decimals else "")
        return format_decimal(r, format=pattern, locale=LOCALE)
    text = f"{abs(r):,.{decimals}f}"
    if not trailing_zeros and decimals:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return "-" + text if math.copysign(1.0, r) < 0 else text


def rupiah(x, decimals: int = 0) -> str:
    """1234567 -> '1.234.567'; negative keeps its sign; empty for missing."""
    if _missing(x):
        return ""
    return _id_ID(x, decimals, True)


def persen(x, decimals: int = 2) -> str:
    """38.7813 -> '38,78 %' (the seed's style, with a space before %)."""
    if _missing(x):
        return ""
    return _id_ID(x, decimals, True) + " %"


def angka(x, decimals: int = 2) -> str:
    """A volume or other plain number: '1.234,5' (no trailing zeros)."""
    if _missing(x):
        return ""
    return _id_ID(x, decimals, False)


def periode(tahun: int, bulan: int, dari: int | None = None) -> str:
    """'s.d. Mei 2022' or 'Januari s.d. Mei 2022' for a range."""
    if dari is not None:
        return f"{nama_bulan(dari)} s.d. {nama_bulan(bulan)} {tahun}"
    return f"s.d. {nama_bulan(bulan)} {tahun}"


def periode_laporan(jenis: str, params: dict) -> str:
    """The period a page and its files state for a report whose catalog `periode` is
    `jenis`, from the page's selection: 's.d. Mei 2022'; a range (rentang) 'Januari s.d.
    Mei 2022'; a state (keadaan) 's.d. Mei 2022 (keadaan 7 Desember 2026)'; and with the
    budget's date chosen ', anggaran per tanggal 31 Maret 2022' (not the latest budget)."""
    tahun, bulan = params["tahun"], params["bulan"]
    if jenis == "rentang":
        text = periode(tahun, bulan, params.get("bulan_dari") or 1)
    elif jenis == "keadaan":
        acuan = date.fromisoformat(str(params["tanggal"])) if params.get("tanggal") \
            else date.today()
        text = f"{periode(tahun, bulan)} (keadaan {tanggal_panjang(acuan)})"
    else:
        text = periode(tahun, bulan)
    if params.get("per_tanggal"):
        per = date.fromisoformat(str(params["per_tanggal"]))
        text += f", anggaran per tanggal {tanggal_panjang(per)}"
    return text


def tanggal(d) -> str:
    """date -> '31/05/2022' as SAKTI and the seed write it."""
    if _missing(d):
        return ""
    if isinstance(d, str):
        d = datetime.fromisoformat(d)
    return d.strftime("%d/%m/%Y")


def tanggal_panjang(d: date | datetime) -> str:
    """'22 November 2026'."""
    return format_date(d, format="d MMMM y", locale=LOCALE)


def angka_tabel(x) -> str:
    """How a bare DataFrame shows a float to an analyst: rupiah-sized numbers grouped
    (`1.721.746.000`, not `1.721746e+10`), others with two decimals (`38,78`)."""
    if _missing(x):
        return ""
    if abs(x) >= 1000 and float(x).is_integer():
        return rupiah(x)
    return format_decimal(round(float(x), 2), format="#,##0.00", locale=LOCALE)


TABEL_SATUAN = {"pok": "POK", "realisasi": "realisasi"}


def satuan_sumber(rows: list[dict]) -> str:
    """What Posisi data says of units (scopes.satuan_sumber): one satker — 'POK dibaca
    dalam ribuan rupiah (POK_017220.xlsx: tertulis di laporan)'; the agency (rows marked
    `seluruh`) — 'POK dibaca dalam ribuan rupiah (12 satker), rupiah (2 satker: 017231,
    017234)', the codes named up to three. Empty without rows."""
    if not rows:
        return ""
    parts = []
    for tabel in dict.fromkeys(r["tabel"] for r in rows):
        mine = [r for r in rows if r["tabel"] == tabel]
        label = TABEL_SATUAN.get(tabel, tabel)
        satker = {r["kode_satker"] for r in mine}
        if not mine[0].get("seluruh"):
            said = [f"{r['satuan']} ({r['berkas']}: {r['bukti']})" for r in mine]
            parts.append(f"{label} dibaca dalam " + "; ".join(said))
        else:
            per: dict[str, set] = {}
            for r in mine:
                per.setdefault(r["satuan"], set()).add(r["kode_satker"])
            parts.append(f"{label} dibaca dalam " + ", ".join(
                f"{u} ({angka(len(k), 0)} satker"
                + (f": {', '.join(sorted(k))})" if len(k) <= 3 else ")")
                for u, k in sorted(per.items(), key=lambda kv: (-len(kv[1]), kv[0]))))
    return "; ".join(parts)
