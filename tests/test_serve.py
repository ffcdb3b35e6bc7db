"""The real stack on 127.0.0.1: nginx (basic auth) → Voilà (preheated) → notebook kernels.

The notebooks are copies of the shipped dashboard and monitoring_spp with one cell put in
front that prints who the kernel thinks is looking (`current_access()`), so the test sees
the identity travel from the password through the proxy header into the kernel.
"""
from __future__ import annotations

import json
import re
import shutil

import httpx
import pytest

from spektra_lib.serve import free_port, running

pytestmark = pytest.mark.slow

ROOT_NB = __import__("pathlib").Path(__file__).resolve().parents[1] / "notebooks"
SANDI = "sandi-uji-serve"
WHO = ("from spektra_lib.access import current_access\n"
       "_a = current_access()\n"
       "print('PENGGUNA', _a.role, _a.satker)")


def _copy_with_identity(src, dst):
    nb = json.loads(src.read_text(encoding="utf-8"))
    nb["cells"].insert(0, {"cell_type": "code", "metadata": {}, "execution_count": None,
                           "outputs": [], "source": WHO})
    dst.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def stack(demo_store_path, tmp_path_factory):
    nbdir = tmp_path_factory.mktemp("notebooks")
    for name in ("dashboard", "monitoring_spp"):
        _copy_with_identity(ROOT_NB / f"{name}.ipynb", nbdir / f"{name}.ipynb")
    shutil.copy(ROOT_NB / "deviasi_detail.ipynb", nbdir)
    mp = pytest.MonkeyPatch()
    mp.setenv("SPEKTRA_SANDI", SANDI)
    mp.delenv("SPEKTRA_HTPASSWD", raising=False)
    try:
        with running(free_port(), login=True, store=demo_store_path, host="127.0.0.1",
                     pools={"default": 0, "dashboard.ipynb": 1}, notebooks=nbdir,
                     announce=lambda s: None, timeout=90) as s:
            yield s
    finally:
        mp.undo()


def _get(stack, path, **kw):
    return httpx.get(stack.url + path, timeout=120, **kw)


def _kernels_started(stack) -> int:
    return stack.log().count("Kernel started")


def test_publik_opens_the_dashboard_as_publik(stack):
    r = _get(stack, "/voila/render/dashboard.ipynb")
    assert r.status_code == 200
    assert "PENGGUNA publik None" in r.text
    # Under Voilà the page is live: its title and charts are widget views drawn by the kernel.
    assert "application/vnd.jupyter.widget-view+json" in r.text
    # Every asset local: no script or stylesheet from another host.
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', r.text)
    assert "cdn.jsdelivr" not in r.text and "mermaid.esm" not in r.text
    assert "/voila/templates/spektra-voila/static/grafik.js" in r.text
    assert _get(stack, "/voila/templates/spektra-voila/static/grafik.js").status_code == 200
    # The tables' DataTables module is a cached file too, not ~1 MB inline in every page,
    # and tabel.js names it as itables' offline tables await it.
    from itables.javascript import _itables_ready_event, _itables_underscore_version
    assert "injectModule" not in r.text and len(r.text) < 200_000
    loader = _get(stack, "/voila/templates/spektra-voila/static/tabel.js").text
    assert f'"{_itables_underscore_version()}"' in loader
    assert f'"{_itables_ready_event()}"' in loader
    for name in ("dt_bundle.js", "dt_bundle.css"):
        assert _get(stack, f"/voila/templates/spektra-voila/static/{name}").status_code == 200


def test_forged_header_does_not_make_publik_an_admin(stack):
    r = _get(stack, "/voila/render/dashboard.ipynb", headers={"X-Forwarded-User": "admin"})
    assert r.status_code == 200 and "PENGGUNA publik None" in r.text
    r = _get(stack, "/voila/render/deviasi_detail.ipynb", headers={"X-Forwarded-User": "admin"})
    assert r.status_code == 403


def test_publik_is_refused_a_report_before_a_kernel_starts(stack):
    before = _kernels_started(stack)
    r = _get(stack, "/voila/render/deviasi_detail.ipynb")
    assert r.status_code == 403
    assert "Akses ditolak" in r.text and "hanya dapat melihat" in r.text
    for sneaky in ("/voila/render/dashboard.ipynb/../deviasi_detail.ipynb",
                   "/voila/render//deviasi_detail.ipynb",
                   "/voila/render/%64eviasi_detail.ipynb"):
        assert _get(stack, sneaky).status_code in (403, 404), sneaky
    assert _get(stack, "/voila/render/tidak_ada.ipynb").status_code == 404
    assert _kernels_started(stack) == before           # no kernel pool for it: none began


def test_notebook_list_is_refused_to_publik(stack):
    for path in ("/voila/tree", "/voila/tree/", "/voila/tree/deviasi_detail.ipynb"):
        assert _get(stack, path).status_code == 403, path
        assert _get(stack, path, headers={"X-Forwarded-User": "admin"}).status_code == 403
    assert _get(stack, "/voila/tree", auth=("kanreg4", SANDI)).status_code == 200
    assert _get(stack, "/voila/tree", auth=("kanreg4", "salah")).status_code == 401


def test_kanreg_user_opens_a_report_as_itself(stack):
    r = _get(stack, "/voila/render/monitoring_spp.ipynb", auth=("kanreg4", SANDI))
    assert r.status_code == 200
    assert "PENGGUNA user 017234" in r.text


def test_wrong_password_is_401_and_login_page_asks(stack):
    r = _get(stack, "/voila/render/monitoring_spp.ipynb", auth=("kanreg4", "salah"))
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Basic")
    assert "tidak cocok" in r.text
    assert _get(stack, "/voila/render/dashboard.ipynb", auth=("kanreg4", "salah")).status_code == 401
    assert _get(stack, "/masuk").status_code == 401
    ok = _get(stack, "/masuk", auth=("pimpinan", SANDI))
    assert ok.status_code == 200 and "monitoring_spp" in ok.text


def test_voila_listens_on_loopback_only(stack):
    cfg = json.loads((stack.run_dir / "voila.json").read_text())
    assert cfg["Voila"]["ip"] == "127.0.0.1"
    assert cfg["VoilaConfiguration"]["preheat_kernel"] is True
    assert cfg["VoilaConfiguration"]["show_tracebacks"] is False
    assert cfg["VoilaConfiguration"]["http_header_envs"] == ["X-Forwarded-User"]
