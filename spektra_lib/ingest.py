"""`spektra ingest`: read a folder or file, validate everything, load it in one transaction."""
from __future__ import annotations

from pathlib import Path

from .problems import IngestError
from .store import IngestSummary, Store


def ingest_path(path: str | Path, store: Store) -> IngestSummary:
    """Validate and load; on any problem raise IngestError and leave the store as it was."""
    from . import organisasi, validate
    from .sources import detect

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: berkas atau folder tidak ada.")
    batch = detect.read(path)
    problems = list(batch.problems)
    if not problems:
        organisasi.assign_units(batch.tables, store)
        problems += validate.validate(batch, store)
    if problems:
        raise IngestError(problems)
    tables = {name: df.drop(columns=[c for c in ("_file", "_row") if c in df.columns])
              for name, df in batch.tables.items()}
    summary = store.ingest(tables, layout=batch.layout, source=str(path), files=batch.files)
    summary.notes = list(batch.notes)  # type: ignore[attr-defined]
    return summary
