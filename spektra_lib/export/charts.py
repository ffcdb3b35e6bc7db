"""Charts for the chart reports: present.charts when it is there, a plain fallback otherwise.

Vector SVG for HTML and PDF, PNG (vl-convert, no browser, no network) for Word.
"""
from __future__ import annotations

import pandas as pd

from ..present import format as fmt
from .common import CHART_REPORTS, JENIS_BELANJA


def chart_for(report: str, df: pd.DataFrame):
    if report not in CHART_REPORTS or df.empty:
        return None
    try:
        from ..present import charts
        return getattr(charts, report)(df)
    except (ImportError, AttributeError):
        return _fallback(report, df)


def svg(chart) -> str:
    try:
        from ..present.charts import chart_svg
        return chart_svg(chart)
    except (ImportError, AttributeError):
        import vl_convert as vlc
        return vlc.vegalite_to_svg(chart.to_json())


def png(chart, scale: float = 3) -> bytes:
    """About 200 dpi for a chart printed ~15 cm wide."""
    import vl_convert as vlc
    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def _fallback(report: str, df: pd.DataFrame):
    import altair as alt
    d = df.copy()
    d["Bulan"] = d["bulan"].map(lambda m: fmt.nama_bulan(int(m), singkat=True))
    order = [fmt.nama_bulan(m, singkat=True) for m in range(1, 13)]
    x = alt.X("Bulan:N", sort=order, title=None)
    if report == "grafik_rpd_realisasi":
        long = d.melt(id_vars=["Bulan"], value_vars=["rencana_kumulatif", "realisasi_kumulatif"],
                      var_name="Seri", value_name="Rupiah")
        long["Seri"] = long["Seri"].map({"rencana_kumulatif": "Rencana (RPD) kumulatif",
                                         "realisasi_kumulatif": "Realisasi kumulatif"})
        chart = alt.Chart(long).mark_line(point=True).encode(
            x=x, y=alt.Y("Rupiah:Q", title="Rupiah"),
            color=alt.Color("Seri:N", scale=alt.Scale(range=["#1f4e9c", "#000000"]),
                            title=None))
    else:
        d["Jenis belanja"] = d["jenis_belanja"].astype(str).map(
            lambda j: JENIS_BELANJA.get(j, j))
        colour = alt.Color("Jenis belanja:N", scale=alt.Scale(
            range=["#1f4e9c", "#c0392b", "#2e8b57", "#e67e22"]))
        bars = alt.Chart(d).mark_bar(opacity=0.75).encode(
            x=x, xOffset="Jenis belanja:N",
            y=alt.Y("realisasi_persen:Q", title="% pagu"), color=colour)
        lines = alt.Chart(d).mark_line(strokeDash=[5, 3]).encode(
            x=x, y="target_persen:Q", color=colour)
        chart = bars + lines
    return chart.properties(width=640, height=240)
