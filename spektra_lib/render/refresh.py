"""Inside a kept kernel, between two notebooks: what `%reset -f` does not put back.

Imported by the reset cell of render/kernel.py. The first call records the kernel's
environment variables and `sys.path`; every call restores them, then freezes the
surviving objects (warm imports) so the next `%reset -f` collects only the last run's.
"""
from __future__ import annotations

import gc
import os
import sys

_BASE: tuple[dict, list] | None = None


def refresh() -> None:
    global _BASE
    if _BASE is None:
        _BASE = (dict(os.environ), list(sys.path))
    env, path = _BASE
    if dict(os.environ) != env:
        os.environ.clear()
        os.environ.update(env)
    sys.path[:] = path
    gc.freeze()
