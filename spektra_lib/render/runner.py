"""`spektra render`: the monthly pack, report × scope, as executed notebooks and pages.

Fast path: each process (the caller, or each of `workers` spawned processes) keeps one
kernel and runs every parameter set in it. `naive=True` runs papermill with a fresh
kernel per notebook (the reference, for benchmarks). A failed run never stops the others;
up-to-date pages (same fingerprint of the page's scope's data, notebook bytes and
parameters, recorded in site/.spektra-render.json) are skipped unless `force`.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import bawaan
from ..store import Store, default_path
from . import kernel as kern
from . import downloads, pages
from .matrix import Job, Scope, load_matrix, plan, scopes_from_store
from .indexes import record_period, write_indexes

MANIFEST = ".spektra-render.json"
NOTEBOOKS = bawaan("notebooks")     # the package's pages (installed with it)


@dataclass
class RenderResult:
    done: list[tuple[str, str]] = field(default_factory=list)        # (scope, report)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (scope, report, galat)
    seconds: dict[str, float] = field(default_factory=dict)           # rel html -> run time
    wall: float = 0.0
    out: Path = Path("site")

    @property
    def ok(self) -> bool:
        return not self.failed

    def pesan(self) -> str:
        """The summary a user reads at the end of `spektra render` (Indonesian)."""
        lines = [f"Render selesai: {len(self.done)} dibuat, {len(self.skipped)} sudah mutakhir "
                 f"(dilewati), {len(self.failed)} gagal, {self.wall:.1f} detik."]
        if self.failed:
            lines.append("Laporan yang gagal:")
            lines += [f"  - {scope} / {report}: {err}" for scope, report, err in self.failed]
        return "\n".join(lines)

    summary = pesan


# -- one run ---------------------------------------------------------------------------
_KERNEL: kern.KeptKernel | None = None


def _kept_kernel(cwd: str) -> kern.KeptKernel:
    global _KERNEL
    if _KERNEL is None or _KERNEL.cwd != str(Path(cwd).resolve()):
        if _KERNEL is not None:
            _KERNEL.shutdown()
        _KERNEL = kern.KeptKernel(cwd)
        atexit.register(_KERNEL.shutdown)
    return _KERNEL


def shutdown_kernel() -> None:
    """Stop this process's kept kernel (the next render starts a new one)."""
    global _KERNEL
    if _KERNEL is not None:
        _KERNEL.shutdown()
        _KERNEL = None


def run_job(job: Job, naive: bool = False, unduhan: bool = True) -> tuple[str, str | None, float]:
    """Execute one job and write its page. Returns (rel html, error or None, seconds).

    `unduhan=False`: the page only (no hidden data cell, no xlsx/docx/pdf; stale ones are
    removed so the page's menu never offers files of another run)."""
    t0 = time.perf_counter()
    cwd = str(Path(job.notebook).parent)
    error = None
    try:
        if not Path(job.notebook).exists():
            raise kern.NotebookFailed(f"Notebook {job.notebook} tidak ada.")
        job.html_path.parent.mkdir(parents=True, exist_ok=True)
        data = None
        if naive:
            src, data = downloads.naive_source(job, unduhan)
            try:
                nb = kern.run_naive(src, job.parameters, cwd, job.ipynb_path)
            finally:
                if src != Path(job.notebook):
                    src.unlink(missing_ok=True)
        else:
            nb = kern.parameterize(job.notebook, job.parameters)
            data = downloads.prepare(nb, job, unduhan)
            nb = _kept_kernel(cwd).run(nb)
        if data is not None:
            # xlsx/docx/pdf from the tables the page showed, before the page lists them
            error = downloads.finish(job, data)
        pages.write_page(downloads.strip(nb, job), job)
    except kern.NotebookFailed as exc:
        error = str(exc)
        _write_failed(job, exc.nb and downloads.strip(exc.nb, job), error)
    except Exception as exc:          # a broken page must not stop the pack
        error = kern.error_text(exc)
    return job.rel_html, error, time.perf_counter() - t0


