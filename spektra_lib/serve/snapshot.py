"""Drawn snapshots: a report page served without starting a kernel for the visitor.

What one audience sees on a page for given choices (satker, unit kerja, bulan, …) is the
same for everyone of that audience until the store changes. So the backend (backend.py
`Render`) answers `/voila/render/<page>.ipynb?<choices>` with a page drawn once:

- the request is resolved in the backend as the notebook would (page/notebook.py
  `Halaman` with the address, the user's Access, the latest month, a User's own scope,
  the first satker where a page needs one): a scope the user may not see is refused
  there, with no build at all;
- the key is the notebook's bytes, the audience (publik, semua, satker:K, unit:S/U), the
  resolved parameters and the store's fingerprint of that scope (Store.scope_fingerprint)
  plus the rule files: an ingest that swaps the store in (swap.py, Store.refresh) changes
  the key of the scopes it touched, and the next request draws them again;
- a miss is drawn by the same notebook as the static site, parameterised like
  `spektra render` and executed in a kept kernel (render/kernel.py) with the audience's
  access (SPEKTRA_AUDIENS, so the store refuses any other scope), then turned into HTML
  by nbconvert's lab template. Concurrent requests for one key wait for one build
  (single flight); builds run in `potret_kernel` threads, each with one kept kernel,
  counted against the kernel ceiling;
- the drawn part is kept as a file in the run folder (bounded, oldest first out); the
  parts that depend on the viewer — header bar, the controls (a form whose choices load
  the other snapshot in place, potret.js), Unduh, the address's notes, Posisi data — are
  put around it per request.

A live Voilà kernel is still there for `?interaktif=1` and for notebooks that are not
catalog pages (eksplorasi).
"""
from __future__ import annotations

import asyncio
import hashlib
import html
import json
import os
import shutil
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import pages

STATIC = "/voila/templates/spektra-voila/static/"
TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "spektra-potret"
CACHE_BYTES = 256 * 2**20        # drawn pages kept on disk; the oldest go first
RESOLVED_MAX = 2048              # resolved addresses remembered per store file
# Pages drawn ahead after each ingest, at most (prewarm_plan; one at a time, by the
# `potret_kernel` builders): the demo's 5 users make 66, about 2 minutes on this machine.
PREWARM_MAX = 400
LIVE = "interaktif"              # ?interaktif=1: the live Voilà page (a kernel)
PART = "bagian"                  # ?bagian=isi: only the part below the header (potret.js)


def audience(access) -> str:
    """The static-site audience whose pages this user sees (render/audience.py names)."""
    from ..access import audience_name
    return audience_name(access)


def wants_live(query_args: dict) -> bool:
    return any(v and v[-1] not in (b"", b"0") for k, v in query_args.items() if k == LIVE)


class Resolved:
    """One address for one audience: what the page shows, and what key draws it."""

    __slots__ = ("params", "key", "ditolak", "pesan", "kontrol", "posisi", "satuan")

    def __init__(self, params, key, ditolak, pesan, kontrol, posisi, satuan=()):
        self.params, self.key, self.ditolak = params, key, ditolak
        self.pesan, self.kontrol, self.posisi = pesan, kontrol, posisi
        self.satuan = list(satuan)     # scopes.satuan_sumber: the units read (issue 24)


class _Kernel:
    """A kept kernel (render/kernel.py) whose environment holds nothing of the server's:
    no run key, no socket, no Voilà variables (it draws pages; it serves nobody)."""

    def __init__(self, cwd: Path):
        from ..render import kernel as kern
        self.kept = kern.KeptKernel(cwd, env=builder_env)

    def run(self, nb):
        return self.kept.run(nb)

    def alive(self) -> bool:
        return self.kept.km is not None

    def shutdown(self):
        self.kept.shutdown()


