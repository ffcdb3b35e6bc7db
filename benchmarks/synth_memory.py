"""Peak memory of `spektra synth` and `spektra ingest` at national scale (issue 7).

    .venv/bin/python benchmarks/synth_memory.py --satker 1000 --format sakti adk --dir /tmp/h7a

Each step runs in its own process under `/usr/bin/time -v` (GNU time), which reports the
peak resident set size; wall time depends on the machine's other load, memory does not.
The data folders are deleted afterwards unless --keep (1,000 satker is 2.6 GB in SAKTI
CSV, about 4 GB in ADK XML).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


def measured(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one command."""
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    if res.returncode:
        sys.exit(res.stdout + res.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    h, m, s = (float(x or 0) for x in wall.groups())
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    return h * 3600 + m * 60 + s, peak / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--satker", type=int, default=1000)
    ap.add_argument("--format", nargs="+", default=["sakti", "adk"])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/synth_memory"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    py = sys.executable
    for fmt in args.format:
        out = args.dir / f"s{args.satker}_{fmt}"
        shutil.rmtree(out, ignore_errors=True)
        wall, peak = measured([py, "-m", "spektra_lib.cli", "synth", str(out),
                               "--satker", str(args.satker), "--format", fmt])
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**30
        print(f"synth  {fmt:6} {args.satker} satker: {wall:7.1f} s, peak {peak:7.0f} MB, "
              f"{size:.3f} GB written", flush=True)
        store = args.dir / f"s{args.satker}_{fmt}.duckdb"
        store.unlink(missing_ok=True)
        wall, peak = measured([py, "-m", "spektra_lib.cli", "ingest", str(out)],
                              env={**os.environ, "SPEKTRA_STORE": str(store)})
        print(f"ingest {fmt:6} {args.satker} satker: {wall:7.1f} s, peak {peak:7.0f} MB",
              flush=True)
        store.unlink(missing_ok=True)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
