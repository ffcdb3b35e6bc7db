"""Contracts, tagihan and UP/TUP at national scale (issue 23).

    PYTHONPATH=. .venv/bin/python benchmarks/kontrak.py --satker 1000 --kontrak 50 --dir /tmp/bk

Writes a canonical folder of N satker with K contracts each (each paid in 1–4 termin, every
payment with its BAST; monthly GUP, a few TUP with GTUP NIHIL and deposits), then, each in
its own process under `/usr/bin/time -v` (GNU time: peak resident set size):

1. `spektra ingest` of the folder into a fresh store;
2. the reports kontrak, tagihan, up_tup for the whole agency (bulan 12), and for one satker;
3. the three IKPA indicators (reports/ikpa_kontrak.py) for every satker.

Prints wall time and peak RSS per step; the store and folder are deleted unless --keep.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd


def write_folder(out: Path, n_satker: int, n_kontrak: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    kode = np.array([f"{900000 + i:06d}" for i in range(n_satker)], dtype=object)
    pd.DataFrame({"kode_satker": kode, "nama_satker": [f"Satker Uji {i}" for i in range(n_satker)],
                  "kelompok": "KANREG"}).to_csv(out / "satker.csv", index=False)
    n = n_satker * n_kontrak
    s = np.repeat(np.arange(n_satker), n_kontrak)
    seq = np.tile(np.arange(1, n_kontrak + 1), n_satker)
    signed = np.datetime64("2021-12-15") + rng.integers(0, 300, n).astype("timedelta64[D]")
    termin = rng.integers(1, 5, n)
    nilai = np.round(rng.uniform(20e6, 900e6, n), -3)
    no = [f"KTR-{kode[a]}-{b:03d}" for a, b in zip(s, seq)]
    reg = np.busday_offset(signed, rng.integers(1, 6, n), roll="forward")
    kontrak = pd.DataFrame({
        "tahun": 2022, "kode_satker": kode[s], "no_kontrak": no, "tgl_kontrak": signed,
        "uraian": "Pengadaan barang", "kode_akun": rng.choice(["521211", "522151", "532111",
                                                               "533111"], n),
        "nilai_kontrak": nilai, "penyedia": "PT Uji", "tgl_register_kppn": reg,
        "cara_bayar": np.where(termin > 1, "termin", "sekaligus"), "jumlah_termin": termin})
    kontrak.to_csv(out / "kontrak.csv", index=False)
    # payments: every termin paid except the last of one contract in five
    paid = termin - (rng.random(n) < 0.2).astype(int)
    k = np.repeat(np.arange(n), np.maximum(paid, 0))
    j = np.concatenate([np.arange(p) for p in np.maximum(paid, 0)])
    spm = np.minimum(signed[k] + (30 * (j + 1) + rng.integers(0, 25, len(k))).astype("timedelta64[D]"),
                     np.datetime64("2022-12-20"))
    spm = np.maximum(spm, np.datetime64("2022-01-05"))
    spm = np.busday_offset(spm, 0, roll="backward")
    bast = np.busday_offset(spm, -rng.integers(2, 24, len(k)), roll="backward")
    ls = pd.DataFrame({"kode_satker": kode[s[k]], "kode_unit": "",
                       "no_spp": [f"L{i:07d}" for i in range(len(k))], "tgl_spp": spm,
                       "no_spm": [f"M{i:07d}" for i in range(len(k))], "tgl_spm": spm,
                       "no_sp2d": [f"S{i:07d}" for i in range(len(k))],
                       "tgl_sp2d": np.busday_offset(spm, 2, roll="forward"),
                       "uraian": "Termin", "jenis_spp": "LS",
                       "nilai": np.round(nilai[k] / termin[k], 2), "status": "Upload SP2D",
                       "no_kontrak": np.array(no, dtype=object)[k], "tgl_bast": bast})
    # UP in January, 2 GUP a month, 3 TUP with their GTUP NIHIL and a deposit
    rows = []
    for m in range(1, 13):
        for kind, day, amount in (("UP", 5, 100e6),) if m == 1 else (("GUP", 8, 40e6), ("GUP", 22, 30e6)):
            rows.append((kind, np.datetime64(f"2022-{m:02d}-{day:02d}"), amount))
    for m in (4, 8, 10):
        rows += [("TUP", np.datetime64(f"2022-{m:02d}-04"), 60e6),
                 ("GTUP NIHIL", np.datetime64(f"2022-{m + 1:02d}-{12 if m == 8 else 2:02d}"), 55e6)]
    base = pd.DataFrame(rows, columns=["jenis_spp", "tgl", "nilai"])
    up = base.loc[base.index.repeat(n_satker)].reset_index(drop=True)
    up["kode_satker"] = np.tile(kode, len(base))
    tgl = np.busday_offset(up["tgl"].to_numpy("datetime64[D]"), 0, roll="forward")
    up = pd.DataFrame({"kode_satker": up["kode_satker"], "kode_unit": "",
                       "no_spp": [f"U{i:07d}" for i in range(len(up))], "tgl_spp": tgl,
                       "no_spm": [f"V{i:07d}" for i in range(len(up))], "tgl_spm": tgl,
                       "no_sp2d": [f"W{i:07d}" for i in range(len(up))], "tgl_sp2d": tgl,
                       "uraian": up["jenis_spp"], "jenis_spp": up["jenis_spp"],
                       "nilai": up["nilai"], "status": "Upload SP2D", "no_kontrak": None,
                       "tgl_bast": pd.NaT})
    spp = pd.concat([ls, up], ignore_index=True)
    spp.to_csv(out / "spp.csv", index=False, date_format="%Y-%m-%d")
    gt = spp[spp["jenis_spp"] == "GTUP NIHIL"]
    setoran = pd.DataFrame({"tahun": 2022, "kode_satker": gt["kode_satker"],
                            "tanggal": np.busday_offset(gt["tgl_sp2d"].to_numpy("datetime64[D]"),
                                                        2, roll="forward"),
                            "jenis": "TUP", "nilai": 5e6, "ntpn": ""})
    setoran.to_csv(out / "setoran.csv", index=False, date_format="%Y-%m-%d")
    return {"kontrak": len(kontrak), "spp": len(spp), "setoran": len(setoran)}


def measured(cmd: list[str]) -> tuple[float, float, str]:
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    if res.returncode:
        sys.exit(res.stdout + res.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    h, m, s = (float(x or 0) for x in wall.groups())
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    return h * 3600 + m * 60 + s, peak / 1024, res.stdout


def reports_step(store: str, satker: str) -> None:
    """In its own process: each report for the agency and for one satker, then the IKPA
    indicators; prints {step: seconds} as JSON."""
    from dataclasses import dataclass, field

    from spektra_lib import reports
    from spektra_lib.reports import ikpa_kontrak
    from spektra_lib.reports.ikpa import aturan
    from spektra_lib.store import Store

    @dataclass
    class Ctx:
        store: object
        tahun: int
        bulan: int
        satker: str | None
        kode_satker: list
        dipakai: set = field(default_factory=set)

        def p(self, name, *default):
            return aturan.pilih(self.tahun).nilai(name, *default)
    out = {}
    with Store(store, read_only=True) as st:
        for name in ("kontrak", "tagihan", "up_tup"):
            for scope in (None, satker):
                t0 = time.perf_counter()
                df = reports.run(name, st, tahun=2022, bulan=12, satker=scope)
                out[f"{name} {'agensi' if scope is None else 'satker'}"] = (
                    time.perf_counter() - t0, len(df))
        kode = list(st.sql("SELECT kode_satker FROM satker ORDER BY 1")["kode_satker"])
        for fn in (ikpa_kontrak.belanja_kontraktual, ikpa_kontrak.penyelesaian_tagihan,
                   ikpa_kontrak.up_tup):
            t0 = time.perf_counter()
            nilai = fn(Ctx(st, 2022, 12, None, kode))[0]
            out[f"ikpa {fn.__name__}"] = (time.perf_counter() - t0, int(nilai.notna().sum()))
    print(json.dumps(out))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--satker", type=int, default=1000)
    ap.add_argument("--kontrak", type=int, default=50)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bench_kontrak"))
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step == "reports":
        reports_step(args.store, "900000")
        return 0
    shutil.rmtree(args.dir, ignore_errors=True)
    folder, store = args.dir / "in", args.dir / "s.duckdb"
    t0 = time.perf_counter()
    rows = write_folder(folder, args.satker, args.kontrak)
    print(f"data: {args.satker} satker × {args.kontrak} kontrak: {rows} "
          f"({time.perf_counter() - t0:.1f} s to write)", flush=True)
    py = sys.executable
    wall, peak, _ = measured([py, "-m", "spektra_lib.cli", "ingest", str(folder),
                              "--store", str(store)])
    print(f"ingest: {wall:.1f} s wall, peak {peak:.0f} MB", flush=True)
    wall, peak, out = measured([py, __file__, "--step", "reports", "--store", str(store)])
    print(f"reports + ikpa process: {wall:.1f} s wall (incl. imports), peak {peak:.0f} MB")
    for step, (sec, n) in json.loads(out.strip().splitlines()[-1]).items():
        print(f"  {step:32} {sec * 1000:8.0f} ms  ({n} rows / satker scored)")
    if not args.keep:
        shutil.rmtree(args.dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
