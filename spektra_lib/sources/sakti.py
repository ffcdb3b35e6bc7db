"""SAKTI monitoring exports (DOMAIN.md §6), as `;`-separated CSV.

- `dataAng.csv` (ANG/dataAng): the POK per item. SAKTI's service is asked per year, so
  the file carries the year in an added column THANG. CONS_ITEM is the stable item key
  `tahun.satker.program.kegiatan.kro.ro.komponen.subkomponen.akun.no_item`.
- `realisasi.csv` (PEM/realisasi): payments per item, joined to the budget by
  `KODE_ITEM = CONS_ITEM` (the dataAng in the same batch, else the key is read from the
  CONS_ITEM text itself, so a PEM/realisasi beside an ADK d_item loads too). tahun is the
  budget year of the item; tanggal is TGL_SP2D.
- `capaianRO.csv`: monthly RO achievement; SUB_OUTPUT_KODE is `kegiatan.kro.ro`,
  KODE_PERIODE the month (01–12), THANG the year (added like dataAng's).
- `monitoring_spp_sp2d.csv`: the SPP → SPM → SP2D register of the satker.

Amounts are written the Indonesian way (`1.234.567,00`) and dates as dd/mm/yyyy, as the
exports do. Names of program … akun travel in the reference tables of refs.py.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import kanonik
from .parse import RawTable, format_column, parse_frame

T, A, N, I, D = schema.TEXT, schema.AMOUNT, schema.NUMBER, schema.INT, schema.DATE
POK_NILAI = [f"POK_NILAI_{m}" for m in schema.MONTHS]

DATAANG = {  # canonical pok column -> (SAKTI column, kind)
    "tahun": ("THANG", I), "kode_satker": ("KDSATKER", T), "kode_program": ("KODE_PROGRAM", T),
    "kode_kegiatan": ("KODE_KEGIATAN", T), "kode_kro": ("KODE_OUTPUT", T),
    "kode_ro": ("KODE_SUBOUTPUT", T), "kode_komponen": ("KODE_KOMPONEN", T),
    "kode_subkomponen": ("KODE_SUBKOMPONEN", T), "nama_subkomponen": ("URAIAN_SUBKOMPONEN", T),
    "kode_akun": ("KODE_AKUN", T), "no_item": ("NOMOR_ITEM", T), "cons_item": ("CONS_ITEM", T),
    "uraian_item": ("URAIAN_ITEM", T), "volume": ("VOLKEG", N), "satuan": ("SATKEG", T),
    "harga_satuan": ("HARGASAT", A), "pagu": ("TOTAL", A),
    "header1": ("HEADER1", T), "header2": ("HEADER2", T),
    **{rpd: (src, A) for rpd, src in zip(schema.RPD_COLUMNS, POK_NILAI)},
}
PEM = {
    "kode_satker": ("KDSATKER", T), "kode_program": ("KODE_PROGRAM", T),
    "kode_kegiatan": ("KODE_KEGIATAN", T), "kode_kro": ("KODE_OUTPUT", T),
    "kode_ro": ("KODE_SUBOUTPUT", T), "kode_komponen": ("KODE_KOMPONEN", T),
    "kode_subkomponen": ("KODE_SUBKOMPONEN", T), "kode_akun": ("KODE_AKUN", T),
    "kode_item": ("KODE_ITEM", T), "tanggal": ("TGL_SP2D", D), "nilai": ("NILAI_RUPIAH", A),
    "no_sp2d": ("NO_SP2D", T),
}
PEM_EXTRA = ["KD_JNS_SPP", "NO_SPP", "TGL_SPP", "NO_SPM", "TGL_SPM", "URAIAN", "STATUS_DATA"]
CAPAIAN = {
    "tahun": ("THANG", I), "kode_satker": ("KDSATKER", T), "sub_output": ("SUB_OUTPUT_KODE", T),
    "bulan": ("KODE_PERIODE", I), "rvro": ("PENAMBAHAN_REALISASI_VOLUME_RO", N),
    "pcro": ("PENAMBAHAN_PROGRESS_CAPAIAN_RO", N), "keterangan": ("KETERANGAN", T),
}
CAPAIAN_EXTRA = ["RENCANA_SUB_OUTPUT", "SATUAN_SUB_OUTPUT", "TOTAL_REALISASI_SUB_OUTPUT",
                 "TOTAL_PROGRESS_CAPAIAN_RO", "RO_STRATEGIS", "ANGGARAN_BELANJA",
                 "REALISASI_BELANJA", "PERSEN_GAP"]
REGISTER = {
    "kode_satker": ("KDSATKER", T), "kode_unit": ("KODE_UNIT", T), "no_spp": ("NO_SPP", T),
    "tgl_spp": ("TGL_SPP", D), "no_spm": ("NO_SPM", T), "tgl_spm": ("TGL_SPM", D),
    "no_sp2d": ("NO_SP2D", T), "tgl_sp2d": ("TGL_SP2D", D), "uraian": ("URAIAN", T),
    "jenis_spp": ("KD_JNS_SPP", T), "nilai": ("NILAI_SPP", A), "status": ("STATUS", T),
}
OPTIONAL_SRC = {"KODE_UNIT", "NO_SPM", "TGL_SPM", "NO_SP2D", "TGL_SP2D", "KETERANGAN",
                "HEADER1", "HEADER2", "URAIAN_SUBKOMPONEN", "CONS_ITEM"}


def signature(cols: set[str]) -> str | None:
    if {"CONS_ITEM", "POK_NILAI_1"} <= cols or {"KODE_OUTPUT", "POK_NILAI_1", "TOTAL"} <= cols:
        return "dataAng"
    if {"KODE_ITEM", "NILAI_RUPIAH"} <= cols:
        return "pem_realisasi"
    if {"SUB_OUTPUT_KODE", "PENAMBAHAN_REALISASI_VOLUME_RO"} <= cols:
        return "capaianRO"
    if {"NO_SPP", "NILAI_SPP"} <= cols:
        return "register"
    return None


def cons_item(df: pd.DataFrame) -> pd.Series:
    """The stable item key text of a typed pok/realisasi frame."""
    parts = [df[c].astype("string").fillna("") for c in schema.ITEM_KEY]
    out = parts[0]
    for p in parts[1:]:
        out = out + "." + p
    return out.astype(object)


def _check_columns(raw: RawTable, spec: dict, problems: list[Problem], what: str) -> None:
    for src, _ in spec.values():
        if src not in raw.df.columns and src not in OPTIONAL_SRC:
            problems.append(Problem(raw.name, 1, src, f"kolom wajib tidak ada di {what}"))


def _required(df, raw, spec, cols, problems):
    kanonik.require_values(df, raw, cols, problems, {c: spec[c][0] for c in cols})


def read_dataang(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    _check_columns(raw, DATAANG, problems, "dataAng")
    df = parse_frame(raw, DATAANG, problems)
    _required(df, raw, DATAANG, ["tahun", "kode_satker", "kode_program", "kode_kegiatan",
                                 "kode_kro", "kode_ro", "kode_komponen", "kode_akun",
                                 "no_item", "pagu"], problems)
    priced = (df["header1"].fillna("0").isin(["0", ""]) & df["header2"].fillna("0").isin(["0", ""]))
    df = df.loc[priced].drop(columns=["header1", "header2"]).reset_index(drop=True)
    missing = df["cons_item"].isna()
    df.loc[missing, "cons_item"] = cons_item(df.loc[missing])
    return df


def read_pem(raw: RawTable, problems: list[Problem], items: pd.DataFrame | None) -> pd.DataFrame:
    """PEM/realisasi -> realisasi; `items` maps cons_item to the pok item key (dataAng)."""
    return key_pem(parse_pem(raw, problems), problems, items)


def parse_pem(raw: RawTable, problems: list[Problem], check_columns: bool = True) -> pd.DataFrame:
    """The typed lines, before their item key is known (the raw text can then be freed).
    `check_columns` False for the later slices of a file read slice by slice."""
    if check_columns:
        _check_columns(raw, PEM, problems, "PEM/realisasi")
    df = parse_frame(raw, PEM, problems)
    _required(df, raw, PEM, ["kode_satker", "kode_item", "tanggal", "nilai"], problems)
    return df


def item_lookup(items: pd.DataFrame | None) -> pd.DataFrame | None:
    """cons_item -> tahun, no_item of the batch's items, indexed once for every slice of
    lines (a merge per slice rebuilt the hash of a million items each time)."""
    if items is None or not len(items):
        return None
    u = items[["cons_item", "tahun", "no_item"]].drop_duplicates("cons_item")
    return pd.DataFrame({"tahun": u["tahun"].to_numpy(object),
                         "no_item": u["no_item"].to_numpy(object)},
                        index=pd.Index(u["cons_item"].to_numpy(object)))


def key_pem(df: pd.DataFrame, problems: list[Problem], items: pd.DataFrame | None,
            unique: bool = False) -> pd.DataFrame:
    """tahun and no_item of each line: from the dataAng's CONS_ITEM, else the key text.
    `unique`: items is already item_lookup(items)."""
    key = pd.DataFrame(index=df.index, columns=["tahun", "no_item"], dtype=object)
    lookup = items if unique else item_lookup(items)
    if lookup is not None and len(lookup):
        pos = lookup.index.get_indexer(df["kode_item"].to_numpy(object))
        miss = pos < 0
        for c in ("tahun", "no_item"):
            v = lookup[c].to_numpy(object)[pos]
            v[miss] = None
            key[c] = v
    todo = key["no_item"].isna().to_numpy() & df["kode_item"].notna().to_numpy()
    if todo.any():
        parts = df.loc[todo, "kode_item"].str.split(".", expand=False)
        ok = parts.str.len() == len(schema.ITEM_KEY)
        idx = np.flatnonzero(todo)[ok.to_numpy()]
        dec = pd.DataFrame(parts[ok].tolist(), columns=schema.ITEM_KEY, index=df.index[idx])
        key.loc[dec.index, "tahun"] = pd.to_numeric(dec["tahun"], errors="coerce")
        key.loc[dec.index, "no_item"] = dec["no_item"]
        for i in np.flatnonzero(todo)[~ok.to_numpy()]:
            problems.append(Problem(str(df["_file"].iloc[i]), int(df["_row"].iloc[i]), "KODE_ITEM",
                                    f"tidak ada CONS_ITEM {df['kode_item'].iloc[i]!r} di dataAng"))
    df["tahun"] = pd.to_numeric(key["tahun"]).astype("Int64")
    df["no_item"] = key["no_item"].astype(object)
    return df[schema.REALISASI.names + ["_file", "_row"]]


def read_capaian(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    _check_columns(raw, CAPAIAN, problems, "capaianRO")
    df = parse_frame(raw, CAPAIAN, problems)
    _required(df, raw, CAPAIAN, ["tahun", "kode_satker", "sub_output", "bulan"], problems)
    parts = df["sub_output"].fillna("").str.split(".")
    bad = (parts.str.len() != 3) & df["sub_output"].notna()
    for i in np.flatnonzero(bad.to_numpy()):
        problems.append(Problem(raw.name, int(raw.rows[i]), "SUB_OUTPUT_KODE",
                                f"bukan kode kegiatan.KRO.RO: {df['sub_output'].iloc[i]!r}"))
    for j, c in enumerate(["kode_kegiatan", "kode_kro", "kode_ro"]):
        df[c] = parts.map(lambda p, j=j: p[j] if len(p) == 3 else None)
    return df[schema.CAPAIAN_RO.names + ["_file", "_row"]]


def read_register(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    _check_columns(raw, REGISTER, problems, "register SPP/SPM/SP2D")
    df = parse_frame(raw, REGISTER, problems)
    _required(df, raw, REGISTER, ["kode_satker", "no_spp", "tgl_spp", "nilai"], problems)
    return df


# -- writing -------------------------------------------------------------------------
def _text(df: pd.DataFrame, spec: dict, extra: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    out = {}
    for canon, (src, kind) in spec.items():
        col = df[canon] if canon in df.columns else pd.Series([None] * len(df), index=df.index)
        out[src] = format_column(col, kind, indonesian=kind == A, dmy=True)
    for k, v in (extra or {}).items():
        out[k] = v
    return pd.DataFrame(out, index=df.index)


def _save(df: pd.DataFrame, path: Path, first: bool = True) -> Path:
    df.to_csv(path, sep=";", index=False, encoding="utf-8", lineterminator="\n",
              header=first, mode="w" if first else "a")
    return path


CHUNK_ROWS = 200_000   # about 300 MB of text per chunk of PEM/realisasi lines


def chunks(df: pd.DataFrame, rows: int | None = None):
    """Consecutive row slices of df (at least one, so that an empty table gets a header).

    Every writer turns cells to text one row at a time (format_column, to_csv), so the
    file written chunk by chunk is byte-identical to the one-shot file; at 1,000 satker
    the text of 9 million lines at once needs tens of GB (issue 7).
    """
    rows = rows or CHUNK_ROWS
    for a in range(0, max(len(df), 1), rows):
        yield a, df.iloc[a:a + rows]


def write_dataang(pok: pd.DataFrame, path: Path, chunk_rows: int | None = None) -> Path:
    for a, part in chunks(pok, chunk_rows):
        _save(_dataang_text(part), path, first=a == 0)
    return path


def _dataang_text(pok: pd.DataFrame) -> pd.DataFrame:
    pok = pok.copy()
    pok["cons_item"] = cons_item(pok)
    n = len(pok)
    text = _text(pok, DATAANG, {"KODE_BLOKIR": [""] * n, "NILAI_BLOKIR": ["0,00"] * n})
    text["HEADER1"], text["HEADER2"] = "0", "0"
    text.insert(list(text.columns).index("NOMOR_ITEM"), "KODE_ITEM", text["NOMOR_ITEM"])
    return text


_REG_COLS = {"jenis_spp": "KD_JNS_SPP", "no_spp": "NO_SPP", "tgl_spp": "TGL_SPP",
             "no_spm": "NO_SPM", "tgl_spm": "TGL_SPM", "uraian": "URAIAN",
             "status": "STATUS_DATA"}


def write_pem(realisasi: pd.DataFrame, spp: pd.DataFrame | None, path: Path,
              chunk_rows: int | None = None) -> Path:
    s = None
    if spp is not None and len(spp) and "no_sp2d" in realisasi.columns:
        s = spp.dropna(subset=["no_sp2d"]).drop_duplicates(["kode_satker", "no_sp2d"])
        s = s[["kode_satker", "no_sp2d"] + list(_REG_COLS)]
    for a, part in chunks(realisasi, chunk_rows):
        _save(_pem_text(part, s), path, first=a == 0)
    return path


def _pem_text(realisasi: pd.DataFrame, s: pd.DataFrame | None) -> pd.DataFrame:
    r = realisasi.copy()
    r["kode_item"] = cons_item(r)
    reg_cols = _REG_COLS
    if s is not None:   # a left merge on a de-duplicated register keeps the line order
        r = r.merge(s, on=["kode_satker", "no_sp2d"], how="left")
    extra = {}
    for canon, src in reg_cols.items():
        kind = D if canon.startswith("tgl") else T
        col = r[canon] if canon in r.columns else pd.Series([None] * len(r), index=r.index)
        extra[src] = format_column(col, kind, dmy=True)
    text = _text(r, PEM, extra)
    return text[["KDSATKER"] + PEM_EXTRA + [c for c in text.columns
                                            if c not in PEM_EXTRA and c != "KDSATKER"]]


def write_capaian(cap: pd.DataFrame, ro_target: pd.DataFrame | None, path: Path) -> Path:
    c = cap.sort_values(list(schema.CAPAIAN_RO.key)).copy()
    c["sub_output"] = (c["kode_kegiatan"].astype(str) + "." + c["kode_kro"].astype(str) + "."
                       + c["kode_ro"].astype(str))
    grp = c.groupby(list(schema.RO_KEY), sort=False, dropna=False)
    c["_rv"] = grp["rvro"].cumsum()
    c["_pc"] = grp["pcro"].cumsum()
    if ro_target is not None and len(ro_target):
        c = c.merge(ro_target[list(schema.RO_KEY) + ["target_volume", "satuan", "strategis"]],
                    on=list(schema.RO_KEY), how="left")
    text = _text(c, CAPAIAN)
    text["KODE_PERIODE"] = format_column(c["bulan"], I).str.zfill(2)

    def col(name, kind):
        return format_column(c[name], kind) if name in c.columns else ""
    text["RENCANA_SUB_OUTPUT"] = col("target_volume", N)
    text["SATUAN_SUB_OUTPUT"] = col("satuan", T)
    text["TOTAL_REALISASI_SUB_OUTPUT"] = format_column(c["_rv"], N)
    text["TOTAL_PROGRESS_CAPAIAN_RO"] = format_column(c["_pc"], N)
    text["RO_STRATEGIS"] = col("strategis", I)
    for k in ("ANGGARAN_BELANJA", "REALISASI_BELANJA", "PERSEN_GAP"):
        text[k] = ""   # SAKTI fills these from its own ledgers; the reader ignores them
    return _save(text, path)


def write_register(spp: pd.DataFrame, path: Path) -> Path:
    return _save(_text(spp, REGISTER), path)