def _write_failed(job: Job, nb, error: str) -> None:
    """Keep the executed notebook (to debug) and a page that says it failed, no traceback."""
    if nb is None:
        return
    try:
        import copy
        import nbformat
        job.ipynb_path.parent.mkdir(parents=True, exist_ok=True)
        job.ipynb_path.write_text(nbformat.writes(nb), encoding="utf-8")
        shown = copy.deepcopy(nb)
        for cell in shown.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        job.html_path.write_text(pages.html(shown, pages.page_context(job, error=error)),
                                 encoding="utf-8")
    except Exception:
        pass


# -- the batch -------------------------------------------------------------------------
def render(*, store_path=None, tahun: int, bulan: int, satker=("all",), reports=("all",),
           workers: int = 1, force: bool = False, out=Path("site"), progress: bool = True,
           naive: bool = False, notebooks=None, scopes: list[Scope] | None = None,
           matrix: dict | None = None, scheduler: str | None = None,
           unduhan: bool = True) -> RenderResult:
    """Render the month's pack into `out`/<tahun>/<bulan>/<scope>/<report>.{html,ipynb}.

    `satker`: kode satker or scope folder names, or ("all",); `reports`: notebook names or
    ("all",). `notebooks`, `scopes`, `matrix` override the defaults (tests, benchmarks).
    `scheduler`: address of a Dask cluster; each Dask worker keeps its own kernel.
    `unduhan=False`: pages only, without the xlsx/docx/pdf downloads and monthly packs.
    """
    t0 = time.perf_counter()
    out = Path(out)
    store_path = Path(store_path) if store_path is not None else default_path()
    with Store(store_path, read_only=True) as st:
        if scopes is None:
            scopes = scopes_from_store(st)
        jobs = plan(scopes, matrix or load_matrix(), tahun=tahun, bulan=bulan,
                    store=store_path, out=out,
                    notebooks=Path(notebooks) if notebooks else NOTEBOOKS,
                    satker=_tuple(satker), reports=_tuple(reports))
        manifest = load_manifest(out)
        todo, keys = stale(jobs, st, manifest, unduhan=unduhan, force=force)
    result = RenderResult(out=out)
    stale_rel = {j.rel_html for j in todo}
    result.skipped = [(j.scope.slug, j.report) for j in jobs if j.rel_html not in stale_rel]
    pages.ensure_assets(out)
    by_rel = {j.rel_html: j for j in todo}
    try:
        for rel, error, secs in _execute(todo, workers, naive, progress, scheduler, unduhan,
                                         skipped=len(result.skipped)):
            job = by_rel[rel]
            result.seconds[rel] = secs
            if error is None:
                result.done.append((job.scope.slug, job.report))
                manifest[rel] = keys[rel]
            else:
                result.failed.append((job.scope.slug, job.report, error))
                manifest.pop(rel, None)
            downloads.record(job, manifest, error is None)
        if unduhan:
            result.failed += downloads.write_packs(jobs, manifest, progress=progress)
    finally:
        save_manifest(out, manifest)
        ok = {(s, r) for s, r in result.done + result.skipped}
        record_period(out, tahun, bulan,
                      [(j.scope, j.report) for j in jobs if (j.scope.slug, j.report) in ok])
        write_indexes(out)
    result.wall = time.perf_counter() - t0
    return result


