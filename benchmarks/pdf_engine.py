"""PDF engines on Debian's Chromium: the former DevTools-pipe client (export/browser.py
before Playwright replaced it, read from git) vs
Playwright's `page.pdf`, the same HTML pages, one process, one run.

    python benchmarks/pdf_engine.py [--store PATH] [--n 20] [--rounds 2]

The pages are the export pages (export/html_page.py) of real reports of the demo agency
(deviasi detail, realisasi POK, realisasi akun, monitoring SPP over several satker). Each
engine starts its browser once and prints every page; rounds alternate the engines so
machine noise falls on both. Prints per engine: start, total, per PDF (p50 / max), total
size, and whether every PDF has the same page count under both engines.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPORTS = ("deviasi_detail", "realisasi_pok", "realisasi_akun", "monitoring_spp")


def pages(store_path: Path, n: int, out: Path) -> list[Path]:
    from spektra_lib import reports
    from spektra_lib.export import build_meta
    from spektra_lib.export.charts import chart_for, svg
    from spektra_lib.export.common import grids
    from spektra_lib.export.html_page import render
    from spektra_lib.store import Store
    files = []
    with Store(store_path, read_only=True) as store:
        satker = list(store.sql("SELECT kode_satker FROM satker ORDER BY kode_satker")
                      ["kode_satker"])
        i = 0
        while len(files) < n:
            report, kode = REPORTS[i % len(REPORTS)], satker[(i // len(REPORTS)) % len(satker)]
            params = dict(tahun=2022, bulan=5, satker=kode)
            df = reports.run(report, store, **params)
            chart = chart_for(report, df)
            html = render(grids(df, report, full=False), build_meta(store, report, df, **params),
                          charts_svg=[svg(chart)] if chart else [])
            f = out / f"{i:02d}-{report}-{kode}.html"
            f.write_text(html, encoding="utf-8")
            files.append(f)
            i += 1
    return files


# The DevTools-pipe client, as it was before Playwright replaced it (read from git).
DEVTOOLS_COMMIT = "efa8ca0"


def _devtools_browser():
    import types
    src = subprocess.run(["git", "show", f"{DEVTOOLS_COMMIT}:spektra_lib/export/browser.py"],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    mod = types.ModuleType("devtools_browser")
    exec(compile(src, "devtools_browser.py", "exec"), mod.__dict__)
    return mod.Browser


def devtools(files: list[Path], out: Path) -> tuple[float, list[float]]:
    from spektra_lib.export.pdf import BROWSER_FLAGS, chromium
    Browser = _devtools_browser()
    t0 = time.perf_counter()
    b = Browser(chromium(), BROWSER_FLAGS)
    times = []
    try:
        for f in files:
            t = time.perf_counter()
            b.print_pdf(f, out / (f.stem + ".devtools.pdf"))
            times.append(time.perf_counter() - t)
    finally:
        b.close()
    return time.perf_counter() - t0, times


def playwright(files: list[Path], out: Path) -> tuple[float, list[float]]:
    from playwright.sync_api import sync_playwright

    from spektra_lib.export.pdf import BROWSER_FLAGS, chromium
    t0 = time.perf_counter()
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(),
                                    args=[f for f in BROWSER_FLAGS if f != "--headless"])
        for f in files:
            t = time.perf_counter()
            page = browser.new_page()
            page.goto(f.as_uri(), wait_until="load")
            page.pdf(path=out / (f.stem + ".playwright.pdf"), print_background=True,
                     prefer_css_page_size=True, tagged=False)
            page.close()
            times.append(time.perf_counter() - t)
        browser.close()
    return time.perf_counter() - t0, times


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, default=Path("data/spektra.duckdb"))
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="spektra-pdf-bench-") as tmp:
        out = Path(tmp)
        files = pages(a.store, a.n, out)
        results: dict[str, list] = {"devtools": [], "playwright": []}
        for r in range(a.rounds):
            order = ("devtools", "playwright") if r % 2 == 0 else ("playwright", "devtools")
            for name in order:
                total, times = {"devtools": devtools, "playwright": playwright}[name](files, out)
                results[name].append((total, times))
        print(f"{len(files)} PDF per engine, {a.rounds} rounds (alternating)")
        print("| engine | total per round (s) | start+stop (s) | per PDF p50 / max (s) | size (MB) |")
        print("|---|---|---|---|---|")
        for name, runs in results.items():
            totals = [t for t, _ in runs]
            per = [x for _, ts in runs for x in ts]
            overhead = statistics.median(t - sum(ts) for t, ts in runs)
            size = sum(p.stat().st_size for p in out.glob(f"*.{name}.pdf")) / 1e6
            print(f"| {name} | {' / '.join(f'{t:.1f}' for t in totals)} | {overhead:.1f} | "
                  f"{statistics.median(per):.2f} / {max(per):.2f} | {size:.1f} |")
        same = all(page_count(out / (f.stem + ".devtools.pdf"))
                   == page_count(out / (f.stem + ".playwright.pdf")) for f in files)
        pages_total = sum(page_count(out / (f.stem + ".devtools.pdf")) for f in files)
        print(f"page counts equal for every file: {same} ({pages_total} pages in all)")
        ratio = statistics.median(t for t, _ in results["playwright"]) / \
            statistics.median(t for t, _ in results["devtools"])
        print(f"playwright / devtools total: {ratio:.2f}")


if __name__ == "__main__":
    main()
