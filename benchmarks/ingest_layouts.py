"""Ingest time of the same agency in every layout the generator writes, in one run.

    .venv/bin/python benchmarks/ingest_layouts.py [--satker 16] [--repeat 3]

Each layout is synthesised once from the same tables, then ingested `repeat` times into a
fresh store; prints the median wall time, rows per second, and the ratio to the canonical
CSV layout (these machines are noisy: compare the ratios of one run).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from spektra_lib.ingest import ingest_path
from spektra_lib.store import Store
from spektra_lib.synth import CLI_FORMATS, generate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--satker", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--layouts", nargs="+", default=list(CLI_FORMATS))
    args = ap.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {}
        for lay in args.layouts:
            src = tmp / lay
            summary = generate(src, n_satker=args.satker, format=lay)
            rows[lay] = sum(summary["baris"].values())
            times = []
            for i in range(args.repeat):
                db = tmp / f"{lay}-{i}.duckdb"
                t0 = time.perf_counter()
                with Store(db) as store:
                    ingest_path(src, store, tahun=2022)
                times.append(time.perf_counter() - t0)
                db.unlink()
            results[lay] = statistics.median(times)
        base = results.get("kanonik") or next(iter(results.values()))
        print(f"{'layout':<14}{'baris':>10}{'detik':>9}{'baris/dtk':>12}{'× kanonik':>11}")
        for lay, t in results.items():
            print(f"{lay:<14}{rows[lay]:>10,}{t:>9.2f}{rows[lay] / t:>12,.0f}{t / base:>11.2f}")


if __name__ == "__main__":
    main()
