"""PDF: the HTML page printed by Debian Chromium (headless), charts stay vector SVG.

Page numbers come from CSS @page margin boxes ("Halaman 1 dari 3"), the repeated header
row from the table's <thead>; no LaTeX, nothing downloaded (Playwright drives Debian's
Chromium). By default one browser per process prints every PDF through Playwright's
`page.pdf` (browser.py, ~3 s saved per file); SPEKTRA_PDF=per-berkas starts Chromium for
each file with `--print-to-pdf` (no Playwright involved).

The combined PDF of a scope (pack.write_pack) is one print of all its reports
(html_page.combine); `finish_combined` then writes the start pages into the contents on
the cover and adds a bookmark per report.
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
    return print_html(html or render(grids, meta, charts_svg=charts_svg), path,
                      timeout=timeout)


def print_html(html: str, path: Path, *, timeout: float = 180) -> Path:
    """Print one HTML document (no external request in it) to `path`."""
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="spektra-pdf-") as tmp:
        page = Path(tmp) / "laporan.html"
        page.write_text(html, encoding="utf-8")
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


# -- the combined PDF ---------------------------------------------------------------------
# The start pages are known only once printed: they are written into the empty right end of
# each contents line (its link box) in Helvetica, a standard PDF font that is never
# embedded, so the document keeps the one set of font subsets Chromium embedded.
_NUMBER_FONT = "/SpektraHal"
_NUMBER_PT = 9.5
_BASELINE = 2.1         # pt above the line box foot: the descent of the 9 pt line


def finish_combined(path: Path, reports: list[tuple[str, str]], *, title: str) -> dict[str, int]:
    """The printed combined PDF at `path`, rewritten with: each report's start page in the
    contents, a bookmark per report, the document title. `reports`: (id, title) in order;
    each id must be a named destination of the print (html_page.combine links them).
    Returns {id: first page (1-based)}."""
    from pypdf import PdfReader, PdfWriter

    path = Path(path)
    reader = PdfReader(str(path))
    starts = {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
              for name, dest in reader.named_destinations.items()}
    missing = [r for r, _ in reports if r not in starts]
    if missing:
        raise RuntimeError(f"PDF gabungan tanpa tujuan untuk: {', '.join(missing)}")
    writer = PdfWriter(clone_from=reader)
    first = min(starts[r] for r, _ in reports) - 1          # pages before: the cover
    for page in writer.pages[:first]:
        _write_numbers(writer, page, starts)
    for report, judul in reports:
        writer.add_outline_item(judul, starts[report] - 1)
    writer.add_metadata({"/Title": title})
    tmp = path.with_name(f".{path.name}.selesai")
    try:
        with open(tmp, "wb") as fh:
            writer.write(fh)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return {r: starts[r] for r, _ in reports}


def _link_name(annot) -> str | None:
    dest = annot.get("/Dest")
    if dest is None and "/A" in annot:
        dest = annot["/A"].get_object().get("/D")
    return str(dest).lstrip("/") if isinstance(dest, str) else None


def _write_numbers(writer, page, starts: dict[str, int]) -> None:
    from pypdf.generic import ContentStream, DictionaryObject, NameObject
    ops = []
    for ref in page.get("/Annots", []):
        annot = ref.get_object()
        name = _link_name(annot) if annot.get("/Subtype") == "/Link" else None
        if name not in starts:
            continue
        x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
        text = str(starts[name])
        width = 0.556 * _NUMBER_PT * len(text)          # Helvetica digits: 556/1000 em
        # the last line of the box (a long title wraps), baseline a little above its foot
        y = min(y0, y1) + _BASELINE
        ops.append(f"BT {_NUMBER_FONT} {_NUMBER_PT} Tf {max(x0, x1) - width:.2f} "
                   f"{y:.2f} Td ({text}) Tj ET")
    if not ops:
        return
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    resources = page["/Resources"].get_object()
    if "/Font" not in resources:
        resources[NameObject("/Font")] = DictionaryObject()
    resources["/Font"].get_object()[NameObject(_NUMBER_FONT)] = font
    content = page.get_contents()
    data = b"q\n" + (content.get_data() if content is not None else b"") + b"\nQ\n" \
        + ("q 0.2 0.2 0.2 rg " + " ".join(ops) + " Q\n").encode("ascii")
    stream = ContentStream(None, writer)
    stream.set_data(data)
    page.replace_contents(stream)
