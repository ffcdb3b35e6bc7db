"""Size of a rendered site: total, per file type, the largest pages (issue 15 §5).

    python benchmarks/site_size.py SITE_DIR [SITE_DIR …]

Prints one block per folder, so a before / after pair built from the same store can be
read side by side. Not part of the test suite.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path


def measure(root: Path) -> dict:
    sizes: dict[str, list[int]] = defaultdict(list)
    pages = []
    for p in root.rglob("*"):
        if p.is_file():
            n = p.stat().st_size
            sizes[p.suffix or "(lain)"].append(n)
            if p.suffix == ".html":
                pages.append((n, p.relative_to(root)))
    return {"total": sum(sum(v) for v in sizes.values()), "types": sizes,
            "largest": sorted(pages, reverse=True)[:3],
            "over": sorted((n, rel) for n, rel in pages if n > LIMIT)}


# Issue 15 §5: no page over 1.5 MB except the agency-wide deviasi.
LIMIT = 1_500_000
DOWNLOADS = (".pdf", ".zip", ".xlsx", ".docx")


def main(argv: list[str]) -> None:
    for folder in argv:
        m = measure(Path(folder))
        print(f"{folder}: {m['total'] / 1e6:.1f} MB")
        for suffix, v in sorted(m["types"].items(), key=lambda kv: -sum(kv[1])):
            print(f"  {suffix:8} {sum(v) / 1e6:8.1f} MB  {len(v):4d} berkas")
        down = sum(sum(v) for k, v in m["types"].items() if k in DOWNLOADS)
        print(f"  halaman, notebook dan aset {(m['total'] - down) / 1e6:.1f} MB; "
              f"unduhan {down / 1e6:.1f} MB")
        for n, rel in m["largest"]:
            print(f"  terbesar {n / 1e6:6.2f} MB  {rel}")
        print(f"  halaman di atas {LIMIT / 1e6:.1f} MB: " + (", ".join(
            f"{rel} ({n / 1e6:.2f} MB)" for n, rel in m["over"]) or "tidak ada"))


if __name__ == "__main__":
    main(sys.argv[1:] or ["site"])
