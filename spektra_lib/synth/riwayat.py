"""Past budget years for `spektra synth --riwayat N` (issue 25): something for the
penyerapan forecast (reports/proyeksi.py) and its backtest to learn from.

Each satker has its own seasonal pattern per jenis belanja, kept from year to year:
51 nearly flat (payroll as its RPD plans it, gaji 13 / 14 in their month, January's tukin
paid in February), 52 back-loaded (a satker-own power curve and a December rush), 53
Q4-heavy (an exponential curve: 45–60 % of the year in Q4), and its own year-end level
per jenis belanja. Every year adds noise to the months
and the level, and one satker-year in eight is late (its 52/53 spending slips one or two
months and the year ends lower). `pola()` returns those planted patterns, so tests and
benchmarks know what the forecast should find.

Cheap on purpose: the budget is `budget.build_pok` (arrays), the realisasi one line per
item and month (no payment splitting, no capaian; an SPP register of the 53 contracts'
termins only, with the contract register: kontrak_riwayat.py): about 40 thousand
lines a year for the 16-satker demo. The demo year written beside them
(`tahun_berjalan`, through `build_tables(pola_riwayat=True)`) spends its 52 and 53 the same
way, with a few satker deliberately behind; its budget and everything else are
`generate`'s.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from . import budget, capaian, kontrak_riwayat

JENIS = ("51", "52", "53")
FORMATS = ("kanonik", "kanonik-xlsx")
LATE_CHANCE = 0.125


def _rng(seed: int, *salt: int) -> np.random.Generator:
    return np.random.default_rng([seed, 25, *salt])


def _satker_params(n_s: int, seed: int) -> dict[str, np.ndarray]:
    """Per-satker pattern parameters, the same every year (the satker's habit)."""
    r = _rng(seed, 0)
    return {"a52": r.uniform(0.0, 0.8, n_s), "rush52": r.uniform(1.3, 3.0, n_s),
            "k53": r.uniform(0.10, 0.26, n_s), "start53": r.integers(2, 5, n_s),
            "lvl51": r.uniform(0.955, 0.995, n_s), "lvl52": r.uniform(0.84, 0.97, n_s),
            "lvl53": r.uniform(0.80, 0.97, n_s)}


def _weights(p: dict, n_s: int, tahun: int) -> dict[str, np.ndarray]:
    """Noise-free monthly weights (satker × 12) of 52 and 53 (51 follows its RPD)."""
    m = np.arange(1, 13, dtype=float)
    w52 = m[None, :] ** p["a52"][:, None]
    w52[:, 11] *= p["rush52"]
    w53 = np.exp(p["k53"][:, None] * (m[None, :] - 12.0))
    w53[m[None, :] < p["start53"][:, None]] = 0.02
    return {"52": w52, "53": w53}


def pola(n_satker: int, seed: int = 0, tahun: int = 2021) -> dict[str, pd.DataFrame]:
    """The planted pattern of 52 and 53: satker index × (level, c1 … c12), c the
    cumulative share of the year's realisasi reached by each month (noise-free); 51 spends
    `level` of its RPD."""
    p = _satker_params(n_satker, seed)
    out = {}
    for j, w in _weights(p, n_satker, tahun).items():
        c = np.cumsum(w, axis=1) / w.sum(axis=1, keepdims=True)
        df = pd.DataFrame(c, columns=[f"c{k}" for k in range(1, 13)])
        df.insert(0, "level", p[f"lvl{j}"])
        out[j] = df
    return out


def _year_shares(p: dict, n_s: int, tahun: int, rng) -> tuple[dict, dict, np.ndarray]:
    """(monthly shares per jenis, year-end level per jenis, late flag) for one year."""
    w = _weights(p, n_s, tahun)
    late = rng.random(n_s) < LATE_CHANCE
    shift = rng.integers(1, 3, n_s)
    shares, level = {}, {}
    level["51"] = np.clip(p["lvl51"] + rng.normal(0.0, 0.006, n_s), 0.3, 0.999)
    for j, sigma, lv_sd in (("52", 0.22, 0.018), ("53", 0.35, 0.025)):
        x = w[j] * rng.lognormal(0.0, sigma, (n_s, 12))
        for k in (1, 2):
            rows = late & (shift == k)
            moved = np.zeros((int(rows.sum()), 12))
            moved[:, k:] = x[rows][:, :-k]
            moved[:, 11] += x[rows][:, 12 - k:].sum(axis=1)
            x[rows] = moved
        shares[j] = x / x.sum(axis=1, keepdims=True)
        lv = p[f"lvl{j}"] + rng.normal(0.0, lv_sd, n_s)
        lv = np.where(late, lv - rng.uniform(0.03, 0.08, n_s), lv)
        level[j] = np.clip(lv, 0.3, 0.999)
    return shares, level, late


# The demo year with history (`spektra synth --riwayat N`): a few satker fall behind
BEHIND_SHARE = 0.15        # of the satker (at least one)
BEHIND_UNTIL = 6           # their 52 / 53 spending to June is BEHIND_FACTOR of their
BEHIND_FACTOR = 0.3        # pattern's, and not made up later


def _pattern_amounts(pagu, s, jb, shares, level, rng) -> np.ndarray:
    """Items × 12 realised amounts of 52 / 53 items: pagu × the satker's year-end level ×
    its monthly shares, each item's year scaled by a little noise (0 for other items)."""
    a = np.zeros((len(pagu), 12))
    for j in ("52", "53"):
        rows = jb == j
        a[rows] = (pagu[rows, None] * level[j][s[rows], None] * shares[j][s[rows]]
                   * rng.lognormal(0.0, 0.08, (int(rows.sum()), 1)))
    return a


def tahun_berjalan(pok: pd.DataFrame, amounts: np.ndarray, n_satker: int, tahun: int,
                   seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The demo year when past years are written beside it: its 52 and 53 items spend
    the way each satker's past years did (the planted pattern and year-end level of
    `pola`, with one year's noise), so the forecast has something to recognise; a few
    satker (BEHIND_SHARE, drawn from the seed) spend only BEHIND_FACTOR of it up to
    BEHIND_UNTIL and
    do not make it up, so the ranking shows every status. Other items keep `amounts`
    (realisasi.monthly). Returns (amounts, the behind satker's indexes). Whole rupiah,
    the year within pagu."""
    p = _satker_params(n_satker, seed)
    rng = _rng(seed, tahun, 1)
    shares, level, _late = _year_shares(p, n_satker, tahun, rng)
    s = pok["_s"].to_numpy()
    jb = pok["kode_akun"].str[:2].to_numpy(dtype=object)
    pagu = pok["pagu"].to_numpy(float)
    new = _pattern_amounts(pagu, s, jb, shares, level, rng)
    behind = rng.choice(n_satker, max(1, round(BEHIND_SHARE * n_satker)), replace=False)
    slow = np.isin(s, behind) & np.isin(jb, ("52", "53"))
    new[slow, :BEHIND_UNTIL] *= BEHIND_FACTOR
    out = np.array(amounts, dtype=float, copy=True)
    mine = np.isin(jb, ("52", "53"))
    out[mine] = new[mine]
    cum = np.minimum(np.cumsum(np.floor(out), axis=1), pagu[:, None])
    return np.diff(cum, axis=1, prepend=0.0), np.sort(behind)


def build_year(satker: pd.DataFrame, tahun: int, *, seed: int = 0,
               teknis: int = 130) -> dict[str, pd.DataFrame]:
    """satker, unit_kerja, pok, realisasi, target_penyerapan, and the contract register of
    belanja modal with the SPP register of its termins (kontrak_riwayat.py), of one past
    year."""
    from . import typed
    from .. import organisasi
    n_s = len(satker)
    p = _satker_params(n_s, seed)
    rng = _rng(seed, tahun)
    pok = budget.build_pok(satker, tahun, rng, teknis)
    shares, level, _late = _year_shares(p, n_s, tahun, rng)
    # the original DIPA (revision 0), issued in December of the year before (DOMAIN §7)
    pok["revisi"] = 0
    pok["tanggal_revisi"] = pd.Timestamp(f"{tahun - 1}-12-15")
    s = pok["_s"].to_numpy()
    jb = pok["kode_akun"].str[:2].to_numpy(dtype=object)
    pagu = pok["pagu"].to_numpy(float)
    a = _pattern_amounts(pagu, s, jb, shares, level, rng)
    peg = jb == "51"
    rpd = pok[schema.RPD_COLUMNS].to_numpy(float)
    a[peg] = rpd[peg] * level["51"][s[peg], None] * rng.lognormal(0.0, 0.005, (int(peg.sum()), 1))
    tukin = (pok["kind"] == "tukin").to_numpy()
    shifted = np.zeros((int(tukin.sum()), 12))
    shifted[:, 1:] = a[tukin][:, :-1]       # January's tukin is paid in February,
    shifted[:, 11] += a[tukin][:, 11]       # December's in December
    a[tukin] = shifted
    cum = np.minimum(np.cumsum(np.floor(a), axis=1), pagu[:, None])
    a = np.diff(cum, axis=1, prepend=0.0)
    item, month0 = np.nonzero(a > 0)
    day = rng.integers(5, 29, len(item))
    real = pd.DataFrame({c: pok[c].to_numpy(dtype=object)[item]
                         for c in schema.ITEM_KEY if c != "tahun"})
    real.insert(0, "tahun", int(tahun))
    real["tanggal"] = pd.to_datetime(pd.DataFrame(
        {"year": tahun, "month": month0 + 1, "day": day}))
    real["nilai"] = a[item, month0]
    # the contracts of belanja modal, paid by the realisasi above (kontrak_riwayat.py)
    sign_ratio = np.maximum(1.0, p["lvl53"] / level["53"])
    kontrak, spp, no_sp2d = kontrak_riwayat.build(
        pok, a, sign_ratio, satker["kode_satker"].to_numpy(dtype=object), tahun, seed,
        item, month0, real["tanggal"].to_numpy())
    real["no_sp2d"] = no_sp2d
    real = real.sort_values(["kode_satker", "tanggal"], kind="stable", ignore_index=True)
    units = organisasi.unit_kerja_default()
    units = units[units["kode_satker"].isin(satker["kode_satker"])]
    tables = {"satker": satker, "unit_kerja": units, "pok": pok, "realisasi": real,
              "target_penyerapan": capaian.target_penyerapan(tahun),
              "kontrak": kontrak, "spp": spp}
    return {name: typed(name, df) for name, df in tables.items()}


def generate_riwayat(out_dir: str | Path, *, tahun: int, n: int, n_satker: int | None = None,
                     seed: int = 0, format: str = "kanonik") -> list[str]:
    """Write the n years before `tahun`, each to OUT_DIR/riwayat-<year>; the folders,
    oldest first (ingest them before the demo year's)."""
    if format not in FORMATS:
        raise ValueError(f"--riwayat hanya untuk format {', '.join(FORMATS)}, bukan "
                         f"{format!r}.")
    from .write import write
    satker = budget.satker_frame(n_satker, np.random.default_rng(seed))
    teknis = budget.TEKNIS_SCALE if (n_satker or 0) > 50 else 130
    folders = []
    for y in range(tahun - n, tahun):
        d = Path(out_dir) / f"riwayat-{y}"
        d.mkdir(parents=True, exist_ok=True)
        write(build_year(satker, y, seed=seed, teknis=teknis), d, format)
        folders.append(str(d))
    return folders
