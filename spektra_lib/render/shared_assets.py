"""One copy per site of the stylesheet and scripts that tables and filters carry inline.

A hierarchical table (present/tree.py `render_table`) brings `<style>` (assets/tabel.css
plus the colour rules, `tree.style_block()`) and the script assets/tabel.js inside its own
HTML, and a static filter (page/saring.py) brings assets/saring.js (`tables.saring_js()`),
so that a table works alone in a notebook, in Voilà or from file://. On the static site
the same text was then repeated on every page (demo site: 0,90 MB of tabel.css, 0,60 MB of
tabel.js, 0,55 MB of saring.js).

`for_site(page, root, site)` (called by pages.html for a page of the site folder `site`)
takes those exact inline texts out of a page and puts references into its `<head>`
instead, relative to the page like assets/spektra.css: `<link rel="stylesheet">` for the
stylesheet, classic synchronous `<script src>` for the scripts. A synchronous script in the head has run before the
body's inline `window.spektraTabel("id")` / `spektraDatar("id")` calls, which stay in
the page (no `defer`: a deferred script would run after them). Only what the page held is
referenced; a page whose text differs from the current asset (made by other code) keeps
its inline copy and still works.

The files are saved under site/assets/ by `write(out)` (pages.ensure_assets, the current
versions) and by `for_site` itself (the version the page held: a worker process or its
kernel may have read the assets after the parent wrote them). Their names carry a hash of
their content (`tabel.<hash>.js`): a page never refers to another version than the one it
was made with, and a page left unchanged by an incremental render keeps its script even
after tabel.js has changed (the render fingerprint does not cover the code). Old versions
stay; they are a few kB each.

Notebooks, Voilà and the Voilà snapshots (serve/snapshot.py) do not pass through here and
keep their inline copies. The texts are read through the functions the tables themselves
use, so whatever the assets hold at render time is what is matched.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

_STYLE = re.compile(r"\A<style>(.*)</style>\Z", re.S)


@dataclass(frozen=True)
class Shared:
    """One shared asset: the exact text pages hold inline, and the site file instead."""
    name: str          # file stem: tabel, saring
    suffix: str        # .css or .js
    inline: str        # the text taken out of the page
    text: str          # the file's content

    @property
    def rel(self) -> str:
        """Path from the site root, e.g. assets/tabel.3f2a9c01b4.js."""
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:10]
        return f"assets/{self.name}.{digest}{self.suffix}"

    def tag(self, root: str) -> str:
        if self.suffix == ".css":
            return f'<link rel="stylesheet" href="{root}{self.rel}">'
        return f'<script src="{root}{self.rel}"></script>'


def shared() -> list[Shared]:
    """The inline assets of the current code, in the order their references go into a
    page's head (the stylesheet, the table script, the filter script)."""
    from ..present import tables, tree
    out = []
    style = tree.style_block()
    m = _STYLE.match(style)
    if m and m.group(1).strip():
        out.append(Shared("tabel", ".css", style, m.group(1)))
    for name, text in (("tabel", tree._asset("tabel.js")), ("saring", tables.saring_js())):
        if text.strip():
            out.append(Shared(name, ".js", text, text))
    return out


def for_site(page: str, root: str, site: Path | str | None) -> str:
    """The page with each inline copy of a shared asset replaced by one reference in its
    head (`root`: the way from the page to the site root, "" or "../../../"), and the
    referenced files saved under `site`/assets/ if missing. Without `site` the page is
    returned as it is: a reference is only written next to its file."""
    if site is None or "</head>" not in page:
        return page
    used = [s for s in shared() if s.inline in page]
    if not used:
        return page
    # The version this page holds: written here, in the process that matched it (a
    # worker may have read the assets after the parent's ensure_assets, mid-edit).
    _save(site, used)
    for s in used:
        page = page.replace(s.inline, "")
    at = page.index("</head>")
    return page[:at] + "".join(s.tag(root) + "\n" for s in used) + page[at:]


def write(out: Path | str) -> list[Path]:
    """Save the current shared assets under `out`/assets/ (each version once)."""
    return _save(out, shared())


def _save(out: Path | str, items: list[Shared]) -> list[Path]:
    paths = []
    for s in items:
        path = Path(out) / s.rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(s.text, encoding="utf-8")
            os.replace(tmp, path)
        paths.append(path)
    return paths
