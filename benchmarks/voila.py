"""Warm time from request to a drawn dashboard chart under `spektra serve`, in Chromium.

    .venv/bin/python benchmarks/voila.py [--loads 8] [--store data/spektra.duckdb] [--login]
                                         [--interaktif] [--pause 25]

By default the page is the drawn snapshot (serve/snapshot.py: no kernel for the visitor);
--interaktif opens `?interaktif=1`, the live Voilà page on a preheated kernel (then keep
--pause long enough for the pool to refill, ~20 s on 2 cores).

Opens /voila/render/dashboard.ipynb in Debian Chromium (Playwright) repeatedly and waits
for the first chart's <svg>/<canvas> drawn by vega-embed. The first load is reported on
its own (browser cache cold); median and p95 are over the warm ones, each after the pool
refilled. Each load also shows when the page's HTML ended (the kernel ran every cell:
server side) and the load average, since on 2 cores anything else running shows here.
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--loads", type=int, default=8)
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--login", action="store_true", help="through the nginx proxy")
    ap.add_argument("--pause", type=float, default=25.0, help="seconds for the pool to refill (2 cores: ~20 s)")
    ap.add_argument("--interaktif", action="store_true", help="the live Voilà page (?interaktif=1)")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from spektra_lib.serve import free_port, running

    times, html_end, remote = [], [], []
    load_start = os.getloadavg()
    with running(free_port(), login=args.login, store=args.store, host="127.0.0.1",
                 pools={"default": 0, "dashboard.ipynb": 1}, announce=lambda s: None) as stack, \
            sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        url = stack.url + "/voila/render/dashboard.ipynb" + ("?interaktif=1" if args.interaktif else "")
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        ctx.route("**/*", lambda route: route.abort()
                  if not route.request.url.startswith(stack.url) and
                  not route.request.url.startswith("data:") else route.continue_())
        ctx.on("request", lambda r: remote.append(r.url)
               if r.url.startswith("http") and not r.url.startswith(stack.url) else None)
        time.sleep(args.pause * 2)                      # let the first pool kernel preheat
        for i in range(args.loads + 1):
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=120_000)
            times.append(time.perf_counter() - t0)
            html_end.append(page.evaluate(
                "performance.getEntriesByType('navigation')[0].responseEnd") / 1000)
            page.close()
            print(f"muat {i}: {times[-1]:.2f} dtk (HTML selesai {html_end[-1]:.2f} dtk; "
                  f"beban {os.getloadavg()[0]:.1f})", flush=True)
            time.sleep(args.pause)
        ctx.close()
    warm = times[1:]
    p95 = sorted(warm)[max(0, round(0.95 * len(warm)) - 1)]
    load_end = os.getloadavg()
    print(f"pertama {times[0]:.2f} dtk; hangat n={len(warm)} median "
          f"{statistics.median(warm):.2f} dtk, p95 {p95:.2f} dtk (HTML selesai median "
          f"{statistics.median(html_end[1:]):.2f} dtk); permintaan ke luar: {len(remote)}; "
          f"beban rata-rata 1 mnt {load_start[0]:.1f} → {load_end[0]:.1f} "
          f"(5 mnt {load_start[1]:.1f} → {load_end[1]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
