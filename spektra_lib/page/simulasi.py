"""The what-if of issue 25 as a notebook shows it (starter notebook `simulasi_proyeksi`, also
under Voilà): the table when the satker follows its P50 path, and controls where it types
its planned realisasi and RPD for the coming months (rupiah, Indonesian format) and sees
the table again. reports/simulasi.py computes, present/simulasi.py formats.
"""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from ..present import format as fmt
from ..present.simulasi import tabel
from ..reports import simulasi as sim
from ..reports.catalog import JENIS_BELANJA
from ..reports.selection import Selection


PAGE = "simulasi_proyeksi"
PILIH = "<p>Pilih satu satker (parameter <code>satker</code>) untuk simulasi.</p>"


def tabel_bawaan(halaman):
    """The table when the satker follows its P50 path and keeps its RPD (under Voilà an
    Output the page's satker / month controls redraw)."""
    def render():
        p = halaman.params
        if not p["satker"]:
            return HTML(PILIH)
        return tabel(sim.simulasi_ikpa(halaman.store, _pilihan(p)))
    return halaman._tampil(render, PAGE)


def _pilihan(p: dict) -> Selection:
    """The what-if's selection from the page's parameters (the rule of the budget year)."""
    return Selection(tahun=p["tahun"], bulan=p["bulan"], satker=p["satker"])


def baca_rupiah(text: str) -> float:
    """'1.234.567' or '1234567' or '1.234.567,50' -> 1234567.5; ValueError in Indonesian."""
    t = str(text).strip().replace("Rp", "").replace(" ", "")
    if not t:
        return 0.0
    try:
        value = float(t.replace(".", "").replace(",", "."))
    except ValueError:
        raise ValueError(f"'{text}' bukan angka rupiah (contoh: 1.250.000.000).") from None
    if value < 0:
        raise ValueError(f"'{text}': rencana tidak boleh negatif.")
    return value


def kontrol(halaman):
    """The what-if controls (`isian`), built again for the new satker / month when the
    page's controls change them (under Voilà an Output the page redraws)."""
    return halaman._tampil(lambda: isian(halaman), PAGE)


def _tampilkan(out, obj) -> None:
    """Show obj alone in the Output `out` (set directly: works from a widget callback)."""
    out.outputs = ()
    out.append_display_data(obj)


def isian(halaman):
    """The what-if controls: one field per coming month × jenis belanja for realisasi and
    for the RPD (prefilled: the P50 path and the RPD in the store), a button, the table."""
    import ipywidgets as w
    p = halaman.params
    store, bulan, satker = halaman.store, p["bulan"], p["satker"]
    if not satker:
        return HTML(PILIH)
    if bulan >= 12:
        return HTML("<p>Tahun sudah berakhir: tidak ada bulan yang dapat direncanakan.</p>")
    pilihan = _pilihan(p)
    awal = sim.rencana_bawaan(store, pilihan)
    fields = {}
    grid = [w.HTML("<b>Bulan</b>")]
    jenis = sorted(awal["jenis_belanja"].unique())
    for j in jenis:
        grid += [w.HTML(f"<b>Realisasi {html.escape(JENIS_BELANJA.get(j, j))}</b>"),
                 w.HTML(f"<b>RPD {html.escape(JENIS_BELANJA.get(j, j))}</b>")]
    for m in range(bulan + 1, 13):
        grid.append(w.HTML(fmt.nama_bulan(m)))
        for j in jenis:
            row = awal[(awal["bulan"] == m) & (awal["jenis_belanja"] == j)].iloc[0]
            for col in ("realisasi", "rpd"):
                fields[(m, j, col)] = w.Text(value=fmt.rupiah(row[col]),
                                             layout=w.Layout(width="150px"))
                grid.append(fields[(m, j, col)])
    box = w.GridBox(grid, layout=w.Layout(
        grid_template_columns=f"110px repeat({2 * len(jenis)}, 160px)"))
    tombol = w.Button(description="Hitung proyeksi", button_style="primary")
    out = w.Output()

    def hitung(_=None):
        rows, salah = [], []
        for (m, j, col), f in fields.items():
            try:
                rows.append((m, j, col, baca_rupiah(f.value)))
            except ValueError as e:
                salah.append(f"{fmt.nama_bulan(m)} {JENIS_BELANJA.get(j, j)}: {e}")
        if salah:
            _tampilkan(out, HTML("<p class='pesan'>" + "<br>".join(html.escape(s) for s in salah)
                                 + "</p>"))
            return
        plan = pd.DataFrame(rows, columns=["bulan", "jenis_belanja", "kolom", "nilai"]) \
            .pivot_table(index=["bulan", "jenis_belanja"], columns="kolom",
                         values="nilai").reset_index()
        _tampilkan(out, tabel(sim.simulasi_ikpa(store, pilihan, rencana=plan)))

    tombol.on_click(hitung)
    hitung()
    page = w.VBox([box, tombol, out])
    page.fields, page.tombol, page.hasil = fields, tombol, out     # for the tests
    return page
