"""IKPA Deviasi Halaman III DIPA (DOMAIN §5, §7).

Each month m up to the reporting month is compared with the RPD **locked for its
quarter**: the latest budget version dated on or before the pemutakhiran window of the
quarter (the `deviasi_jendela_hari_kerja`-th working day of `deviasi_jendela_bulan`:
February, April, July, October; kalender.py), else the first version (the DIPA awal).
A version posted after the window counts only from the next quarter.

Per jenis belanja (`deviasi_jenis_belanja` with pagu): deviasi_m = |realisasi_m − rpd_m| /
rpd_m × 100, at most `deviasi_bulan_maks`; rpd_m = 0: 0 without realisasi, else
`deviasi_rpd_nol`. Months averaged per jenis belanja; jenis belanja combined by simple
mean (`rata_rata`) or pagu-weighted (`tertimbang_pagu`). Score 100 when the combined
deviation <= `deviasi_batas_nilai_penuh`, else 100 − deviation (not below 0).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ... import kalender, schema
from . import _data
from .dasar import Hasil, rincian_frame


def tanggal_kunci(ctx) -> list:
    """The lock date of each quarter (TW I..IV)."""
    n = int(ctx.p("deviasi_jendela_hari_kerja"))
    return [kalender.hari_kerja_ke(ctx.tahun, int(m), n) for m in ctx.p("deviasi_jendela_bulan")]


def versi_kunci(ctx) -> dict[str, list[tuple[int, int]]]:
    """{kode_satker: [(versi, revisi) locked for TW I..IV]}."""
    ver = _data.versi_satker(ctx)
    kunci = tanggal_kunci(ctx)
    per = getattr(ctx.store, "tanggal_anggaran", None)
    by: dict[str, list] = {}
    for kode, v, r, t in ver[["kode_satker", "versi", "revisi", "tanggal"]].itertuples(
            index=False):
        by.setdefault(kode, []).append((int(v), int(r), t))
    out = {}
    for kode, vs in by.items():
        vs.sort()
        if per is not None:
            vs = [x for x in vs if x[2] <= per] or vs[:1]
        out[kode] = [max(((v, r) for v, r, t in vs if t <= d), default=vs[0][:2])
                     for d in kunci]
    return out


def skor(grid: pd.DataFrame, p):
    """The store-free arithmetic (simulasi uses it): `grid` one row per (kode_satker, jb,
    bulan) with pagu, rpd and realisasi (rupiah of the month) of the jenis belanja scored;
    `p` a parameter getter (ctx.p, Aturan.nilai). Adds grid["deviasi_persen"]; returns
    (per_jb: kode_satker, jb, deviasi, pagu; the combined deviation and the score per
    satker)."""
    cap = float(p("deviasi_bulan_maks"))
    nol = float(p("deviasi_rpd_nol"))
    batas = float(p("deviasi_batas_nilai_penuh"))
    cara = p("deviasi_gabung_jenis_belanja")
    r, rp = grid["realisasi"].to_numpy(float), grid["rpd"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.where(rp != 0, np.abs(r - rp) / np.where(rp != 0, rp, 1) * 100,
                       np.where(r == 0, 0.0, nol))
    grid["deviasi_persen"] = np.minimum(dev, cap)
    per_jb = grid.groupby(["kode_satker", "jb"], sort=True).agg(
        deviasi=("deviasi_persen", "mean"), pagu=("pagu", "first")).reset_index()
    if cara == "tertimbang_pagu":
        per_jb["_w"] = per_jb["deviasi"] * per_jb["pagu"]
        g = per_jb.groupby("kode_satker")
        comb = g["_w"].sum() / g["pagu"].sum()
    else:
        comb = per_jb.groupby("kode_satker")["deviasi"].mean()
    score = (100.0 - comb).clip(lower=0.0).where(comb > batas, 100.0)
    return per_jb, comb, score


def jenis_dinilai(pagu_jb: pd.DataFrame, p) -> pd.DataFrame:
    """The rows of `pagu_jb` (kode_satker, jb, pagu) the rule scores: its jenis belanja
    with pagu."""
    jenis = [str(j) for j in p("deviasi_jenis_belanja")]
    return pagu_jb[pagu_jb["jb"].isin(jenis) & (pagu_jb["pagu"] > 0)]


def grid_terkunci(ctx, months: list[int]) -> pd.DataFrame:
    """One row per (satker, jenis belanja scored, month of `months`): pagu, the locked
    version of the month's quarter (versi, revisi), its RPD and the realisasi of the month
    (0 for a month after the data)."""
    pagu = jenis_dinilai(_data.pagu_jb(ctx), ctx.p)
    rpd = _data.rpd_versi(ctx).set_index(["kode_satker", "versi", "jb"])
    real = _data.realisasi_jb(ctx).set_index(["kode_satker", "jb", "bulan"])["nilai"]
    kunci = versi_kunci(ctx)
    # one row per (satker, jb, month): the locked version of the month's quarter
    base = pagu[["kode_satker", "jb", "pagu"]]
    grid = base.loc[base.index.repeat(len(months))].reset_index(drop=True)
    grid["bulan"] = np.tile(months, len(base))
    tw = (grid["bulan"] - 1) // 3
    vk = [kunci.get(k, [(1, 0)] * 4)[q] for k, q in zip(grid["kode_satker"], tw)]
    grid["versi"] = [v for v, _ in vk]
    grid["revisi"] = [r for _, r in vk]
    rpd_cols = rpd.reindex(pd.MultiIndex.from_arrays([grid["kode_satker"], grid["versi"],
                                                      grid["jb"]]))
    m_idx = grid["bulan"].to_numpy() - 1
    rpd_arr = rpd_cols[schema.RPD_COLUMNS].to_numpy(float)
    grid["rpd"] = np.nan_to_num(rpd_arr[np.arange(len(grid)), m_idx]) if len(grid) else []
    grid["realisasi"] = real.reindex(pd.MultiIndex.from_arrays(
        [grid["kode_satker"], grid["jb"], grid["bulan"]]), fill_value=0.0).to_numpy(float)
    return grid


def hitung(ctx) -> Hasil:
    if ctx.jejak:
        grid = grid_terkunci(ctx, list(range(1, ctx.bulan + 1)))
    else:
        # a month's row (its locked RPD, its realisasi) is the same in every later
        # reporting month: the history builds the grid once to its last month and cuts it
        sampai = max(ctx.bulan, int(ctx.cache.get("bulan_riwayat", ctx.bulan)))
        full = _data._cached(ctx, ("deviasi_grid", sampai), lambda: grid_terkunci(
            replace(ctx, bulan=sampai), list(range(1, sampai + 1))))
        grid = full[full["bulan"] <= ctx.bulan].reset_index(drop=True) \
            if sampai > ctx.bulan else full.copy()
    per_jb, comb, score = skor(grid, ctx.p)
    kurang = {k: "pagu jenis belanja 51/52/53/57 tidak ada" for k in ctx.kode_satker
              if k not in score.index}
    if not ctx.jejak:
        return Hasil(score.astype(float), kurang)
    label = _data.label_bulan
    sd = f"s.d. {label(ctx.tahun, ctx.bulan)}"
    parts = []
    for col in ("rpd", "realisasi", "deviasi_persen", "revisi"):
        parts.append(pd.DataFrame({
            "kode_satker": grid["kode_satker"], "periode": [label(ctx.tahun, m) for m in grid["bulan"]],
            "jenis_belanja": grid["jb"], "besaran": "revisi_rpd_terkunci" if col == "revisi" else col,
            "nilai": grid[col].astype(float)}))
    parts.append(pd.DataFrame({"kode_satker": per_jb["kode_satker"], "periode": sd,
                               "jenis_belanja": per_jb["jb"], "besaran": "rata_rata_deviasi",
                               "nilai": per_jb["deviasi"]}))
    parts.append(pd.DataFrame({"kode_satker": per_jb["kode_satker"], "periode": sd,
                               "jenis_belanja": per_jb["jb"], "besaran": "pagu",
                               "nilai": per_jb["pagu"]}))
    parts.append(pd.DataFrame({"kode_satker": comb.index, "periode": sd, "jenis_belanja": "",
                               "besaran": "deviasi_gabungan", "nilai": comb.to_numpy()}))
    parts.append(pd.DataFrame({"kode_satker": score.index, "periode": sd, "jenis_belanja": "",
                               "besaran": "skor", "nilai": score.to_numpy()}))
    rincian = pd.concat(parts, ignore_index=True) if len(grid) else rincian_frame()
    return Hasil(score.astype(float), kurang, rincian)
