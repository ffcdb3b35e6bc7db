"""The render's side of the downloads: the hidden data cell, the files, the monthly packs.

run_job: `prepare` appends the cell that pickles the page's tables, `strip` takes it out of
the executed notebook, `finish` writes <report>.xlsx/.docx from the pickle (before the
page, whose menu lists the files that exist) and the report's printable page into the
print folder. render: `fresh` also wants the files the manifest says the page had;
`write_packs` (re)builds a scope's pack — the zip and the combined PDF printed from the
printable pages — when one of its pages changed or the pack is missing.

The print folder, `<out>/.spektra-cetak/<tahun>/<mm>/<scope>/<report>.html.gz`, sits
beside the render manifest (`<out>/.spektra-render.json`), outside every published
period folder: it is the render's bookkeeping, not part of the site (a copy of the site
may leave out `.spektra-*`). Each audience's bundle has its own (its own `out`).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import nbformat

from ..export import pack
from .matrix import Job
from .pages import title

# Part of each page's key: pages rendered before downloads existed (unduh-1: with a PDF per
# page, before the printable pages) are made again.
EXPORT_TAG = "unduh-2"
NO_EXPORT_TAG = "tanpa-unduhan"
PRINTED = "cetak"       # in the manifest's list of a page's files: its printable page


def print_dir(job: Job) -> Path:
    return pack.print_dir(job.out, job.tahun, job.bulan, job.scope.slug)


def data_path(job: Job) -> Path:
    name = f"spektra-data-{os.getpid()}-{job.scope.slug}-{job.report}.pkl"
    return Path(tempfile.gettempdir()) / name


def prepare(nb, job: Job, unduhan: bool = True) -> Path | None:
    """Append the hidden cell to a notebook about to run; returns where it saves data.
    Either way the page's previous downloads are removed (they belong to another run)."""
    if not unduhan:
        pack.remove_downloads(job.html_path.parent, job.report, print_dir(job))
        return None
    path = data_path(job)
    path.unlink(missing_ok=True)
    cell = nbformat.v4.new_code_cell(pack.cell_source(path, title(job.report), job.report))
    cell.metadata["tags"] = [pack.CELL_TAG, "remove-cell"]
    nb.cells.append(cell)
    pack.remove_downloads(job.html_path.parent, job.report, print_dir(job))
    return path


def naive_source(job: Job, unduhan: bool = True) -> tuple[Path, Path | None]:
    """papermill runs a file: the notebook with the cell, in a temporary file (or the
    notebook itself when there are no downloads)."""
    if not unduhan:
        return Path(job.notebook), prepare(None, job, unduhan=False)
    nb = nbformat.read(job.notebook, as_version=4)
    path = prepare(nb, job)
    src = Path(tempfile.gettempdir()) / f"spektra-nb-{os.getpid()}-{job.report}.ipynb"
    nbformat.write(nb, str(src))
    return src, path


def strip(nb, job: Job):
    nb.cells = [c for c in nb.cells if pack.CELL_TAG not in c.get("metadata", {}).get("tags", [])]
    pm = nb.get("metadata", {}).get("papermill")
    if pm is not None:
        pm["input_path"] = str(job.notebook)
    return nb


def finish(job: Job, data: Path) -> str | None:
    """Write the downloads; the errors as one Indonesian line, or None."""
    try:
        _, errors = pack.write_downloads(data, job.html_path.parent, job.report,
                                         print_dir(job))
    except Exception as exc:       # an unreadable pickle: the page is still written
        errors = [f"unduhan gagal: {pack._one_line(exc)}"]
    return "; ".join(errors) or None


def downloads_of(job: Job) -> list[str]:
    names = [p.name for p in pack.download_paths(job.html_path.parent, job.report) if p.exists()]
    return names + ([PRINTED] if printed(job) else [])


def printed(job: Job) -> bool:
    """The page's report is in its scope's combined PDF (its printable page exists)."""
    return pack.print_path(print_dir(job), job.report).exists()


# -- bookkeeping in the render manifest --------------------------------------------------
def manifest_key(rel: str) -> str:
    return f"{rel}#unduh"


def fresh(job: Job, manifest: dict) -> bool:
    """Every download the page had when it was made still exists."""
    names = manifest.get(manifest_key(job.rel_html), [])
    return all(printed(job) if n == PRINTED else (job.html_path.parent / n).exists()
               for n in names)


