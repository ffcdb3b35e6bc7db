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
    # A satker of mostly payroll cannot reach its band through the rest alone: its
    # non-payroll pace stays plausible (was up to 6×: a unit kerja at 500 %).
    f = np.where(p_ng > 0, np.clip(f, 0.4, 2.5), 1.0)

    a = rpd * f[s]
    # Units and items do not move in step with their satker: each unit kerja (a whole
    # regional office) has its own pace per month, each item-month some noise.
    unit = pd.factorize(pd.Series(pok["kode_unit"].to_numpy(dtype=object)).fillna("")
                        .to_numpy(dtype=object))[0]
    group = pd.factorize(s.astype(np.int64) * 1000 + unit)[0]
    n_g = int(group.max()) + 1 if len(group) else 0
    pace = rng.lognormal(0.0, 0.35, (n_g, 12))
    a *= np.clip(pace[group] * rng.lognormal(0.0, 0.25, a.shape), 0.1, 2.5)
    # Late spending: some items are paid one to three months after their plan.
    late = ~np.isin(kind, PEGAWAI) & (rng.random(len(pagu)) < 0.2)
    lag = rng.integers(1, 4, len(pagu))
    for k in (1, 2, 3):
        rows = late & (lag == k)
        shifted = np.zeros((int(rows.sum()), 12))
        shifted[:, k:] = a[rows][:, :-k]
        shifted[:, 11] += a[rows][:, 12 - k:].sum(axis=1)
        a[rows] = shifted
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
    # Refunds: the last line of some multi-line groups returns part of an overpayment
    # (the first line of the same group was that much larger), so totals are unchanged.
    # Most often unspent travel money, now and then goods or maintenance; mostly small,
    # a few large (beta-distributed share, 1 % to ~45 %).
    chance = np.select([kind == "perjadin", kind == "barang", kind == "pemeliharaan",
                        kind == "operasional"], [0.09, 0.035, 0.03, 0.02], 0.0)
    refund_group = (k >= 2) & (rng.random(len(k)) < chance)
    r = np.floor(amt * np.clip(0.01 + rng.beta(1.3, 9.0, len(amt)), 0.01, 0.45))
    nilai[last[refund_group]] = -r[refund_group]
    sum_now = np.bincount(g, weights=nilai, minlength=len(k))
    nilai[start] += amt - sum_now
    return pd.DataFrame({"_i": item[g], "bulan": month0[g] + 1, "nilai": nilai,
                         "_g": g, "_amt": amt[g]})
