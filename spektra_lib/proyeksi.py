"""The year-end penyerapan forecast (issue 25): pure arithmetic on a history table, no store.

The history (`riwayat`, made by reports/proyeksi.py from the store) has one row per
(tahun, kode_satker, jenis_belanja; "" = the satker as a whole) with `base` (pagu − blokir,
rupiah), `kelompok`, r1 … r12 (cumulative realisasi, % of base) and d1 … d12 (cumulative
RPD, % of base). A year before the one forecast is taken as complete.

From the years before the one forecast, each series has its pattern: the cumulative share
of the year's realisasi reached by each month (c_m), what was still to come after each
month (sisa_m = akhir − r_m, points of pagu), the year-end level (akhir), and how much of
the RPD still open after each month was spent (rasio_rpd_m). A series with fewer than
`tahun_penuh` years takes min(n, N)/N of its own pattern and the rest from its kelompok's
(all satker of that kelompok and jenis belanja), or the agency's.

Methods at month m, from r = realisasi s.d. m only (all clipped to [r, max(100, r)]):

- run_rate:  r × 12 / m (the naive pace; always shown beside the others)
- pola:      r / c_m (this year's pace scaled by the pattern)
- sisa:      r + sisa_m (the pattern's usual remainder added)
- gabungan:  c_m × pola + (1 − c_m) × sisa (pace trusted as more of the year is known)
- rpd:       r + rasio_rpd_m × (100 − RPD s.d. m)
- tingkat:   the pattern's year-end level (not below r)
- kontrak:   r + rho_m × (contract value signed and not yet paid at m, % base) + u_m, the
             pattern's uncontracted remainder (what was realised after m not on a contract);
             rho_m = how much of what was open on contracts at m the earlier years paid by
             December (every satker of the jenis belanja). Needs the history's k1..k12 /
             p1..p12 (contract value signed, paid on contracts; reports/proyeksi.py from the
             `kontrak` and `spp` tables); without them it is `sisa`
- regresi:   akhir ≈ b0 + b1 sisa + b2 pola + b3 rpd + b4 tingkat, least squares (numpy) per jenis
             belanja and month on the backtest rows of the earlier years (every satker);
             `sisa` while there are fewer than `min_latih` such rows

The interval: P50 minus the 90th / 10th percentile of the method's backtest errors (same
jenis belanja and month, every satker, earlier years of the store); with fewer than
`min_galat` errors, a default half-width per month (parameters/proyeksi.yaml).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

MONTHS = range(1, 13)
R = [f"r{m}" for m in MONTHS]
D = [f"d{m}" for m in MONTHS]
K = [f"k{m}" for m in MONTHS]      # contract value signed by the end of each month, % base
P = [f"p{m}" for m in MONTHS]      # paid on those contracts (SP2D) by then, % base
METODE = ("run_rate", "pola", "sisa", "gabungan", "rpd", "tingkat", "kontrak", "regresi")
FITUR = ("sisa", "pola", "rpd", "tingkat")          # what regresi combines
KEY = ["kode_satker", "jenis_belanja"]


def _stats(hist: pd.DataFrame) -> pd.DataFrame:
    """Per row of complete years: c1..c12, s1..s12, q1..q12 (rpd ratio), akhir."""
    akhir = hist["r12"]
    ok = akhir > 0
    h = hist[ok]
    out = pd.DataFrame(index=h.index)
    c = h[R].div(h["r12"], axis=0).clip(0, 1).to_numpy()
    out[[f"c{m}" for m in MONTHS]] = c
    sisa = (h[["r12"]].to_numpy() - h[R].to_numpy())
    out[[f"s{m}" for m in MONTHS]] = sisa
    open_rpd = 100.0 - h[D].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(open_rpd > 1.0, sisa / open_rpd, np.nan)
    out[[f"q{m}" for m in MONTHS]] = np.clip(q, 0.0, 3.0)
    # the uncontracted remainder: realisasi not paid on a contract still to come
    paid = h[P].fillna(0.0).to_numpy() if set(P) <= set(h.columns) else 0.0
    lepas = h[R].to_numpy() - paid
    out[[f"u{m}" for m in MONTHS]] = np.maximum(lepas[:, [11]] - lepas, 0.0)
    out["akhir"] = h["r12"].to_numpy()
    out["kelompok"] = h["kelompok"].to_numpy()
    return out


STAT_COLS = ([f"c{m}" for m in MONTHS] + [f"s{m}" for m in MONTHS]
             + [f"q{m}" for m in MONTHS] + [f"u{m}" for m in MONTHS] + ["akhir"])


def rasio_bayar(hist: pd.DataFrame) -> pd.DataFrame:
    """Per jenis belanja (index) and month (columns rho1..rho12): how much of the contract
    value signed and unpaid at the end of the month was paid by December in the complete
    years of `hist`: sum(p12 − p_m) / sum(k_m − p_m) over every series with a contract
    (0–1.2; NaN where no contract was unpaid)."""
    cols = [f"rho{m}" for m in MONTHS]
    if not len(hist) or not set(K + P) <= set(hist.columns):
        return pd.DataFrame(columns=cols)
    h = hist[hist["r12"] > 0]
    k, p = h[K].fillna(0.0).to_numpy(), h[P].fillna(0.0).to_numpy()
    later = pd.DataFrame(p[:, [11]] - p, index=h.index, columns=cols)
    open_ = pd.DataFrame(np.maximum(k - p, 0.0), index=h.index, columns=cols)
    jb = h.index.get_level_values("jenis_belanja")
    num, den = later.groupby(jb).sum(), open_.groupby(jb).sum()
    return (num / den.where(den > 1e-9)).clip(0.0, 1.2)


def pola(hist: pd.DataFrame, now: pd.DataFrame, tahun_penuh: int = 3,
         susut: str = "tahun") -> pd.DataFrame:
    """The shrunk pattern for each row of `now` (index kode_satker, jenis_belanja; column
    kelompok) from `hist` (index tahun, kode_satker, jenis_belanja). Adds n_riwayat and
    sumber ('sendiri', 'campuran', 'kelompok', 'instansi', 'bawaan').

    The weight of a series' own n years: susut "tahun" min(n, tahun_penuh) / tahun_penuh;
    susut "empiris" n / (n + k) with k = the year-to-year variance of the year-end level
    within a series over the variance of the series' own levels around each other, per
    jenis belanja, from `hist` (empirical Bayes: a noisy jenis belanja leans on its
    kelompok longer; the "tahun" weight where no series has two years)."""
    idx = now.index
    st = _stats(hist) if len(hist) else pd.DataFrame(columns=STAT_COLS + ["kelompok"])
    if len(st):
        st = st.reset_index()
        own = st.groupby(KEY)[STAT_COLS].mean()
        n = st.groupby(KEY).size()
        grp = st.groupby(["kelompok", "jenis_belanja"])[STAT_COLS].mean()
        agency = st.groupby("jenis_belanja")[STAT_COLS].mean()
    else:
        own = grp = agency = pd.DataFrame(columns=STAT_COLS)
        n = pd.Series(dtype=float)
    o = own.reindex(idx)[STAT_COLS]
    gi = pd.MultiIndex.from_arrays([now["kelompok"].to_numpy(),
                                    idx.get_level_values("jenis_belanja")])
    g = grp.reindex(gi).set_axis(idx)
    a = agency.reindex(idx.get_level_values("jenis_belanja")).set_axis(idx)
    has_g = g["akhir"].notna()
    has_a = a["akhir"].notna()
    g = g[STAT_COLS].astype(float)
    g = g.where(np.repeat(has_g.to_numpy()[:, None], len(STAT_COLS), axis=1),
                a[STAT_COLS].astype(float))
    g = g.fillna(pd.Series(_bawaan()))
    nn = n.reindex(idx).fillna(0).to_numpy()
    w = np.minimum(nn, tahun_penuh) / max(tahun_penuh, 1)
    if susut == "empiris" and len(st):
        k = _rasio_varians(st, own, n)
        kk = k.reindex(idx.get_level_values("jenis_belanja")).to_numpy(float)
        w = np.where(np.isnan(kk), w, nn / (nn + np.nan_to_num(kk, nan=1.0)))
    oo = o.astype(float).to_numpy()
    gg = g.to_numpy()
    mixed = np.where(np.isnan(oo), gg, w[:, None] * oo + (1 - w[:, None]) * gg)
    out = pd.DataFrame(mixed, index=idx, columns=STAT_COLS)
    rho = rasio_bayar(hist).reindex(idx.get_level_values("jenis_belanja"))
    for m in MONTHS:
        out[f"rho{m}"] = rho[f"rho{m}"].to_numpy(float) if len(rho.columns) else np.nan
    out["n_riwayat"] = nn.astype(int)
    out["sumber"] = np.select(
        [nn >= tahun_penuh, nn > 0, has_g.to_numpy(), has_a.to_numpy()],
        ["sendiri", "campuran", "kelompok", "instansi"], "bawaan")
    return out


def _rasio_varians(st: pd.DataFrame, own: pd.DataFrame, n: pd.Series) -> pd.Series:
    """Per jenis belanja: k = sigma2 / tau2 of the year-end level (see `pola`): sigma2 the
    mean within-series variance (series with >= 2 years), tau2 the variance of the series'
    means less the part sigma2 / n explains (at least 1 % of their variance). NaN where
    no series has two years."""
    within = st.groupby(KEY)["akhir"].var().dropna()
    if within.empty:
        return pd.Series(dtype=float)
    sigma2 = within.groupby(level="jenis_belanja").mean()
    inv_n = (1.0 / n.clip(lower=1)).groupby(level="jenis_belanja").mean()
    spread = own["akhir"].groupby(level="jenis_belanja").var()
    tau2 = np.maximum(spread - sigma2 * inv_n.reindex(sigma2.index), 0.01 * spread)
    return (sigma2 / tau2.clip(lower=1e-9)).reindex(sigma2.index)


def _bawaan() -> dict:
    """A pattern when nothing is known: straight line to 90 % (never from data)."""
    d = {f"c{m}": m / 12 for m in MONTHS}
    d.update({f"s{m}": 90.0 * (1 - m / 12) for m in MONTHS})
    d.update({f"q{m}": 0.9 for m in MONTHS})
    d.update({f"u{m}": 90.0 * (1 - m / 12) for m in MONTHS})
    d["akhir"] = 90.0
    return d


def titik(now: pd.DataFrame, pat: pd.DataFrame, bulan: int) -> pd.DataFrame:
    """Point forecasts (% of base) by every method, for realisasi r{bulan} in `now`."""
    r = now[f"r{bulan}"].astype(float).fillna(0.0).to_numpy()
    c = np.clip(pat[f"c{bulan}"].to_numpy(float), 0.02, 1.0)
    pace = r / c
    sisa = r + np.maximum(pat[f"s{bulan}"].to_numpy(float), 0.0)
    d = now[f"d{bulan}"].astype(float).to_numpy() if f"d{bulan}" in now else np.full(len(r), np.nan)
    q = pat[f"q{bulan}"].to_numpy(float)
    rpd = np.where(np.isnan(d) | np.isnan(q), sisa, r + q * np.clip(100.0 - d, 0.0, 100.0))
    raw = {"run_rate": r * 12.0 / bulan, "pola": pace, "sisa": sisa,
           "gabungan": c * pace + (1 - c) * sisa, "rpd": rpd,
           "tingkat": pat["akhir"].to_numpy(float), "kontrak": _kontrak(now, pat, bulan, r)}
    hi = np.maximum(100.0, r)
    return pd.DataFrame({k: np.clip(v, r, hi) for k, v in raw.items()}, index=now.index)


def _kontrak(now: pd.DataFrame, pat: pd.DataFrame, bulan: int, r: np.ndarray) -> np.ndarray:
    """r + rho_m × (contract value signed and unpaid at m, no more than 100 − r) + the
    pattern's uncontracted remainder u_m; rho_m from the earlier years (`rasio_bayar`). Where the earlier years had no contract open at m (rho unknown), or
    without contract columns: `sisa` itself."""
    u = pat[f"u{bulan}"].to_numpy(float) if f"u{bulan}" in pat else \
        pat[f"s{bulan}"].to_numpy(float)
    u = np.maximum(np.nan_to_num(u, nan=0.0), 0.0)
    if f"k{bulan}" not in now:
        return r + u
    open_ = np.clip(now[f"k{bulan}"].astype(float).fillna(0.0).to_numpy()
                    - now[f"p{bulan}"].astype(float).fillna(0.0).to_numpy(), 0.0, None)
    open_ = np.minimum(open_, np.maximum(100.0 - r, 0.0))
    rho = pat[f"rho{bulan}"].to_numpy(float) if f"rho{bulan}" in pat else \
        np.full(len(r), np.nan)
    sisa = r + np.maximum(pat[f"s{bulan}"].to_numpy(float), 0.0)
    # no contract open at this month in the earlier years of this jenis belanja: sisa
    return np.where(np.isnan(rho), sisa, r + np.nan_to_num(rho) * open_ + u)


def ramal(now: pd.DataFrame, pat: pd.DataFrame, bulan: int, galat_lalu: pd.DataFrame,
          cfg: dict, batas: np.ndarray | None = None,
          ambang: dict | None = None) -> pd.DataFrame:
    """The forecast the report shows: per row of `now`, metode (cfg metode, or with
    `otomatis` the smallest backtest MAE in `galat_lalu` for its jenis belanja and month),
    p50, p10, p90 (% of base; the interval from the method's errors in `galat_lalu`, or
    cfg selang_bawaan), plus every method's point forecast. With `batas` (one year-end
    target per row, %): p_bawah, the chance of ending below it (`peluang_bawah`), and
    tanda = p_bawah >= the threshold of `ambang` {(jenis_belanja, bulan): θ} (chosen on
    earlier years by `pilih_ambang`), or cfg ambang_peluang."""
    f = titik(now, pat, bulan)
    min_galat = int(cfg["min_galat"])
    g = galat_lalu[galat_lalu["bulan"] == bulan] if len(galat_lalu) else galat_lalu
    f["regresi"] = _regresi(f, g, int(cfg.get("min_latih", 20)),
                            now[f"r{bulan}"].astype(float).fillna(0.0).to_numpy())
    auto = cfg["metode"] == "otomatis"
    best = pilih_metode(g, min_galat, cfg["metode_bawaan"]) if auto and len(g) else {}
    fixed = cfg["metode_bawaan"] if auto else cfg["metode"]
    jbs = now.index.get_level_values("jenis_belanja")
    chosen = np.array([best.get((j, bulan), fixed) for j in jbs], dtype=object)
    cols = list(f.columns)
    p50 = f.to_numpy()[np.arange(len(f)), [cols.index(k) for k in chosen]] if len(f) else \
        np.zeros(0)
    half = float(cfg["selang_bawaan"].get(bulan, 0))
    # the interval from the latest years' errors: earlier ones come from a method that had
    # less to learn from (regresi's first years fall back to sisa) and widen it
    n_sel = int(cfg.get("tahun_galat", 0) or 0)
    if n_sel and len(g):
        g_sel = g[g["tahun"].isin(sorted(g["tahun"].unique())[-n_sel:])]
    else:
        g_sel = g
    sel = selang(g, min_galat) if len(g) else {}
    if g_sel is not g and len(g_sel):
        sel.update(selang(g_sel, min_galat))   # enough errors in the latest years: those
    lo = np.array([sel.get((j, bulan, k), (-half, half))[0] for j, k in zip(jbs, chosen)])
    hi = np.array([sel.get((j, bulan, k), (-half, half))[1] for j, k in zip(jbs, chosen)])
    r = now[f"r{bulan}"].astype(float).fillna(0.0).to_numpy()
    top = np.maximum(100.0, r)
    out = f.copy()
    out["metode"] = chosen
    out["p50"] = p50
    out["p10"] = np.clip(p50 + np.minimum(lo, 0.0), r, top) if len(f) else p50
    out["p90"] = np.clip(p50 + np.maximum(hi, 0.0), r, top) if len(f) else p50
    if batas is not None:
        out["p_bawah"], out["p_galat"] = peluang_bawah(
            p50, np.asarray(batas, float), jbs, chosen, r, g, min_galat, half)
        theta = np.array([(ambang or {}).get((j, bulan), float(cfg.get("ambang_peluang", 0.5)))
                          for j in jbs], dtype=float)
        out["tanda"] = out["p_bawah"].to_numpy() >= theta
    return out


def peluang_bawah(p50: np.ndarray, batas: np.ndarray, jbs, chosen, r: np.ndarray,
                  g: pd.DataFrame, min_galat: int, half: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(P(year end < batas), from errors) per row: the share of the chosen method's
    backtest errors (earlier years, same jenis belanja and month, in `g`) that would put
    P50 − galat below batas (galat = proyeksi − akhir), and True; with fewer than
    `min_galat` errors, a normal curve whose 10–90 % width is the default interval ±half,
    and False (a chance on another scale: `pilih_ambang` leaves those rows out). 0 where
    the realisasi already reaches batas (spending is not taken back)."""
    from math import erf, sqrt
    out = np.zeros(len(p50))
    known = np.zeros(len(p50), dtype=bool)
    err = {}
    if len(g):
        for (jb, k), e in g.dropna(subset=["galat"]).groupby(["jenis_belanja", "metode"])[
                "galat"]:
            if len(e) >= min_galat:
                err[(jb, k)] = np.sort(e.to_numpy(float))
    sd = max(half, 1e-6) / 1.2816
    for i, (jb, k) in enumerate(zip(jbs, chosen)):
        e = err.get((jb, k))
        if e is not None:
            out[i] = 1.0 - np.searchsorted(e, p50[i] - batas[i], side="right") / len(e)
            known[i] = True
        else:
            out[i] = 0.5 * (1.0 + erf((batas[i] - p50[i]) / (sd * sqrt(2.0))))
    return np.where(r >= batas, 0.0, out), known


