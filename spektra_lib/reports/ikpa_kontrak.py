"""The three contract-based IKPA indicators (issue 23; DOMAIN §5), ESTIMATES.

Each is `fn(ctx)` in the IKPA indicator interface (reports/ikpa/dasar.py, issue 22): `ctx`
gives store, tahun, bulan, satker, kode_satker (the satker to score) and `p(name, default)`
(the rule's named parameters); each returns (nilai, kurang, rincian, catatan): the score
0–100 per kode_satker, {kode_satker: what is missing} for those it cannot score ("tidak
dapat dihitung"), the formula trace (kode_satker, periode, jenis_belanja, besaran, nilai)
and notes. Scored on the data up to the end of `bulan` (periode `YYYY-MM`).

Parameters are the rule's (parameters/ikpa/<rule>.yaml, named `<indicator>_<name>`, each
with its source; the bands below are unconfirmed and the page lists them); the report
rules they share (17 working days, one month for TUP, jenis SPP) are
parameters/kontrak.yaml's.

- Belanja Kontraktual = the weighted mean (40/40/20) of the components that apply:
  kontrak dini (contracts > Rp50 juta in 52/53/57 registered at the KPPN and signed before
  1 January: 120 points, or in TW I: 110; mean of points), akselerasi belanja modal
  (contracts of akun 53 of Rp50–200 juta paid at once: 100/90/80/70 points by quarter of
  the SP2D; mean), distribusi (share of contracts > Rp50 juta signed by 30 June -> band);
  capped at 100. No contract at all: tidak dapat dihitung.
- Data Kontrak (2021, PER-4/PB/2021) = contracts registered at the KPPN within 5 working
  days of signing / contracts judged × 100.
- Penyelesaian Tagihan = SPM-LS kontraktual within the limit / all judged × 100, from the
  `tagihan` report from January (open BASTs already past the limit count as late).
- Pengelolaan UP dan TUP = the weighted mean of: ketepatan GUP (an UP/GUP followed by the
  next GUP within one month; the last one judged once its month has passed) and TUP
  (settled — accounted and deposited — within one month of its SP2D, as in `up_tup`);
  from 2024 UP KKP 10 % (no KKP data: left out, said so). No UP: tidak dapat dihitung.

Inside ikpa_riwayat (ctx.cache["bulan_riwayat"], reports/ikpa/riwayat.py) each indicator
reads its tables once for months 1..the history's last (a table of months joined in SQL,
or the year's rows) and cuts the month it scores: a month's rows are those a query for
that month alone returns, so every month equals its own estimate.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import komitmen
from .selection import Selection

RINCIAN = ["kode_satker", "periode", "jenis_belanja", "besaran", "nilai"]


def _p(ctx, group: str, name: str):
    """The rule's parameter `<group>_<name>` (recorded by ctx as used)."""
    return ctx.p(f"{group}_{name}")


def _frame(rows) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=RINCIAN)
    df["nilai"] = df["nilai"].astype(float)
    return df


def _periode(ctx) -> str:
    return f"{ctx.tahun}-{ctx.bulan:02d}"


def _weighted(parts: dict[str, float], weights: dict[str, float]) -> float:
    got = {k: v for k, v in parts.items() if v is not None and not math.isnan(v)}
    total = sum(float(weights[k]) for k in got)
    return sum(v * float(weights[k]) for k, v in got.items()) / total if total else math.nan


def _band(x: float, pita: list[dict]) -> float:
    for b in pita:
        if b.get("sampai") is None or x <= float(b["sampai"]):
            return float(b["nilai"])
    return float(pita[-1]["nilai"])


def _bulan(ctx) -> list[int]:
    """The months one read serves: 1..the history's last inside ikpa_riwayat, else the
    reporting month alone."""
    cache = getattr(ctx, "cache", None)
    if cache and "bulan_riwayat" in cache:
        return list(range(1, max(ctx.bulan, int(cache["bulan_riwayat"])) + 1))
    return [ctx.bulan]


def _sekali(ctx, name: str, read):
    """read(months) once per history (ctx.cache: one year, one scope), else now."""
    months = _bulan(ctx)
    cache = getattr(ctx, "cache", None)
    if cache is None or len(months) == 1:
        return read(months)
    key = ("ikpa_kontrak", name, ctx.satker, months[-1])
    if key not in cache:
        cache[key] = read(months)
    return cache[key]


