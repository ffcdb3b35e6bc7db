"""spektra_lib/proyeksi.py on any history (hypothesis): the interval is ordered, never
below what was already realised nor above 100 % (unless realised beyond it), never NaN;
the backtest's errors are forecast minus outcome, from earlier years only."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spektra_lib import proyeksi

CFG = {"metode": "otomatis", "metode_bawaan": "sisa", "min_galat": 2, "min_latih": 3,
       "tahun_penuh": 3, "selang_bawaan": {m: 10 for m in range(1, 13)}}


@st.composite
def riwayat(draw):
    n_sat = draw(st.integers(1, 5))
    years = list(range(2018, 2018 + draw(st.integers(1, 4))))
    rows, idx = [], []
    for y in years:
        for s in range(n_sat):
            for jb in draw(st.lists(st.sampled_from(["51", "52", "53", ""]), min_size=1,
                                    max_size=4, unique=True)):
                inc = np.array(draw(st.lists(st.floats(0, 30), min_size=12, max_size=12)))
                if draw(st.booleans()):
                    inc[:draw(st.integers(0, 11))] = 0.0        # nothing until late
                cum = np.cumsum(inc)
                plan = np.cumsum(np.array(draw(st.lists(st.floats(0, 20), min_size=12,
                                                        max_size=12))))
                rows.append([1e9, "KANREG" if s % 2 else "PUSAT", *cum, *plan])
                idx.append((y, f"{s:06d}", jb))
    df = pd.DataFrame(rows, columns=["base", "kelompok", *proyeksi.R, *proyeksi.D],
                      index=pd.MultiIndex.from_tuples(idx, names=["tahun", "kode_satker",
                                                                  "jenis_belanja"]))
    return df[~df.index.duplicated()]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(riwayat(), st.integers(1, 12))
def test_forecast_is_ordered_and_bounded(hist, bulan):
    last = hist.index.get_level_values("tahun").max()
    past = hist[hist.index.get_level_values("tahun") < last]
    now = hist.xs(last, level="tahun")
    pat = proyeksi.pola(past, now, 3)
    galat = proyeksi.uji(past, bulan=[bulan], cfg=CFG)
    galat = galat[galat["metode"] != "otomatis"]
    f = proyeksi.ramal(now, pat, bulan, galat, CFG)
    r = now[f"r{bulan}"].to_numpy()
    assert not f[["p10", "p50", "p90", *proyeksi.METODE]].isna().any().any()
    assert (f["p10"] <= f["p50"] + 1e-9).all() and (f["p50"] <= f["p90"] + 1e-9).all()
    assert (f["p10"] >= r - 1e-9).all()
    assert (f["p90"] <= np.maximum(100.0, r) + 1e-9).all()
    assert set(f["metode"]) <= set(proyeksi.METODE)
    if bulan == 12:
        assert np.allclose(f["p50"], r)
    assert set(pat["sumber"]) <= {"sendiri", "campuran", "kelompok", "instansi", "bawaan"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(riwayat())
def test_backtest_errors_are_forecast_minus_outcome(hist):
    g = proyeksi.uji(hist, bulan=[3, 9], cfg=CFG)
    years = sorted(hist.index.get_level_values("tahun").unique())
    assert set(g["tahun"]) <= set(years[1:])
    if len(years) == 1:
        assert g.empty          # no earlier year: nothing to test
        return
    assert len(g) and np.allclose(g["galat"], g["proyeksi"] - g["akhir"])
    akhir = hist["r12"]
    for t, k, j, a in g[["tahun", "kode_satker", "jenis_belanja", "akhir"]].drop_duplicates(
            ).itertuples(index=False):
        assert a == akhir.loc[(t, k, j)]
