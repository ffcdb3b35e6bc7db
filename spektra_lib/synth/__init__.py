"""`spektra synth`: a realistic synthetic agency shaped on BKN (seed manual).

`build_tables()` returns the canonical tables of schema.py typed like a reader's output;
`generate()` writes them in one of the source layouts through the writers of
`spektra_lib.synth.write`, so that every test of the readers starts from files.
Same seed ⇒ same tables ⇒ byte-identical files.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import organisasi, schema
from . import budget, capaian, ikpa, kontrak, realisasi, spp

FORMATS = {name: name for name in ("kanonik", "kanonik-xlsx", "sakti", "sakti-json",
                                    "sakti-xlsx", "sakti-laporan", "adk", "adk-dbf",
                                    "adk-keu", "omspan", "omspan-xlsx", "myintress")}
CLI_FORMATS = tuple(FORMATS)
# Layouts whose files carry no budget year (SAKTI service output): ingest needs --tahun.
NEEDS_TAHUN = ("sakti", "sakti-json", "adk", "adk-dbf", "adk-keu")


def build_tables(*, tahun: int = 2022, n_satker: int | None = None, seed: int = 0,
                 teknis_per_satker: int | None = None,
                 pola_riwayat: bool = False) -> dict[str, pd.DataFrame]:
    """Every canonical table except realisasi_akun, for one budget year.

    n_satker: None = the 16 real satker; more adds made-up regional offices. Regional
    offices carry `teknis_per_satker` technical items (default 130, or 1,050 when
    n_satker > 50 so that a 1,000-satker set has over a million items).
    pola_riwayat: 52 and 53 spend by the satker's planted pattern of `spektra synth
    --riwayat` (riwayat.tahun_berjalan), a few satker behind; the same budget.
    """
    rng = np.random.default_rng(seed)
    satker = budget.satker_frame(n_satker, rng)
    teknis = teknis_per_satker or (budget.TEKNIS_SCALE if (n_satker or 0) > 50 else 130)
    pok = budget.build_pok(satker, tahun, rng, teknis)
    amounts = realisasi.monthly(pok, satker, rng)
    if pola_riwayat:     # its own random stream: the rest of the year is drawn as without
        from .riwayat import tahun_berjalan
        amounts, _behind = tahun_berjalan(pok, amounts, len(satker), tahun, seed)
    ln = realisasi.lines(pok, amounts, rng)
    ln, register = spp.group_lines(ln, pok, satker, tahun, rng)
    # contracts, BAST dates, TUP timing, deposits: a random stream of their own (issue 23)
    register, kontrak_t, setoran = kontrak.build(register, pok, satker, tahun, seed,
                                                 spp.calendar(tahun))
    ro_target, capaian_ro = capaian.ro_tables(pok, amounts, rng)

    # Lines are built as arrays indexed into the POK; object dtype keeps pandas from
    # converting millions of codes into new string arrays.
    idx = ln["_i"]
    order = np.lexsort((ln["_sp"], ln["tanggal"], pok["_s"].to_numpy()[idx]))
    real = pd.DataFrame({c: pd.Series(pok[c].to_numpy(dtype=object)[idx[order]], dtype=object)
                         for c in schema.ITEM_KEY if c != "tahun"})
    real.insert(0, "tahun", np.full(len(order), int(tahun), dtype=np.int64))
    real["tanggal"] = ln["tanggal"][order]
    real["nilai"] = ln["nilai"][order]
    real["no_sp2d"] = pd.Series(ln["no_sp2d"][order], dtype=object)

    register["kode_satker"] = satker["kode_satker"].to_numpy()[register["s"].to_numpy()]
    register["kode_unit"] = register["unit"]
    register["jenis_spp"] = register["jenis"]
    units = organisasi.unit_kerja_default()
    units = units[units["kode_satker"].isin(satker["kode_satker"])]
    tables = {
        "satker": satker, "unit_kerja": units, "pok": pok, "realisasi": real,
        "spp": register, "ro_target": ro_target, "capaian_ro": capaian_ro,
        "target_penyerapan": capaian.target_penyerapan(tahun),
        "kontrak": kontrak_t, "setoran": setoran,
    }
    ikpa.tambah(tables, tahun, seed)   # IKPA inputs, a random stream of their own
    del real, ln, amounts, idx, order   # typed copies: only one copy of the lines at a time
    return {name: typed(name, tables.pop(name)) for name in list(tables)}


_DTYPES = {schema.TEXT: np.dtype(object), schema.AMOUNT: np.dtype(float),
           schema.NUMBER: np.dtype(float), schema.INT: np.dtype(np.int64),
           schema.DATE: np.dtype("datetime64[ns]")}


def _already_typed(name: str, df: pd.DataFrame) -> bool:
    """A large table already in schema order and dtypes (the realisasi lines): typed()
    would only copy it, 9 million lines at 1,000 satker."""
    cols = schema.TABLES[name].columns
    return (len(df) >= 100_000 and list(df.columns) == [c.name for c in cols]
            and all(df[c.name].dtype == _DTYPES[c.kind] for c in cols))


def typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Schema columns only, in schema order, typed as a reader returns them."""
    t = schema.TABLES[name]
    if _already_typed(name, df):
        return df.reset_index(drop=True)
    out = pd.DataFrame(index=range(len(df)))
    for col in t.columns:
        v = df[col.name].to_numpy() if col.name in df.columns else np.full(len(df), None)
        if col.kind == schema.TEXT:
            s = pd.Series(v, dtype=object)
            if len(s) < 100_000:        # small tables: make sure every value is a str
                s = pd.Series([x if x is None or x != x else str(x) for x in s], dtype=object)
                s[s.isna() | (s == "")] = None
            # Large tables are the line arrays, built from codes that are never empty.
            out[col.name] = s
        elif col.kind in (schema.AMOUNT, schema.NUMBER):
            out[col.name] = pd.to_numeric(pd.Series(v), errors="coerce").astype(float)
        elif col.kind == schema.INT:   # an optional column the generator leaves empty
            s = pd.Series(v)
            out[col.name] = s.astype("Int64") if s.isna().any() else s.astype(np.int64)
        else:
            out[col.name] = pd.to_datetime(pd.Series(v)).astype("datetime64[ns]")
    return out


def realisasi_akun(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The OM-SPAN view of realisasi: akun level, one row per satker × akun × day."""
    key = ["tahun", "kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
           "kode_akun", "tanggal"]
    agg = tables["realisasi"].groupby(key, as_index=False, sort=True)["nilai"].sum()
    return typed("realisasi_akun", agg)


def generate(out_dir: str | Path, *, tahun: int = 2022, n_satker: int | None = None,
             seed: int = 0, format: str = "kanonik", tambahan=None,
             pola_riwayat: bool = False) -> dict:
    """Write a synthetic data set in `format` to out_dir; return a short summary.
    `tambahan(tables) -> {name: frame}`: more tables made from these by a layer above
    (the CLI passes the official IKPA of reports/ikpa/contoh.py)."""
    from .write import write

    if format not in FORMATS:
        raise ValueError(f"Format {format!r} tidak dikenal; pilih salah satu dari "
                         f"{', '.join(FORMATS)}.")
    tables = build_tables(tahun=tahun, n_satker=n_satker, seed=seed, pola_riwayat=pola_riwayat)
    if tambahan is not None:
        tables.update({k: typed(k, v) for k, v in tambahan(tables).items()})
    if format in ("omspan", "omspan-xlsx"):
        tables["realisasi_akun"] = realisasi_akun(tables)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write(tables, out_dir, FORMATS[format])
    return {"folder": str(out_dir), "format": format, "tahun": tahun,
            "satker": int(len(tables["satker"])),
            "baris": {name: int(len(df)) for name, df in tables.items()},
            "pagu": float(tables["pok"]["pagu"].sum()),
            "realisasi_nilai": float(tables["realisasi"]["nilai"].sum())}
