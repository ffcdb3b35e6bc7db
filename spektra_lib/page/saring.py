"""The seed's filters on the static site, over data the page already holds (issue 15).

A rendered page has no server behind it, so each filter value's table or chart travels
with the page, compactly, and a small script (assets/saring.js, inlined with the flat
table) switches what is shown:

- a declared choice with an "all" (reports/selection.py: jenis belanja) on the rankings:
  the report run once per choice, each as itables' escaped row JSON (`tabel`);
- dari – s.d. bulan on realisasi satker (and rekap jenis belanja): the report for every
  month range, all from one query (reports.keuangan.semua_rentang) (`tabel`); on
  monitoring SPP the rows of the whole range with each row's month, the script keeps
  those in the range and renumbers "No";
- satker / unit kerja on the dashboard's charts (`pilih_scope`, `grafik`): one vega-lite
  spec per distinct shape, each choice carrying only its datasets. Only the scopes the
  page's viewer may see are offered (a User: the own satker and its unit kerja); the store
  refuses the rest anyway.

Reports compute, this module formats (present/tables.py, present/charts.py). The
notebooks stay display calls: `Halaman.tabel` / `Halaman.grafik` hand a static page's
report to `tabel` / `grafik` here when `bersaring_tabel` / `bersaring_grafik` say it has
a filter. In a live page (Voilà) or JupyterLab they do not: there the controls above the
page run the report again. The dashboard's satker / unit kerja select comes with its
first chart.

Hooks for browser tests and stylesheets: `div.spektra-saring` with
`select.saring[data-saring=nilai|dari|sd]` and `.saring-keterangan` (what is shown) inside
the table's `div.spektra-tabel.datar`, which gets `data-saring-siap` once the script has
taken over and `data-pilihan` after a choice; `select.pilih-scope` above the charts, each
chart in `div.spektra-grafik-pilihan[data-pilihan]`; `label.ke-halaman input.ke-halaman`
under a paged flat table. Texts from data are escaped: rows as itables escapes them, JSON
with `</` written `<\/`, option labels through html.escape.
"""
from __future__ import annotations

import json
import re
import weakref
from html import escape

from .. import scopes
from ..problems import AksesDitolak
from ..reports import catalog
from ..reports.selection import PARAMETER, Parameter
from ..settings import settings
from ..present import charts, tables
from ..present import format as fmt

# Reports whose range filter keeps rows by a date column's month (one row per document).
BARIS_BULAN = {"monitoring_spp": "tgl_spp"}


def statis(halaman) -> bool:
    """A page rendered for the static site (not Voilà, not an analyst's JupyterLab), unless
    SPEKTRA_SARING=mati (pages a server draws: its own controls ask it for the choice)."""
    return (not halaman.interaktif and halaman.mode == "halaman"
            and settings().saring == "statis")


