"""Report latency at national scale: the store and the report functions, no file readers.

    python benchmarks/scale.py --satker 1000 [--repeat 20] [--store /tmp/s1000.duckdb]

Builds N satker with `synth.build_tables`, loads them with `store.ingest(layout="kanonik")`
(or reuses `--store` when that file exists), then times p50 / p95 of each report over
`--repeat` runs after one warm-up, and prints peak RSS of the build and of the reports.
Not part of the test suite: figures are for one run on one machine.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from spektra_lib import reports
from spektra_lib.scopes import satker_pusat
from spektra_lib.store import Store

TAHUN, BULAN = 2022, 5


def _peak_mb() -> float:
    """VmHWM of this process (peak resident set), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    # Linux: writing 5 to clear_refs resets VmHWM, so the reports' peak is their own.
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def build(path: Path, n_satker: int) -> dict:
    from spektra_lib.synth import build_tables
    t0 = time.perf_counter()
    tables = build_tables(tahun=TAHUN, n_satker=n_satker)
    t_synth = time.perf_counter() - t0
    rows = {k: len(v) for k, v in tables.items()}
    with Store(path) as store:
        t0 = time.perf_counter()
        store.ingest(tables, layout="kanonik", source="benchmarks/scale.py")
        t_ingest = time.perf_counter() - t0
    del tables
    return {"synth_s": t_synth, "ingest_s": t_ingest, "rows": rows}


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, max(0, int(round(0.95 * len(times))) - 1))]


def _timed(fn, repeat: int) -> tuple[float, float, float]:
    """p50 and p95 wall time, and p50 CPU time of the process (all DuckDB threads):
    on a shared machine the CPU figure moves less with the neighbours' load."""
    fn()  # warm-up: parameters, page cache, DuckDB buffers
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), _p95(wall), statistics.median(cpu)


def cases(store) -> dict[str, tuple[str, dict]]:
    kanreg = store.scalar("SELECT kode_satker FROM satker WHERE kelompok = 'KANREG' "
                          "ORDER BY kode_satker LIMIT 1")
    pusat = satker_pusat(store)
    return {
        "deviasi_detail (1 satker kanreg)": ("deviasi_detail", {"satker": kanreg}),
        "deviasi_detail (Kantor Pusat)": ("deviasi_detail", {"satker": pusat}),
        "realisasi_pok (1 satker)": ("realisasi_pok", {"satker": kanreg}),
        "realisasi_akun (1 satker)": ("realisasi_akun", {"satker": kanreg}),
        "deviasi_kumulatif (semua)": ("deviasi_kumulatif", {}),
        "ranking_satker": ("ranking_satker", {}),
        "grafik_rpd_realisasi (semua)": ("grafik_rpd_realisasi", {}),
        "monitoring_spp (1 satker)": ("monitoring_spp", {"satker": kanreg}),
        "capaian_output (1 satker)": ("capaian_output", {"satker": kanreg}),
        "status_capaian (1 satker)": ("status_capaian", {"satker": kanreg}),
        "ikpa_estimasi (1 satker)": ("ikpa_estimasi", {"satker": kanreg}),
        "ikpa_estimasi (semua)": ("ikpa_estimasi", {}),
        "status_capaian (semua)": ("status_capaian", {}),
        "capaian_output (semua)": ("capaian_output", {}),
        "realisasi_satker (semua)": ("realisasi_satker", {}),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--satker", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--store", type=Path, help="reuse (or create) this store file")
    ap.add_argument("--only", nargs="*", help="run only the cases whose label has this text")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = args.store or Path(d) / f"scale-{args.satker}.duckdb"
        if not path.exists():
            info = build(path, args.satker)
            rows = info["rows"]
            print(f"synth {info['synth_s']:.1f} s; ingest {info['ingest_s']:.1f} s "
                  f"(pok {rows['pok']:,}, realisasi {rows['realisasi']:,} baris); "
                  f"peak RSS {_peak_mb():,.0f} MB")
        _reset_peak()
        with Store(path, read_only=True) as store:
            counts = store.counts()
            print(f"store {path}: satker {counts['satker']:,}, pok {counts['pok']:,}, "
                  f"realisasi {counts['realisasi']:,}")
            print(f"\n{'laporan':36s} {'p50 ms':>9s} {'p95 ms':>9s} {'CPU p50':>9s} "
                  f"{'baris':>9s}")
            for label, (name, params) in cases(store).items():
                if args.only and not any(o in label for o in args.only):
                    continue
                def fn():  # noqa: E306
                    return reports.run(name, store, tahun=TAHUN, bulan=BULAN, **params)
                n_rows = len(fn())
                p50, p95, cpu = _timed(fn, args.repeat)
                print(f"{label:36s} {p50 * 1e3:9.1f} {p95 * 1e3:9.1f} {cpu * 1e3:9.1f} "
                      f"{n_rows:9,d}", flush=True)
        print(f"\npeak RSS (laporan): {_peak_mb():,.0f} MB; load average "
              f"{Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
