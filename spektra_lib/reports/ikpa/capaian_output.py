"""IKPA Capaian Output (DOMAIN §4, §5).

For every RO of the satker (ro_target) and every month m up to the reporting month:

- ketepatan waktu: 100 when the month's capaian report (capaian_ro row) was submitted
  (`tgl_lapor`) on or before its deadline (kalender.batas_waktu_capaian: the N-th
  working day of the next month), 0 when later or not reported at all; a report without
  `tgl_lapor` is left out of the mean (the notes say how many);
- capaian RO: min(PCRO kumulatif / target, 1) × 100 where the target is the satker's own
  projection for the month (ro_proyeksi: the latest projected month <= m) or, for an RO
  without projection, the guide's `capaian_target_pedoman` (15/40/60/100, months between
  interpolated linearly from 0 %); in December min(RVRO kumulatif / target volume, 1)
  × 100. A target of 0 asks nothing: 100.

Month score = `capaian_bobot_ketepatan_waktu` % × mean over RO of ketepatan waktu +
`capaian_bobot_capaian_ro` % × mean over RO of capaian RO; the indicator is the mean of
the months (`capaian_agregasi_bulan`). The trace says which target each RO used.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import kalender
from . import _data
from .dasar import Hasil, rincian_frame

KEY = ["kode_kegiatan", "kode_kro", "kode_ro"]


def target_pedoman(points: dict, bulan: int) -> float:
    pts = sorted((int(k), float(v)) for k, v in points.items())
    return float(np.interp(bulan, [0] + [m for m, _ in pts], [0.0] + [v for _, v in pts]))


def _masukan(ctx, sampai: int):
    """ro_target, capaian_ro (months up to `sampai`) and ro_proyeksi of the scope."""
    w, p = ctx.where()
    ro = ctx.store.sql(f"SELECT kode_satker, {', '.join(KEY)}, CAST(target_volume AS DOUBLE) "
                       f"AS target_volume FROM ro_target WHERE {w}", p)
    lapor = "tgl_lapor" if _data.ada(ctx, "capaian_ro", "tgl_lapor") else "NULL::DATE AS tgl_lapor"
    cap = ctx.store.sql(f"SELECT kode_satker, {', '.join(KEY)}, bulan, CAST(rvro AS DOUBLE) AS "
                        f"rvro, CAST(pcro AS DOUBLE) AS pcro, {lapor} FROM capaian_ro "
                        f"WHERE {w} AND bulan <= ?", p + [sampai])
    proy = _data.baca(ctx, "ro_proyeksi",
                      f"SELECT kode_satker, {', '.join(KEY)}, bulan, CAST(target_pcro AS "
                      f"DOUBLE) AS target_pcro FROM ro_proyeksi WHERE {w}", p,
                      ["kode_satker"] + KEY + ["bulan", "target_pcro"])
    return ro, cap, proy


def _grid(ctx, ro, cap, proy, months: list[int], pedoman) -> pd.DataFrame:
    """One row per (RO, month of `months`): capaian RO and ketepatan waktu of the month.
    A row depends on its own month and the months before it only, so the grid of a
    later reporting month holds an earlier month's rows unchanged (ikpa_riwayat cuts one
    grid)."""
    rk = ["kode_satker"] + KEY
    grid = ro.loc[ro.index.repeat(len(months))].reset_index(drop=True)
    grid["bulan"] = np.tile(months, len(ro))
    grid = grid.merge(cap, on=rk + ["bulan"], how="left")
    grid["dilaporkan"] = grid["pcro"].notna() | grid["rvro"].notna()
    grid = grid.sort_values(rk + ["bulan"]).reset_index(drop=True)
    keys = [grid[c] for c in rk]
    grid["pcro_kumulatif"] = grid["pcro"].fillna(0).groupby(keys).cumsum().clip(0, 100)
    grid["rvro_kumulatif"] = grid["rvro"].fillna(0).groupby(keys).cumsum().clip(lower=0)
    # projection: the latest projected month <= m
    if len(proy):
        full = grid[rk + ["bulan"]].merge(proy, on=rk + ["bulan"], how="left")
        has = proy.groupby(rk).size().rename("_n").reset_index()
        full = full.merge(has, on=rk, how="left")
        full["target_pcro"] = full.groupby(rk, sort=False)["target_pcro"].ffill()
        grid["proyeksi"] = full["_n"].notna().to_numpy()
        grid["target_proyeksi"] = full["target_pcro"].fillna(0.0).to_numpy()
    else:
        grid["proyeksi"] = False
        grid["target_proyeksi"] = 0.0
    ped = {m: target_pedoman(pedoman, m) for m in months}
    grid["target_pcro"] = np.where(grid["proyeksi"], grid["target_proyeksi"],
                                   grid["bulan"].map(ped))
    with np.errstate(divide="ignore", invalid="ignore"):
        by_pcro = np.where(grid["target_pcro"] > 0,
                           np.minimum(grid["pcro_kumulatif"] / grid["target_pcro"], 1.0) * 100, 100.0)
        by_rvro = np.where(grid["target_volume"] > 0,
                           np.minimum(grid["rvro_kumulatif"] / grid["target_volume"], 1.0) * 100, 100.0)
    grid["capaian_ro"] = np.where(grid["bulan"] == 12, by_rvro, by_pcro)
    batas = {m: pd.Timestamp(kalender.batas_waktu_capaian(ctx.tahun, m)) for m in months}
    grid["batas_waktu"] = grid["bulan"].map(batas)
    lapor = pd.to_datetime(grid["tgl_lapor"])
    tepat = np.where(~grid["dilaporkan"], 0.0,
                     np.where(lapor.isna(), np.nan,
                              np.where(lapor <= grid["batas_waktu"], 100.0, 0.0)))
    grid["ketepatan_waktu"] = tepat
    grid["_tanpa"] = np.isnan(tepat).astype(int)
    return grid


def _per_bulan(grid: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per (satker, month): the means over RO and the reports without a date; and the ROs
    without projection (kode_satker + KEY)."""
    per_m = grid.groupby(["kode_satker", "bulan"]).agg(
        ketepatan_waktu=("ketepatan_waktu", "mean"), capaian_ro=("capaian_ro", "mean"),
        tanpa_tanggal=("_tanpa", "sum"))
    return per_m, grid.loc[~grid["proyeksi"].astype(bool), ["kode_satker"] + KEY] \
        .drop_duplicates()


