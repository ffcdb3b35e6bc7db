"""One headless Chromium kept per process, printing many pages with Playwright's `page.pdf`.

`chromium --print-to-pdf` starts a browser per file: ~3 s of a 3-10 s export. A kept
browser (Debian's Chromium, started by Playwright with `executable_path`, nothing
downloaded) prints each further page in a tab of its own. Playwright replaced a
hand-written DevTools-pipe client: on the same 20 pages in one run both took the same
time within noise (0.99×), with the same page counts and sizes (benchmarks/README.md), so
the library keeps the protocol code out of SPEKTRA.

Playwright's sync objects belong to the thread that made them, and its sync API refuses
to run in a thread whose asyncio loop is running (a Jupyter kernel, Voilà's server): the
browser lives in a daemon thread of its own, and every call is handed to that thread.
"""
from __future__ import annotations

import atexit
import os
import queue
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

PRINT = {"print_background": True, "prefer_css_page_size": True, "tagged": False}


class BrowserError(RuntimeError):
    pass


class Browser:
    """A headless Chromium; `print_pdf(html, pdf)` writes one PDF per call."""

    def __init__(self, exe: str, flags: list[str], timeout: float = 180):
        self.timeout = timeout
        self._pid = os.getpid()
        self._jobs: queue.Queue = queue.Queue()
        self._connected = False
        self._thread = threading.Thread(target=self._work, name="spektra-pdf", daemon=True)
        self._thread.start()
        try:
            self._call(self._start, exe, [f for f in flags if f != "--headless"])
        except BaseException:
            self.close()
            raise

    # -- the browser's own thread ------------------------------------------------------
    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, args, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(*args))
            except BaseException as e:      # handed back to the caller's thread
                fut.set_exception(e)

    def _start(self, exe: str, args: list[str]) -> None:
        from playwright.sync_api import sync_playwright
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=exe, args=args,
                                                     timeout=self.timeout * 1000)
        except BaseException:
            self._pw.stop()
            raise
        self._connected = True
        self._browser.on("disconnected", lambda _: setattr(self, "_connected", False))

    def _print(self, html_path: Path, pdf_path: Path) -> Path:
        page = self._browser.new_page()
        try:
            page.set_default_timeout(self.timeout * 1000)
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            page.pdf(path=str(pdf_path), **PRINT)
        finally:
            page.close()
        return Path(pdf_path)

    def _stop(self) -> None:
        try:
            if self._connected:
                self._browser.close()
        finally:
            self._connected = False
            self._pw.stop()

    # -- any thread ----------------------------------------------------------------------
    def _call(self, fn, *args, timeout: float | None = None):
        from playwright.sync_api import Error as PlaywrightError
        fut: Future = Future()
        self._jobs.put((fn, args, fut))
        try:
            return fut.result(timeout=timeout or self.timeout + 30)
        except FutureTimeout:
            raise BrowserError("Chromium tidak menjawab (batas waktu habis).") from None
        except PlaywrightError as e:
            raise BrowserError(str(e).strip().splitlines()[0][:300]) from None

    def print_pdf(self, html_path: Path, pdf_path: Path) -> Path:
        return self._call(self._print, html_path, pdf_path)

    def alive(self) -> bool:
        return self._pid == os.getpid() and self._thread.is_alive() and self._connected

    def close(self) -> None:
        if self._pid != os.getpid() or not self._thread.is_alive():
            return                  # a forked child: the browser is the parent's
        try:
            if hasattr(self, "_pw"):
                self._call(self._stop, timeout=15)
        except Exception:          # noqa: BLE001  closing: the driver exits with us anyway
            pass
        finally:
            self._jobs.put(None)


_KEPT: Browser | None = None


def kept_browser(exe: str, flags: list[str]) -> Browser:
    """This process's browser, started on first use and closed at exit."""
    global _KEPT
    if _KEPT is None or not _KEPT.alive():
        if _KEPT is not None:
            _KEPT.close()
        _KEPT = Browser(exe, flags)
        atexit.register(close_kept)
    return _KEPT


def close_kept() -> None:
    global _KEPT
    if _KEPT is not None:
        _KEPT.close()
        _KEPT = None
