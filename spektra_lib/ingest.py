"""`spektra ingest` and `spektra periksa`: read a folder or file, validate everything,
load it in one transaction (ingest) or only report what would happen (periksa)."""
from __future__ import annotations

from pathlib import Path

from .problems import IngestError, Problem
from .store import IngestSummary, Store


def check_path(path: str | Path, store: Store | None = None, tahun: int | None = None):
    """Read and validate without loading: the Batch, its problems (reading and
    validation) in `batch.problems`. `store` (read-only is enough) lets cross-table checks
    see what is already loaded. `tahun`: the year for sources that carry none."""
    from . import organisasi, validate
    from .sources import detect

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: berkas atau folder tidak ada.")
    batch = detect.read(path, tahun=tahun)
    if not batch.problems:
        organisasi.assign_units(batch.tables, store)
        batch.problems = list(batch.problems) + validate.validate(batch, store)
    return batch


def ingest_path(path: str | Path, store: Store, tahun: int | None = None) -> IngestSummary:
    """Validate and load; on any problem raise IngestError and leave the store as it was."""
    batch = check_path(path, store, tahun)
    if batch.problems:
        raise IngestError(list(batch.problems))
    tables = {name: df.drop(columns=[c for c in ("_file", "_row") if c in df.columns])
              for name, df in batch.tables.items()}
    summary = store.ingest(tables, layout=batch.layout, source=str(path), files=batch.files)
    summary.notes = list(batch.notes)  # type: ignore[attr-defined]
    return summary


__all__ = ["check_path", "ingest_path", "IngestError", "Problem"]