def builder_env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SPEKTRA_SERVE_", "VOILA_", "HTTP_", "JPY_"))
           and k not in ("SERVER_SOFTWARE", "QUERY_STRING", "SCRIPT_NAME", "PATH_INFO",
                         "SPEKTRA_MODE", "SPEKTRA_USER", "SPEKTRA_AUDIENS")}
    env["SPEKTRA_GRAFIK"] = "halaman"
    # No static-site filters (page/saring.py: every scope's chart and every jenis
    # belanja's table carried in the page, for a site with no server): this page's own
    # controls ask the server for the drawn page of the choice, and those filters made
    # a dashboard ~10x slower to draw and a second satker list on screen.
    env["SPEKTRA_SARING"] = "mati"
    # Fail closed: a page drawn without its audience set would see as Publik, never as
    # the full access a local analyst's kernel has.
    env["SPEKTRA_AUDIENS"] = "publik"
    return env


_kernel_lock = threading.Lock()

# Run before the notebook's own cells, then removed from the page: the audience the
# store enforces inside the kernel (access.current_access).
SETUP = "__import__('os').environ['SPEKTRA_AUDIENS'] = {aud!r}"


class Snapshots:
    def __init__(self, notebooks: Path, store_path: Path, cache_dir: Path, builders: int = 1):
        self.notebooks = Path(notebooks)
        self.store_path = Path(store_path)
        self.dir = Path(cache_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.builders = max(1, int(builders))
        self._pool = ThreadPoolExecutor(self.builders, thread_name_prefix="potret")
        self._local = threading.local()
        self._kernels: list[_Kernel] = []
        self._store = None
        self._files: OrderedDict[str, int] = OrderedDict()      # key -> bytes on disk
        self._flight: dict[str, asyncio.Future] = {}
        self._resolved: OrderedDict[tuple, Resolved] = OrderedDict()
        self._nb_sha: dict[str, tuple] = {}
        self.counts = {"dibuat": 0, "dipakai": 0, "gagal": 0, "menunggu": 0, "prewarm": "belum"}

    # -- state ------------------------------------------------------------------------
    def kernels_alive(self) -> int:
        return sum(1 for k in self._kernels if k.alive())

    def store(self):
        """The backend's own read-only reader (the IO loop's thread only), following
        ingests: refresh() attaches a swapped-in file on the next request."""
        from ..store import Store
        if self._store is None:
            self._store = Store(self.store_path, read_only=True)
        return self._store.refresh()

    def status(self) -> dict:
        """Whether the store answers and its Posisi data (for `spektra serve --periksa`)."""
        from .. import scopes
        try:
            store = self.store()
            tahun, bulan = scopes.latest_period(store)
            posisi = scopes.posisi_data(store, tahun, None, None, bulan)
            return {"terbaca": True, "tahun": tahun, "bulan": bulan,
                    "posisi_data": posisi.isoformat() if posisi else None}
        except Exception as exc:        # noqa: BLE001  reported, not raised
            from ..problems import safe_text
            return {"terbaca": False, "galat": safe_text(str(exc))[:200]}

    def close(self):
        self._pool.shutdown(wait=False, cancel_futures=True)
        for k in self._kernels:
            k.shutdown()
        if self._store is not None:
            self._store.close()

    # -- resolving an address -----------------------------------------------------------
    def resolve(self, name: str, query: str, access) -> Resolved:
        from ..parameters import fingerprint
        store = self.store()
        # the rules (SPEKTRA_PARAMETERS) are part of every key, as in render: a changed
        # band draws the page again
        memo = (store.file_stamp, fingerprint(), name, access, query)
        hit = self._resolved.get(memo)
        if hit is not None:
            self._resolved.move_to_end(memo)
            return hit
        r = self._resolve(store, name, query, access)
        self._resolved[memo] = r
        while len(self._resolved) > RESOLVED_MAX:
            self._resolved.popitem(last=False)
        return r

    def _resolve(self, store, name: str, query: str, access) -> Resolved:
        from ..parameters import fingerprint
        from ..page import widgets
        from ..page.notebook import Halaman
        scoped = store.with_access(access)
        h = Halaman(store=scoped, interaktif=False, grafik="halaman", tautan_query=query)
        p = h.params
        accepted = widgets.page_parameters(name)
        satker_opts = unit_opts = None
        if "satker" in accepted:          # the live page's choices (page/widgets)
            satker_opts = widgets.satker_options(h, name)
            if "unit" in accepted:
                unit_opts = widgets.unit_options(h)
        # the choices a snapshot offers: tahun and the declared choice controls
        params = {k: (p.get(k) if k in accepted or k == "tahun" else None)
                  for k in ("tahun",) + _pilihan()}
        kontrol = _controls(name, params, satker_opts, unit_opts, bool(h.ditolak))
        key = None
        posisi, satuan = None, []
        if not h.ditolak:
            from .. import scopes
            fp = store.scope_fingerprint(params["tahun"], params["satker"])
            blob = json.dumps([name, self._notebook_sha(name), audience(access), params, fp,
                               fingerprint()], sort_keys=True, default=str)
            key = hashlib.sha256(blob.encode()).hexdigest()[:32]
            posisi = scopes.posisi_data(store, params["tahun"], params["satker"],
                                        params["unit"], params["bulan"])
            satuan = scopes.satuan_sumber(store, params["tahun"], params["satker"],
                                          params["unit"])
        return Resolved(params, key, h.ditolak, list(h.pesan), kontrol, posisi, satuan)

    def _notebook_sha(self, name: str) -> str:
        path = self.notebooks / f"{name}.ipynb"
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        have = self._nb_sha.get(name)
        if have is None or have[0] != stamp:
            have = (stamp, hashlib.sha256(path.read_bytes()).hexdigest()[:16])
            self._nb_sha[name] = have
        return have[1]

    # -- drawing ------------------------------------------------------------------------
    async def drawn(self, name: str, r: Resolved, access) -> str:
        """The drawn part for this key: from disk, or built once for all who wait."""
        path = self.dir / f"{r.key}.html"
        if r.key in self._files and path.exists():
            self._files.move_to_end(r.key)
            self.counts["dipakai"] += 1
            return path.read_text(encoding="utf-8")
        fut = self._flight.get(r.key)
        if fut is None:
            loop = asyncio.get_running_loop()
            fut = loop.run_in_executor(self._pool, self._build, name, dict(r.params),
                                       audience(access), path)
            self._flight[r.key] = fut
            fut.add_done_callback(lambda f, k=r.key: self._flight.pop(k, None))
            try:
                size = await asyncio.shield(fut)
            except Exception:
                self.counts["gagal"] += 1
                raise
            self.counts["dibuat"] += 1
            self._files[r.key] = size
            self._trim()
        else:
            self.counts["menunggu"] += 1
            await asyncio.shield(fut)
        return path.read_text(encoding="utf-8")

    def _trim(self):
        total = sum(self._files.values())
        while total > CACHE_BYTES and len(self._files) > 1:
            key, size = self._files.popitem(last=False)
            (self.dir / f"{key}.html").unlink(missing_ok=True)
            total -= size

    def _kernel(self) -> _Kernel:
        k = getattr(self._local, "kernel", None)
        if k is None:
            k = _Kernel(self.notebooks)
            self._local.kernel = k
            with _kernel_lock:
                self._kernels.append(k)
        return k

    def _build(self, name: str, params: dict, aud: str, path: Path) -> int:
        """In a builder thread: execute the notebook for this audience, keep its HTML."""
        import nbformat

        from ..render import kernel as kern
        nb = kern.parameterize(self.notebooks / f"{name}.ipynb",
                               {**params, "store": str(self.store_path)})
        at = 0          # first: no cell of the notebook runs before its audience is set
        nb.cells.insert(at, nbformat.v4.new_code_cell(SETUP.format(aud=aud)))
        nb = self._kernel().run(nb)
        nb.cells.pop(at)
        body, _ = exporter().from_notebook_node(nb)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, path)
        return len(body.encode())

    # -- the page -----------------------------------------------------------------------
    def head(self, judul: str) -> str:
        css = "".join(f'<link rel="stylesheet" href="{STATIC}{n}">'
                      for n in ("lab.css", "dt_bundle.css", "bar.css", "potret.css"))
        js = "".join(f'<script src="{STATIC}{n}"></script>'
                     for n in ("grafik.js", "tabel.js"))
        return ('<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{html.escape(judul)} — SPEKTRA</title>{css}{js}'
                f'<script src="{STATIC}potret.js" defer></script></head>')

    def part(self, r: Resolved, drawn: str | None, galat: str | None = None) -> str:
        """Everything below the header bar: controls, Posisi data, notes, the page."""
        from ..present import tables
        out = [r.kontrol]
        if r.ditolak:
            out.append(tables.pesan_html(
                f"Akses ditolak: {r.ditolak} Pilih satker / unit kerja lain di atas."))
        else:
            out.append(tables.posisi_html(r.posisi, r.satuan))
        out += [tables.pesan_html(p) for p in r.pesan]
        if galat:
            out.append(tables.pesan_html(galat))
        if drawn:
            out.append(f'<main class="spektra-isi">{drawn}</main>')
        return "".join(out)

    def page_start(self, judul: str, bar: str) -> str:
        return (self.head(judul) + '<body class="jp-Notebook spektra-potret" '
                'data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">'
                f'{bar}<div id="spektra-bagian">')

    PAGE_END = "</div></body></html>\n"
    # Sent first while a page is being drawn; hidden once the page follows it (potret.css).
    DRAWING = '<p class="spektra-menggambar">Halaman sedang digambar…</p>'

    def page(self, judul: str, bar: str, part: str) -> str:
        return self.page_start(judul, bar) + part + self.PAGE_END

    def has(self, key: str | None) -> bool:
        return bool(key) and key in self._files and (self.dir / f"{key}.html").exists()

    def prewarm_plan(self, accesses, menu=lambda access: ["dashboard"]) -> list[tuple]:
        """(page, query, access) to draw ahead, most asked first, at most PREWARM_MAX:
        1. each audience's dashboard (the landing page), Publik and Admin included;
        2. every other page each audience's menu offers (`menu(access)`: the pages in menu
           order), as the menu opens it (its default scope and month);
        3. for a User of several satker / unit kerja, the same pages for each other own
           scope (the satker picker's choices);
        4. each month of the dashboard for Publik and for Admin / Super User.
        An audience is drawn once however many users share it."""
        from ..access import PUBLIK
        from ..reports import catalog
        from ..store import FULL_ACCESS
        seen: dict[str, object] = {}
        for access in [PUBLIK, FULL_ACCESS, *accesses]:
            seen.setdefault(audience(access), access)
        audiences = list(seen.values())
        pages = {audience(a): [n for n in menu(a) if catalog.laporan_halaman(n)
                               and (self.notebooks / f"{n}.ipynb").exists()]
                 for a in audiences}
        todo = [("dashboard", "", a) for a in audiences if "dashboard" in pages[audience(a)]]
        todo += [(n, "", a) for a in audiences for n in pages[audience(a)] if n != "dashboard"]
        for a in audiences:
            if a.sendiri and len(a.lingkup) > 1:
                for s, u in a.lingkup[1:]:
                    q = f"satker={s}" + (f"&unit={u}" if u else "")
                    todo += [(n, q, a) for n in pages[audience(a)]]
        todo += [("dashboard", f"bulan={m}", a) for a in (PUBLIK, FULL_ACCESS)
                 for m in range(1, 13)]
        return todo[:PREWARM_MAX]

    async def prewarm(self, accesses, menu=lambda access: ["dashboard"], state=None) -> None:
        """Draw the pages of prewarm_plan before anyone asks, one at a time (a visitor's
        own miss then waits for one drawing at most: the builders' queue holds the one
        page being drawn ahead). Again whenever an ingest has swapped the store
        (watch())."""
        t0 = time.monotonic()
        self.counts["prewarm"] = "berjalan"
        self.counts["prewarm_halaman"] = 0
        try:
            for name, query, access in self.prewarm_plan(accesses, menu):
                try:
                    r = self.resolve(name, query, access)
                    if r.key:
                        await self.drawn(name, r, access)
                        self.counts["prewarm_halaman"] += 1
                except Exception:       # noqa: BLE001  a page asked for says it itself
                    continue
            self._prewarmed = state
        finally:
            self.counts["prewarm"] = f"selesai {time.monotonic() - t0:.0f} dtk"

    def watch(self, accesses, menu=lambda access: ["dashboard"]) -> None:
        """Called periodically: after an ingest swapped the store, or when a user of a new
        audience appeared (added in /admin), draw ahead again (pages already drawn for
        this store are only read back)."""
        if self.counts.get("prewarm") == "berjalan":
            return
        try:
            stamp = self.store().file_stamp
        except Exception:               # noqa: BLE001  the status says it
            return
        state = (stamp, frozenset(audience(a) for a in accesses))
        if state != getattr(self, "_prewarmed", None):
            asyncio.ensure_future(self.prewarm(accesses, menu, state))


