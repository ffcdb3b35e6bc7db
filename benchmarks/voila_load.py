"""30 concurrent users of `spektra serve --login` for 2 minutes (loopback only).

    .venv/bin/python benchmarks/voila_load.py STORE [--pengguna 30] [--detik 120]
                                              [--setelah 160] [--think 2 6]

A mix of roles, each simulated user on a loopback address of its own (127.0.0.10…): the
anonymous limit is per address, as it is for real visitors; logged-in users log in once
through the form (their limit is per login). Publik 40 %, Admin 10 %, Super User 15 %,
User of a satker 20 %, User of a unit kerja 15 %. Each user opens the dashboard, waits a
think time (uniform --think seconds), and opens it again; 30 % of the openings pick
another month (a choice on the page), the rest the default (latest month).

Measured in one run: p50 / p95 of the time to the whole dashboard page (HTML with its
drawn outputs: charts as vega specs, tables), failures (anything but 200, 429 / 503
included) counted in the percentiles as what they cost, status codes per role, kernels
alive (Voilà's plus the page drawers') sampled every 0.5 s against the ceiling, and the RSS
of Voilà plus its kernels: idle before, peak during, right after, and `--setelah` s after
(the cull timeout plus an interval). The load starts once the service is ready: its pool
filled and the pages it draws at start drawn (their time is printed). Bounded: each request times out after 60 s, the load
stops after --detik, the stack is always torn down.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import threading
import time
from pathlib import Path

import httpx

ROLES = (("publik", None, 0.40), ("admin", "admin", 0.10), ("super_user", "pimpinan", 0.15),
         ("user_satker", "kanreg4", 0.20), ("user_unit", "biro_keuangan", 0.15))
SANDI = "beban-uji"


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


def rss(voila_pid: int) -> float:
    return _rss_mb(_tree(voila_pid))


def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")


def plan(n: int) -> list[tuple[str, str | None]]:
    """n users, roles in the mix's proportions (largest remainder)."""
    shares = [(role, login, n * w) for role, login, w in ROLES]
    counts = {role: int(s) for role, _, s in shares}
    for role, _, s in sorted(shares, key=lambda x: x[2] - int(x[2]), reverse=True):
        if sum(counts.values()) >= n:
            break
        counts[role] += 1
    return [(role, login) for role, login, _ in ROLES for _ in range(counts[role])]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--pengguna", type=int, default=30)
    ap.add_argument("--detik", type=float, default=120)
    ap.add_argument("--setelah", type=float, default=None,
                    help="seconds after the load to measure again (default: cull + interval + 10)")
    ap.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0))
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    os.environ["SPEKTRA_SANDI"] = SANDI
    os.environ.pop("SPEKTRA_HTPASSWD", None)
    from spektra_lib.serve import free_port, running
    from spektra_lib.serve.settings import from_env
    settings = from_env()
    after_s = args.setelah if args.setelah is not None else (
        settings.cull_detik + settings.cull_interval + 10)
    users = plan(args.pengguna)
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    load0 = os.getloadavg()
    with running(free_port(), login=True, store=args.store, host="127.0.0.1",
                 announce=lambda s: None) as stack:
        voila = stack.procs[0].pid
        # Ready: the preheated pool filled and the pages drawn at start (snapshot.py
        # prewarm: each audience's dashboard, each month for Publik and Admin).
        t_start = time.monotonic()
        deadline = t_start + 400
        while time.monotonic() < deadline:
            st = stack.status()
            prewarm = (st.get("potret") or {}).get("prewarm", "selesai")
            if st["kernel_siaga"] >= stack.settings.pool_total({"dashboard"}) and \
                    prewarm.startswith("selesai"):
                break
            time.sleep(1)
        ready_s = time.monotonic() - t_start
        time.sleep(5)
        idle_rss, idle_status = rss(voila), stack.status()
        samples: list[tuple[int, float]] = []
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                try:
                    samples.append((stack.status()["kernel"], rss(voila)))
                except Exception:       # noqa: BLE001  a missed sample, not a failure
                    pass
                time.sleep(0.5)

        url = stack.url + "/voila/render/dashboard.ipynb"
        end = time.monotonic() + args.detik

        def user(i: int, role: str, login: str | None):
            r_ = random.Random(args.seed * 1000 + i)
            addr = f"127.0.0.{10 + i}"
            c = httpx.Client(transport=httpx.HTTPTransport(local_address=addr), timeout=60,
                             base_url=stack.url)
            try:
                if login:
                    form = c.get("/masuk").text
                    csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
                    r = c.post("/masuk", data={"nama": login, "sandi": SANDI, "kembali": "/",
                                               "csrf": csrf})
                    if r.status_code != 303:
                        with lock:
                            results.append((role, -r.status_code, 0.0))
                        return
                time.sleep(r_.uniform(0, args.think[1]))      # users do not arrive in step
                while time.monotonic() < end:
                    params = {"bulan": r_.randint(1, 12)} if r_.random() < 0.3 else {}
                    t = time.monotonic()
                    try:
                        code = c.get(url, params=params).status_code
                    except httpx.HTTPError:
                        code = 0
                    with lock:
                        results.append((role, code, time.monotonic() - t))
                    time.sleep(r_.uniform(*args.think))
            finally:
                c.close()

        w = threading.Thread(target=watch)
        w.start()
        t0 = time.monotonic()
        threads = [threading.Thread(target=user, args=(i, role, login))
                   for i, (role, login) in enumerate(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        done_rss, done_status = rss(voila), stack.status()
        load1 = os.getloadavg()
        time.sleep(after_s)
        stop.set()
        w.join()
        after_rss, after_status = rss(voila), stack.status()
    times = [t for _, c, t in results if c >= 0]
    ok = [t for _, c, t in results if c == 200]
    codes: dict[str, dict[int, int]] = {}
    for role, c, _ in results:
        codes.setdefault(role, {}).setdefault(c, 0)
        codes[role][c] += 1
    allc: dict[int, int] = {}
    for by in codes.values():
        for c, n in by.items():
            allc[c] = allc.get(c, 0) + n
    peak_k = max((k for k, _ in samples), default=idle_status["kernel"])
    peak_rss = max((m for _, m in samples), default=idle_rss)
    mix = ", ".join(f"{r} {sum(1 for x, _ in users if x == r)}" for r, _, _ in ROLES)
    print(f"pengguna: {len(users)} serentak ({mix}), {args.detik:.0f} s, jeda {args.think[0]:g}–"
          f"{args.think[1]:g} s, tiap pengguna alamat 127.0.0.x sendiri")
    print(f"siap (pool terisi, gambar awal selesai) {ready_s:.0f} s setelah layanan menjawab")
    print(f"beban rata-rata 1 mnt: {load0[0]:.1f} sebelum, {load1[0]:.1f} akhir beban")
    print(f"permintaan: {len(times)} dalam {wall:.0f} s; kode: {dict(sorted(allc.items()))}")
    for role, by in codes.items():
        print(f"  {role}: {dict(sorted(by.items()))}")
    # A page that did not come (429, 503, an error) never got drawn: infinitely late.
    drawn = [t if c == 200 else float("inf") for _, c, t in results if c >= 0]
    print(f"waktu sampai dashboard utuh (gagal = tidak pernah): p50 {q(drawn, .5):.3f} s, "
          f"p95 {q(drawn, .95):.3f} s, p99 {q(drawn, .99):.3f} s; semua jawaban termasuk "
          f"yang gagal: p95 {q(times, .95):.3f} s, maks {max(times):.2f} s")
    print(f"  yang 200: p50 {statistics.median(ok):.3f} s, p95 {q(ok, .95):.3f} s")
    print(f"kernel (Voilà + penggambar): diam {idle_status['kernel']}, puncak {peak_k}, selesai "
          f"{done_status['kernel']}, {after_s:.0f} s kemudian {after_status['kernel']}; batas "
          f"{idle_status['maks_kernel']}")
    print(f"potret: {json.dumps(after_status.get('potret'))}")
    print(f"RSS Voilà+kernel: diam {idle_rss:.0f} MB, puncak {peak_rss:.0f} MB, selesai "
          f"{done_rss:.0f} MB, {after_s:.0f} s kemudian {after_rss:.0f} MB")


if __name__ == "__main__":
    main()
