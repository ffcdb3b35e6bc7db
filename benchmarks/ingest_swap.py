"""Cost of the atomic swap (issue 14 §6): one monthly realisasi update of one satker into
the demo store, written in place (Store(path), as before) vs through swap.writer (copy,
ingest into the copy, fsync, os.replace), in one run. Prints medians of N rounds.

    .venv/bin/python benchmarks/ingest_swap.py [--rounds 3] [--satker N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from spektra_lib.ingest import ingest_path
from spektra_lib.store import Store
from spektra_lib.swap import writer
from spektra_lib.synth import generate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--satker", type=int, default=None)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="spektra-swap-"))
    demo = work / "demo"
    generate(demo, tahun=2022, n_satker=args.satker, format="kanonik")
    base = work / "base.duckdb"
    with Store(base) as s:
        ingest_path(demo, s)
    r = pd.read_csv(demo / "realisasi.csv", dtype=str, keep_default_na=False)
    k = r["kode_satker"].iloc[-1]
    upd = work / "update"
    upd.mkdir()
    r[r["kode_satker"] == k].to_csv(upd / "realisasi.csv", index=False)
    size = base.stat().st_size / 1e6

    def in_place(p):
        with Store(p) as s:
            ingest_path(upd, s)

    def swapped(p):
        with writer(p) as s:
            ingest_path(upd, s)

    def copy_only(p):
        shutil.copyfile(p, p.with_name("x.duckdb"))

    times = {"di tempat (sebelum)": [], "salin + tukar (sesudah)": [], "salin berkas saja": []}
    for i in range(args.rounds):
        for name, fn in (("di tempat (sebelum)", in_place), ("salin + tukar (sesudah)", swapped),
                         ("salin berkas saja", copy_only)):
            p = work / f"{i}-{name[:4]}.duckdb"
            shutil.copyfile(base, p)
            t0 = time.perf_counter()
            fn(p)
            times[name].append(time.perf_counter() - t0)
    print(f"store demo {size:.1f} MB; pembaruan realisasi satu satker ({k}, "
          f"{int((r['kode_satker'] == k).sum())} baris); median {args.rounds} putaran:")
    ref = statistics.median(times["di tempat (sebelum)"])
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"  {name:26} {m:6.2f} dtk  ({m / ref:.2f}× di tempat)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