def _controls(name, params, satker_opts, unit_opts, ditolak: bool) -> str:
    """The page's choices as a form (page/widgets.Kontrol's, same classes): with
    JavaScript a choice loads its snapshot in place (potret.js); without, Tampilkan."""
    from ..page import widgets
    from ..reports import catalog
    from ..reports.selection import PARAMETER
    accepted = widgets.page_parameters(name)
    fields = []
    for k in _pilihan():
        if k == "satker" and satker_opts is not None:
            fields.append(_select("satker", satker_opts, params["satker"]))
        elif k == "unit" and unit_opts:
            fields.append(_select("unit", unit_opts, params["unit"]))
        elif PARAMETER[k].pilihan and k in accepted:
            fields.append(_select(k, PARAMETER[k].opsi(), PARAMETER[k].awal(params[k])))
    unduh = ""
    if catalog.laporan_halaman(name) and not ditolak:
        unduh = f'<div class="spektra-unduh">{widgets.unduh_html(name, params)}</div>'
    action = f"{pages.RENDER}{html.escape(name)}.ipynb"
    return (f'<form class="spektra-kontrol" method="get" action="{action}">'
            + "".join(fields) + '<noscript><button type="submit">Tampilkan</button></noscript>'
            + unduh + "</form>")


def _pilihan() -> tuple[str, ...]:
    """The controls a snapshot's form offers: the scope and the declared choices (a date
    control is the live page's only)."""
    from ..reports.selection import PARAMETER, di_kontrol
    return tuple(k for k in di_kontrol() if PARAMETER[k].jenis in ("kode", "pilihan", "bulan"))


