"""Realisasi: how much each item actually spent per month, and its payment lines.

The monthly amounts follow the plan (RPD) with a satker-level deviation drawn from the
satker's profile, so that the three colour bands (hijau / kuning / merah) all occur;
pegawai items follow payroll practice (tukin paid the month after, gaji 13 and 14 in
their month). Everything is arrays of items × 12 months.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import RPD_COLUMNS

PEGAWAI = ("gaji", "gaji13", "gaji14", "tukin", "makan", "lembur")
# Deviation bands, % of the satker's monthly RPD: hijau, kuning, merah.
BANDS = np.array([[0.5, 7.0], [13.0, 27.0], [36.0, 65.0]])
LINES = {"barang": (1.6, 6), "perjadin": (2.2, 8), "pemeliharaan": (0.5, 2),
         "operasional": (0.3, 2), "modal": (0.6, 2)}      # (poisson λ of extra lines, max)


def profiles(satker: pd.DataFrame, rng) -> np.ndarray:
    """0 hijau, 1 kuning, 2 merah: the usual deviation of each satker."""
    n = len(satker)
    prof = np.arange(n) % 3
    if n > 16:
        prof[16:] = rng.choice(3, n - 16, p=[0.5, 0.3, 0.2])
    prof[(satker["kelompok"] == "PUSAT").to_numpy()] = 1
    return prof


def monthly(pok: pd.DataFrame, satker: pd.DataFrame, rng) -> np.ndarray:
    """Items × 12 realised amounts (whole rupiah, ≥ 0, yearly total ≤ pagu)."""
    rpd = pok[RPD_COLUMNS].to_numpy()
    pagu = pok["pagu"].to_numpy()
    kind = pok["kind"].to_numpy()
    s = pok["_s"].to_numpy()
    n_s = len(satker)
    peg = np.isin(kind, PEGAWAI)

    p_tot = np.zeros((n_s, 12))
    p_ng = np.zeros((n_s, 12))
    np.add.at(p_tot, s, rpd)
    np.add.at(p_ng, s[~peg], rpd[~peg])
    prof = profiles(satker, rng)
    band = np.where(rng.random((n_s, 12)) < 0.7, prof[:, None], rng.integers(0, 3, (n_s, 12)))
    band[:, 4] = prof                       # May always shows the satker's own colour
    lo, hi = BANDS[band, 0], BANDS[band, 1]
    dev = rng.uniform(lo, hi) / 100.0
    sign = np.where(rng.random((n_s, 12)) < 0.6, -1.0, 1.0)
    share = np.divide(p_tot, p_ng, out=np.zeros_like(p_tot), where=p_ng > 0)
    f = 1.0 + sign * dev * share
    f = np.where(f < 0.05, 1.0 + dev * share, f)
    f = np.where(p_ng > 0, np.minimum(f, 6.0), 1.0)

    a = rpd * f[s]
    # Non-pegawai: what is left is mostly spent in December (the year-end rush).
    target = pagu * rng.uniform(0.86, 0.99, len(pagu))
    a[:, 11] = np.maximum(0.0, target - a[:, :11].sum(axis=1))
    # Pegawai: payroll as planned, slightly under (retirements, transfers).
    u = rng.uniform(0.965, 1.0, (len(pagu), 1))
    a[peg] = rpd[peg] * u[peg]
    tukin = kind == "tukin"
    shifted = np.zeros((int(tukin.sum()), 12))
    shifted[:, 1:] = rpd[tukin][:, :-1]        # January's tukin is paid in February
    shifted[:, 11] += rpd[tukin][:, 11]        # December's in December
    a[tukin] = shifted * u[tukin]
    cum = np.minimum(np.cumsum(a, axis=1), pagu[:, None])
    a = np.diff(cum, axis=1, prepend=0.0)
    a = _settle_may(a, rpd, s, ~peg & (kind != "modal"), prof, n_s, rng)
    cum = np.minimum(np.cumsum(np.floor(a), axis=1), pagu[:, None])
    return np.diff(cum, axis=1, prepend=0.0)


def _settle_may(a, rpd, s, adjustable, prof, n_s, rng, m=4):
    """Move non-pegawai spending between May and later months so that every satker's May
    deviation lands in its profile band (the month the demo reports on)."""
    def per_satker(x):
        return np.bincount(s, weights=x, minlength=n_s)

    plan = per_satker(rpd[:, m])
    target = plan * (1.0 - rng.uniform(BANDS[prof, 0], BANDS[prof, 1]) / 100.0)
    delta = per_satker(a[:, m]) - target               # > 0: too much spent in May
    may_adj = per_satker(np.where(adjustable, a[:, m], 0.0))
    later = np.where(adjustable[:, None], a[:, m + 1:], 0.0)
    later_adj = per_satker(later.sum(axis=1))
    cut = np.clip(np.divide(delta, may_adj, out=np.zeros(n_s), where=may_adj > 0), 0.0, 1.0)
    pull = np.clip(np.divide(-delta, later_adj, out=np.zeros(n_s), where=later_adj > 0), 0.0, 1.0)
    moved_out = np.where(adjustable, a[:, m] * cut[s], 0.0)
    a[:, m] -= moved_out
    a[:, m + 1] += moved_out
    taken = later * pull[s][:, None]
    a[:, m + 1:] -= taken
    a[:, m] += taken.sum(axis=1)
    return a


def lines(pok: pd.DataFrame, amounts: np.ndarray, rng) -> pd.DataFrame:
    """Split each item-month amount into payment lines; a few carry a refund.

    Returns one row per line: _i (item row), bulan, nilai, _g (item-month group).
    """
    item, month0 = np.nonzero(amounts > 0)
    amt = amounts[item, month0]
    kind = pok["kind"].to_numpy()[item]
    k = np.ones(len(item), dtype=np.int64)
    for kd, (lam, cap) in LINES.items():
        m = kind == kd
        k[m] = 1 + np.minimum(rng.poisson(lam, int(m.sum())), cap - 1)
    g = np.repeat(np.arange(len(item)), k)
    w = rng.uniform(0.3, 1.0, len(g))
    csum = np.cumsum(w)
    start = np.cumsum(k) - k
    within = csum - (csum[start] - w[start])[g]
    frac = within / np.bincount(g, weights=w)[g]
    last = np.cumsum(k) - 1
    frac[last] = 1.0
    cum_amt = np.floor(frac * amt[g] + 0.5)
    prev = np.concatenate([[0.0], cum_amt[:-1]])
    prev[start] = 0.0
    nilai = cum_amt - prev
    # Refunds: the last line of a few multi-line groups returns part of an overpayment
    # (the first line of the same group was that much larger), so totals are unchanged.
    refund_group = (k >= 2) & np.isin(kind, ["barang", "perjadin"]) & (rng.random(len(k)) < 0.03)
    r = np.floor(amt * rng.uniform(0.02, 0.12, len(amt)))
    nilai[last[refund_group]] = -r[refund_group]
    sum_now = np.bincount(g, weights=nilai, minlength=len(k))
    nilai[start] += amt - sum_now
    return pd.DataFrame({"_i": item[g], "bulan": month0[g] + 1, "nilai": nilai,
                         "_g": g, "_amt": amt[g]})