def pilih_ambang(rows: pd.DataFrame, presisi_min: float) -> dict:
    """(jenis_belanja, bulan) -> θ, from backtest rows of earlier years (columns
    jenis_belanja, bulan, p_bawah, akhir, batas; p_galat: only rows whose chance came from
    backtest errors count): of the thresholds that flag "will end below" with precision
    >= presisi_min, the one with the highest recall (then the highest precision); if none
    reaches it, the best F1. Groups where no series ended below: none (the caller's
    default)."""
    out = {}
    d = rows.dropna(subset=["p_bawah", "akhir", "batas"])
    if "p_galat" in d:
        d = d[d["p_galat"].eq(True)]
    for (jb, m), x in d.groupby(["jenis_belanja", "bulan"]):
        truth = (x["akhir"] < x["batas"]).to_numpy()
        if not truth.any():
            continue
        p = x["p_bawah"].to_numpy(float)
        best, key = None, None
        for th in np.unique(p[p > 0]):
            flag = p >= th
            tp = int((flag & truth).sum())
            prec, rec = tp / max(int(flag.sum()), 1), tp / int(truth.sum())
            f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
            k = (1, rec, prec) if prec >= presisi_min else (0, f1, prec)
            if key is None or k > key:
                best, key = float(th), k
        if best is not None:
            out[(jb, int(m))] = best
    return out


