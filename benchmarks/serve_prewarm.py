"""The pages `spektra serve` draws ahead after an ingest (issue 26 §6): how many, and how
long, for the users of akses.yaml (plus, with --dua, a User of two satker).

    .venv/bin/python benchmarks/serve_prewarm.py STORE [--dua 017234,017235] [--batas N]

Builds the plan the server builds (snapshot.prewarm_plan with each user's menu, as
backend.Service.menu gives it), then draws it with one builder kernel (the server's
default `potret_kernel`), as the server does: one page at a time. Prints the number of
pages per step of the plan, the total time, and p50 / max per page.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store", type=Path)
    ap.add_argument("--dua", default="", help="satker of an added User of several, comma list")
    ap.add_argument("--batas", type=int, default=0, help="draw only the first N pages")
    args = ap.parse_args()
    # benchmarks/voila.py would shadow the voila package
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]

    from spektra_lib.access import NOTEBOOK_DIR, load_policy, notebooks_for
    from spektra_lib.serve import pages
    from spektra_lib.serve.backend import bisa_dibuka
    from spektra_lib.serve.snapshot import Snapshots, audience
    from spektra_lib.store import Access

    policy = load_policy()
    accesses = list(policy.users.values())
    if args.dua:
        accesses.append(Access("user", satker=args.dua.split(","), nama="Dua"))

    def menu(access):
        allowed = bisa_dibuka(access, notebooks_for(access, policy, NOTEBOOK_DIR))
        return [n for _, items in pages.menu_groups() for n, _ in items if n in allowed]

    snaps = Snapshots(NOTEBOOK_DIR, args.store, Path(tempfile.mkdtemp(prefix="prewarm-")))
    plan = snaps.prewarm_plan(accesses, menu)
    if args.batas:
        plan = plan[:args.batas]
    per_aud: dict[str, int] = {}
    for _, _, a in plan:
        per_aud[audience(a)] = per_aud.get(audience(a), 0) + 1
    print(f"Rencana: {len(plan)} halaman; per audiens: {per_aud}")

    times: list[float] = []

    async def draw():
        for name, query, access in plan:
            t = time.monotonic()
            r = snaps.resolve(name, query, access)
            if r.key and not snaps.has(r.key):
                await snaps.drawn(name, r, access)
                times.append(time.monotonic() - t)

    t0 = time.monotonic()
    try:
        asyncio.run(draw())
    finally:
        snaps.close()
    total = time.monotonic() - t0
    print(f"Digambar {len(times)} halaman dalam {total:.0f} s; per halaman p50 "
          f"{statistics.median(times):.2f} s, maks {max(times):.2f} s")


if __name__ == "__main__":
    main()
