"""Incremental render at national scale (issue 14 §8): after one satker's monthly realisasi
update, which pages are made again and how long that takes against the full monthly run.

    .venv/bin/python benchmarks/render_incremental.py --satker 1000 \
        [--laporan dashboard,rekap_jenis_belanja] [--workers 2] [--store /tmp/s1000.duckdb] \
        [--sampel 4] [--sampel-pusat] [--tanpa dashboard]

A full render of every report for 1,000 satker is ~9,100 pages (hours on 2 shared cores),
so what is measured, in one run, is:

1. `penuh`: `render()` of the `--laporan` subset for every scope (an empty site), pages
   only (`unduhan=False`), `--workers` processes.
2. `tanpa perubahan`: the same again with nothing changed: the fixed cost of a run
   (plan, the grouped scope fingerprints, the up-to-date check, the index pages).
3. One satker's monthly update: its realisasi with one more line, through `ingest_path`
   (the copy+swap ingest), then `inkremental`: the same subset again. Ratio 1 / 3.
4. Every report (the whole monthly matrix of the store, N pages), not rendered in full:
   - the up-to-date check of all N jobs (`runner.stale`: fingerprints + keys + file
     checks) timed alone, and the fingerprints alone;
   - `berubah (semua laporan)`: the pages of every report that the update changes (the
     satker's and the agency-wide ones) rendered into an empty site, wall time;
   - the incremental run of every report is estimated as that wall + the check of all N
     jobs + the fixed cost of step 2 (an over-estimate: step 2 already holds a check);
   - the full monthly run is estimated from per-page times: each page's own run time
     (RenderResult.seconds) from step 1, the changed pages and a sample (`--sampel`
     satker; with `--sampel-pusat` also the central satker and its unit kerja), averaged
     per report and scope kind (else per report), summed over the N pages and divided by
     `--workers`; the same estimator on step 1's pages is printed beside step 1's
     measured wall to show how it fares.
   - `--tanpa R`: report R is left out of the changed pages, the sample and both
     estimates (its page count is printed): for a page too slow to render here in the
     time available, timed on its own instead (benchmarks/README.md).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

from spektra_lib import schema
from spektra_lib.ingest import ingest_path
from spektra_lib.posisi import scope_fingerprints
from spektra_lib.render import render, runner
from spektra_lib.render.matrix import load_matrix, plan, scopes_from_store
from spektra_lib.synth.write import write
from spektra_lib.store import Store

TAHUN, BULAN = 2022, 5


def build(path: Path, n_satker: int | None) -> None:
    from spektra_lib.synth import build_tables
    tables = build_tables(tahun=TAHUN, n_satker=n_satker)
    with Store(path) as st:
        st.ingest(tables, layout="kanonik", source="benchmarks/render_incremental.py")


def kind(rel: str, scopes: dict) -> str:
    """'semua', 'pusat', 'unit' or 'satker' for a page path <t>/<mm>/<slug>/<report>.html."""
    s = scopes[rel.split("/")[2]]
    return "pusat" if s.pusat else s.kind


def step_done(label: str, r) -> None:
    """Each step as it ends (a long run stopped midway still tells what it measured)."""
    slow = sorted(r.seconds.items(), key=lambda kv: -kv[1])[:3]
    print(f"[{time.strftime('%H:%M:%S')}] {label}: {len(r.done)} dibuat, {len(r.skipped)} "
          f"dilewati, {len(r.failed)} gagal, {r.wall:.1f} dtk, load {os.getloadavg()[0]:.1f}; "
          f"terlama {[(k, round(v, 1)) for k, v in slow]}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--satker", type=int, default=1000)
    ap.add_argument("--laporan", default="dashboard,rekap_jenis_belanja")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--store", type=Path, default=None,
                    help="a store of --satker satker to start from (copied; built if absent)")
    ap.add_argument("--sampel", type=int, default=4)
    ap.add_argument("--sampel-pusat", action="store_true",
                    help="the sample also renders the central satker and its unit kerja pages")
    ap.add_argument("--tanpa", default="",
                    help="reports left out of the changed pages and the sample (e.g. dashboard, "
                         "timed apart); their pages are left out of the estimates and named")
    args = ap.parse_args()
    laporan = tuple(args.laporan.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-render-inc-") as tmp:
        tmp = Path(tmp)
        store = tmp / "s.duckdb"
        t0 = time.perf_counter()
        if args.store and args.store.exists():
            shutil.copyfile(args.store, store)
        else:
            build(store, args.satker)
            if args.store:
                shutil.copyfile(store, args.store)
        print(f"store {args.satker} satker: {time.perf_counter() - t0:.1f} dtk, "
              f"{store.stat().st_size / 1e6:.0f} MB")
        # the notebooks as they are now: an edit during the run (a shared checkout) would
        # make every page of that notebook stale and spoil the comparison
        notebooks = tmp / "notebooks"
        shutil.copytree(runner.NOTEBOOKS, notebooks)
        kw = dict(store_path=store, tahun=TAHUN, bulan=BULAN, progress=False,
                  workers=args.workers, unduhan=False, notebooks=notebooks)
        site = tmp / "site"

        print(f"load awal {os.getloadavg()[0]:.1f}")
        full = render(reports=laporan, out=site, **kw)
        step_done("penuh", full)
        same = render(reports=laporan, out=site, **kw)
        step_done("tanpa perubahan", same)

        # one satker's monthly update: its realisasi with one more line
        with Store(store, read_only=True) as st:
            satker = st.scalar("SELECT max(kode_satker) FROM satker")
            mine = st.sql("SELECT * FROM realisasi WHERE tahun = $t AND kode_satker = $s "
                          "ORDER BY tanggal", {"t": TAHUN, "s": satker})
        mine = mine[schema.TABLES["realisasi"].names]
        extra = mine.iloc[[-1]].assign(nilai=1_000_000.0, tanggal=pd.Timestamp("2022-05-30"))
        write({"realisasi": pd.concat([mine, extra])}, tmp / "upd", "kanonik")
        t0 = time.perf_counter()
        with Store(store) as st:
            ingest_path(tmp / "upd", st)
        t_ingest = time.perf_counter() - t0
        inc = render(reports=laporan, out=site, **kw)
        step_done("inkremental", inc)

        # every report: the check of all N jobs, and the pages the update changes
        with Store(store, read_only=True) as st:
            scopes = scopes_from_store(st)
            jobs = plan(scopes, load_matrix(), tahun=TAHUN, bulan=BULAN, store=store, out=site,
                        notebooks=notebooks)
            t0 = time.perf_counter()
            scope_fingerprints(st, TAHUN)
            t_prints = time.perf_counter() - t0
            st.__dict__.pop("_scope_prints", None)       # time the check with its fingerprints
            t0 = time.perf_counter()
            todo, _ = runner.stale(jobs, st, runner.load_manifest(site), unduhan=False)
            t_check = time.perf_counter() - t0
        tanpa = set(filter(None, args.tanpa.split(",")))
        semua = tuple(sorted({j.report for j in jobs} - tanpa))
        changed = render(satker=(satker, "semua"), reports=semua, out=tmp / "berubah", **kw)
        step_done("berubah (semua laporan)", changed)
        pusat = next(s.satker for s in scopes if s.pusat)
        others = [s.satker for s in scopes if s.kind == "satker" and not s.pusat
                  and s.satker != satker]
        step = max(1, len(others) // max(1, args.sampel))
        chosen = ((pusat,) if args.sampel_pusat else ()) + tuple(others[::step][:args.sampel])
        sample = render(satker=chosen, reports=semua, out=tmp / "sampel", **kw)
        step_done("sampel", sample)

        by_slug = {s.slug: s for s in scopes}
        per: dict[tuple, list] = defaultdict(list)
        for r in (full, changed, sample):
            for rel, secs in r.seconds.items():
                per[(Path(rel).stem, kind(rel, by_slug))].append(secs)
        per_report: dict[str, list] = defaultdict(list)
        for (rep, _), v in per.items():
            per_report[rep] += v

        def page_secs(rel: str) -> float:
            v = per.get((Path(rel).stem, kind(rel, by_slug))) or per_report[Path(rel).stem]
            return statistics.mean(v)

        est_subset = sum(full.seconds.values()) / args.workers
        counted = [j for j in jobs if j.report not in tanpa]
        est_all = sum(page_secs(j.rel_html) for j in counted) / args.workers
        inc_all = changed.wall + t_check + same.wall

        print(f"load akhir {os.getloadavg()[0]:.1f}")
        print(f"laporan {','.join(laporan)}, {args.workers} worker, satker diperbarui {satker} "
              f"(ingest {t_ingest:.1f} dtk)")
        print(f"penuh           : {len(full.done)} dibuat, {len(full.skipped)} dilewati, "
              f"{full.wall:.1f} dtk (taksiran dari waktu per halaman: {est_subset:.1f} dtk)")
        print(f"tanpa perubahan : {len(same.done)} dibuat, {len(same.skipped)} dilewati, "
              f"{same.wall:.1f} dtk")
        print(f"inkremental     : {len(inc.done)} dibuat, {len(inc.skipped)} dilewati, "
              f"{inc.wall:.1f} dtk")
        for rel, secs in sorted(inc.seconds.items()):
            print(f"  {rel}: {secs:.1f} dtk")
        print(f"rasio penuh / inkremental (subset, terukur): {full.wall / inc.wall:.1f}×")
        print(f"semua laporan: {len(jobs)} halaman; sidik lingkup {t_prints:.2f} dtk; "
              f"pemeriksaan mutakhir {len(jobs)} halaman {t_check:.2f} dtk "
              f"({len(todo)} belum mutakhir di situs subset)")
        print(f"berubah (semua laporan): {len(changed.done)} halaman, {changed.wall:.1f} dtk; "
              f"sampel {len(sample.done)} halaman, {sample.wall:.1f} dtk")
        for rel, secs in sorted(changed.seconds.items()):
            print(f"  {rel}: {secs:.1f} dtk")
        for (rep, k), v in sorted(per.items()):
            print(f"  {rep:22s} {k:7s} {len(v):5d} halaman, rerata {statistics.mean(v):.2f} dtk")
        print(f"taksiran render penuh semua laporan: {est_all:.0f} dtk ({est_all / 60:.1f} menit) "
              f"untuk {len(counted)} halaman" + (f"; tanpa {sorted(tanpa)}: "
              f"{len(jobs) - len(counted)} halaman" if tanpa else ""))
        print(f"taksiran inkremental semua laporan: {inc_all:.1f} dtk "
              f"(berubah {changed.wall:.1f} + periksa {t_check:.1f} + tetap {same.wall:.1f})")
        print(f"rasio penuh / inkremental (semua laporan, taksiran): {est_all / inc_all:.1f}×")
        if len(full.failed) + len(inc.failed) + len(changed.failed) + len(sample.failed):
            print("GAGAL:", full.failed[:3], inc.failed[:3], changed.failed[:3],
                  sample.failed[:3])


if __name__ == "__main__":
    main()
