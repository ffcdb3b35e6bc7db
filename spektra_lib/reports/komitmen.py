"""Modul Keuangan: contracts, tagihan and UP/TUP (issue 23; CONTRACT §2 `kontrak`,
`tagihan`, `up_tup`). Rules (17 working days, one month for TUP, jenis SPP of each column)
in parameters/kontrak.yaml; working days from spektra_lib/kalender.py.

- kontrak: every contract of `tahun` signed by the end of `bulan` with the SP2D-ed
  payments (spp rows naming it in no_kontrak, same satker) up to then: terbayar, sisa,
  % terbayar, status belum dibayar / berjalan / lunas / melebihi nilai.
- tagihan: every SPP with a BAST date whose SPM falls in bulan_dari..bulan (working days
  after the BAST up to the SPM, on time when <= the limit), then the BASTs still without an
  SPM at the end of `bulan` (days elapsed, days left; late once past the limit).
- up_tup: per satker and month: UP/GUP, GUP NIHIL, TUP paid (by SP2D date), TUP accounted
  (GTUP NIHIL, by SPM date, else SP2D) and deposited (setoran TUP), TUP outstanding at
  month end, and the TUP paid that month not settled within one month of its SP2D
  (accountings and deposits settle the oldest TUP first).
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .. import kalender, parameters
from . import _common as c
from .selection import Selection

KONTRAK_COLUMNS = ["kode_satker", "no_kontrak", "tgl_kontrak", "uraian", "kode_akun",
                   "nilai_kontrak", "terbayar", "sisa", "persen_terbayar", "tgl_register_kppn",
                   "status", "penyedia", "jumlah_termin", "kali_bayar"]
TAGIHAN_COLUMNS = ["kode_satker", "no_kontrak", "no_spm", "tgl_bast", "tgl_spm", "hari_kerja",
                   "tepat_waktu", "nilai", "sisa_hari_kerja", "keterangan"]
UP_TUP_COLUMNS = ["kode_satker", "nama_satker", "bulan", "up", "gup_nihil", "tup",
                  "pertanggungjawaban_tup", "setoran_tup", "sisa_tup", "tup_lewat_batas"]
STATUS = ("belum dibayar", "berjalan", "lunas", "melebihi nilai")


def aturan() -> dict:
    return parameters.load("kontrak")


def akhir_bulan(tahun: int, bulan: int) -> date:
    return (pd.Timestamp(tahun, bulan, 1) + pd.offsets.MonthEnd(0)).date()


def hari_ini() -> date:
    return date.today()


def acuan(tahun: int, bulan: int) -> date:
    """The date 'as of' a month's report: its last day, or today while it runs."""
    return min(akhir_bulan(tahun, bulan), hari_ini())


def _in(values) -> str:
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


