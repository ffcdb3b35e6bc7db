"""The demo agency's monthly pack: fast path vs naive papermill vs the in-process bound.

    python benchmarks/render.py [--workers 2] [--store PATH] [--no-downloads-only]
                                [--paket-saja] [--simpan DIR]

One run, one machine; prints a table and the ratios (these machines are noisy: compare
ratios within a run, not times across runs).

Pages (HTML + executed .ipynb, `unduhan=False`):
- fast path: warm kept kernel, 1 process and `--workers` processes;
- naive: `papermill.execute_notebook` with a fresh kernel per notebook, then the same page
  writer. Timed on one job per report kind and weighted by how many pages of that kind the
  pack has (a full naive pack takes ~20 minutes);
- in-process lower bound: the notebooks' own cells run in this process by an IPython
  shell (report functions + HTML, no kernel, no messaging), then the same page writer.
Then the whole pack with downloads (xlsx/docx/pdf per page + zip + combined PDF per
scope), fast path with `--workers`, an up-to-date rerun, and the naive way as issue 15 §9
defines it: papermill per page plus `spektra report NAME -o FILE` per report of the page and
per format (a process each; sampled on one page per report kind and weighted, as above).
`--paket-saja` skips the pages-only part; `--simpan DIR` keeps the full pack there (for
benchmarks/site_size.py).
"""
from __future__ import annotations

import argparse
import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from spektra_lib.render import render, shutdown_kernel
from spektra_lib.render import kernel as kern
from spektra_lib.render import pages
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


def jobs_for(store: Path, out: Path):
    with Store(store, read_only=True) as st:
        return plan(scopes_from_store(st), load_matrix(), tahun=TAHUN, bulan=BULAN,
                    store=store, out=out, notebooks=NOTEBOOKS)


