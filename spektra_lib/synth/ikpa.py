"""The IKPA inputs of the synthetic agency (issue 22), so that the demo computes every
indicator SPEKTRA can: blokir on some belanja barang, the date each capaian report was
submitted (most on time, some late), the satker's PCRO projections (for two in three
satker; the others fall back on the guide's 15/40/60/100), DIPA revisions with their
codes and approving office (some the KPA's own) and a few SPM dispensations. The
official IKPA close to SPEKTRA's estimate needs the reports: reports/ikpa/contoh.py,
passed to `generate(tambahan=…)` by `spektra synth`.

A random stream of its own (seed, 22): the other synthetic tables stay as they were.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from .. import kalender
from ..schema import RO_KEY

KODE_DIHITUNG = ["221", "212", "201", "222", "229"]
KODE_LAIN = ["101", "102", "301"]


def tambah(tables: dict[str, pd.DataFrame], tahun: int, seed: int) -> None:
    rng = np.random.default_rng([seed, 22])
    satker = tables["satker"]["kode_satker"].tolist()
    pok = tables["pok"]
    # blokir: one satker in four has 20 % of some belanja barang items blocked
    blocked_satker = set(satker[1::4])
    mask = (pok["kode_satker"].isin(blocked_satker) & pok["kode_akun"].str.startswith("52")
            & (rng.random(len(pok)) < 0.3)).to_numpy()
    blokir = np.where(mask, np.round(pok["pagu"].to_numpy(float) * 0.2, 0), np.nan)
    pok["blokir"] = blokir
    # tgl_lapor: on the deadline or up to 3 working days before; 8 % late by 1–10 days
    cap = tables["capaian_ro"]
    due = {m: kalender.batas_waktu_capaian(tahun, m) for m in range(1, 13)}
    late = rng.random(len(cap)) < 0.08
    shift = np.where(late, rng.integers(1, 11, len(cap)), -rng.integers(0, 4, len(cap)))
    cap["tgl_lapor"] = pd.to_datetime([due[int(m)] + timedelta(days=int(d))
                                       for m, d in zip(cap["bulan"], shift)])
    # ro_proyeksi: the satker's plan, close to what it then reports (cumulative PCRO)
    cum = cap.sort_values(RO_KEY + ["bulan"]).copy()
    cum["kum"] = cum.groupby(RO_KEY)["pcro"].cumsum().clip(upper=100)
    with_plan = set(satker[i] for i in range(len(satker)) if i % 3 != 2)
    cum = cum[cum["kode_satker"].isin(with_plan)]
    plan = np.clip(np.round(cum["kum"].to_numpy(float) + rng.normal(2.0, 6.0, len(cum)), 0), 0, 100)
    proy = cum[RO_KEY + ["bulan"]].copy()
    proy["target_pcro"] = plan
    proy = proy.sort_values(RO_KEY + ["bulan"])
    proy["target_pcro"] = proy.groupby(RO_KEY)["target_pcro"].cummax()
    tables["ro_proyeksi"] = proy.reset_index(drop=True)
    # revisi_dipa: 0–4 revisions a satker, dated in the year, numbered in order
    rows = []
    for k in satker:
        n = int(rng.integers(0, 5))
        days = np.sort(rng.choice(np.arange(20, 340), n, replace=False)) if n else []
        for i, d in enumerate(days, 1):
            own = rng.random() < 0.35
            code = rng.choice(KODE_LAIN if rng.random() < 0.2 else KODE_DIHITUNG)
            if rng.random() < 0.2:
                code = f"{code};{rng.choice(KODE_DIHITUNG)}"
            rows.append((tahun, k, i, pd.Timestamp(date(tahun, 1, 1) + timedelta(days=int(d))),
                         str(code), "KPA" if own else str(rng.choice(["KANWIL", "DJA", "DITPA"]))))
    tables["revisi_dipa"] = pd.DataFrame(rows, columns=["tahun", "kode_satker", "revisi",
                                                        "tanggal_pengesahan",
                                                        "kode_jenis_revisi", "kewenangan"])
    # dispensasi_spm: one satker in five asked for 1–2 in December
    rows = []
    for k in satker[::5]:
        for i in range(int(rng.integers(1, 3))):
            rows.append((tahun, k, f"S-{i + 1}/WPB/{tahun}", pd.Timestamp(date(tahun, 12, 20 + i))))
    tables["dispensasi_spm"] = pd.DataFrame(rows, columns=["tahun", "kode_satker", "no_surat",
                                                           "tanggal"])
