"""Before / after pictures of the site for the README and docs/.

    python scripts/screenshots.py SITE_DIR PREFIX              # issue 15: readable tables
    python scripts/screenshots.py SITE_DIR PREFIX --set 27     # issue 27: what a new user saw

Issue 15's set opens the Kanreg IV pages (Realisasi POK, Deviasi detail with the first nodes
opened) and the agency's Deviasi kumulatif at 1280 px and writes docs/img/<PREFIX>_<page>.png.
Issue 27's set opens the agency's dashboard and Kanreg IV's Capaian Output and Estimasi IKPA
at 1280 and 1920 px (the top of each page, where charts, tables and legends start) and
writes docs/img/<PREFIX>_<page>_<width>.jpg. Not part of the test suite: a one-off for docs.
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from spektra_lib.export.pdf import BROWSER_FLAGS, chromium

PAGES = {"realisasi_pok": "2022/05/017234/realisasi_pok.html",
         "deviasi_detail": "2022/05/017234/deviasi_detail.html",
         "deviasi_kumulatif": "2022/05/semua/deviasi_kumulatif.html"}
PAGES_27 = {"dashboard": "2022/05/semua/dashboard.html",
            "capaian_output": "2022/05/017234/capaian_output.html",
            "ikpa_estimasi": "2022/05/017234/ikpa_estimasi.html"}
WIDTHS_27 = (1280, 1920)
IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def _browser(pw):
    return pw.chromium.launch(executable_path=chromium(), headless=True,
                              args=[f for f in BROWSER_FLAGS if f != "--headless"])


def main(site: Path, prefix: str) -> None:
    with sync_playwright() as pw:
        browser = _browser(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for name, rel in PAGES.items():
            page.goto((site / rel).resolve().as_uri())
            page.wait_for_selector(".spektra-tabel")
            if name.startswith("deviasi"):
                for b in page.locator("button.toggle:visible").all()[:3]:
                    b.click()
            table = page.locator(".spektra-tabel").first
            table.scroll_into_view_if_needed()
            top = table.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
            height = table.evaluate("e => e.getBoundingClientRect().height")
            page.screenshot(path=str(IMG / f"{prefix}_{name}.png"), full_page=True,
                            clip={"x": 0, "y": top, "width": 1280, "height": min(height, 520)})
            print(IMG / f"{prefix}_{name}.png")
        browser.close()


def main_27(site: Path, prefix: str, height: int = 1150) -> None:
    """The top `height` px of each page at each width, as JPEG (a few hundred KB each)."""
    with sync_playwright() as pw:
        browser = _browser(pw)
        for width in WIDTHS_27:
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, rel in PAGES_27.items():
                page.goto((site / rel).resolve().as_uri())
                page.wait_for_load_state("load")
                page.wait_for_timeout(1500)          # charts drawn by vega-embed
                out = IMG / f"{prefix}_{name}_{width}.jpg"
                page.screenshot(path=str(out), type="jpeg", quality=70,
                                clip={"x": 0, "y": 0, "width": width, "height": height})
                print(out)
                if name == "capaian_output":
                    # the page's end: the rules' legend (printed as CSS text before)
                    full = page.evaluate("document.documentElement.scrollHeight")
                    out = IMG / f"{prefix}_{name}_akhir_{width}.jpg"
                    page.screenshot(path=str(out), type="jpeg", quality=70, full_page=True,
                                    clip={"x": 0, "y": max(0, full - height), "width": width,
                                          "height": min(height, full)})
                    print(out)
            page.close()
        browser.close()


if __name__ == "__main__":
    if "--set" in sys.argv and sys.argv[sys.argv.index("--set") + 1] == "27":
        main_27(Path(sys.argv[1]), sys.argv[2])
    else:
        main(Path(sys.argv[1]), sys.argv[2])