def _bulan_sql(months: list[int], tanggal) -> tuple[str, dict]:
    """A CTE `m (bulan, batas)` of the months and their dates, and its parameters."""
    return ("m AS (SELECT unnest($m_bulan) AS bulan, unnest($m_batas) AS batas)",
            {"m_bulan": months, "m_batas": [tanggal(b) for b in months]})


def _satker(ctx) -> dict:
    return {"satker": ctx.satker} if ctx.satker else {}


# -- Belanja Kontraktual ---------------------------------------------------------------------
def _kontrak_dibayar(ctx, months) -> pd.DataFrame:
    """Per month (`bulan`) and contract signed by its end: the contract and what was paid
    on it by then (last SP2D, sum)."""
    m, mp = _bulan_sql(months, lambda b: komitmen.akhir_bulan(ctx.tahun, b))
    only_s = "AND s.kode_satker = $satker" if ctx.satker else ""
    only = "AND k.kode_satker = $satker" if ctx.satker else ""
    k = ctx.store.sql(
        f"WITH {m}, bayar AS (SELECT m.bulan, s.kode_satker, s.no_kontrak, "
        "max(s.tgl_sp2d) AS tgl_sp2d, sum(s.nilai) AS terbayar FROM spp s JOIN m ON "
        "s.tgl_sp2d <= m.batas WHERE s.no_kontrak IS NOT NULL AND s.tgl_sp2d IS NOT NULL "
        f"{only_s} GROUP BY ALL) "
        "SELECT m.bulan, k.kode_satker, k.no_kontrak, k.tgl_kontrak, left(k.kode_akun, 2) AS jb, "
        "k.nilai_kontrak::DOUBLE AS nilai, k.tgl_register_kppn, lower(trim(k.cara_bayar)) AS "
        "cara, b.tgl_sp2d, coalesce(b.terbayar, 0)::DOUBLE AS terbayar FROM kontrak k "
        "JOIN m ON k.tgl_kontrak <= m.batas LEFT JOIN bayar b ON b.bulan = m.bulan AND "
        "b.kode_satker = k.kode_satker AND b.no_kontrak = k.no_kontrak "
        f"WHERE k.tahun = $tahun {only}",
        {"tahun": ctx.tahun, **mp, **_satker(ctx)})
    for col in ("tgl_kontrak", "tgl_register_kppn", "tgl_sp2d"):
        k[col] = pd.to_datetime(k[col])
    return k


