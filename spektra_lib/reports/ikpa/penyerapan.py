"""IKPA Penyerapan Anggaran (DOMAIN §5).

Scored at each **quarter end** up to the reporting month: per jenis belanja (or, with
`penyerapan_dasar: keseluruhan`, the whole budget as one group `semua`) the cumulative
realisasi to the quarter's end over pagu minus blokir (`penyerapan_kurangi_blokir`),
against that group's cumulative target of the quarter (`penyerapan_target`);
skor = min(persen / target, 1) × 100; the quarter's score is the mean of the groups
weighted by pagu minus blokir; the indicator is the mean of the quarters ended. The
running quarter is in the trace as a projection (`proyeksi_skor`: the score the quarter
would get if it ended with today's realisasi), never in the score. Before the first
quarter end: "tidak dapat dihitung".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _data
from .dasar import TW, Hasil, rincian_frame


def targets_triwulan(p) -> dict[str, list[float]]:
    """The rule's cumulative target per group (jenis belanja, or `semua` for the whole
    budget), TW I..IV; `p` = a parameter getter (ctx.p, Aturan.nilai)."""
    return {str(k): [float(x) for x in v] for k, v in p("penyerapan_target").items()}


def target_keseluruhan(p) -> list[float]:
    """The whole budget's cumulative target TW I..IV: the rule's `semua` target where it
    scores the whole budget (`penyerapan_dasar: keseluruhan`), else its named parameter
    `penyerapan_target_keseluruhan` (shown on a satker's total line by proyeksi and
    simulasi; not scored by a rule that scores per jenis belanja)."""
    t = targets_triwulan(p)
    return t["semua"] if "semua" in t else [float(x) for x in
                                            p("penyerapan_target_keseluruhan")]


def kelompok(pagu_jb: pd.DataFrame, realisasi_jb: pd.DataFrame, p):
    """(pagu, real, targets) of the scored groups from plain frames: `pagu_jb` kode_satker,
    jb, pagu, blokir; `realisasi_jb` kode_satker, jb, bulan, nilai (rupiah of the month);
    `p` a parameter getter. The store-free half of the indicator (simulasi uses it)."""
    targets = targets_triwulan(p)
    dasar = p("penyerapan_dasar")
    blokir = bool(p("penyerapan_kurangi_blokir"))
    pagu, real = pagu_jb.copy(), realisasi_jb.copy()
    if dasar == "keseluruhan":
        pagu["jb"], real["jb"] = "semua", "semua"
        pagu = pagu.groupby(["kode_satker", "jb"], as_index=False)[["pagu", "blokir"]].sum()
    pagu = pagu[pagu["jb"].isin(list(targets))].copy()
    pagu["pagu_efektif"] = pagu["pagu"] - (pagu["blokir"] if blokir else 0.0)
    pagu = pagu[pagu["pagu_efektif"] > 0]
    return pagu, real, targets


def skor_triwulan(pagu, real, targets, q: int) -> pd.Series:
    """Per satker: the score of quarter q (realisasi to its end), frames of `kelompok`."""
    return _skor_kuartal(_kuartal(pagu, real, targets, q, 3 * q))


def nilai_akhir_triwulan(pagu, real, targets, q: int, sebelumnya=None) -> pd.Series:
    """Per satker: the indicator at the end of quarter q (the mean of quarters 1..q),
    frames of `kelompok`. `sebelumnya`: the scores of quarters 1..q-1 (skor_triwulan,
    renamed k) when already known, as realisasi added in quarter q cannot change them
    (ikpa_peluang's scenarios)."""
    if sebelumnya is None:
        sebelumnya = [skor_triwulan(pagu, real, targets, k).rename(k) for k in range(1, q)]
    return _rata(list(sebelumnya) + [skor_triwulan(pagu, real, targets, q).rename(q)])


def _rata(per_q: list[pd.Series]) -> pd.Series:
    return pd.concat(per_q, axis=1).mean(axis=1)


def _groups(ctx) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    return kelompok(_data.pagu_jb(ctx), _data.realisasi_jb(ctx), ctx.p)


def _kuartal(pagu, real, targets, q: int, sampai: int) -> pd.DataFrame:
    """Per (satker, group): realisasi to month `sampai` against the target of quarter q."""
    got = real[real["bulan"] <= sampai].groupby(["kode_satker", "jb"])["nilai"].sum()
    df = pagu.copy()
    df["realisasi"] = got.reindex(pd.MultiIndex.from_frame(df[["kode_satker", "jb"]]),
                                  fill_value=0.0).to_numpy(float)
    df["persen"] = df["realisasi"] / df["pagu_efektif"] * 100
    df["target_persen"] = [targets[j][q - 1] for j in df["jb"]]
    # a quarter ending on refunds (realisasi below 0) scores 0, never below
    df["skor"] = np.clip(df["persen"] / df["target_persen"], 0.0, 1.0) * 100
    return df


def _skor_kuartal(df: pd.DataFrame) -> pd.Series:
    w = df.assign(_w=df["skor"] * df["pagu_efektif"]).groupby("kode_satker")
    return w["_w"].sum() / w["pagu_efektif"].sum()


def _trace(df, periode, besaran_skor="skor"):
    out = []
    for col in ("pagu", "blokir", "pagu_efektif", "realisasi", "persen", "target_persen", "skor"):
        out.append(pd.DataFrame({"kode_satker": df["kode_satker"], "periode": periode,
                                 "jenis_belanja": df["jb"].replace("semua", ""),
                                 "besaran": {"persen": "realisasi_persen",
                                             "realisasi": "realisasi_kumulatif",
                                             "skor": besaran_skor}.get(col, col),
                                 "nilai": df[col].astype(float)}))
    return out


def hitung(ctx) -> Hasil:
    pagu, real, targets = _groups(ctx)
    ended = ctx.bulan // 3
    parts, per_q = [], []
    for q in range(1, ended + 1):
        if not ctx.jejak:
            # an ended quarter's score is the same in every later month: the history
            # (ikpa_riwayat) computes it once (ctx.cache is one scope, year and rule)
            s = _data._cached(ctx, ("penyerapan_triwulan", q),
                              lambda: _skor_kuartal(_kuartal(pagu, real, targets, q, 3 * q)))
            per_q.append(s.rename(q))
            continue
        df = _kuartal(pagu, real, targets, q, 3 * q)
        s = _skor_kuartal(df)
        per_q.append(s.rename(q))
        parts += _trace(df, TW[q - 1])
        parts.append(pd.DataFrame({"kode_satker": s.index, "periode": TW[q - 1],
                                   "jenis_belanja": "", "besaran": "skor_triwulan",
                                   "nilai": s.to_numpy()}))
    if ctx.bulan % 3 and ctx.jejak:
        q = ended + 1
        df = _kuartal(pagu, real, targets, q, ctx.bulan)
        s = _skor_kuartal(df)
        label = f"{TW[q - 1]} (berjalan, s.d. {_data.label_bulan(ctx.tahun, ctx.bulan)})"
        parts += _trace(df, label, "proyeksi_skor")
        parts.append(pd.DataFrame({"kode_satker": s.index, "periode": label, "jenis_belanja": "",
                                   "besaran": "proyeksi_skor_triwulan", "nilai": s.to_numpy()}))
    if not per_q:
        return Hasil(pd.Series(dtype=float),
                     {"*": "belum ada triwulan yang berakhir (penyerapan dinilai di akhir "
                           "triwulan; triwulan berjalan hanya proyeksi)"},
                     pd.concat(parts, ignore_index=True) if parts else rincian_frame())
    nilai = _rata(per_q)
    parts.append(pd.DataFrame({"kode_satker": nilai.index, "periode": "Tahun",
                               "jenis_belanja": "", "besaran": "skor", "nilai": nilai.to_numpy()}))
    kurang = {k: "pagu dikurangi blokir jenis belanja bertarget tidak ada"
              for k in ctx.kode_satker if k not in nilai.index}
    return Hasil(nilai.astype(float), kurang, pd.concat(parts, ignore_index=True))
