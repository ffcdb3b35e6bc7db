"""SPEKTRA's Voilà process: Voilà itself, with four things added before any kernel starts.

1. A gate: with `--login`, every request must carry the per-run key header that only the
   proxy adds (`KEY_HEADER`), and the server listens on a Unix socket in the run folder
   (0600) instead of a TCP port. Anything else gets an empty 403: a forged
   `X-Forwarded-User` sent straight to the backend reaches nothing.
2. Identity: the user is the login session (cookie signed with the run key, session.py), a
   checked Basic password, or — with an agency's authenticating proxy — the user header
   nginx sets from it. `X-Forwarded-User`, which the kernel reads, is always rewritten here.
3. The role's notebooks (parameters/akses.yaml): anonymous ⇒ the login page, and back to
   the page afterwards; a role that may not ⇒ 403 "Akses ditolak".
4. A ceiling on kernels: a page request when `maks_kernel` kernels (preheated pool
   included) are alive gets 503 "Server sedang penuh" and Retry-After; idle kernels are
   culled (kernels with no page connected after `cull_detik`, with one after `sesi_detik`).

Run as `python -m spektra_lib.serve.backend NOTEBOOK_DIR --Voila.config_file_paths=RUN`.
"""
from __future__ import annotations

import base64
import hmac
import json
import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import tornado.ioloop
import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import ensure_async
from traitlets import Integer
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from ..reports import catalog
from ..settings import settings as declared
from . import download, pages, session
from .settings import HTPASSWD_ENV, KEY_ENV, KEY_HEADER, USER_HEADER, for_backend
from .snapshot import PART, wants_live



def utcnow():
    from jupyter_server._tz import utcnow as now
    return now()


class SpektraKernelManager(AsyncMappingKernelManager):
    """Culls kernels no page is connected to after `cull_idle_timeout` (Jupyter's own rule
    with cull_connected off) and kernels with a page open after `cull_connected_timeout`."""

    cull_connected_timeout = Integer(1800, config=True,
                                     help="Idle seconds before a kernel with a page open is culled.")

    async def cull_kernel_if_idle(self, kernel_id):
        kernel = self._kernels.get(kernel_id)
        if kernel is None:
            return
        connected = self._kernel_connections.get(kernel_id, 0) > 0
        if not connected or not hasattr(kernel, "last_activity"):
            return await ensure_async(super().cull_kernel_if_idle(kernel_id))
        idle = utcnow() - kernel.last_activity
        if (idle > timedelta(seconds=self.cull_connected_timeout)
                and (self.cull_busy or kernel.execution_state != "busy")):
            self.log.warning("Culling kernel %s with a page open: idle %d s.", kernel_id,
                             int(idle.total_seconds()))
            await ensure_async(self.shutdown_kernel(kernel_id))


