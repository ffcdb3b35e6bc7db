"""Executed notebook → static HTML page (nbconvert, template `spektra` extending `lab`).

The page loads nothing from the network: the template empties lab's require.js, MathJax,
mermaid and widget scripts, and loads the shared local assets (site/assets/) with
relative `<script src>` paths, so a page works from file:// and from any static server.

Page context (`resources["spektra"]`, used by templates/spektra/index.html.j2):
root, judul, scope_nama, breadcrumb [(label, href|None)], laporan_lain [{label, href,
aktif}], scripts, galat, dibuat, and `downloads` [{label, href}]: the hook for the
xlsx/docx/pdf download menu, filled by `downloads_for(job)`.
"""
from __future__ import annotations

import copy
import functools
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

import nbformat

from ..present.format import nama_bulan
from ..reports.catalog import judul
from . import shared_assets
from .matrix import Job
from .modul import groups as modul_groups

TEMPLATES = Path(__file__).parent / "templates"
CHART_BUNDLE = "assets/spektra-grafik.js"     # vega + vega-lite + vega-embed, classic script
# DataTables for itables' tables, as a classic script that imports the module from a blob:
# a module <script src> is refused from file://, and inline it was ~1 MB on every page.
TABLE_BUNDLE = "assets/spektra-tabel.js"
LAB_CSS = "assets/lab.css"
SCRIPTS = [CHART_BUNDLE, TABLE_BUNDLE]

def title(page: str) -> str:
    """A page's or report's title (the catalog's)."""
    return judul(page)


def period_label(tahun: int, bulan: int) -> str:
    return f"{nama_bulan(bulan)} {tahun}"


@functools.cache
def exporter():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class Exporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass over the whole page (alt text
        for <img>, tabindex on outputs): on a 5 MB deviasi page that pass took 90 % of
        the conversion. Our outputs have no <img>; the template sets tabindex itself."""

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return Exporter(template_name="spektra", extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, language_code="id")


def downloads_for(job: Job) -> list[dict]:
    """Download menu entries ({label, href} relative to the page): the <report>.xlsx/.docx
    written next to the page from the same run (export/pack.py), those that exist, and the
    report's place in its scope's combined PDF (`gabungan_….pdf#nameddest=<report>`, made
    with the pack at the end of the render) when its printable page was written."""
    from ..export.pack import (LABELS, PDF_LABEL, download_paths, pack_names, print_dir,
                               print_path)
    items = [{"label": LABELS[p.suffix], "href": p.name}
             for p in download_paths(job.html_path.parent, job.report) if p.exists()]
    if print_path(print_dir(job.out, job.tahun, job.bulan, job.scope.slug),
                  job.report).exists():
        _, pdf = pack_names(job.scope.slug, job.tahun, job.bulan)
        items.append({"label": PDF_LABEL, "href": f"{pdf}#nameddest={job.report}"})
    return items


def pack_items(scope_dir: Path, visible: list[str] | None = None) -> list[dict]:
    """The scope page's links to its monthly pack ({label, href, keterangan}); none when
    there is no pack, or it holds a report this audience may not see (`visible`)."""
    from ..export.pack import pack_reports
    scope_dir = Path(scope_dir)
    items = []
    for zp in sorted(scope_dir.glob("paket_*.zip")):
        try:
            held = pack_reports(zp)
        except Exception:
            continue
        if visible is not None and not set(held) <= set(visible):
            continue
        items.append({"label": "Paket laporan (zip: Excel dan Word)", "href": zp.name,
                      "keterangan": f"{len(held)} laporan, {_size(zp)}"})
        pdf = zp.with_name(zp.name.replace("paket_", "gabungan_", 1)).with_suffix(".pdf")
        if pdf.exists():
            items.append({"label": "Semua laporan dalam satu PDF", "href": pdf.name,
                          "keterangan": _size(pdf)})
    return items


def pack_group(scope_dir: Path, visible: list[str] | None = None) -> list[dict]:
    """`grup_list` entry for site.py's scope page (empty list when there is no pack)."""
    items = pack_items(scope_dir, visible)
    return [{"judul": "Unduh paket bulanan", "item": items}] if items else []


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB".replace(".", ",") if n >= 1e6 else f"{max(1, round(n / 1e3))} kB"


def page_context(job: Job, *, error: str | None = None) -> dict:
    root = "../../../"
    period = period_label(job.tahun, job.bulan)
    return {
        "root": root,
        "judul": title(job.report),
        "scope_nama": job.scope.nama,
        "breadcrumb": [("Beranda", root + "index.html"), (period, "../index.html"),
                       (job.scope.nama, "index.html"), (title(job.report), None)],
        "laporan_lain": [{"label": title(r), "href": f"{r}.html", "aktif": r == job.report}
                         for r in job.reports_in_scope],
        # The same links per module, as the seed's menu (render/modul.py).
        "modul_list": modul_groups(job.reports_in_scope, aktif=job.report),
        "scripts": SCRIPTS,
        "galat": error,
        "dibuat": datetime.now().strftime("%d/%m/%Y %H:%M"),
        "posisi_data": posisi_data(job),
        "downloads": downloads_for(job),
    }


def posisi_data(job: Job) -> str:
    """'31 Mei 2022': the latest date in the scope's data up to the page's month (the
    data's date; the footer says separately when the page was made)."""
    from ..export.common import posisi_data as teks
    from ..store import Store
    try:
        with Store(job.store, read_only=True) as st:
            return teks(st, job.tahun, job.scope.satker, job.scope.unit, job.bulan)
    except Exception:          # noqa: BLE001  no store at hand: the footer says less
        return ""


