"""A synthetic year that lives through revisions (issue 14 §9): the DIPA awal, a Q2 RPD
update, and a Q3 revision that changes pagu, each a folder to ingest in turn.

The last version is exactly the budget `build_tables` makes (so every figure of the
plain demo holds for it); the earlier ones are derived from it the way a satker's year
goes (DOMAIN §7): each quarter's update keeps the months already past and spreads what is
left of the pagu over the months to come, and the Q3 revision raises the volume of one
in five belanja barang items. So the RPD in force in every month equals the final one's
(the deviasi of the months are the plain demo's), while `--per-tanggal` before July or
April shows the older pagu and plans, and IKPA Revisi DIPA counts the Q2 update
(pagu kept), not the Q3 revision (pagu changed).

    OUT_DIR/1-dipa-awal     satker, unit_kerja, ro_target, target_penyerapan, pok revisi 0 (3 Jan)
    OUT_DIR/2-revisi-1      pok revisi 1 (8 Apr): Jul–Dec RPD re-spread, pagu as before
    OUT_DIR/3-revisi-2      the whole year as `generate` writes it, pok revisi 2 (5 Jul)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema

FOLDERS = ("1-dipa-awal", "2-revisi-1", "3-revisi-2")
# formats whose pok carries tanggal_revisi (the others would be dated by the ingest)
FORMATS = ("kanonik", "kanonik-xlsx")


def versions(pok: pd.DataFrame, tahun: int) -> list[pd.DataFrame]:
    """[revisi 0, revisi 1, revisi 2] pok frames; revisi 2 is `pok` itself."""
    final = pok.copy()
    rpd = final[schema.RPD_COLUMNS].to_numpy(float)
    # Q3 revision: volume +1 for one in five belanja barang items with volume >= 2 whose
    # January–June plan fits the smaller pagu
    older_volume = final["volume"] - 1
    older_pagu = (older_volume * final["harga_satuan"]).round(2)
    raised = (final["kode_akun"].str.startswith("52") & (final["volume"] >= 2)
              & (np.arange(len(final)) % 5 == 0) & (rpd[:, :6].sum(axis=1) <= older_pagu))
    out = []
    for rev, (when, kept_months) in enumerate(((f"{tahun}-01-03", 3), (f"{tahun}-04-08", 6),
                                               (f"{tahun}-07-05", None))):
        v = final.copy()
        if kept_months is not None:
            v.loc[raised, "volume"] = older_volume[raised]
            v.loc[raised, "pagu"] = older_pagu[raised]
            v[schema.RPD_COLUMNS] = _respread(rpd, v["pagu"].to_numpy(float), kept_months)
        v["revisi"] = pd.array([rev] * len(v), dtype="Int64")
        v["tanggal_revisi"] = pd.Timestamp(when)
        out.append(v)
    return out


def revisi_dipa(satker, tahun: int) -> pd.DataFrame:
    """The two revisions as the DIPA register has them: revisi 1 (8 Apr, pagu kept) a
    Kanwil revision of code 221, counted by IKPA; revisi 2 (5 Jul) a DJA revision that
    raised the pagu (code 101), not counted."""
    rows = []
    for k in satker:
        rows += [(tahun, k, 1, pd.Timestamp(f"{tahun}-04-08"), "221", "KANWIL"),
                 (tahun, k, 2, pd.Timestamp(f"{tahun}-07-05"), "101", "DJA")]
    return pd.DataFrame(rows, columns=["tahun", "kode_satker", "revisi", "tanggal_pengesahan",
                                       "kode_jenis_revisi", "kewenangan"])


def _respread(rpd: np.ndarray, pagu: np.ndarray, kept: int) -> np.ndarray:
    """Months 1..kept as planned; the rest of the pagu spread evenly over the months
    after, in whole rupiah (the remainder in December), so that the RPD sums to pagu."""
    new = rpd.copy()
    rest = np.round(pagu - rpd[:, :kept].sum(axis=1), 2)
    n = 12 - kept
    each = np.floor(rest / n)
    new[:, kept:] = each[:, None]
    new[:, 11] = np.round(rest - each * (n - 1), 2)
    return new


def generate_revisi(out_dir: str | Path, *, tahun: int = 2022, n_satker: int | None = None,
                    seed: int = 0, format: str = "kanonik", pola_riwayat: bool = False,
                    tambahan=None) -> dict:
    """Write the three folders; return a summary like `generate`'s. `tambahan(stages) ->
    {name: frame}`: more tables for the last folder, made by a layer above from the three
    folders' tables in ingest order (the CLI passes the official IKPA, issue 22)."""
    from . import FORMATS as ALL, build_tables, typed
    if format not in FORMATS:
        raise ValueError(f"--revisi hanya untuk format {', '.join(FORMATS)} (yang memuat "
                         f"tanggal_revisi), bukan {format!r}.")
    from .write import write
    tables = build_tables(tahun=tahun, n_satker=n_satker, seed=seed, pola_riwayat=pola_riwayat)
    out_dir = Path(out_dir)
    v0, v1, v2 = versions(tables["pok"], tahun)
    first = {k: tables[k] for k in ("satker", "unit_kerja", "ro_target", "target_penyerapan")}
    tables["revisi_dipa"] = revisi_dipa(tables["satker"]["kode_satker"], tahun)
    stages = [{**first, "pok": v0}, {"pok": v1}, {**tables, "pok": v2}]
    if tambahan is not None:
        stages[2].update({k: typed(k, v) for k, v in tambahan(stages).items()})
        tables.update({k: stages[2][k] for k in stages[2] if k not in tables})
    for folder, tabs in zip(FOLDERS, stages):
        d = out_dir / folder
        d.mkdir(parents=True, exist_ok=True)
        write(tabs, d, ALL[format])
    return {"folder": str(out_dir), "format": format, "tahun": tahun,
            "satker": int(len(tables["satker"])),
            "baris": {name: int(len(df)) for name, df in tables.items()},
            "pagu": float(tables["pok"]["pagu"].sum()),
            "versi": [str(out_dir / f) for f in FOLDERS]}
