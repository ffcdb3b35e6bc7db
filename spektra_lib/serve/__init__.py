"""`spektra serve`: Voilà for managers, optionally behind the nginx login proxy.

    spektra serve                 # Voilà on http://127.0.0.1:8866 (local use, no login:
                                  # everyone is Publik)
    spektra serve --login         # nginx on 0.0.0.0:8866 (SPEKTRA_SERVE_HOST to change),
                                  # login page, Voilà behind it on a Unix socket

Sizes (kernel ceiling, preheated pool, culling, rate limits) and the agency's own
authenticating proxy: environment variables, see settings.py and docs/serve.md.
Users for --login: the user file beside the store (users.py; `spektra pengguna`, /admin),
akses.yaml's users imported the first time; SPEKTRA_SANDI(_<NAMA>) for the demo only. Config, socket and htpasswd live
in a run folder removed on exit (Ctrl-C, SIGTERM, SIGHUP); when a process fails, its logs
are copied to a folder that is kept, and the message names that folder.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ..access import NOTEBOOK_DIR, all_notebooks
from ..settings import settings as declared
from . import nginx
from .settings import (KEY_ENV, KEY_HEADER, LOGIN_ENV, SOCKET_ENV, WORKER_ENV, Settings,
                       from_env)
from .voila import start_voila

START_TIMEOUT = 90.0
LOGS = ("voila.log", "nginx.log", "nginx-error.log", "nginx-access.log")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    run_dir: Path
    voila_url: str                           # no login: Voilà's address; login: its socket
    url: str                                 # what users open (the proxy when login)
    procs: list[subprocess.Popen] = field(default_factory=list)
    socket: Path | None = None
    key: str = ""
    settings: Settings = field(default_factory=Settings)

    def wait(self) -> int:
        """Block until a process ends (or Ctrl-C / SIGTERM); return its exit code."""
        while True:
            for p in self.procs:
                if p.poll() is not None:
                    return p.returncode
            time.sleep(0.5)

    def log(self, name: str = "voila.log") -> str:
        path = self.run_dir / name
        return path.read_text(errors="replace") if path.exists() else ""

    def backend(self, *, key: str | None = None, **kw) -> httpx.Client:
        """A client talking to Voilà directly (socket when login), with the run key unless
        told otherwise: for tests and health checks, never for users."""
        headers = kw.pop("headers", {})
        if self.socket is not None:
            k = self.key if key is None else key
            if k:
                headers = {KEY_HEADER: k, **headers}
            return httpx.Client(transport=httpx.HTTPTransport(uds=str(self.socket)),
                                base_url="http://spektra", headers=headers, **kw)
        return httpx.Client(base_url=self.voila_url, headers=headers, **kw)

    def status(self) -> dict:
        """Kernels alive, preheated, pages opening, pages refused (backend /_spektra/status)."""
        with self.backend(timeout=10) as c:
            return c.get("/_spektra/status").json()

    def keep_logs(self) -> Path:
        """Copy the logs out of the run folder (removed on exit) into a folder that stays."""
        kept = Path(tempfile.mkdtemp(prefix="spektra-serve-log-"))
        for name in LOGS:
            if (self.run_dir / name).exists():
                shutil.copy(self.run_dir / name, kept / name)
        return kept


def _wait_ready(get, proc: subprocess.Popen, timeout: float, what: str, where: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} berhenti saat mulai (kode {proc.returncode}).")
        try:
            get()
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(f"{what} tidak menjawab di {where} dalam {timeout:.0f} dtk.")


def _children(pid: int) -> list[int]:
    """Direct children of pid (Voilà's kernels run in sessions of their own)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            kids.append(int(entry.name))
    return kids


def _stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """SIGTERM the process group we started (Voilà shuts its kernels down), then SIGKILL;
    kernels Voilà left behind are stopped too."""
    if proc.poll() is not None:
        return
    kernels = _children(proc.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    for pid in kernels:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)      # each kernel leads its own group


def _worker_ids_text() -> str | None:
    ids = nginx._worker_ids()
    return f"{ids[0]}:{ids[1]}" if ids else None


@contextlib.contextmanager
def running(port: int = 8866, *, login: bool = False, store: Path | str | None = None,
            host: str | None = None, voila_port: int | None = None,
            pools: dict[str, int] | None = None, notebooks: Path | None = None,
            settings: Settings | None = None, announce=print,
            timeout: float = START_TIMEOUT):
    """Start Voilà (and nginx when login) and always tear both down on exit."""
    settings = settings or from_env()
    nb_dir = Path(notebooks or NOTEBOOK_DIR)
    nbs = all_notebooks(nb_dir)
    if pools is not None:
        settings = Settings(**{**settings.__dict__, "pool": {"default": 0, **pools}})
    settings.check(nbs)
    run = Path(tempfile.mkdtemp(prefix="spektra-serve-"))
    procs: list[subprocess.Popen] = []
    logs = []
    try:
        try:
            stack = _start(run, procs, logs, port=port, login=login, store=store, host=host,
                           voila_port=voila_port, pools=pools, nb_dir=nb_dir,
                           settings=settings, announce=announce, timeout=timeout)
        except Exception as exc:
            kept = Stack(run, "", "").keep_logs()
            raise RuntimeError(f"{exc} Log disimpan di {kept}.") from exc
        yield stack
    finally:
        for p in reversed(procs):
            _stop(p)
        for f in logs:
            f.close()
        shutil.rmtree(run, ignore_errors=True)


def _start(run: Path, procs, logs, *, port, login, store, host, voila_port, pools, nb_dir,
           settings, announce, timeout) -> Stack:
    vlog = open(run / "voila.log", "wb")
    logs.append(vlog)
    store = Path(store) if store else None
    if not login:
        vport = port
        voila = start_voila(run, vport, store=store, pools=pools, notebooks=nb_dir,
                            settings=settings, log=vlog)
        procs.append(voila)
        url = f"http://127.0.0.1:{vport}"
        _wait_ready(lambda: httpx.get(url + "/voila/static/", timeout=2.0), voila, timeout,
                    "Voilà", url)
        return Stack(run, url, url, procs, settings=settings)

    host = host or declared().serve_host
    from ..audit import default_folder
    from ..users import open_users
    users = open_users(store)
    if declared().sandi or any(k.startswith("SPEKTRA_SANDI_") for k in os.environ):
        announce("Catatan: SPEKTRA_SANDI hanya untuk demo; di produksi atur sandi dengan "
                 "`spektra pengguna sandi LOGIN` atau di /admin.")
    users.demo_passwords(announce=announce)
    audit = default_folder(store)
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "tmp" / d).mkdir(parents=True, exist_ok=True)
    nginx.write_pages(run / "www")
    nginx.hand_to_workers(run, [run / "tmp", run / "www"])
    key = secrets.token_urlsafe(32)
    sock = run / "voila.sock"
    env = {KEY_ENV: key, SOCKET_ENV: str(sock), LOGIN_ENV: "1",
           "SPEKTRA_PENGGUNA": str(users.path.resolve()), "SPEKTRA_AUDIT": str(audit.resolve())}
    worker = _worker_ids_text()
    if worker:
        env[WORKER_ENV] = worker
    voila = start_voila(run, voila_port or free_port(), store=store, pools=pools,
                        notebooks=nb_dir, settings=settings, login=env, log=vlog)
    procs.append(voila)
    stack = Stack(run, f"unix:{sock}", "", procs, socket=sock, key=key, settings=settings)

    def ask_backend():
        if not sock.exists():
            raise httpx.ConnectError("belum ada soket")
        with stack.backend(timeout=2.0) as c:
            c.get("/voila/static/")
    _wait_ready(ask_backend, voila, timeout, "Voilà", str(sock))

    conf = run / "nginx.conf"
    conf.write_text(nginx.nginx_conf(run, host=host, port=port, socket=sock, key=key,
                                     settings=settings), encoding="utf-8")
    conf.chmod(0o600)             # it holds the key: the master (root or us) reads it
    nlog = open(run / "nginx.log", "wb")
    logs.append(nlog)
    proc = nginx.start_nginx(conf, nlog)
    procs.append(proc)
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    stack.url = f"http://{shown}:{port}"
    _wait_ready(lambda: httpx.get(stack.url + "/", timeout=5.0), proc, 15.0, "nginx", stack.url)
    return stack


class _Berhenti(BaseException):
    """SIGTERM / SIGHUP: leave through the same door as Ctrl-C."""


def _on_signal(signum, frame):
    raise _Berhenti(signum)


def serve(port: int = 8866, login: bool = False, store: Path | str | None = None) -> int:
    """The `spektra serve` command: run until Ctrl-C, SIGTERM or SIGHUP."""
    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with running(port, login=login, store=store) as stack:
            print(f"SPEKTRA siap: {stack.url}/", flush=True)
            if login:
                print(f"Masuk: {stack.url}/masuk (tanpa login: Publik, hanya dashboard). "
                      f"Voilà di belakangnya hanya lewat soket {stack.socket}.", flush=True)
            print("Tekan Ctrl-C untuk berhenti.", flush=True)
            code = stack.wait()
            kept = stack.keep_logs()
            print(f"Sebuah proses berhenti (kode {code}); log disimpan di {kept}.", flush=True)
            return code or 1
    except (KeyboardInterrupt, _Berhenti):
        print("\nSPEKTRA dihentikan.", flush=True)
        return 0
    except (RuntimeError, TimeoutError, ValueError) as exc:
        print(f"SPEKTRA tidak dapat dimulai: {exc}", flush=True)
        return 1
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
