"""Cost of the two-sources check (issue 24, sources/dua_sumber.py) on a national-scale
batch: `--baris` realisasi lines (default 5,000,000) of `--satker` satker over 12 months in
`--berkas` files (one per month, so nothing is refused and every group is looked at), and
`--spp` SPP rows of which one in ten is given alike by a second file (kept once).

    .venv/bin/python benchmarks/dua_sumber.py [--baris 5000000] [--satker 1000]
                                              [--berkas 12] [--spp 200000] [--repeat 3]

Prints the median wall time of dua_sumber.check over `repeat` runs. Figures of one run on a
shared machine.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from spektra_lib import schema
from spektra_lib.sources import Batch, dua_sumber
from spektra_lib.sources.detect import _coerce


def batch(baris: int, satker: int, berkas: int, spp: int) -> Batch:
    rng = np.random.default_rng(1)
    month = rng.integers(1, 13, baris)
    real = pd.DataFrame({
        "tahun": 2022, "kode_satker": pd.Series(rng.integers(0, satker, baris)).astype(str).str.zfill(6),
        "kode_akun": "521211", "no_item": 1, "nilai": 1000.0,
        "tanggal": pd.to_datetime({"year": 2022, "month": month, "day": 1}),
        "_file": pd.Categorical.from_codes(month % berkas,
                                           [f"PEM_{m:02d}.csv" for m in range(berkas)]),
        "_row": 1})
    n2 = spp // 10
    s = pd.DataFrame({"kode_satker": [f"{i % satker:06d}" for i in range(spp)],
                      "no_spp": [f"{i:05d}T" for i in range(spp)],
                      "tgl_spp": pd.Timestamp("2022-03-01"), "nilai": 1000.0,
                      "jenis_spp": "LS", "status": "SP2D terbit", "uraian": "x",
                      "_file": "register.csv", "_row": range(spp)})
    s = pd.concat([s, s.iloc[:n2].assign(_file="daftar_sp2d.xlsx", uraian="y")],
                  ignore_index=True)
    tables = {"realisasi": _coerce(real, schema.REALISASI), "spp": _coerce(s, schema.SPP)}
    rec = [{"berkas": f"PEM_{m:02d}.csv", "layout": "sakti_realisasi", "judul": "PEM",
            "tabel": "realisasi", "baris": 0} for m in range(berkas)]
    rec += [{"berkas": "register.csv", "layout": "sakti_register_spp", "judul": "Register",
             "tabel": "spp", "baris": 0},
            {"berkas": "daftar_sp2d.xlsx", "layout": "sakti_daftar_sp2d", "judul": "Daftar",
             "tabel": "spp", "baris": 0}]
    return Batch(layout="sakti", tables=tables, recognised=rec)


def main() -> None:
    a = argparse.ArgumentParser()
    a.add_argument("--baris", type=int, default=5_000_000)
    a.add_argument("--satker", type=int, default=1000)
    a.add_argument("--berkas", type=int, default=12)
    a.add_argument("--spp", type=int, default=200_000)
    a.add_argument("--repeat", type=int, default=3)
    o = a.parse_args()
    times = []
    for _ in range(o.repeat):
        b = batch(o.baris, o.satker, o.berkas, o.spp)
        t0 = time.perf_counter()
        dua_sumber.check(b)
        times.append(time.perf_counter() - t0)
    assert not b.problems, b.problems[:3]
    print(f"dua_sumber.check: {o.baris:,} baris realisasi, {o.satker} satker, {o.berkas} berkas, "
          f"{len(b.tables['spp']):,} SPP (dari {o.spp + o.spp // 10:,}): median "
          f"{statistics.median(times):.2f} s; catatan: {b.notes}")


if __name__ == "__main__":
    main()
