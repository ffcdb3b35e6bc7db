"""`spektra serve`: Voilà for managers, optionally behind the nginx login proxy.

    spektra serve                 # Voilà on http://127.0.0.1:8866 (local use, no login)
    spektra serve --login         # nginx on 0.0.0.0:8866 (SPEKTRA_SERVE_HOST to change),
                                  # basic auth, Voilà behind it on a free loopback port

Passwords for --login: see parameters/akses.yaml (SPEKTRA_SANDI_<NAMA>, SPEKTRA_SANDI,
or printed once; SPEKTRA_HTPASSWD for a managed file). Config, logs and the htpasswd
live in a temporary run directory removed on exit.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ..access import NOTEBOOK_DIR, all_notebooks, load_policy
from . import nginx
from .voila import start_voila

START_TIMEOUT = 90.0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    run_dir: Path
    voila_url: str
    url: str                                 # what users open (the proxy when login)
    procs: list[subprocess.Popen] = field(default_factory=list)

    def wait(self) -> int:
        """Block until a process ends (or Ctrl-C); return its exit code."""
        while True:
            for p in self.procs:
                if p.poll() is not None:
                    return p.returncode
            time.sleep(0.5)

    def log(self, name: str = "voila.log") -> str:
        path = self.run_dir / name
        return path.read_text(errors="replace") if path.exists() else ""


def _wait_http(url: str, proc: subprocess.Popen, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} berhenti saat mulai (kode {proc.returncode}).")
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(f"{what} tidak menjawab di {url} dalam {timeout:.0f} dtk.")


def _stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM the process group we started (Voilà shuts its kernels down), then SIGKILL."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


@contextlib.contextmanager
def running(port: int = 8866, *, login: bool = False, store: Path | str | None = None,
            host: str | None = None, voila_port: int | None = None,
            pools: dict[str, int] | None = None, notebooks: Path | None = None,
            announce=print, timeout: float = START_TIMEOUT):
    """Start Voilà (and nginx when login) and always tear both down on exit."""
    with tempfile.TemporaryDirectory(prefix="spektra-serve-") as tmp:
        run = Path(tmp)
        procs: list[subprocess.Popen] = []
        logs = []
        try:
            vport = port if not login else (voila_port or free_port())
            vlog = open(run / "voila.log", "wb")
            logs.append(vlog)
            voila = start_voila(run, vport, store=Path(store) if store else None,
                                pools=pools, notebooks=notebooks, log=vlog)
            procs.append(voila)
            voila_url = f"http://127.0.0.1:{vport}"
            _wait_http(voila_url + "/voila/static/", voila, timeout, "Voilà")
            url = voila_url
            if login:
                host = host or os.environ.get("SPEKTRA_SERVE_HOST", "0.0.0.0")
                policy = load_policy()
                nbs = all_notebooks(notebooks or NOTEBOOK_DIR)
                for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                    (run / "tmp" / d).mkdir(parents=True, exist_ok=True)
                htpasswd = nginx.write_htpasswd(run / "htpasswd", policy, announce=announce)
                nginx.write_pages(run / "www", nbs)
                nginx.hand_to_workers(run, [run / "tmp", run / "www", htpasswd]
                                      if htpasswd.parent == run else [run / "tmp", run / "www"])
                conf = run / "nginx.conf"
                conf.write_text(nginx.nginx_conf(run, host=host, port=port, voila_port=vport,
                                                 htpasswd=htpasswd, policy=policy,
                                                 notebooks=nbs), encoding="utf-8")
                nlog = open(run / "nginx.log", "wb")
                logs.append(nlog)
                proc = nginx.start_nginx(conf, nlog)
                procs.append(proc)
                shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
                url = f"http://{shown}:{port}"
                _wait_http(url + "/masuk", proc, 15.0, "nginx")
            yield Stack(run, voila_url, url, procs)
        finally:
            for p in reversed(procs):
                _stop(p)
            for f in logs:
                f.close()


def serve(port: int = 8866, login: bool = False, store: Path | str | None = None) -> int:
    """The `spektra serve` command: run until Ctrl-C."""
    try:
        with running(port, login=login, store=store) as stack:
            print(f"SPEKTRA siap: {stack.url}/voila/render/dashboard.ipynb")
            if login:
                print(f"Masuk: {stack.url}/masuk (tanpa login: Publik, hanya dashboard). "
                      f"Voilà di belakangnya: {stack.voila_url} (hanya loopback).")
            print("Tekan Ctrl-C untuk berhenti.")
            code = stack.wait()
            print(f"Sebuah proses berhenti (kode {code}); lihat log di {stack.run_dir}.")
            return code or 1
    except KeyboardInterrupt:
        print("\nSPEKTRA dihentikan.")
        return 0
