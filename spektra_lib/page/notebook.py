"""The few display calls a report notebook makes; a notebook cell never holds logic.

    halaman = Halaman(store=store, tahun=tahun, bulan=bulan, satker=satker, unit=unit)
    halaman.judul(NAME)      # "<catalog title> — Biro Keuangan — s.d. Mei 2022"
    halaman.tabel(NAME)      # the catalog's table style (search, paging, +/−)
    halaman.grafik(NAME)     # a chart report (catalog gaya "grafik")
    halaman.catatan(NAME)    # df.attrs["catatan"], if any

Charts: SPEKTRA_GRAFIK=halaman (set by `spektra render` / `spektra serve`) draws with
`vegaEmbed` from the page's bundle; `mandiri` also sends the bundle once (a single-file
page, Voilà without the site assets); unset keeps Altair's default (JupyterLab).
The store is opened read-only and seen with `access.current_access()`, so under Voilà a
User's page is limited to the own satker / unit (the store refuses the rest). Under Voilà
the page's address may set the initial values (`?satker=017235&bulan=3`, page/link.py):
a scope the user may not see is refused ("Akses ditolak: …" in the title's place, no data).
All state lives on the Halaman object, so a reused kernel (%reset -f) starts clean.

A preheated Voilà kernel runs the setup cell before anyone asks for the page and then
waits for the request (access.current_access). Before that wait, Halaman does only what
is the same for every user (`page` names the notebook): the newest period, and for the
dashboard its public, agency-wide figures at the default period with their chart and
table HTML (UMUM). After it, everything that depends on who asks and on the address.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

import pandas as pd
from IPython.display import HTML, Markdown

from .. import reports, scopes
from ..problems import AksesDitolak
from ..reports import catalog
from ..reports.selection import PARAMETER, setiap_laporan
from ..settings import settings
from ..store import Store
from ..present import charts, tables
from ..present import format as fmt
from . import link, saring, widgets

MODES = ("jupyter", "halaman", "mandiri")
# Public reports: the same frame for every role, so a preheated kernel may compute them
# before it knows who asks.
UMUM = frozenset(n for n, r in catalog.LAPORAN.items() if r.publik)


def open_store(store=None) -> Store:
    """An open Store: the one given, a path, or SPEKTRA_STORE / the default, read-only."""
    if isinstance(store, Store):
        return store
    return Store(Path(store) if store else None, read_only=True)


latest_period = scopes.periode_bawaan     # SPEKTRA_PERIODE, else the store's latest month
nama_scope = scopes.nama_scope


class Halaman:
    """What one report page shows, from the notebook's parameters."""

    def __init__(self, *, store=None, grafik: str | None = None,
                 interaktif: bool | None = None, tautan_query: str | None = None,
                 page: str | None = None, **pilihan):
        """`pilihan`: the notebook's page parameters (reports/selection.py PARAMETER)."""
        unknown = sorted(set(pilihan) - set(PARAMETER))
        if unknown:
            raise TypeError(f"Halaman: parameter halaman tidak dikenal: {', '.join(unknown)}")
        self.store = open_store(store)
        # Under Voilà: live controls (page/widgets.py); elsewhere a static page.
        self.interaktif = widgets.interaktif() if interaktif is None else bool(interaktif)
        # Voilà without `spektra serve` has no chart bundle on its page: send it along.
        self.mode = (grafik or settings().grafik
                     or ("mandiri" if self.interaktif else "jupyter"))
        if self.mode not in MODES:
            raise ValueError(f"SPEKTRA_GRAFIK harus salah satu dari: {', '.join(MODES)}")
        if self.mode == "jupyter":
            # An analyst's own cells show bare DataFrames: rupiah as rupiah there too.
            pd.set_option("display.float_format", fmt.angka_tabel)
        self._umum: dict[tuple, object] = {}       # public results computed before the wait
        self._terakhir: tuple[int, int] | None = None
        if not isinstance(store, Store):
            # Who is looking (Voilà's proxy header, SPEKTRA_USER, else full access); the
            # store refuses what this user may not see. A User sees the own scope by default.
            from ..access import current_access, waits_for_request
            if waits_for_request():
                self._siapkan(page, pilihan.get("tahun"), pilihan.get("bulan"))
            self.store = self.store.with_access(current_access())
        access = self.store.access
        # Under Voilà the page's address may set the initial values (page/link.py):
        # invalid ones become notes, a scope this user may not see is refused, not replaced.
        query = link.query_string() if tautan_query is None else tautan_query
        dari_tautan = link.baca(query, self.store, access) if query else link.Tautan()
        self.pesan: list[str] = dari_tautan.pesan
        self.ditolak: str | None = dari_tautan.ditolak
        # Each parameter as declared; an invalid notebook value is said under the title
        # and its default used.
        self.params = {}
        for name, prm in PARAMETER.items():
            value = dari_tautan.nilai.get(name, pilihan.get(name))
            try:
                self.params[name] = prm.nilai(value)
            except ValueError as e:
                self.pesan.append(prm.pesan(str(value), str(e)))
                self.params[name] = None
        p = self.params
        if access.sendiri and not p["satker"] and not p["unit"]:
            p["satker"], p["unit"] = access.satker, access.unit     # the first scope
        elif access.sendiri and p["satker"] and not p["unit"] \
                and access.units_of(p["satker"]):
            # a User of unit kerja of that satker: ?satker=S means the (first) own unit
            p["unit"] = access.units_of(p["satker"])[0]
        if p["tahun"] is None or p["bulan"] is None:
            t, b = self._terakhir or latest_period(self.store)
            p["tahun"], p["bulan"] = p["tahun"] or t, p["bulan"] or b
        self.kontrol = None
        self._views: list[tuple[object, Callable, set[str], bool]] = []
        self._itables_ready = False
        self._bundle_sent = False
        self._data: dict[tuple, pd.DataFrame] = {}

    # -- before the request (preheated Voilà kernel) --------------------------------------
    def _siapkan(self, page: str | None, tahun, bulan) -> None:
        """What every user's page needs alike, done while the kernel waits for a request.

        Nothing here is shown: the cells display only after the user is known, and a
        result is reused only for a public report with exactly the same parameters."""
        import ipywidgets  # noqa: F401  (the controls are built after the request)
        from ..access import PUBLIK
        try:
            self._terakhir = latest_period(self.store)
            names = [n for n in catalog.laporan_halaman(page) if n in UMUM]
            if not names or self.mode == "jupyter":
                return
            t, b = self._terakhir
            params = {"tahun": int(tahun or t), "bulan": int(bulan or b)}
            publik = self.store.with_access(PUBLIK)
            for name in names:
                key = _key(name, params)
                df = reports.run(name, publik, **dict(key[1]))
                self._umum[("data", key)] = df
                if catalog.LAPORAN[name].grafik:
                    self._umum[("grafik", key)] = self._grafik_html(name, df)
                else:
                    self._umum[("tabel", key)] = tables.table_html(name, df)
            self._umum_file = self.store.file_stamp
        except Exception:       # noqa: BLE001  the page says it after the request, in its cell
            self._umum.clear()

    # -- data --------------------------------------------------------------------------
    def _prepared(self, kind: str, key: tuple):
        """A public result computed before the request, unless an ingest has swapped the
        store since (the request then gets the new data, issue 14 §6)."""
        if self._umum and self.store.refresh().file_stamp != getattr(self, "_umum_file", None):
            self._umum.clear()
        return self._umum.get((kind, key))

    def _key(self, name: str, override: dict) -> tuple:
        if self.ditolak:
            raise AksesDitolak(self.ditolak)
        return _key(name, self.params | override)

    def data(self, name: str, **override) -> pd.DataFrame:
        """The report's tidy DataFrame with the page's parameters (those it accepts)."""
        key = self._key(name, override)
        if key not in self._data:
            umum = self._prepared("data", key) if name in UMUM else None
            self._data[key] = (umum if umum is not None
                               else reports.run(name, self.store, **dict(key[1])))
        return self._data[key]

    def periode(self, name: str | None = None) -> str:
        """'Januari s.d. Mei 2022', and with the budget's date ', anggaran per tanggal 31
        Maret 2022' (present.format.periode_laporan, as the page's files say it)."""
        jenis = catalog.LAPORAN[name].periode if name in catalog.LAPORAN else "bulan"
        params = self.params
        if jenis == "keadaan" and not params.get("tanggal"):
            # the state as of the scope's Posisi data, as the report computes it
            from ..reports.capaian import tanggal_acuan
            params = {**params, "tanggal": tanggal_acuan(
                self.store, params["tahun"], params["bulan"], params.get("satker"))}
        return fmt.periode_laporan(jenis, params)

    def scope(self, name: str | None = None) -> str:
        """The scope's name; a report that takes no satker (rankings) covers the agency."""
        accepted = set(catalog.LAPORAN[name].parameter) if name in catalog.LAPORAN else {
            "satker", "unit"}
        satker = self.params["satker"] if "satker" in accepted else None
        unit = self.params["unit"] if "unit" in accepted else None
        return nama_scope(self.store, satker, unit)

    def teks_judul(self, name: str) -> str:
        return f"{catalog.judul(name)} — {self.scope(name)} — {self.periode(name)}"

    def tampak(self, name: str) -> bool:
        """Whether this viewer's page shows the report: a User's page leaves out the
        agency-wide ones (they name every other satker), whatever the notebook asks."""
        entry = catalog.LAPORAN.get(name)
        return not (entry and entry.seluruh_instansi and self.store.access.sendiri)

    # -- display -----------------------------------------------------------------------
    def _aman(self, render: Callable, judul: bool = False):
        """render(), or the refusal as an Indonesian message instead of a traceback.

        A scope refused from the page's address is said once, in the title's place; the
        other cells then show nothing."""
        try:
            return render()
        except AksesDitolak as e:
            if self.ditolak and not judul:
                return None
            return HTML(tables.pesan_html(f"Akses ditolak: {e}"))
        except ValueError as e:
            if not self.interaktif:
                raise
            return HTML(tables.pesan_html(str(e)))

    def _tampil(self, render: Callable, name: str, judul: bool = False):
        """Static: the display object. Voilà: an Output that the controls redraw when a
        parameter of `name` (a report, or a page for its title) changes."""
        if not self.interaktif:
            return self._aman(render, judul)
        from ipywidgets import Output
        out = Output()
        self._views.append((out, render, widgets.page_parameters(name), judul))
        self._isi(out, render, judul)
        return out

    def _isi(self, out, render: Callable, judul: bool = False) -> None:
        obj = self._aman(render, judul)
        # outputs set directly (not `with out:`): works from a widget callback, and the
        # page's Output views follow the synced trait.
        out.outputs = ()
        if obj is not None:
            out.append_display_data(obj)

    def gambar_ulang(self, changed: set[str] | None = None) -> None:
        """Redraw the page's Outputs that use a changed parameter (all when None)."""
        self._data.clear()
        for out, render, uses, judul in self._views:
            if changed is None or changed & uses:
                self._isi(out, render, judul)

    def judul(self, name: str):
        """The page title rendered from the parameters (under Voilà: controls above it)."""
        def render():
            if self.ditolak:
                raise AksesDitolak(self.ditolak + (
                    " Pilih satker / unit kerja lain di atas." if self.interaktif else ""))
            text = self.teks_judul(name).replace("*", r"\*").replace("<", "&lt;")
            # Under Voilà the page has no footer: Posisi data goes under the title.
            posisi = self._posisi_html() if self.interaktif else ""
            if not self.pesan and not posisi:
                return Markdown(f"# {text}")
            # Notes on the address's invalid values, under the title (escaped there).
            notes = "".join(tables.pesan_html(p) for p in self.pesan)
            return HTML(f"<h1>{html.escape(self.teks_judul(name))}</h1>\n{posisi}{notes}")
        if not self.interaktif:
            return self._aman(render, judul=True)
        box = None
        if self.kontrol is None and name != "eksplorasi":
            # First title of the page: its controls (they may pick the satker to show).
            self.kontrol = widgets.Kontrol(self, name)
            box = self.kontrol.box
        shown = self._tampil(render, name, judul=True)
        if box is None:
            return shown
        from ipywidgets import VBox
        return VBox([box, shown])

    def _posisi_html(self) -> str:
        """The Posisi data line of this page's scope (tables.posisi_html)."""
        p = self.params
        tanggal = scopes.posisi_data(self.store, p.get("tahun"), p.get("satker"),
                                     p.get("unit"), p.get("bulan"))
        satuan = scopes.satuan_sumber(self.store, p.get("tahun"), p.get("satker"),
                                      p.get("unit"))
        return tables.posisi_html(tanggal, satuan) + "\n"

    def subjudul(self, name: str) -> Markdown | None:
        """A section heading inside a page (the dashboard's rankings and charts)."""
        if not self.tampak(name):
            return None
        return Markdown("## " + catalog.judul(name))

    def legenda(self, name: str | None = None) -> HTML:
        """The legend the catalog names for a report (pelanggaran codes, statuses), or
        without a name the deviasi colours."""
        kind = catalog.LAPORAN[name].legenda if name in catalog.LAPORAN else "deviasi"
        return HTML(tables.legend_html(kind))

    def tabel(self, name: str, **override):
        if not self.tampak(name):
            return None
        if not override and saring.bersaring_tabel(self, name):
            return saring.tabel(self, name)     # static site: its filter (issue 15)
        if (catalog.LAPORAN[name].gaya == "datar" and not self._itables_ready
                and self.mode != "halaman"):
            # Once, in the cell itself: the page keeps DataTables for every redraw.
            # In mode `halaman` the page loads DataTables itself: the static site's
            # assets/spektra-tabel.js (render/pages.py), `spektra serve`'s Voilà page
            # (serve/voila.py) — not ~1 MB inline in every page.
            from itables import init_notebook_mode
            init_notebook_mode(all_interactive=False, connected=False)
            self._itables_ready = True

        def render():
            umum = self._prepared("tabel", self._key(name, override))
            if umum is not None and name in UMUM:
                return HTML(umum)
            if self._perlu_satker(name, override):
                return self._perlu_satker(name, override)
            df = self.data(name, **override)
            nama_unit = None
            if any(k.jenis == "unit" for k in catalog.LAPORAN[name].kolom):
                nama_unit = scopes.nama_unit_map(self.store)
            return HTML(tables.table_html(name, df, nama_unit=nama_unit))
        return self._tampil(render, name)

    def grafik(self, name: str, **override):
        """A chart report (catalog `gaya="grafik"`), drawn for this page's mode."""
        if not self.tampak(name):
            return None
        if not override and saring.bersaring_grafik(self, name):
            return saring.grafik(self, name)    # static site: per satker / unit kerja

        def render():
            if self.mode != "jupyter":
                umum = self._prepared("grafik", self._key(name, override))
                if umum is not None and name in UMUM:
                    return self.chart(umum)
            if self._perlu_satker(name, override):
                return self._perlu_satker(name, override)
            df = self.data(name, **override)
            if self.mode == "jupyter":
                return self.chart(charts.chart_for(name, df))
            return self.chart(self._grafik_html(name, df))
        return self._tampil(render, name)

    def _perlu_satker(self, name: str, override: dict) -> HTML | None:
        """A report computed per satker (catalog satker_wajib) on a page without one: a
        note in its place (the IKPA page of Seluruh Satker in JupyterLab)."""
        entry = catalog.LAPORAN.get(name)
        if entry and entry.satker_wajib and (self.params | override).get("satker") is None:
            return HTML(tables.catatan_html(f"{catalog.judul(name)}: pilih satu satker untuk "
                                            "melihatnya."))
        return None

    def _grafik_html(self, name: str, df: pd.DataFrame) -> str:
        return charts.embed_html(charts.chart_for(name, df))

    def chart(self, chart):
        """Any Altair chart (eksplorasi), drawn offline for this page's mode (a str: its
        embed HTML already)."""
        if self.mode == "jupyter":
            return chart
        html = chart if isinstance(chart, str) else charts.embed_html(chart)
        if self.mode == "mandiri" and not self._bundle_sent:
            self._bundle_sent = True
            bundle = charts.bundle_js().replace("</script", "<\\/script")
            html = f"<script>{bundle}</script>\n{html}"
        return HTML(html)

    def rincian(self, name: str, **override):
        """A long trace (ikpa_rincian) folded under its title, opened on demand; for one
        satker only (for the agency it is every satker's thousands of rows: say so)."""
        if not self.tampak(name):
            return None
        if not self._itables_ready and self.mode != "halaman":
            from itables import init_notebook_mode
            init_notebook_mode(all_interactive=False, connected=False)
            self._itables_ready = True

        def render():
            judul = catalog.judul(name)
            if self.params.get("satker") is None:
                return HTML(tables.catatan_html(f"{judul}: pilih satu satker untuk melihatnya."))
            df = self.data(name, **override)
            return HTML(f'<details class="spektra-rincian"><summary>{html.escape(judul)} '
                        f"({fmt.rupiah(len(df))} besaran) — buka</summary>"
                        f"{tables.table_html(name, df)}</details>")
        return self._tampil(render, name)

    def catatan(self, name: str, **override):
        """The report's note (df.attrs['catatan']), or nothing."""
        def render():
            text = self.data(name, **override).attrs.get("catatan")
            return HTML(tables.catatan_html(text)) if text else None
        return self._tampil(render, name)


def _key(name: str, params: dict) -> tuple:
    """(report, its accepted non-empty parameters): what a result is cached under."""
    accepted = set(catalog.LAPORAN[name].parameter) | set(setiap_laporan())
    return (name, tuple(sorted((k, v) for k, v in params.items()
                               if k in accepted and v is not None)))


