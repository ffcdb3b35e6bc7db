"""Report DataFrames -> HTML tables with Indonesian labels and numbers.

Flat tables (catalog style `datar`) go through itables
in offline mode (DataTables: search, paging, page length); hierarchical ones through
present/tree.py; capaian, status and IKPA (grouped per RO / satker) through
present/capaian.py. All data text is HTML-escaped (itables escapes unless allow_html).
"""
from __future__ import annotations

import hashlib

from html import escape

import pandas as pd
from itables import to_html_datatable

from ..reports.catalog import laporan
from . import format as fmt
from .kolom import ANGKA, pembaca
from .tree import deviasi_table, hierarchy_table, style_block


def _formatter(jenis: str, nama_unit: dict[str, str] | None):
    """A value of a column of kind `jenis` as the page shows it (present/kolom.py)."""
    return pembaca(jenis, nama_unit)


LANGUAGE = {
    "search": "Cari:", "lengthMenu": "Tampilkan _MENU_ baris",
    "info": "Baris _START_–_END_ dari _TOTAL_", "infoEmpty": "Tidak ada baris",
    "infoFiltered": "(disaring dari _MAX_ baris)", "zeroRecords": "Tidak ada data yang cocok",
    "emptyTable": "Tidak ada data",
    # the grouped tables' buttons (templates/tabel.html.j2): one pager look on every page
    "paginate": {"previous": "‹ Sebelumnya", "next": "Berikutnya ›"},
}
# "simple" paging (Sebelumnya / Berikutnya) as DataTables 2's layout option: itables warns, in
# the page a user reads, on the older top-level `pagingType`
LAYOUT = {"topStart": "pageLength", "topEnd": "search", "bottomStart": "info",
          "bottomEnd": {"paging": {"type": "simple"}}}