class Refused(tornado.web.RequestHandler):
    """A request that did not come through the proxy: nothing, not even a hint."""

    def prepare(self):
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
    """What SPEKTRA's handlers share: settings, policy, passwords, kernel accounting."""

    def __init__(self, app: "SpektraVoila", key: str, htpasswd: str | None):
        from ..access import all_notebooks, load_policy
        from .snapshot import Snapshots, cache_dir
        self.app = app
        self.settings = for_backend()
        env = declared()
        self.login = env.serve_login == "1"
        self.key = key
        self.policy = load_policy()
        self.passwords = session.Passwords(htpasswd or None)
        self.notebooks = all_notebooks(Path(app.root_dir))
        self.pool_target = self.settings.pool_total(self.notebooks)
        self.in_flight = 0
        self.refused_full = 0
        self.snapshots = Snapshots(Path(app.root_dir), Path(env.store), cache_dir(),
                                   self.settings.potret_kernel)

    # -- identity -----------------------------------------------------------------------
    def identify(self, handler: tornado.web.RequestHandler):
        """(login or None, Access); sets the header the kernel will read to the same."""
        from ..access import PUBLIK
        login = None
        if self.login:
            if self.settings.auth == "proxy":
                login = handler.request.headers.get(USER_HEADER) or None
            else:
                login = session.verify(handler.get_cookie(session.COOKIE), self.key)
                if login is None:
                    login = self._basic(handler)
        handler.request.headers[USER_HEADER] = login or ""
        access = self.policy.users.get(login, PUBLIK) if login else PUBLIK
        if login and not session.limit_token_ok(handler.get_cookie(session.LIMIT_COOKIE),
                                                self.key):
            # A login nginx cannot see yet (the agency's proxy, a Basic password, a lapsed
            # token): from the next request on it is limited per login, not per address.
            handler.set_cookie(session.LIMIT_COOKIE,
                               session.limit_token(self.key, self.settings.sesi_jam),
                               path="/", httponly=True, samesite="Lax",
                               secure=handler.request.headers.get("X-Forwarded-Proto") == "https")
        return login, access

    def _basic(self, handler) -> str | None:
        """Scripted clients (curl -u): a Basic password checked like the login form's."""
        auth = handler.request.headers.get("Authorization", "")
        if not auth.lower().startswith("basic "):
            return None
        try:
            login, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            login, password = "", ""
        if self.passwords.check(login, password):
            return login
        handler._spektra_bad_password = True
        return None

    def shown(self, login, access) -> tuple[str | None, str]:
        """(name on screen, role) for the header bar."""
        if not login:
            return None, "publik"
        known = login in self.policy.users
        return (access.nama if known else login), access.role

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
    @property
    def service(self) -> Service:
        return self.settings["spektra"]

    def who(self):
        login, access = self.service.identify(self)
        nama, role = self.service.shown(login, access)
        return login, access, nama, role

    def page(self, status: int, body: str):
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)


class Beranda(SpektraHandler):
    def get(self):
        login, access, nama, role = self.who()
        self.page(200, pages.beranda(self.service.allowed(access), nama=nama, role=role,
                                       login_url=self.service.login_url()))


class Masuk(SpektraHandler):
    def get(self):
        kembali = session.safe_return(self.get_argument("kembali", "/"))
        if not self.service.login:
            return self.page(404, pages.tidak_ada())
        if self.service.settings.auth == "proxy":
            return self.redirect(self.service.login_url().replace("{kembali}", quote(kembali, safe="")))
        login, access, nama, role = self.who()
        if login:
            return self.redirect(kembali)
        self.page(200, pages.masuk(kembali))

    async def post(self):
        service = self.service
        if not service.login or service.settings.auth == "proxy":
            return self.page(404, pages.tidak_ada())
        kembali = session.safe_return(self.get_body_argument("kembali", "/"))
        login = self.get_body_argument("nama", "").strip().lower()
        password = self.get_body_argument("sandi", "")
        ok = await tornado.ioloop.IOLoop.current().run_in_executor(
            None, service.passwords.check, login, password)
        if not ok:
            return self.page(401, pages.masuk(kembali, "Nama pengguna atau sandi salah."))
        https = self.request.headers.get("X-Forwarded-Proto") == "https"
        hours = service.settings.sesi_jam
        self.set_cookie(session.COOKIE, session.sign(login, service.key, hours),
                        path="/", httponly=True, samesite="Lax", secure=https)
        # nginx's proof of a login for its rate limits (it cannot check the session's HMAC)
        self.set_cookie(session.LIMIT_COOKIE, session.limit_token(service.key, hours),
                        path="/", httponly=True, samesite="Lax", secure=https)
        self.redirect(kembali, status=303)


class Keluar(SpektraHandler):
    def get(self):
        self.clear_cookie(session.COOKIE, path="/")
        self.clear_cookie(session.LIMIT_COOKIE, path="/")
        self.redirect("/")


def bisa_dibuka(access, names: set[str]) -> set[str]:
    """The notebooks whose reports can show this user something: a unit kerja's User
    is not offered pages made per satker only (Capaian Output, Status, IKPA), which could
    only answer "Akses ditolak" (issue 27.8)."""
    if access.role != "user" or not access.unit:
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
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"nama": nama, "peran": role,
                                "peran_nama": pages.ROLE_NAMES.get(role, role),
                                "masuk": self.service.login_url(), "login": bool(self.service.login)}))


