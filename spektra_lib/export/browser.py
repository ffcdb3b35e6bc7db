"""One headless Chromium kept per process, printing many pages (DevTools over a pipe).

`chromium --print-to-pdf` starts a browser per file: ~3 s of a 3-10 s export. A kept
browser prints each further page in its own tab through the DevTools protocol on the
pipe Chromium opens with `--remote-debugging-pipe` (fd 3 in, fd 4 out, JSON messages
ending in NUL): no port, no extra package, and the browser exits with its parent (EOF).
"""
from __future__ import annotations

import atexit
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PRINT = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False,
         "generateTaggedPDF": False}


class BrowserError(RuntimeError):
    pass


class Browser:
    """A headless Chromium; `print_pdf(html, pdf)` writes one PDF per call."""

    def __init__(self, exe: str, flags: list[str], timeout: float = 180):
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="spektra-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds():           # in the child: the pipe ends on fd 3 and 4, as Chromium wants
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        cmd = [exe, *flags, "--remote-debugging-pipe", f"--user-data-dir={self._profile}",
               "about:blank"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, pass_fds=(3, 4),
                                     preexec_fn=fds)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self._events: list[dict] = []

    # -- protocol ----------------------------------------------------------------------
    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self._to_child, data):]
        return self._id

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium tidak menjawab (batas waktu habis).")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium berhenti.")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             deadline: float | None = None) -> dict:
        deadline = deadline or time.monotonic() + self.timeout
        want = self._send(method, params, session)
        while True:
            msg = self._read(deadline)
            if msg.get("id") == want:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
            if "method" in msg:
                self._events.append(msg)

    def _wait_event(self, method: str, session: str, deadline: float) -> None:
        while True:
            for i, ev in enumerate(self._events):
                if ev.get("method") == method and ev.get("sessionId") == session:
                    del self._events[i]
                    return
            msg = self._read(deadline)
            if "method" in msg:
                self._events.append(msg)

    # -- printing ----------------------------------------------------------------------
    def print_pdf(self, html_path: Path, pdf_path: Path) -> Path:
        deadline = time.monotonic() + self.timeout
        target = self.call("Target.createTarget", {"url": "about:blank"},
                           deadline=deadline)["targetId"]
        try:
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                deadline=deadline)["sessionId"]
            self.call("Page.enable", session=session, deadline=deadline)
            self.call("Page.navigate", {"url": Path(html_path).resolve().as_uri()},
                      session=session, deadline=deadline)
            self._wait_event("Page.loadEventFired", session, deadline)
            data = self.call("Page.printToPDF", PRINT, session=session,
                             deadline=deadline)["data"]
        finally:
            try:
                self.call("Target.closeTarget", {"targetId": target},
                          deadline=time.monotonic() + 10)
            except BrowserError:
                pass
            self._events = [e for e in self._events if e.get("sessionId") is None]
        Path(pdf_path).write_bytes(base64.b64decode(data))
        return Path(pdf_path)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            if self.alive():
                try:
                    self._send("Browser.close")
                    self.proc.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    self.proc.kill()
                    self.proc.wait(timeout=5)
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self._profile, ignore_errors=True)


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
