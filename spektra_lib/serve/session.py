"""Who is asking: a login session cookie signed with the run's key, or a checked password.

Passwords are checked against the run's htpasswd with Apache's own `htpasswd -v` (bcrypt
there, no Python bcrypt needed); a success is remembered for the run as a salted digest,
never as the password. A session is `login.expiry.signature`, HMAC-SHA256 with a key
derived from the per-run key: restarting the server ends every session.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import subprocess
import time
from pathlib import Path

COOKIE = "spektra_sesi"
HTPASSWD = "/usr/bin/htpasswd"
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def _key(run_key: str) -> bytes:
    return hmac.new(run_key.encode(), b"spektra-sesi", hashlib.sha256).digest()


def sign(login: str, run_key: str, hours: int, now: float | None = None) -> str:
    expiry = int((now or time.time()) + hours * 3600)
    name = base64.urlsafe_b64encode(login.encode()).decode().rstrip("=")
    body = f"{name}.{expiry}"
    mac = hmac.new(_key(run_key), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def verify(value: str | None, run_key: str, now: float | None = None) -> str | None:
    """The login a session cookie names, or None (missing, forged or expired)."""
    if not value or value.count(".") != 2:
        return None
    name, expiry, mac = value.split(".")
    good = hmac.new(_key(run_key), f"{name}.{expiry}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, good) or not expiry.isdigit():
        return None
    if int(expiry) < (now or time.time()):
        return None
    try:
        login = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return login if _LOGIN.match(login) else None


class Passwords:
    """Checks a login and password against an htpasswd file."""

    def __init__(self, htpasswd: Path | str | None):
        self.path = Path(htpasswd) if htpasswd else None
        self._salt = os.urandom(16)
        self._ok: set[bytes] = set()

    def _digest(self, login: str, password: str) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", f"{login}\0{password}".encode(), self._salt, 1000)

    def check(self, login: str, password: str) -> bool:
        if not self.path or not _LOGIN.match(login or "") or not password:
            return False
        digest = self._digest(login, password)
        if digest in self._ok:
            return True
        # -i: the password comes from stdin, never the process list.
        done = subprocess.run([HTPASSWD, "-v", "-i", str(self.path), login], input=password,
                              text=True, capture_output=True)
        if done.returncode == 0:
            self._ok.add(digest)
            return True
        return False


def safe_return(target: str | None) -> str:
    """A local path to go back to after login; anything else (another site) becomes /."""
    target = (target or "").strip()
    if (not target.startswith("/") or target.startswith("//") or target.startswith("/\\")
            or any(c in target for c in "\r\n\t") or target.startswith("/masuk")
            or target.startswith("/keluar")):
        return "/"
    return target


# -- keys derived from the run key --------------------------------------------------------
def kernel_key(run_key: str) -> str:
    """What Voilà's kernels hold instead of the run key: it opens /voila/query (the
    kernel's own request, access.py) and nothing else (backend.GatedApplication)."""
    return hmac.new(run_key.encode(), b"spektra-kernel", hashlib.sha256).hexdigest()


def limit_secret(run_key: str) -> str:
    """The secret nginx checks the rate-limit cookie with (secure_link_md5, nginx.py)."""
    return hmac.new(run_key.encode(), b"spektra-batas", hashlib.sha256).hexdigest()[:32]


LIMIT_COOKIE = "spektra_batas"


def _limit_md5(expiry: str, nonce: str, run_key: str) -> str:
    digest = hashlib.md5(f"{expiry} {nonce} {limit_secret(run_key)}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def limit_token(run_key: str, hours: int, now: float | None = None) -> str:
    """`<md5>.<expiry>.<nonce>` that nginx's secure_link can verify: a login proven to
    nginx, so that only a real session leaves the anonymous per-address rate limit (a
    made-up `spektra_sesi` cookie does not: nginx cannot check its HMAC). The nonce makes
    each login its own rate-limit bucket (two logins in the same second would share one)."""
    expiry = str(int((now or time.time()) + hours * 3600))
    nonce = base64.urlsafe_b64encode(os.urandom(9)).decode()
    return f"{_limit_md5(expiry, nonce, run_key)}.{expiry}.{nonce}"


def limit_token_ok(token: str | None, run_key: str, now: float | None = None) -> bool:
    """What nginx's secure_link decides for a limit cookie (to renew it in time)."""
    if not token or token.count(".") != 2:
        return False
    digest, expiry, nonce = token.split(".")
    if not expiry.isdigit() or int(expiry) < (now or time.time()):
        return False
    return hmac.compare_digest(_limit_md5(expiry, nonce, run_key), digest)