def stale(jobs: list[Job], st, manifest: dict, *, unduhan: bool = True,
          force: bool = False) -> tuple[list[Job], dict]:
    """The jobs whose page must be made again, and every job's render key. Nothing here
    costs a query per satker: one grouped fingerprint query per table for all scopes,
    each notebook hashed once (measured in benchmarks/render_incremental.py).

    A page is rendered again only when its own scope's data changed (issue 14 §8): a
    satker's (or its unit's) pages follow that satker's fingerprint, the agency-wide pages
    any satker's.

    The up-to-date check, kept small on purpose rather than a build tool (doit, make,
    joblib.Memory): those track files or a function's arguments, while a page's inputs
    are a store query (its scope's fingerprint), the notebook's bytes, the job's
    parameters and the rule files, and its outputs the page plus its downloads. A tool
    would need this same fingerprint code and add a database of its own; here it is one
    key per page (Job.key), a JSON manifest replaced atomically, and "outputs exist"."""
    from ..posisi import scope_fingerprint_map
    years = {t: scope_fingerprint_map(st, t) for t in {j.tahun for j in jobs}}
    rules = _rules_sha()
    tag = downloads.EXPORT_TAG if unduhan else downloads.NO_EXPORT_TAG
    shas: dict[str, str] = {}
    todo, keys = [], {}
    for job in jobs:
        if job.notebook not in shas:
            shas[job.notebook] = _sha(job.notebook)
        keys[job.rel_html] = job.key(shas[job.notebook],
                                     years[job.tahun].get(_owner(job), "kosong") + tag + rules)
        fresh = (manifest.get(job.rel_html) == keys[job.rel_html]
                 and job.html_path.exists() and job.ipynb_path.exists()
                 and downloads.fresh(job, manifest))
        if force or not fresh:
            todo.append(job)
    return todo, keys


def _owner(job: Job) -> str | None:
    return job.scope.satker if job.scope.kind != "semua" else None


def _execute(todo: list[Job], workers: int, naive: bool, progress: bool, scheduler=None,
             unduhan: bool = True, skipped: int = 0):
    from tqdm.auto import tqdm

    if not todo:
        # Nothing to run: one line, not an empty bar ("Render laporan: 0notebook").
        if progress:
            print(f"Semua halaman mutakhir ({skipped} dilewati).")
        return
    # "120/266 halaman [00:38<00:18]": counted in pages, no English rate unit.
    bar = tqdm(total=len(todo), desc="Render laporan", unit="halaman", disable=not progress,
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} halaman "
                          "[{elapsed}<{remaining}{postfix}]")
    try:
        if scheduler:
            from dask.distributed import Client, as_completed as dask_completed
            with Client(scheduler) as client:
                futures = {client.submit(run_job, job, naive, unduhan, pure=False): job for job in todo}
                for fut in dask_completed(futures):
                    try:
                        yield fut.result()
                    except Exception as exc:
                        yield futures[fut].rel_html, f"Pekerja Dask gagal: {exc}", 0.0
                    bar.update()
            return
        if workers <= 1 or len(todo) <= 1:
            for job in todo:
                bar.set_postfix_str(f"{job.scope.slug}/{job.report}", refresh=False)
                yield run_job(job, naive, unduhan)
                bar.update()
            return
        # spawn, not fork: a forked child would share the parent's ZMQ sockets and loop.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(run_job, job, naive, unduhan): job for job in todo}
            for fut in as_completed(futures):
                try:
                    yield fut.result()
                except Exception as exc:      # the worker process itself died
                    yield futures[fut].rel_html, f"Proses pekerja berhenti: {exc}", 0.0
                bar.update()
    finally:
        bar.close()


def _tuple(x) -> tuple:
    return (x,) if isinstance(x, str) else tuple(x)


def _sha(path: str) -> str:
    p = Path(path)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-"


def _rules_sha() -> str:
    """The rule files (colour bands, IKPA, calendar…): a changed rule makes every page
    again (the same fingerprint `spektra serve` keys its pages with)."""
    from ..parameters import fingerprint
    return fingerprint()


def load_manifest(out: Path) -> dict:
    p = Path(out) / MANIFEST
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def save_manifest(out: Path, manifest: dict) -> None:
    p = Path(out) / MANIFEST
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, p)
