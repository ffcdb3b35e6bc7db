"""SPEKTRA's Voilà process: Voilà itself, with four things added before any kernel starts.

1. A gate: with `--login`, every request must carry the per-run key header that only the
   proxy adds (`KEY_HEADER`), and the server listens on a Unix socket in the run folder
   (0600) instead of a TCP port. Anything else gets an empty 403: a forged
   `X-Forwarded-User` sent straight to the backend reaches nothing.
2. Identity (login.py): a server-side login session, a checked Basic password (both with
   the failed-login lock-out), or — with an agency's authenticating proxy — the user
   header nginx sets from it; role, scopes and "active" read from the user file at every
   request (users.py). `X-Forwarded-User` and `X-Spektra-Akses`, which the kernel reads,
   are always rewritten here. Every page carries the anti-framing/nosniff headers, and
   views, refusals and downloads go to the audit log (audit.py).
3. The role's notebooks (parameters/akses.yaml): anonymous ⇒ the login page, and back to
   the page afterwards; a role that may not ⇒ 403 "Akses ditolak".
4. Live kernels (live.py): only roles that may, the scope checked first, a quota per
   login and per address, then a ceiling: a page request when `maks_kernel` kernels (preheated pool
   included) are alive gets 503 "Server sedang penuh" and Retry-After; idle kernels are
   culled (kernels with no page connected after `cull_detik`, with one after `sesi_detik`).

Run as `python -m spektra_lib.serve.backend NOTEBOOK_DIR --Voila.config_file_paths=RUN`.
"""
from __future__ import annotations

import hmac
import json
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import tornado.ioloop
import tornado.web
from jupyter_server.utils import ensure_async
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from ..reports import catalog
from ..settings import settings as declared
from . import download, login as doors, pages, session
from .settings import KEY_ENV, KEY_HEADER, for_backend
from .live import Live, SpektraKernelManager  # noqa: F401  (voila.py names the manager here)
from .snapshot import PART, wants_live



class Refused(tornado.web.RequestHandler):
    """A request that did not come through the proxy: nothing, not even a hint."""

    def prepare(self):
        doors.harden(self)
        self.set_status(403)
        self.finish("")


class GatedApplication(tornado.web.Application):
    """Only requests with the run key (the proxy) pass; the kernels' own key opens their
    request's details (/voila/query/<kernel>) and nothing else."""

    def __init__(self, key: str | None, *args, **kwargs):
        self._key = key.encode() if key else None
        self._kernel_key = session.kernel_key(key).encode() if key else None
        super().__init__(*args, **kwargs)

    def find_handler(self, request, **kwargs):
        if self._key is not None:
            given = request.headers.get(KEY_HEADER, "").encode()
            ok = hmac.compare_digest(given, self._key) or (
                request.path.startswith("/voila/query/")
                and hmac.compare_digest(given, self._kernel_key))
            if not ok:
                return self.get_handler_delegate(request, Refused)
        return super().find_handler(request, **kwargs)


