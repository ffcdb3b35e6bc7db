"""PDF: the HTML page printed by Debian Chromium (headless), charts stay vector SVG.

Page numbers come from CSS @page margin boxes ("Halaman 1 dari 3"), the repeated header
row from the table's <thead>; no LaTeX, nothing downloaded (Playwright drives Debian's
Chromium). By default one browser per process prints every PDF through Playwright's
`page.pdf` (browser.py, ~3 s saved per file); SPEKTRA_PDF=per-berkas starts Chromium for
each file with `--print-to-pdf` (no Playwright involved).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from ..settings import settings
from .common import Grid, Meta
from .html_page import render

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--no-pdf-header-footer", "--hide-scrollbars",
         # An untagged PDF is ~13x smaller (0.5 MB vs 6.7 MB for a satker's deviasi detail).
         "--disable-pdf-tagging"]


# The CLI-only switch is not for a driven browser; page.pdf prints without header/footer.
BROWSER_FLAGS = [f for f in FLAGS if f != "--no-pdf-header-footer"]
_LOCK = threading.Lock()


def chromium() -> str:
    exe = settings().chromium or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        raise RuntimeError("Chromium tidak ditemukan: pasang paket Debian `chromium` "
                           "atau isi SPEKTRA_CHROMIUM dengan lokasinya.")
    return exe


def write_pdf(grids: list[Grid], path: Path, meta: Meta, *, charts_svg: list[str] = (),
              timeout: float = 180, html: str | None = None) -> Path:
    """`html` (a page from html_page.render*) replaces the one drawn from `grids`."""
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="spektra-pdf-") as tmp:
        page = Path(tmp) / "laporan.html"
        page.write_text(html or render(grids, meta, charts_svg=charts_svg), encoding="utf-8")
        out = Path(tmp) / "laporan.pdf"
        if settings().pdf != "per-berkas":
            from .browser import BrowserError, close_kept, kept_browser
            with _LOCK:           # one print at a time (threaded servers)
                try:
                    kept_browser(chromium(), BROWSER_FLAGS).print_pdf(page, out)
                except (BrowserError, OSError):
                    close_kept()      # a broken browser: this file the slow way, next anew
                    out.unlink(missing_ok=True)
            if out.exists() and out.stat().st_size > 0:
                shutil.move(str(out), path)
                return path
        cmd = [chromium(), *FLAGS, f"--user-data-dir={tmp}/profil",
               f"--print-to-pdf={out}", page.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(f"Chromium gagal membuat PDF (kode {proc.returncode}): "
                               f"{proc.stderr.strip()[-500:]}")
        shutil.move(str(out), path)
    return path
