"""The contract register of a past year of `spektra synth --riwayat` (issue 25): what a PPK
knows in September about December's belanja modal.

Most of a year's 53 spending is the payment of contracts signed in its first months. For
each 53 item with realisasi (random stream `[seed, 25, tahun, 53]`, so the realisasi is
drawn exactly as without a register):

- a contract signed in month 1–4 (`tgl_kontrak`), its termins the item's realisasi
  months after that month (each paid by an SP2D of the SPP register, the same `no_sp2d`
  on the realisasi line), so paid on a contract == realisasi of its termins; what the
  item spent in the months up to the signing (planning, honoraria) is the uncontracted
  remainder (an item with nothing after it: no contract);
- the contract's value is what its termins paid, times the satker-year's shortfall below its
  usual level (planted level / this year's level, when above 1: the contract was signed
  for the usual year and ended with savings; a late year's cut shows here), and one
  contract in seven ends with a further 2–10 % saving; never more than the item's pagu less
  its uncontracted realisasi.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .kontrak import PENYEDIA

SAVING_CHANCE = 1 / 7


def build(pok: pd.DataFrame, a: np.ndarray, sign_ratio: np.ndarray, kode: np.ndarray,
          tahun: int, seed: int, line_item: np.ndarray, line_month0: np.ndarray,
          line_date: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(kontrak, spp, no_sp2d per realisasi line) for one past year. `a`: items × 12
    realised rupiah; `sign_ratio`: per satker, the contract value over what its termins
    paid (>= 1); line_*: the realisasi lines (item, month − 1, date)."""
    rng = np.random.default_rng([seed, 25, tahun, 53])
    jb = pok["kode_akun"].str[:2].to_numpy(dtype=object)
    s = pok["_s"].to_numpy()
    items = np.flatnonzero((jb == "53") & (a.sum(axis=1) > 0))
    n = len(items)
    ms = rng.integers(1, 5, n)                     # signed in month 1..4
    sign_day = rng.integers(2, 27, n)
    saving = np.where(rng.random(n) < SAVING_CHANCE, rng.uniform(0.02, 0.10, n), 0.0)
    penyedia = rng.integers(0, len(PENYEDIA), n)
    months = np.arange(12)
    on = (months[None, :] >= ms[:, None]) & (a[items] > 0)      # termin months (0-based)
    paid = np.where(on, a[items], 0.0).sum(axis=1)
    keep = paid > 0
    items, ms, sign_day, saving, penyedia, on, paid = (
        x[keep] for x in (items, ms, sign_day, saving, penyedia, on, paid))
    pagu = pok["pagu"].to_numpy(float)[items]
    other = a[items].sum(axis=1) - paid
    nilai = np.round(paid * sign_ratio[s[items]] * (1 + saving), 0)
    nilai = np.maximum(np.minimum(nilai, pagu - other), paid)
    signed = pd.to_datetime(pd.DataFrame({"year": tahun, "month": ms, "day": sign_day}))
    k = pd.DataFrame({"_i": items, "_s": s[items], "tgl_kontrak": signed})
    k = k.sort_values(["_s", "tgl_kontrak", "_i"], kind="stable")
    k["seq"] = k.groupby("_s").cumcount() + 1
    k = k.sort_index()
    no = np.array([f"KTR-{kode[q]}-{tahun}-{int(x):03d}" for q, x in zip(k["_s"], k["seq"])],
                  dtype=object)
    kontrak = pd.DataFrame({
        "tahun": int(tahun), "kode_satker": kode[s[items]], "no_kontrak": no,
        "tgl_kontrak": signed, "uraian": pok["uraian_item"].to_numpy()[items],
        "kode_akun": pok["kode_akun"].to_numpy()[items], "nilai_kontrak": nilai,
        "penyedia": np.array(PENYEDIA, dtype=object)[penyedia],
        "tgl_register_kppn": signed + pd.to_timedelta(3, unit="D"),
        "cara_bayar": np.where(on.sum(axis=1) > 1, "termin", "sekaligus"),
        "jumlah_termin": on.sum(axis=1)})
    # the termins: realisasi lines of a contracted item in its termin months
    pos = np.full(len(pok), -1)
    pos[items] = np.arange(len(items))
    kpos = pos[line_item]
    is_termin = kpos >= 0
    is_termin[is_termin] = on[kpos[is_termin], line_month0[is_termin]]
    lines = np.flatnonzero(is_termin)
    no_sp2d = np.full(len(line_item), None, dtype=object)
    sp2d = pd.DatetimeIndex(line_date[lines])
    sat = kode[s[line_item[lines]]]
    seq = pd.Series(sat).groupby(sat).cumcount().to_numpy() + 1
    no_sp2d[lines] = [f"{tahun % 100:02d}{k_}K{q:05d}" for k_, q in zip(sat, seq)]
    start = pd.Timestamp(f"{tahun}-01-02")
    spm = np.maximum(sp2d - pd.to_timedelta(2, unit="D"), start)
    spp = pd.DataFrame({
        "kode_satker": sat, "kode_unit": None,
        "no_spp": [f"{q:05d}K" for q in seq],
        "tgl_spp": np.maximum(sp2d - pd.to_timedelta(5, unit="D"), start),
        "no_spm": [f"{q:05d}K" for q in seq], "tgl_spm": spm,
        "no_sp2d": no_sp2d[lines], "tgl_sp2d": sp2d,
        "uraian": "Pembayaran termin " + no[kpos[lines]],
        "jenis_spp": "LS", "nilai": a[line_item[lines], line_month0[lines]],
        "status": "Upload SP2D", "no_kontrak": no[kpos[lines]]})
    return kontrak, spp, no_sp2d
