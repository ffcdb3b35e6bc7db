"""One kernel kept for a test module, running notebooks the way `spektra render` does:
papermill's parameter injection, then the cells after `%reset -f` (a fresh kernel per
notebook costs ~5 s each)."""
from __future__ import annotations

from pathlib import Path

from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook


def kept_kernel(env: dict):
    """For a module fixture: `yield from kept_kernel(env)` gives (manager, client)."""
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def execute(path: Path, kernel, parameters: dict):
    """The notebook parameterised and executed in the kept kernel; returns it, with
    `%reset -f` as its first cell."""
    nb = parameterize_notebook(load_notebook_node(str(path)), parameters)
    nb.cells.insert(0, new_code_cell("%reset -f"))
    client = NotebookClient(nb, km=kernel[0], timeout=120, allow_errors=False)
    client.kc = kernel[1]
    client.execute()
    return nb
