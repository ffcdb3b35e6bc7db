"""proyeksi_penyerapan (CONTRACT §2, issue 25): where each satker's realisasi will end the
year, how sure that is, and what it must spend a month to reach the next quarter's target.

The store gives the history (`riwayat`: per tahun × satker × jenis belanja, and the satker
as a whole, the cumulative realisasi and RPD in % of pagu − blokir); spektra_lib/proyeksi.py
does the arithmetic; the method and its settings are parameters/proyeksi.yaml. Everything
here is a PROYEKSI. Columns as the contract says, then (added, optional) metode,
n_riwayat, sumber_pola, realisasi_persen, target_triwulan, blokir, peluang_di_bawah (%
chance of ending below the TW IV target, from the backtest errors) and peringatan_dini
(that chance at or above the threshold chosen on the earlier years: see proyeksi.yaml).

`uji_proyeksi` is the backtest behind `spektra uji-proyeksi`.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from .. import parameters, proyeksi
from ..kalender import nama_bulan
from . import _common
from .selection import Selection

COLUMNS = ["kode_satker", "nama_satker", "jenis_belanja", "pagu", "realisasi_kumulatif",
           "proyeksi_p10", "proyeksi_p50", "proyeksi_p90", "target_akhir", "status",
           "kebutuhan_per_bulan", "penjelasan"]
EXTRA = ["metode", "n_riwayat", "sumber_pola", "realisasi_persen", "target_triwulan",
         "blokir", "peluang_di_bawah", "peringatan_dini"]
JENIS = ("51", "52", "53", "57")
NAMA_JENIS = {"51": "belanja pegawai", "52": "belanja barang", "53": "belanja modal",
              "57": "bansos", "": "seluruh belanja"}
QUARTERS = (3, 6, 9, 12)


def _has_blokir(store) -> bool:
    return bool(store.scalar(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'pok' AND column_name = "
        "'blokir' AND database_name = current_database()"))


def riwayat(store, tahun: int, bulan: int = 12) -> pd.DataFrame:
    """The history table of proyeksi.py for every year <= tahun (year `tahun` up to
    `bulan` only): index (tahun, kode_satker, jenis_belanja), base, pagu, blokir,
    kelompok, r1..r12, d1..d12, and realisasi (rupiah s.d. bulan of each row's year)."""
    blokir = "sum(CAST(coalesce(blokir, 0) AS DOUBLE))" if _has_blokir(store) else "0.0"
    rpd = ", ".join(f"sum(CAST({c} AS DOUBLE)) AS {c}" for c in
                    [f"rpd_{m:02d}" for m in proyeksi.MONTHS])
    budget = store.sql(
        f"SELECT tahun, kode_satker, left(kode_akun, 2) AS jb, sum(CAST(pagu AS DOUBLE)) AS "
        f"pagu, {blokir} AS blokir, {rpd} FROM pok WHERE tahun <= $t GROUP BY ALL",
        {"t": tahun})
    years = sorted(budget["tahun"].unique().tolist())
    parts = []
    for y in years:
        p = _common.params(tahun=int(y))
        q = (f"WITH {_common.realisasi_cte(store)} SELECT kode_satker, left(kode_akun, 2) "
             "AS jb, bulan, sum(CAST(nilai AS DOUBLE)) AS nilai FROM real_src GROUP BY ALL")
        r = store.sql(q, p)
        r["tahun"] = int(y)
        if y == tahun:
            r = r[r["bulan"] <= bulan]
        parts.append(r)
    real = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["kode_satker", "jb", "bulan", "nilai", "tahun"])
    kel = dict(store.sql("SELECT kode_satker, kelompok FROM satker").values.tolist())
    return _table(budget, real, kel, _kontrak_bulan(store, tahun, bulan))


def _ada(store, table: str) -> bool:
    return bool(store.scalar(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n AND database_name = "
        "current_database()", {"n": table}))


