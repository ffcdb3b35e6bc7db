"""The canonical layout (CONTRACT §1): one CSV per table, or one workbook, one sheet each."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..problems import Problem
from .parse import RawTable, format_column, parse_frame

# Columns that may be blank although required (a budget line without subkomponen, an
# unnamed level); every other required column must hold a value.
BLANK_ALLOWED = {"kode_subkomponen", "nama_subkomponen", "satuan", "uraian", "status",
                 "uraian_item", "nama_program", "nama_kegiatan", "nama_kro", "nama_ro",
                 "nama_komponen", "nama_akun", "nama_satker", "nama_unit", "jenis_spp"}


def match_table(raw: RawTable, stem: str | None) -> str | None:
    """The canonical table a header belongs to (by its columns; the name only breaks ties)."""
    cols = set(raw.df.columns)
    if not cols or any(c != c.lower() for c in cols):
        return None
    best, best_score = None, 0.0
    for t in schema.TABLES.values():
        hit = len(cols & set(t.names))
        score = hit / len(t.required) + (0.5 if t.name == stem else 0)
        if hit and score > best_score:
            best, best_score = t.name, score
    if best is None or (best != stem and best_score < 0.5):
        return stem if stem in schema.TABLES else None
    return best


def parse_table(raw: RawTable, table_name: str, problems: list[Problem],
                check_columns: bool = True) -> pd.DataFrame:
    """`check_columns=False` for the 2nd, 3rd … slice of a file read in slices: the header
    was checked with the first."""
    t = schema.TABLES[table_name]
    for c in raw.df.columns if check_columns else ():
        if c not in t.names:
            problems.append(Problem(raw.name, 1, c or None,
                                    f"kolom tidak dikenal untuk tabel {t.name}"))
    for c in t.required if check_columns else ():
        if c not in raw.df.columns:
            problems.append(Problem(raw.name, 1, c, f"kolom wajib tidak ada di tabel {t.name}"))
    df = parse_frame(raw, {c.name: (c.name, c.kind) for c in t.columns}, problems)
    require_values(df, raw, [c for c in t.required if c in raw.df.columns], problems)
    return df


def require_values(df: pd.DataFrame, raw: RawTable, cols: list[str], problems: list[Problem],
                   src: dict[str, str] | None = None) -> None:
    """Empty cells in required columns (a cell already refused is not reported twice)."""
    seen = {(p.row, p.column) for p in problems if p.file == raw.name}
    for c in cols:
        if c in BLANK_ALLOWED:
            continue
        s = raw.df[(src or {}).get(c, c)].reset_index(drop=True)
        empty = df[c].isna().to_numpy() & (s.astype(str).str.strip() == "").to_numpy()
        for i in empty.nonzero()[0]:
            if (int(raw.rows[i]), (src or {}).get(c, c)) in seen:
                continue
            problems.append(Problem(raw.name, int(raw.rows[i]), (src or {}).get(c, c),
                                    "wajib diisi"))


def to_text(df: pd.DataFrame, table_name: str, **fmt) -> pd.DataFrame:
    t = schema.TABLES[table_name]
    cols = [c for c in t.columns if c.name in df.columns or c.required]
    return pd.DataFrame({c.name: format_column(df[c.name], c.kind, **fmt)
                         if c.name in df.columns else "" for c in cols})


CSV_CHUNK = 200_000   # rows turned into text at once (9M realisasi lines as text: ~7 GB)


def write_csv(tables: dict[str, pd.DataFrame], out_dir: Path, names=None) -> list[Path]:
    out = []
    for name in (tables if names is None else names):
        if name not in tables or name not in schema.TABLES:
            continue
        p = out_dir / f"{name}.csv"
        df = tables[name]
        with open(p, "w", encoding="utf-8", newline="") as fh:
            for start in range(0, max(len(df), 1), CSV_CHUNK):
                # each cell's text depends on its own value only: same bytes as one pass
                to_text(df.iloc[start:start + CSV_CHUNK], name).to_csv(
                    fh, index=False, header=start == 0, lineterminator="\n")
        out.append(p)
    return out


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> list[Path]:
    """One workbook; every cell written as a value (a text from data never becomes a formula)."""
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    for name, df in tables.items():
        if name not in schema.TABLES:
            continue
        ws = wb.create_sheet(name)
        text = to_text(df, name)
        ws.append(list(text.columns))
        for row in text.itertuples(index=False):
            ws.append([_safe_cell(ws, v) for v in row])
    wb.save(path)
    return [path]


def _safe_cell(ws, v: str):
    from openpyxl.cell import WriteOnlyCell
    if v.startswith("="):
        cell = WriteOnlyCell(ws, value=v)
        cell.data_type = "s"
        return cell
    return v
