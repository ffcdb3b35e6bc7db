"""ikpa_peluang: what the satker can still do this quarter (issue 22 §5), a PROYEKSI.

For the running quarter (the one the reporting month is in, or the next when the month
ends a quarter), per group the Penyerapan rule scores (jenis belanja, or `semua`):

- realisasi to the reporting month against the quarter's target (pagu − blokir), and the
  realisasi still needed by the quarter's end to reach it (`kebutuhan`, and a month);
- the RPD locked for the quarter over its remaining months (`rpd_sisa`) and the realisasi
  % the group would reach spending exactly that (`persen_bila_rpd`).

On the satker's line (jenis_belanja empty), the indicators at the quarter's end:
Penyerapan Anggaran when every group reaches its target, when it spends to its RPD, and
Deviasi Halaman III when it spends to its RPD (those months then deviate 0 %).

The arithmetic is the indicators' own, store-free, as the what-if of issue 25 uses it
(reports/simulasi.py): penyerapan.kelompok + nilai_akhir_triwulan, deviasi.skor; the RPD
is the version locked for each quarter (deviasi.grid_terkunci), as ikpa_estimasi has it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..selection import Selection

from . import _data, deviasi, penyerapan
from .dasar import TW, Konteks

COLUMNS = ["kode_satker", "triwulan", "jenis_belanja", "pagu_efektif", "realisasi_kumulatif",
           "realisasi_persen", "target_persen", "kebutuhan", "kebutuhan_per_bulan", "rpd_sisa",
           "persen_bila_rpd", "nilai_penyerapan_target", "nilai_penyerapan_rpd",
           "nilai_deviasi_rpd", "keterangan"]
PROYEKSI = "proyeksi"


def _plus(real: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([real, extra], ignore_index=True) if len(extra) else real


def ikpa_peluang(store, pilihan: Selection) -> pd.DataFrame:
    """One row per group scored and one for the satker (see the module)."""
    from . import _memo, pilih_aturan
    if pilihan.satker is None:
        raise ValueError("Yang masih dapat dilakukan triwulan ini dihitung per satker: "
                         "pilih satu satker.")
    rule = pilih_aturan(int(pilihan.tahun), pilihan.aturan)
    return _memo.laporan("ikpa_peluang", store, pilihan.tahun, pilihan.bulan, pilihan.satker,
                         rule, lambda: _peluang(store, pilihan, rule))


def _peluang(store, pilihan: Selection, rule) -> pd.DataFrame:
    tahun, bulan, satker = int(pilihan.tahun), int(pilihan.bulan), pilihan.satker
    out = pd.DataFrame(columns=COLUMNS)
    out.attrs["aturan"] = rule.dasar
    if bulan >= 12:
        out.attrs["catatan"] = "Tahun anggaran sudah berakhir: tidak ada triwulan berjalan."
        return out
    q = bulan // 3 + 1
    akhir, sisa = 3 * q, 3 * q - bulan
    from . import _memo
    ctx = Konteks(store, tahun, bulan, satker, rule, [satker], jejak=False,
                  cache=_memo.kueri(store, tahun, satker, rule))    # the estimate's queries
    raw = _data.realisasi_jb(ctx)
    pagu, real, targets = penyerapan.kelompok(_data.pagu_jb(ctx), raw, ctx.p)
    # the ended quarters' scores: the scenarios below add realisasi after the reporting
    # month only, so every scenario keeps them
    selesai = [penyerapan.skor_triwulan(pagu, real, targets, k).rename(k) for k in range(1, q)]
    keseluruhan = ctx.p("penyerapan_dasar") == "keseluruhan"
    pagu = pagu[pagu["kode_satker"] == satker]
    grid = deviasi.grid_terkunci(ctx, list(range(1, akhir + 1)))
    future = grid["bulan"] > bulan
    grid.loc[future, "realisasi"] = grid.loc[future, "rpd"]
    rpd_sisa = grid[future].groupby("jb")["rpd"].sum()
    if keseluruhan:
        rpd_sisa = pd.Series({"semua": float(rpd_sisa.sum())})
    rows, need, by_rpd = [], [], []
    for g in pagu.itertuples(index=False):
        # kelompok names the realisasi's group as the pagu's ("semua" for the whole budget)
        done = float(real.loc[(real["kode_satker"] == satker) & (real["jb"] == g.jb),
                              "nilai"].sum())
        target = float(targets[g.jb][q - 1])
        kebutuhan = max(target / 100 * g.pagu_efektif - done, 0.0)
        rpd = float(rpd_sisa.get(g.jb, 0.0))
        need.append((satker, g.jb, akhir, kebutuhan))
        if not keseluruhan:
            by_rpd += [(satker, g.jb, m, float(grid.loc[(grid["jb"] == g.jb)
                                                        & (grid["bulan"] == m), "rpd"].sum()))
                       for m in range(bulan + 1, akhir + 1)]
        rows.append([satker, TW[q - 1], "" if g.jb == "semua" else g.jb, g.pagu_efektif, done,
                     done / g.pagu_efektif * 100, target, kebutuhan, kebutuhan / sisa, rpd,
                     (done + rpd) / g.pagu_efektif * 100, np.nan, np.nan, np.nan, PROYEKSI])
    if keseluruhan:
        by_rpd = [(satker, "semua", akhir, float(rpd_sisa.sum()))]
    cols = ["kode_satker", "jb", "bulan", "nilai"]

    def nilai(extra) -> float:
        p2, r2, t2 = penyerapan.kelompok(_data.pagu_jb(ctx),
                                         _plus(raw, pd.DataFrame(extra, columns=cols)), ctx.p)
        return float(penyerapan.nilai_akhir_triwulan(p2, r2, t2, q, selesai)
                     .get(satker, np.nan))
    dev = deviasi.skor(grid, ctx.p)[2] if len(grid) else pd.Series(dtype=float)
    if rows:
        tot = pagu["pagu_efektif"].sum()
        done = sum(r[4] for r in rows)
        rpd = sum(r[9] for r in rows)
        kebutuhan = sum(r[7] for r in rows)
        if len(rows) > 1 or rows[0][2]:
            rows.append([satker, TW[q - 1], "", tot, done, done / tot * 100, np.nan, kebutuhan,
                         kebutuhan / sisa, rpd, (done + rpd) / tot * 100, np.nan, np.nan,
                         np.nan, PROYEKSI])
        rows[-1][11:14] = [nilai(need), nilai(by_rpd), float(dev.get(satker, np.nan))]
    out = pd.DataFrame(rows, columns=COLUMNS)
    out.attrs["aturan"] = rule.dasar
    bulan_sisa = ", ".join(_data.label_bulan(tahun, m) for m in range(bulan + 1, akhir + 1))
    out.attrs["catatan"] = (
        f"PROYEKSI untuk {TW[q - 1]} {tahun} (bulan tersisa: {bulan_sisa}), menurut "
        f"{rule.dasar} — estimasi, bukan nilai resmi. Kebutuhan: realisasi yang masih "
        "diperlukan sampai akhir triwulan agar penyerapan mencapai target (persen pagu "
        "dikurangi blokir). Bila sesuai RPD: realisasi bulan tersisa sama dengan RPD yang "
        "dikunci untuk triwulan itu (deviasi bulan itu 0 %).")
    return out
