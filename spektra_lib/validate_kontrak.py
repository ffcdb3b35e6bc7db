"""Checks of the contract register, the treasurer's deposits and the contractual columns
of the SPP register (issue 23; CONTRACT §1 `kontrak`, `setoran`, `spp.no_kontrak`,
`spp.tgl_bast`).

Refusals (`problems`): a contract value of 0 or less, an unknown cara_bayar, a number of
termin below 1, a contract dated after its budget year, a deposit of 0 or less, of an
unknown jenis or dated outside its year, a BAST dated after the SPM that settles it. Warnings (`peringatan`, in batch.warnings: shown by `spektra ingest` /
`periksa` as `Peringatan: berkas:baris: kolom: …`, refused under `--ketat`; the kontrak
page says it too): a payment naming
a contract in neither the batch nor the store, a TUP deposit of a satker and year with no
TUP paid. A warning does not stop the ingest: the register may arrive after its payments.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema
from .problems import Problem
from .validate import _at, _at_first, _fmt

PERINGATAN = ""   # `Peringatan: ` is what ingest / periksa print before a warning


def _mask(s: pd.Series) -> np.ndarray:
    return s.fillna(False).to_numpy(bool)


def problems(t: dict[str, pd.DataFrame]) -> list[Problem]:
    out: list[Problem] = []
    k = t.get("kontrak")
    if k is not None and len(k):
        out += _at(k, _mask(k["nilai_kontrak"] <= 0), "nilai_kontrak", lambda r: (
            f"nilai kontrak {_fmt(r['nilai_kontrak'])}: kontrak {r['no_kontrak']} harus "
            "bernilai lebih dari 0 (periksa kolom nilai di register kontrak)"))
        cara = k["cara_bayar"].astype("string").str.strip().str.lower()
        out += _at_first(k, _mask(k["cara_bayar"].notna() & ~cara.isin(schema.CARA_BAYAR)),
                         "cara_bayar", lambda v: (
                             f"cara bayar tidak dikenal: {str(v)!r} (pilih "
                             f"{' atau '.join(schema.CARA_BAYAR)})"))
        after = k["tgl_kontrak"].notna() & k["tahun"].notna() & (k["tgl_kontrak"].dt.year > k["tahun"])
        out += _at(k, _mask(after), "tgl_kontrak", lambda r: (
            f"tanggal kontrak {r['tgl_kontrak']:%Y-%m-%d} sesudah tahun anggaran {r['tahun']} "
            "(kontrak yang ditandatangani sebelum 1 Januari boleh: kontrak dini)"))
        if "jumlah_termin" in k.columns:
            out += _at(k, _mask(k["jumlah_termin"] < 1), "jumlah_termin", lambda r: (
                f"jumlah termin {r['jumlah_termin']}: paling sedikit 1"))
    s = t.get("setoran")
    if s is not None and len(s):
        out += _at(s, _mask(s["nilai"] <= 0), "nilai", lambda r: (
            f"nilai setoran {_fmt(r['nilai'])}: harus lebih dari 0"))
        other = s["tanggal"].notna() & s["tahun"].notna() & (s["tanggal"].dt.year != s["tahun"])
        out += _at(s, _mask(other), "tanggal", lambda r: (
            f"tanggal setoran {r['tanggal']:%Y-%m-%d} di luar tahun anggaran {r['tahun']}"))
        jenis = s["jenis"].astype("string").str.strip().str.upper()
        known = [j.upper() for j in schema.JENIS_SETORAN]
        out += _at_first(s, _mask(s["jenis"].notna() & ~jenis.isin(known)), "jenis", lambda v: (
            f"jenis setoran tidak dikenal: {str(v)!r} (pilih "
            f"{', '.join(schema.JENIS_SETORAN)})"))
    spp = t.get("spp")
    if spp is not None and len(spp) and "tgl_bast" in spp.columns:
        late = spp["tgl_bast"].notna() & spp["tgl_spm"].notna() & (spp["tgl_bast"] > spp["tgl_spm"])
        out += _at(spp, _mask(late), "tgl_bast", lambda r: (
            f"tanggal BAST {r['tgl_bast']:%Y-%m-%d} sesudah tanggal SPM "
            f"{r['tgl_spm']:%Y-%m-%d} (SPM {r['no_spm']}): SPM tagihan kontraktual terbit "
            "sesudah BAST-nya; periksa kedua tanggal"))
    return out


def _stored(store, sql: str) -> pd.DataFrame | None:
    if store is None:
        return None
    return store.sql(sql)


def _pairs(df: pd.DataFrame, a: str, b: str) -> pd.Series:
    return df[a].astype("string").fillna("") + "\x1f" + df[b].astype("string").fillna("")


def peringatan(t: dict[str, pd.DataFrame], store) -> list[Problem]:
    """Warnings (Problems; batch.warnings). `store`: what is
    already loaded, or None (an empty store, or one that could not be read)."""
    out: list[Problem] = []
    spp = t.get("spp")
    if spp is not None and len(spp) and "no_kontrak" in spp.columns:
        named = spp["no_kontrak"].notna() & (spp["no_kontrak"].astype("string").str.strip() != "")
        if named.any():
            known = set()
            if "kontrak" in t and len(t["kontrak"]):
                known |= set(_pairs(t["kontrak"], "kode_satker", "no_kontrak"))
            stored = _stored(store, "SELECT DISTINCT kode_satker, no_kontrak FROM kontrak")
            if stored is not None and len(stored):
                # the store's rows of a (tahun, satker) the batch replaces are not kept
                if "kontrak" in t and len(t["kontrak"]):
                    stored = stored.merge(t["kontrak"][["kode_satker"]].drop_duplicates()
                                          .astype(str), how="left", indicator=True)
                    stored = stored[stored["_merge"] == "left_only"]
                known |= set(_pairs(stored, "kode_satker", "no_kontrak"))
            bad = named & ~_pairs(spp, "kode_satker", "no_kontrak").isin(list(known))
            out += _at_first(spp, _mask(bad), "no_kontrak", lambda v: (
                PERINGATAN + f"kontrak {v} tidak ada di register kontrak satker pembayar "
                "(di berkas ini maupun di store); pembayaran ini belum dihitung di laporan "
                "kontrak sampai registernya dimuat"))
    s = t.get("setoran")
    if s is not None and len(s):
        is_tup = s["jenis"].astype("string").str.strip().str.upper() == "TUP"
        if is_tup.any():
            have = set()
            if spp is not None and len(spp):
                tup = spp[spp["jenis_spp"].astype("string").str.strip().str.upper() == "TUP"]
                have |= set(tup["kode_satker"].astype(str) + "\x1f"
                            + tup["tgl_spp"].dt.year.astype("Int64").astype(str))
            stored = _stored(store, "SELECT DISTINCT kode_satker, CAST(year(tgl_spp) AS "
                                    "VARCHAR) AS tahun FROM spp WHERE upper(trim(jenis_spp)) "
                                    "= 'TUP'")
            if stored is not None and len(stored):
                have |= set(_pairs(stored, "kode_satker", "tahun"))
            key = s["kode_satker"].astype(str) + "\x1f" + s["tahun"].astype("Int64").astype(str)
            bad = is_tup & ~key.isin(list(have))
            out += _at_first(s, _mask(bad), "jenis", lambda v: (
                PERINGATAN + "setoran TUP, padahal register SPP satker ini tidak memuat TUP "
                "pada tahun itu (di berkas ini maupun di store); periksa jenis setoran atau "
                "muat register SPP-nya"))
    return out
