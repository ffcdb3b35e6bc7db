"""`spektra ingest` and `spektra periksa`: read a folder or file, validate everything,
load it in one transaction (ingest) or only report what would happen (periksa)."""
from __future__ import annotations

from pathlib import Path

from .problems import IngestError, Problem
from .store import IngestSummary, Store


def check_path(path: str | Path, store: Store | None = None, tahun: int | None = None,
               store_known: bool = True, satuan: str | None = None):
    """Read and validate without loading: the Batch, its problems (reading and
    validation) in `batch.problems`. `store` (read-only is enough) lets cross-table checks
    see what is already loaded; None is an empty store. `store_known=False`: a store
    exists but could not be opened, so checks that need its content are left out.
    `tahun`: the year for sources that carry none. `satuan`: the unit of an Excel report
    that states none (ribuan, rupiah). Warnings (`batch.warnings`, refused by `--ketat`):
    a covered month's realisasi falling, a file skipped as unsupported."""
    from . import organisasi, validate
    from .sources import detect

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: berkas atau folder tidak ada.")
    known = store is not None and store_known
    batch = detect.read(path, tahun=tahun,
                        stored_items=_stored_items(store, tahun) if known else None,
                        stored_satker=set(store.sql("SELECT kode_satker FROM satker")
                                          ["kode_satker"].astype(str)) if known else None,
                        satuan=satuan,
                        stored_spp_register=_stored_registers(store) if known else None)
    batch.problems = list(batch.problems) + _name_problems(path, batch.files)
    if not batch.problems:
        organisasi.assign_units(batch.tables, store)
        batch.problems = list(batch.problems) + validate.validate(batch, store, store_known,
                                                                   tahun)
    batch.notes = list(batch.notes) + _empty_notes(batch)
    # what the realisasi would become, per satker (printed by ingest after, periksa before)
    from . import updates
    known_store = store if known else None
    batch.changes = (updates.realisasi_changes(known_store, batch.tables,
                                               getattr(batch, "cakupan", []))
                     if not batch.problems else [])
    batch.satker_names = {**updates.satker_names(known_store), **_incoming_names(batch.tables)}
    batch.warnings = list(getattr(batch, "skipped", [])) + updates.warnings(batch.changes)
    if not batch.problems:
        # contracts, deposits (issue 23): a payment naming no known contract, a TUP
        # deposit with no TUP; shown as `Peringatan: berkas:baris: kolom: …`
        from .validate_kontrak import peringatan
        batch.warnings = list(batch.warnings) + peringatan(batch.tables, known_store)
    return batch


def _stored_registers(store: Store) -> set[tuple[str, int]]:
    """(kode_satker, tahun) whose stored SPP came from a register, not from PEM/realisasi
    (schema.SUMBER_TABEL; a store from before it records none: PEM keeps its old rule)."""
    import duckdb
    try:
        df = store.sql("SELECT DISTINCT kode_satker, tahun FROM sumber_tabel WHERE tabel = "
                       "'spp' AND layout <> 'sakti_realisasi'")
    except duckdb.Error:    # a store opened read-only before sumber_tabel existed
        return set()
    return {(str(k), int(t)) for k, t in zip(df["kode_satker"], df["tahun"])}


def _incoming_names(tables) -> dict[str, str]:
    df = tables.get("satker")
    if df is None or not len(df):
        return {}
    return dict(zip(df["kode_satker"].astype(str), df["nama_satker"].astype(str)))


