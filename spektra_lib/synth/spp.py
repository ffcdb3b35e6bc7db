"""SPP → SPM → SP2D register: payment lines grouped into SP2D the way a satker pays.

Gaji induk once a month, tunjangan kinerja / uang makan / lembur as LS-BANYAK PENERIMA,
large contracts and modal as LS, small purchases through GUP batches (a few GTUP NIHIL
after a TUP), plus UP at the start of the year and a few SPP still in process. Each SP2D
carries exactly the payment lines that cite it, so SP2D totals equal realisasi.
"""
from __future__ import annotations

import holidays
import numpy as np
import pandas as pd

from .catalog import BULAN

LS_THRESHOLD = 50_000_000.0
JENIS = ["GAJI INDUK", "GAJI LAINNYA", "LS-BANYAK PENERIMA"]
JENIS_OF_KIND = {"gaji": "GAJI INDUK", "gaji13": "GAJI LAINNYA", "gaji14": "GAJI LAINNYA",
                 "tukin": "LS-BANYAK PENERIMA", "makan": "LS-BANYAK PENERIMA",
                 "lembur": "LS-BANYAK PENERIMA", "modal": "LS"}


def calendar(tahun: int) -> np.busdaycalendar:
    days = holidays.Indonesia(years=tahun, categories=("public", "government"))
    return np.busdaycalendar(holidays=np.array(sorted(days), dtype="datetime64[D]"))


def _month_start(tahun: int, bulan: np.ndarray) -> np.ndarray:
    return (np.datetime64(f"{tahun}-01", "M") + (bulan - 1).astype("timedelta64[M]")).astype("datetime64[D]")


def group_lines(ln: pd.DataFrame, pok: pd.DataFrame, satker: pd.DataFrame, tahun: int,
                rng) -> tuple[dict, pd.DataFrame]:
    """Assign every line to an SP2D; return (line arrays with no_sp2d and tanggal, register)."""
    cal = calendar(tahun)
    # Integer codes throughout: millions of lines must not go through string columns.
    i = ln["_i"].to_numpy()
    kind_code, kinds = pd.factorize(pok["kind"].to_numpy(dtype=object))
    unit_code, units = pd.factorize(pok["kode_unit"].fillna("").to_numpy(dtype=object))
    jenis_names = np.array(JENIS + ["LS", "GUP", "GTUP NIHIL"], dtype=object)
    code_of = {name: c for c, name in enumerate(jenis_names)}
    jenis_of_kind = np.array([code_of[JENIS_OF_KIND[k]] if k in JENIS_OF_KIND else -1
                              for k in kinds])
    kc = kind_code[i]
    s = pok["_s"].to_numpy()[i]
    jenis = jenis_of_kind[kc]
    LS, GUP = len(JENIS), len(JENIS) + 1
    # The channel is chosen per item-month so that a refund line shares its SP2D.
    g = ln["_g"].to_numpy()
    per_line = ln["_amt"].to_numpy() / np.bincount(g)[g]
    jenis = np.where(jenis >= 0, jenis, np.where(per_line >= LS_THRESHOLD, LS, GUP))
    batch = rng.integers(0, 3, g.max() + 1)[g]
    lsbp = jenis == JENIS.index("LS-BANYAK PENERIMA")
    sub = np.where(jenis == LS, g, np.where(jenis == GUP, batch, np.where(lsbp, kc, -1)))
    key = pd.DataFrame({"s": s, "bulan": ln["bulan"].to_numpy(), "jenis": jenis,
                        "unit": unit_code[i], "sub": sub})
    sp = key.groupby(["s", "bulan", "jenis", "unit", "sub"], sort=True).ngroup().to_numpy()
    first_line = np.unique(sp, return_index=True)[1]
    heads = key.iloc[first_line].reset_index(drop=True)
    heads["jenis"] = jenis_names[heads["jenis"].to_numpy()]
    heads["unit"] = units[heads["unit"].to_numpy()]
    heads["kind"] = np.where(lsbp[first_line], kinds[kc[first_line]], "")
    heads["nilai"] = np.bincount(sp, weights=ln["nilai"].to_numpy())
    heads["_i"] = i[first_line]
    # A few late-year GUP become GTUP NIHIL (a TUP was drawn earlier that month).
    gtup = (heads["jenis"] == "GUP") & heads["bulan"].isin([10, 11]) & (rng.random(len(heads)) < 0.2)
    heads.loc[gtup, "jenis"] = "GTUP NIHIL"
    heads = _dates(heads, tahun, cal, rng)
    extra = _extra_spp(heads, satker, tahun, cal, rng)
    register = pd.concat([heads, extra], ignore_index=True)
    register = _numbers(register, satker, tahun)
    done = register["_sp"].notna().to_numpy()
    at = register.loc[done, "_sp"].to_numpy().astype(np.int64)
    no = np.empty(len(heads), dtype=object)
    no[at] = register.loc[done, "no_sp2d"].to_numpy(dtype=object)
    day = np.empty(len(heads), dtype="datetime64[ns]")
    day[at] = register.loc[done, "tgl_sp2d"].to_numpy(dtype="datetime64[ns]")
    out = {"_i": i, "nilai": ln["nilai"].to_numpy(), "no_sp2d": no[sp], "tanggal": day[sp],
           "_sp": sp}
    return out, _uraian(register, pok, satker, tahun)