# -- kontrak ---------------------------------------------------------------------------
def kontrak(store, pilihan: Selection) -> pd.DataFrame:
    """One row per contract (see module doc); ordered by satker, tgl_kontrak, no_kontrak."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    c.check_month(bulan)
    akhir = akhir_bulan(tahun, bulan)
    only = "AND k.kode_satker = $satker" if satker is not None else ""
    df = store.sql(
        "WITH bayar AS (SELECT kode_satker, no_kontrak, sum(nilai) AS terbayar, "
        "count(*) AS kali_bayar FROM spp WHERE no_kontrak IS NOT NULL AND tgl_sp2d IS NOT "
        "NULL AND tgl_sp2d <= $akhir GROUP BY ALL) "
        "SELECT k.kode_satker, k.no_kontrak, k.tgl_kontrak, k.uraian, k.kode_akun, "
        "k.nilai_kontrak::DOUBLE AS nilai_kontrak, coalesce(b.terbayar, 0)::DOUBLE AS terbayar, "
        "(k.nilai_kontrak - coalesce(b.terbayar, 0))::DOUBLE AS sisa, k.tgl_register_kppn, "
        "CASE WHEN coalesce(b.terbayar, 0) = 0 THEN 'belum dibayar' "
        "WHEN b.terbayar > k.nilai_kontrak THEN 'melebihi nilai' "
        "WHEN b.terbayar = k.nilai_kontrak THEN 'lunas' ELSE 'berjalan' END AS status, "
        "k.penyedia, k.jumlah_termin, coalesce(b.kali_bayar, 0) AS kali_bayar "
        "FROM kontrak k LEFT JOIN bayar b ON b.kode_satker = k.kode_satker "
        "AND b.no_kontrak = k.no_kontrak "
        f"WHERE k.tahun = $tahun AND k.tgl_kontrak <= $akhir {only} "
        "ORDER BY k.kode_satker, k.tgl_kontrak, k.no_kontrak",
        c.params(tahun=tahun, akhir=akhir, satker=satker))
    df["persen_terbayar"] = c.persen(df["terbayar"], df["nilai_kontrak"])
    for col in ("tgl_kontrak", "tgl_register_kppn"):
        df[col] = pd.to_datetime(df[col])
    out = df[KONTRAK_COLUMNS].reset_index(drop=True)
    lost = tanpa_kontrak(store, pilihan)
    if len(lost):
        nomor = ", ".join(sorted(str(k) for k in lost["no_kontrak"].dropna().unique())[:5])
        more = " …" if lost["no_kontrak"].nunique() > 5 else ""
        out.attrs["catatan"] = (
            f"Peringatan: {len(lost)} pembayaran (Rp{_rp(lost['nilai'].sum())}) menyebut "
            f"nomor kontrak yang tidak ada di register kontrak: {nomor}{more}. Pembayaran "
            "itu tidak dihitung di tabel ini sampai registernya dimuat.")
    return out


def _rp(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


def tanpa_kontrak(store, pilihan: Selection) -> pd.DataFrame:
    """SP2D-ed payments up to the end of `bulan` of `tahun` naming a contract the
    register does not hold (kode_satker, no_spp, no_kontrak, nilai)."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    only = "AND s.kode_satker = $satker" if satker is not None else ""
    return store.sql(
        "SELECT s.kode_satker, s.no_spp, s.no_kontrak, s.nilai::DOUBLE AS nilai FROM spp s "
        "WHERE s.no_kontrak IS NOT NULL AND s.tgl_sp2d IS NOT NULL AND year(s.tgl_sp2d) = "
        f"$tahun AND s.tgl_sp2d <= $akhir {only} AND NOT EXISTS (SELECT 1 FROM kontrak k "
        "WHERE k.kode_satker = s.kode_satker AND k.no_kontrak = s.no_kontrak) "
        "ORDER BY ALL",
        c.params(tahun=tahun, akhir=akhir_bulan(tahun, bulan), satker=satker))