def _regresi(f: pd.DataFrame, g: pd.DataFrame, min_latih: int, r: np.ndarray) -> np.ndarray:
    """Stacked least squares of FITUR on earlier years' backtest rows (see module doc)."""
    out = f["sisa"].to_numpy(float).copy()
    if not len(g):
        return out
    train = g[g["metode"].isin(FITUR)].pivot_table(
        index=["tahun", "kode_satker", "jenis_belanja"], columns="metode",
        values="proyeksi").dropna()
    if train.empty or not set(FITUR) <= set(train.columns):
        return out
    akhir = g[g["metode"] == FITUR[0]].set_index(
        ["tahun", "kode_satker", "jenis_belanja"])["akhir"]
    train["akhir"] = akhir.reindex(train.index)
    train = train.dropna()
    jbs = f.index.get_level_values("jenis_belanja")
    for jb, t in train.groupby(level="jenis_belanja"):
        rows = np.flatnonzero(jbs == jb)
        if len(t) < min_latih or not len(rows):
            continue
        x = np.c_[np.ones(len(t)), t[list(FITUR)].to_numpy(float)]
        b, *_ = np.linalg.lstsq(x, t["akhir"].to_numpy(float), rcond=None)
        xn = np.c_[np.ones(len(rows)), f[list(FITUR)].to_numpy(float)[rows]]
        out[rows] = xn @ b
    return np.clip(out, r, np.maximum(100.0, r))


