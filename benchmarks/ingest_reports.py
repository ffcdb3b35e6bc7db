"""Ingest throughput and report latency, demo agency vs a scaled agency, in one run.

    python benchmarks/ingest_reports.py [--satker 200] [--repeat 7]

Prints rows per second of ingest per layout and the median / p95 latency of every report
for one satker (and agency-wide where the report allows), plus the scaled / demo ratios.
Not part of the test suite: these machines are noisy, so compare ratios of one run.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from spektra_lib import reports
from spektra_lib.ingest import ingest_path
from spektra_lib.store import Store
from spektra_lib.synth import generate

TAHUN, BULAN = 2022, 5


def _timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)]


def measure(tmp: Path, n_satker: int | None, layout: str, repeat: int) -> dict:
    src = tmp / f"src-{n_satker}-{layout}"
    t0 = time.perf_counter()
    generate(src, tahun=TAHUN, n_satker=n_satker, format=layout)
    t_synth = time.perf_counter() - t0
    db = tmp / f"s-{n_satker}-{layout}.duckdb"
    with Store(db) as store:
        t0 = time.perf_counter()
        summary = ingest_path(src, store)
        t_ingest = time.perf_counter() - t0
    rows = sum(summary.rows.values())
    out = {"synth_s": t_synth, "ingest_s": t_ingest, "rows": rows,
           "rows_per_s": rows / t_ingest, "reports": {}}
    with Store(db, read_only=True) as store:
        satker = store.scalar("SELECT kode_satker FROM satker WHERE kelompok = 'KANREG' "
                              "ORDER BY kode_satker LIMIT 1")
        pusat = store.scalar("SELECT DISTINCT kode_satker FROM unit_kerja LIMIT 1")
        cases = {
            "ranking_satker": {},
            "ranking_unit": {},
            "grafik_rpd_realisasi": {},
            "deviasi_kumulatif (semua satker)": {"_name": "deviasi_kumulatif"},
            "deviasi_detail (1 satker)": {"_name": "deviasi_detail", "satker": satker},
            "deviasi_detail (Kantor Pusat)": {"_name": "deviasi_detail", "satker": pusat},
            "realisasi_pok (1 satker)": {"_name": "realisasi_pok", "satker": satker},
            "realisasi_akun (1 satker)": {"_name": "realisasi_akun", "satker": satker},
            "realisasi_satker": {},
            "monitoring_spp (1 satker)": {"_name": "monitoring_spp", "satker": satker},
        }
        for label, params in cases.items():
            params = dict(params)
            name = params.pop("_name", label)
            fn = lambda: reports.run(name, store, tahun=TAHUN, bulan=BULAN, **params)  # noqa: E731
            fn()  # warm
            out["reports"][label] = _timed(fn, repeat)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--satker", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--layouts", nargs="+", default=["kanonik", "sakti"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        results = {}
        for layout in args.layouts:
            for n in (None, args.satker):
                results[(layout, n)] = r = measure(tmp, n, layout, args.repeat)
                label = "demo" if n is None else f"{n} satker"
                print(f"[{layout:8s} {label:>10s}] synth {r['synth_s']:.1f} s, ingest "
                      f"{r['rows']:,} baris in {r['ingest_s']:.1f} s = "
                      f"{r['rows_per_s']:,.0f} baris/s")
        print("\nLatensi laporan (median / p95, ms), kanonik:")
        demo, big = results[(args.layouts[0], None)], results[(args.layouts[0], args.satker)]
        print(f"{'laporan':34s} {'demo':>16s} {str(args.satker) + ' satker':>16s} {'rasio':>6s}")
        for label in demo["reports"]:
            (dm, dp), (bm, bp) = demo["reports"][label], big["reports"][label]
            print(f"{label:34s} {dm*1e3:7.1f} /{dp*1e3:7.1f} {bm*1e3:7.1f} /{bp*1e3:7.1f} "
                  f"{bm / dm:6.1f}")


if __name__ == "__main__":
    main()
