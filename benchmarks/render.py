"""The demo agency's full monthly pack: kept kernel vs papermill with a fresh kernel each.

    python benchmarks/render.py [--naive-sample 4] [--workers 2] [--store PATH]

Prints the wall time of the whole pack (1 process, then `--workers` processes), the time
per notebook, an up-to-date rerun (everything skipped), and a sample of naive runs
(`papermill.execute_notebook`, fresh kernel per notebook) extrapolated to the whole pack;
then the ratios. Not part of the test suite: these machines are noisy, compare ratios of
one run.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from spektra_lib.render import render, shutdown_kernel
from spektra_lib.render.matrix import load_matrix, plan, scopes_from_store
from spektra_lib.render.runner import NOTEBOOKS, run_job
from spektra_lib.store import Store

TAHUN, BULAN = 2022, 5


def demo_store(tmp: Path) -> Path:
    from spektra_lib.ingest import ingest_path
    from spektra_lib.synth import generate

    src = tmp / "demo"
    generate(src, tahun=TAHUN, format="kanonik")
    path = tmp / "demo.duckdb"
    with Store(path) as st:
        ingest_path(src, st)
    return path


def per_notebook(result) -> str:
    s = list(result.seconds.values())
    if not s:
        return "-"
    return (f"median {statistics.median(s):.2f} s, first {s[0]:.2f} s, "
            f"max {max(s):.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--naive-sample", type=int, default=4)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="spektra-bench-") as tmp:
        tmp = Path(tmp)
        store = args.store or demo_store(tmp)
        with Store(store, read_only=True) as st:
            jobs = plan(scopes_from_store(st), load_matrix(), tahun=TAHUN, bulan=BULAN,
                        store=store, out=tmp / "naive", notebooks=NOTEBOOKS)
        n = len(jobs)
        print(f"Paket bulanan {BULAN:02d}/{TAHUN}: {n} notebook "
              f"({len({j.scope.slug for j in jobs})} scope)")

        rows = {}
        r1 = render(store_path=store, tahun=TAHUN, bulan=BULAN, out=tmp / "w1", force=True,
                    progress=False)
        shutdown_kernel()
        rows["kernel dipakai ulang, 1 proses"] = (r1.wall, per_notebook(r1), len(r1.failed))
        rw = render(store_path=store, tahun=TAHUN, bulan=BULAN, out=tmp / "wn", force=True,
                    progress=False, workers=args.workers)
        rows[f"kernel dipakai ulang, {args.workers} proses"] = (rw.wall, per_notebook(rw),
                                                                 len(rw.failed))
        again = render(store_path=store, tahun=TAHUN, bulan=BULAN, out=tmp / "w1",
                       progress=False)
        rows["ulang, semua mutakhir (dilewati)"] = (again.wall, f"{len(again.skipped)} dilewati",
                                                    len(again.failed))

        # Naive: a sample spread over the reports, a fresh kernel each (papermill API).
        step = max(1, n // max(1, args.naive_sample))
        sample = jobs[::step][:args.naive_sample]
        t0 = time.perf_counter()
        runs = [run_job(j, naive=True) for j in sample]
        naive_wall = time.perf_counter() - t0
        naive_each = statistics.mean(secs for _, _, secs in runs)
        failed = sum(1 for _, err, _ in runs if err)
        rows[f"papermill, kernel baru (sampel {len(runs)})"] = (
            naive_wall, f"median {statistics.median(s for _, _, s in runs):.2f} s", failed)

        print(f"\n{'cara':42s} {'waktu':>9s}  per notebook")
        for name, (wall, each, failed) in rows.items():
            extra = f"  ({failed} gagal)" if failed else ""
            print(f"{name:42s} {wall:8.1f}s  {each}{extra}")
        naive_full = naive_each * n
        print(f"\npapermill naif untuk seluruh paket (perkiraan): {naive_full:.0f} s "
              f"({naive_each:.2f} s × {n})")
        fast_each = r1.wall / n
        print(f"rasio per notebook, naif / kernel dipakai ulang: {naive_each / fast_each:.1f}×")
        print(f"rasio seluruh paket, naif / 1 proses: {naive_full / r1.wall:.1f}×; "
              f"naif / {args.workers} proses: {naive_full / rw.wall:.1f}×; "
              f"1 proses / {args.workers} proses: {r1.wall / rw.wall:.2f}×")
        print(f"ulang tanpa perubahan / render penuh: {again.wall / r1.wall:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
