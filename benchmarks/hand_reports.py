"""Read time and peak memory of the Excel reports satkers download by hand (issue 24): a
GLP039 Laporan Realisasi of ~20,000 lines, a printed Form Cetak POK of 40 pages and a
MyINTRESS Detail Pengeluaran dan Potongan of ~20,000 COA lines.

    .venv/bin/python benchmarks/hand_reports.py [--baris 20000] [--halaman 40]
                                                [--detail 20000] [--repeat 3]

Each file is written once by the synthetic writers (synth/glp039.py, synth/cetak_pok.py,
synth/myintress.py)
from one made-up satker; each read runs in a fresh process (median wall time of
`repeat`, peak RSS of the process) beside a process that only imports the readers, so the
memory the read itself needs is the difference. Figures of one run; machines are noisy.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from spektra_lib.sources import glp039, myintress_detail, sakti_xlsx, layout
kind, path = sys.argv[1], Path(sys.argv[2])


def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024


open("/proc/self/clear_refs", "w").write("5")   # the peak counts from here
before = status("VmRSS:")
t0 = time.perf_counter()
rows = 0
if kind != "import":
    problems = []
    with layout.using(layout.Context()):
        if kind == "myintress_detail":
            out = myintress_detail.read_report(path, path.name, problems)
        else:
            mod = glp039 if kind == "glp039" else sakti_xlsx
            out = mod.read_report(path, path.name, problems, None)
    assert not problems, [str(p) for p in problems[:3]]
    rows = sum(len(v) for v in out.values())
dt = time.perf_counter() - t0
print(json.dumps({"detik": dt, "rss_mb": status("VmHWM:"), "naik_mb": status("VmHWM:") - before,
                  "baris": rows}))
"""


