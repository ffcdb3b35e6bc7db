"""Incremental render (issue 14 §8): the full monthly pages, then the same after one
satker's monthly realisasi update, in one run.

    .venv/bin/python benchmarks/render_incremental.py [--satker N] [--workers 2]

Prints pages made and skipped and the wall time of each render, and their ratio.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from spektra_lib.ingest import ingest_path
from spektra_lib.render import render
from spektra_lib.sources.write import write
from spektra_lib.store import Store
from spektra_lib.synth import build_tables


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--satker", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tables = build_tables(n_satker=args.satker)
        write(tables, tmp / "data", "kanonik")
        store = tmp / "s.duckdb"
        with Store(store) as st:
            ingest_path(tmp / "data", st)
        kw = dict(store_path=store, tahun=2022, bulan=5, out=tmp / "site", progress=False,
                  workers=args.workers, unduhan=False)
        t0 = time.perf_counter()
        full = render(**kw)
        t_full = time.perf_counter() - t0
        # one satker's monthly update: its realisasi with one more line
        r = tables["realisasi"]
        satker = sorted(r["kode_satker"].unique())[-1]
        mine = r[r["kode_satker"] == satker]
        extra = mine.iloc[[0]].assign(nilai=1_000_000.0)
        write({"realisasi": __import__("pandas").concat([mine, extra])}, tmp / "upd", "kanonik")
        with Store(store) as st:
            ingest_path(tmp / "upd", st)
        t0 = time.perf_counter()
        inc = render(**kw)
        t_inc = time.perf_counter() - t0
        print(f"penuh      : {len(full.done)} dibuat, {len(full.skipped)} dilewati, {t_full:.1f} dtk")
        print(f"satu satker: {len(inc.done)} dibuat, {len(inc.skipped)} dilewati, {t_inc:.1f} dtk "
              f"(satker {satker})")
        print(f"rasio waktu penuh / inkremental: {t_full / t_inc:.1f}×")


if __name__ == "__main__":
    main()