def _busday_in_month(tahun, bulan, lo, hi, cal, rng):
    first = np.busday_offset(_month_start(tahun, bulan), 0, roll="forward", busdaycal=cal)
    n_days = np.busday_count(first, _month_start(tahun, bulan + 1), busdaycal=cal)
    k = np.minimum(rng.integers(lo, hi + 1, len(bulan)), n_days - 1)
    return np.busday_offset(first, k, busdaycal=cal)


def _dates(h: pd.DataFrame, tahun, cal, rng) -> pd.DataFrame:
    bulan = h["bulan"].to_numpy()
    jenis = h["jenis"].to_numpy()
    sp2d = _busday_in_month(tahun, bulan, 3, 22, cal, rng)
    gaji = jenis == "GAJI INDUK"
    sp2d[gaji] = _busday_in_month(tahun, bulan[gaji], 0, 0, cal, rng)
    lsbp = jenis == "LS-BANYAK PENERIMA"
    sp2d[lsbp] = _busday_in_month(tahun, bulan[lsbp], 2, 8, cal, rng)
    spm = np.busday_offset(sp2d, -rng.integers(0, 3, len(h)), roll="backward", busdaycal=cal)
    spp = np.busday_offset(spm, -rng.integers(0, 3, len(h)), roll="backward", busdaycal=cal)
    # Gaji induk is requested early in the previous month (January: on the day).
    later = gaji & (bulan > 1)
    spp[later] = spm[later] = _busday_in_month(tahun, bulan[later] - 1, 4, 9, cal, rng)
    # Nothing is requested before the budget year opens.
    opening = np.busday_offset(np.datetime64(f"{tahun}-01-01"), 0, roll="forward", busdaycal=cal)
    spm, spp = np.maximum(spm, opening), np.maximum(spp, opening)
    h["tgl_sp2d"], h["tgl_spm"], h["tgl_spp"] = sp2d, spm, spp
    h["status"] = "Upload SP2D"
    h["_sp"] = np.arange(len(h))
    return h


