"""Proyeksi penyerapan (issue 25): accuracy on synthetic history with planted patterns, and
the time and memory of forecasting every satker.

    .venv/bin/python benchmarks/proyeksi.py --satker 200 --tahun 6          # accuracy
    .venv/bin/python benchmarks/proyeksi.py --satker 1000 --tahun 4 --teknis 20 --cepat

Every year is `synth.riwayat.build_year` (the planted patterns of `spektra synth
--riwayat`: flat 51, back-loaded 52, Q4-heavy 53, noise, one late satker-year in eight),
loaded with Store.ingest. The accuracy is `uji_proyeksi`'s rolling-origin backtest: each
year from the second on, cutoff months 3–11, forecast from earlier years only; "otomatis"
is what the report would have shown (method and interval chosen from the backtest errors
of the years before, out of sample). Goals (issue 25):

- MAE at least 30 % below the run-rate's at months 6 and 9;
- MAE <= 5 points for 52 and 53 at month 6, <= 3 at month 9;
- recall >= 0.8 at precision >= 0.6 for "ends below 90 %" at month 9;
- every satker of a 1,000-satker agency forecast in under a minute, under 4 GB.

The forecast run is timed in its own process under /usr/bin/time -v (peak RSS).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spektra_lib.reports import proyeksi as rp          # noqa: E402
from spektra_lib.store import Store                     # noqa: E402
from spektra_lib.synth import budget                    # noqa: E402
from spektra_lib.synth.riwayat import build_year        # noqa: E402


def build(path: Path, n_satker: int, years: list[int], teknis: int, seed: int) -> float:
    path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    satker = budget.satker_frame(n_satker, np.random.default_rng(seed))
    with Store(path) as s:
        for y in years:
            s.ingest(build_year(satker, y, seed=seed, teknis=teknis), layout="kanonik",
                     source=f"benchmark {y}")
    return time.perf_counter() - t0


def measured(code: str) -> tuple[float, float, str]:
    res = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-c", code],
                         capture_output=True, text=True, cwd=ROOT)
    if res.returncode:
        sys.exit(res.stdout + res.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    h, m, s = (float(x or 0) for x in wall.groups())
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    return h * 3600 + m * 60 + s, peak / 1024, res.stdout.strip()


def pct(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def accuracy(store_path: Path) -> None:
    with Store(store_path, read_only=True) as s:
        t0 = time.perf_counter()
        # "ends below 90 %" (the goal's line) for every series, whatever the rule year says
        g = rp.uji_proyeksi(s, rinci=True, batas={j: 90.0 for j in ("", *rp.JENIS)})
        print(f"uji-proyeksi (rolling origin, {g['tahun'].nunique()} tahun uji, "
              f"{g['kode_satker'].nunique()} satker): {time.perf_counter() - t0:.1f} s")
    g["ae"] = g["galat"].abs()
    tab = g[g["bulan"].isin([3, 6, 9, 11])].pivot_table(
        index=["bulan", "jenis_belanja"], columns="metode", values="ae", aggfunc="mean")
    tab.index = tab.index.set_levels([tab.index.levels[0],
                                      [j or "semua" for j in tab.index.levels[1]]])
    print("\nMAE (poin persen pagu) per metode, bulan, jenis belanja:")
    print(tab.round(2).to_string())
    auto = g[g["metode"] == "otomatis"]
    rr = g[g["metode"] == "run_rate"]
    print("\nTujuan:")
    for m in (6, 9):
        a, b = auto[auto["bulan"] == m]["ae"].mean(), rr[rr["bulan"] == m]["ae"].mean()
        print(f"  bulan {m}: MAE otomatis {pct(a)} vs run-rate {pct(b)} poin: "
              f"{pct((1 - a / b) * 100)} % lebih kecil (tujuan >= 30 %) "
              f"{'TERCAPAI' if a <= 0.7 * b else 'TIDAK'}")
    for m, goal in ((6, 5), (9, 3)):
        for j in ("52", "53"):
            a = auto[(auto["bulan"] == m) & (auto["jenis_belanja"] == j)]["ae"].mean()
            print(f"  {j} bulan {m}: MAE {pct(a)} poin (tujuan <= {goal}) "
                  f"{'TERCAPAI' if a <= goal else 'TIDAK'}")
    for label, jbs in (("satker keseluruhan", ("",)), ("seri 52 dan 53", ("52", "53"))):
        nine = auto[(auto["bulan"] == 9) & auto["jenis_belanja"].isin(jbs)]
        truth = nine["akhir"] < 90
        print(f"  berakhir di bawah 90 % ({label}, bulan 9): {int(truth.sum())} dari "
              f"{len(nine)} seri-tahun")
        for name, flag in (("berisiko (P50 < 90)", nine["proyeksi"] < 90),
                           ("bukan aman (P10 < 90)", nine["p10"] < 90),
                           ("peluang di bawah >= ambang tahun lalu", nine["tanda"].eq(True))):
            tp = int((flag & truth).sum())
            prec = tp / max(int(flag.sum()), 1)
            rec = tp / max(int(truth.sum()), 1)
            ok = rec >= 0.8 and prec >= 0.6
            print(f"    tanda {name}: presisi {pct(prec)}, recall {pct(rec)} "
                  f"{'TERCAPAI' if ok else 'TIDAK'}")
    for y, d in auto[(auto["bulan"] == 9) & (auto["jenis_belanja"] == "")].groupby("tahun"):
        t, f = d["akhir"] < 90, d["tanda"].eq(True)
        print(f"    {y}: berakhir < 90 % {int(t.sum())}, ditandai {int(f.sum())}, "
              f"benar {int((t & f).sum())}")
    cover = ((auto["akhir"] >= auto["p10"] - 1e-9) & (auto["akhir"] <= auto["p90"] + 1e-9))
    print(f"  cakupan P10–P90 (otomatis, semua bulan): {pct(cover.mean() * 100)} % "
          "(sasaran sekitar 80 %)")
    print("  metode dipilih (bulan 6 / 9):",
          auto[auto["bulan"].isin([6, 9])].groupby(["bulan", "jenis_belanja"])["dipilih"]
          .agg(lambda x: x.value_counts().index[0]).to_dict())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--satker", type=int, default=200)
    ap.add_argument("--tahun", type=int, default=6, help="jumlah tahun (riwayat + terakhir)")
    ap.add_argument("--teknis", type=int, default=30, help="item teknis per kanreg")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--store", type=Path, default=Path("/tmp/bench_proyeksi.duckdb"))
    ap.add_argument("--cepat", action="store_true", help="waktu dan memori saja")
    ap.add_argument("--pakai-store", action="store_true",
                    help="pakai --store yang sudah dibuat run sebelumnya (sama --satker/--tahun)")
    args = ap.parse_args()
    years = list(range(2023 - args.tahun, 2023))
    secs = 0.0 if args.pakai_store else build(args.store, args.satker, years, args.teknis,
                                              args.seed)
    with Store(args.store, read_only=True) as s:
        items = s.scalar("SELECT count(*) FROM pok")
        lines = s.scalar("SELECT count(*) FROM realisasi")
    print(f"store: {args.satker} satker, tahun {years[0]}–{years[-1]}, {items:,} item, "
          f"{lines:,} baris realisasi, dibuat dalam {secs:.0f} s")
    code = ("import time; from spektra_lib.store import Store; "
            "from spektra_lib.reports.proyeksi import proyeksi_penyerapan; "
            "from spektra_lib.reports.selection import Selection; "
            f"s = Store({str(args.store)!r}, read_only=True); t = time.perf_counter(); "
            f"df = proyeksi_penyerapan(s, Selection(tahun={years[-1]}, bulan=6)); "
            "print(len(df), df['kode_satker'].nunique(), round(time.perf_counter() - t, 2))")
    wall, peak, out = measured(code)
    rows, n_sat, inner = out.split()
    print(f"proyeksi_penyerapan bulan 6, seluruh satker: {n_sat} satker, {rows} baris, "
          f"{inner} s di dalam proses ({wall:.1f} s dengan impor), puncak {peak:.0f} MB "
          f"(tujuan < 60 s, < 4096 MB)")
    if not args.cepat:
        accuracy(args.store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
