"""The PDF export (Debian Chromium): A4 landscape, title, header on every page, page numbers."""
from __future__ import annotations

import shutil
import threading

import pdfplumber
import pytest

from spektra_lib.export import write
from test_export_common import EVIL_LINK, META, NODES, deviasi_frame, rpd_chart_frame

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None and
                                not shutil.os.path.exists("/usr/bin/chromium"),
                                reason="Chromium Debian tidak terpasang")


def _many_nodes(n: int):
    """The test hierarchy plus `n` extra akun under the same subkomponen: several pages."""
    extra = [("akun", f"5{i:05d}", f"WA.4843.EBA.994.001.A.5{i:05d}", f"Belanja tambahan {i}")
             for i in range(n)]
    return deviasi_frame(NODES[:-3] + extra + NODES[-3:])


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "deviasi.pdf"
    write(_many_nodes(60), path, report="deviasi_detail", meta=META)
    with pdfplumber.open(path) as doc:
        yield [p.extract_text() or "" for p in doc.pages], doc.pages[0]


def test_a4_landscape_with_title_block(pdf):
    texts, first = pdf
    assert (round(first.width), round(first.height)) == (842, 595)
    assert texts[0].startswith("Deviasi Rencana dan Realisasi Detail")
    assert "Periode s.d. Mei 2022" in texts[0]
    # the data's date and the file's, each under its own name
    assert "Posisi data 31 Mei 2022" in texts[0]
    assert "Dibuat 22 November 2026 pukul 14.05" in texts[0]
    assert "Tanggal data" not in texts[0]


def test_header_row_and_page_number_on_every_page(pdf):
    texts, _ = pdf
    n = len(texts)
    assert n >= 3
    for i, text in enumerate(texts, start=1):
        assert "Kode Uraian Keterangan Pagu Jan Feb Mar" in text, i
        assert f"Halaman {i} dari {n}" in text, i


def test_numbers_in_indonesian_format_and_text_escaped(pdf):
    texts, _ = pdf
    everything = "\n".join(texts)
    assert "\nEBA Layanan Dukungan" in everything       # uraian may wrap in its column
    assert "9.049.762.480" in everything and "11,45 %" in everything
    assert EVIL_LINK in everything
    assert everything.count("Belanja tambahan") == 60


def test_chart_is_vector_not_image(tmp_path):
    path = tmp_path / "grafik.pdf"
    write(rpd_chart_frame(), path, report="grafik_rpd_realisasi", meta=META)
    with pdfplumber.open(path) as doc:
        page = doc.pages[0]
        assert page.images == []                     # no raster picture of the chart
        assert len(page.curves) + len(page.lines) > 5   # the lines are drawn as paths
        text = "\n".join(p.extract_text() for p in doc.pages)
    assert "Jan" in text and "16.474.236.083" in text


def test_one_kept_browser_prints_each_file_like_a_fresh_chromium(tmp_path, monkeypatch):
    """The kept browser (browser.py, Playwright) and a Chromium per file give the same pages."""
    from spektra_lib.export import browser
    df = deviasi_frame(NODES)
    write(df, tmp_path / "a.pdf", report="deviasi_detail", meta=META)
    kept = browser._KEPT
    assert kept is not None and kept.alive()
    write(df, tmp_path / "b.pdf", report="deviasi_detail", meta=META)
    assert browser._KEPT is kept                      # the same process printed both
    monkeypatch.setenv("SPEKTRA_PDF", "per-berkas")
    write(df, tmp_path / "c.pdf", report="deviasi_detail", meta=META)
    pages = []
    for name in "abc":
        with pdfplumber.open(tmp_path / f"{name}.pdf") as doc:
            pages.append([p.extract_text() for p in doc.pages])
    assert pages[0] == pages[1] == pages[2]
    assert "Halaman 1 dari" in pages[0][0]


def _run(asyncio, coro, errors):
    try:
        asyncio.run(coro())
    except Exception as exc:   # surfaced by the test's assert
        errors.append(repr(exc))


def test_pdf_from_a_thread_with_a_running_event_loop(tmp_path):
    """A Jupyter kernel or Voilà's server runs an asyncio loop; Playwright's sync API
    refuses such a thread, so the kept browser prints from a thread of its own."""
    import asyncio

    async def inside_a_loop():
        write(deviasi_frame(NODES), tmp_path / "d.pdf", report="deviasi_detail", meta=META)
    # Its own thread: a browser test earlier in this process may hold the main thread's
    # loop (Playwright's sync API), and asyncio.run refuses to nest.
    errors = []
    worker = threading.Thread(target=lambda: _run(asyncio, inside_a_loop, errors))
    worker.start()
    worker.join()
    assert not errors, errors
    with pdfplumber.open(tmp_path / "d.pdf") as doc:
        assert "Halaman 1 dari" in doc.pages[0].extract_text()