def belanja_kontraktual(ctx):
    g = "belanja_kontraktual"
    bobot = _p(ctx, g, "bobot_komponen")
    minimal = float(_p(ctx, g, "nilai_minimal_kontrak"))
    jenis_dini = [str(j) for j in _p(ctx, g, "jenis_belanja_kontrak_dini")]
    poin_dini = _p(ctx, g, "poin_kontrak_dini")
    maks_53 = float(_p(ctx, g, "nilai_maks_akselerasi_53"))
    poin_53 = {int(k): float(v) for k, v in _p(ctx, g, "poin_akselerasi_53").items()}
    pita = _p(ctx, g, "pita_distribusi")
    maks = float(_p(ctx, g, "nilai_maks"))

    def read(months):
        # per contract flags, then sums per month and satker (a pandas step per satker took
        # 19 s at 1,000)
        k = _kontrak_dibayar(ctx, months)
        start = pd.Timestamp(ctx.tahun, 1, 1)
        big = k["nilai"] > minimal
        dini = big & k["jb"].isin(jenis_dini) & k["tgl_register_kppn"].notna()
        pra = dini & (k["tgl_kontrak"] < start)
        tw1 = dini & ~pra & (k["tgl_kontrak"] < pd.Timestamp(ctx.tahun, 4, 1))
        a53 = ((k["jb"] == "53") & (k["nilai"] >= minimal) & (k["nilai"] <= maks_53)
               & (k["cara"] == "sekaligus") & k["tgl_sp2d"].notna() & (k["terbayar"] > 0))
        q = np.where(k["tgl_sp2d"] < start, 1, (k["tgl_sp2d"].dt.month.fillna(1) - 1) // 3 + 1)
        pts = np.where(a53, [poin_53.get(int(x), 0.0) for x in q], 0.0)
        juni = big & (k["tgl_kontrak"] <= pd.Timestamp(ctx.tahun, 6, 30))
        return pd.DataFrame({"bulan": k["bulan"], "kode_satker": k["kode_satker"], "n": 1,
                             "big": big, "pra": pra, "tw1": tw1, "a": a53, "pts": pts,
                             "juni": juni}).groupby(["bulan", "kode_satker"]).sum()
    per_bulan = _sekali(ctx, "kontraktual", read)
    agg = (per_bulan.xs(ctx.bulan, level="bulan") if ctx.bulan in
           per_bulan.index.get_level_values("bulan") else per_bulan.iloc[:0].droplevel("bulan"))
    periode = _periode(ctx)
    nilai, kurang, rows, catatan = {}, {}, [], {}
    have = agg.to_dict("index")
    for kode in ctx.kode_satker:
        d = have.get(kode)
        if d is None:
            kurang[kode] = "tidak ada kontrak di register kontrak (tabel kontrak)"
            continue
        n_dini = d["pra"] + d["tw1"]
        kd = ((d["pra"] * float(poin_dini["pra_dipa"]) + d["tw1"] * float(poin_dini["tw_1"]))
              / n_dini) if n_dini else math.nan
        ak = d["pts"] / d["a"] if d["a"] else math.nan
        persen = d["juni"] / d["big"] * 100 if d["big"] else math.nan
        dist = _band(persen, pita) if d["big"] else math.nan
        parts = {"kontrak_dini": kd, "akselerasi_53": ak, "distribusi": dist}
        score = _weighted(parts, bobot)
        rows += [(kode, periode, "", "kontrak", d["n"]),
                 (kode, periode, "", "kontrak_di_atas_minimal", d["big"]),
                 (kode, periode, "", "kontrak_dini_pra_dipa", d["pra"]),
                 (kode, periode, "", "kontrak_dini_tw_1", d["tw1"]),
                 (kode, periode, "", "skor_kontrak_dini", kd),
                 (kode, periode, "53", "kontrak_53_sekaligus_dibayar", d["a"]),
                 (kode, periode, "53", "skor_akselerasi_53", ak),
                 (kode, periode, "", "kontrak_sampai_30_juni", d["juni"]),
                 (kode, periode, "", "persen_sampai_30_juni", persen),
                 (kode, periode, "", "skor_distribusi", dist)]
        missing = [n for n, v in parts.items() if math.isnan(v)]
        if math.isnan(score):
            kurang[kode] = (f"tidak ada kontrak di atas Rp{minimal:,.0f}".replace(",", ".")
                            + " untuk dinilai")
            continue
        nilai[kode] = min(score, maks)
        rows.append((kode, periode, "", "skor", nilai[kode]))
        if missing:
            catatan[kode] = [f"Belanja Kontraktual: komponen {', '.join(missing)} belum dapat "
                             "dinilai (tidak ada kontrak yang memenuhi); bobot komponen lain "
                             "disesuaikan."]
    return pd.Series(nilai, dtype=float), kurang, _frame(rows), catatan


# -- Data Kontrak (PER-4/PB/2021) -----------------------------------------------------------
def data_kontrak(ctx):
    """2021's contract indicator: contracts whose data reached the KPPN (tgl_register_kppn)
    within `data_kontrak_batas_hari_kerja` working days after signing / all contracts of
    the year signed by the end of `bulan` × 100 (unregistered ones count as late once the
    limit has passed). No contract: tidak dapat dihitung."""
    from .. import kalender
    batas = int(_p(ctx, "data_kontrak", "batas_hari_kerja"))
    akhir = komitmen.akhir_bulan(ctx.tahun, ctx.bulan)
    only = "AND kode_satker = $satker" if ctx.satker else ""
    k = ctx.store.sql(
        "SELECT kode_satker, tgl_kontrak, CASE WHEN tgl_register_kppn <= $akhir THEN "
        f"tgl_register_kppn END AS reg FROM kontrak WHERE tahun = $tahun AND tgl_kontrak <= $akhir {only}",
        {"tahun": ctx.tahun, "akhir": akhir, **({"satker": ctx.satker} if ctx.satker else {})})
    ref = np.datetime64(komitmen.acuan(ctx.tahun, ctx.bulan), "D")
    end = np.where(k["reg"].isna(), ref, pd.to_datetime(k["reg"]).to_numpy("datetime64[D]"))
    hk = kalender.hari_kerja_antara(k["tgl_kontrak"], end)
    tepat = k["reg"].notna().to_numpy() & (hk <= batas)
    judged = tepat | (hk > batas)
    g = pd.DataFrame({"kode_satker": k["kode_satker"], "n": judged.astype(int),
                      "tepat": tepat.astype(int), "semua": 1}).groupby("kode_satker").sum() \
        .to_dict("index")
    periode = _periode(ctx)
    nilai, kurang, rows = {}, {}, []
    for kode in ctx.kode_satker:
        d = g.get(kode)
        if d is None or not d["n"]:
            kurang[kode] = ("tidak ada kontrak di register kontrak (tabel kontrak)" if d is None
                            else "belum ada kontrak yang lewat batas penyampaiannya")
            continue
        nilai[kode] = d["tepat"] / d["n"] * 100
        rows += [(kode, periode, "", "kontrak", d["semua"]), (kode, periode, "", "dinilai", d["n"]),
                 (kode, periode, "", "terdaftar_tepat_waktu", d["tepat"]),
                 (kode, periode, "", "skor", nilai[kode])]
    return pd.Series(nilai, dtype=float), kurang, _frame(rows), {}


# -- Penyelesaian Tagihan --------------------------------------------------------------------
def penyelesaian_tagihan(ctx):
    terbuka = bool(_p(ctx, "penyelesaian_tagihan", "hitung_terbuka_terlambat"))
    if len(_bulan(ctx)) == 1:
        t = komitmen.tagihan(ctx.store, Selection(tahun=ctx.tahun, bulan=ctx.bulan,
                                                  satker=ctx.satker))
    else:       # the history: komitmen.tagihan's rows of every month judged at once
        rows = _sekali(ctx, "tagihan", lambda months: _tagihan_bulan(ctx, months))
        t = rows[rows["_bulan"].to_numpy() == ctx.bulan]
    done = t["tgl_spm"].notna()
    judged = done | (terbuka & (t["tepat_waktu"] == 0).fillna(False))
    periode = _periode(ctx)
    nilai, kurang, rows = {}, {}, []
    j = t[judged]
    g = pd.DataFrame({"kode_satker": j["kode_satker"], "n": 1,
                      "tepat": (j["tepat_waktu"] == 1).fillna(False).astype(int),
                      "spm": j["tgl_spm"].notna().astype(int)}) \
        .groupby("kode_satker").sum().to_dict("index")
    for kode in ctx.kode_satker:
        d = g.get(kode)
        if d is None:
            kurang[kode] = ("tidak ada SPM-LS kontraktual dengan tanggal BAST (spp.no_kontrak, "
                            "spp.tgl_bast)")
            continue
        tepat, n = int(d["tepat"]), int(d["n"])
        nilai[kode] = tepat / n * 100
        rows += [(kode, periode, "", "spm_tepat_waktu", tepat),
                 (kode, periode, "", "spm_terlambat", int(d["spm"]) - tepat),
                 (kode, periode, "", "bast_belum_spm_lewat_batas", n - int(d["spm"])),
                 (kode, periode, "", "dinilai", n), (kode, periode, "", "skor", nilai[kode])]
    return pd.Series(nilai, dtype=float), kurang, _frame(rows), {}


def _tagihan_bulan(ctx, months) -> pd.DataFrame:
    """komitmen.tagihan's rows (from January) for each month (`_bulan`) of `months`."""
    m, mp = _bulan_sql(months, lambda b: komitmen.acuan(ctx.tahun, b))
    where = "tgl_bast IS NOT NULL" + (" AND kode_satker = $satker" if ctx.satker else "")
    df = ctx.store.sql(
        f"WITH {m} " + komitmen.tagihan_sql(where, bulan="m.bulan", ref="m.batas",
                                           kolom="m.bulan AS _bulan, ", dari=", m"),
        {"tahun": ctx.tahun, "dari": 1, **mp, **_satker(ctx)})
    # what penyelesaian_tagihan reads of komitmen.tagihan_nilai's frame: tgl_spm (only
    # an SPM known at the month's date), tepat_waktu (1, 0, or blank while open in time)
    done = df["selesai"].to_numpy(bool)
    ref = np.array([np.datetime64(d, "D") for d in mp["m_batas"]])[
        df["_bulan"].to_numpy(int) - months[0]] if len(df) else np.array([], "datetime64[D]")
    hk = komitmen.hari_kerja_tagihan(df["tgl_bast"], df["tgl_spm"], done, ref)
    late = hk > int(komitmen.aturan()["tagihan"]["batas_hari_kerja"])
    return pd.DataFrame({
        "_bulan": df["_bulan"].to_numpy(int), "kode_satker": df["kode_satker"],
        "tgl_spm": pd.to_datetime(df["tgl_spm"]).where(done),
        "tepat_waktu": np.where(done, np.where(late, 0.0, 1.0), np.where(late, 0.0, np.nan))})


# -- Pengelolaan UP dan TUP ------------------------------------------------------------------
def up_tup(ctx):
    cfg = komitmen.aturan()["up_tup"]
    bobot = {k: float(v) for k, v in _p(ctx, "up_tup", "komponen").items()}
    bulan_gup = int(_p(ctx, "up_tup", "batas_bulan_gup"))
    ref = pd.Timestamp(komitmen.acuan(ctx.tahun, ctx.bulan))
    jenis = {j.upper(): "up" for j in cfg["jenis_up"] + cfg["jenis_gup_nihil"]}
    only = "AND kode_satker = $satker" if ctx.satker else ""

    def read(months):       # up to the last month's date; each month cuts its own
        up = ctx.store.sql(
            "SELECT kode_satker, upper(trim(jenis_spp)) AS jenis, tgl_sp2d FROM spp WHERE "
            f"tgl_sp2d IS NOT NULL AND year(tgl_sp2d) = $tahun AND tgl_sp2d <= $ref {only} "
            f"AND upper(trim(jenis_spp)) IN {komitmen._in(jenis)} ORDER BY kode_satker, "
            "tgl_sp2d", {"tahun": ctx.tahun, "ref": komitmen.acuan(ctx.tahun, months[-1]),
                         **_satker(ctx)})
        up["tgl_sp2d"] = pd.to_datetime(up["tgl_sp2d"])
        # the next UP/GUP and the deadline once: a month's cut keeps each satker's first
        # dates, so its next GUP is this one's when that falls on or before its date
        up["_nxt"] = up.groupby("kode_satker")["tgl_sp2d"].shift(-1)
        up["_batas"] = up["tgl_sp2d"] + pd.DateOffset(months=bulan_gup)
        return up
    up = _sekali(ctx, "up", read)
    up = up[(up["tgl_sp2d"] <= ref).to_numpy()].reset_index(drop=True)
    nxt = up["_nxt"].where(up["_nxt"] <= ref)
    deadline = up["_batas"]
    up = up.drop(columns=["_nxt", "_batas"])
    on_time = nxt.notna() & (nxt <= deadline)
    judged = on_time | (nxt.notna() & (nxt > deadline)) | (nxt.isna() & (deadline < ref))
    up = up.assign(tepat=on_time, dinilai=judged)
    # each TUP's settlement, as up_tup judges it (FIFO over accountings and deposits)
    settle = _tup(ctx, cfg)
    periode = _periode(ctx)
    nilai, kurang, rows, catatan = {}, {}, [], {}
    g_up = up.assign(n=1).groupby("kode_satker")[["n", "tepat", "dinilai"]].sum() \
        .to_dict("index")
    judged_t = settle[settle["dinilai"]] if len(settle) else settle
    g_tup = (judged_t.assign(n=1, tepat=~judged_t["lewat"].astype(bool))
             .groupby("kode_satker")[["n", "tepat"]].sum().to_dict("index")
             if len(judged_t) else {})
    for kode in ctx.kode_satker:
        u = g_up.get(kode)
        if u is None:
            kurang[kode] = "tidak ada UP/GUP di register SPP (jenis_spp UP, GUP)"
            continue
        n_gup, tepat_gup = int(u["dinilai"]), int(u["tepat"])
        gup = tepat_gup / n_gup * 100 if n_gup else math.nan
        t = g_tup.get(kode, {"n": 0, "tepat": 0})
        n_tup, tepat_tup = int(t["n"]), int(t["tepat"])
        tp = tepat_tup / n_tup * 100 if n_tup else math.nan
        parts = {"ketepatan_gup": gup, "tup": tp, "kkp": math.nan}
        score = _weighted(parts, bobot)
        rows += [(kode, periode, "", "up_gup_dinilai", n_gup),
                 (kode, periode, "", "up_gup_tepat_waktu", tepat_gup),
                 (kode, periode, "", "skor_ketepatan_gup", gup),
                 (kode, periode, "", "tup_dinilai", n_tup),
                 (kode, periode, "", "tup_tepat_waktu", tepat_tup),
                 (kode, periode, "", "skor_tup", tp)]
        if math.isnan(score):
            kurang[kode] = "belum ada UP/GUP atau TUP yang dapat dinilai"
            continue
        nilai[kode] = score
        rows.append((kode, periode, "", "skor", score))
        notes = []
        if not n_tup:
            notes.append("tanpa TUP yang dapat dinilai: komponen TUP tidak dihitung")
        if "kkp" in bobot:
            notes.append("komponen UP KKP tidak dihitung (SPEKTRA belum memuat data KKP)")
        if notes:
            catatan[kode] = ["Pengelolaan UP dan TUP: " + "; ".join(notes)
                             + "; bobot komponen lain disesuaikan."]
    return pd.Series(nilai, dtype=float), kurang, _frame(rows), catatan


def _tup(ctx, cfg) -> pd.DataFrame:
    """Per TUP: kode_satker, lewat (settled late or overdue), dinilai (settled, or its
    month is past)."""
    ref = komitmen.acuan(ctx.tahun, ctx.bulan)
    kinds = {"tup": cfg["jenis_tup"], "pj": cfg["jenis_gtup_nihil"]}
    only = "AND kode_satker = $satker" if ctx.satker else ""
    batas = int(cfg["batas_bulan_tup"])

    def read(months):       # settled once up to the last month's date (FIFO is causal:
        last = komitmen.acuan(ctx.tahun, months[-1])    # a month's cut is a prefix)
        ev = _tup_peristiwa(ctx, kinds, only)
        ev = ev[(ev["_tahun"] == ctx.tahun) & (ev["tanggal"] <= last)].drop(columns="_tahun")
        s = komitmen._tup_settlement(ev, last, batas)
        s["_selesai"] = pd.to_datetime(s["selesai"])
        s["_batas"] = pd.to_datetime(s["tanggal"]) + pd.DateOffset(months=batas)
        return s
    s = _sekali(ctx, "tup", read)
    s = s[(s["tanggal"] <= ref).to_numpy(bool)].reset_index(drop=True)
    if s.empty:
        return s.drop(columns=["_selesai", "_batas"]).assign(dinilai=pd.Series(dtype=bool))
    # as settled at `ref`: a settlement after it is still outstanding then
    t = pd.Timestamp(ref)
    sel = s["_selesai"].where(s["_selesai"] <= t)
    done = sel.notna().to_numpy()
    lewat_batas = (s["_batas"] < t).to_numpy()
    s["selesai"] = s["selesai"].where(done, None)
    s["lewat"] = np.where(done, (sel > s["_batas"]).to_numpy(), lewat_batas)
    s["dinilai"] = done | lewat_batas
    return s.drop(columns=["_selesai", "_batas"])


def _tup_peristiwa(ctx, kinds, only) -> pd.DataFrame:
    """The TUP events of every date (the month cuts them: _tup)."""
    ev = ctx.store.sql(
        "SELECT kode_satker, CASE WHEN upper(trim(jenis_spp)) IN " + komitmen._in(kinds["tup"])
        + " THEN 'tup' ELSE 'pj' END AS jenis, CASE WHEN upper(trim(jenis_spp)) IN "
        + komitmen._in(kinds["tup"]) + " THEN tgl_sp2d ELSE coalesce(tgl_spm, tgl_sp2d) END "
        "AS tanggal, nilai::DOUBLE AS nilai, 0 AS urut FROM spp WHERE tgl_sp2d IS NOT NULL "
        f"{only} AND upper(trim(jenis_spp)) IN "
        + komitmen._in(kinds["tup"] + kinds["pj"])
        + " UNION ALL SELECT kode_satker, 'setoran', tanggal, nilai::DOUBLE, 1 FROM setoran "
        f"WHERE tahun = $tahun AND upper(trim(jenis)) = 'TUP' {only}",
        {"tahun": ctx.tahun, **({"satker": ctx.satker} if ctx.satker else {})})
    t = pd.to_datetime(ev["tanggal"])
    ev["tanggal"] = t.dt.date
    ev["_tahun"] = t.dt.year
    return ev
