"""The IKPA history kept in the store (issue 22 §5: one satker's IKPA page from the store
under 300 ms).

`ikpa_riwayat` is the estimate of every month 1..bulan: twelve computations of every
indicator for a December page (≈0,55 s for one satker), while the same twelve for every
satker of the year cost about as much (≈0,6 s for the demo's 16, ≈3,6 s for 1.000: the
cost is per month and indicator, not per satker). So `spektra ingest` computes the year's
history once for all satker, January to December, and keeps it in the store beside the
data it was computed from (`riwayat.simpan`); the page reads its satker's rows
(`baca`).

The rows are the live computation's own (`riwayat._bulanan`), kept under a key of all
they depend on: the store's content digest (store.fingerprint), the rule files in force
(parameters.fingerprint), the rule, and SPEKTRA's own code and the libraries that compute
(`kode`). A key that no longer matches (rule files changed, SPEKTRA upgraded, a store
written without `spektra ingest`), a dated budget view (tanggal_anggaran), a rule other
than the year's, or a writer's store: the history is computed live, as before. The table
is outside the content digest (store.CONTENT_TABLES): it is derived, never input.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import pandas as pd

from ... import parameters

TABEL = "ikpa_riwayat_tersimpan"
KOLOM = ["kode_satker", "nama_satker", "nilai", "kategori", "dasar", "bulan"]


@functools.lru_cache(maxsize=1)
def kode() -> str:
    """SPEKTRA's source and the versions of the libraries whose arithmetic the scores
    go through: a new release computes the history again."""
    from importlib.metadata import PackageNotFoundError, version
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[2]          # spektra_lib/
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    for lib in ("pandas", "numpy", "duckdb", "holidays"):
        try:
            h.update(f"{lib}={version(lib)}".encode())
        except PackageNotFoundError:
            h.update(f"{lib}=-".encode())
    return h.hexdigest()[:20]


def kunci(store, tahun: int, rule) -> str:
    parts = (store.fingerprint(), parameters.fingerprint(), kode(), int(tahun), rule.berkas)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def _ada(store) -> bool:
    return bool(store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? "
                             "AND database_name = current_database()", [TABEL]))


def baca(store, tahun: int, bulan: int, satker: str | None, rule) -> pd.DataFrame | None:
    """The kept history of months 1..bulan (every satker, or one), in the columns and
    types `riwayat._bulanan` returns; None when it must be computed live."""
    from . import pilih_aturan
    if (getattr(store, "_db", None) is None or getattr(store, "tanggal_anggaran", None)
            is not None or rule.berkas != pilih_aturan(tahun).berkas or not _ada(store)):
        return None
    only = "AND kode_satker = ?" if satker else ""
    df = store.sql(
        f"SELECT kode_satker, nama_satker, nilai, kategori, dasar, bulan FROM {TABEL} "
        f"WHERE tahun = ? AND kunci = ? AND bulan <= ? {only} ORDER BY urutan",
        [int(tahun), kunci(store, tahun, rule), int(bulan)] + ([satker] if satker else []))
    if not len(df):         # not kept (or a satker with no pagu): computed live
        return None
    return pd.DataFrame({
        "kode_satker": df["kode_satker"].astype(str).tolist(),
        "nama_satker": df["nama_satker"].astype(str).tolist(),
        "nilai": df["nilai"].astype(float).to_numpy(),
        "kategori": df["kategori"].astype(str).tolist(),
        "dasar": df["dasar"].astype(str).tolist(),
        "bulan": df["bulan"].astype("int64").to_numpy()})
