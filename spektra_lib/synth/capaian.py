"""RO targets, monthly capaian (non-cumulative, with the anomalies an analyst must catch),
and the agency's absorption targets per jenis belanja."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import RO_KEY

# Cumulative % of pagu at the end of each quarter, per jenis belanja (DOMAIN §5).
QUARTER_TARGET = {"51": (20, 50, 75, 95), "52": (15, 50, 70, 90), "53": (10, 50, 70, 90),
                  "57": (15, 50, 70, 90)}
KET_NORMAL = "Kegiatan berjalan sesuai rencana; output dicapai sesuai tahapan pelaksanaan."
KET_ANOMALI = "Realisasi anggaran dan progres output belum selaras; akan disesuaikan bulan berikutnya."
# Half the satkers with an anomalous gap explain it the way seed 002 asks.
KET_ANOMALI_DIJELASKAN = ("Tahapan pelaksanaan sudah berjalan. Gap yang cukup tinggi antara PPA & "
                          "PCRO disebabkan pembayaran kontrak baru dilakukan setelah pekerjaan "
                          "diterima (termin akhir).")


def target_penyerapan(tahun: int) -> pd.DataFrame:
    rows = []
    for jenis, q in QUARTER_TARGET.items():
        monthly = np.interp(np.arange(1, 13), [0, 3, 6, 9, 12], (0,) + q)
        rows += [(tahun, m, jenis, round(float(v), 2)) for m, v in enumerate(monthly, start=1)]
    return pd.DataFrame(rows, columns=["tahun", "bulan", "jenis_belanja", "target_persen"])


def ro_tables(pok: pd.DataFrame, amounts: np.ndarray, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ro_target (one per RO) and capaian_ro (RO × month), following each RO's absorption."""
    ro_id, ros = pd.factorize(pd.MultiIndex.from_frame(pok[RO_KEY]))
    first = pd.Series(np.arange(len(pok))).groupby(ro_id).first().to_numpy()
    target = pok[RO_KEY].iloc[first].reset_index(drop=True)
    target["nama_ro"] = pok["nama_ro"].to_numpy()[first]
    vol = pok["ro_target"].to_numpy()[first].astype(float)
    target["target_volume"] = vol
    target["satuan"] = pok["ro_satuan"].to_numpy()[first]
    target["strategis"] = pok["strategis"].to_numpy()[first].astype(np.int64)

    n = len(target)
    pagu = np.bincount(ro_id, weights=pok["pagu"].to_numpy(), minlength=n)
    spent = np.zeros((n, 12))
    np.add.at(spent, ro_id, amounts)
    ppa = np.cumsum(spent, axis=1) / np.maximum(pagu, 1.0)[:, None] * 100.0
    pcro_cum = np.clip(ppa + rng.normal(0.0, 3.0, (n, 12)), 0.0, 100.0)
    pcro_cum = np.maximum.accumulate(np.round(pcro_cum, 2), axis=1)
    pcro_cum[:, 11] = np.where(ppa[:, 11] > 80.0, 100.0, pcro_cum[:, 11])
    rvro_cum = np.floor(vol[:, None] * pcro_cum / 100.0)
    keterangan = np.full((n, 12), KET_NORMAL, dtype=object)

    # Anomalies, each on a few RO picked at random (deterministic for a seed).
    pick = rng.permutation(n)
    k = max(1, n // 40)
    gap, frac, over100, over3, no_ket, gaps_month = np.array_split(pick[:6 * k], 6)
    pcro_cum[gap, 2:] = np.minimum(100.0, ppa[gap, 2:] + 35.0)      # output far ahead of budget
    keterangan[gap, 2:] = KET_ANOMALI
    keterangan[gap[::2], 2:] = KET_ANOMALI_DIJELASKAN
    pcro_cum[over100, 11] = 112.5                                    # cumulative PCRO above 100
    pcro = np.diff(pcro_cum, axis=1, prepend=0.0)
    rvro = np.diff(rvro_cum, axis=1, prepend=0.0)
    rvro[frac, 4] += 0.5                                             # fractional RVRO
    rvro[over3, 5] += 3 * vol[over3] + 1                             # RVRO above 3 × target
    keterangan[no_ket, 3:6] = None                                   # keterangan missing

    cap = pd.DataFrame({c: np.repeat(target[c].to_numpy(), 12) for c in RO_KEY})
    cap["bulan"] = np.tile(np.arange(1, 13), n)
    cap["rvro"] = rvro.ravel()
    cap["pcro"] = np.round(pcro.ravel(), 2)
    cap["keterangan"] = keterangan.ravel()
    missing = np.zeros((n, 12), dtype=bool)
    missing[gaps_month, 2] = True                                    # March not reported
    cap = cap[~missing.ravel()].reset_index(drop=True)
    return target, cap
