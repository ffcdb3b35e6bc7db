"""MyINTRESS "Monitoring SPP, SPM, dan SP2D" download (.xlsx) -> `spp` (layouts/
myintress_spp.yaml). The header is found by its column names among the first rows (title
rows may stand above it); `'00001T` loses its apostrophe; Jenis SPP/SPM `12 - GUP` is GUP;
the SPP/SPM number is both no_spp and no_spm (the download writes one); status `SP2D terbit`
with an SP2D, else `Dalam proses`. The satker: a satker column, else the 6-digit code of the
title rows, else of the file name; else the file is refused naming what is missing."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..problems import Problem
from . import layout as layouts
from .glp039 import _text
from .parse import RawTable, parse_frame

NAME = "myintress_spp"


def _header(rows: list[list]) -> int | None:
    lay = layouts.load(NAME)
    for i, row in enumerate(rows[:10]):
        names = [_text(v) for v in row if _text(v)]
        if not lay.missing(names) and len(names) >= 4:
            return i
    return None


def read_report(path: Path, label: str, problems: list[Problem]) -> pd.DataFrame | None:
    """canonical spp (with _file, _row) of a MyINTRESS download; None when not one."""
    from .peek import heads
    try:
        found = [(n, rows) for n, rows in heads(path) if _header(rows) is not None]
    except Exception:  # noqa: BLE001 -- not a workbook calamine can open: others say why
        return None
    if not found:
        return None
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    out = []
    for name, _ in found:
        sl = label if len(wb.sheet_names) == 1 else f"{label}[{name}]"
        n0 = len(problems)
        try:
            df = read_rows(wb.get_sheet_by_name(name).to_python(skip_empty_area=False), sl,
                           problems, Path(path).stem)
        except Exception as e:  # noqa: BLE001 -- never a traceback for a user's file
            del problems[n0:]
            problems.append(Problem(sl, None, None, (
                f"Monitoring SPP MyINTRESS tidak dapat dibaca: susunan lembar ini tidak "
                f"terduga ({e})")))
            continue
        if df is not None:
            out.append(df)
    return pd.concat(out, ignore_index=True) if out else None


def read_rows(rows: list[list], label: str, problems: list[Problem],
              stem: str = "") -> pd.DataFrame | None:
    hi = _header(rows)
    lay = layouts.load(NAME)
    header = [_text(v) or f"_{i}" for i, v in enumerate(rows[hi])]
    width = len(header)
    body = [(r0 + 1, [_text(v).lstrip("'") for v in (row + [None] * width)[:width]])
            for r0, row in enumerate(rows[hi + 1:], start=hi + 1) if any(_text(v) for v in row)]
    df = pd.DataFrame([c for _, c in body], columns=header, dtype=object) if body else \
        pd.DataFrame(columns=header, dtype=object)
    raw = RawTable(label, Path(label), df, np.array([r for r, _ in body], dtype=int), [])
    spec = lay.spec(header)
    got = parse_frame(raw, spec, problems)
    sat = got["kode_satker"]
    if sat.isna().all():
        title = " ".join(_text(v) for row in rows[:hi] for v in row) + " " + stem
        m = re.search(r"(?:^|\D)(\d{6})(?:\D|$)", title)
        if m is None:
            problems.append(Problem(label, None, None, (
                "kode satker tidak ada: tidak ada kolom satker, dan judul maupun nama berkas "
                "tidak memuat kode 6 digit (mis. simpan sebagai MyINTRESS_017220.xlsx)")))
            return None
        sat = pd.Series(m.group(1), index=got.index, dtype=object)
    jenis = got["jenis"].astype("string").str.split(" - ", n=1).str[-1].str.strip()
    has_sp2d = got["no_sp2d"].notna()
    out = pd.DataFrame({
        "kode_satker": sat, "kode_unit": None, "no_spp": got["no_spp"],
        "tgl_spp": got["tgl_spp"], "no_spm": got["no_spp"], "tgl_spm": got["tgl_spm"],
        "no_sp2d": got["no_sp2d"], "tgl_sp2d": got["tgl_sp2d"],
        "uraian": got["uraian"].where(got["uraian"].notna(), ""),
        "jenis_spp": jenis.astype(object), "nilai": got["nilai"].astype(float),
        "status": np.where(has_sp2d, "SP2D terbit", "Dalam proses")})
    for f in ("no_spp", "tgl_spp", "jenis_spp", "nilai"):
        src = spec["jenis" if f == "jenis_spp" else f][0]
        seen = {(p.row, p.column) for p in problems if p.file == label}
        for i in np.flatnonzero(out[f].isna().to_numpy()):
            if (int(raw.rows[i]), src) not in seen:
                problems.append(Problem(label, int(raw.rows[i]), src, "wajib diisi"))
    out["_file"] = label
    out["_row"] = raw.rows.astype("int64")
    return out