def _kontrak_bulan(store, tahun: int, bulan: int) -> pd.DataFrame:
    """Rupiah per (tahun, kode_satker, jb, bulan, what): "k" contract value signed in the
    month (a contract signed before its year counts in January), "p" paid on a contract
    of the year by SP2D in the month (the SPP register's no_kontrak); year `tahun` up to
    `bulan` only."""
    cols = ["tahun", "kode_satker", "jb", "bulan", "apa", "nilai"]
    if not (_ada(store, "kontrak") and _ada(store, "spp")):
        return pd.DataFrame(columns=cols)
    p = {"t": tahun, "b": bulan}
    k = store.sql(
        "SELECT tahun, kode_satker, left(kode_akun, 2) AS jb, CASE WHEN year(tgl_kontrak) < "
        "tahun THEN 1 ELSE month(tgl_kontrak) END AS bulan, 'k' AS apa, "
        "sum(CAST(nilai_kontrak AS DOUBLE)) AS nilai FROM kontrak WHERE tahun <= $t "
        "AND year(tgl_kontrak) <= tahun GROUP BY ALL", {"t": tahun})
    d = store.sql(
        "SELECT k.tahun, k.kode_satker, left(k.kode_akun, 2) AS jb, month(s.tgl_sp2d) AS "
        "bulan, 'p' AS apa, sum(CAST(s.nilai AS DOUBLE)) AS nilai FROM spp s JOIN kontrak k "
        "ON k.kode_satker = s.kode_satker AND k.no_kontrak = s.no_kontrak "
        "WHERE s.tgl_sp2d IS NOT NULL AND year(s.tgl_sp2d) = k.tahun AND k.tahun <= $t "
        "GROUP BY ALL", {"t": tahun})
    out = pd.concat([k, d], ignore_index=True).reindex(columns=cols)
    return out[(out["tahun"] < tahun) | (out["bulan"] <= bulan)]