# -- tagihan ---------------------------------------------------------------------------
def tagihan(store, pilihan: Selection) -> pd.DataFrame:
    """Settled BASTs (SPM in bulan_dari..bulan), then open ones at the end of `bulan`."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    bulan_dari = pilihan.bulan_dari or 1
    c.check_month(bulan, bulan_dari)
    satker = c.resolve_scope(store, satker, unit)
    batas = int(aturan()["tagihan"]["batas_hari_kerja"])
    ref = acuan(tahun, bulan)
    cond = ["tgl_bast IS NOT NULL"]
    if satker is not None:
        cond.append("kode_satker = $satker")
    if unit is not None:
        cond.append("kode_unit = $unit")
    df = store.sql(
        tagihan_sql(" AND ".join(cond)),
        c.params(tahun=tahun, dari=bulan_dari, bulan=bulan, ref=ref, satker=satker,
                 unit=unit))
    return tagihan_nilai(df, ref, batas)


def tagihan_sql(where: str, bulan: str = "$bulan", ref: str = "$ref", kolom: str = "",
                dari: str = "") -> str:
    """The BASTs of `tagihan` (SQL): settled in $dari..`bulan` or open at `ref`.
    ikpa_kontrak's history asks every month at once (`bulan`, `ref` from a table of months
    joined in `dari`, its month in `kolom`)."""
    selesai = (f"(tgl_spm IS NOT NULL AND year(tgl_spm) = $tahun AND month(tgl_spm) BETWEEN "
               f"$dari AND {bulan})")
    return (f"SELECT {kolom}kode_satker, no_kontrak, no_spm, tgl_bast, tgl_spm, "
            f"nilai::DOUBLE AS nilai, {selesai} AS selesai FROM spp{dari} WHERE {where} AND "
            f"({selesai} OR (tgl_bast <= {ref} AND year(tgl_bast) = $tahun AND "
            f"(tgl_spm IS NULL OR tgl_spm > {ref})))")


def hari_kerja_tagihan(tgl_bast: pd.Series, tgl_spm: pd.Series, done, ref) -> np.ndarray:
    """Working days after each BAST up to its SPM (`done`) or `ref` (one date, or one per
    row: ikpa_kontrak's history judges every month at once)."""
    end = np.where(done, pd.to_datetime(tgl_spm).to_numpy("datetime64[D]"), ref)
    return kalender.hari_kerja_antara(pd.to_datetime(tgl_bast), end)


def tagihan_nilai(df: pd.DataFrame, ref: date, batas: int) -> pd.DataFrame:
    """tagihan's rows judged at `ref` from tagihan_sql's (working days, on time or not)."""
    df = df.copy()
    for col in ("tgl_bast", "tgl_spm"):
        df[col] = pd.to_datetime(df[col])
    done = df["selesai"].to_numpy(bool)
    df.loc[~done, "tgl_spm"] = pd.NaT          # an SPM after the report date is not yet known
    df.loc[~done, "no_spm"] = None
    hk = hari_kerja_tagihan(df["tgl_bast"], df["tgl_spm"], done, np.datetime64(ref, "D"))
    df["hari_kerja"] = hk
    late = hk > batas
    df["tepat_waktu"] = np.where(done, np.where(late, 0.0, 1.0), np.where(late, 0.0, np.nan))
    df["sisa_hari_kerja"] = np.where(done, np.nan, batas - hk)
    df["keterangan"] = np.where(done, np.where(late, "terlambat", "tepat waktu"),
                                np.where(late, "belum SPM, lewat batas", "belum SPM"))
    df["_o"] = ~done
    df = df.sort_values(["_o", "kode_satker", "tgl_bast", "no_kontrak"], kind="mergesort",
                        na_position="last")
    for col in ("hari_kerja", "tepat_waktu", "sisa_hari_kerja"):   # whole days, blank when none
        df[col] = pd.array(np.round(df[col].to_numpy(float)), dtype="Float64").astype("Int64")
    out = df[TAGIHAN_COLUMNS].reset_index(drop=True)
    out.attrs["catatan"] = (
        f"Hari kerja dihitung sesudah tanggal BAST sampai dengan tanggal SPM (belum SPM: "
        f"sampai {ref:%d-%m-%Y}), tanpa Sabtu, Minggu, libur nasional dan cuti bersama; "
        f"tepat waktu bila paling lama {batas} hari kerja (parameters/kontrak.yaml).")
    return out


# -- up_tup ----------------------------------------------------------------------------
def _tup_settlement(events: pd.DataFrame, ref: date, batas_bulan: int) -> pd.DataFrame:
    """Per TUP (rows of jenis 'tup'): its settle date (FIFO over the accountings and
    deposits, None while outstanding) and whether it was late at `ref`. One pass over the
    events sorted once (plain lists: a pandas group per satker cost 10 s at 1,000)."""
    ev = events.sort_values(["kode_satker", "tanggal", "urut"], kind="mergesort")
    rows = []
    queue: list[list] = []        # [kode, tanggal, nilai awal, sisa, selesai]
    current = None

    def flush():
        for kode, tgl, nilai, _, selesai in queue:
            deadline = (pd.Timestamp(tgl) + pd.DateOffset(months=batas_bulan)).date()
            late = (selesai > deadline) if selesai is not None else (deadline < ref)
            rows.append((kode, tgl, nilai, selesai, bool(late)))
        queue.clear()
    for kode, jenis, tgl, nilai in zip(ev["kode_satker"].tolist(), ev["jenis"].tolist(),
                                       ev["tanggal"].tolist(), ev["nilai"].tolist()):
        if kode != current:
            flush()
            current = kode
        if jenis == "tup":
            queue.append([kode, tgl, nilai, nilai, None])
            continue
        left = nilai
        for q in queue:
            if left <= 0:
                break
            if q[3] > 0:
                used = min(q[3], left)
                q[3] -= used
                left -= used
                if q[3] <= 0.005:
                    q[3], q[4] = 0.0, tgl
    flush()
    return pd.DataFrame(rows, columns=["kode_satker", "tanggal", "nilai", "selesai", "lewat"])


def up_tup(store, pilihan: Selection) -> pd.DataFrame:
    """Per satker (with any UP/TUP activity in `tahun`, or the one asked for), one row per
    month 1..bulan; amounts in rupiah (see module doc)."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    c.check_month(bulan)
    cfg = aturan()["up_tup"]
    ref = acuan(tahun, bulan)
    kinds = {"up": cfg["jenis_up"], "gup_nihil": cfg["jenis_gup_nihil"],
             "tup": cfg["jenis_tup"], "pj": cfg["jenis_gtup_nihil"]}
    case = " ".join(f"WHEN upper(trim(jenis_spp)) IN {_in(v)} THEN '{k}'"
                    for k, v in kinds.items())
    only = "AND kode_satker = $satker" if satker is not None else ""
    # payments by SP2D date; an accounting (GTUP NIHIL) by the date its SPM was filed
    ev = store.sql(
        f"SELECT kode_satker, CASE {case} END AS jenis, "
        "CASE WHEN upper(trim(jenis_spp)) IN " + _in(kinds["pj"]) + " THEN coalesce(tgl_spm, "
        "tgl_sp2d) ELSE tgl_sp2d END AS tanggal, nilai::DOUBLE AS nilai, 0 AS urut FROM spp "
        f"WHERE tgl_sp2d IS NOT NULL {only} AND (CASE {case} END) IS NOT NULL "
        "UNION ALL SELECT kode_satker, 'setoran' AS jenis, tanggal, nilai::DOUBLE, 1 "
        f"FROM setoran WHERE tahun = $tahun AND upper(trim(jenis)) = 'TUP' {only}",
        c.params(tahun=tahun, satker=satker))
    ev["tanggal"] = pd.to_datetime(ev["tanggal"]).dt.date
    ev = ev[(pd.to_datetime(ev["tanggal"]).dt.year == tahun) & (ev["tanggal"] <= ref)]
    ev["bulan"] = pd.to_datetime(ev["tanggal"]).dt.month
    kode = [satker] if satker is not None else sorted(ev["kode_satker"].unique())
    months = list(range(1, bulan + 1))
    idx = pd.MultiIndex.from_product([kode, months], names=["kode_satker", "bulan"])
    cols = ["up", "gup_nihil", "tup", "pj", "setoran"]
    if ev.empty:
        sums = pd.DataFrame(0.0, index=idx, columns=cols)
    else:
        sums = ev.groupby(["kode_satker", "bulan", "jenis"])["nilai"].sum().unstack("jenis") \
            .reindex(idx).reindex(columns=cols).fillna(0.0)
    out = pd.DataFrame({"up": sums["up"], "gup_nihil": sums["gup_nihil"], "tup": sums["tup"],
                        "pertanggungjawaban_tup": sums["pj"], "setoran_tup": sums["setoran"]},
                       index=idx)
    net = (out["tup"] - out["pertanggungjawaban_tup"] - out["setoran_tup"])
    out["sisa_tup"] = net.groupby(level=0).cumsum()
    settle = _tup_settlement(ev[ev["jenis"].isin(["tup", "pj", "setoran"])], ref,
                             int(cfg["batas_bulan_tup"]))
    if len(settle):
        settle["bulan"] = pd.to_datetime(settle["tanggal"]).dt.month
        lewat = settle[settle["lewat"]].groupby(["kode_satker", "bulan"])["nilai"].sum()
        out["tup_lewat_batas"] = lewat.reindex(idx).fillna(0.0).to_numpy()
    else:
        out["tup_lewat_batas"] = 0.0
    out = out.reset_index()
    names = dict(store.sql("SELECT kode_satker, nama_satker FROM satker").values.tolist())
    out["nama_satker"] = out["kode_satker"].map(names).fillna("")
    out = out[UP_TUP_COLUMNS]
    out.attrs["catatan"] = (
        "UP, GUP dan TUP menurut tanggal SP2D; pertanggungjawaban TUP (GTUP NIHIL) menurut "
        "tanggal SPM-nya; setoran TUP menurut tanggal setor. TUP lewat batas: TUP yang belum "
        f"selesai dipertanggungjawabkan dan disetor {cfg['batas_bulan_tup']} bulan sesudah "
        "SP2D-nya (pertanggungjawaban dan setoran menutup TUP tertua lebih dulu).")
    return out