def uji(riwayat: pd.DataFrame, *, tahun: list[int] | None = None,
        bulan: range | list[int] = range(3, 12), tahun_penuh: int = 3,
        cfg: dict | None = None, batas: dict[str, float] | None = None) -> pd.DataFrame:
    """Rolling-origin backtest: each year T (default: every year with an earlier one)
    forecast at each cutoff month from years < T and r_m of T only. One row per
    (tahun, kode_satker, jenis_belanja, bulan, metode): proyeksi, akhir, galat. With
    `cfg` (parameters/proyeksi.yaml) also metode "otomatis": what the report would have
    shown in T, its method and interval chosen from the backtest errors of the years
    before T only (out of sample), with p10 / p90; with `batas` ({jenis_belanja: year-end
    target %}) also batas, p_bawah and tanda, the threshold chosen on the "otomatis" rows of
    the years before T only."""
    years = sorted(riwayat.index.get_level_values("tahun").unique())
    want = set(tahun or years)
    parts = []
    for t in years:
        if not any(y < t for y in years):
            continue
        if cfg is None and t not in want:
            continue
        hist = riwayat[riwayat.index.get_level_values("tahun") < t]
        now = riwayat.xs(t, level="tahun")
        now = now[now["base"] > 0]
        if now.empty:
            continue
        pat = pola(hist, now, tahun_penuh, (cfg or {}).get("susut", "tahun"))
        lalu = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["jenis_belanja", "bulan", "metode", "galat"])
        auto_lalu = lalu[lalu["metode"] == "otomatis"] if len(lalu) else lalu
        lalu = lalu[lalu["metode"] != "otomatis"] if len(lalu) else lalu
        lim = None if batas is None else np.array(
            [batas.get(j, batas.get("", np.nan)) for j in now.index.get_level_values(1)],
            dtype=float)
        amb = (pilih_ambang(auto_lalu, float(cfg.get("presisi_min", 0.6)))
               if cfg is not None and lim is not None and "p_bawah" in auto_lalu else {})
        for m in bulan:
            f = titik(now, pat, m) if cfg is None else ramal(now, pat, m, lalu, cfg, lim, amb)
            pts = f[[k for k in METODE if k in f.columns]]
            long = pts.stack().rename("proyeksi").reset_index().rename(
                columns={"level_2": "metode"})
            long["akhir"] = np.repeat(now["r12"].to_numpy(float), len(pts.columns))
            if cfg is not None:
                auto = pd.DataFrame({"kode_satker": now.index.get_level_values(0),
                                     "jenis_belanja": now.index.get_level_values(1),
                                     "metode": "otomatis", "proyeksi": f["p50"].to_numpy(),
                                     "akhir": now["r12"].to_numpy(float),
                                     "p10": f["p10"].to_numpy(), "p90": f["p90"].to_numpy(),
                                     "dipilih": f["metode"].to_numpy()})
                if lim is not None:
                    auto["batas"], auto["p_bawah"] = lim, f["p_bawah"].to_numpy()
                    auto["p_galat"], auto["tanda"] = f["p_galat"].to_numpy(), f["tanda"].to_numpy()
                long = pd.concat([long, auto], ignore_index=True)
            long["tahun"], long["bulan"] = t, m
            long["galat"] = long["proyeksi"] - long["akhir"]
            parts.append(long)
    cols = ["tahun", "kode_satker", "jenis_belanja", "bulan", "metode", "proyeksi", "akhir"]
    if cfg is not None:
        cols += ["p10", "p90", "dipilih"] + (["batas", "p_bawah", "p_galat", "tanda"]
                                             if batas else [])
    if not parts:
        return pd.DataFrame(columns=cols + ["galat"])
    out = pd.concat(parts, ignore_index=True).reindex(columns=cols + ["galat"])
    return out[out["tahun"].isin(want)].reset_index(drop=True)