def in_process(jobs) -> float:
    """Lower bound: each notebook's cells in this process, outputs captured, same page."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    os.environ.update(kern.PAGE_ENV)
    shell = InteractiveShell.instance()
    here = os.getcwd()
    t0 = time.perf_counter()
    try:
        for job in jobs:
            nb = kern.parameterize(job.notebook, job.parameters)
            shell.user_ns.clear()
            shell.init_user_ns()
            os.chdir(Path(job.notebook).parent)
            n = 0
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                n += 1
                with capture_output() as cap:
                    res = shell.run_cell(cell.source, store_history=False)
                if res.error_in_exec is not None:
                    raise RuntimeError(f"{job.rel_html}: {res.error_in_exec!r}")
                outs = []
                if cap.stdout:
                    outs.append(nbformat.v4.new_output("stream", name="stdout",
                                                       text=cap.stdout))
                outs += [nbformat.v4.new_output("display_data", data=o.data,
                                                metadata=o.metadata) for o in cap.outputs]
                cell.outputs, cell.execution_count = outs, n
            job.html_path.parent.mkdir(parents=True, exist_ok=True)
            pages.write_page(nb, job)
    finally:
        os.chdir(here)
    return time.perf_counter() - t0


def naive_estimate(jobs, unduhan: bool) -> tuple[float, dict]:
    """Σ over report kinds of (pages of that kind × one naive run of it)."""
    kinds = collections.Counter(j.report for j in jobs)
    first = {}
    for j in jobs:
        first.setdefault(j.report, j)
    each = {}
    for report, job in first.items():
        _, err, secs = run_job(job, naive=True, unduhan=unduhan)
        if err:
            print(f"  naif gagal {job.rel_html}: {err}")
        each[report] = secs
    return sum(kinds[r] * s for r, s in each.items()), each


def naive_full_estimate(jobs, store: Path, tmp: Path) -> tuple[float, dict]:
    """Σ over page kinds of pages × (papermill page + `spektra report -o` per report of the
    page and per format), each command a process of its own."""
    from spektra_lib.reports import catalog
    kinds = collections.Counter(j.report for j in jobs)
    first = {}
    for j in jobs:
        first.setdefault(j.report, j)
    cli = [str(Path(sys.executable).with_name("spektra"))]      # the installed command
    each = {}
    for page, job in first.items():
        _, err, secs = run_job(job, naive=True, unduhan=False)
        if err:
            print(f"  naif gagal {job.rel_html}: {err}")
        scope = []
        for flag, value in (("--satker", job.scope.satker), ("--unit", job.scope.unit)):
            if value:
                scope += [flag, value]
        t0 = time.perf_counter()
        for name in catalog.laporan_halaman(page):
            accepted = set(catalog.LAPORAN[name].parameter)
            args = [a for i in range(0, len(scope), 2) for a in scope[i:i + 2]
                    if scope[i].lstrip("-") in accepted]
            for suffix in (".xlsx", ".docx", ".pdf"):
                proc = subprocess.run(
                    cli + ["report", name, "--tahun", str(TAHUN), "--bulan", str(BULAN),
                           "--store", str(store), *args, "-o", str(tmp / f"{name}{suffix}")],
                    capture_output=True, text=True)
                if proc.returncode:
                    print(f"  naif gagal spektra report {name}{suffix}: "
                          f"{proc.stderr.strip()[-200:]}")
        each[page] = secs + time.perf_counter() - t0
    return sum(kinds[r] * s for r, s in each.items()), each


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-downloads-only", action="store_true",
                    help="skip the part with xlsx/docx/pdf downloads")
    ap.add_argument("--paket-saja", action="store_true",
                    help="only the full pack with downloads (skip pages only)")
    ap.add_argument("--simpan", type=Path, help="keep the full pack in this folder")
    args = ap.parse_args()
    w = args.workers

    with tempfile.TemporaryDirectory(prefix="spektra-bench-") as tmp:
        tmp = Path(tmp)
        store = args.store or demo_store(tmp)
        jobs = jobs_for(store, tmp / "lb")
        n = len(jobs)
        print(f"Paket bulanan {BULAN:02d}/{TAHUN}: {n} halaman "
              f"({len({j.scope.slug for j in jobs})} scope), load {os.getloadavg()[0]:.1f}")
        common = dict(store_path=store, tahun=TAHUN, bulan=BULAN, progress=False, force=True)

        # -- pages only ---------------------------------------------------------------
        pages_only = not args.paket_saja
        if pages_only:
            r1 = render(out=tmp / "p1", unduhan=False, **common)
            shutdown_kernel()
            rw = render(out=tmp / "pw", unduhan=False, workers=w, **common)
            naive, each = naive_estimate(jobs_for(store, tmp / "pn"), unduhan=False)
        # -- the whole pack with downloads ------------------------------------------
        if not args.no_downloads_only:
            shutdown_kernel()
            full = render(out=tmp / "fw", workers=w, **common)
            again = render(store_path=store, tahun=TAHUN, bulan=BULAN, progress=False,
                           out=tmp / "fw")
            naive_full, each_full = naive_full_estimate(jobs_for(store, tmp / "fn"), store,
                                                        tmp / "cli")
            if args.simpan:
                shutil.copytree(tmp / "fw", args.simpan, dirs_exist_ok=True)
        # last: IPython's in-process shell replaces __main__, after which no process
        # pool can spawn
        lower = in_process(jobs) if pages_only else None

    if pages_only:
        s = sorted(r1.seconds.values())
        print("\nHalaman saja (HTML + .ipynb):")
        print(f"  jalur cepat, 1 proses          {r1.wall:8.1f} s  (median "
              f"{statistics.median(s):.2f} s/halaman, pertama {max(s):.1f} s, "
              f"{len(r1.failed)} gagal)")
        print(f"  jalur cepat, {w} proses          {rw.wall:8.1f} s  ({len(rw.failed)} gagal)")
        print(f"  batas bawah dalam proses       {lower:8.1f} s  (tanpa kernel)")
        print(f"  papermill naif (perkiraan)     {naive:8.1f} s  (per jenis: " + ", ".join(
            f"{k} {v:.1f}" for k, v in each.items()) + ")")
        print(f"  rasio naif / cepat {w} proses: {naive / rw.wall:.1f}×;  naif / cepat 1 "
              f"proses: {naive / r1.wall:.1f}×")
        print(f"  rasio cepat 1 proses / batas bawah: {r1.wall / lower:.2f}×;  "
              f"cepat {w} proses / batas bawah: {rw.wall / lower:.2f}×")
    if not args.no_downloads_only:
        print("\nPaket lengkap (halaman + xlsx/docx/pdf + zip dan PDF gabungan per scope):")
        print(f"  jalur cepat, {w} proses          {full.wall:8.1f} s  "
              f"({len(full.failed)} gagal)")
        print(f"  ulang, semua mutakhir          {again.wall:8.1f} s  "
              f"({len(again.skipped)} dilewati)")
        print(f"  naif: papermill + spektra report -o per format (perkiraan) "
              f"{naive_full:8.1f} s  (per halaman: " + ", ".join(
                  f"{k} {v:.1f}" for k, v in each_full.items()) + ")")
        print(f"  rasio naif / cepat {w} proses: {naive_full / full.wall:.1f}×")
    print(f"load average di akhir: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
