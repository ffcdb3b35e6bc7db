"""Dashboard charts (Altair) and how they are drawn offline.

- In JupyterLab, Altair's default renderer (JupyterLab draws vega itself, offline).
- `chart_for(report, df)`: the chart kind the catalog names for a chart report.
- In rendered pages and Voilà: `embed_html(chart)` emits a `<div>` plus a
  `vegaEmbed("#id", spec, {actions: false})` call that expects `vegaEmbed` as a global,
  loaded by the page from the local bundle that `write_chart_bundle(path)` saves
  (vl_convert.javascript_bundle(): vega + vega-lite + vega-embed, one classic script).
  The same is registered as the Altair renderer "spektra".
- `chart_svg(chart)`: static SVG through vl-convert, for Word / PDF exports.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from ..reports.catalog import JENIS_BELANJA, laporan
from . import format as fmt

WARNA_JENIS = {"Pegawai": "#1f77b4", "Barang": "#d62728", "Modal": "#2ca02c",
               "Bansos": "#ff7f0e"}
SERI_RPD = {"rencana_kumulatif": "Rencana penarikan dana (kumulatif)",
            "realisasi_kumulatif": "Realisasi (kumulatif)"}
WARNA_RPD = {"Rencana penarikan dana (kumulatif)": "#000000",
             "Realisasi (kumulatif)": "#1f5fd6"}

# Indonesian number and month formats for vega (axes, tooltips computed by vega).
LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]},
    "time": {
        "dateTime": "%A, %e %B %Y %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        "months": fmt.BULAN, "shortMonths": fmt.BULAN_SINGKAT,
    },
}


# On a page a chart is as wide as the page ("container": it was a fixed 640 px, half the
# page at 1280 and a third at 1920); a file (SVG for Word / PDF) has no page: LEBAR_BERKAS.
LEBAR_BERKAS = 900


def _base(chart: alt.TopLevelMixin, title: str, keterangan: list[str] | None = None
          ) -> alt.TopLevelMixin:
    judul = alt.TitleParams(title, subtitle=keterangan, subtitleColor="#444") if keterangan \
        else title
    return chart.properties(title=judul, width="container", height=300).configure(
        locale=LOCALE, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    ).configure_legend(orient="bottom", title=None, labelLimit=0)


def _scale(values: pd.Series) -> tuple[float, str]:
    top = values.abs().max() if len(values) else 0
    return (1e9, "Miliar rupiah") if (top or 0) >= 1e9 else (1e6, "Juta rupiah")


def rpd(df: pd.DataFrame, *, title: str = "Rencana Penarikan Dana dan Realisasi"
        ) -> alt.LayerChart:
    """Cumulative RPD (black line) vs cumulative realisasi (blue line), Jan..Des."""
    long = df.melt(id_vars="bulan", value_vars=list(SERI_RPD), var_name="seri", value_name="nilai")
    long = long.dropna(subset=["nilai"]).copy()
    long["seri"] = long["seri"].map(SERI_RPD)
    long["Bulan"] = long["bulan"].map(lambda m: fmt.nama_bulan(m, singkat=True))
    long["Nama bulan"] = long["bulan"].map(fmt.nama_bulan)
    long["Nilai"] = long["nilai"].map(lambda v: "Rp" + fmt.rupiah(v))
    unit, axis_title = _scale(long["nilai"])
    long["y"] = long["nilai"] / unit
    chart = alt.Chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("Bulan:N", sort=fmt.BULAN_SINGKAT, title="Bulan",
                scale=alt.Scale(domain=fmt.BULAN_SINGKAT), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("y:Q", title=axis_title, axis=alt.Axis(format=",.1f")),
        color=alt.Color("seri:N", scale=alt.Scale(domain=list(WARNA_RPD),
                                                 range=list(WARNA_RPD.values()))),
        tooltip=[alt.Tooltip("Nama bulan:N", title="Bulan"),
                 alt.Tooltip("seri:N", title="Seri"), alt.Tooltip("Nilai:N", title="Nilai")],
    )
    return _base(chart, title)


def target_jenis_belanja(df: pd.DataFrame, *,
                         title: str = "Target dan Realisasi Penyerapan per Jenis Belanja"
                         ) -> alt.LayerChart:
    """Dashed lines: cumulative target % per jenis belanja; bars: realisasi %."""
    d = df.copy()
    d["Jenis belanja"] = d["jenis_belanja"].astype(str).map(
        lambda j: JENIS_BELANJA.get(j, f"Jenis {j}"))
    d["Bulan"] = d["bulan"].map(lambda m: fmt.nama_bulan(m, singkat=True))
    d["Nama bulan"] = d["bulan"].map(fmt.nama_bulan)
    d["Target"] = d["target_persen"].map(fmt.persen)
    d["Realisasi"] = d["realisasi_persen"].map(fmt.persen)
    present = [j for j in WARNA_JENIS if j in set(d["Jenis belanja"])]
    present += sorted(set(d["Jenis belanja"]) - set(present))
    colour = alt.Color("Jenis belanja:N", scale=alt.Scale(
        domain=present, range=[WARNA_JENIS.get(j, "#7f7f7f") for j in present]))
    x = alt.X("Bulan:N", sort=fmt.BULAN_SINGKAT, scale=alt.Scale(domain=fmt.BULAN_SINGKAT),
              title="Bulan", axis=alt.Axis(labelAngle=0))
    tooltip = [alt.Tooltip("Nama bulan:N", title="Bulan"), "Jenis belanja:N",
               alt.Tooltip("Target:N", title="Target"),
               alt.Tooltip("Realisasi:N", title="Realisasi")]
    bars = alt.Chart(d).transform_filter("isValid(datum.realisasi_persen)").mark_bar(
        opacity=0.85).encode(
        x=x, xOffset=alt.XOffset("Jenis belanja:N", sort=present),
        y=alt.Y("realisasi_persen:Q", title="% dari pagu (kumulatif)",
                axis=alt.Axis(format=",.0f")),
        color=colour, tooltip=tooltip)
    lines = alt.Chart(d).mark_line(strokeDash=[6, 4], strokeWidth=2, point=True).encode(
        x=x, y="target_persen:Q", color=colour, tooltip=tooltip)
    return _base(alt.layer(bars, lines), title, keterangan_jenis(d, present))


def keterangan_jenis(d: pd.DataFrame, jenis: list[str]) -> list[str]:
    """What the bars and lines are, and why a jenis belanja has no bar (nothing spent yet:
    a bar of 0 % is not drawn), under the chart's title."""
    lines = ["Batang: realisasi kumulatif (% dari pagu); garis putus-putus: target penyerapan "
             "instansi (bukan target IKPA)."]
    real = d.dropna(subset=["realisasi_persen"])
    kosong = [j for j in jenis
              if not (real.loc[real["Jenis belanja"] == j, "realisasi_persen"] != 0).any()]
    if kosong and len(real):
        lines.append(f"Tanpa batang: {', '.join(kosong)} — belum ada realisasi s.d. "
                     f"{fmt.nama_bulan(int(real['bulan'].max()))}.")
    return lines


