"""The few display calls a report notebook makes; a notebook cell never holds logic.

    halaman = Halaman(store=store, tahun=tahun, bulan=bulan, satker=satker, unit=unit)
    halaman.judul("deviasi_detail")      # "Deviasi Rencana dan Realisasi Detail — Biro Keuangan — s.d. Mei 2022"
    halaman.tabel("deviasi_detail")      # styled table (search, paging, +/−)
    halaman.grafik("grafik_rpd_realisasi")
    halaman.catatan("deviasi_detail")    # df.attrs["catatan"], if any

Charts: SPEKTRA_GRAFIK=halaman (set by `spektra render` / `spektra serve`) draws with
`vegaEmbed` from the page's bundle; `mandiri` also sends the bundle once (a single-file
page, Voilà without the site assets); unset keeps Altair's default (JupyterLab).
The store is opened read-only and seen with `access.current_access()`, so under Voilà a
User's page is limited to the own satker / unit (the store refuses the rest).
All state lives on the Halaman object, so a reused kernel (%reset -f) starts clean.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown

from .. import reports
from ..store import Store
from . import charts
from . import format as fmt
from . import tables

JUDUL_LAIN = {"dashboard": "Dashboard Realisasi Anggaran", "eksplorasi": "Eksplorasi Data"}
RANGE_REPORTS = {"realisasi_pok", "realisasi_akun", "realisasi_satker", "monitoring_spp"}
MODES = ("jupyter", "halaman", "mandiri")


def open_store(store=None) -> Store:
    """An open Store: the one given, a path, or SPEKTRA_STORE / the default, read-only."""
    if isinstance(store, Store):
        return store
    return Store(Path(store) if store else None, read_only=True)


def latest_period(store: Store) -> tuple[int, int]:
    """(tahun, bulan) of the newest data: last pagu year, last month with realisasi."""
    tahun = store.scalar("SELECT max(tahun) FROM pok")
    if tahun is None:
        raise ValueError("Store belum berisi POK: jalankan dulu `spektra ingest FOLDER`.")
    bulan = store.scalar(
        "SELECT max(m) FROM (SELECT max(month(tanggal)) m FROM realisasi WHERE tahun = ? "
        "UNION ALL SELECT max(month(tanggal)) FROM realisasi_akun WHERE tahun = ?)",
        [tahun, tahun])
    return int(tahun), int(bulan or 12)


def nama_scope(store: Store, satker=None, unit=None) -> str:
    from ..reports import scopes
    return scopes.nama_scope(store, satker=satker, unit=unit)


class Halaman:
    """What one report page shows, from the notebook's parameters."""

    def __init__(self, *, store=None, tahun=None, bulan=None, satker=None, unit=None,
                 bulan_dari=None, jenis_belanja=None, cari=None, grafik: str | None = None):
        self.store = open_store(store)
        if not isinstance(store, Store):
            # Who is looking (Voilà's proxy header, SPEKTRA_USER, else full access); the
            # store refuses what this user may not see. A User sees the own scope by default.
            from ..access import current_access
            self.store = self.store.with_access(current_access())
        access = self.store.access
        if access.role == "user" and not satker and not unit:
            satker, unit = access.satker, access.unit
        if tahun is None or bulan is None:
            t, b = latest_period(self.store)
            tahun, bulan = tahun or t, bulan or b
        self.params = {"tahun": int(tahun), "bulan": int(bulan), "satker": satker or None,
                       "unit": unit or None, "bulan_dari": bulan_dari or None,
                       "jenis_belanja": str(jenis_belanja) if jenis_belanja else None,
                       "cari": cari or None}
        self.mode = grafik or os.environ.get("SPEKTRA_GRAFIK") or "jupyter"
        if self.mode not in MODES:
            raise ValueError(f"SPEKTRA_GRAFIK harus salah satu dari: {', '.join(MODES)}")
        self._itables_ready = False
        self._bundle_sent = False
        self._data: dict[tuple, pd.DataFrame] = {}

    # -- data --------------------------------------------------------------------------
    def data(self, name: str, **override) -> pd.DataFrame:
        """The report's tidy DataFrame with the page's parameters (those it accepts)."""
        accepted = set(reports.parameters_of(name))
        params = {k: v for k, v in (self.params | override).items()
                  if k in accepted and v is not None}
        key = (name, tuple(sorted(params.items())))
        if key not in self._data:
            self._data[key] = reports.run(name, self.store, **params)
        return self._data[key]

    def periode(self, name: str | None = None) -> str:
        p = self.params
        if name in RANGE_REPORTS:
            return fmt.periode(p["tahun"], p["bulan"], p["bulan_dari"] or 1)
        return fmt.periode(p["tahun"], p["bulan"])

    def scope(self, name: str | None = None) -> str:
        """The scope's name; a report that takes no satker (rankings) covers the agency."""
        accepted = set(reports.parameters_of(name)) if name in reports.REGISTRY else {
            "satker", "unit"}
        satker = self.params["satker"] if "satker" in accepted else None
        unit = self.params["unit"] if "unit" in accepted else None
        return nama_scope(self.store, satker, unit)

    def teks_judul(self, name: str) -> str:
        judul = reports.TITLES.get(name) or JUDUL_LAIN.get(name, name)
        return f"{judul} — {self.scope(name)} — {self.periode(name)}"

    # -- display -----------------------------------------------------------------------
    def judul(self, name: str) -> Markdown:
        """The page title rendered from the parameters."""
        text = self.teks_judul(name).replace("*", r"\*").replace("<", "&lt;")
        return Markdown(f"# {text}")

    def subjudul(self, name: str) -> Markdown:
        """A section heading inside a page (the dashboard's rankings and charts)."""
        return Markdown("## " + (reports.TITLES.get(name) or JUDUL_LAIN.get(name, name)))

    def legenda(self) -> HTML:
        """The deviasi colour bands as parameters/deviasi.yaml sets them."""
        return HTML(tables.legenda_html())

    def tabel(self, name: str, **override) -> HTML:
        df = self.data(name, **override)
        if name not in tables.TREE and not self._itables_ready:
            from itables import init_notebook_mode
            init_notebook_mode(all_interactive=False, connected=False)
            self._itables_ready = True
        nama_unit = None
        if name == "monitoring_spp":
            from ..reports import scopes
            units = scopes.daftar_unit(self.store)
            nama_unit = dict(zip(units["kode_unit"], units["nama_unit"]))
        return HTML(tables.table_html(name, df, nama_unit=nama_unit))

    def grafik(self, name: str, **override):
        """grafik_rpd_realisasi or grafik_target_realisasi, drawn for this page's mode."""
        df = self.data(name, **override)
        chart = getattr(charts, name)(df, title=reports.TITLES.get(name, name))
        return self.chart(chart)

    def chart(self, chart):
        """Any Altair chart (eksplorasi), drawn offline for this page's mode."""
        if self.mode == "jupyter":
            return chart
        html = charts.embed_html(chart)
        if self.mode == "mandiri" and not self._bundle_sent:
            self._bundle_sent = True
            bundle = charts.bundle_js().replace("</script", "<\\/script")
            html = f"<script>{bundle}</script>\n{html}"
        return HTML(html)

    def catatan(self, name: str, **override) -> HTML | None:
        """The report's note (df.attrs['catatan']), or nothing."""
        text = self.data(name, **override).attrs.get("catatan")
        return HTML(tables.catatan_html(text)) if text else None
