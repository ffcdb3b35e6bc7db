"""Cookies and keys of one run: the session cookie's name (the session itself lives in
the user file, users.py), a safe place to go back to after login, the kernels' key and
the rate-limit cookie nginx checks itself.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time

COOKIE = "spektra_sesi"


def safe_return(target: str | None) -> str:
    """A local path to go back to after login; anything else (another site) becomes /."""
    target = (target or "").strip()
    if (not target.startswith("/") or target.startswith("//") or target.startswith("/\\")
            or any(not 0x20 < ord(c) < 0x7f for c in target)      # control, space, non-ASCII
            or target.startswith("/masuk")
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


def limit_token(run_key: str, hours: int, now: float | None = None,
                login: str | None = None) -> str:
    """`<md5>.<expiry>.<nonce>` that nginx's secure_link can verify: a login proven to
    nginx, so that only a real session leaves the anonymous per-address rate limit (a
    made-up `spektra_sesi` cookie does not: nginx cannot see the session). nginx buckets
    by the nonce, which is derived from the login: one account is one bucket, however
    many times it logs in."""
    expiry = str(int((now or time.time()) + hours * 3600))
    seed = hmac.new(run_key.encode(), f"batas:{login}".encode(), hashlib.sha256).digest() \
        if login else os.urandom(9)
    nonce = base64.urlsafe_b64encode(seed[:9]).decode()
    return f"{_limit_md5(expiry, nonce, run_key)}.{expiry}.{nonce}"


def limit_token_ok(token: str | None, run_key: str, now: float | None = None) -> bool:
    """What nginx's secure_link decides for a limit cookie (to renew it in time)."""
    if not token or token.count(".") != 2:
        return False
    digest, expiry, nonce = token.split(".")
    if not expiry.isdigit() or int(expiry) < (now or time.time()):
        return False
    return hmac.compare_digest(_limit_md5(expiry, nonce, run_key), digest)
