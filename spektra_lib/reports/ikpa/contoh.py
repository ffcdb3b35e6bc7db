"""A made-up official IKPA for the synthetic agency (issue 22): `spektra synth` passes
`resmi` to synth.generate (synth sits below the reports and cannot call them itself)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..selection import Selection

SATKER_MAKS = 50   # a demo-sized agency: the estimate of 12 months is computed to make it

def resmi(tables, tahun: int, seed: int) -> pd.DataFrame:
    """OM-SPAN's IKPA per satker and month as the demo pretends it: SPEKTRA's own
    estimate of each indicator rounded to two decimals, a few off by up to 3 points
    (OM-SPAN sees data SPEKTRA does not), the contract indicators SPEKTRA cannot compute
    between 85 and 100, and the total from them by the rule's weights less the deduction.

    `tables`: the canonical tables, or (`spektra synth --revisi`) the list of the folders'
    tables in the order they are ingested, so that the estimate it starts from sees every
    budget version (Revisi DIPA, the RPD locked per quarter) as the demo's store will."""
    from ... import store as _store
    from .. import ikpa
    rng = np.random.default_rng([seed, 2222])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        with _store.Store(Path(tmp) / "s.duckdb") as s:
            for tabs in (tables if isinstance(tables, (list, tuple)) else [tables]):
                s.ingest({k: v for k, v in tabs.items() if k != "ikpa_resmi"},
                         layout="kanonik")
            rule = ikpa.pilih_aturan(tahun)
            weights = {i["nama"]: i["bobot"] for i in rule.indikator}
            cuts = {d["nama"] for d in rule.pengurang}
            for bulan in range(1, 13):
                est = ikpa.ikpa_estimasi(s, Selection(tahun=tahun, bulan=bulan))
                for kode, g in est.groupby("kode_satker", sort=True):
                    total, cut = 0.0, 0.0
                    for _, r in g.iterrows():
                        name = r["indikator"]
                        if name == ikpa.TOTAL:
                            continue
                        v = r["nilai"]
                        if pd.isna(v):
                            v = float(np.round(rng.uniform(85, 100), 2)) if name in weights else 0.0
                        elif rng.random() < 0.15 and name in weights:
                            v = float(np.clip(v + rng.uniform(-3, 3), 0, 100))
                        v = round(float(v), 2)
                        if name in cuts:
                            cut += v
                        else:
                            total += v * weights[name] / 100
                        rows.append((tahun, bulan, kode, name, v))
                    rows.append((tahun, bulan, kode, ikpa.TOTAL, round(max(total - cut, 0), 2)))
    return pd.DataFrame(rows, columns=["tahun", "bulan", "kode_satker", "indikator", "nilai"])
