"""The what-if of issue 25 (reports/simulasi.py): its table of projected quarter-end IKPA
scores, formatted. The controls are page/simulasi.py's."""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from ..reports.catalog import JENIS_BELANJA
from . import format as fmt


def tabel(df: pd.DataFrame) -> HTML:
    """Quarter ends × jenis belanja; the satker's rows carry the two scores."""
    head = ("<tr><th>Triwulan</th><th>Jenis belanja</th><th>Realisasi (% pagu)</th>"
            "<th>Target</th><th>Nilai Penyerapan</th><th>Nilai Deviasi</th><th>Dasar</th></tr>")
    rows = []
    for r in df.itertuples(index=False):
        jenis = JENIS_BELANJA.get(r.jenis_belanja, r.jenis_belanja) or "Satker (nilai)"
        cls = ' class="total"' if r.jenis_belanja == "" else ""
        rows.append(
            f"<tr{cls}><td>{html.escape(r.triwulan)}</td><td>{html.escape(jenis)}</td>"
            f"<td>{fmt.persen(r.realisasi_persen)}</td><td>{fmt.persen(r.target_persen)}</td>"
            f"<td>{fmt.angka(r.nilai_penyerapan)}</td><td>{fmt.angka(r.nilai_deviasi)}</td>"
            f"<td>{html.escape(r.dasar)}</td></tr>")
    note = html.escape(df.attrs.get("catatan", ""))
    return HTML(f'<table class="spektra-simulasi">{head}{"".join(rows)}</table>'
                f'<p class="catatan">{note}</p>')