def _select(name: str, options, value) -> str:
    from ..reports.selection import PARAMETER
    e = html.escape
    values = ["" if v is None else str(v) for _, v in options]
    chosen = "" if value is None else str(value)
    opts = "".join(f'<option value="{e(v)}"{" selected" if v == chosen else ""}>{e(label)}</option>'
                   for (label, _), v in zip(options, values))
    # Nothing else to pick: shown, not a choice (and not sent: the default is the same).
    off = " disabled" if len(options) <= 1 and chosen in values else ""
    return (f'<label class="spektra-{name}"><span>{e(PARAMETER[name].label)}</span>'
            f'<select name="{name}"{off}>{opts}</select></label>')


_exporter = None


def exporter():
    """nbconvert's lab markup for the cells only (the page around them is ours): the
    same outputs the static site shows, without inputs or prompts."""
    global _exporter
    if _exporter is None:
        from nbconvert import HTMLExporter
        _exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)],
                                 exclude_input=True, exclude_input_prompt=True,
                                 exclude_output_prompt=True, language_code="id")
    return _exporter


def cache_dir() -> Path:
    """The run folder's potret/ (removed with it), else a folder of this process."""
    from ..settings import settings as declared
    sock = declared().serve_socket
    if sock:
        return Path(sock).parent / "potret"
    import atexit
    import tempfile
    d = Path(tempfile.mkdtemp(prefix="spektra-potret-"))
    atexit.register(shutil.rmtree, d, True)
    return d