class Service:
    """What SPEKTRA's handlers share: settings, policy, users, audit, kernel accounting."""

    def __init__(self, app: "SpektraVoila", key: str, users_path: str, audit_folder: str):
        from ..access import all_notebooks, load_policy
        from ..audit import Audit
        from ..users import Users
        from .snapshot import Snapshots, cache_dir
        self.app = app
        self.settings = for_backend()
        env = declared()
        self.login = env.serve_login == "1"
        self.key = key
        self.policy = load_policy()
        self.users = Users(users_path or None)
        self.audit = None if env.audit_mati == "1" else Audit(audit_folder or None,
                                                              buffered=True)
        self.doors = doors.Doors(self)
        self.notebooks = all_notebooks(Path(app.root_dir))
        self.pool_target = self.settings.pool_total(self.notebooks)
        self.in_flight = 0
        self.refused_full = 0
        self.live = Live(self)
        self.snapshots = Snapshots(Path(app.root_dir), Path(env.store), cache_dir(),
                                   self.settings.potret_kernel)

    async def identify(self, handler) -> "doors.Identity":
        return await self.doors.identify(handler)

    def record(self, handler, aksi: str, sasaran: str, hasil: str = "ok", *,
               login: str | None = None, role: str | None = None) -> None:
        """One audit row for this request (who: the request's identity unless given)."""
        if self.audit is None:
            return
        ident = getattr(handler, "_spektra", None)
        try:
            self.audit.record(aksi, pengguna=login if login is not None else (
                ident.login if ident else None),
                peran=role if role is not None else (ident.role if ident else "publik"),
                sasaran=sasaran, hasil=hasil,
                alamat=ident.address if ident else self.doors.address(handler))
        except Exception as exc:                     # noqa: BLE001  logged, page still served
            handler.log.error("Audit tidak tercatat: %s", exc) if hasattr(handler, "log") \
                else None

    def audience_users(self) -> list:
        """Access of every active user (their pages are drawn ahead, snapshot.watch)."""
        return [u.access for u in self.users.all() if u.aktif]

    def menu(self, access) -> list[str]:
        """The pages this user's menu offers, in menu order."""
        allowed = self.allowed(access)
        return [n for _, items in pages.menu_groups() for n, _ in items if n in allowed]

    def draw_ahead(self) -> None:
        """After an ingest (and at start): every page the users' menus offer."""
        self.snapshots.watch(self.audience_users(), self.menu)

    def shown(self, login, access) -> tuple[str | None, str]:
        """(name on screen, role) for the header bar."""
        if not login:
            return None, "publik"
        return (access.nama or login), access.role

    def allowed(self, access) -> set[str]:
        from ..access import notebooks_for
        return bisa_dibuka(access, notebooks_for(access, self.policy, Path(self.app.root_dir)))

    def login_url(self) -> str:
        if self.settings.auth == "proxy" and self.settings.login_url:
            return self.settings.login_url
        return "/masuk"

    # -- kernels ------------------------------------------------------------------------
    def kernels(self) -> tuple[int, int]:
        """(Voilà's kernels alive, of which preheated and waiting in a pool); the
        snapshot builders' kernels are counted apart (Snapshots.kernels_alive)."""
        km = self.app.kernel_manager
        alive = set(km.list_kernel_ids())
        waiting = 0
        for pool in getattr(km, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    if task.result().get("kernel_id") in alive:
                        waiting += 1
        return len(alive), waiting

    def has_room(self) -> bool:
        alive, waiting = self.kernels()
        serving = alive - waiting
        # the snapshot builders' kernels are part of the ceiling too (started or not)
        reserved = self.pool_target + self.settings.potret_kernel
        return serving + self.in_flight < self.settings.maks_kernel - reserved


class SpektraHandler(tornado.web.RequestHandler):
    ident: "doors.Identity"

    @property
    def service(self) -> Service:
        return self.settings["spektra"]

    def set_default_headers(self):
        doors.harden(self)

    async def prepare(self):
        self.ident = await self.service.identify(self)
        if doors.refuse_door(self, self.ident, session.safe_return(self.request.uri)):
            return

    def who(self):
        i = self.ident
        return i.login, i.access, i.nama, i.role

    def page(self, status: int, body: str):
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    def write_error(self, status_code, **kwargs):
        """Never a traceback: a page saying what happened."""
        if status_code >= 500:
            body = pages.pesan("Terjadi kesalahan", [
                "Halaman ini tidak dapat dibuat saat ini. Bila berulang, hubungi admin "
                "SPEKTRA dengan menyebut alamat halaman dan waktunya."])
        else:
            body = pages.pesan("Permintaan tidak dapat diproses",
                               ["Permintaan ini tidak sah; kembali ke Beranda."], [("/", "Beranda")])
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(body)


class AdminHandler(SpektraHandler):
    pass


def _admin_routes():
    from . import admin
    return [(path, type(cls.__name__, (cls, AdminHandler), {})) for path, cls in admin.ROUTES]


class Beranda(SpektraHandler):
    def get(self):
        login, access, nama, role = self.who()
        self.page(200, pages.beranda(self.service.allowed(access), nama=nama, role=role,
                                       login_url=self.service.login_url()))


class Masuk(doors.Masuk, SpektraHandler):
    async def prepare(self):            # the form itself: no Basic lock-out page first
        self.ident = await self.service.identify(self)


class Keluar(doors.Keluar, SpektraHandler):
    pass


def bisa_dibuka(access, names: set[str]) -> set[str]:
    """The notebooks whose reports can show this user something: a User of unit kerja only
    is not offered pages made per satker only (Capaian Output, Status, IKPA), which could
    only answer "Akses ditolak" (issue 27.8)."""
    if not access.hanya_unit:
        return set(names)
    from ..reports import catalog

    def per_unit(name: str) -> bool:
        reports = catalog.laporan_halaman(name)
        return not reports or any("unit" in catalog.LAPORAN[r].parameter for r in reports
                                  if r in catalog.LAPORAN)
    return {n for n in names if per_unit(n)}


class Saya(SpektraHandler):
    """Who is looking, for the header bar script on the Voilà pages."""

    def get(self):
        login, access, nama, role = self.who()
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json; charset=utf-8")
        allowed = self.service.allowed(access)
        # the module menu of the Voilà pages (bar.js): the landing page's groups, only
        # what this user may open (issue 27.8: Voilà pages had no menu)
        menu = [{"judul": group, "halaman": [{"nama": nb, "judul": judul}
                                             for nb, judul in items if nb in allowed]}
                for group, items in pages.menu_groups()]
        self.finish(json.dumps({"nama": nama, "peran": role,
                                "peran_nama": pages.peran_nama(role),
                                "masuk": self.service.login_url(), "login": bool(self.service.login),
                                "menu": [m for m in menu if m["halaman"]]}))


class KeBeranda(SpektraHandler):
    def get(self, *args):
        self.redirect("/")


class TidakAda(SpektraHandler):
    async def prepare(self):
        self.page(404, pages.tidak_ada())


class Render(TornadoVoilaHandler):
    """Voilà's page handler, after identity, the role's notebooks and the kernel ceiling."""

    _counted = False

    def set_default_headers(self):
        super().set_default_headers()
        doors.harden(self)

    async def prepare(self):
        await ensure_async(super().prepare())
        if self._finished:
            return
        service: Service = self.settings["spektra"]
        ident = await service.identify(self)
        login, access, nama, role = ident.login, ident.access, ident.nama, ident.role
        path = self.path_args[0] if self.path_args else ""
        name = path[:-len(".ipynb")] if path.endswith(".ipynb") else None
        if not name or "/" in name or name not in service.notebooks:
            return self._page(404, pages.tidak_ada(nama, role))
        if doors.refuse_door(self, ident, session.safe_return(self.request.uri)):
            return
        target = f"{name}" + (f"?{self.request.query}" if self.request.query else "")
        if name not in service.allowed(access):
            service.record(self, "ditolak", target, "peran tidak berhak")
            if login:
                return self._page(403, pages.ditolak(nama, role, service.login_url()))
            if not service.login:
                return self._page(403, pages.perlu_login())
            url = service.login_url()
            kembali = quote(self.request.uri, safe="")
            return self.redirect(url.replace("{kembali}", kembali) if "{kembali}" in url
                                 else f"{url}?kembali={kembali}")
        if not wants_live(self.request.query_arguments) and catalog.laporan_halaman(name):
            # A report page: its drawn snapshot, no kernel for this visitor (snapshot.py).
            return await self._snapshot(service, name, access, nama, role, target)
        refusal = service.live.refusal(ident, name, self.request.query)
        if refusal:
            status, reason = refusal
            service.record(self, "ditolak", target, f"interaktif: {reason}")
            if status == 503:
                service.refused_full += 1
                self.set_header("Retry-After", "30")
                return self._page(503, pages.penuh(nama, role, reason))
            return self._page(status, pages.pesan(
                "Halaman interaktif tidak tersedia", [reason],
                [(f"{pages.RENDER}{name}.ipynb", "Buka halaman ini tanpa mode interaktif"),
                 ("/", "Beranda")], penting=True, nama=nama, role=role,
                login_url=service.login_url()))
        service.record(self, "lihat", target, "ok (interaktif)")
        service.in_flight += 1
        self._counted = True
        self._owner = service.live.start(ident)

    async def _snapshot(self, service: Service, name, access, nama, role, target=""):
        snaps = service.snapshots
        query = "&".join(p for p in self.request.query.split("&")
                         if p and not p.startswith(PART + "="))
        only_part = self.get_query_argument(PART, "") == "isi"
        bar = pages.bar(nama, role, self.request.uri, service.login_url())
        if not service.login:           # no login on this server: nothing to sign in to
            bar = re.sub(r'<a class="masuk"[^>]*>Masuk</a>', "", bar)
        started = False
        try:
            r = snaps.resolve(name, query, access)
            drawn, galat, status = None, None, 200
            if r.ditolak:
                status = 403
                service.record(self, "ditolak", target, str(r.ditolak)[:200])
            else:
                service.record(self, "lihat", target, "ok")
                if not only_part and not snaps.has(r.key):
                    # Not drawn yet: the header goes out now, as Voilà's page streams,
                    # and the page follows when drawn (seconds on a busy machine).
                    self._headers_for(200)
                    self.write(snaps.page_start(catalog.judul(name), bar) + snaps.DRAWING)
                    started = True
                    await self.flush()
                try:
                    drawn = await snaps.drawn(name, r, access)
                except Exception as exc:         # noqa: BLE001  said on the page, logged
                    self.log.error("Potret %s gagal dibuat: %s", name, exc)
                    galat, status = ("Halaman ini tidak dapat dibuat saat ini. Bila berulang, "
                                     "hubungi admin SPEKTRA dengan menyebut alamat halaman "
                                     "dan waktunya."), 500
            part = snaps.part(r, drawn, galat)
        except Exception as exc:                 # noqa: BLE001  never a traceback
            self.log.exception("Potret %s: %s", name, exc)
            part, status = pages.paragraf("Halaman ini tidak dapat dibuat saat ini. "
                                          "Coba lagi sebentar lagi."), 500
            if not started:
                return self._page(500, pages.page(
                    "Halaman tidak dapat dibuat", part, nama=nama, role=role,
                    login_url=service.login_url()))
        if started:
            return self.finish(part + snaps.PAGE_END)
        self._headers_for(status)
        if only_part:
            return self.finish(part)
        self.finish(snaps.page(catalog.judul(name), bar, part))

    def _headers_for(self, status):
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")

    def page(self, status, body):
        self._page(status, body)

    def _page(self, status, body):
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    def on_finish(self):
        if self._counted:
            self._counted = False
            service = self.settings["spektra"]
            service.in_flight -= 1
            service.live.done(self._owner)
        super().on_finish()


class Unduh(SpektraHandler):
    """/unduh/<page>.<xlsx|docx|pdf>?<the page's choices>: the page as a file (download.py),
    for the asking user only (identity, the role's notebooks, then the store's scope)."""

    async def get(self, name: str, fmt: str):
        from ..problems import AksesDitolak
        service = self.service
        login, access, nama, role = self.who()
        if name not in service.notebooks:
            return self.page(404, pages.tidak_ada(nama, role))
        if name not in service.allowed(access):
            service.record(self, "ditolak", f"unduh {name}.{fmt}", "peran tidak berhak")
            return self.page(403, pages.ditolak(nama, role, service.login_url()))
        query = self.request.query
        with tempfile.TemporaryDirectory(prefix="spektra-unduh-") as tmp:
            try:
                path = await tornado.ioloop.IOLoop.current().run_in_executor(
                    None, download.write, name, fmt, query, access, Path(tmp))
            except AksesDitolak as e:
                service.record(self, "ditolak", f"unduh {name}.{fmt}?{query}", str(e)[:200])
                return self.page(403, pages.page("Akses ditolak", pages.paragraf(str(e)),
                                                 nama=nama, role=role))
            except download.Invalid as e:
                return self.page(400, pages.page("Unduhan tidak dapat dibuat",
                                                 pages.paragraf(str(e)), nama=nama, role=role))
            service.record(self, "unduh", f"{name}.{fmt}" + (f"?{query}" if query else ""))
            self.set_header("Content-Type", download.MEDIA[fmt])
            self.set_header("Content-Disposition", f'attachment; filename="{path.name}"')
            self.set_header("Cache-Control", "no-store")
            self.finish(path.read_bytes())


class Status(SpektraHandler):
    """Kernel figures for `spektra serve` health checks and benchmarks (not proxied)."""

    def get(self):
        service = self.service
        alive, waiting = service.kernels()
        snaps = service.snapshots
        builders = snaps.kernels_alive()
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"kernel": alive + builders, "kernel_voila": alive,
                                "kernel_siaga": waiting, "kernel_potret": builders,
                                "sedang_dibuka": service.in_flight,
                                "ditolak_penuh": service.refused_full,
                                "maks_kernel": service.settings.maks_kernel,
                                "potret": snaps.counts, "store": snaps.status()}))