def _table(budget: pd.DataFrame, real: pd.DataFrame, kelompok: dict,
           kontrak: pd.DataFrame | None = None) -> pd.DataFrame:
    key = ["tahun", "kode_satker", "jenis_belanja"]
    rpd_cols = [f"rpd_{m:02d}" for m in proyeksi.MONTHS]
    b = budget.rename(columns={"jb": "jenis_belanja"})
    b_all = b.groupby(["tahun", "kode_satker"], as_index=False)[
        ["pagu", "blokir"] + rpd_cols].sum().assign(jenis_belanja="")
    b = pd.concat([b[b["jenis_belanja"].isin(JENIS)], b_all], ignore_index=True)
    b = b.groupby(key)[["pagu", "blokir"] + rpd_cols].sum()
    r = real.rename(columns={"jb": "jenis_belanja"})
    r_all = r.groupby(["tahun", "kode_satker", "bulan"], as_index=False)["nilai"].sum() \
        .assign(jenis_belanja="")
    r = pd.concat([r[r["jenis_belanja"].isin(JENIS)], r_all], ignore_index=True)
    m = r.pivot_table(index=key, columns="bulan", values="nilai", aggfunc="sum",
                      fill_value=0.0).reindex(columns=list(proyeksi.MONTHS), fill_value=0.0)
    m = m.reindex(b.index, fill_value=0.0)
    base = (b["pagu"] - b["blokir"]).clip(lower=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cum = np.cumsum(m.to_numpy(float), axis=1)
        pct = np.where(base.to_numpy()[:, None] > 0, cum / base.to_numpy()[:, None] * 100,
                       np.nan)
        dpct = np.where(base.to_numpy()[:, None] > 0, np.cumsum(
            b[rpd_cols].to_numpy(float), axis=1) / base.to_numpy()[:, None] * 100, np.nan)
    out = pd.DataFrame(index=b.index)
    out["pagu"], out["blokir"], out["base"] = b["pagu"], b["blokir"], base
    out["kelompok"] = [kelompok.get(k, "") or "" for k in
                       b.index.get_level_values("kode_satker")]
    out[proyeksi.R] = pct
    out[proyeksi.D] = dpct
    if kontrak is not None and len(kontrak):
        kk = kontrak.rename(columns={"jb": "jenis_belanja"})
        kk = pd.concat([kk[kk["jenis_belanja"].isin(JENIS)],
                        kk.assign(jenis_belanja="")], ignore_index=True)
        for what, cols in (("k", proyeksi.K), ("p", proyeksi.P)):
            x = kk[kk["apa"] == what].pivot_table(
                index=key, columns="bulan", values="nilai", aggfunc="sum", fill_value=0.0) \
                .reindex(columns=list(proyeksi.MONTHS), fill_value=0.0) \
                .reindex(b.index, fill_value=0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[cols] = np.where(base.to_numpy()[:, None] > 0, np.cumsum(
                    x.to_numpy(float), axis=1) / base.to_numpy()[:, None] * 100, np.nan)
    out["realisasi_bulan"] = list(m.to_numpy(float))
    return out


def _cfg() -> dict:
    return parameters.load("proyeksi")


def _targets(tahun: int, aturan=None) -> dict[str, dict[int, float]]:
    """Quarterly cumulative penyerapan targets {3: .., 6: .., 9: .., 12: ..} of the IKPA rule
    of `tahun` (parameters/ikpa/<rule>.yaml, read through reports/ikpa/penyerapan.py) per
    jenis belanja, and "" = the whole budget (or of the rule `aturan`); a jenis belanja without its own target (a
    rule that scores the whole budget) takes the whole budget's."""
    from .ikpa import penyerapan, pilih_aturan
    rule = pilih_aturan(tahun, aturan)
    out = {j: dict(zip(QUARTERS, t)) for j, t in
           penyerapan.targets_triwulan(rule.nilai).items() if j != "semua"}
    out[""] = dict(zip(QUARTERS, penyerapan.target_keseluruhan(rule.nilai)))
    return out


def target_bulan(targets: dict[int, float], bulan: int) -> float:
    """Quarterly cumulative targets {3: 15, …} -> the target shown for `bulan`: linear
    between quarter ends from 0 % at the start of the year (a guide; IKPA scores quarter
    ends only)."""
    pts = sorted(targets.items())
    return float(np.interp(bulan, [0] + [m for m, _ in pts], [0.0] + [v for _, v in pts]))


def _angka(x: float, d: int = 1) -> str:
    return format_decimal(round(float(x), d), format="#,##0." + "0" * d, locale="id_ID")


def _rp(x: float) -> str:
    return "Rp" + format_decimal(round(float(x)), format="#,##0", locale="id_ID")


_CACHE: dict = {}      # (store file, content, budget date, tahun, bulan) -> every satker's
_CACHE_SIZE = 8        # forecast: a render kernel draws satker pages one after another


def _hitung(store, tahun: int, bulan: int, satker: str | None, jenis: str | None):
    """(now, pat, f): the year's rows in scope, their shrunk pattern and the forecast
    (proyeksi.ramal), or None when the store has no budget for `tahun`. Every satker is
    forecast at once (the pattern of a kelompok and the backtest need them all) and kept
    for the next page of the same data; the caller's scope was checked by reports.run."""
    key = (str(store.path), store.fingerprint(), getattr(store, "tanggal_anggaran", None),
           int(tahun), int(bulan),
           repr(sorted(_cfg().items())))
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _hitung_semua(store, tahun, bulan)
    got = _CACHE[key]
    if got is None:
        return None
    now, pat, f = got
    keep = np.ones(len(now), dtype=bool)
    if satker is not None:
        keep &= now.index.get_level_values("kode_satker") == satker
    if jenis is not None:
        keep &= now.index.get_level_values("jenis_belanja").isin([jenis, ""])
    return now[keep], pat[keep], f[keep]


def _hitung_semua(store, tahun: int, bulan: int):
    cfg = _cfg()
    hist = riwayat(store, tahun, bulan)
    if hist.empty or tahun not in hist.index.get_level_values("tahun"):
        return None
    now = hist.xs(tahun, level="tahun")
    now = now[now["pagu"] > 0]
    past = hist[hist.index.get_level_values("tahun") < tahun]
    n_full = int(cfg["tahun_penuh"])
    pat = proyeksi.pola(past, now, n_full, cfg.get("susut", "tahun"))
    # the method and the interval from the backtest of this month on the earlier years
    akhir = {j: t[12] for j, t in _targets(tahun).items()}
    galat = proyeksi.uji(past, bulan=[bulan], tahun_penuh=n_full, cfg=cfg, batas=akhir)
    # the "will end below" threshold from the earlier years' own forecasts (out of sample)
    ambang = proyeksi.pilih_ambang(galat[galat["metode"] == "otomatis"],
                                   float(cfg["presisi_min"])) if "p_bawah" in galat else {}
    galat = galat[galat["metode"] != "otomatis"]
    lim = np.array([akhir.get(j, akhir[""]) for j in now.index.get_level_values(1)], float)
    f = proyeksi.ramal(now, pat, bulan, galat, cfg, lim, ambang)
    return now, pat, _lantai_komitmen(store, tahun, bulan, now, f)


def _lantai_komitmen(store, tahun: int, bulan: int, now: pd.DataFrame,
                     f: pd.DataFrame) -> pd.DataFrame:
    """Money already committed at the end of `bulan` will be paid: SPMs issued without an
    SP2D (not rejected) and what is still unpaid of the year's contracts are added to the
    realisasi as a floor under P10 / P50 / P90 (`komitmen`, `lantai` in % of the base).
    Not the contracts of a row whose method is `kontrak` (they are in its P50 already).
    A contract's unpaid value counts for its jenis belanja and the satker as a whole, never
    more per akun than its pagu − blokir less its realisasi; an SPM of no registered
    contract only for the whole (the SPP register has no akun); an SPM paying a contract is
    inside that contract's unpaid value (counted once)."""
    kom = komitmen(store, tahun, bulan)
    idx = now.index
    parts = np.array([kom.get(k, (0.0, 0.0)) for k in idx], dtype=float).reshape(-1, 2)
    # a row forecast by `kontrak` already counts its contracts, at the share the earlier
    # years paid by December (contracts end with savings): no floor of them at full value
    by_k = f["metode"].to_numpy() == "kontrak"
    sisa_k = parts[:, 1].copy()
    parts[by_k, 1] = 0.0
    rp_ = parts.sum(axis=1)
    base = now["base"].to_numpy(float)
    real = np.array([float(sum(v[:bulan])) for v in now["realisasi_bulan"]])
    with np.errstate(divide="ignore", invalid="ignore"):
        lantai = np.where(base > 0, (real + rp_) / base * 100.0, 0.0)
    lantai = np.minimum(lantai, 100.0)
    out = f.copy()
    out["komitmen"], out["lantai"] = rp_, np.where(rp_ > 0, lantai, np.nan)
    out["spm_tanpa_kontrak"], out["sisa_kontrak"] = parts[:, 0], sisa_k
    has = rp_ > 0
    for col in ("p10", "p50", "p90"):
        out[col] = np.where(has, np.maximum(out[col].to_numpy(float), lantai), out[col])
    return out


def komitmen(store, tahun: int, bulan: int) -> dict[tuple[str, str], float]:
    """{(kode_satker, jenis_belanja or ""): (SPM without SP2D and of no contract, unpaid
    contract value)} in rupiah at the end of `bulan` (see `_lantai_komitmen`)."""
    end = (pd.Timestamp(year=tahun, month=bulan, day=1) + pd.offsets.MonthEnd(0)).date()
    p = _common.params(tahun=tahun, akhir=end)
    blokir = "coalesce(blokir, 0)" if _has_blokir(store) else "0"
    kontrak = store.sql(
        f"WITH {_common.realisasi_cte(store)}, "
        "bayar AS (SELECT kode_satker, no_kontrak, sum(CAST(nilai AS DOUBLE)) AS dibayar "
        "FROM spp WHERE no_kontrak IS NOT NULL AND tgl_sp2d IS NOT NULL AND tgl_sp2d <= "
        "$akhir GROUP BY ALL), "
        "sisa AS (SELECT k.kode_satker, k.kode_akun, sum(greatest(CAST(k.nilai_kontrak AS "
        "DOUBLE) - coalesce(b.dibayar, 0), 0)) AS sisa FROM kontrak k LEFT JOIN bayar b "
        "USING (kode_satker, no_kontrak) WHERE k.tahun = $tahun AND k.tgl_kontrak <= $akhir "
        "GROUP BY ALL), "
        f"pagu AS (SELECT kode_satker, kode_akun, sum(CAST(pagu - {blokir} AS DOUBLE)) AS pagu "
        "FROM pok WHERE tahun = $tahun GROUP BY ALL), "
        "real AS (SELECT kode_satker, kode_akun, sum(CAST(nilai AS DOUBLE)) AS nilai FROM "
        "real_src WHERE bulan <= $bulan GROUP BY ALL) "
        # no more than the akun's pagu still allows: an SP2D beyond it is refused
        "SELECT s.kode_satker, left(s.kode_akun, 2) AS jb, sum(least(s.sisa, greatest("
        "coalesce(g.pagu, 0) - coalesce(r.nilai, 0), 0))) AS sisa FROM sisa s "
        "LEFT JOIN pagu g USING (kode_satker, kode_akun) "
        "LEFT JOIN real r USING (kode_satker, kode_akun) GROUP BY ALL", {**p, "bulan": bulan})
    spm = store.sql(
        "SELECT s.kode_satker, sum(CAST(s.nilai AS DOUBLE)) AS nilai FROM spp s "
        "LEFT JOIN kontrak k ON k.kode_satker = s.kode_satker AND k.no_kontrak = "
        "s.no_kontrak AND k.tahun = $tahun AND k.tgl_kontrak <= $akhir "
        "WHERE s.tgl_spm IS NOT NULL AND year(s.tgl_spm) = $tahun AND s.tgl_spm <= $akhir "
        "AND (s.tgl_sp2d IS NULL OR s.tgl_sp2d > $akhir) AND k.no_kontrak IS NULL "
        "AND NOT coalesce(lower(s.status) LIKE '%tolak%', false) GROUP BY ALL", p)
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for k, jb, v in kontrak[["kode_satker", "jb", "sisa"]].itertuples(index=False):
        if v > 0:
            for key in ((k, jb), (k, "")):
                a, b = out.get(key, (0.0, 0.0))
                out[key] = (a, b + v)
    for k, v in spm[["kode_satker", "nilai"]].itertuples(index=False):
        if v > 0:
            a, b = out.get((k, ""), (0.0, 0.0))
            out[(k, "")] = (a + v, b)
    return out


def proyeksi_penyerapan(store, pilihan: Selection) -> pd.DataFrame:
    """One row per satker × jenis belanja with pagu, and one for the satker as a whole
    (jenis_belanja empty), as of `bulan`; year-end P10/P50/P90 in % of pagu − blokir."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    jenis_belanja = pilihan.jenis_belanja
    _common.check_month(bulan)
    jenis = _common.check_jenis(jenis_belanja)
    cfg = _cfg()
    got = _hitung(store, tahun, bulan, satker, jenis)
    if got is None:
        return _common.empty(COLUMNS + EXTRA)
    now, pat, f = got
    chosen = f["metode"].tolist()
    p50 = f["p50"]
    p10, p90 = f["p10"].to_numpy(), f["p90"].to_numpy()
    r = now[f"r{bulan}"].fillna(0.0)
    targets = _targets(tahun)
    names = dict(store.sql("SELECT kode_satker, nama_satker FROM satker").values.tolist())
    rows = []
    for i, (kode, jb) in enumerate(now.index):
        row = now.iloc[i]
        t = targets.get(jb, targets[""])
        akhir = t[12]
        q = next(qq for qq in QUARTERS if qq > bulan) if bulan < 12 else 12
        base = float(row["base"])
        real = float(sum(row["realisasi_bulan"][:bulan]))
        need = max(0.0, t[q] / 100 * base - real) / (q - bulan) if bulan < 12 else 0.0
        status = ("aman" if p10[i] >= akhir else "waspada" if p50.iloc[i] >= akhir
                  else "berisiko")
        ctx = {"r": float(r.iloc[i]), "pat": pat.iloc[i], "need": need, "real": real,
               "base": base,
               "blokir": float(row["blokir"]),
               "komitmen": float(f["komitmen"].iloc[i]), "lantai": float(f["lantai"].iloc[i]),
               "metode": chosen[i], "bayar": float(pat[f"rho{bulan}"].iloc[i])
               if f"rho{bulan}" in pat else math.nan,
               "spm_lepas": float(f["spm_tanpa_kontrak"].iloc[i]),
               "sisa_kontrak": float(f["sisa_kontrak"].iloc[i]),
               "status": status, "kelompok": row["kelompok"], "target": akhir}
        rows.append([kode, names.get(kode, ""), jb, float(row["pagu"]), real, float(p10[i]),
                     float(p50.iloc[i]), float(p90[i]), akhir, status, need,
                     _penjelasan(jb, bulan, ctx, cfg), chosen[i], int(pat["n_riwayat"].iloc[i]),
                     pat["sumber"].iloc[i], float(r.iloc[i]), t[q], float(row["blokir"]),
                     100.0 * float(f["p_bawah"].iloc[i]), bool(f["tanda"].iloc[i])])
    out = pd.DataFrame(rows, columns=COLUMNS + EXTRA)
    order = out["jenis_belanja"].map(lambda j: (j == "", j))
    out = out.assign(_o=order).sort_values(["kode_satker", "_o"], kind="stable") \
        .drop(columns="_o").reset_index(drop=True)
    out.attrs["catatan"] = ("PROYEKSI realisasi akhir tahun dari pola realisasi tahun-tahun "
                            "sebelumnya (metode dipilih dengan uji mundur); bukan nilai resmi.")
    return out


def _penjelasan(jb: str, bulan: int, ctx: dict, cfg: dict) -> str:
    """Up to three plain causes, most telling first."""
    pat, r = ctx["pat"], ctx["r"]
    n = int(pat["n_riwayat"])
    expected = float(pat[f"c{bulan}"] * pat["akhir"])
    gap = r - expected
    what = NAMA_JENIS.get(jb, f"belanja {jb}")
    bln = nama_bulan(bulan)
    asal = {"sendiri": f"pola {n} tahun", "campuran": f"pola {n} tahun + kelompok",
            "kelompok": f"pola kelompok {ctx['kelompok']}", "instansi": "pola instansi",
            "bawaan": "garis lurus ke 90 %"}[pat["sumber"]]
    out = []
    if ctx.get("metode") == "kontrak" and ctx["sisa_kontrak"] > 0:
        bayar = (f" (tahun-tahun sebelumnya {_angka(100 * ctx['bayar'])} % dibayar sampai "
                 "Desember)") if ctx["bayar"] == ctx["bayar"] else ""
        out.append(f"sisa kontrak belum dibayar {_rp(ctx['sisa_kontrak'])} masuk proyeksi"
                   + bayar)
    if ctx.get("komitmen", 0.0) > 0:
        what_ = " dan ".join(x for x in (
            f"SPM belum SP2D {_rp(ctx['spm_lepas'])}" if ctx["spm_lepas"] > 0 else "",
            f"sisa kontrak belum dibayar {_rp(ctx['sisa_kontrak'])}"
            if ctx["sisa_kontrak"] > 0 and ctx.get("metode") != "kontrak" else "") if x)
        out.append(f"{what_} dihitung sebagai realisasi yang akan terjadi: proyeksi paling "
                   f"sedikit {_angka(ctx['lantai'])} %")
    if gap < -float(cfg["ambang_pola"]):
        out.append(f"realisasi {what} s.d. {bln} {_angka(r)} % di bawah {asal} "
                   f"({_angka(expected)} %)")
    elif gap > float(cfg["ambang_pola"]):
        out.append(f"realisasi {what} s.d. {bln} {_angka(r)} % di atas {asal} "
                   f"({_angka(expected)} %)")
    if ctx["status"] != "aman" and float(pat["akhir"]) < ctx["target"]:
        out.append(f"{asal} biasanya berakhir {_angka(float(pat['akhir']))} %, di bawah "
                   f"target {_angka(ctx['target'])} %")
    if n == 0:
        out.append(f"belum ada riwayat: memakai {asal}")
    # the need against what the pattern usually spends in the same months
    q = next((qq for qq in QUARTERS if qq > bulan), None)
    if q is not None and ctx["need"] > 0:
        usual = max(float(pat[f"c{q}"] - pat[f"c{bulan}"]), 0.0) * float(pat["akhir"]) / 100 \
            * ctx["base"] / (q - bulan)
        if ctx["need"] > float(cfg["ambang_kebutuhan"]) * usual:
            kali = f"{_angka(ctx['need'] / usual)}× pola biasanya" if usual > 0 \
                else "pola biasanya tanpa realisasi"
            out.append(f"perlu {_rp(ctx['need'])}/bulan sampai {nama_bulan(q)} untuk target "
                       f"triwulan ({kali})")
    if ctx["blokir"] > 0:
        out.append(f"blokir {_rp(ctx['blokir'])} tidak dihitung dalam pagu")
    return "; ".join(out[:3])


def uji_proyeksi(store, tahun: int | None = None, *, rinci: bool = False,
                batas: dict[str, float] | None = None) -> pd.DataFrame:
    """The backtest (CONTRACT §3 `spektra uji-proyeksi`): each complete year (data through
    December) with earlier years, or `tahun`, forecast at cutoff months 3–11 from earlier
    years only. Columns metode, bulan, jenis_belanja, mae, n, presisi, recall (of "P50
    below the TW IV target" for "ended below it"; for "otomatis" the report's flag: the
    chance of ending below >= the threshold chosen on the years before); with `rinci` the
    per-series errors. `batas` ({jenis_belanja: %}) replaces the TW IV targets."""
    top = store.scalar("SELECT max(tahun) FROM pok")
    if top is None:
        return pd.DataFrame(columns=["metode", "bulan", "jenis_belanja", "mae", "n",
                                     "presisi", "recall"])
    hist = riwayat(store, int(tahun or top))
    done = store.sql("SELECT tahun FROM realisasi_bulan GROUP BY tahun HAVING max(bulan) = 12")
    years = sorted(int(y) for y in done["tahun"])
    if tahun is not None:
        if int(tahun) not in hist.index.get_level_values("tahun"):
            raise ValueError(f"Tahun {tahun} tidak ada di store.")
        years = [int(tahun)]
    cfg = _cfg()
    akhir = batas or {j: t[12] for j, t in _targets(int(tahun or top)).items()}
    galat = proyeksi.uji(hist, tahun=years, tahun_penuh=int(cfg["tahun_penuh"]), cfg=cfg,
                         batas=akhir)
    if rinci:
        return galat
    return proyeksi.ringkas(galat, akhir)


GRAFIK = ["bulan", "realisasi_persen", "rpd_persen", "target_persen", "proyeksi_p10",
          "proyeksi_p50", "proyeksi_p90"]


def grafik_proyeksi(store, pilihan: Selection) -> pd.DataFrame:
    """The fan chart's data for one satker (one jenis belanja, or all): one row per month
    1..12, cumulative % of pagu − blokir: realisasi (to `bulan`), RPD, the IKPA target of
    the month, and from `bulan` on the P10 / P50 / P90 path (the pattern's shape from the
    realisasi of `bulan` to the year-end proyeksi)."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    jenis_belanja = pilihan.jenis_belanja
    _common.check_month(bulan)
    jenis = _common.check_jenis(jenis_belanja) or ""
    if satker is None:
        found = store.sql("SELECT DISTINCT kode_satker FROM pok WHERE tahun = $t",
                          {"t": tahun})["kode_satker"].tolist()
        if len(found) != 1:
            raise ValueError("Grafik proyeksi dibuat per satker: pilih satker (--satker).")
        satker = found[0]
    got = _hitung(store, tahun, bulan, satker, jenis or None)
    if got is None:
        return _common.empty(GRAFIK)
    now, pat, f = got
    key = (satker, jenis)
    if key not in now.index:
        return _common.empty(GRAFIK)
    i = now.index.get_loc(key)
    row, pt = now.iloc[i], pat.iloc[i]
    t = _targets(tahun).get(jenis, _targets(tahun)[""])
    r = float(row[f"r{bulan}"]) if row[f"r{bulan}"] == row[f"r{bulan}"] else 0.0
    c = np.array([float(pt[f"c{m}"]) for m in proyeksi.MONTHS])
    paths = {k: proyeksi.jalur(r, float(f[k].iloc[i]), c, bulan) for k in ("p10", "p50", "p90")}
    out = []
    for m in proyeksi.MONTHS:
        real = float(row[f"r{m}"]) if m <= bulan else math.nan
        out.append([m, real, float(row[f"d{m}"]), target_bulan(t, m),
                    *(float(paths[k][m - 1]) for k in ("p10", "p50", "p90"))])
    df = pd.DataFrame(out, columns=GRAFIK)
    df.attrs["catatan"] = ("PROYEKSI: pita P10–P90 dari pola realisasi tahun-tahun "
                           "sebelumnya" + (" (satker belum punya riwayat: pola kelompoknya)"
                                           if int(pt["n_riwayat"]) == 0 else "") + ".")
    return df


RANKING = ["peringkat", "kode", "nama", "pagu", "realisasi_persen", "proyeksi_p10",
           "proyeksi_p50", "proyeksi_p90", "target_akhir", "selisih", "status"]


def ranking_proyeksi(store, pilihan: Selection) -> pd.DataFrame:
    """For pimpinan: every satker (its whole budget, or one jenis belanja) ranked by gap =
    P50 − the TW IV target, the furthest below first; with `satker` its own row only
    (ranked among all)."""
    satker = pilihan.satker
    df = proyeksi_penyerapan(store, pilihan.replace(satker=None))
    want = _common.check_jenis(pilihan.jenis_belanja) or ""
    d = df[df["jenis_belanja"] == want].copy()
    if d.empty:
        return _common.empty(RANKING)
    d["selisih"] = d["proyeksi_p50"] - d["target_akhir"]
    d = d.sort_values(["selisih", "pagu", "kode_satker"], ascending=[True, False, True],
                      kind="stable").reset_index(drop=True)
    d["peringkat"] = np.arange(1, len(d) + 1)
    d = d.rename(columns={"kode_satker": "kode", "nama_satker": "nama"})
    out = d[RANKING].reset_index(drop=True)
    if satker is not None:
        out = out[out["kode"] == satker].reset_index(drop=True)
    out.attrs.update(df.attrs)
    return out
