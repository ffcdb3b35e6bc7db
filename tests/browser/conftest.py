"""Real-browser fixtures: Debian Chromium driven by Playwright, every request recorded."""
from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SEED = Path(__file__).parents[1] / "data" / "seed"
LOCAL = ("file://", "data:", "blob:", "about:", "http://127.0.0.1", "chrome-error:")


@pytest.fixture(scope="session")
def chromium(playwright_sync, tmp_path_factory):
    context = playwright_sync.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
        headless=True, args=FLAGS, viewport={"width": 1400, "height": 1000},
        locale="id-ID")
    yield context
    context.close()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """seed_store(edit=None) -> a new store ingested from a copy of tests/data/seed;
    `edit(folder)` may change the copy first (a poisoned row)."""
    def make(edit=None) -> Path:
        from spektra_lib.ingest import ingest_path
        from spektra_lib.store import Store
        data = tmp_path_factory.mktemp("seed") / "seed"
        shutil.copytree(SEED, data)
        if edit is not None:
            edit(data)
        store = tmp_path_factory.mktemp("store") / "spektra.duckdb"
        with Store(store) as st:
            ingest_path(data, st)
        return store
    return make


class Recorder:
    """Every request a page makes, and the ones that failed."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def assert_offline(self):
        outside = [u for u in self.urls if not u.startswith(LOCAL)]
        assert not outside, f"permintaan keluar mesin: {outside}"
        assert not self.failed, f"permintaan gagal: {self.failed}"
        assert not self.errors, f"galat JavaScript: {self.errors}"


@pytest.fixture
def page(chromium):
    p = chromium.new_page()
    p.rec = Recorder(p)
    yield p
    p.close()


@pytest.fixture(scope="session")
def serve():
    """serve(folder) -> http://127.0.0.1:PORT/ for a static folder (stopped at the end)."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