def hitung(ctx) -> Hasil:
    w_t = float(ctx.p("capaian_bobot_ketepatan_waktu")) / 100
    w_c = float(ctx.p("capaian_bobot_capaian_ro")) / 100
    pedoman = ctx.p("capaian_target_pedoman")
    ctx.p("capaian_agregasi_bulan")
    # the history (ikpa_riwayat, no trace) reads and builds once to its last month
    sampai = ctx.bulan if ctx.jejak else max(ctx.bulan,
                                             int(ctx.cache.get("bulan_riwayat", ctx.bulan)))
    ro, cap, proy = _data._cached(ctx, ("capaian_masukan", sampai),
                                  lambda: _masukan(ctx, sampai))
    months = list(range(1, ctx.bulan + 1))
    kurang = {}
    with_ro = set(ro["kode_satker"])
    with_cap = set(cap.loc[cap["bulan"] <= ctx.bulan, "kode_satker"])
    for k in ctx.kode_satker:
        if k not in with_ro:
            kurang[k] = "target RO (tabel ro_target) belum ada"
        elif k not in with_cap:
            kurang[k] = "laporan capaian RO (tabel capaian_ro) belum ada"
    keep = ro["kode_satker"].isin([k for k in ctx.kode_satker if k not in kurang])
    if not keep.any():
        return Hasil(pd.Series(dtype=float), kurang, rincian_frame())
    if ctx.jejak or sampai == ctx.bulan:
        grid = _grid(ctx, ro[keep], cap[cap["bulan"] <= ctx.bulan], proy, months, pedoman)
        per_m, tanpa_proyeksi = _per_bulan(grid)
    else:
        # the history: the year's grid summed per (satker, month) once, each month cuts
        # the sums (a month's means hold its own rows only; RO without projection are
        # the same ROs every month)
        def year():
            return _per_bulan(_grid(ctx, ro, cap, proy, list(range(1, sampai + 1)), pedoman))
        per_m, tanpa_proyeksi = _data._cached(ctx, ("capaian_per_bulan", sampai), year)
        sat = set(ro.loc[keep, "kode_satker"])
        per_m = per_m[(per_m.index.get_level_values("bulan") <= ctx.bulan)
                      & per_m.index.get_level_values("kode_satker").isin(sat)].copy()
        per_m.index = per_m.index.remove_unused_levels()
        tanpa_proyeksi = tanpa_proyeksi[tanpa_proyeksi["kode_satker"].isin(sat)]
    per_m["skor"] = w_t * per_m["ketepatan_waktu"] + w_c * per_m["capaian_ro"]
    per_s = per_m.groupby(level=0)
    nilai = per_s["skor"].mean()
    catatan = {}
    for k, n in per_s["tanpa_tanggal"].sum().items():
        if n:
            catatan.setdefault(k, []).append(
                f"{int(n)} laporan capaian tanpa tanggal lapor (capaian_ro.tgl_lapor) tidak "
                "dinilai ketepatan waktunya")
    bad = nilai[nilai.isna()].index
    for k in bad:
        kurang[k] = "tanggal lapor capaian (capaian_ro.tgl_lapor) belum ada"
    nilai = nilai.dropna()
    for k, n in tanpa_proyeksi.groupby("kode_satker").size().items():
        catatan.setdefault(k, []).append(
            f"{n} RO tanpa proyeksi (ro_proyeksi): target pedoman 15/40/60/100 dipakai")
    if not ctx.jejak:
        return Hasil(nilai.astype(float), kurang, None, catatan)
    # trace: per RO and month, then per month and the year
    label = [_data.label_bulan(ctx.tahun, m) for m in grid["bulan"]]
    ro_code = (grid["kode_kegiatan"] + "." + grid["kode_kro"] + "." + grid["kode_ro"]).to_numpy()
    parts = []
    for col in ("pcro_kumulatif", "target_pcro", "rvro_kumulatif", "target_volume",
                "capaian_ro", "ketepatan_waktu"):
        name = col
        if col == "target_pcro":
            name = np.where(grid["proyeksi"], "target_pcro_proyeksi", "target_pcro_pedoman")
        parts.append(pd.DataFrame({"kode_satker": grid["kode_satker"], "periode": label,
                                   "jenis_belanja": "",
                                   "besaran": pd.Series(name, index=grid.index) + " RO " + ro_code,
                                   "nilai": grid[col].astype(float)}))
    pm = per_m.reset_index()
    pl = [_data.label_bulan(ctx.tahun, m) for m in pm["bulan"]]
    for col in ("ketepatan_waktu", "capaian_ro", "skor"):
        parts.append(pd.DataFrame({"kode_satker": pm["kode_satker"], "periode": pl,
                                   "jenis_belanja": "", "besaran": f"{col}_rata_rata" if col != "skor" else "skor",
                                   "nilai": pm[col].astype(float)}))
    parts.append(pd.DataFrame({"kode_satker": nilai.index, "periode": "Tahun", "jenis_belanja": "",
                               "besaran": "skor", "nilai": nilai.to_numpy()}))
    return Hasil(nilai.astype(float), kurang, pd.concat(parts, ignore_index=True), catatan)