SERI_PROYEKSI = {"realisasi_persen": "Realisasi (kumulatif)",
                 "rpd_persen": "Rencana penarikan dana (kumulatif)",
                 "target_persen": "Target penyerapan IKPA",
                 "proyeksi_p50": "Proyeksi P50"}
WARNA_PROYEKSI = {"Realisasi (kumulatif)": "#1f5fd6",
                  "Rencana penarikan dana (kumulatif)": "#000000",
                  "Target penyerapan IKPA": "#d62728", "Proyeksi P50": "#6f8fd8"}


def proyeksi(df: pd.DataFrame, *, title: str = "Proyeksi Penyerapan") -> alt.LayerChart:
    """Fan chart: the P10–P90 band and the P50 path of the PROYEKSI from the reporting
    month on, beside cumulative realisasi, RPD and the IKPA targets (% of pagu − blokir)."""
    d = df.copy()
    d["Bulan"] = d["bulan"].map(lambda m: fmt.nama_bulan(m, singkat=True))
    d["Nama bulan"] = d["bulan"].map(fmt.nama_bulan)
    for c in ("proyeksi_p10", "proyeksi_p90"):
        d[c.replace("proyeksi_", "").upper()] = d[c].map(fmt.persen)
    x = alt.X("Bulan:N", sort=fmt.BULAN_SINGKAT, scale=alt.Scale(domain=fmt.BULAN_SINGKAT),
              title="Bulan", axis=alt.Axis(labelAngle=0))
    band = alt.Chart(d).transform_filter("isValid(datum.proyeksi_p10)").mark_area(
        opacity=0.25, color="#6f8fd8").encode(
        x=x, y=alt.Y("proyeksi_p10:Q", title="% dari pagu − blokir (kumulatif)",
                     axis=alt.Axis(format=",.0f")), y2="proyeksi_p90:Q",
        tooltip=[alt.Tooltip("Nama bulan:N", title="Bulan"),
                 alt.Tooltip("P10:N", title="Proyeksi P10"),
                 alt.Tooltip("P90:N", title="Proyeksi P90")])
    long = d.melt(id_vars=["bulan", "Bulan", "Nama bulan"], value_vars=list(SERI_PROYEKSI),
                  var_name="seri", value_name="nilai").dropna(subset=["nilai"])
    long["seri"] = long["seri"].map(SERI_PROYEKSI)
    long["Nilai"] = long["nilai"].map(fmt.persen)
    colour = alt.Color("seri:N", scale=alt.Scale(domain=list(WARNA_PROYEKSI),
                                                 range=list(WARNA_PROYEKSI.values())))
    dash = alt.StrokeDash("seri:N", scale=alt.Scale(
        domain=list(WARNA_PROYEKSI), range=[[1, 0], [1, 0], [2, 3], [6, 4]]))
    lines = alt.Chart(long).mark_line(point=True, strokeWidth=2.2).encode(
        x=x, y="nilai:Q", color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("Nama bulan:N", title="Bulan"),
                 alt.Tooltip("seri:N", title="Seri"), alt.Tooltip("Nilai:N", title="Nilai")])
    return _base(alt.layer(band, lines), title)