def record(job: Job, manifest: dict, ok: bool) -> None:
    if ok:
        manifest[manifest_key(job.rel_html)] = downloads_of(job)
    else:
        manifest.pop(manifest_key(job.rel_html), None)


# Below this many packs to make, spawning printing processes costs more than it saves.
PARALLEL_FROM = 3


def write_packs(jobs: list[Job], manifest: dict, workers: int | None = None,
                progress: bool = False) -> list[tuple[str, str, str]]:
    """One pack per scope folder, (re)made when one of its files changed or it is missing;
    returns failures as (scope, "paket", galat).

    Each combined PDF is one Chromium print of its scope's reports: `workers` processes
    (default: one per CPU) print several scopes at once, the largest first — the pages'
    workers printed the per-report PDFs in parallel before, one process would now print
    every scope in turn."""
    todo = []
    by_dir: dict[Path, Job] = {}
    for job in jobs:
        by_dir.setdefault(job.html_path.parent, job)
    for folder, job in by_dir.items():
        reports = [(r, title(r)) for r in job.reports_in_scope]
        rels = [f"{job.tahun}/{job.bulan:02d}/{job.scope.slug}/{r}.html" for r, _ in reports]
        prints = print_dir(job)
        # the files themselves (a page remade with the same key has new files)
        state = [(rel, manifest.get(rel),
                  [(p.name, p.stat().st_mtime_ns, p.stat().st_size)
                   for p in [*pack.download_paths(folder, r), pack.print_path(prints, r)]
                   if p.exists()])
                 for rel, (r, _) in zip(rels, reports)]
        key = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:20]
        zip_name, pdf_name = pack.pack_names(job.scope.slug, job.tahun, job.bulan)
        mkey = f"{job.tahun}/{job.bulan:02d}/{job.scope.slug}#paket"
        sizes = [pack.print_path(prints, r).stat().st_size for r, _ in reports
                 if pack.print_path(prints, r).exists()]
        if manifest.get(mkey) == key and (folder / zip_name).exists() \
                and (folder / pdf_name).exists() == bool(sizes):
            continue
        todo.append((sum(sizes), mkey, key, job.scope.slug,
                     dict(folder=folder, reports=reports, slug=job.scope.slug, tahun=job.tahun,
                          bulan=job.bulan, nama=job.scope.nama, print_dir=prints)))
    todo.sort(key=lambda t: -t[0])         # the biggest print first: the others fill in
    failed = []
    # The packs come after the pages' bar reached 100 %: minutes of printing said so
    # (issue 27.16), in the same "n/N" form.
    from tqdm.auto import tqdm
    bar = tqdm(total=len(todo), desc="Paket unduhan", disable=not (progress and todo),
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} paket [{elapsed}<{remaining}]")
    with bar:
        for (_, mkey, key, slug, _), (made, error) in zip(todo, _make_packs(todo, workers)):
            bar.update()
            _keep(manifest, failed, mkey, key, slug, made, error)
    return failed


def _keep(manifest: dict, failed: list, mkey: str, key: str, slug: str, made, error) -> None:
    """A pack's outcome into the manifest (made) or the failures."""
    if error is not None:
        manifest.pop(mkey, None)
        failed.append((slug, "paket", f"Paket unduhan gagal: {error}"))
    elif made is None:
        manifest.pop(mkey, None)
    else:
        manifest[mkey] = key


def _make_packs(todo: list, workers: int | None):
    """(write_pack's result, error text or None) per pack, in `todo`'s order, each as it
    is done."""
    workers = min(len(todo), workers or os.cpu_count() or 1)
    if workers <= 1 or len(todo) < PARALLEL_FROM:
        for *_, kw in todo:
            yield _make_pack(kw)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    # spawn, as the pages' workers: each process keeps its own Chromium for its packs
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_make_pack, kw) for *_, kw in todo]
        for fut in futures:
            try:
                yield fut.result()
            except Exception as exc:        # the process itself died
                yield None, f"proses cetak berhenti: {exc}"


def _make_pack(kw: dict) -> tuple[object, str | None]:
    try:
        return pack.write_pack(kw.pop("folder"), kw.pop("reports"), **kw), None
    except Exception as exc:
        return None, str(exc)
