"""IKPA as the Treasury computes it, estimated from SPEKTRA's data (issue 22, DOMAIN §5).

The rule of the budget year (parameters/ikpa/<rule>.yaml, aturan.py) lists its indicators,
each computed by one module under this package (dasar.py: the interface) or by
reports/ikpa_kontrak.py (the contract indicators). Reports (CONTRACT §2):

- `ikpa_estimasi`: per satker one row per indicator of the rule, the deduction
  (Dispensasi SPM, from 2022), then `Nilai IKPA`. An indicator that cannot be computed is
  "tidak dapat dihitung: <what is missing>" and the weights of the others are rescaled to
  100 (bobot_efektif); where the computed indicators carry less than
  `bobot_minimal_total` % of the weight there is no total. Every value is an estimate;
  every row names its `dasar`. `attrs["catatan"]` lists the unconfirmed parameters used
  and what each indicator could not classify.
- `ikpa_rincian`: the formula trace, every quantity per period and jenis belanja.
- `ikpa_rekonsiliasi`: the estimate beside OM-SPAN's official value (ikpa_resmi).
- `ikpa_ringkasan`: one line per satker (total, category, the indicator that costs most)
  and the agency's mean; `ikpa_riwayat`: the total month by month beside the official.
"""
from __future__ import annotations

import importlib
import math
import re
from dataclasses import replace

import duckdb
import pandas as pd

from ..catalog import IKPA_TIDAK_DAPAT as TIDAK_DAPAT, IKPA_TOTAL as TOTAL  # noqa: F401
from ..selection import Selection
from . import _memo, aturan as _aturan
from .dasar import RINCIAN, Hasil, Konteks

COLUMNS = ["kode_satker", "nama_satker", "indikator", "nilai", "bobot", "bobot_efektif",
           "nilai_tertimbang", "keterangan", "kategori", "dasar"]
RINCIAN_COLUMNS = ["kode_satker", "indikator", "periode", "jenis_belanja", "besaran", "nilai"]
REKON_COLUMNS = ["kode_satker", "nama_satker", "indikator", "estimasi", "resmi", "selisih",
                 "penjelasan"]
ESTIMASI = "estimasi"


def pilih_aturan(tahun: int, aturan=None) -> _aturan.Aturan:
    return _aturan.pilih(tahun, aturan)


def kategori(nilai: float, bands: list[dict]) -> str:
    for b in bands:
        if b["mulai"] is None or nilai >= b["mulai"]:
            return b["nama"]
    return ""


def _panggil(modul: str, ctx: Konteks) -> Hasil:
    """Run the indicator function "module:function"; a module not (yet) there is an
    indicator SPEKTRA cannot compute, said so."""
    mod, func = modul.split(":")
    try:
        fn = getattr(importlib.import_module(f"spektra_lib.reports.{mod}"), func)
    except (ImportError, AttributeError):
        return Hasil.kosong(f"perhitungan indikator ini belum ada di SPEKTRA ({modul})")
    try:
        out = fn(ctx)
    except (duckdb.CatalogException, duckdb.BinderException) as e:
        # a store written before the indicator's inputs existed, opened read-only
        m = re.search(r"Table with name (\w+) does not exist|column \"?(\w+)\"? not found",
                      str(e), re.I)
        what = (f"tabel {m.group(1)}" if m and m.group(1) else
                f"kolom {m.group(2)}" if m else "masukannya")
        return Hasil.kosong(f"{what} belum ada di store (store dibuat sebelum tabel itu ada; "
                            "ingest ulang)")
    if isinstance(out, tuple):       # (nilai, kurang[, rincian[, catatan]])
        out = Hasil(*out)
    return out


def _hitung(store, tahun: int, bulan: int, satker: str | None, aturan, jejak: bool = True,
            cache: dict | None = None):
    """(ctx, rule, hasil, dipakai) of every indicator; kept per page (_memo.py).
    `cache`: query results shared between calls for several months of the same store,
    year and scope (ikpa_riwayat; _data.py keys by month what depends on it)."""
    return _entri(store, tahun, bulan, satker, aturan, jejak, cache)[:4]


