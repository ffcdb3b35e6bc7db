"""Recognise what a folder or file holds and read it into a Batch (write.py: the other way).

A file is recognised by its header (columns / XML tags / DBF fields / a report's title
rows), not by its name, against the layouts of layouts/*.yaml; a folder may mix layouts
and every CSV, XLSX, JSON, XML, DBF and KEU file in it (sub-folders too) is read.

"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..problems import Problem
from . import (Batch, codes, glp039, kanonik, layout, myintress, myintress_detail, refs, rkk,
               sakti, sakti_xlsx)
from .files import (CarefulReaderNeeded, csv_header, iter_csv, read_csv, read_dbf, read_xlsx,
                    read_xml)
from .parse import RawTable

TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=float("nan"))
SUFFIXES = {".csv", ".xlsx", ".xml", ".dbf", ".keu", ".json"}
PEM_SLICE = 200_000   # lines of PEM/realisasi parsed at once
STREAM_MIN_BYTES = 64 << 20      # canonical CSVs from this size are parsed in slices too
STREAMED_TABLES = {"realisasi", "pok"}


# -- reading -------------------------------------------------------------------------
class Report:
    """Canonical frames read whole by a format-specific reader (a SAKTI Excel report)."""

    def __init__(self, name: str, tables: dict[str, pd.DataFrame],
                 layouts: dict[str, str] | None = None):
        self.name, self.tables = name, tables
        # canonical table -> layout name (default: the SAKTI Excel report that feeds it)
        self.layouts = layouts or {t: sakti_xlsx.REPORT_LAYOUT[t] for t in tables}


def _raw_tables(path: Path, problems: list[Problem], tahun: int | None = None):
    """(files, iterator of (RawTable, stem)): each file is read only when the caller asks
    for it, so a parsed table's raw text is gone before the next file is read (at 1000
    satker holding every raw file at once was the ingest's peak memory)."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        label = {p: p.relative_to(path).as_posix() for p in files}
    else:
        files, label = [path], {path: path.name}
    if not files:
        problems.append(Problem(str(path), None, None,
                                "tidak ada berkas CSV, XLSX, XML, atau DBF untuk dibaca"))

    def read_one(p: Path):
        suffix = p.suffix.lower()
        if suffix == ".csv":
            yield read_csv(p, label[p]), p.stem
        elif suffix == ".xlsx":
            report = glp039.read_report(p, label[p], problems, tahun)
            if report is not None:
                yield Report(label[p], report, {"realisasi": glp039.NAME}), p.stem
                return
            paths = rkk.read_report(p, label[p], problems)
            if paths is not None:     # read to check the POK against, loads nothing
                rep = Report(label[p], {}, {})
                rep.rkk = paths
                yield rep, p.stem
                return
            detail = myintress_detail.read_report(p, label[p], problems)
            if detail is not None:    # item realisasi (paid lines) and one spp per SPP/SPM
                got = {t: df for t, df in detail.items() if len(df)} or {"spp": detail["spp"]}
                yield Report(label[p], got, {t: myintress_detail.NAME for t in got}), p.stem
                return
            spp = myintress.read_report(p, label[p], problems)
            if spp is not None:
                yield Report(label[p], {"spp": spp}, {"spp": myintress.NAME}), p.stem
                return
            report = sakti_xlsx.read_report(p, label[p], problems, tahun)
            if report is not None:
                yield Report(label[p], report), p.stem
                return
            for raw in read_xlsx(p, label[p]):
                yield raw, raw.name[raw.name.index("[") + 1:-1]
        elif suffix == ".xml":
            yield read_xml(p, label[p]), p.stem
        elif suffix in (".dbf", ".keu"):   # the DIPA application's FoxPro tables: *.KEU
            yield read_dbf(p, label[p]), p.stem
        elif suffix == ".json":
            yield sakti.read_json(p, label[p]), p.stem
        else:
            problems.append(Problem(label[p], None, None,
                                    "jenis berkas tidak didukung (CSV, XLSX, XML, DBF)"))

    def each():
        for p in files:
            kind, table = how[p]
            if kind == "pem":
                continue
            if kind == "kanonik":      # read() parses it slice by slice, in this place
                yield None, (p, table, label[p])
                continue
            for raw, stem in read_one(p):
                yield raw, stem
                # the caller has parsed it and asks for the next file: let the text go
                # (its loop variable still names this RawTable until then)
                if isinstance(raw, RawTable):
                    raw.df = raw.df.iloc[0:0]
    how = {p: _sliced(p) for p in files}
    return files, each(), [(p, label[p]) for p in files if how[p][0] == "pem"]


