"""Dashboard reports (public): the three rankings and the two charts."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from . import _common as c
from .catalog import JENIS_BELANJA
from .selection import Selection

CHART_JENIS = tuple(JENIS_BELANJA)


def ranking_satker(store, pilihan: Selection) -> pd.DataFrame:
    """One row per satker with pagu, Januari..`bulan`, sorted by persen_realisasi."""
    tahun, bulan, jenis_belanja = pilihan.tahun, pilihan.bulan, pilihan.jenis_belanja
    c.check_month(bulan)
    jenis = c.check_jenis(jenis_belanja)
    df = c.aggregate(store, tahun, group="satker", jenis=jenis, bulan=bulan)
    return c.ranking_frame(df)


def ranking_unit(store, pilihan: Selection) -> pd.DataFrame:
    """One row per unit kerja of the central satker."""
    tahun, bulan, jenis_belanja = pilihan.tahun, pilihan.bulan, pilihan.jenis_belanja
    c.check_month(bulan)
    jenis = c.check_jenis(jenis_belanja)
    pusat = c.satker_pusat(store)
    if pusat is None:
        return c.empty(c.RANKING_COLUMNS)
    df = c.aggregate(store, tahun, group="unit", satker=pusat, jenis=jenis, bulan=bulan)
    return c.ranking_frame(df)


def ranking_prioritas_nasional(store, pilihan: Selection) -> pd.DataFrame:
    """One row per unit kerja, on the PN-tagged pok lines only (pagu and realisasi)."""
    tahun, bulan, jenis_belanja = pilihan.tahun, pilihan.bulan, pilihan.jenis_belanja
    c.check_month(bulan)
    jenis = c.check_jenis(jenis_belanja)
    df = c.aggregate(store, tahun, group="unit", jenis=jenis, pn=True, bulan=bulan)
    return c.ranking_frame(df)


def _monthly_scope(store, tahun, satker, unit, jenis=None) -> pd.DataFrame:
    satker = c.resolve_scope(store, satker, unit)
    return c.aggregate(store, tahun, group=None, satker=satker, unit=unit, jenis=jenis,
                       monthly=True)


def grafik_rpd_realisasi(store, pilihan: Selection) -> pd.DataFrame:
    """Per month: cumulative RPD and cumulative realisasi (empty after `bulan`)."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    c.check_month(bulan)
    with c.rpd_berlaku(store, tahun) as s:     # each month's RPD as in force that month
        df = _monthly_scope(s, tahun, satker, unit)
    rpd = np.zeros(12)
    real = np.zeros(12)
    if len(df):
        rpd = df[[f"rpd_{m:02d}" for m in schema.MONTHS]].fillna(0).to_numpy(float)[0]
        real = df[[f"real_{m:02d}" for m in schema.MONTHS]].to_numpy(float)[0]
    months = np.arange(1, 13)
    real_cum = np.where(months <= bulan, np.cumsum(real), np.nan)
    out = pd.DataFrame({"bulan": months, "rencana_kumulatif": np.cumsum(rpd),
                        "realisasi_kumulatif": real_cum})
    return c.catat_versi(out, store, tahun, c.resolve_scope(store, satker, unit),
                         store.tanggal_anggaran, rpd_berlaku=True, bulan=bulan)


def grafik_target_realisasi(store, pilihan: Selection) -> pd.DataFrame:
    """Per month × jenis belanja (51, 52, 53, 57 with pagu): target % and cumulative
    realisasi % of that jenis' pagu (empty after `bulan`). The target is the agency's own
    monthly target (the store's target_penyerapan table, an input); the Treasury's IKPA
    targets are the rule file's (parameters/ikpa/, docs/ikpa.md) and never read from here."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    c.check_month(bulan)
    targets = store.sql("SELECT bulan, jenis_belanja, target_persen FROM target_penyerapan "
                        "WHERE tahun = $tahun", {"tahun": tahun})
    rows = []
    months = np.arange(1, 13)
    for jenis in CHART_JENIS:
        df = _monthly_scope(store, tahun, satker, unit, jenis)
        if not len(df) or not df["pagu"].iloc[0] > 0:
            continue
        real = df[[f"real_{m:02d}" for m in schema.MONTHS]].to_numpy(float)[0]
        pct = np.where(months <= bulan, c.persen(np.cumsum(real), df["pagu"].iloc[0]), np.nan)
        t = targets[targets["jenis_belanja"] == jenis].set_index("bulan")["target_persen"]
        rows.append(pd.DataFrame({"bulan": months, "jenis_belanja": jenis,
                                  "target_persen": [float(t.get(m, np.nan)) for m in months],
                                  "realisasi_persen": pct}))
    if not rows:
        return c.empty(["bulan", "jenis_belanja", "target_persen", "realisasi_persen"])
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["bulan", "jenis_belanja"], kind="mergesort").reset_index(drop=True)