def _entri(store, tahun, bulan, satker, aturan, jejak=True, cache=None):
    if not 1 <= int(bulan) <= 12:
        raise ValueError(f"Bulan {bulan} di luar 1–12.")
    rule = pilih_aturan(tahun, aturan)
    key = _memo.kunci(store, tahun, bulan, satker, rule)
    got = _memo.ambil(key, jejak)
    if got is not None:     # kept without its store (closed since, another user's copy)
        return (replace(got[0], store=store),) + got[1:]
    if cache is None:           # the page's reports share one satker's queries
        cache = _memo.kueri(store, tahun, satker, rule)
    if ("kode_satker", satker) not in cache:
        only = "AND p.kode_satker = ?" if satker else ""
        cache[("kode_satker", satker)] = store.sql(
            f"SELECT DISTINCT p.kode_satker FROM pok p WHERE p.tahun = ? {only} ORDER BY 1",
            [tahun] + ([satker] if satker else []))["kode_satker"].tolist()
    kode = list(cache[("kode_satker", satker)])
    ctx = Konteks(store, int(tahun), int(bulan), satker, rule, kode, jejak, cache=cache)
    hasil, dipakai = {}, {}
    for ind in list(rule.indikator) + list(rule.pengurang):
        if ind.get("modul"):
            ctx.dipakai = set()
            hasil[ind["kode"]] = _panggil(ind["modul"], ctx)
            dipakai[ind["kode"]] = set(ctx.dipakai)
        else:
            hasil[ind["kode"]] = Hasil.kosong(ind.get("kurang", "data tidak ada di SPEKTRA"))
            dipakai[ind["kode"]] = set()
    entry = (ctx, rule, hasil, dipakai, {})
    # kept without the store and the query frames (an agency's are large; the scores,
    # notes and trace are what the other reports read)
    _memo.simpan(key, jejak, satker, (replace(ctx, store=None, cache={}),) + entry[1:])
    return entry


def _estimasi_bersama(store, tahun, bulan, satker, aturan, cache=None,
                      jejak: bool | None = None) -> pd.DataFrame:
    """ikpa_estimasi's frame, kept with its computation (_memo.py): read it, never change
    it (ikpa_estimasi hands out a copy). `jejak` None: with the trace for one satker on a
    reader, as its page also shows the trace (ikpa_rincian): one computation serves both."""
    if jejak is None:
        jejak = satker is not None and _memo.kunci(store, tahun, bulan, satker,
                                                    pilih_aturan(tahun, aturan)) is not None
    entry = _entri(store, tahun, bulan, satker, aturan, jejak=jejak, cache=cache)
    if "estimasi" not in entry[4]:
        entry[4]["estimasi"] = _estimasi(store, *entry[:4])
    return entry[4]["estimasi"]


def _kurang(h: Hasil, kode: str) -> str:
    return h.kurang.get(kode) or h.kurang.get("*") or "data tidak cukup"


def _value(h: Hasil, kode: str) -> float:
    v = h.nilai.get(kode, math.nan) if len(h.nilai) else math.nan
    return float(v) if v is not None else math.nan