def _sliced(p: Path) -> tuple[str | None, str | None]:
    """How a file is read in slices, from one look at its header: ("pem", None) for a
    SAKTI PEM/realisasi CSV (read by _stream_pem, after every budget file), ("kanonik",
    table) for a big canonical realisasi or pok CSV; (None, None) when read whole."""
    header = csv_header(p) if p.suffix.lower() == ".csv" else None
    if header is None:
        return None, None
    lay = layout.recognise(header)
    if lay is not None:
        return ("pem", None) if lay.name == "sakti_realisasi" else (None, None)
    empty = RawTable(p.name, p, pd.DataFrame(columns=header), np.array([], int), [])
    table = kanonik.match_table(empty, p.stem)
    if table in STREAMED_TABLES and p.stat().st_size >= STREAM_MIN_BYTES:
        return "kanonik", table
    return None, None


def _stream_kanonik(path: Path, name: str, table: str,
                    problems: list[Problem]) -> pd.DataFrame | None:
    """A canonical table parsed slice by slice (same problems and rows as read_csv +
    parse_table); the careful whole-file reader when pyarrow cannot go on."""
    n0, parts = len(problems), []
    try:
        for i, raw in enumerate(iter_csv(path, name, PEM_SLICE)):
            df = kanonik.parse_table(raw, table, problems, check_columns=i == 0)
            raw.df = raw.df.iloc[0:0]
            parts.append(_coerce(df, schema.TABLES[table]))
            del df, raw
    except CarefulReaderNeeded:
        del problems[n0:]
        parts = []
        raw = read_csv(path, name)
        problems += raw.problems
        if raw.problems and raw.df.empty:
            return None
        return kanonik.parse_table(raw, table, problems)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _stream_pem(path: Path, name: str, problems: list[Problem],
                items: pd.DataFrame | None, spp: list[pd.DataFrame]) -> pd.DataFrame:
    """PEM/realisasi lines parsed and keyed slice by slice (issue 7: 9 million lines at
    national scale; the whole text, its parsed copy and the keying join at once were the
    ingest's peak). Problems and rows as read_csv + parse_pem + key_pem give."""
    n0, parts = len(problems), []
    lookup = sakti.item_lookup(items)
    try:
        for i, raw in enumerate(iter_csv(path, name, PEM_SLICE)):
            raw.df.columns = [c.upper() for c in raw.df.columns]
            df = sakti.parse_pem(raw, problems, check_columns=i == 0)
            raw.df = raw.df.iloc[0:0]
            spp.append(sakti.spp_lines(df))
            parts.append(_coerce(sakti.key_pem(df, problems, lookup, unique=True),
                                 schema.TABLES["realisasi"]))
            del df, raw
    except CarefulReaderNeeded:
        del problems[n0:], parts
        raw = read_csv(path, name)
        problems += raw.problems
        if raw.problems and raw.df.empty:
            return _coerce(pd.DataFrame(), schema.TABLES["realisasi"])
        raw.df.columns = [c.upper() for c in raw.df.columns]
        df = sakti.parse_pem(raw, problems)
        del raw
        spp.append(sakti.spp_lines(df))
        return sakti.key_pem(df, problems, lookup, unique=True)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _coerce(df: pd.DataFrame, table: schema.Table) -> pd.DataFrame:
    """Schema columns in order with one dtype per kind, plus _file and _row."""
    out = {}
    for c in table.columns:
        s = df[c.name] if c.name in df.columns else pd.Series([None] * len(df), index=df.index)
        if c.kind == schema.TEXT:
            # Arrow-backed text (NaN when missing): millions of codes fit in memory.
            s = s if s.dtype == TEXT_DTYPE else s.astype(object).where(s.notna(), None) \
                .astype(TEXT_DTYPE)
        elif c.kind in (schema.AMOUNT, schema.NUMBER):
            s = pd.to_numeric(s, errors="coerce").astype(float)
        elif c.kind == schema.INT:
            s = pd.to_numeric(s, errors="coerce").astype("Int64")
        else:
            s = pd.to_datetime(s, errors="coerce").astype("datetime64[ns]")
        out[c.name] = s
    res = pd.DataFrame(out, index=df.index)
    # A few file names repeated over millions of lines: categorical, not a string each.
    res["_file"] = (df["_file"] if "_file" in df.columns else "")
    if not isinstance(res["_file"].dtype, pd.CategoricalDtype):
        res["_file"] = res["_file"].astype(str).astype("category")
    res["_row"] = df["_row"].astype("int64") if "_row" in df.columns else 0
    return res if isinstance(res.index, pd.RangeIndex) and res.index.start == 0 \
        and res.index.step == 1 else res.reset_index(drop=True)


