"""What `spektra render` runs: scopes (agency, satker, unit kerja) × reports × month.

The pages per scope kind come from the report catalog (each page's `render` scopes); the
scopes come from the store through `spektra_lib.scopes`, so a new satker appears without
touching code.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import scopes as sc
from ..reports import catalog

KINDS = catalog.SCOPES


@dataclass(frozen=True)
class Scope:
    """One page owner: the whole agency, a satker, or a unit kerja of the central satker."""
    kind: str                     # semua | satker | unit
    slug: str                     # folder name under site/<tahun>/<bulan>/
    nama: str
    satker: str | None = None
    unit: str | None = None
    pusat: bool = False           # the central satker (adds the per-unit reports)


@dataclass
class Job:
    """One notebook run and the page it becomes."""
    report: str
    scope: Scope
    tahun: int
    bulan: int
    notebook: str                 # path of the source notebook
    store: str                    # absolute path of the DuckDB store (read-only in the kernel)
    out: str                      # site root
    reports_in_scope: list[str] = field(default_factory=list)

    @property
    def rel_html(self) -> str:
        return f"{self.tahun}/{self.bulan:02d}/{self.scope.slug}/{self.report}.html"

    @property
    def html_path(self) -> Path:
        return Path(self.out) / self.rel_html

    @property
    def ipynb_path(self) -> Path:
        return self.html_path.with_suffix(".ipynb")

    @property
    def parameters(self) -> dict:
        # Only what the scope fixes; the other page parameters keep the notebook defaults.
        return {"tahun": self.tahun, "bulan": self.bulan, "satker": self.scope.satker,
                "unit": self.scope.unit, "store": self.store}

    def key(self, notebook_sha: str, fingerprint: str) -> str:
        """Changes when the data, the notebook or the parameters change."""
        blob = json.dumps([fingerprint, notebook_sha, self.parameters, asdict(self.scope)],
                          sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:20]


def slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", str(text)).strip("_") or "_"


def load_matrix() -> dict[str, list[str]]:
    """Pages per scope kind (semua, satker, pusat, unit) and of the public audience."""
    return catalog.matrix()


def scopes_from_store(store) -> list[Scope]:
    """Agency, every satker, every unit kerja of the central satker (in that order)."""
    pusat = sc.satker_pusat(store)
    out = [Scope("semua", "semua", sc.nama_scope(store))]
    for r in sc.daftar_satker(store).itertuples(index=False):
        out.append(Scope("satker", slug(r.kode_satker), str(r.nama_satker),
                         satker=str(r.kode_satker), pusat=r.kode_satker == pusat))
    if pusat is not None:
        for r in sc.daftar_unit(store, satker=pusat).itertuples(index=False):
            out.append(Scope("unit", slug(f"{pusat}-{r.kode_unit}"), str(r.nama_unit),
                             satker=str(pusat), unit=str(r.kode_unit)))
    return out


def reports_for(scope: Scope, matrix: dict[str, list[str]]) -> list[str]:
    names = list(matrix.get(scope.kind, []))
    if scope.pusat:
        names += [r for r in matrix.get("pusat", []) if r not in names]
    return names


def plan(scopes: list[Scope], matrix: dict[str, list[str]], *, tahun: int, bulan: int,
         store: Path, out: Path, notebooks: Path, satker=("all",), reports=("all",)) -> list[Job]:
    """The jobs of one month, filtered by `satker` (kode or scope slug) and `reports`."""
    want_satker = None if "all" in satker else {str(s) for s in satker}
    want_reports = None if "all" in reports else set(reports)
    jobs = []
    for scope in scopes:
        if want_satker is not None and scope.satker not in want_satker \
                and scope.slug not in want_satker:
            continue
        names = reports_for(scope, matrix)
        for report in names:
            if want_reports is not None and report not in want_reports:
                continue
            jobs.append(Job(report, scope, int(tahun), int(bulan),
                            str(Path(notebooks) / f"{report}.ipynb"),
                            str(Path(store).resolve()), str(out), reports_in_scope=names))
    return jobs
