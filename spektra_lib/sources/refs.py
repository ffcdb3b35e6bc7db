"""Name tables that travel beside a SAKTI or ADK export (the exports carry codes only).

Modelled on the ADK reference tables (t_*) and the per-satker ADK tables (d_*):

| file        | key columns                                               | name       |
|-------------|-----------------------------------------------------------|------------|
| t_program   | KDPROGRAM                                                 | NMPROGRAM  |
| t_giat      | KDGIAT                                                    | NMGIAT     |
| t_output    | KDGIAT, KDOUTPUT                                          | NMOUTPUT   |
| d_soutput   | THANG, KDSATKER, KDPROGRAM, KDGIAT, KDOUTPUT, KDSOUTPUT   | URSOUTPUT, TAGGING_PN (0/1: RO tagged Prioritas Nasional) |
| d_kmpnen    | … + KDKMPNEN                                              | URKMPNEN   |
| d_skmpnen   | … + KDSKMPNEN                                             | URSKMPNEN  |
| t_akun      | KDAKUN                                                    | NMAKUN     |

Each table's columns (and the other names a source may write them under) are in
`layouts/adk_<file>.yaml`; T_SATKER (`adk_t_satker.yaml`) names satker instead (satker_rows).
The DIPA application's own files (`T_GIAT.KEU` …) are DBF and read as such.

RO and komponen names are per satker (as in ADK, where each satker writes its own);
program, kegiatan, KRO and akun names are national references. The PN tag is kept per
RO, as the budget tagging does: a POK whose items of one RO disagree cannot round-trip.
"""
from __future__ import annotations

import pandas as pd

from .. import schema
from ..problems import Problem
from . import layout
from .parse import RawTable, parse_frame

# Each table is described in layouts/adk_<name>.yaml: fields named by the pok column they
# key (tahun, kode_*) or fill (nama_*, prioritas_nasional), read from the names in `from`.
NAMES = ["t_program", "t_giat", "t_output", "d_soutput", "d_kmpnen", "d_skmpnen", "t_akun"]
KEY_FIELDS = {"tahun", "kode_satker", "kode_program", "kode_kegiatan", "kode_kro", "kode_ro",
              "kode_komponen", "kode_subkomponen", "kode_akun"}
SATKER = "t_satker"          # T_SATKER: satker names (satker_rows), not a pok name table


def _layout(name: str):
    return layout.load("adk_" + name)


def _ref(name: str) -> tuple[list[str], dict[str, str]]:
    lay = _layout(name)
    key = [f.sources[0] for f in lay.fields if f.name in KEY_FIELDS]
    names = {f.sources[0]: f.name for f in lay.fields if f.name not in KEY_FIELDS}
    return key, names


# file -> (key columns, {ref column: pok column}), as our writers write them
REFS: dict[str, tuple[list[str], dict[str, str]]] = {n: _ref(n) for n in NAMES}
# ADK code column -> canonical pok column
KEY_TO_POK = {"THANG": "tahun", "KDSATKER": "kode_satker", "KDPROGRAM": "kode_program",
              "KDGIAT": "kode_kegiatan", "KDOUTPUT": "kode_kro", "KDSOUTPUT": "kode_ro",
              "KDKMPNEN": "kode_komponen", "KDSKMPNEN": "kode_subkomponen",
              "KDAKUN": "kode_akun"}


def signature(cols: set[str]) -> str | None:
    """The reference file a header is (t_program … t_akun, or t_satker), or None."""
    if {"NOITEM", "JUMLAH"} & {layout.norm(c) for c in cols}:
        return None
    cands = [(n, _layout(n)) for n in NAMES + [SATKER]]
    cands.sort(key=lambda c: -len(c[1].all_of))     # the most specific first
    for name, lay in cands:
        if lay.matches(cols):
            return name
    return None


def read(raw: RawTable, problems: list[Problem], name: str | None = None) -> pd.DataFrame:
    """A reference table typed (THANG, TAGGING_PN int; the rest text) under the column
    names our writers write (aliases of its layout renamed), other columns kept as text."""
    name = name or signature(set(raw.df.columns))
    spec = {c: (c, schema.TEXT) for c in raw.df.columns}
    if name is not None:
        got = _layout(name).resolve(list(raw.df.columns))
        first = {f.name: f.sources[0] for f in _layout(name).fields}
        for field, (written, kind) in got.items():
            spec.pop(written, None)
            spec[first[field]] = (written, kind)
    return parse_frame(raw, spec, problems)


def satker_rows(t_satker: pd.DataFrame, pok: pd.DataFrame | None,
                known: set[str]) -> pd.DataFrame:
    """`satker` rows from T_SATKER for the satker of `pok` that `known` (the batch's satker
    table, organisasi.yaml, the store) does not declare: kelompok from organisasi.yaml when
    listed there, else LAINNYA. A declared satker keeps its own name and kelompok."""
    from .. import organisasi
    cols = ["kode_satker", "nama_satker", "kelompok"]
    if pok is None or t_satker is None or not len(t_satker):
        return pd.DataFrame(columns=cols)
    used = set(pok["kode_satker"].dropna().astype(str)) - set(known)
    ref = t_satker.rename(columns={"KDSATKER": "kode_satker", "NMSATKER": "nama_satker"})
    ref = ref[ref["kode_satker"].astype(str).isin(used)].drop_duplicates("kode_satker")
    kel = dict(zip(organisasi.satker_default()["kode_satker"],
                   organisasi.satker_default()["kelompok"]))
    out = ref[["kode_satker", "nama_satker"] + [c for c in ("_file", "_row") if c in ref.columns]
              ].copy()
    out["kelompok"] = [kel.get(str(k), "LAINNYA") for k in out["kode_satker"]]
    return out.reset_index(drop=True)


def build(pok: pd.DataFrame, names: list[str]) -> dict[str, pd.DataFrame]:
    """Reference tables (text cells) from a typed pok."""
    out = {}
    for name in names:
        key, cols = REFS[name]
        src = [KEY_TO_POK[k] for k in key] + [c for c in cols.values() if c in pok.columns]
        df = pok[src].drop_duplicates(subset=[KEY_TO_POK[k] for k in key]).copy()
        df.columns = key + [k for k, v in cols.items() if v in pok.columns]
        if "TAGGING_PN" in df.columns:
            df["TAGGING_PN"] = pd.to_numeric(df["TAGGING_PN"]).astype("Int64")
        out[name] = df.reset_index(drop=True)
    return out


def apply(pok: pd.DataFrame, refs: dict[str, pd.DataFrame], problems: list[Problem]) -> pd.DataFrame:
    """Fill pok name columns from the reference tables found (typed: THANG int, rest text)."""
    for name, (key, cols) in REFS.items():
        if name not in refs:
            continue
        ref = _first_names(name, refs[name])
        keep = [c for c in cols if c in ref.columns]
        right = ref[key + keep].drop_duplicates(subset=key).rename(
            columns={**{k: KEY_TO_POK[k] for k in key}, **{c: cols[c] for c in keep}})
        on = [KEY_TO_POK[k] for k in key]
        drop = [cols[c] for c in keep if cols[c] in pok.columns]
        pok = pok.drop(columns=drop).merge(right, on=on, how="left")
    return pok


def _first_names(name: str, ref: pd.DataFrame) -> pd.DataFrame:
    """A reference frame with its layout's aliases renamed to the names written."""
    lay = _layout(name)
    got = lay.resolve(list(ref.columns))
    first = {f.name: f.sources[0] for f in lay.fields}
    ren = {written: first[f] for f, (written, _) in got.items() if written != first[f]}
    return ref.rename(columns=ren) if ren else ref
