"""Charts of the chart reports (catalog `gaya="grafik"`): present.charts, drawn statically.

Vector SVG for HTML and PDF, PNG (vl-convert, no browser, no network) for Word.
"""
from __future__ import annotations

import pandas as pd
import vl_convert as vlc

from ..present import charts
from ..reports import catalog


def chart_for(report: str, df: pd.DataFrame):
    """The report's chart, or None (not a chart report, or no rows)."""
    entry = catalog.LAPORAN.get(report)
    if entry is None or not entry.grafik or df.empty:
        return None
    return charts.chart_for(report, df)


def svg(chart) -> str:
    return charts.chart_svg(chart)


def png(chart, scale: float = 3) -> bytes:
    """About 200 dpi for a chart printed ~15 cm wide."""
    return vlc.vegalite_to_png(chart.to_json(), scale=scale)