def read(path: Path, tahun: int | None = None, stored_items=None,
         stored_satker: set[str] | None = None, satuan: str | None = None,
         stored_spp_register: set[tuple[str, int]] | None = None) -> Batch:
    """`tahun`: the year of sources that carry none (SAKTI service output);
    `stored_items`, `stored_satker`: what the store already holds (layout.Context);
    `satuan`: the unit of an Excel report that states none (`--satuan`);
    `stored_spp_register`: (satker, year) whose stored SPP came from a register."""
    with layout.using(layout.Context(tahun=tahun, stored_items=stored_items,
                                     stored_satker=stored_satker, satuan=satuan,
                                     stored_spp_register=stored_spp_register)) as ctx:
        batch = _read(Path(path))
    batch.notes = _units_once(ctx.notes) + batch.notes
    batch.satuan = list(ctx.satuan_dibaca)
    batch.cakupan = list(ctx.cakupan)
    # two files giving the same money (realisasi of one satker and month, one SPP)
    from . import dua_sumber
    dua_sumber.check(batch)
    return batch


def _register_kept(spp: pd.DataFrame | None) -> tuple[pd.DataFrame | None, str | None]:
    """PEM/realisasi's SPP rows leave out the (satker, year) whose SPP in the store came
    from a register: the register names drafts and uraian PEM lines do not (issue 24)."""
    stored = layout.context().stored_spp_register
    if spp is None or not len(spp) or not stored:
        return spp, None
    year = pd.to_datetime(spp["tgl_spp"]).dt.year
    kept = pd.Series([(str(k), int(y)) in stored for k, y in zip(spp["kode_satker"], year)],
                     index=spp.index)
    if not kept.any():
        return spp, None
    names = sorted({str(k) for k in spp.loc[kept, "kode_satker"]})
    return spp[~kept], (
        f"Monitoring SPP/SPM/SP2D satker {', '.join(names[:10])}"
        + (f" dan {len(names) - 10} lainnya" if len(names) > 10 else "")
        + " tidak diambil dari PEM/realisasi: register SPP satker itu sudah ada di store "
        "(sumber yang lebih baik) dan tetap dipakai.")


