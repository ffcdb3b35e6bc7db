"""Voilà over notebooks/: loopback only, preheated kernels, identity header, local assets."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..access import ACCESS_HEADER, HEADER, HEADER_ENV, NOTEBOOK_DIR
from ..settings import env_name, settings as declared
from . import settings as backend
from .settings import ADDRESS_HEADER, Settings, from_env

TEMPLATE = "spektra-voila"
TEMPLATE_SRC = Path(__file__).parent / "templates" / TEMPLATE

# Shown instead of a traceback (Voilà prefixes one English sentence it does not let us change).
ERROR_TEXT = ("Bagian halaman ini tidak dapat ditampilkan. Bila berulang, hubungi "
              "admin SPEKTRA dengan menyebut alamat halaman dan waktunya.")


def write_template(jupyter_dir: Path) -> Path:
    """Copy the Voilà template into a JUPYTER_PATH entry and add the local bundles: charts
    (vega) and tables (itables' DataTables), each a file the browser caches."""
    from ..present.charts import write_chart_bundle
    target = Path(jupyter_dir) / "voila" / "templates" / TEMPLATE
    shutil.copytree(TEMPLATE_SRC, target, dirs_exist_ok=True)
    write_chart_bundle(target / "static" / "grafik.js")
    write_table_bundle(target / "static")
    # JupyterLab's stylesheet for the drawn snapshots (snapshot.py): one cached file, as
    # the static site's assets/lab.css, not ~260 KB inline in every page.
    from ..render.pages import write_lab_css
    write_lab_css(target / "static" / "lab.css")
    return target


def write_table_bundle(static: Path) -> None:
    """itables' DataTables module and css, and tabel.js, which loads the module as the
    promise itables' offline tables await (what init_notebook_mode would otherwise put,
    ~1 MB base64, into every page)."""
    from itables import __version__ as version
    from itables import options
    bundle = Path(options.dt_bundle)
    shutil.copyfile(bundle, static / "dt_bundle.js")
    shutil.copyfile(bundle.with_suffix(".css"), static / "dt_bundle.css")
    name = "_itables_" + version.replace(".", "_").replace("-", "_")
    (static / "tabel.js").write_text(TABLE_LOADER % {
        "name": json.dumps(name), "event": json.dumps(f"itables-{version}-ready")},
        encoding="utf-8")


TABLE_LOADER = """// SPEKTRA: itables' tables await window[name], the DataTables module (local file).
(function () {
  var name = %(name)s, ready = %(event)s;
  if (window[name]) return;
  window[name] = import(new URL("dt_bundle.js", document.currentScript.src).href);
  window[name].then(function () { window.dispatchEvent(new Event(ready)); });
})();
"""


def voila_config(port: int, pools: dict[str, int] | None = None,
                 settings: Settings | None = None) -> dict:
    """voila.json: what `spektra serve` promises (loopback, preheat, header, no tracebacks,
    idle kernels culled).

    pools: preheated kernels per notebook file name ("default" for the rest); by default
    the configured SPEKTRA_SERVE_POOL (settings.py).
    """
    settings = settings or from_env()
    pools = dict(settings.pool) if pools is None else pools
    return {
        "Voila": {"ip": "127.0.0.1", "port": port, "open_browser": False},
        "VoilaConfiguration": {
            "preheat_kernel": True,
            "http_header_envs": [HEADER, ACCESS_HEADER, ADDRESS_HEADER],
            "show_tracebacks": False,
            "template": TEMPLATE,
            "theme": "light",
            # Code cells are hidden: syntax colours are JavaScript each page loads for nothing.
            "extension_denylist": ["jupyterlab_pygments"],
            "multi_kernel_manager_class": "spektra_lib.serve.live.SpektraKernelManager",
        },
        # A kernel no page is connected to (a bot, a closed tab) goes after cull_detik; one
        # with a page open after sesi_detik of idleness. Preheated kernels are never culled.
        "MappingKernelManager": {
            "cull_idle_timeout": settings.cull_detik,
            "cull_interval": settings.cull_interval,
            "cull_connected": False,
        },
        "SpektraKernelManager": {"cull_connected_timeout": settings.sesi_detik},
        "VoilaKernelManager": {
            "kernel_pools_config": {name: {"pool_size": int(n)} for name, n in pools.items()},
            "fill_delay": 0.5,
        },
        "VoilaExecutor": {"cell_error_instruction": ERROR_TEXT},
    }


def voila_env(run_dir: Path, store: Path | None, *, login: dict[str, str] | None = None
              ) -> dict[str, str]:
    """The environment Voilà and every kernel it starts inherit.

    login (with `--login`): the socket path, the per-run key and the htpasswd the backend
    checks passwords against (backend.py)."""
    env = dict(os.environ)
    for name in (backend.KEY_ENV, backend.SOCKET_ENV, backend.HTPASSWD_ENV,
                 backend.LOGIN_ENV, backend.WORKER_ENV, backend.SETTINGS_ENV):
        env.pop(name, None)
    env.update(login or {})
    # An identity must come from the proxy header only; never from the server's own env.
    env.pop(env_name("user"), None)
    env.pop(HEADER_ENV, None)
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(Path(run_dir) / "jupyter")] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    env[env_name("grafik")] = "halaman"
    # An absolute store path: the kernels run with the notebooks folder as cwd.
    env[env_name("store")] = str(Path(store if store is not None else declared(env).store).resolve())
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_voila(run_dir: Path, port: int, *, store: Path | None = None,
                pools: dict[str, int] | None = None, notebooks: Path | None = None,
                settings: Settings | None = None, login: dict[str, str] | None = None,
                log=None) -> subprocess.Popen:
    """SPEKTRA's Voilà (backend.py) over the notebooks: on 127.0.0.1:port, or with
    login on the Unix socket login[SOCKET_ENV] behind the proxy's key."""
    run_dir = Path(run_dir)
    write_template(run_dir / "jupyter")
    (run_dir / "voila.json").write_text(json.dumps(voila_config(port, pools, settings), indent=2),
                                        encoding="utf-8")
    notebooks = Path(notebooks or NOTEBOOK_DIR).resolve()
    cmd = [sys.executable, "-m", "spektra_lib.serve.backend", str(notebooks), "--no-browser",
           f"--Voila.config_file_paths={run_dir}"]
    env = voila_env(run_dir, store, login=login)
    env[backend.SETTINGS_ENV] = backend.to_env(settings or from_env())
    return subprocess.Popen(cmd, cwd=notebooks, env=env,
                            stdout=log, stderr=log, start_new_session=True)