def _stored_items(store: Store | None, tahun: int | None):
    """Looks up (kode_satker, cons_item) pairs among the items already stored: the
    monthly PEM/realisasi export names items by CONS_ITEM only (see sakti.key_pem)."""
    if store is None:
        return None

    def lookup(keys):
        import pandas as pd
        keys = keys.drop_duplicates()
        # a cursor of its own: nothing registered here meets a result left open on the
        # store's connection (DuckDB 2.x refuses register() then)
        con = store.cursor()
        con.register("_want_items", keys)
        try:
            year = "AND p.tahun = $1" if tahun is not None else ""
            found = con.execute(
                "SELECT DISTINCT p.kode_satker, p.cons_item, p.tahun, p.no_item FROM pok p "
                "JOIN _want_items w ON p.kode_satker = w.kode_satker AND p.cons_item = "
                f"w.cons_item WHERE p.cons_item IS NOT NULL {year}",
                [tahun] if tahun is not None else []).df()
        finally:
            con.close()
        # the same key in two budget years: only --tahun can tell which one is meant
        found = found.drop_duplicates(["kode_satker", "cons_item"], keep=False)
        return found if len(found) else pd.DataFrame()
    return lookup


def _label(path: Path, f: Path) -> str:
    try:
        return f.relative_to(path).as_posix() if path.is_dir() else f.name
    except ValueError:
        return str(f)


def _name_problems(path: Path, files) -> list[Problem]:
    """A file name that is not UTF-8 (bytes from another system's encoding) cannot be
    shown, logged or stored faithfully: the user renames it."""
    out = []
    for f in files:
        label = _label(path, Path(f))
        try:
            label.encode("utf-8")
        except UnicodeEncodeError as e:
            byte = ord(label[e.start]) - 0xdc00
            what = f"byte \\x{byte:02x}" if 0x80 <= byte <= 0xff else "karakter tidak sah"
            out.append(Problem(label, None, None, (
                f"nama berkas bukan teks UTF-8 ({what}); ganti nama berkas itu "
                "dengan huruf biasa lalu ulangi")))
    return out


def _empty_notes(batch) -> list[str]:
    """A table read without a single data line (a header-only export) loads nothing:
    say so, rather than a silent `pok 0`."""
    empty = [name for name, df in batch.tables.items() if not len(df)]
    if not empty:
        return []
    by_table: dict[str, list[str]] = {}
    for r in getattr(batch, "recognised", None) or []:
        if r.get("tabel") in empty and not r.get("baris"):
            by_table.setdefault(r["tabel"], []).append(str(r.get("berkas")))
    for name in empty:
        if name not in by_table:
            by_table[name] = [_label(Path(f).parent, Path(f)) for f in batch.files
                              if Path(f).stem == name] or []
    return [f"{', '.join(by_table[n]) or 'tabel ' + n}: hanya header, tanpa baris data; "
            f"tidak ada yang dimuat ke tabel {n} (data {n} di store tetap)." for n in empty]


def ingest_path(path: str | Path, store: Store, tahun: int | None = None, *,
                ketat: bool = False, satuan: str | None = None) -> IngestSummary:
    """Validate and load; on any problem raise IngestError and leave the store as it was.
    `ketat`: a warning (a covered month's realisasi falling, updates.TURUN_BATAS; a file
    skipped as unsupported) refuses too. `satuan`: the unit of an Excel report that states
    none (ribuan, rupiah)."""
    batch = check_path(path, store, tahun, satuan=satuan)
    if batch.problems:
        raise IngestError(list(batch.problems))
    if ketat and batch.warnings:
        raise IngestError(list(batch.warnings))
    # An empty table has no scope to replace: leaving it out keeps the log honest.
    tables = {name: df.drop(columns=[c for c in ("_file", "_row") if c in df.columns])
              for name, df in batch.tables.items() if len(df)}
    summary = store.ingest(tables, layout=batch.layout, source=str(path), files=batch.files,
                           satuan=getattr(batch, "satuan", []),
                           cakupan=getattr(batch, "cakupan", []),
                           sumber=getattr(batch, "sumber", []))
    summary.notes = list(batch.notes)  # type: ignore[attr-defined]
    summary.changes = batch.changes
    summary.warnings = batch.warnings
    summary.satker_names = batch.satker_names
    return summary


__all__ = ["check_path", "ingest_path", "IngestError", "Problem"]
