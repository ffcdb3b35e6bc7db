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

RO and komponen names are per satker (as in ADK, where each satker writes its own);
program, kegiatan, KRO and akun names are national references. The PN tag is kept per
RO, as the budget tagging does: a POK whose items of one RO disagree cannot round-trip.
"""
from __future__ import annotations

import pandas as pd

from ..problems import Problem

_RO = ["THANG", "KDSATKER", "KDPROGRAM", "KDGIAT", "KDOUTPUT", "KDSOUTPUT"]
# file -> (key columns, {ref column: pok column})
REFS: dict[str, tuple[list[str], dict[str, str]]] = {
    "t_program": (["KDPROGRAM"], {"NMPROGRAM": "nama_program"}),
    "t_giat": (["KDGIAT"], {"NMGIAT": "nama_kegiatan"}),
    "t_output": (["KDGIAT", "KDOUTPUT"], {"NMOUTPUT": "nama_kro"}),
    "d_soutput": (_RO, {"URSOUTPUT": "nama_ro", "TAGGING_PN": "prioritas_nasional"}),
    "d_kmpnen": (_RO + ["KDKMPNEN"], {"URKMPNEN": "nama_komponen"}),
    "d_skmpnen": (_RO + ["KDKMPNEN", "KDSKMPNEN"], {"URSKMPNEN": "nama_subkomponen"}),
    "t_akun": (["KDAKUN"], {"NMAKUN": "nama_akun"}),
}
# ADK code column -> canonical pok column
KEY_TO_POK = {"THANG": "tahun", "KDSATKER": "kode_satker", "KDPROGRAM": "kode_program",
              "KDGIAT": "kode_kegiatan", "KDOUTPUT": "kode_kro", "KDSOUTPUT": "kode_ro",
              "KDKMPNEN": "kode_komponen", "KDSKMPNEN": "kode_subkomponen",
              "KDAKUN": "kode_akun"}


def signature(cols: set[str]) -> str | None:
    """The reference file a header is, or None."""
    for name, (key, names) in REFS.items():
        if set(key) | set(names) - {"TAGGING_PN"} <= cols and not ({"NOITEM", "JUMLAH"} & cols):
            return name
    return None


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
        ref = refs[name]
        keep = [c for c in cols if c in ref.columns]
        right = ref[key + keep].drop_duplicates(subset=key).rename(
            columns={**{k: KEY_TO_POK[k] for k in key}, **{c: cols[c] for c in keep}})
        on = [KEY_TO_POK[k] for k in key]
        drop = [cols[c] for c in keep if cols[c] in pok.columns]
        pok = pok.drop(columns=drop).merge(right, on=on, how="left")
    return pok