def format_flat(name: str, df: pd.DataFrame, *, nama_unit: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """The report's shown columns (catalog), formatted as text, under their labels."""
    entry = laporan(name)
    keys = list(entry.tampil) or [k.key for k in entry.kolom if k.key != "kode"]
    out = pd.DataFrame(index=df.index)
    if entry.nomor:
        out["No"] = [str(i) for i in range(1, len(df) + 1)]
    for key in keys:
        col = entry.kolom_of(key)
        shown = df[key].map(_formatter(col.jenis, nama_unit))
        # Unit Kerja with nothing in it (a Kanreg has no unit kerja) is left out; an
        # empty SP2D column stays: it says that no SP2D exists yet.
        if (col.jenis == "unit" or key in entry.kosong_sembunyi) and len(df) \
                and not shown.fillna("").astype(str).str.strip().any():
            continue
        out[col.label] = shown
    out = out.reset_index(drop=True)
    if entry.jumlah and len(df) and df.attrs.get("jumlah"):
        out.loc[len(out)] = _baris_jumlah(entry, keys, df.attrs["jumlah"], list(out.columns))
    return out


def _baris_jumlah(entry, keys: list[str], total: dict, labels: list[str]) -> list[str]:
    """The "Jumlah" row: totals under the money columns (the report's df.attrs["jumlah"],
    reports.keuangan.jumlah), the word under the first text column."""
    by_label = {entry.kolom_of(k).label: k for k in keys}
    row, named = [], False
    for label in labels:
        key = by_label.get(label)
        col = entry.kolom_of(key) if key else None
        if key in total:
            row.append(_formatter(col.jenis, None)(total[key]))
        elif col is not None and not named and col.jenis in ("teks", "jenis_belanja", "unit"):
            row.append("Jumlah")
            named = True
        else:
            row.append("")
    return row


def _table_id(name: str, shown: pd.DataFrame) -> str:
    """From the content, not itables' uuid4: the same data gives the same page bytes
    (kept kernel, Dask and papermill renders compare equal; unchanged pages stay equal)."""
    digest = hashlib.sha1(name.encode())
    digest.update(shown.to_csv(index=False).encode())
    return "itables_" + digest.hexdigest()[:16]


def saring_js() -> str:
    """assets/saring.js: the page-number box of flat tables and the static filters."""
    from .tree import _asset
    return _asset("saring.js")


def flat_table(name: str, df: pd.DataFrame, *, nama_unit: dict[str, str] | None = None,
               page_length: int = 20, saring: str = "", js: bool = True) -> str:
    """itables (DataTables) HTML; needs itables' offline init on the page (notebook.py).

    Under the table's own controls a "Ke halaman" box (the seed's page-number field);
    `saring`: a filter's controls and data (page/saring.py), inside the table's div;
    `js=False` when the page has assets/saring.js already."""
    shown = format_flat(name, df, nama_unit=nama_unit)
    kinds = {k.label: k.jenis for k in laporan(name).kolom}
    right = [i for i, c in enumerate(shown.columns) if kinds.get(c) in ANGKA]
    tid = _table_id(name, shown)
    html = to_html_datatable(
        shown, table_id=tid, connected=False, showIndex=False, ordering=False, pageLength=page_length,
        lengthMenu=[10, 20, 50, 100], layout=LAYOUT, language=LANGUAGE,
        columnDefs=[{"className": "dt-right", "targets": right}] if right else [],
        classes="display compact spektra-datar", display_logo_when_loading=False)
    root = "datar-" + tid.split("_", 1)[1]
    if laporan(name).jumlah and len(df) and df.attrs.get("jumlah"):
        # the "Jumlah" row format_flat put last (no ordering on these tables)
        saring = (f'<style>#{root} table.spektra-datar tbody tr:last-child td '
                  '{ font-weight: bold; border-top: 1px solid #888; }</style>') + saring
    return (f'<div class="spektra-tabel datar" id="{root}" data-laporan="{escape(name)}">'
            f'{saring}{html}</div>\n<script>{saring_js() if js else ""}\n'
            f'spektraDatar("{root}");</script>')


def table_html(name: str, df: pd.DataFrame, *, nama_unit: dict[str, str] | None = None) -> str:
    """The HTML table of any catalog report, in the catalog's table style."""
    gaya = laporan(name).gaya
    if gaya == "deviasi":
        return deviasi_table(df, laporan=name)
    if gaya == "pohon":
        return hierarchy_table(df, laporan=name)
    if gaya in ("capaian", "status", "ikpa"):
        from . import capaian
        if gaya == "capaian":
            return capaian.capaian_table(df, capaian_legend(), laporan=name)
        if gaya == "status":
            return capaian.status_table(df, laporan=name)
        return capaian.ikpa_table(df, laporan=name, aturan=df.attrs.get("aturan", ""))
    return flat_table(name, df, nama_unit=nama_unit)


def capaian_legend() -> dict[str, str]:
    """Rule code -> message (parameters/capaian.yaml), as the capaian report's rules."""
    from ..parameters import legenda_pelanggaran
    return legenda_pelanggaran()


def legend_html(kind: str = "deviasi") -> str:
    """The legend the catalog names: deviasi colours, pelanggaran codes, statuses."""
    if kind == "pelanggaran":
        from .capaian import legenda_pelanggaran_html
        return legenda_pelanggaran_html(capaian_legend())
    if kind == "status":
        from .capaian import legenda_status_html
        return legenda_status_html()
    return legenda_html()


def catatan_html(text: str) -> str:
    return f'{style_block()}<p class="spektra-catatan">{escape(text)}</p>'


def pesan_html(text: str) -> str:
    """A refusal or a choice to make, shown in place of a table or chart."""
    return (f'{style_block()}<p class="spektra-pesan" role="alert">{escape(text)}</p>')


def posisi_html(tanggal, satuan: list[dict] | None = None) -> str:
    """'Posisi data: 31 Mei 2022 · Ditampilkan: …' — the data's date (CONTRACT §3), never
    the time of the view, which is said apart. `satuan` (scopes.satuan_sumber): the unit
    an Excel report was read in, said after the date."""
    from datetime import datetime
    posisi = fmt.tanggal_panjang(tanggal) if tanggal else "belum ada data bertanggal"
    if satuan:
        posisi += "; " + fmt.satuan_sumber(satuan)
    now = datetime.now()
    return (f'<p class="spektra-posisi">Posisi data: {escape(posisi)} · Ditampilkan: '
            f"{fmt.tanggal_panjang(now)} pukul {now:%H.%M}</p>")


def legenda_html() -> str:
    """'hijau ≤ 10 %, kuning > 10 % s.d. 30 %, merah > 30 %; kosong: belum jatuh tempo'."""
    from .. import parameters
    from .tree import warna_rgb
    rgb, bawah, parts = warna_rgb(), None, []
    for band in parameters.load("deviasi")["pita"]:
        w, atas = band["warna"], band.get("sampai")
        if bawah is None:
            rule = f"≤ {fmt.angka(atas)} %"
        elif atas is None:
            rule = f"> {fmt.angka(bawah)} %"
        else:
            rule = f"> {fmt.angka(bawah)} % s.d. {fmt.angka(atas)} %"
        parts.append(f'<span class="legenda warna-{escape(w)}" style="background:{rgb.get(w, "")};'
                     f'padding:0 .5em">{escape(w.capitalize())}</span> {escape(rule)}')
        bawah = atas
    parts.append('<span class="legenda belum-jatuh-tempo" style="background:#f4f4f4;'
                 'padding:0 .5em">&nbsp;&nbsp;</span> kosong: belum jatuh tempo')
    return '<p class="spektra-legenda">Warna deviasi: ' + " · ".join(parts) + "</p>"