def pilih_metode(galat: pd.DataFrame, min_galat: int, bawaan: str,
                 kandidat: tuple[str, ...] = ("pola", "sisa", "gabungan", "rpd",
                                              "kontrak", "regresi")) -> dict:
    """(jenis_belanja, bulan) -> the method with the smallest backtest MAE among
    `kandidat`, where at least `min_galat` errors exist; absent keys: use `bawaan`."""
    g = galat[galat["metode"].isin(kandidat)].dropna(subset=["galat"])
    if g.empty:
        return {}
    mae = g.assign(ae=g["galat"].abs()).groupby(["jenis_belanja", "bulan", "metode"])["ae"] \
        .agg(["mean", "size"]).reset_index()
    # a tie goes to the method listed first alphabetically, kontrak last (where the
    # history holds no contract it is sisa itself)
    mae = mae[mae["size"] >= min_galat].assign(_k=lambda d: d["metode"].eq("kontrak")) \
        .sort_values(["mean", "_k"], kind="stable")
    best = mae.drop_duplicates(["jenis_belanja", "bulan"])
    return {(j, int(m)): k for j, m, k in zip(best["jenis_belanja"], best["bulan"],
                                              best["metode"])}


def selang(galat: pd.DataFrame, min_galat: int) -> dict:
    """(jenis_belanja, bulan, metode) -> (bawah, atas): what to add to P50 for P10 and
    P90 (minus the 90th and 10th percentile of the errors), where >= min_galat errors."""
    out = {}
    for (jb, m, k), e in galat.dropna(subset=["galat"]).groupby(
            ["jenis_belanja", "bulan", "metode"])["galat"]:
        if len(e) >= min_galat:
            out[(jb, int(m), k)] = (-float(np.quantile(e, 0.9)), -float(np.quantile(e, 0.1)))
    return out


