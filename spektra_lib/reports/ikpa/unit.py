"""ikpa_unit: the IKPA of a unit kerja's satker(s) (issue 22 §5).

The Treasury scores IKPA per satker; a unit kerja (an eselon II unit of the central
satker, organisasi.yaml) has no score of its own. Its page shows the ringkasan line of
every satker with budget in the unit (here: the central satker) and, as the Treasury takes
Eselon I and K/L values, their mean (kode_satker empty).
"""
from __future__ import annotations

import pandas as pd

from ..selection import Selection


def satker_unit(store, tahun: int, unit: str) -> list[str]:
    """The satker with budget lines of unit kerja `unit` in `tahun` (else its owner in the
    unit_kerja table)."""
    kode = store.sql("SELECT DISTINCT kode_satker FROM pok WHERE tahun = ? AND kode_unit = ? "
                     "ORDER BY 1", [int(tahun), str(unit)])["kode_satker"].tolist()
    if not kode:
        kode = store.sql("SELECT DISTINCT kode_satker FROM unit_kerja WHERE kode_unit = ? "
                         "ORDER BY 1", [str(unit)])["kode_satker"].tolist()
    return kode


def ikpa_unit(store, pilihan: Selection) -> pd.DataFrame:
    """ikpa_ringkasan's lines for the satker of the unit kerja, and their mean (without a
    unit kerja: the satker's own line)."""
    from . import kategori, pilih_aturan
    from .ringkasan import COLUMNS, ikpa_ringkasan
    if pilihan.unit is not None:
        kode = [k for k in satker_unit(store, pilihan.tahun, pilihan.unit)
                if pilihan.satker in (None, k)]
    else:       # no unit kerja chosen: the satker itself (a kanreg has none)
        kode = [pilihan.satker] if pilihan.satker else []
    parts = [ikpa_ringkasan(store, pilihan.replace(satker=k, unit=None)) for k in kode]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    rule = pilih_aturan(pilihan.tahun, pilihan.aturan)
    scored = out["nilai"].dropna()
    if len(scored):
        mean = float(scored.mean())
        out = pd.concat([out, pd.DataFrame([["", f"Rata-rata {len(scored)} satker"
                                             + (" unit kerja" if pilihan.unit else ""),
                                             mean, kategori(mean, rule.nilai("kategori")), "",
                                             float("nan"), int(out["nilai"].isna().sum()),
                                             rule.dasar]], columns=COLUMNS)],
                        ignore_index=True)
    if parts:
        out.attrs.update(parts[0].attrs)
    out.attrs["aturan"] = rule.dasar
    out.attrs["catatan"] = " ".join(filter(None, [
        "IKPA dinilai per satker: unit kerja ini tidak punya nilai sendiri; yang tampil adalah "
        "estimasi nilai satker yang anggarannya memuat unit kerja ini." if pilihan.unit else
        "" if kode else "IKPA unit kerja: pilih satu unit kerja.",
        out.attrs.get("catatan", "") if parts else ""]))
    return out
