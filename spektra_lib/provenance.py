"""What the store keeps about where its data came from, beside the data (issue 24): the unit
an Excel report's amounts were read in and its evidence (satuan_sumber), the months a file
declares it covers (cakupan_sumber). Both tables are declared in schema.PROVENANCE_TABLES,
written inside the ingest transaction (Store.ingest) and left out of the content digest;
an ingest of a satker's table replaces what was recorded for that satker and table."""
from __future__ import annotations

import pandas as pd

from . import schema
from .problems import safe_text


def create(con) -> None:
    for t in schema.PROVENANCE_TABLES.values():
        cols = ", ".join(f"{c.name} {schema.SQL_TYPES[c.kind]}" for c in t.columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {t.name} ({cols})")


def record(con, tables: dict[str, pd.DataFrame], given: dict[str, list[dict]],
           ingest_id: int) -> None:
    """satuan_sumber, cakupan_sumber, sumber_tabel: an ingest of a satker's table replaces
    what was recorded for it (a later POK from a source that states no unit leaves none),
    then records its own (spp: per year of tgl_spp)."""
    for name, df in tables.items():
        if "tgl_spp" in df.columns and "tahun" not in df.columns:   # spp: year of tgl_spp
            df = pd.DataFrame({"tahun": pd.to_datetime(df["tgl_spp"]).dt.year,
                               "kode_satker": df["kode_satker"]}).dropna()
        if not {"tahun", "kode_satker"} <= set(df.columns):
            continue
        con.register("_prov_scope", df[["tahun", "kode_satker"]].drop_duplicates())
        for prov in given:
            con.execute(f"DELETE FROM {prov} s WHERE tabel = $n AND EXISTS (SELECT 1 FROM "
                        "_prov_scope p WHERE CAST(p.tahun AS INTEGER) = s.tahun AND "
                        "CAST(p.kode_satker AS VARCHAR) = s.kode_satker)", {"n": name})
        con.unregister("_prov_scope")
    for prov, recs in given.items():
        rows = [r for r in recs if r.get("tabel") in tables]
        if not rows:
            continue
        cols = schema.PROVENANCE_TABLES[prov].names
        con.executemany(f"INSERT INTO {prov} ({', '.join(cols)}) VALUES "
                        f"({', '.join('?' * len(cols))})",
                        [[safe_text(r[c]) if isinstance(r.get(c), str) else r.get(c)
                          for c in cols[:-1]] + [ingest_id] for r in rows])


def declare(con, t: "schema.Table", cakupan) -> str | None:
    """The months files declare they cover for dated table `t` (Batch.cakupan), registered
    as `_cakupan_<table>` with scope values s0, s1, … and months m0, m1; None when none
    (or the table's scope is not plain columns)."""
    rows = [r for r in cakupan if r.get("tabel") == t.name]
    if t.period is None or not rows or any(c.endswith(")") for c in t.scope):
        return None
    name = f"_cakupan_{t.name}"
    con.register(name, pd.DataFrame({
        **{f"s{i}": [r[c] for r in rows] for i, c in enumerate(t.scope)},
        "m0": [int(r["bulan_awal"]) for r in rows], "m1": [int(r["bulan_akhir"]) for r in rows]}))
    return name
