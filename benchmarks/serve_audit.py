"""The audit log's cost under load: the same load on `spektra serve --login` with the audit
on and off, one after the other in one run (loopback only).

    .venv/bin/python benchmarks/serve_audit.py STORE [--pengguna 30] [--anonim 30]
                                                [--detik 60] [--think 2 6]

--pengguna logged-in users (form login; Admin, Super User, a satker's User and a unit's User
in turn) and --anonim anonymous visitors, each on a loopback address of its own, open the
dashboard, wait a think time (uniform --think s) and open it again, for --detik seconds;
every opening is a page view the audit records (when on). Before the load each audience's
dashboard is drawn once (a warm-up, not measured). Printed per mode: requests, status
codes, p50 / p95 per kind (logged in / anonymous), audit rows written; then the cost of
the audit as the ratio of the logged-in p50 and of the mean (on / off). Also the cost of
one `Audit.record` in this process (a row, committed), for scale.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

LOGINS = ("admin", "pimpinan", "kanreg4", "biro_keuangan")
SANDI = "Beban-audit-2026"


def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")


def run_mode(store: str, audit_on: bool, args) -> dict:
    from spektra_lib.audit import Audit
    from spektra_lib.serve import free_port, running
    from spektra_lib.serve.settings import Settings
    from spektra_lib.users import open_users
    tmp = Path(tempfile.mkdtemp(prefix="spektra-bench-audit-"))
    os.environ["SPEKTRA_PENGGUNA"] = str(tmp / "pengguna.sqlite")
    os.environ["SPEKTRA_AUDIT"] = str(tmp / "audit")
    os.environ.pop("SPEKTRA_SANDI", None)
    if audit_on:
        os.environ.pop("SPEKTRA_AUDIT_MATI", None)
    else:
        os.environ["SPEKTRA_AUDIT_MATI"] = "1"
    users = open_users()
    for login in LOGINS:
        users.set_password(login, SANDI)
    settings = Settings(potret_awal=False, pool={"default": 0}, maks_kernel=4,
                        batas_publik="60r/m", burst_publik=20)
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    with running(free_port(), login=True, store=store, host="127.0.0.1", settings=settings,
                 announce=lambda s: None) as stack:
        url = "/voila/render/dashboard.ipynb"
        clients = []
        for i in range(args.pengguna):
            c = httpx.Client(base_url=stack.url, timeout=120,
                             transport=httpx.HTTPTransport(local_address=f"127.0.0.{10 + i}"))
            form = c.get("/masuk").text
            token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            r = c.post("/masuk", data={"nama": LOGINS[i % len(LOGINS)], "sandi": SANDI,
                                       "kembali": "/", "csrf": token})
            assert r.status_code == 303, r.status_code
            clients.append(("login", c))
        for i in range(args.anonim):
            clients.append(("anonim", httpx.Client(
                base_url=stack.url, timeout=120,
                transport=httpx.HTTPTransport(local_address=f"127.0.0.{100 + i}"))))
        t0 = time.monotonic()
        for _, c in clients[:len(LOGINS)] + clients[args.pengguna:args.pengguna + 1]:
            c.get(url)                          # each audience's dashboard drawn once
        warm = time.monotonic() - t0
        end = time.monotonic() + args.detik

        def user(i, kind, c):
            rnd = random.Random(i)
            time.sleep(rnd.uniform(0, args.think[1]))
            while time.monotonic() < end:
                t = time.monotonic()
                try:
                    code = c.get(url).status_code
                except httpx.HTTPError:
                    code = -1
                with lock:
                    results.append((kind, code, time.monotonic() - t))
                time.sleep(rnd.uniform(*args.think))

        threads = [threading.Thread(target=user, args=(i, k, c)) for i, (k, c) in
                   enumerate(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for _, c in clients:
            c.close()
    rows = len(Audit(tmp / "audit").read()) if audit_on else 0
    out = {"warm": warm, "rows": rows, "codes": {}}
    for kind in ("login", "anonim"):
        xs = [d for k, code, d in results if k == kind]
        out[kind] = (len(xs), q(xs, .5), q(xs, .95), statistics.fmean(xs) if xs else 0)
    for _, code, _ in results:
        out["codes"][code] = out["codes"].get(code, 0) + 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--pengguna", type=int, default=30)
    ap.add_argument("--anonim", type=int, default=30)
    ap.add_argument("--detik", type=float, default=60)
    ap.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0))
    args = ap.parse_args()
    from spektra_lib.audit import Audit
    a = Audit(Path(tempfile.mkdtemp(prefix="spektra-bench-rec-")))
    a.record("lihat", pengguna="x", sasaran="dashboard")
    t = time.perf_counter()
    for i in range(500):
        a.record("lihat", pengguna="kanreg4", peran="user", sasaran=f"dashboard?bulan={i % 12}",
                 alamat="127.0.0.1")
    per = (time.perf_counter() - t) / 500 * 1000
    print(f"Audit.record: {per:.2f} ms per baris (500 baris, tiap baris di-commit)")
    load0 = os.getloadavg()[0]
    res = {}
    for mode in (True, False):
        res[mode] = r = run_mode(args.store, mode, args)
        name = "audit aktif" if mode else "audit mati "
        print(f"{name}: pemanasan {r['warm']:.1f} s; kode {dict(sorted(r['codes'].items()))}; "
              f"baris audit {r['rows']}")
        for kind in ("login", "anonim"):
            n, p50, p95, mean = r[kind]
            print(f"   {kind:6}: {n} permintaan, p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
                  f"rerata {mean * 1000:.1f} ms")
    on, off = res[True]["login"], res[False]["login"]
    print(f"Biaya audit (halaman login): p50 {on[1] / off[1]:.2f}x, rerata {on[3] / off[3]:.2f}x; "
          f"beban rata-rata 1 mnt {load0:.1f} → {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
