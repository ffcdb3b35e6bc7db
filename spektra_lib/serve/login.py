"""Who is asking, and the doors in and out: the login form, Basic passwords for scripts,
logout, and the headers every page carries.

- Identity: a server-side session (users.py: the cookie holds a random token, the user
  file its SHA-256), a Basic password (scripts, `curl -u`), or the agency proxy's user.
  The user's role, scopes and whether they are active are read from the user file at
  every request: a change made in /admin or by `spektra pengguna` holds at the next one.
- Failed passwords, on the form and on Basic alike, are counted per login and per address
  (the address nginx saw, in `X-Spektra-Alamat`, which nginx always overwrites); past the
  limit the answer is 429 with the time left, and every failure is answered after a
  delay. Every login, failed login and logout goes to the audit log.
- The login form carries a CSRF token (a cookie of its own, compared with the form's
  field) and a foreign Origin/Referer is refused; logout is a POST with the session's
  token, and ends the session on the server.
- Every page: X-Frame-Options DENY, frame-ancestors 'none', nosniff, Referrer-Policy.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import tornado.ioloop
import tornado.web

from ..access import ACCESS_HEADER       # backend → kernel: role and scopes, as JSON
from ..store import Access
from ..users import FAIL_DELAY
from . import pages, session
from .settings import ADDRESS_HEADER, USER_HEADER

ADDRESS_ENV = "HTTP_" + ADDRESS_HEADER.upper().replace("-", "_")   # what a kernel's env holds
CSRF_COOKIE = "spektra_csrf"
HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin",
           "Content-Security-Policy": "frame-ancestors 'none'"}


def harden(handler: tornado.web.RequestHandler) -> None:
    for name, value in HEADERS.items():
        handler.set_header(name, value)


def ascii_token(value: str | None, pattern: str = r"[A-Za-z0-9_-]{16,100}") -> str | None:
    """A cookie or field that may be a token; anything else (non-ASCII, control
    characters, the wrong length) is no token at all."""
    return value if value and re.fullmatch(pattern, value) else None


def same_token(a: str | None, b: str | None) -> bool:
    a, b = ascii_token(a), ascii_token(b)
    return bool(a and b) and hmac.compare_digest(a.encode(), b.encode())


def same_origin(handler: tornado.web.RequestHandler) -> bool:
    """A form post from this site (Origin, else Referer; a script sending neither is
    judged by its CSRF token alone)."""
    h = handler.request.headers
    origin = h.get("Origin") or h.get("Referer")
    if origin is None:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc == h.get("Host", "")


@dataclass
class Identity:
    login: str | None = None
    access: Access = field(default_factory=lambda: Access("publik", nama="Publik"))
    nama: str | None = None
    role: str = "publik"
    via: str = ""                       # sesi, basic, proxy
    csrf: str = ""                      # the session's token for its forms
    address: str = ""
    locked: float = 0.0                 # seconds left of a lock-out (Basic)
    bad_password: bool = False          # a Basic password that is wrong


class Doors:
    """Identity and the failed-login rules, for one backend (Service owns one)."""

    def __init__(self, service):
        self.s = service
        self._salt = os.urandom(16)
        self._basic_ok: dict[tuple[str, int, bytes], float] = {}

    def address(self, handler) -> str:
        if self.s.login:
            return (handler.request.headers.get(ADDRESS_HEADER) or "")[:64]
        return handler.request.remote_ip or ""

    async def identify(self, handler) -> Identity:
        from ..access import PUBLIK
        ident = Identity(access=PUBLIK, address=self.address(handler))
        user = None
        if self.s.login:
            if self.s.settings.auth == "proxy":
                name = (handler.request.headers.get(USER_HEADER) or "").strip().lower()
                user = self.s.users.get(name) if name else None
                user = user if user and user.aktif else None
                ident.via = "proxy"
            else:
                found = self.s.users.session(ascii_token(handler.get_cookie(session.COOKIE)))
                if found:
                    user, ident.csrf = found
                    ident.via = "sesi"
                else:
                    user = await self._basic(handler, ident)
        if user is not None:
            ident.login, ident.access = user.login, user.access
            ident.nama, ident.role = user.nama, user.peran
        handler.request.headers[USER_HEADER] = ident.login or ""
        handler.request.headers[ADDRESS_HEADER] = ident.address
        a = ident.access
        handler.request.headers[ACCESS_HEADER] = json.dumps(
            {"peran": a.role, "lingkup": a.lingkup, "nama": a.nama}) \
            if ident.login else ""
        # nginx's proof of a login for its rate limits, renewed when it lapsed (a restart
        # changes the run key); never for Basic, and one bucket per login whatever happens
        if ident.via in ("proxy", "sesi") and ident.login and not session.limit_token_ok(
                handler.get_cookie(session.LIMIT_COOKIE), self.s.key):
            set_limit_cookie(handler, self.s, ident.login)
        handler._spektra = ident
        return ident

    async def _basic(self, handler, ident: Identity):
        auth = handler.request.headers.get("Authorization", "")
        if not auth.lower().startswith("basic "):
            return None
        try:
            login, _, password = base64.b64decode(auth[6:], validate=True).decode() \
                .partition(":")
        except (ValueError, UnicodeDecodeError):
            login, password = "", ""
        login = login.strip().lower()
        wait = self.s.users.locked(login, ident.address)
        if wait:
            ident.locked = wait
            return None
        digest = hashlib.pbkdf2_hmac("sha256", f"{login}\0{password}".encode(), self._salt, 1000)
        known = self.s.users.get(login) if login else None
        if known and known.aktif and self._basic_ok.get((login, known.generasi, digest), 0) \
                > time.time():
            return known
        user = await tornado.ioloop.IOLoop.current().run_in_executor(
            None, self.s.users.verify, login, password)
        if user is None:
            await self.failed(handler, ident, login, "basic")
            ident.bad_password = True
            return None
        self.s.users.succeeded(login)
        self._basic_ok[(login, user.generasi, digest)] = time.time() + 300
        self.s.record(handler, "masuk", "basic", "ok", login=login, role=user.peran)
        return user

    async def failed(self, handler, ident: Identity, login: str, how: str) -> None:
        self.s.users.failed(login, ident.address)
        self.s.record(handler, "masuk", how, "gagal", login=login or "-", role="-")
        await asyncio.sleep(FAIL_DELAY)


def set_limit_cookie(handler, service, login: str) -> None:
    https = handler.request.headers.get("X-Forwarded-Proto") == "https"
    handler.set_cookie(session.LIMIT_COOKIE,
                       session.limit_token(service.key, service.settings.sesi_jam, login=login),
                       path="/", httponly=True, samesite="Lax", secure=https)


def refuse_door(handler, ident: Identity, kembali: str) -> bool:
    """Answer a locked-out or wrong Basic password; True when answered."""
    if ident.locked:
        handler.set_header("Retry-After", str(int(ident.locked) + 1))
        handler.page(429, pages.terlalu_sering(ident.locked))
        return True
    if ident.bad_password:
        handler.set_header("WWW-Authenticate", 'Basic realm="SPEKTRA", charset="UTF-8"')
        handler.page(401, pages.masuk(kembali, "Nama pengguna atau sandi salah."))
        return True
    return False


class Masuk:
    """Mixed into the backend's handler class (backend.SpektraHandler)."""

    def _form_token(self) -> str:
        token = ascii_token(self.get_cookie(CSRF_COOKIE))
        if not token:
            token = secrets.token_urlsafe(24)
            self.set_cookie(CSRF_COOKIE, token, path="/masuk", httponly=True,
                            samesite="Strict",
                            secure=self.request.headers.get("X-Forwarded-Proto") == "https")
        return token

    async def get(self):
        kembali = session.safe_return(self.get_argument("kembali", "/"))
        service = self.service
        if not service.login:
            return self.page(404, pages.tidak_ada())
        if service.settings.auth == "proxy":
            return self.redirect(service.login_url().replace("{kembali}", quote(kembali, safe="")))
        ident = self.ident
        if ident.login:
            return self.redirect(kembali)
        self.page(200, pages.masuk(kembali, csrf=self._form_token()))

    async def post(self):
        service = self.service
        if not service.login or service.settings.auth == "proxy":
            return self.page(404, pages.tidak_ada())
        kembali = session.safe_return(self.get_body_argument("kembali", "/"))
        login = self.get_body_argument("nama", "").strip().lower()[:64]
        password = self.get_body_argument("sandi", "")
        ident = self.ident
        if not same_origin(self) or not same_token(self.get_body_argument("csrf", ""),
                                                   self.get_cookie(CSRF_COOKIE)):
            service.record(self, "masuk", "formulir tanpa token sah", "ditolak", login=login)
            return self.page(403, pages.masuk(
                kembali, "Formulir ini kedaluwarsa atau tidak berasal dari SPEKTRA. "
                "Isi lagi lalu tekan Masuk.", csrf=self._form_token()))
        wait = service.users.locked(login, ident.address)
        if wait:
            service.record(self, "masuk", "formulir", "terkunci", login=login)
            self.set_header("Retry-After", str(int(wait) + 1))
            return self.page(429, pages.terlalu_sering(wait))
        user = await tornado.ioloop.IOLoop.current().run_in_executor(
            None, service.users.verify, login, password)
        if user is None:
            await service.doors.failed(self, ident, login, "formulir")
            return self.page(401, pages.masuk(kembali, "Nama pengguna atau sandi salah.",
                                              csrf=self._form_token()))
        service.users.succeeded(login)
        service.users.mark_login(login)
        token, _ = service.users.open_session(login, service.settings.sesi_jam, ident.address)
        service.record(self, "masuk", "formulir", "ok", login=login, role=user.peran)
        https = self.request.headers.get("X-Forwarded-Proto") == "https"
        self.set_cookie(session.COOKIE, token, path="/", httponly=True, samesite="Lax",
                        secure=https)
        # nginx's proof of a login for its rate limits (it cannot see the session)
        set_limit_cookie(self, service, login)
        self.clear_cookie(CSRF_COOKIE, path="/masuk")
        self.redirect(kembali, status=303)


class Keluar:
    async def get(self):
        ident = self.ident
        if ident.via != "sesi":
            return self.redirect("/")
        self.page(200, pages.keluar(ident.nama, ident.role, ident.csrf))

    async def post(self):
        ident = self.ident
        if ident.via == "sesi":
            if not same_origin(self) or not same_token(self.get_body_argument("csrf", ""),
                                                       ident.csrf):
                self.service.record(self, "keluar", "tanpa token sah", "ditolak")
                return self.page(403, pages.keluar(ident.nama, ident.role, ident.csrf))
            self.service.users.close_session(ascii_token(self.get_cookie(session.COOKIE)))
            self.service.record(self, "keluar", "sesi", "ok")
        self.clear_cookie(session.COOKIE, path="/")
        self.clear_cookie(session.LIMIT_COOKIE, path="/")
        self.redirect("/", status=303)
