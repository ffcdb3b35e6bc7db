"""N concurrent anonymous dashboard requests through `spektra serve --login` (loopback only).

    python benchmarks/voila_load.py STORE [--n 20] [--setelah 60]

Starts the stack, waits for the preheated pool, fires N requests at once, samples the
kernels alive and the RSS of Voilà plus its kernels every 0.5 s, and again `--setelah`
seconds later (culling). Prints status codes, latency p50/p95, kernels and RSS idle /
peak / after. Bounded: requests time out after 180 s, the stack is always torn down.
Run with an older checkout on PYTHONPATH to measure it the same way.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import statistics
import threading
import time
from pathlib import Path

import httpx


def _tree(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for e in Path("/proc").iterdir():
        if e.name.isdigit():
            try:
                f = (e / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kids.setdefault(int(f[1]), []).append(int(e.name))
    out, todo = [pid], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def _rss_mb(pids) -> float:
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def sample(voila_pid: int) -> tuple[int, float]:
    pids = _tree(voila_pid)
    return len(pids) - 1, _rss_mb(pids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--setelah", type=float, default=60)
    args = ap.parse_args()
    os.environ.setdefault("SPEKTRA_SANDI", "beban")
    from spektra_lib.serve import free_port, running
    with running(free_port(), login=True, store=args.store, host="127.0.0.1",
                 announce=lambda s: None) as stack:
        voila = stack.procs[0].pid
        time.sleep(20)                              # the preheated pool fills
        idle = sample(voila)
        peak = [idle]
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                peak.append(sample(voila))
                time.sleep(0.5)
        url = stack.url + "/voila/render/dashboard.ipynb"

        def one(_):
            t = time.monotonic()
            try:
                r = httpx.get(url, timeout=180)
                return r.status_code, time.monotonic() - t
            except httpx.HTTPError:
                return 0, time.monotonic() - t
        w = threading.Thread(target=watch)
        w.start()
        with concurrent.futures.ThreadPoolExecutor(args.n) as ex:
            results = list(ex.map(one, range(args.n)))
        done = sample(voila)
        time.sleep(args.setelah)
        stop.set()
        w.join()
        after = sample(voila)
    codes: dict[int, int] = {}
    for c, _ in results:
        codes[c] = codes.get(c, 0) + 1
    ok = sorted(t for c, t in results if c == 200)
    allt = sorted(t for _, t in results)
    q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")  # noqa: E731
    print(f"permintaan: {args.n} serentak, kode: {dict(sorted(codes.items()))}")
    print(f"waktu semua p50 {statistics.median(allt):.1f} s, p95 {q(allt, .95):.1f} s; "
          f"yang 200: p50 {statistics.median(ok) if ok else float('nan'):.1f} s")
    print(f"kernel: diam {idle[0]}, puncak {max(k for k, _ in peak)}, selesai {done[0]}, "
          f"{args.setelah:.0f} s kemudian {after[0]}")
    print(f"RSS Voilà+kernel: diam {idle[1]:.0f} MB, puncak {max(m for _, m in peak):.0f} MB, "
          f"{args.setelah:.0f} s kemudian {after[1]:.0f} MB")


if __name__ == "__main__":
    main()
