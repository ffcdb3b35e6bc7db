"""Monthly packs (`spektra render`) and the published static site (`spektra site`)."""
from .matrix import Job, Scope
from .runner import RenderResult, render, shutdown_kernel
from .site import build_site

__all__ = ["render", "RenderResult", "build_site", "Scope", "Job", "shutdown_kernel"]
