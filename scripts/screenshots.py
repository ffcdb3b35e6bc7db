"""Before / after pictures of the readable-tables work (issue 15) for the README.

    python scripts/screenshots.py SITE_DIR PREFIX

Opens the Kanreg IV pages (Realisasi POK, Deviasi detail with the first nodes opened)
and the agency's Deviasi kumulatif from SITE_DIR in Debian's Chromium at 1280 px and
writes docs/img/<PREFIX>_<page>.png. Not part of the test suite: a one-off for docs.
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from spektra_lib.export.pdf import BROWSER_FLAGS, chromium

PAGES = {"realisasi_pok": "2022/05/017234/realisasi_pok.html",
         "deviasi_detail": "2022/05/017234/deviasi_detail.html",
         "deviasi_kumulatif": "2022/05/semua/deviasi_kumulatif.html"}
IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def main(site: Path, prefix: str) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), headless=True,
                                     args=[f for f in BROWSER_FLAGS if f != "--headless"])
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


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
