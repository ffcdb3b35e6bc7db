"""Satker list and POK: templates replicated over satker with numpy (no loop per item)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import organisasi
from ..schema import RPD_COLUMNS
from . import catalog, templates

# Volume range by satuan for priced items; kinds with a fixed shape override it.
VOLUME = {"OK": (10, 120), "OH": (5, 60), "OJ": (2, 20), "EKS": (50, 500), "PKT": (1, 4),
          "OB": (12, 12), "BLN": (12, 12), "M2": (50, 400), "UNIT": (2, 20), "THN": (1, 1)}
HARGA_TETAP = {"makan": 37_000.0, "lembur": 20_000.0}
TEKNIS_SCALE = 1050     # technical items per satker when the data set is large


def roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                       (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                       (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def satker_frame(n_satker: int | None, rng: np.random.Generator) -> pd.DataFrame:
    """The real satker of organisasi.yaml, cut to n or extended with made-up kanreg."""
    real = organisasi.satker_default()
    if n_satker is None or n_satker <= len(real):
        return real.head(n_satker or len(real)).reset_index(drop=True)
    extra = n_satker - len(real)
    i = np.arange(extra)
    n_kanreg = int((real["kelompok"] == "KANREG").sum())
    kota = np.array(catalog.KOTA_TAMBAHAN, dtype=object)[i % len(catalog.KOTA_TAMBAHAN)]
    made = pd.DataFrame({
        "kode_satker": [f"{19001 + k:06d}" for k in i],
        "nama_satker": [f"KANTOR REGIONAL {roman(n_kanreg + 1 + k)} BKN {kota[k]}" for k in i],
        "kelompok": "KANREG", "kota": kota,
        "kppn": [f"{v:03d}" for v in rng.integers(1, 200, extra)],
    })
    return pd.concat([real, made], ignore_index=True)


def build_pok(satker: pd.DataFrame, tahun: int, rng: np.random.Generator,
              teknis: int) -> pd.DataFrame:
    """One row per item for every satker; internal columns start with `_`."""
    kinds = {"PUSAT": templates.pusat(), "KANREG": templates.kanreg(teknis),
             "PUSBANG": templates.pusbang(teknis), "LAINNYA": templates.kanreg(teknis)}
    parts = []
    for kelompok, tpl in kinds.items():
        s_idx = np.flatnonzero(satker["kelompok"].to_numpy() == kelompok)
        if len(s_idx) == 0:
            continue
        t_idx = np.tile(np.arange(len(tpl)), len(s_idx))
        owner = np.repeat(s_idx, len(tpl))
        part = tpl.iloc[t_idx].reset_index(drop=True)
        part["_s"] = owner
        # Every satker drops a few technical items so that no two POKs look alike.
        teknis_row = part["kind"].isin(["barang", "perjadin"]).to_numpy()
        keep = ~teknis_row | (rng.random(len(part)) > 0.08) | (kelompok == "PUSAT")
        parts.append(part[keep])
    pok = pd.concat(parts, ignore_index=True).sort_values("_s", kind="stable", ignore_index=True)
    n = len(pok)
    size = rng.uniform(0.7, 1.35, len(satker))
    size[satker["kelompok"].to_numpy() == "PUSAT"] = 1.0
    kind = pok["kind"].to_numpy()
    pegawai = np.isin(kind, ["gaji", "gaji13", "gaji14", "tukin", "makan", "lembur"])
    noise = np.where(pegawai, rng.normal(1.0, 0.02, n), rng.lognormal(0.0, 0.45, n))
    amount = pok["base"].to_numpy() * size[pok["_s"].to_numpy()] * noise

    code, uniq = pd.factorize(pok["satuan"].to_numpy(dtype=object))
    lo = np.array([VOLUME[u][0] for u in uniq])[code]
    hi = np.array([VOLUME[u][1] for u in uniq])[code]
    volume = rng.integers(lo, hi + 1).astype(float)
    volume[np.isin(kind, ["gaji", "gaji13", "gaji14"])] = 1.0
    volume[kind == "tukin"] = 12.0
    harga = np.maximum(1000.0, np.round(amount / volume / 1000.0) * 1000.0)
    for k, price in HARGA_TETAP.items():
        fixed = kind == k
        harga[fixed] = price
        volume[fixed] = np.maximum(1.0, np.round(amount[fixed] / price))
    pok["volume"], pok["harga_satuan"] = volume, harga
    pok["pagu"] = volume * harga
    rpd = _rpd(pok["pagu"].to_numpy(), kind, tahun, rng)
    pok[RPD_COLUMNS] = rpd
    pok.insert(0, "tahun", int(tahun))
    pok.insert(1, "kode_satker", pd.Series(
        satker["kode_satker"].to_numpy(dtype=object)[pok["_s"].to_numpy()], dtype=object))
    pusat = pok["kode_satker"] == organisasi.satker_pusat()
    pok["kode_unit"] = None
    pok.loc[pusat, "kode_unit"] = organisasi.unit_for(pok.loc[pusat])
    return pok


def _rpd(pagu: np.ndarray, kind: np.ndarray, tahun: int, rng) -> np.ndarray:
    """Monthly plan per item, whole thousands, summing exactly to pagu."""
    n = len(pagu)
    month = np.arange(1, 13)
    w = np.ones((n, 12))

    def window(mask, lo, hi, length_hi):
        k = int(mask.sum())
        start = rng.integers(lo, hi + 1, k)[:, None]
        length = rng.integers(1, length_hi + 1, k)[:, None]
        w[mask] = ((month >= start) & (month < start + length)).astype(float)

    window(kind == "barang", 2, 10, 3)
    window(kind == "perjadin", 2, 9, 5)
    window(kind == "modal", 6, 10, 3)
    quarterly = kind == "pemeliharaan"
    w[quarterly] = np.isin(month, [3, 6, 9, 12]).astype(float)
    w[kind == "gaji13"] = (month == 6).astype(float)
    w[kind == "gaji14"] = (month == (3 if tahun >= 2024 else 4)).astype(float)
    flat_noisy = np.isin(kind, ["barang", "perjadin", "modal", "makan", "lembur", "operasional"])
    w[flat_noisy] *= rng.uniform(0.6, 1.4, (int(flat_noisy.sum()), 12))
    cum = np.cumsum(w, axis=1) / w.sum(axis=1, keepdims=True)
    cum_rupiah = np.round(pagu[:, None] * cum / 1000.0) * 1000.0
    cum_rupiah[:, -1] = pagu
    return np.diff(cum_rupiah, axis=1, prepend=0.0)