SERI_IKPA = {"nilai": "Estimasi SPEKTRA", "resmi": "Nilai resmi OM-SPAN"}
WARNA_IKPA = {"Estimasi SPEKTRA": "#1f5fd6", "Nilai resmi OM-SPAN": "#000000"}
# band colours by rank, best first (the names and limits come from the rule file)
WARNA_PITA = ["#b7e4c7", "#d8f3dc", "#fff3bf", "#ffd6d6", "#f1c0c0"]


def pita_ikpa(pita: list[dict], bawah: float) -> pd.DataFrame:
    """The rule's category bands ([{nama, mulai}], highest first) as rectangles from
    `bawah` to 100: nama, dari, sampai."""
    rows, atas = [], 100.0
    for b in sorted(pita, key=lambda b: -1 if b["mulai"] is None else b["mulai"],
                    reverse=True):
        dari = max(float(b["mulai"]) if b["mulai"] is not None else 0.0, bawah)
        if dari < atas:
            rows.append({"nama": b["nama"], "dari": dari, "sampai": atas})
        atas = min(atas, dari)
    return pd.DataFrame(rows, columns=["nama", "dari", "sampai"])


def ikpa_riwayat(df: pd.DataFrame, *, title: str = "Riwayat Nilai IKPA per Bulan"
                 ) -> alt.LayerChart:
    """The estimated IKPA month by month (and OM-SPAN's where ikpa_resmi has it) over the
    rule's category bands (df.attrs["pita"]; several satker: one estimate line each)."""
    d = df.copy()
    d["Bulan"] = d["bulan"].map(lambda m: fmt.nama_bulan(int(m), singkat=True))
    d["Nama bulan"] = d["bulan"].map(lambda m: fmt.nama_bulan(int(m)))
    satu = d["kode_satker"].nunique() <= 1
    seri = SERI_IKPA if satu else {"nilai": SERI_IKPA["nilai"]}
    long = d.melt(id_vars=["kode_satker", "nama_satker", "Bulan", "Nama bulan", "kategori"],
                  value_vars=list(seri), var_name="seri", value_name="y").dropna(subset=["y"])
    long["seri"] = long["seri"].map(seri) if satu else long["nama_satker"]
    long["Nilai"] = long["y"].map(lambda v: fmt.angka(v, 2))
    low = float(long["y"].min()) if len(long) else 70.0
    bawah = max(0.0, min(60.0, (low - 5) // 10 * 10))
    pita = pita_ikpa(df.attrs.get("pita", []), bawah)
    x = alt.X("Bulan:N", sort=fmt.BULAN_SINGKAT, scale=alt.Scale(domain=fmt.BULAN_SINGKAT),
              title="Bulan", axis=alt.Axis(labelAngle=0))
    y = alt.Y("y:Q", title="Nilai IKPA", scale=alt.Scale(domain=[bawah, 100]),
              axis=alt.Axis(format=",.0f"))
    bands = alt.Chart(pita).mark_rect(opacity=0.7).encode(
        y=alt.Y("dari:Q", scale=alt.Scale(domain=[bawah, 100])), y2="sampai:Q",
        color=alt.Color("nama:N", title="Kategori", sort=list(pita["nama"]), scale=alt.Scale(
            domain=list(pita["nama"]), range=WARNA_PITA[:len(pita)])),
        tooltip=[alt.Tooltip("nama:N", title="Kategori")])
    colour = alt.Color("seri:N", title=None, scale=alt.Scale(
        domain=list(WARNA_IKPA), range=list(WARNA_IKPA.values()))) if satu else \
        alt.Color("seri:N", title=None)
    lines = alt.Chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=y, color=colour,
        strokeDash=alt.StrokeDash("seri:N", legend=None, scale=alt.Scale(
            domain=list(WARNA_IKPA), range=[[1, 0], [6, 4]])) if satu else alt.value([1, 0]),
        tooltip=[alt.Tooltip("Nama bulan:N", title="Bulan"), alt.Tooltip("seri:N", title="Seri"),
                 alt.Tooltip("Nilai:N", title="Nilai"),
                 alt.Tooltip("kategori:N", title="Kategori (estimasi)")])
    aturan = df.attrs.get("aturan", "")
    note = [f"Estimasi SPEKTRA, bukan nilai resmi; pita kategori menurut {aturan}."
            if aturan else "Estimasi SPEKTRA, bukan nilai resmi."]
    return _base(alt.layer(bands, lines).resolve_scale(color="independent"), title, note)


# The chart kinds a catalog entry may name (`bagan`).
CHARTS = {"rpd": rpd, "target_jenis_belanja": target_jenis_belanja, "proyeksi": proyeksi,
          "ikpa_riwayat": ikpa_riwayat}


def chart_for(report: str, df: pd.DataFrame, *, title: str | None = None):
    """The chart of a catalog chart report, titled as the catalog says."""
    entry = laporan(report)
    return CHARTS[entry.bagan](df, title=entry.judul if title is None else title)


# -- drawing -----------------------------------------------------------------------------

def _spec(chart) -> dict:
    # Not validated against the Vega-Lite schema on every page (a third of a chart's
    # time): tests/test_present_charts.py validates every catalog chart on the demo.
    return chart if isinstance(chart, dict) else chart.to_dict(validate=False)


def embed_html(chart, element_id: str | None = None) -> str:
    """`<div>` + a `vegaEmbed` call; waits for the page's bundle if it loads later."""
    spec = json.dumps(_spec(chart), ensure_ascii=False, sort_keys=True)
    element_id = element_id or "grafik-" + hashlib.sha1(spec.encode()).hexdigest()[:12]
    safe = spec.replace("</", "<\\/").replace("<!--", "<\\!--")
    # width:100%: vega-embed makes the div inline-block; a "container" chart takes its width
    return (f'<div id="{element_id}" class="spektra-grafik" style="width:100%"></div>\n'
            f'<script>(function () {{\n'
            f'  var spec = {safe};\n'
            f'  function draw() {{ vegaEmbed("#{element_id}", spec, {{actions: false}}); }}\n'
            f'  if (window.vegaEmbed) draw(); else window.addEventListener("load", draw);\n'
            f'}})();</script>')


def bundle_js() -> str:
    """vega + vega-lite + vega-embed as one classic script defining window.vegaEmbed."""
    return vl_convert.javascript_bundle()


def write_chart_bundle(path: str | Path) -> Path:
    """Save the chart bundle (~1 MB) once, for the site's assets and Voilà."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bundle_js(), encoding="utf-8")
    return path


def chart_svg(chart) -> str:
    """Static SVG (vl-convert, no browser) for Word and PDF, LEBAR_BERKAS wide."""
    spec = dict(_spec(chart))
    if spec.get("width") == "container":
        spec["width"] = LEBAR_BERKAS
    return vl_convert.vegalite_to_svg(spec)


def _renderer(spec: dict, **_) -> dict:
    return {"text/html": embed_html(spec)}


alt.renderers.register("spektra", _renderer)