def _extra_spp(h: pd.DataFrame, satker, tahun, cal, rng) -> pd.DataFrame:
    """SPP without payment lines: UP in January, TUP before a GTUP NIHIL, a few in process."""
    gup = h[h["jenis"].isin(["GUP", "GTUP NIHIL"])]
    mean_gup = gup.groupby("s")["nilai"].mean()
    s_all = np.arange(len(satker))
    up = pd.DataFrame({"s": s_all, "bulan": 1, "jenis": "UP", "unit": "", "kind": ""})
    up["nilai"] = np.ceil(mean_gup.reindex(s_all).fillna(50e6).to_numpy() * 1.5 / 1e6) * 1e6
    gt = h[h["jenis"] == "GTUP NIHIL"]
    tup = pd.DataFrame({"s": gt["s"].to_numpy(), "bulan": gt["bulan"].to_numpy(), "jenis": "TUP",
                        "unit": gt["unit"].to_numpy(), "kind": "",
                        "nilai": np.ceil(gt["nilai"].to_numpy() / 1e6) * 1e6})
    n_p = max(1, len(satker) // 4)
    pend_s = rng.choice(s_all, n_p, replace=False)
    pend = pd.DataFrame({"s": np.sort(pend_s), "bulan": rng.integers(2, 13, n_p), "jenis": "LS",
                         "unit": "", "kind": "", "nilai": np.round(rng.uniform(5e6, 3e8, n_p), -3)})
    pend["status"] = np.where(rng.random(n_p) < 0.5, "Ditolak KPPN", "Proses Verifikasi PPSPM")
    ex = pd.concat([up, tup, pend], ignore_index=True)
    ex["tgl_sp2d"] = _busday_in_month(tahun, ex["bulan"].to_numpy(), 0, 6, cal, rng)
    ex["tgl_spm"] = ex["tgl_sp2d"].to_numpy()
    ex["tgl_spp"] = ex["tgl_sp2d"].to_numpy()
    ex["status"] = ex["status"].fillna("Upload SP2D")
    ex.loc[ex["status"] != "Upload SP2D", "tgl_sp2d"] = np.datetime64("NaT")
    ex.loc[ex["status"] == "Proses Verifikasi PPSPM", "tgl_spm"] = np.datetime64("NaT")
    ex["_sp"] = np.nan
    ex["_i"] = -1
    ex["sub"] = -1
    return ex


def _numbers(r: pd.DataFrame, satker: pd.DataFrame, tahun: int) -> pd.DataFrame:
    r = r.sort_values(["s", "tgl_spp", "jenis", "_sp"], kind="stable", ignore_index=True)
    seq = r.groupby("s").cumcount() + 1
    r["no_spp"] = seq.map("{:05d}T".format)
    r["no_spm"] = seq.map("{:05d}A".format).where(r["tgl_spm"].notna(), None)
    kppn = satker["kppn"].to_numpy()[r["s"].to_numpy()]
    order = r.sort_values(["tgl_sp2d", "s", "no_spp"], kind="stable").index
    r["_kppn"] = kppn
    sp_seq = pd.Series(0, index=r.index)
    sp_seq.loc[order] = r.loc[order].groupby("_kppn").cumcount().to_numpy() + 1
    code = np.where(r["jenis"] == "GAJI INDUK", "15", "13")
    no = (f"{tahun % 100:02d}" + pd.Series(kppn) + pd.Series(code) + "01"
          + sp_seq.map("{:06d}".format))
    r["no_sp2d"] = no.where(r["tgl_sp2d"].notna().to_numpy(), None).to_numpy()
    return r


def _uraian(r: pd.DataFrame, pok: pd.DataFrame, satker: pd.DataFrame, tahun: int) -> pd.DataFrame:
    # title case, but a Roman numeral stays one: "Kantor Regional IV", not "Iv"
    nama = (satker["nama_satker"].str.title()
            .str.replace(r"\b[IVXLivxl]+\b", lambda m: m.group(0).upper(), regex=True)
            .str.replace("Badan Kepegawaian Negara", "BKN"))
    nama = nama.to_numpy()[r["s"].to_numpy()]
    bulan = np.array(BULAN, dtype=object)
    b = bulan[r["bulan"].to_numpy() - 1]
    prev = bulan[np.maximum(r["bulan"].to_numpy() - 2, 0)]
    gaji_pokok = pok[pok["kind"] == "gaji"].groupby("_s")["pagu"].max()
    pegawai = (gaji_pokok / 12 / 4.6e6).round().astype(int).reindex(r["s"]).fillna(0).astype(int)
    peg = pegawai.astype(str).to_numpy()
    th = str(tahun)
    item = pok["uraian_item"].to_numpy()[np.maximum(r["_i"].to_numpy(), 0)]
    kind = r["kind"].to_numpy()
    text = {
        "GAJI INDUK": "Pembayaran Belanja Pegawai Berupa Gaji Induk Bulan " + b + " " + th
                      + " Untuk " + nama + " Sebanyak " + peg + " Pegawai",
        "GAJI LAINNYA": "Pembayaran Gaji Ke-" + np.where(r["bulan"] == 6, "13", "14").astype(object) + " Tahun "
                        + th + " Untuk " + nama + " Sebanyak " + peg + " Pegawai",
        "LS": "Pembayaran " + item + " Bulan " + b + " " + th + " pada " + nama,
        "GUP": "Penggantian Uang Persediaan (GUP) Bulan " + b + " " + th + " pada " + nama,
        "GTUP NIHIL": "Pertanggungjawaban TUP (GTUP Nihil) Bulan " + b + " " + th + " pada " + nama,
        "UP": "Uang Persediaan (UP) Tahun Anggaran " + th + " pada " + nama,
        "TUP": "Tambahan Uang Persediaan (TUP) Bulan " + b + " " + th + " pada " + nama,
    }
    lsbp = {"tukin": "Biaya Belanja Pegawai (Pembayaran Tunjangan Kinerja Bulan ",
            "makan": "Pembayaran Uang Makan PNS (Bulan ", "lembur": "Pembayaran Uang Lembur (Bulan "}
    uraian = np.empty(len(r), dtype=object)
    jenis = r["jenis"].to_numpy()
    for j, t in text.items():
        m = jenis == j
        uraian[m] = np.asarray(t, dtype=object)[m] if np.ndim(t) else t
    for k, head in lsbp.items():
        m = (jenis == "LS-BANYAK PENERIMA") & (kind == k)
        uraian[m] = (head + prev + " " + th + ") pada " + nama + " untuk " + peg + " pegawai")[m]
    r["uraian"] = uraian
    return r