HIDDEN_TAGS = {"parameters", "injected-parameters", "remove_cell", "remove-cell"}


def for_readers(nb):
    """A copy without what readers need not see: the parameter cells, the markdown note
    right above the `parameters` cell (where values come from), warnings on stderr."""
    nb = copy.deepcopy(nb)
    keep = []
    for i, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        nxt = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if tags & HIDDEN_TAGS:
            continue
        if cell.cell_type == "markdown" and nxt is not None \
                and "parameters" in nxt.get("metadata", {}).get("tags", []):
            continue
        keep.append(cell)
    nb.cells = keep
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return nb


def html(nb, context: dict, site: Path | str | None = None) -> str:
    """The page for an executed notebook; `site`: the site folder it is written into
    (its tables' script and stylesheet are then shared files under site/assets/)."""
    nb = for_readers(nb)
    nb.metadata["title"] = f"{context['judul']} — {context['scope_nama']} — SPEKTRA"
    body, _ = exporter().from_notebook_node(nb, resources={"spektra": context})
    # The tables' stylesheet and scripts: one copy in site/assets/, not one per table.
    return shared_assets.for_site(body, context["root"], site)


# Pages whose executed notebook keeps its outputs: the landing page is made from the
# dashboard's (indexes.py write_landing).
KEEP_OUTPUTS = {"dashboard"}


def published(nb, job: Job):
    """The .ipynb published next to a page: the parameterised notebook without outputs
    (the page already shows them; with them it was a second copy of the page, 81 MB of
    the demo site) and without this machine's paths."""
    nb = copy.deepcopy(nb)
    if job.report not in KEEP_OUTPUTS:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
    for cell in nb.cells:
        # Execution clocks are noise to a reader (and their microseconds can spell a
        # satker code); the store path is this machine's, the reader's default serves.
        cell.metadata.pop("execution", None)
        cell.metadata.get("papermill", {}).clear()
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = re.sub(r"(?m)^store = .*$", "store = None", cell.source)
    pm = nb.get("metadata", {}).get("papermill")
    if pm is not None:
        for key in ("input_path", "output_path"):
            if pm.get(key):
                pm[key] = f"notebooks/{Path(pm[key]).name}"
        if "store" in pm.get("parameters", {}):
            pm["parameters"]["store"] = None
        for key in ("start_time", "end_time", "duration"):
            pm.pop(key, None)
    return nb


def write_page(nb, job: Job, *, error: str | None = None) -> None:
    """Write `<report>.ipynb` and `<report>.html` atomically (a reader never sees half)."""
    job.html_path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(job.ipynb_path, nbformat.writes(published(nb, job)))
    _atomic_write(job.html_path, html(nb, page_context(job, error=error), site=job.out))


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def ensure_assets(out: Path) -> Path:
    """site/assets/: the stylesheets, the chart bundle (~0.9 MB) and the table library
    (~1 MB), each written once per site and cached by the browser."""
    assets = Path(out) / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TEMPLATES / "assets" / "spektra.css", assets / "spektra.css")
    for rel, write in ((CHART_BUNDLE, _write_chart_bundle), (TABLE_BUNDLE, write_table_bundle),
                       (LAB_CSS, write_lab_css)):
        path = Path(out) / rel
        if not path.exists() or path.stat().st_size == 0:
            tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
            write(tmp)
            os.replace(tmp, path)
    shared_assets.write(out)
    return assets


def write_table_bundle(path: Path) -> None:
    """itables' DataTables module and stylesheet as one classic script: it sets the
    promise itables' offline tables await (what init_notebook_mode puts in every page)."""
    import json
    from itables import __version__ as version
    from itables import options
    bundle = Path(options.dt_bundle)
    name = "_itables_" + version.replace(".", "_").replace("-", "_")
    src = json.dumps(bundle.read_text(encoding="utf-8"))
    css = json.dumps(bundle.with_suffix(".css").read_text(encoding="utf-8"))
    Path(path).write_text(f"""// SPEKTRA: DataTables (itables {version}) shared by every page of the site.
(function () {{
  var name = {json.dumps(name)}, ready = {json.dumps(f"itables-{version}-ready")};
  if (window[name]) return;
  var style = document.createElement("style");
  style.textContent = {css};
  document.head.appendChild(style);
  var url = URL.createObjectURL(new Blob([{src}], {{type: "application/javascript"}}));
  window[name] = import(url);
  window[name].then(function () {{ window.dispatchEvent(new Event(ready)); }});
}})();
""", encoding="utf-8")


def write_lab_css(path: Path) -> None:
    """JupyterLab's light theme and layout, as nbconvert's lab template would inline it."""
    from jupyter_core.paths import jupyter_path
    for base in jupyter_path("nbconvert", "templates"):
        static = Path(base) / "lab" / "static"
        if (static / "index.css").exists():
            text = "\n".join((static / n).read_text(encoding="utf-8")
                             for n in ("index.css", "theme-light.css"))
            Path(path).write_text(text + LAB_EXTRA, encoding="utf-8")
            return
    raise FileNotFoundError("Template nbconvert 'lab' tidak ditemukan.")


# What lab's `notebook_css` block adds after its stylesheets.
LAB_EXTRA = """
* { -webkit-print-color-adjust: exact; }
a.anchor-link { display: none; }
.jp-InputArea, .jp-InputArea-editor { overflow: hidden; }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.jp-Collapser { display: none; }
@page { margin: 0.5in; }
@media print { .jp-Cell-inputWrapper, .jp-Cell-outputWrapper { display: block; } }
"""


def _write_chart_bundle(path: Path) -> None:
    from ..present.charts import write_chart_bundle
    write_chart_bundle(path)