def _json(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


_JS_SENT: "weakref.WeakSet" = weakref.WeakSet()


def _js_sekali(halaman) -> bool:
    """True the first time a page asks: assets/saring.js goes once into each page."""
    first = halaman not in _JS_SENT
    _JS_SENT.add(halaman)
    return first


def _js(halaman) -> str:
    return tables.saring_js() + "\n" if _js_sekali(halaman) else ""


def _blok(data_json: str, cls: str) -> str:
    return f'<script type="application/json" class="{cls}">{data_json}</script>'


# -- flat tables -------------------------------------------------------------------------
def _pilihan(entry) -> Parameter | None:
    """The declared choice with an "all" (jenis belanja) a static page filters a report's
    flat table by; a month-range report filters by its months instead."""
    if entry.periode == "rentang":
        return None
    return next((PARAMETER[p] for p in entry.parameter
                 if PARAMETER[p].jenis == "pilihan" and PARAMETER[p].semua), None)


def bersaring_tabel(halaman, name: str) -> bool:
    """Whether a static page shows this report's table with a filter."""
    entry = catalog.LAPORAN.get(name)
    return bool(entry and statis(halaman) and entry.gaya == "datar"
                and (_pilihan(entry) or entry.periode == "rentang") and halaman.tampak(name))


def tabel(halaman, name: str):
    """The report's table with its filter (a choice or months); see bersaring_tabel."""
    from IPython.display import HTML
    prm = _pilihan(catalog.LAPORAN[name])

    def render():
        html = _tabel_pilihan(halaman, name, prm) if prm else _tabel_rentang(halaman, name)
        return HTML(html)
    return halaman._aman(render)


def _nama_unit(halaman, name: str):
    if any(k.jenis == "unit" for k in catalog.LAPORAN[name].kolom):
        return scopes.nama_unit_map(halaman.store)
    return None


def _rows(name: str, df, nama_unit, columns) -> list[list]:
    """itables' own rows (HTML-escaped as itables escapes the table's first rows)."""
    from itables.javascript import datatables_rows
    shown = tables.format_flat(name, df, nama_unit=nama_unit)
    shown = shown.reindex(columns=columns, fill_value="")
    return json.loads(datatables_rows(shown))


def _kamus(variants: dict[str, list[list]]) -> dict:
    """Row sets as one dictionary of texts per column and each set as rows of indices: a
    satker's name or pagu is written once, not once per month range (saring.js opens it)."""
    kamus: list[dict] = []
    baris = {}
    for key, rows in variants.items():
        out = []
        for r in rows:
            while len(kamus) < len(r):
                kamus.append({})
            out.append([kamus[c].setdefault(v, len(kamus[c])) for c, v in enumerate(r)])
        baris[key] = out
    return {"kamus": [list(k) for k in kamus], "baris": baris}


def _select(kind: str, label: str, options: list[tuple[str, str]], value: str) -> str:
    opts = "".join(
        f'<option value="{escape(v)}"{" selected" if v == value else ""}>{escape(t)}</option>'
        for v, t in options)
    return (f'<label class="saring-{kind}">{escape(label)} <select class="saring" '
            f'data-saring="{kind}" disabled>{opts}</select></label>')


def _kontrol(selects: str, keterangan: str, data_json: str) -> str:
    return (f'<div class="spektra-saring" role="group" aria-label="Saring tabel">{selects}'
            f'<span class="saring-keterangan" aria-live="polite">{escape(keterangan)}</span>'
            f'{_blok(data_json, "saring-data")}</div>')


def _tabel_pilihan(halaman, name: str, prm: Parameter) -> str:
    """Rankings: one row set per choice of `prm` (jenis belanja; only those with rows)."""
    nama_unit = _nama_unit(halaman, name)
    bawaan = str(halaman.params.get(prm.name) or "")
    df0 = halaman.data(name)
    columns = list(tables.format_flat(name, df0, nama_unit=nama_unit).columns)
    variants, label, options = {}, {}, []
    for teks, nilai in prm.opsi():
        kode = "" if nilai is None else str(nilai)
        df = df0 if kode == bawaan else halaman.data(name, **{prm.name: nilai})
        if kode and not len(df) and kode != bawaan:
            continue
        options.append((kode, teks))
        label[kode] = prm.sebut(kode)
        if kode != bawaan:
            variants[kode] = _rows(name, df, nama_unit, columns)
    data = _json({"mode": "pilihan", "bawaan": bawaan, "label": label} | _kamus(variants))
    kontrol = _kontrol(_select("nilai", f"{prm.label}:", options, bawaan),
                       label[bawaan], data)
    return tables.flat_table(name, df0, nama_unit=nama_unit, saring=kontrol,
                             js=_js_sekali(halaman))


def _bulan_options(awal: int, akhir: int) -> list[tuple[str, str]]:
    return [(str(m), fmt.nama_bulan(m)) for m in range(awal, akhir + 1)]


def _per_rentang(halaman, name: str, akhir: int) -> dict:
    """{(dari, sd): the report for that range} for every range up to the page's month.

    A report with a batch path (reports.keuangan.RENTANG) runs once for all of them: per
    range, the central satker's rekap took ~35 s at 1.000 satker (benchmarks/README.md).
    Not through halaman.data: the page's cache, and so its downloads, keep the page's own
    range as each report's first view (export/pack.py simpan_data)."""
    from ..reports import keuangan
    if name not in keuangan.RENTANG:
        return {(d, s): halaman.data(name, bulan_dari=d, bulan=s)
                for d in range(1, akhir + 1) for s in range(d, akhir + 1)}
    _, given = halaman._key(name, {})
    return keuangan.semua_rentang(name, halaman.store, **dict(given))


def _tabel_rentang(halaman, name: str) -> str:
    """Dari – s.d. bulan within the page's month: rows by month (SPP) or one row set per
    range (totals per satker / unit kerja)."""
    p = halaman.params
    tahun, akhir, dari = p["tahun"], p["bulan"], p.get("bulan_dari") or 1
    nama_unit = _nama_unit(halaman, name)
    df0 = halaman.data(name)
    columns = list(tables.format_flat(name, df0, nama_unit=nama_unit).columns)
    label = {f"{d}-{s}": f"Periode {fmt.periode(tahun, s, d)}"
             for d in range(1, akhir + 1) for s in range(d, akhir + 1)}
    bawaan = f"{dari}-{akhir}"
    if name in BARIS_BULAN:
        months = [int(m) for m in df0[BARIS_BULAN[name]].dt.month.fillna(0)]
        data = _json({"mode": "baris", "bawaan": bawaan, "label": label, "bulan": months,
                      "nomor": catalog.LAPORAN[name].nomor})
    else:
        variants = {f"{d}-{s}": _rows(name, df, nama_unit, columns)
                    for (d, s), df in _per_rentang(halaman, name, akhir).items()
                    if f"{d}-{s}" != bawaan}
        data = _json({"mode": "rentang", "bawaan": bawaan, "label": label}
                     | _kamus(variants))
    # Rows by month hold the page's range only; totals per range cover January on.
    awal = dari if name in BARIS_BULAN else 1
    selects = (_select("dari", "Dari bulan:", _bulan_options(awal, akhir), str(dari))
               + _select("sd", "s.d. bulan:", _bulan_options(awal, akhir), str(akhir)))
    kontrol = _kontrol(selects, label[bawaan], data)
    return tables.flat_table(name, df0, nama_unit=nama_unit, saring=kontrol,
                             js=_js_sekali(halaman))


# -- dashboard charts per satker / unit kerja -------------------------------------------
def _kunci(satker, unit) -> str:
    return f"{satker}/{unit}" if unit else (satker or "")


_PILIHAN: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def pilihan_scope(halaman) -> list[tuple[str, str, str | None, str | None, str]]:
    """(key, label, satker, unit, group) the viewer may choose on the dashboard: the
    agency, every satker and the central satker's unit kerja for Admin / Super User /
    Publik; a User of a satker the own satker and its unit kerja; a unit's User none.
    Asked for each chart and its select: worked out once per page."""
    opts = _PILIHAN.get(halaman)
    if opts is None:
        opts = _PILIHAN[halaman] = _pilihan_scope(halaman)
    return opts


def _pilihan_scope(halaman) -> list[tuple[str, str, str | None, str | None, str]]:
    from ..access import satker_choices, unit_choices
    store, access = halaman.store, halaman.store.access
    if access.sendiri and len(access.lingkup) == 1 and access.unit:
        return []                       # one unit kerja: nothing to choose
    out = []
    for label, kode in satker_choices(store, access):
        if access.sendiri and access.units_of(kode):
            continue                    # only some of its units: offered below
        out.append((_kunci(kode, None), label if kode else "Seluruh satker", kode, None,
                    "Satuan kerja"))
    # the unit kerja offered: the central satker's (every role), or each own satker's
    pusat = access.satkers if access.sendiri else [scopes.satker_pusat(store)]
    for satker in pusat:
        if not satker:
            continue
        try:
            units = unit_choices(store, access, satker)
        except AksesDitolak:
            units = []
        out += [(_kunci(satker, kode), label, satker, kode,
                 "Unit kerja " + _nama(store, satker)) for label, kode in units if kode]
    return out


def _nama(store, satker) -> str:
    try:
        return scopes.nama_scope(store, satker)
    except AksesDitolak:
        return satker


def _nama_judul(store, satker, unit) -> str:
    try:
        return scopes.nama_scope(store, satker, unit)
    except AksesDitolak:
        return ""


def _pilih_scope(halaman, opts) -> str:
    """The satker / unit kerja select above the dashboard's charts."""
    p = halaman.params
    bawaan = _kunci(p.get("satker"), p.get("unit"))
    groups: dict[str, list] = {}
    for key, label, _, _, group in opts:
        groups.setdefault(group, []).append((key, label))
    # data-judul: the scope's name as the page title writes it, swapped in on a choice
    judul = {k: _nama_judul(halaman.store, satker, unit) for k, _, satker, unit, _ in opts}
    body = ""
    for group, items in groups.items():
        o = "".join(f'<option value="{escape(k)}" data-nama="{escape(t)}" '
                    f'data-judul="{escape(judul[k])}"'
                    f'{" selected" if k == bawaan else ""}>{escape(t)}</option>'
                    for k, t in items)
        body += f'<optgroup label="{escape(group)}">{o}</optgroup>'
    shown = next((t for k, t, *_ in opts if k == bawaan), "")
    root = "pilih-scope"
    return (f'<div class="spektra-saring spektra-pilih-scope" '
            f'id="{root}"><label>Satker / unit kerja pada grafik: <select class="pilih-scope" '
            f'disabled>{body}</select></label> <span class="saring-keterangan">'
            f'{escape(shown)}</span></div>'
            f'<script>{_js(halaman)}spektraPilihScope("{root}");</script>')


def _grafik_halaman() -> list[str]:
    return [n for n in catalog.laporan_halaman("dashboard") if catalog.LAPORAN[n].grafik]


# Each choice is a report run and a chart spec: at 1.000 satker the agency dashboard took
# 193 s and 9,8 MB with every scope's charts (5,4 s / 120 KB without). Above this many
# choices the page keeps its own scope's charts; each satker has its own dashboard page.
MAKS_PILIHAN_GRAFIK = 120


def bersaring_grafik(halaman, name: str) -> bool:
    """Whether a static page draws this dashboard chart for a choice of scopes."""
    return (name in _grafik_halaman() and statis(halaman) and halaman.tampak(name)
            and 1 < len(pilihan_scope(halaman)) <= MAKS_PILIHAN_GRAFIK)


_DATASET = re.compile(r'"(data-[0-9a-f]{6,})"')


def _lepas_data(spec: dict) -> tuple[str, dict]:
    """(spec JSON without its datasets, named d0, d1, … in order of use; datasets)."""
    datasets = spec.pop("datasets", {})
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    names: dict[str, str] = {}
    for m in _DATASET.finditer(text):
        names.setdefault(m.group(1), f"d{len(names)}")
    for old, new in names.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return text, {names.get(k, k): v for k, v in datasets.items()}


def _kolom(datasets: dict, kata: dict) -> dict:
    """A chart's datasets by column, {name: {n, k: {field: values | {s: text indices}}}};
    texts (month names, series, formatted rupiah) come from `kata`, shared by every choice."""
    out = {}
    for dname, rows in datasets.items():
        fields = list(dict.fromkeys(k for r in rows for k in r))
        cols = {}
        for f in fields:
            vals = [r.get(f) for r in rows]
            if any(isinstance(v, str) for v in vals):
                cols[f] = {"s": [-1 if v is None else kata.setdefault(str(v), len(kata))
                                 for v in vals]}
            else:
                cols[f] = [round(v, 4) if isinstance(v, float) else v for v in vals]
        out[dname] = {"n": len(rows), "k": cols}
    return out


def grafik(halaman, name: str):
    """A dashboard chart drawn again for the scope chosen in the select, which the first
    chart of the page brings along; see bersaring_grafik."""
    from IPython.display import HTML
    opts = pilihan_scope(halaman)

    def render():
        p = halaman.params
        bawaan = _kunci(p.get("satker"), p.get("unit"))
        specs: list[str] = []
        pilihan: dict[str, list] = {}
        for key, _, satker, unit, _ in opts:
            try:
                df = halaman.data(name, satker=satker, unit=unit)
            except AksesDitolak:
                continue
            text, datasets = _lepas_data(charts._spec(charts.chart_for(name, df)))
            if text not in specs:
                specs.append(text)
            pilihan[key] = [specs.index(text), datasets]
        if bawaan not in pilihan:
            raise AksesDitolak(f"Satker / unit kerja {bawaan} tidak dapat ditampilkan.")
        spec = json.loads(specs[pilihan[bawaan][0]]) | {"datasets": pilihan[bawaan][1]}
        gid = f"grafik-{name}"
        chart = charts.embed_html(spec, element_id=gid)
        kata: dict[str, int] = {}
        ringkas = {k: [i, _kolom(ds, kata)] for k, (i, ds) in pilihan.items()}
        data = ('{"spesifikasi":[' + ",".join(specs) + '],"kata":' + _json(list(kata))
                + ',"bawaan":' + _json(bawaan) + ',"pilihan":' + _json(ringkas)
                + "}").replace("</", "<\\/").replace("<!--", "<\\!--")
        root = f"pilihan-{name}"
        first = next(n for n in _grafik_halaman() if halaman.tampak(n)) == name
        # Only the choices whose data the page holds (the store refused none so far).
        shown = [o for o in opts if o[0] in pilihan]
        return HTML((_pilih_scope(halaman, shown) if first else "")
                    + f'<div class="spektra-grafik-pilihan" id="{root}" data-laporan="{escape(name)}"'
                    f' data-pilihan="{escape(bawaan)}">{chart}{_blok(data, "grafik-data")}</div>'
                    f'<script>{_js(halaman)}spektraGrafik("{root}");</script>')
    return halaman._aman(render)
