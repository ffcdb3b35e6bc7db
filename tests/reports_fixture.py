"""Small hand-made canonical data for the report tests, loaded straight into a Store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from spektra_lib import schema
from spektra_lib.store import Store

SEED_DIR = Path(__file__).parent / "data" / "seed"
TAHUN = 2022


def item(satker: str, path: str, pagu: float, rpd=None, *, unit: str | None = None,
         pn: int = 0, nama_akun: str | None = None, uraian: str | None = None,
         volume: float = 1, satuan: str = "PKT", tahun: int = TAHUN) -> dict:
    """One pok item from its dotted path program.kegiatan.kro.ro.komponen.sub.akun.item
    (an empty sub segment = blank subkomponen). `rpd`: list of 12 or {month: value}."""
    prog, keg, kro, ro, komp, sub, akun, no = path.split(".")
    if isinstance(rpd, dict):
        rpd = [rpd.get(m, 0) for m in range(1, 13)]
    rpd = rpd or [0] * 12
    row = {"tahun": tahun, "kode_satker": satker, "kode_unit": unit,
           "kode_program": prog, "nama_program": f"Program {prog}",
           "kode_kegiatan": keg, "nama_kegiatan": f"Kegiatan {keg}",
           "kode_kro": kro, "nama_kro": f"KRO {kro}", "kode_ro": ro, "nama_ro": f"RO {ro}",
           "kode_komponen": komp, "nama_komponen": f"Komponen {komp}",
           "kode_subkomponen": sub or None, "nama_subkomponen": f"Sub {sub}" if sub else None,
           "kode_akun": akun, "nama_akun": nama_akun or f"Akun {akun}",
           "no_item": no, "uraian_item": uraian or f"Item {no}",
           "volume": volume, "satuan": satuan, "harga_satuan": pagu / volume, "pagu": pagu,
           "prioritas_nasional": pn}
    row.update({c: float(v) for c, v in zip(schema.RPD_COLUMNS, rpd)})
    return row


def real(satker: str, path: str, tanggal: str, nilai: float, tahun: int = TAHUN) -> dict:
    prog, keg, kro, ro, komp, sub, akun, no = path.split(".")
    return {"tahun": tahun, "kode_satker": satker, "kode_program": prog, "kode_kegiatan": keg,
            "kode_kro": kro, "kode_ro": ro, "kode_komponen": komp,
            "kode_subkomponen": sub or None, "kode_akun": akun, "no_item": no,
            "tanggal": tanggal, "nilai": nilai}


def load(store: Store, **tables: list[dict]) -> Store:
    frames = {}
    for name, rows in tables.items():
        t = schema.TABLES[name]
        frames[name] = pd.DataFrame(rows).reindex(columns=t.names).astype(object)
    store.ingest(frames, layout="kanonik")
    return store


def make_store(tmp_path, **tables) -> Store:
    return load(Store(tmp_path / "t.duckdb"), **tables)


def satker_rows(*entries) -> list[dict]:
    """("017220", "Kantor Pusat", "PUSAT"), … -> satker rows."""
    return [{"kode_satker": k, "nama_satker": n, "kelompok": g} for k, n, g in entries]


def unit_rows(*entries) -> list[dict]:
    return [{"kode_unit": k, "nama_unit": n, "kode_satker": s} for k, n, s in entries]


def load_seed(store: Store) -> Store:
    """The seed folder through the real path (ingest_path). TEMPORARY: until the
    canonical reader and validator land, a minimal CSV loader stands in for them."""
    from spektra_lib.ingest import ingest_path
    try:
        ingest_path(SEED_DIR, store)
        return store
    except ImportError:
        pass
    frames = {}
    for f in sorted(SEED_DIR.glob("*.csv")):
        t = schema.TABLES[f.stem]
        df = pd.read_csv(f, dtype=str, keep_default_na=False).astype(object)
        df = df.where(df != "", None)
        for col in t.columns:
            if col.name not in df:
                continue
            if col.kind in (schema.AMOUNT, schema.NUMBER, schema.INT):
                df[col.name] = pd.to_numeric(df[col.name]).astype(object)
            elif col.kind == schema.DATE:
                df[col.name] = [None if v is None else pd.to_datetime(
                    v, format="%d/%m/%Y" if "/" in v else "%Y-%m-%d") for v in df[col.name]]
        frames[t.name] = df
    store.ingest(frames, layout="kanonik")
    return store