class KeBeranda(SpektraHandler):
    def get(self, *args):
        self.redirect("/")


class TidakAda(SpektraHandler):
    def prepare(self):
        self.page(404, pages.tidak_ada())


class Render(TornadoVoilaHandler):
    """Voilà's page handler, after identity, the role's notebooks and the kernel ceiling."""

    _counted = False

    async def prepare(self):
        await ensure_async(super().prepare())
        if self._finished:
            return
        service: Service = self.settings["spektra"]
        login, access = service.identify(self)
        nama, role = service.shown(login, access)
        path = self.path_args[0] if self.path_args else ""
        name = path[:-len(".ipynb")] if path.endswith(".ipynb") else None
        if not name or "/" in name or name not in service.notebooks:
            return self._page(404, pages.tidak_ada(nama, role))
        if getattr(self, "_spektra_bad_password", False):
            self.set_header("WWW-Authenticate", 'Basic realm="SPEKTRA", charset="UTF-8"')
            return self._page(401, pages.masuk(self.request.uri,
                                                 "Nama pengguna atau sandi salah."))
        if name not in service.allowed(access):
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
            return await self._snapshot(service, name, access, nama, role)
        if not service.has_room():
            service.refused_full += 1
            self.set_header("Retry-After", "30")
            return self._page(503, pages.penuh(nama, role))
        service.in_flight += 1
        self._counted = True

    async def _snapshot(self, service: Service, name, access, nama, role):
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
            else:
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

    def _page(self, status, body):
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    def on_finish(self):
        if self._counted:
            self._counted = False
            self.settings["spektra"].in_flight -= 1
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
            return self.page(403, pages.ditolak(nama, role, service.login_url()))
        query = self.request.query
        with tempfile.TemporaryDirectory(prefix="spektra-unduh-") as tmp:
            try:
                path = await tornado.ioloop.IOLoop.current().run_in_executor(
                    None, download.write, name, fmt, query, access, Path(tmp))
            except AksesDitolak as e:
                return self.page(403, pages.page("Akses ditolak", pages.paragraf(str(e)),
                                                 nama=nama, role=role))
            except download.Invalid as e:
                return self.page(400, pages.page("Unduhan tidak dapat dibuat",
                                                 pages.paragraf(str(e)), nama=nama, role=role))
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
        return [("/", Beranda), ("/masuk", Masuk), ("/keluar", Keluar),
                ("/_spektra/saya", Saya), ("/_spektra/status", Status),
                (r"/unduh/([a-z0-9_]+)\.(xlsx|docx|pdf)", Unduh),
                (r"/voila/tree(.*)", KeBeranda),
                *handlers, (r"/.*", TidakAda)]

    def start(self):
        import tempfile
        env = declared()
        key, htpasswd = env.serve_kunci, env.serve_htpasswd_run
        # Kernels inherit this process's environment (the preheated pool starts filling
        # in init_settings): from here on it holds the kernels' own key (it opens
        # /voila/query only) and no path to the password file.
        if key:
            os.environ[KEY_ENV] = session.kernel_key(key)
        os.environ.pop(HTPASSWD_ENV, None)
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        service = settings["spektra"] = Service(self, key, htpasswd)
        self.app = GatedApplication(key or None, **settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        if service.settings.potret_awal:
            users = [a for a in service.policy.users.values() if a.role == "user"]
            tornado.ioloop.IOLoop.current().add_callback(service.snapshots.watch, users)
            # an ingest swaps the store: its pages are drawn again within a minute
            tornado.ioloop.PeriodicCallback(lambda: service.snapshots.watch(users),
                                            60_000).start()
        self.listen()

    def stop(self):
        service = getattr(self, "app", None) and self.app.settings.get("spektra")
        if service is not None:
            service.snapshots.close()
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
