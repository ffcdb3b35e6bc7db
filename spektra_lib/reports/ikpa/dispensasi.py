"""IKPA Dispensasi SPM, a deduction from the total (from 2022; DOMAIN §5).

rasio = dispensation letters (dispensasi_spm, dated up to the end of the reporting
month) / SPM of the fourth quarter (distinct no_spm in the spp register with tgl_spm in
October–December up to that date) × 1000 (permil); the points taken off the total come
from `dispensasi_pita` (the first band whose `rasio_sampai` the ratio does not exceed).
No letter: no deduction. Letters but no SPM of the fourth quarter yet: "tidak dapat
dihitung" (the total is then shown without the deduction, and says so).
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from . import _data
from .dasar import Hasil, rincian_frame


def pengurang(rasio: float, pita: list[dict]) -> float:
    for band in pita:
        if band.get("rasio_sampai") is None or rasio <= float(band["rasio_sampai"]):
            return float(band["pengurang"])
    return 0.0


def hitung(ctx) -> Hasil:
    pita = ctx.p("dispensasi_pita")
    end = _data.batas_tanggal(ctx)
    w, p = ctx.where()
    surat = _data.baca(ctx, "dispensasi_spm", f"SELECT kode_satker, count(*) AS n FROM "
                       f"dispensasi_spm WHERE {w} AND tanggal <= ? GROUP BY 1", p + [end],
                       ["kode_satker", "n"])
    surat = dict(zip(surat["kode_satker"], surat["n"]))
    only = "AND kode_satker = ?" if ctx.satker else ""
    spm = ctx.store.sql(
        "SELECT kode_satker, count(DISTINCT no_spm) AS n FROM spp WHERE no_spm IS NOT NULL "
        f"AND tgl_spm BETWEEN ? AND ? {only} GROUP BY 1",
        [date(ctx.tahun, 10, 1), end] + ([ctx.satker] if ctx.satker else []))
    spm = dict(zip(spm["kode_satker"], spm["n"]))
    nilai, kurang, rows = {}, {}, []
    for k in ctx.kode_satker:
        n, m = int(surat.get(k, 0)), int(spm.get(k, 0))
        rows += [(k, "Tahun", "", "surat_dispensasi", n), (k, "TW IV", "", "jumlah_spm", m)]
        if n and not m:
            kurang[k] = "jumlah SPM triwulan IV (tabel spp) belum ada"
            continue
        rasio = n / m * 1000 if n else 0.0
        nilai[k] = pengurang(rasio, pita) if n else 0.0
        rows += [(k, "Tahun", "", "rasio_permil", rasio), (k, "Tahun", "", "pengurang", nilai[k])]
    return Hasil(pd.Series(nilai, dtype=float), kurang, rincian_frame(rows))
