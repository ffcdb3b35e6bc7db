"""Rules that change by year or agency live in parameters/*.yaml, read here."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from .settings import PACKAGE_ROOT, settings


def directory() -> Path:
    return Path(settings().parameters)


@functools.cache
def _load(path: Path, mtime: float) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def load(name: str) -> dict:
    """parameters/<name>.yaml as a dict (cached until the file changes)."""
    path = directory() / f"{name}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"Berkas parameter {path} tidak ada.")
    return _load(path, path.stat().st_mtime)


def legenda_pelanggaran() -> dict[str, str]:
    """Capaian rule code -> the Indonesian message a user reads (parameters/capaian.yaml),
    for the report's rules and the page's legend alike."""
    return dict(load("capaian")["pelanggaran"])


def fingerprint() -> str:
    """One digest of every rule file under the rules folder (SPEKTRA_PARAMETERS, its
    subfolders too): part of each page's key in `spektra render` and `spektra serve`, so a
    changed rule draws the pages again. Files are read again only when one's size or
    modification time changes."""
    root = directory()
    files = sorted(root.rglob("*.yaml"))
    stat = tuple((str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size)
                 for p in files)
    return _fingerprint(root, stat)


@functools.lru_cache(maxsize=8)
def _fingerprint(root: Path, stat: tuple) -> str:
    import hashlib
    h = hashlib.sha256()
    for rel, _, _ in stat:
        h.update(rel.encode() + b"\0" + (root / rel).read_bytes() + b"\0")
    return h.hexdigest()[:20]
