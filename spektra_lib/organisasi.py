"""The agency's organisation (parameters/organisasi.yaml): satker, unit kerja, unit rules.

Source exports (SAKTI, ADK) know nothing of unit kerja: the agency decides which unit
owns which part of the central satker's POK. That decision is a rule table in the yaml,
applied here at ingest, so a reorganisation is an edit of the yaml, not of code.
"""
from __future__ import annotations

import pandas as pd

from . import parameters

RULE_KEYS = {"program": "kode_program", "kegiatan": "kode_kegiatan", "kro": "kode_kro",
             "ro": "kode_ro", "komponen": "kode_komponen", "subkomponen": "kode_subkomponen"}


def config() -> dict:
    return parameters.load("organisasi")


def satker_pusat() -> str:
    return str(config()["satker_pusat"])


def satker_default() -> pd.DataFrame:
    """The agency's satker as the canonical `satker` table (plus kota and kppn)."""
    rows = [{"kode_satker": str(s["kode"]), "nama_satker": str(s["nama"]),
             "kelompok": str(s["kelompok"]), "kota": str(s.get("kota", "")),
             "kppn": str(s.get("kppn", ""))} for s in config().get("satker", [])]
    return pd.DataFrame(rows, columns=["kode_satker", "nama_satker", "kelompok", "kota", "kppn"])


def unit_kerja_default() -> pd.DataFrame:
    """Every unit kerja of the yaml as the canonical `unit_kerja` table."""
    rows = [{"kode_unit": str(u["kode"]), "nama_unit": str(u["nama"]), "kode_satker": str(k)}
            for k, units in (config().get("unit_kerja") or {}).items() for u in units]
    return pd.DataFrame(rows, columns=["kode_unit", "nama_unit", "kode_satker"])


def rules() -> dict[str, list[dict]]:
    """{kode_satker: [rule, ...]} with rules ordered most specific first (stable)."""
    out = {}
    for satker, items in (config().get("aturan_unit") or {}).items():
        parsed = []
        for i, r in enumerate(items):
            unknown = set(r) - set(RULE_KEYS) - {"unit"}
            if unknown or "unit" not in r:
                raise ValueError(f"organisasi.yaml: aturan_unit {satker} no. {i + 1}: "
                                 f"kunci tidak dikenal {sorted(unknown)} atau 'unit' tidak ada.")
            match = {RULE_KEYS[k]: str(v) for k, v in r.items() if k != "unit"}
            parsed.append((-len(match), i, match, str(r["unit"])))
        out[str(satker)] = [{"match": m, "unit": u} for _, _, m, u in sorted(parsed, key=lambda t: t[:2])]
    return out


def unit_for(pok: pd.DataFrame) -> pd.Series:
    """The unit kerja each POK line belongs to by the rules (None where no rule applies)."""
    result = pd.Series([None] * len(pok), index=pok.index, dtype=object)
    open_ = pd.Series(True, index=pok.index)
    satker = pok["kode_satker"].astype(str)
    for kode, satker_rules in rules().items():
        in_satker = satker == kode
        if not in_satker.any():
            continue
        for rule in satker_rules:
            mask = in_satker & open_
            for col, value in rule["match"].items():
                if col not in pok.columns:
                    mask &= False
                    break
                mask &= pok[col].astype(str) == value
            result[mask] = rule["unit"]
            open_ &= ~mask
    return result


def _empty(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype(str).str.strip() == "")


def assign_units(tables: dict[str, pd.DataFrame], store=None) -> None:
    """Fill `pok.kode_unit` in place where it is empty, for satker that have unit rules.

    A line that matches no rule stays empty (the validator may report it). When units were
    assigned but the batch carries no `unit_kerja` table and the store knows none for that
    satker either, the yaml's unit kerja are added to the batch so the names resolve.
    """
    pok = tables.get("pok")
    if pok is None or pok.empty:
        return
    if "kode_unit" not in pok.columns:
        pok["kode_unit"] = None
    todo = _empty(pok["kode_unit"]) & pok["kode_satker"].astype(str).isin(rules().keys())
    if not todo.any():
        return
    units = unit_for(pok.loc[todo])
    pok.loc[todo, "kode_unit"] = units
    col = pok["kode_unit"].astype(object)
    col[_empty(col)] = None
    pok["kode_unit"] = col
    _add_unit_table(tables, set(units.dropna().unique()), store)


def _add_unit_table(tables, used: set[str], store) -> None:
    if not used or "unit_kerja" in tables:
        return
    known: set[str] = set()
    if store is not None:
        try:
            known = set(store.sql("SELECT kode_unit FROM unit_kerja")["kode_unit"].astype(str))
        except Exception:  # a store without the table yet: nothing known
            known = set()
    if used <= known:
        return
    default = unit_kerja_default()
    owners = set(default.loc[default["kode_unit"].isin(used), "kode_satker"])
    added = default[default["kode_satker"].isin(owners)].reset_index(drop=True)
    # Later checks name the source of a row: these rows come from the yaml.
    added["_file"], added["_row"] = "parameters/organisasi.yaml", None
    tables["unit_kerja"] = added
