"""Controls for managers under Voilà, one per page parameter declared with a control
(reports/selection.py): satker / unit kerja (from the access), a choice (months, jenis
belanja) as a dropdown, and a date (the budget's date) as a date picker — that one only
when the year's budget has revisions.

Only under Voilà (env SPEKTRA_MODE=voila, or the variables Voilà sets in its kernels, see
access.under_voila) does `Halaman` build these; papermill / nbconvert pages stay static
and widget-free. A page shows only the controls its reports accept; the choices come
from access.satker_choices / unit_choices, so a User sees the own satker only. Changing
a control re-runs the page's display calls into their ipywidgets Output in place.
"""
from __future__ import annotations

from ..reports import catalog
from ..reports.selection import PARAMETER, di_kontrol, di_tautan, setiap_laporan
from ..settings import settings

# "All" (Seluruh Satker, Semua) as a value: a Dropdown reads None as "nothing selected".
SEMUA = ""


def interaktif() -> bool:
    """True when the notebook runs under Voilà (spektra serve), where widgets are live."""
    mode = settings().mode
    if mode:
        return mode == "voila"
    from ..access import under_voila
    return under_voila()


def page_parameters(name: str) -> set[str]:
    """The parameters a page's reports accept (catalog: a report page, or the dashboard)."""
    if name in catalog.PARAMETER_ANALIS:     # a starter notebook's own (the what-if)
        return set(catalog.PARAMETER_ANALIS[name]) | set(setiap_laporan())
    if not catalog.laporan_halaman(name):
        return set(di_kontrol())        # a page without reports of its own (eksplorasi): any change
    # the parameters every report takes (reports.run): every view redraws on them
    return catalog.parameter_halaman(name) | set(setiap_laporan())


def satker_options(halaman, page: str) -> list[tuple[str, str | None]]:
    """(label, kode) of the satker control; a page computed per satker offers no "all" and
    starts at the first satker the user may see (set in halaman.params)."""
    from ..access import satker_choices
    options = satker_choices(halaman.store, halaman.store.access)
    if page in catalog.SATKER_WAJIB_ANALIS or any(
            catalog.LAPORAN[r].satker_wajib for r in catalog.laporan_halaman(page)):
        options = [o for o in options if o[1] is not None]
        if halaman.params["satker"] is None and options:
            halaman.params["satker"] = options[0][1]
    return options


def unit_options(halaman) -> list[tuple[str, str | None]]:
    """(label, kode) of the unit kerja control for the chosen satker; a unit not among them
    becomes the first (unless the address was refused: the store says so)."""
    from ..access import unit_choices
    from ..problems import AksesDitolak
    p = halaman.params
    try:
        options = unit_choices(halaman.store, halaman.store.access, p["satker"])
    except AksesDitolak:
        options = []
    values = [v for _, v in options]
    if p["unit"] not in values and not halaman.ditolak:
        p["unit"] = values[0] if values else None
    return options


def _layout() -> dict:
    import ipywidgets as w
    return {"style": {"description_width": "initial"}, "layout": w.Layout(width="auto")}