def _units_once(notes: list[str], most: int = 3) -> list[str]:
    """The unit each Form Cetak POK was read in: one line per unit once there are more
    than `most` files (a folder of 16 satker is not 16 lines saying the same)."""
    marker = ": angka Form Cetak POK dibaca dalam "
    units: dict[str, list[str]] = {}
    for n in notes:
        if marker in n:
            f, how = n.split(marker, 1)
            units.setdefault(how, []).append(f)
    if sum(len(v) for v in units.values()) <= most:
        return notes
    rest = [n for n in notes if marker not in n]
    return [f"{len(fs)} Form Cetak POK ({', '.join(fs[:3])}{' …' if len(fs) > 3 else ''}): "
            f"angka dibaca dalam {how}" for how, fs in units.items()] + rest


def _reader(ref: str):
    """`module:function` of a layout file -> the function in sources/."""
    import importlib
    module, func = ref.split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), func)


def _seen(name, lay, title, table, rows) -> dict:
    return {"berkas": name, "layout": lay, "judul": title, "tabel": table, "baris": int(rows)}


# A known layout missing columns (at least this many of its own recognised): a broken copy
# of it, refused; fewer: a file of another kind, skipped with a warning (issue 24).
NEAR_ENOUGH = 3
# words of a report's title row -> the supported report nearest to it (an unknown
# workbook with title rows names no columns to compare)
TITLE_HINTS = (("REALISASI", "sakti_glp039"), ("POK", "sakti_form_pok"),
               ("RPD", "sakti_form_pok"), ("KERTAS KERJA", "sakti_form_pok"),
               ("RKK", "sakti_form_pok"), ("SP2D", "sakti_daftar_sp2d"),
               ("SPM", "sakti_daftar_sp2d"), ("SPP", "sakti_register_spp"))
OTHER_SUFFIX = {".xls": "format Excel lama (.xls): buka di Excel lalu simpan sebagai .xlsx",
                ".ods": "format OpenDocument (.ods): simpan sebagai .xlsx",
                ".pdf": "PDF tidak dibaca: unduh laporan yang sama sebagai Excel (.xlsx)"}


def _unknown(name: str, header: list[str]) -> tuple[Problem, bool]:
    """An unrecognised header: what it looks like, the nearest supported layout and what
    it lacks; True when it is near enough to be a broken copy of that layout (refused)."""
    shown = ", ".join(header[:8]) + (" …" if len(header) > 8 else "")
    near, lack = layout.nearest(header)
    broken = near is not None and near.score(header) >= NEAR_ENOUGH
    if broken:
        msg = ("jenis berkas tidak dikenali dari kolomnya (bukan tabel kanonik, SAKTI, ADK, "
               f"atau OM-SPAN): {shown or '(tanpa header)'}")
    else:
        msg = (f"berkas tidak didukung, dilewati: tampak seperti {shown or '(tanpa header)'} "
               "(bukan tabel kanonik, laporan SAKTI, ADK, atau OM-SPAN yang dikenal)")
    if near is None:
        text = " ".join(header).upper()
        hint = next((n for w, n in TITLE_HINTS if w in text), None)
        if hint:
            msg += f"; laporan yang didukung paling mirip: {layout.load(hint).title}"
    else:
        more = f" dan {len(lack) - 10} lagi" if len(lack) > 10 else ""
        msg += f"; paling mirip {near.title}, yang kurang kolom {', '.join(lack[:10])}{more}"
    return Problem(name, 1, None, msg), broken


def _other_files(path: Path) -> list[Problem]:
    """Files of a folder that no reader takes (a PDF, an old .xls): one warning each."""
    if not path.is_dir():
        return []
    out = []
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path)
        if not p.is_file() or p.suffix.lower() in SUFFIXES \
                or any(part.startswith(".") for part in rel.parts):
            continue
        why = OTHER_SUFFIX.get(p.suffix.lower(), f"jenis berkas {p.suffix or '(tanpa akhiran)'} "
                               "tidak dibaca (CSV, XLSX, JSON, XML, DBF, KEU)")
        out.append(Problem(rel.as_posix(), None, None, f"berkas tidak didukung, dilewati: {why}"))
    return out


