"""Budget codes as sources write them, normalised to the canonical codes in one place.

Sources write a level's code alone or with its parents (DOMAIN.md §6): program `WA` or
`059.01.WA` (BA.eselon I.program), KRO `EBA` or `4843.EBA` (kegiatan.KRO), RO `994` or
`EBA.994` (KRO.RO), komponen `001` or `ZZ1`. The canonical code is the last part; a
parent written in it must agree with the parent column of the same line. Codes stay text
(leading zeros kept); only surrounding spaces go.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..problems import Problem

# code column -> the column its written parent must agree with (None: not checked, e.g.
# the BA.eselon I prefix of a program)
PARENT = {"kode_program": None, "kode_kegiatan": "kode_program", "kode_kro": "kode_kegiatan",
          "kode_ro": "kode_kro", "kode_komponen": "kode_ro",
          "kode_subkomponen": "kode_komponen", "kode_akun": None}
LABEL = {"kode_program": "program", "kode_kegiatan": "kegiatan", "kode_kro": "KRO",
         "kode_ro": "RO", "kode_komponen": "komponen", "kode_subkomponen": "subkomponen",
         "kode_akun": "akun"}


def normalise(df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Canonical codes in place of written ones (df has `_file`, `_row`)."""
    written = {}
    for col in PARENT:
        if col not in df.columns:
            continue
        s = df[col]
        text = s.astype("string")
        stripped = text.str.strip()
        dotted = stripped.str.contains(".", regex=False).fillna(False).to_numpy(bool)
        if dotted.any():
            written[col] = stripped.copy()
            stripped = stripped.where(~dotted, stripped.str.rsplit(".", n=1).str[-1])
        if col == "kode_subkomponen":
            # `A`, `0A` and `003.0A` are one subkomponen (DOMAIN §6): a letter code padded
            # with a zero to two characters is the letter
            padded = stripped.str.fullmatch(r"0[A-Z]").fillna(False).to_numpy(bool)
            if padded.any():
                stripped = stripped.where(~padded, stripped.str[1:])
        if dotted.any() or not stripped.equals(text):
            df[col] = stripped.where(stripped.notna() & (stripped != ""), None) \
                .astype(s.dtype if isinstance(s.dtype, pd.StringDtype) else object)
    for col, text in written.items():   # parents checked on canonical codes
        parent = PARENT[col]
        if parent is None or parent not in df.columns:
            continue
        idx = np.flatnonzero(text.str.contains(".", regex=False).fillna(False).to_numpy(bool))
        prefix = text.iloc[idx].str.rsplit(".", n=1).str[0].str.rsplit(".", n=1).str[-1]
        par = df[parent].astype("string").iloc[idx]
        bad = (prefix.to_numpy(object) != par.fillna("").to_numpy(object))
        for i, w, p in zip(idx[bad], text.iloc[idx[bad]], par.iloc[bad]):
            problems.append(Problem(str(df["_file"].iloc[i]), int(df["_row"].iloc[i]), col, (
                f"kode {LABEL[col]} {w!r} tidak sesuai kode {LABEL[parent]} "
                f"{'' if pd.isna(p) else p!r} di baris yang sama")))
    return df


def item_key_text(s: pd.Series) -> pd.Series:
    """A source item key (SAKTI CONS_ITEM / KODE_ITEM) as text to match on: one real
    schema types it NUMERIC, so `123.0` and `123` are the same key."""
    t = s.astype("string").str.strip()
    return t.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