class Kontrol:
    """The controls of one page; `box` is what the page shows above its title."""

    def __init__(self, halaman, page: str):
        import ipywidgets as w

        self.halaman = halaman
        self.page = page
        accepted = page_parameters(page)
        p = halaman.params
        self.widgets: dict = {}
        for name in di_kontrol():
            prm = PARAMETER[name]
            if name not in accepted:
                continue
            if name == "satker":
                self.widgets[name] = self._dropdown(name, satker_options(halaman, page),
                                                    p[name])
            elif name == "unit":
                if "satker" in accepted:
                    self.widgets[name] = self._dropdown(name, [], None)
                    self._unit_options()
            elif prm.pilihan:
                opsi = prm.opsi()
                if prm.jenis == "bulan":
                    # only the months with data (and the one asked for)
                    from ..scopes import bulan_terakhir
                    akhir = bulan_terakhir(halaman.store, p["tahun"])
                    opsi = [o for o in opsi if o[1] <= akhir or o[1] == p.get(name)]
                self.widgets[name] = self._dropdown(name, opsi, prm.awal(p[name]))
            elif prm.jenis == "tanggal" and (p.get(name) or ada_revisi(halaman.store,
                                                                     p["tahun"])):
                # Empty: the latest budget. Only offered when some satker's budget was revised.
                from datetime import date
                d = w.DatePicker(description=prm.label, **_layout(),
                                 value=date.fromisoformat(p[name]) if p.get(name) else None)
                d.add_class(f"spektra-{name}")
                self.widgets[name] = d
        for name, widget in self.widgets.items():
            widget.observe(self._berubah, names="value")
        items = [self.widgets[k] for k in di_kontrol() if k in self.widgets]
        self.unduh = None
        if halaman.mode == "halaman" and catalog.laporan_halaman(page):
            # Under `spektra serve`: the backend writes the files (serve/download.py).
            self.unduh = w.HTML(unduh_html(page, p))
            self.unduh.add_class("spektra-unduh")
            items.append(self.unduh)
        # ipywidgets has no `gap` (ignored with a warning); grid-gap is its alias in CSS.
        self.box = w.HBox(items, layout=w.Layout(flex_flow="row wrap", grid_gap="0.8em",
                                                 align_items="center"))
        self.box.add_class("spektra-kontrol")

    def _dropdown(self, name: str, options, value):
        import ipywidgets as w
        options = [(label, SEMUA if v is None else v) for label, v in options]
        value = SEMUA if value is None else value
        values = [v for _, v in options]
        # A value outside the choices (a hand-made parameter) stays unselected; the
        # store refuses it and the page says so.
        d = w.Dropdown(options=options, value=value if value in values else None,
                       description=PARAMETER[name].label, **_layout())
        d.add_class(f"spektra-{name}")
        if len(options) <= 1 and value in values:
            # Nothing else to pick; a refused value from the address leaves it open.
            d.disabled = True
        return d

    def _unit_options(self) -> None:
        unit = self.widgets["unit"]
        p = self.halaman.params
        options = unit_options(self.halaman)
        values = [v for _, v in options]
        unit.value = None            # the old value may not be among the new options
        unit.options = [(label, SEMUA if v is None else v) for label, v in options]
        # A unit refused from the address stays in params (the store refuses it) but
        # unselected, and the control stays open to pick the own one.
        unit.value = (SEMUA if p["unit"] is None else p["unit"]) if p["unit"] in values else None
        unit.disabled = len(options) <= 1 and unit.value is not None
        unit.layout.display = None if options else "none"

    def _berubah(self, change) -> None:
        name = next(k for k, v in self.widgets.items() if v is change["owner"])
        if self._sibuk:
            return
        self._sibuk = True
        changed: set[str] | None = {name}
        h = self.halaman
        # The address's notes are answered by any choice; a refused scope by a new one
        # (then every cell of the page is drawn again).
        h.pesan = []
        if h.ditolak and name in ("satker", "unit"):
            h.ditolak = None
            changed = None
        try:
            new = change["new"]
            # a date from the picker as its declared text; "all" as None
            self.halaman.params[name] = PARAMETER[name].nilai(new if new != SEMUA else None)
            if name == "satker" and "unit" in self.widgets:
                self._unit_options()
                if changed is not None:
                    changed.add("unit")
        finally:
            self._sibuk = False
        if self.unduh is not None:
            self.unduh.value = unduh_html(self.page, self.halaman.params)
        self.halaman.gambar_ulang(changed)

    _sibuk = False


def ada_revisi(store, tahun) -> bool:
    """Whether any satker's budget of `tahun` has more than one version."""
    v = store.budget_versions(int(tahun))
    return len(v) > v["kode_satker"].nunique()


UNDUH = (("xlsx", "Excel (.xlsx)"), ("docx", "Word (.docx)"), ("pdf", "PDF"))


def unduh_html(page: str, params: dict) -> str:
    """The page's Unduh menu: links to `spektra serve`'s /unduh/ with the page's current
    choices (the address parameters of page/link.py), so the file is what is shown."""
    from html import escape
    from urllib.parse import urlencode

    query = urlencode({k: params[k] for k in di_tautan() if params.get(k) not in (None, "")})
    links = "".join(f'<a class="unduh-{f}" href="/unduh/{page}.{f}?{escape(query)}" '
                    f'download style="display:block;padding:.2em .8em">{label}</a>'
                    for f, label in UNDUH)
    return ('<details class="menu-unduh" style="position:relative">'
            '<summary style="cursor:pointer;padding:.2em .6em;border:1px solid #b0b7bf;'
            'border-radius:4px;background:#fff">Unduh</summary>'
            '<div style="position:absolute;z-index:10;background:#fff;border:1px solid #b0b7bf;'
            f'border-radius:4px;min-width:10em">{links}</div></details>')
