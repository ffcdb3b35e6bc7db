"""IKPA Revisi DIPA (DOMAIN §5, §7).

Counted: the `revisi_dipa` rows dated (tanggal_pengesahan) in the year up to the end of
the reporting month whose approving office is in `revisi_kewenangan_dihitung` (DJA,
DITPA, KANWIL: never the KPA), with at least one kode jenis revisi among the 14 "pagu
tetap" codes (`revisi_kode_pagu_tetap`) and, when the store holds that revision's budget
version, a pagu equal to the version before. Per period (`revisi_periode`: triwulan or
semester) the count gives a score by `revisi_pita`; the indicator is the mean of the
periods begun by the reporting month.

A DIPA version (versi_anggaran, revisi > 0) without a `revisi_dipa` row is the satker's
own update (RPD pemutakhiran, POK by the KPA) and never counts; the notes say how many.
A satker with revisions but no `revisi_dipa` row at all cannot be scored (its revisions
cannot be classified): "tidak dapat dihitung", never guessed.
"""
from __future__ import annotations

import pandas as pd

from . import _data
from .dasar import SEMESTER, TW, Hasil, rincian_frame

PANJANG = {"triwulan": 3, "semester": 6}


def _skor(n: int, pita: list[dict]) -> float:
    for band in pita:
        if band.get("sampai") is None or n <= band["sampai"]:
            return float(band["nilai"])
    return 0.0


def hitung(ctx) -> Hasil:
    periode = ctx.p("revisi_periode")
    step = PANJANG[periode]
    names = TW if step == 3 else SEMESTER
    kode_ok = {str(k) for k in ctx.p("revisi_kode_pagu_tetap")}
    kew_ok = {str(k).upper() for k in ctx.p("revisi_kewenangan_dihitung")}
    pita = ctx.p("revisi_pita")
    end = _data.batas_tanggal(ctx)
    w, p = ctx.where()
    cols = ["kode_satker", "revisi", "tanggal_pengesahan", "kode_jenis_revisi", "kewenangan"]

    def read():     # the same rows every month (dates cut below): once per history
        rev = _data.baca(ctx, "revisi_dipa", f"SELECT {', '.join(cols)} FROM revisi_dipa "
                         f"WHERE {w} ORDER BY 1, 2", p, cols)
        rev["tanggal_pengesahan"] = pd.to_datetime(rev["tanggal_pengesahan"]).dt.date
        return rev
    rev = _data._cached(ctx, "revisi_dipa", read)
    ver = _data.versi_satker(ctx)
    versions: dict[str, list] = {}
    for kode, revisi, tanggal, pagu in ver[["kode_satker", "revisi", "tanggal", "pagu"]] \
            .itertuples(index=False):
        versions.setdefault(kode, []).append((int(revisi), tanggal, float(pagu)))
    rows_of: dict[str, list] = {}
    for x in rev.itertuples(index=False):
        rows_of.setdefault(x.kode_satker, []).append(x)
    n_periode = (ctx.bulan - 1) // step + 1
    nilai, kurang, catatan, rows = {}, {}, {}, []
    for kode in ctx.kode_satker:
        mine = versions.get(kode, [])
        v = {rv for rv, t, _ in mine if rv > 0 and t <= end}
        r = rows_of.get(kode, [])
        if not r and v:
            n = sum(1 for rv, t, _ in mine if rv > 0 and t <= end)
            kurang[kode] = (f"jenis revisi dan pengesah {n} versi DIPA belum ada "
                            "(tabel revisi_dipa)")
            continue
        pagu_of = {rv: p for rv, _, p in mine}
        counts = [0] * n_periode
        notes = []
        for x in r:
            t = x.tanggal_pengesahan
            if t is None or pd.isna(t) or t > end or t.year != ctx.tahun:
                continue
            codes = {c.strip() for c in str(x.kode_jenis_revisi or "").split(";") if c.strip()}
            kew = str(x.kewenangan or "").strip().upper()
            rv = int(x.revisi)
            prev = max((k for k in pagu_of if k < rv), default=None)
            pagu_sama = (rv not in pagu_of or prev is None
                         or abs(pagu_of[rv] - pagu_of[prev]) < 0.005)
            counted = kew in kew_ok and bool(codes & kode_ok) and pagu_sama
            if kew in kew_ok and codes & kode_ok and not pagu_sama:
                notes.append(f"revisi {rv} mengubah pagu: tidak dihitung")
            if counted:
                counts[(t.month - 1) // step] += 1
        sendiri = sorted(v - {int(x.revisi) for x in r})
        if sendiri:
            notes.append(f"{len(sendiri)} versi DIPA tanpa baris revisi_dipa (revisi "
                         f"{', '.join(map(str, sendiri))}) dianggap pemutakhiran satker, "
                         "tidak dihitung")
        scores = [_skor(n, pita) for n in counts]
        for i, (n, s) in enumerate(zip(counts, scores)):
            rows += [(kode, names[i], "", "jumlah_revisi_dihitung", n),
                     (kode, names[i], "", "skor", s)]
        rows.append((kode, "Tahun", "", "versi_tanpa_klasifikasi", len(sendiri)))
        nilai[kode] = sum(scores) / len(scores)
        rows.append((kode, "Tahun", "", "skor", nilai[kode]))
        if notes:
            catatan[kode] = notes
    return Hasil(pd.Series(nilai, dtype=float), kurang, rincian_frame(rows), catatan)