def _estimasi(store, ctx, rule, hasil, dipakai) -> pd.DataFrame:
    if "nama_satker" not in ctx.cache:
        ctx.cache["nama_satker"] = dict(
            store.sql("SELECT kode_satker, nama_satker FROM satker").values.tolist())
    names = ctx.cache["nama_satker"]
    ctx.dipakai = {"kategori", "bobot_minimal_total", "bobot_disesuaikan"}
    bands = ctx.p("kategori")
    minimal = float(ctx.p("bobot_minimal_total"))
    total_bobot = sum(i["bobot"] for i in rule.indikator)
    rows = []
    for kode in ctx.kode_satker:
        nama = names.get(kode, "")
        val = {i["kode"]: _value(hasil[i["kode"]], kode) for i in rule.indikator}
        ok = [i for i in rule.indikator if not math.isnan(val[i["kode"]])]
        dasar_bobot = sum(i["bobot"] for i in ok)
        for i in rule.indikator:
            v = val[i["kode"]]
            if math.isnan(v):
                rows.append([kode, nama, i["nama"], math.nan, i["bobot"], 0.0, math.nan,
                             f"{TIDAK_DAPAT}: {_kurang(hasil[i['kode']], kode)}", "", rule.dasar])
            else:
                ef = i["bobot"] * 100 / dasar_bobot
                rows.append([kode, nama, i["nama"], v, i["bobot"], ef, v * ef / 100, ESTIMASI,
                             "", rule.dasar])
        cut, cut_missing = 0.0, []
        for d in rule.pengurang:
            v = _value(hasil[d["kode"]], kode)
            if math.isnan(v):
                cut_missing.append(d["nama"])
                rows.append([kode, nama, d["nama"], math.nan, 0, 0.0, math.nan,
                             f"{TIDAK_DAPAT}: {_kurang(hasil[d['kode']], kode)}", "", rule.dasar])
            else:
                cut += v
                rows.append([kode, nama, d["nama"], v, 0, 0.0, -v, f"{ESTIMASI} (pengurang)",
                             "", rule.dasar])
        share = dasar_bobot * 100 / total_bobot if total_bobot else 0.0
        if ok and share >= minimal:
            total = max(sum(val[i["kode"]] * i["bobot"] for i in ok) / dasar_bobot - cut, 0.0)
            ket = ESTIMASI if not cut_missing else (
                f"{ESTIMASI}, tanpa pengurang {', '.join(cut_missing)}")
            rows.append([kode, nama, TOTAL, total, total_bobot, share, total, ket,
                         kategori(total, bands), rule.dasar])
        else:
            rows.append([kode, nama, TOTAL, math.nan, total_bobot, share, math.nan,
                         f"{TIDAK_DAPAT}: indikator yang dapat dihitung berbobot "
                         f"{share:.0f} dari {total_bobot} (kurang dari {minimal:.0f} %)".replace(".", ","),
                         "", rule.dasar])
    out = pd.DataFrame(rows, columns=COLUMNS)
    used = set(ctx.dipakai).union(*dipakai.values()) if dipakai else set(ctx.dipakai)
    notes = [f"Estimasi menurut {rule.dasar} (parameters/ikpa/{rule.berkas}.yaml) — bukan "
             "nilai resmi OM-SPAN."]
    unconf = rule.belum_terkonfirmasi(used)
    if unconf:
        notes.append("Parameter belum terkonfirmasi yang dipakai: " + "; ".join(
            f"{u['nama']} ({u['sumber']})" for u in unconf) + ".")
    out.attrs["catatan_aturan"] = " ".join(notes)
    n = len(notes)
    for i in list(rule.indikator) + list(rule.pengurang):
        for kode, lines in sorted(hasil[i["kode"]].catatan.items()):
            notes += [f"{i['nama']}, satker {kode}: {line.rstrip('.')}." for line in lines]
    out.attrs["catatan_satker"] = len(notes) - n
    out.attrs["aturan"] = rule.dasar
    out.attrs["catatan"] = " ".join(notes)
    out.attrs["belum_terkonfirmasi"] = [u["nama"] for u in unconf]
    return out


def ikpa_estimasi(store, pilihan: Selection) -> pd.DataFrame:
    """Estimated IKPA per satker (every satker with pagu in `tahun`, or one)."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    aturan = pilihan.aturan
    return _memo.salinan(_estimasi_bersama(store, tahun, bulan, satker, aturan))


def ikpa_rincian(store, pilihan: Selection) -> pd.DataFrame:
    """The formula trace of ikpa_estimasi: one row per satker × indicator × period ×
    jenis belanja × quantity. With `unit`: of the satker whose budget holds the unit kerja
    (IKPA is scored per satker; the unit kerja page's downloads carry it)."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    aturan = pilihan.aturan
    if pilihan.unit is not None:
        from .unit import satker_unit
        kode = [k for k in satker_unit(store, tahun, pilihan.unit) if satker in (None, k)]
        parts = [ikpa_rincian(store, pilihan.replace(satker=k, unit=None)) for k in kode]
        if parts:
            out = pd.concat(parts, ignore_index=True)
            out.attrs.update(parts[0].attrs)
            return out
        satker = satker or "-"      # no satker: an empty trace
    ctx, rule, hasil, _ = _hitung(store, tahun, bulan, satker, aturan)
    parts = []
    for i in list(rule.indikator) + list(rule.pengurang):
        r = hasil[i["kode"]].rincian
        if r is not None and len(r):
            parts.append(r[RINCIAN].assign(indikator=i["nama"]))
    if not parts:
        out = pd.DataFrame(columns=RINCIAN_COLUMNS)
    else:
        out = pd.concat(parts, ignore_index=True)[RINCIAN_COLUMNS]
        out["jenis_belanja"] = out["jenis_belanja"].fillna("").astype(str)
        out["nilai"] = out["nilai"].astype(float)
    out.attrs["aturan"] = rule.dasar
    return out


from .rekonsiliasi import ikpa_rekonsiliasi  # noqa: E402  (needs ikpa_estimasi above)
from .riwayat import ikpa_riwayat  # noqa: E402
from .ringkasan import ikpa_ringkasan  # noqa: E402
from .unit import ikpa_unit  # noqa: E402,F401
from .peluang import ikpa_peluang  # noqa: E402,F401