def _read(path: Path) -> Batch:
    tahun = layout.context().tahun
    problems: list[Problem] = []
    recognised: list[dict] = []
    t_satker: list[pd.DataFrame] = []
    files, raws, pem_files = _raw_tables(path, problems, tahun)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in schema.TABLES}
    kinds_found: set[str] = set()
    real_pok: list[pd.DataFrame] = []
    ref_tables: dict[str, list[pd.DataFrame]] = {}
    pem: list[pd.DataFrame] = []
    omspan_files: list[str] = []
    glp_pagu: list[pd.DataFrame] = []     # GLP039's pagu revisi per item, held against the POK
    skipped: list[Problem] = _other_files(path)
    rkk_paths: list[pd.DataFrame] = []    # RKK akun paths, held against the POK
    for raw, stem in raws:
        if raw is None:          # a big canonical CSV: (path, table, label)
            big, table, name = stem
            df = _stream_kanonik(big, name, table, problems)
            if df is not None:
                parts[table].append(df)
                recognised.append(_seen(name, "kanonik", f"tabel kanonik {table}", table, len(df)))
            continue
        if isinstance(raw, Report):
            if getattr(raw, "rkk", None) is not None:
                rkk_paths.append(raw.rkk)
                recognised.append(_seen(raw.name, rkk.NAME, layout.load(rkk.NAME).title,
                                        "(pemeriksaan pagu)", len(raw.rkk)))
            for table, df in raw.tables.items():
                # a Form Cetak POK's items take names and PN tags from reference tables too
                (real_pok if table == "pok" else parts[table]).append(df)
                lay = layout.load(raw.layouts[table])
                recognised.append(_seen(raw.name, lay.name, lay.title, table, len(df)))
                if "pagu" in df.attrs:     # popped: a frame in attrs breaks pd.concat
                    glp_pagu.append(df.attrs.pop("pagu"))
            kinds_found.add("sakti-xlsx")
            continue
        if raw.problems and raw.df.empty:
            problems += raw.problems
            continue
        # a real layout first: its headers written in lower case look canonical
        lay = layout.recognise(raw.df.columns)
        table = kanonik.match_table(raw, stem) if lay is None else None
        if table or (lay is not None and lay.reader):
            problems += raw.problems   # a header's troubles count once the file is known
        if table:
            parts[table].append(kanonik.parse_table(raw, table, problems))
            recognised.append(_seen(raw.name, "kanonik", f"tabel kanonik {table}", table,
                                    len(raw.df)))
            continue
        raw.df.columns = [c.upper() for c in raw.df.columns]
        if lay is None or not lay.reader:
            p, broken = _unknown(raw.name, list(raw.df.columns))
            if broken:
                problems += raw.problems + [p]
            else:             # one line, and the files that are fine still load
                skipped.append(p)
            continue
        if lay.reader.startswith("refs:"):
            # names for the budget's codes, applied to the items below; T_SATKER names
            # the satker nobody else declares
            name = lay.name.removeprefix("adk_")
            df = refs.read(raw, problems, name)
            (t_satker if name == refs.SATKER else ref_tables.setdefault(name, [])).append(df)
            recognised.append(_seen(raw.name, lay.name, lay.title, lay.table, len(df)))
            continue
        df = _reader(lay.reader)(raw, problems)
        if df is None:            # refused whole; its problems say why
            continue
        if lay.name == "sakti_realisasi":
            pem.append(df)        # keyed once every budget file is read
        elif lay.table == "pok":
            real_pok.append(df)   # names from the reference tables, below
        else:
            parts[lay.table].append(df)
            if lay.table == "realisasi_akun":
                omspan_files.append(raw.name)
        kinds_found.add(lay.system)
        recognised.append(_seen(raw.name, lay.name, lay.title, lay.table, len(df)))
    items = pd.concat(real_pok, ignore_index=True) if real_pok else None
    if items is not None:   # d_item has no CONS_ITEM: its key text stands in for it
        if "cons_item" not in items.columns:
            items["cons_item"] = None
        miss = items["cons_item"].isna()
        items.loc[miss, "cons_item"] = sakti.cons_item(items.loc[miss])
    pem_spp: list[pd.DataFrame] = []     # the SPP each PEM/realisasi line names
    while pem:
        df = pem.pop()
        pem_spp.append(sakti.spp_lines(df))
        parts["realisasi"].append(sakti.key_pem(df, problems, items))
    for p, name in pem_files:   # after every budget file, so that its items are known
        parts["realisasi"].append(_stream_pem(p, name, problems, items, pem_spp))
        kinds_found.add("sakti")
        lay = layout.load("sakti_realisasi")
        recognised.append(_seen(name, lay.name, lay.title, "realisasi", len(parts["realisasi"][-1])))
    # monitoring SPP from PEM/realisasi for the satker no register came with
    registered = {str(k) for df in parts["spp"] for k in df["kode_satker"].dropna().unique()}
    spp = sakti.spp_from_pem(pem_spp, registered)
    del pem_spp
    spp, kept_note = _register_kept(spp)
    if spp is not None and len(spp):
        parts["spp"].append(spp)
        # pandas 3: astype(str) keeps a missing code as NaN, which join() refuses
        notes_spp = sorted(str(k) for k in spp["kode_satker"].dropna().unique())
        spp_note = ("Monitoring SPP/SPM/SP2D satker " + ", ".join(notes_spp[:10])
                    + (f" dan {len(notes_spp) - 10} lainnya" if len(notes_spp) > 10 else "")
                    + " diambil dari PEM/realisasi (tanpa register SPP): satu baris per SPP, "
                    "nilai = jumlah baris realisasinya.")
    else:
        spp_note = None
    if kept_note:
        spp_note = f"{spp_note} {kept_note}" if spp_note else kept_note
    if items is not None and t_satker:
        from .. import organisasi
        known = set(pd.concat(parts["satker"])["kode_satker"].astype(str)) if parts["satker"] \
            else set()
        known |= set(organisasi.satker_default()["kode_satker"])
        known |= set(layout.context().stored_satker or ())
        rows = refs.satker_rows(pd.concat(t_satker, ignore_index=True), items, known)
        if len(rows):
            parts["satker"].append(rows)
    if items is not None:
        merged = {k: pd.concat(v, ignore_index=True) for k, v in ref_tables.items()}
        parts["pok"].append(refs.apply(items, merged, problems))
    tables = {name: codes.normalise(_coerce(pd.concat(dfs, ignore_index=True),
                                            schema.TABLES[name]), problems)
              for name, dfs in parts.items() if dfs}
    notes = glp039.pagu_notes(glp_pagu, tables.get("pok")) + ([spp_note] if spp_note else []) \
        + rkk.notes(rkk_paths, tables.get("pok"))
    if "realisasi_akun" in tables and len(tables["realisasi_akun"]):
        ra = tables["realisasi_akun"]
        satker = sorted(ra["kode_satker"].dropna().unique())
        notes.append(
            f"Realisasi dari OM-SPAN ({', '.join(omspan_files) or 'realisasi_akun'}) hanya "
            f"sampai tingkat akun, tanpa item: untuk satker {', '.join(satker)} laporan "
            "tingkat item (Realisasi POK, deviasi per item) tidak tersedia; laporan Realisasi "
            "per Akun memakai data ini.")
    systems = "+".join(sorted(kinds_found)) or "kanonik"
    problems.sort(key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
    return Batch(layout=systems, tables=tables, files=list(files), problems=problems, notes=notes,
                 recognised=recognised, skipped=skipped)