DROPPED = ("TornadoVoilaTreeHandler", "VoilaContentsHandler", "AllowListFileHandler")


class SpektraVoila(Voila):
    name = "spektra-voila"

    def init_handlers(self):
        handlers = []
        for spec in super().init_handlers():
            pattern, cls = spec[0], spec[1]
            name = getattr(cls, "__name__", "")
            if name in DROPPED or pattern.rstrip("$") in ("/login", "/logout"):
                continue
            if cls is TornadoVoilaHandler:
                spec = (pattern, Render, *spec[2:])
            handlers.append(spec)
        return [("/", Beranda), ("/masuk", Masuk), ("/keluar", Keluar), *_admin_routes(),
                ("/_spektra/saya", Saya), ("/_spektra/status", Status),
                (r"/unduh/([a-z0-9_]+)\.(xlsx|docx|pdf)", Unduh),
                (r"/voila/tree(.*)", KeBeranda),
                *handlers, (r"/.*", TidakAda)]

    def start(self):
        import tempfile
        env = declared()
        key = env.serve_kunci
        users_path, audit_folder = env.pengguna, env.audit
        # Kernels inherit this process's environment (the preheated pool starts filling
        # in init_settings): from here on it holds the kernels' own key (it opens
        # /voila/query only) and no path to the user file or the audit log.
        if key:
            os.environ[KEY_ENV] = session.kernel_key(key)
        for name in ("SPEKTRA_PENGGUNA", "SPEKTRA_AUDIT"):
            os.environ.pop(name, None)
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        service = settings["spektra"] = Service(self, key, users_path, audit_folder)
        self.app = GatedApplication(key or None, **settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        if service.settings.potret_awal:
            tornado.ioloop.IOLoop.current().add_callback(service.draw_ahead)
            # an ingest swaps the store: its pages are drawn again within a minute, and so
            # are the pages of a user of a new audience (added or changed in /admin)
            tornado.ioloop.PeriodicCallback(service.draw_ahead, 60_000).start()
        self.listen()

    def stop(self):
        service = getattr(self, "app", None) and self.app.settings.get("spektra")
        if service is not None:
            service.snapshots.close()
            if service.audit is not None:
                service.audit.close()
        super().stop()

    def listen(self):
        path = declared().serve_socket
        if not path:
            return super().listen()
        from tornado.httpserver import HTTPServer
        from tornado.netutil import bind_unix_socket
        sock = bind_unix_socket(path, mode=0o600)
        worker = declared().serve_worker_uid
        if worker:           # as root, nginx workers run as nobody: only they may connect
            uid, gid = (int(x) for x in worker.split(":"))
            os.chown(path, uid, gid)
        server = HTTPServer(self.app)
        server.add_sockets([sock])
        self.log.info("SPEKTRA Voilà mendengar di soket %s", path)
        self.ioloop = tornado.ioloop.IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()


main = SpektraVoila.launch_instance

if __name__ == "__main__":
    main()