def ringkas(galat: pd.DataFrame, target_akhir: dict[str, float] | None = None) -> pd.DataFrame:
    """MAE (points of pagu) by metode, bulan, jenis_belanja, n; with `target_akhir`
    ({jenis: %}), presisi and recall of "P50 below the TW IV target" for "ended below"
    (for "otomatis" rows with a `tanda`: that flag, P(below) >= the chosen threshold).
    jenis_belanja "" = the satker as a whole."""
    g = galat.dropna(subset=["galat"])
    out = (g.assign(ae=g["galat"].abs())
           .groupby(["metode", "bulan", "jenis_belanja"], sort=True)
           .agg(mae=("ae", "mean"), n=("ae", "size")).reset_index())
    if target_akhir is not None:
        t = g["jenis_belanja"].map(target_akhir)
        flag = g["proyeksi"] < t
        if "tanda" in g:        # "otomatis": the chance rule (`ramal`), not P50 < target
            flag = pd.Series(np.where(g["tanda"].notna(), g["tanda"].eq(True), flag),
                             index=g.index)
        truth = g["akhir"] < t
        k = g.assign(tp=flag & truth, fp=flag & ~truth, fn=~flag & truth)
        pr = k.groupby(["metode", "bulan", "jenis_belanja"])[["tp", "fp", "fn"]].sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            pres = pr["tp"] / (pr["tp"] + pr["fp"])
            rec = pr["tp"] / (pr["tp"] + pr["fn"])
        out = out.merge(pd.DataFrame({"presisi": pres, "recall": rec}).reset_index(),
                        on=["metode", "bulan", "jenis_belanja"], how="left")
    return out


def jalur(r: float, akhir: float, c: np.ndarray, bulan: int) -> np.ndarray:
    """Cumulative % path months 1..12 from r at `bulan` to `akhir` in December, following
    the pattern's shape c (cumulative shares, 12 values); NaN before `bulan`."""
    cb = float(c[bulan - 1])
    share = np.ones(12) if cb >= 0.999 else np.clip((np.asarray(c, float) - cb) / (1 - cb),
                                                    0.0, 1.0)
    out = r + (akhir - r) * share
    out[: bulan - 1] = np.nan
    out[bulan - 1], out[11] = r, akhir
    if bulan == 12:
        out[11] = akhir
    return out