def budget(n_items: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One satker's POK of about n_items priced items, and its realisasi Jan–Jun."""
    rng = np.random.default_rng(seed)
    recs = []
    per_akun = 6
    n_akun = max(1, n_items // per_akun)
    for a in range(n_akun):
        keg, kro, ro = 4843 + a // 400, ["EBA", "EBB", "EBC", "EBD"][a // 100 % 4], 994 - a // 25 % 4
        komp, sub, akun = f"{a // 5 % 50 + 1:03d}", "AB"[a // 2 % 2], f"52{a % 5 + 1}11{a % 9}"
        for i in range(1, per_akun + 1):
            vol, harga = int(rng.integers(1, 50)), int(rng.integers(1, 500)) * 1000
            pagu = vol * harga
            rpd = np.zeros(12)
            rpd[rng.integers(0, 12)] = pagu
            recs.append({"tahun": 2022, "kode_satker": "017220", "kode_program": "WA",
                         "nama_program": "Program Dukungan Manajemen",
                         "kode_kegiatan": str(keg), "nama_kegiatan": f"Kegiatan {keg}",
                         "kode_kro": kro, "nama_kro": f"KRO {kro}", "kode_ro": str(ro),
                         "nama_ro": f"RO {ro}", "kode_komponen": komp,
                         "nama_komponen": f"Komponen {komp}", "kode_subkomponen": sub,
                         "nama_subkomponen": f"Sub {sub}", "kode_akun": akun,
                         "nama_akun": f"Belanja {akun}", "no_item": str(i),
                         "uraian_item": f"Item {a}-{i}", "volume": float(vol), "satuan": "OK",
                         "harga_satuan": float(harga), "pagu": float(pagu),
                         **{f"rpd_{m:02d}": float(rpd[m - 1]) for m in range(1, 13)}})
    pok = pd.DataFrame(recs)
    pok = pok.drop_duplicates(["kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
                               "kode_subkomponen", "kode_akun", "no_item"])
    real = pok.sample(frac=0.6, random_state=seed)[[
        "tahun", "kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
        "kode_komponen", "kode_subkomponen", "kode_akun", "no_item", "pagu"]].copy()
    real["nilai"] = (real.pop("pagu") * rng.uniform(0.1, 0.5, len(real))).round(0)
    real["tanggal"] = pd.to_datetime("2022-01-15") + pd.to_timedelta(
        rng.integers(0, 170, len(real)), unit="D")
    return pok.reset_index(drop=True), real


def detail(pok: pd.DataFrame, real: pd.DataFrame, per_spp: int = 5) -> pd.DataFrame:
    """MyINTRESS detail lines: every `per_spp` realisasi lines one SPP (paid on the last
    line's date), each SPP with a PPh potongan line."""
    from spektra_lib.synth.myintress import PPH, coa
    real = real.sort_values("tanggal").reset_index(drop=True)
    recs = []
    for k, g in real.groupby(real.index // per_spp):
        no, tgl = f"{k + 1:05d}T", g["tanggal"].max()
        base = {"no_spp": no, "tgl_spp": tgl, "tgl_spm": tgl, "jenis": "LS",
                "no_sp2d": f"2200113{k + 1:08d}", "tgl_sp2d": tgl}
        for r in g.to_dict("records"):
            recs.append({**base, "coa": coa("017220", r["kode_akun"], r), "uraian": "Belanja",
                         "pengeluaran": r["nilai"], "potongan": 0.0})
        seg = recs[-1]["coa"].split(".")
        seg[2], seg[-1] = PPH, "000000"
        recs.append({**base, "coa": ".".join(seg), "uraian": "PPh 21", "pengeluaran": 0.0,
                     "potongan": round(float(g["nilai"].sum()) * 0.02)})
    return pd.DataFrame(recs)


def run(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    from spektra_lib.synth.cetak_pok import write_cetak_pok
    from spektra_lib.synth.glp039 import write_glp039
    ap = argparse.ArgumentParser()
    ap.add_argument("--baris", type=int, default=20_000, help="baris GLP039 (kira-kira)")
    ap.add_argument("--halaman", type=int, default=40, help="halaman Form Cetak POK")
    ap.add_argument("--detail", type=int, default=20_000,
                    help="baris MyINTRESS Detail Pengeluaran dan Potongan (kira-kira)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # GLP039: about 1.2 lines per item (level lines above the items)
        pok, real = budget(int(args.baris / 1.2))
        g = write_glp039(pok, real, 6, tmp / "GLP039.xlsx", "Satker Uji")
        glp_lines = len(__import__("python_calamine").CalamineWorkbook.from_path(str(g))
                        .get_sheet_by_name("GLP039_LAPORAN REALISASI SUPER ").to_python())
        # Form Cetak POK: 40 pages of 45 budget lines
        per_page = 45
        small, _ = budget(int(args.halaman * per_page / 1.25))
        c = write_cetak_pok(small, tmp / "POK.xlsx", "Satker Uji", lines_per_page=per_page)
        pages = None
        from python_calamine import CalamineWorkbook
        rows = CalamineWorkbook.from_path(str(c)).get_sheet_by_name("UC_ANG_6.4").to_python()
        pages = sum(1 for r in rows if str(r[37]).startswith("Halaman"))
        # MyINTRESS detail: 5 belanja lines and a potongan line per SPP
        from spektra_lib.synth.myintress import write_myintress_detail
        dpok, dreal = budget(int(args.detail * 5 / 6 / 0.6) + 6, seed=1)
        dlines = detail(dpok, dreal)
        m = write_myintress_detail(dlines, tmp / "MyINTRESS_Detail.xlsx", "017220")
        files = (("glp039", g), ("cetak_pok", c), ("myintress_detail", m))
        base = [run("import", g) for _ in range(args.repeat)]
        res = {}
        for kind, path in files:
            res[kind] = [run(kind, path) for _ in range(args.repeat)]
        b_rss = statistics.median(r["rss_mb"] for r in base)
        print(f"proses dengan pembaca terimpor (tanpa membaca): RSS {b_rss:.0f} MB")
        print(f"{'laporan':<12}{'ukuran':>9}{'baris lembar':>14}{'baris hasil':>13}"
              f"{'detik':>8}{'RSS MB':>8}{'naik MB':>9}")
        for kind, path in files:
            rs = res[kind]
            t = statistics.median(r["detik"] for r in rs)
            rss = statistics.median(r["rss_mb"] for r in rs)
            up = statistics.median(r["naik_mb"] for r in rs)
            lines = {"glp039": glp_lines, "cetak_pok": len(rows)}.get(kind, len(dlines) + 6)
            label = {"glp039": "GLP039", "cetak_pok": f"POK {pages} hal"}.get(kind, "MyINTRESS")
            print(f"{label:<12}{path.stat().st_size / 1e6:>8.1f}M{lines:>14,}"
                  f"{rs[0]['baris']:>13,}{t:>8.2f}{rss:>8.0f}{up:>9.0f}")


if __name__ == "__main__":
    main()
