"""Live pages (a Voilà kernel per page: `?interaktif=1`, notebooks outside the catalog)
as a bounded, fair resource: only roles with `interaktif: true` in parameters/akses.yaml,
the page's scope checked before any kernel starts, a quota per login and per address (as
nginx saw it) counted over the kernels alive, then the server's ceiling (backend.has_room).
Also the kernel manager that remembers whose page each kernel serves, and culls idle ones.
"""
from __future__ import annotations

from datetime import timedelta

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import ensure_async
from traitlets import Integer

from ..access import HEADER_ENV
from ..reports import catalog
from . import pages
from .login import ADDRESS_ENV

# Live pages (`?interaktif=1`, notebooks outside the catalog): kernels per login and per
# address (as nginx saw it), counted while the kernel is alive.
LIVE_PER_USER = 2
LIVE_PER_ADDRESS = 3


def utcnow():
    from jupyter_server._tz import utcnow as now
    return now()


class SpektraKernelManager(AsyncMappingKernelManager):
    """Culls kernels no page is connected to after `cull_idle_timeout` (Jupyter's own rule
    with cull_connected off) and kernels with a page open after `cull_connected_timeout`."""

    cull_connected_timeout = Integer(1800, config=True,
                                     help="Idle seconds before a kernel with a page open is culled.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners: dict[str, tuple[str, str]] = {}      # kernel -> (login, address)

    async def start_kernel(self, *args, **kwargs):
        """Remember whose page a kernel serves (the request's headers, in its env)."""
        kernel_id = await super().start_kernel(*args, **kwargs)
        env = kwargs.get("env") or {}
        owner = (env.get(HEADER_ENV, ""), env.get(ADDRESS_ENV, ""))
        if any(owner):
            self.owners[kernel_id] = owner
        return kernel_id

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


class Live:
    def __init__(self, service):
        self.s = service
        self._pending: list[tuple[str, str]] = []        # live pages not yet a kernel
        self.roles = service.policy.interaktif      # for the refusal's wording only

    def refusal(self, ident, name: str, query: str) -> tuple[int, str] | None:
        """(status, reason) when this request may not start a kernel, else None: the role
        may not have live pages, the page's scope is not the user's (checked before any
        kernel), the user or the address holds its quota, or the server is full."""
        if not self.s.policy.may_go_live(ident.access):
            return 403, ("Mode interaktif hanya untuk peran " + ", ".join(
                pages.peran_nama(r) for r in sorted(self.roles))
                + ". Halaman yang sama tanpa mode interaktif dapat dibuka.")
        if catalog.laporan_halaman(name):
            r = self.s.snapshots.resolve(name, query, ident.access)
            if r.ditolak:
                return 403, f"Akses ditolak: {r.ditolak}"
        mine, here = self.counts(ident)
        if ident.login and mine >= LIVE_PER_USER:
            return 429, (f"Anda sudah membuka {mine} halaman interaktif (batas "
                         f"{LIVE_PER_USER} per pengguna). Tutup salah satunya; halaman yang "
                         "ditinggalkan dibersihkan otomatis.")
        if here >= LIVE_PER_ADDRESS:
            return 429, (f"Alamat Anda sudah membuka {here} halaman interaktif (batas "
                         f"{LIVE_PER_ADDRESS} per alamat). Tutup salah satunya.")
        if not self.s.has_room():
            return 503, ""
        return None

    def counts(self, ident) -> tuple[int, int]:
        """(live kernels or pending starts of this login, of this address)."""
        km = self.s.app.kernel_manager
        alive = set(km.list_kernel_ids())
        owners = [o for k, o in getattr(km, "owners", {}).items() if k in alive]
        owners += list(self._pending)
        mine = sum(1 for login, _ in owners if ident.login and login == ident.login)
        here = sum(1 for _, addr in owners if addr == ident.address)
        return mine, here

    def start(self, ident) -> tuple[str, str]:
        owner = (ident.login or "", ident.address)
        self._pending.append(owner)
        return owner

    def done(self, owner) -> None:
        if owner in self._pending:
            self._pending.remove(owner)
