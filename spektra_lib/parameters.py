"""Rules that change by year or agency live in parameters/*.yaml, read here.

The package ships every rule file (its parameters/, `bawaan()`); an agency's folder named
by SPEKTRA_PARAMETERS overrides them file by file: a file there is read instead of the
package's file of the same name (`deviasi.yaml`, `ikpa/PER-5-PB-2022.yaml`), every other
file still comes from the package. A folder holding only a changed deviasi band works.
"""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from .settings import PACKAGE_ROOT, bawaan as _bawaan_paket, settings  # noqa: F401


def bawaan() -> Path:
    """The package's own rules folder (installed with it)."""
    return _bawaan_paket("parameters")


def directory() -> Path:
    """The agency's rules folder (SPEKTRA_PARAMETERS; the package's when unset)."""
    return Path(settings().parameters)


def folders() -> list[Path]:
    """Where a rule file is looked for, first match wins: the agency's folder, then the
    package's."""
    own, package = directory(), bawaan()
    if not own.is_dir():
        # a mistyped folder must not pass for "the package's rules" in silence
        raise FileNotFoundError(f"Folder aturan {own} (SPEKTRA_PARAMETERS) tidak ada.")
    return [own] if own.resolve() == package.resolve() else [own, package]


def path(name: str) -> Path:
    """The file `parameters/<name>.yaml` is read from: the agency's when it has one, else
    the package's. FileNotFoundError (in Indonesian) when neither has it."""
    for folder in folders():
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"Berkas parameter {name}.yaml tidak ada di "
                            f"{' maupun '.join(str(f) for f in folders())}.")


def names(subfolder: str = "") -> list[str]:
    """The rule files of a subfolder (`ikpa`) in force, as names for `load`
    ("ikpa/PER-5-PB-2022"): the package's and the agency's together, sorted."""
    stems = {p.stem for folder in folders() for p in (folder / subfolder).glob("*.yaml")}
    return [f"{subfolder}/{s}" if subfolder else s for s in sorted(stems)]


@functools.cache
def _load(path: Path, mtime: float) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def load(name: str) -> dict:
    """parameters/<name>.yaml as a dict (the agency's file, else the package's; cached
    until the file changes)."""
    found = path(name)
    return _load(found, found.stat().st_mtime)


def legenda_pelanggaran() -> dict[str, str]:
    """Capaian rule code -> the Indonesian message a user reads (parameters/capaian.yaml),
    for the report's rules and the page's legend alike."""
    return dict(load("capaian")["pelanggaran"])


def fingerprint() -> str:
    """One digest of every rule file in force (each name read from the agency's folder
    when it has it, else from the package's; subfolders too): part of each page's key in
    `spektra render` and `spektra serve`, so a changed rule draws the pages again. Files
    are read again only when one's size or modification time changes."""
    used: dict[str, Path] = {}
    for folder in reversed(folders()):          # the agency's last: it wins
        for p in folder.rglob("*.yaml"):
            used[str(p.relative_to(folder))] = p
    stat = tuple((rel, str(p), p.stat().st_mtime_ns, p.stat().st_size)
                 for rel, p in sorted(used.items()))
    return _fingerprint(stat)


@functools.lru_cache(maxsize=8)
def _fingerprint(stat: tuple) -> str:
    import hashlib
    h = hashlib.sha256()
    for rel, path_, _, _ in stat:
        h.update(rel.encode() + b"\0" + Path(path_).read_bytes() + b"\0")
    return h.hexdigest()[:20]
