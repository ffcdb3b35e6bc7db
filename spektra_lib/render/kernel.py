"""Executing a parameterised notebook: one kept kernel for many runs, or papermill's way.

Starting a kernel and importing pandas + altair costs ~5 s per run; a kept kernel costs
that once (DESIGN.md, measured facts). Between runs `%reset -f` clears the user
namespace, `%cd` restores the working directory and the environment variables are put
back; imported modules stay (harmless: the notebooks only read them). `gc.freeze()` after
each reset moves the warm imports out of the collector's sight: `%reset -f` ends with a
full `gc.collect()`, which otherwise walks every pandas/altair object each run (0.3 s of
a 0.5 s run, measured). Execution counts are renumbered from 1, as a fresh kernel counts.
"""
from __future__ import annotations

import inspect
import os
import shutil
from pathlib import Path

import nbformat

KERNEL = "python3"
TIMEOUT = 600
# Charts as `vegaEmbed` calls drawn by the page's local bundle (page/notebook.py).
PAGE_ENV = {"SPEKTRA_GRAFIK": "halaman"}     # declared in spektra_lib/settings.py


# Runs before every notebook; leaves no name behind (`%reset -f` clears user names).
RESET = """%reset -f
%cd -q {cwd!r}
__import__("spektra_lib.render.refresh", fromlist=["_"]).refresh()"""


def kernel_env() -> dict:
    return {**os.environ, **PAGE_ENV}


class NotebookFailed(Exception):
    """A run raised; `.nb` is the partly executed notebook (kept for the page)."""

    def __init__(self, message: str, nb=None):
        super().__init__(message)
        self.nb = nb


def parameterize(source: str | Path, params: dict):
    """The notebook with papermill's injected-parameters cell and metadata."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(source))
    nb = parameterize_notebook(nb, params, kernel_name=KERNEL, language="python")
    nb.metadata.papermill.update({"input_path": str(source), "parameters": params})
    return nb


def error_text(exc: BaseException) -> str:
    """One readable line: the exception name and value raised by the notebook."""
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {getattr(exc, 'evalue', '')}".strip()
    text = str(exc).strip().splitlines()
    # papermill/nbclient put the traceback first; the last line names the error.
    for line in reversed(text):
        if line.strip() and not line.startswith(("-", " ")):
            return line.strip()
    return type(exc).__name__


class KeptKernel:
    """One kernel reused for every run of this process."""

    def __init__(self, cwd: str | Path, env=kernel_env):
        self.cwd = str(Path(cwd).resolve())
        self.env = env          # () -> the kernel's environment, asked at each run
        self.km = None
        self.kc = None

    def _start(self):
        import tempfile
        from jupyter_client.manager import AsyncKernelManager
        # IPC sockets in a private folder: no TCP port, nothing written next to notebooks.
        self._sockdir = tempfile.mkdtemp(prefix="spektra-kernel-")
        sock = Path(self._sockdir) / "kernel"
        self.km = AsyncKernelManager(kernel_name=KERNEL, transport="ipc", ip=str(sock))
        self.kc = None

    def run(self, nb):
        """Execute `nb` in place (and return it); raise NotebookFailed on a cell error."""
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError

        if self.km is None:
            self._start()
        reset = nbformat.v4.new_code_cell(RESET.format(cwd=self.cwd))
        nb.cells.insert(0, reset)
        client = NotebookClient(nb, km=self.km, timeout=TIMEOUT, kernel_name=KERNEL,
                                resources={"metadata": {"path": self.cwd}})
        client.kc = self.kc
        try:
            client.execute(cwd=self.cwd, env=self.env())
        except (CellExecutionError, DeadKernelError, RuntimeError, TimeoutError) as exc:
            self.kc = client.kc
            if isinstance(exc, DeadKernelError) or not self.alive():
                self.shutdown()
            raise NotebookFailed(error_text(exc), _drop_reset(nb)) from exc
        self.kc = client.kc
        return _drop_reset(nb)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync
        try:
            return bool(self.km is not None and run_sync(self.km.is_alive)())
        except Exception:
            return False

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync
        import time
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        try:
            if kc is not None:
                # ask first: the manager's own shutdown interrupts the kernel, which then
                # prints "KeyboardInterrupt caught in kernel" into the user's terminal
                reply = kc.shutdown()
                if inspect.isawaitable(reply):
                    run_sync(_wait)(reply)
                deadline = time.monotonic() + 2
                while km is not None and time.monotonic() < deadline \
                        and run_sync(km.is_alive)():
                    time.sleep(0.05)
                kc.stop_channels()
            if km is not None and km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:
            pass
        if getattr(self, "_sockdir", None):
            shutil.rmtree(self._sockdir, ignore_errors=True)
            self._sockdir = None


async def _wait(awaitable):
    return await awaitable


def _drop_reset(nb):
    """Remove the reset cell; number the executed cells 1, 2, … as a fresh kernel does."""
    nb.cells.pop(0)
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count"):
            n += 1
            cell.execution_count = n
            for out in cell.get("outputs", []):
                if out.get("execution_count"):
                    out["execution_count"] = n
    return nb


def run_naive(source: str | Path, params: dict, cwd: str | Path, output: str | Path):
    """papermill.execute_notebook with a fresh kernel: the slow reference path."""
    import papermill

    os.environ.update(PAGE_ENV)       # papermill's fresh kernel inherits this process's env
    try:
        return papermill.execute_notebook(str(source), str(output), parameters=params,
                                          kernel_name=KERNEL, cwd=str(cwd),
                                          progress_bar=False)
    except papermill.PapermillExecutionError as exc:
        raise NotebookFailed(error_text(exc), nbformat.read(str(output), as_version=4)) from exc


