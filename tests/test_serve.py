"""The real stack on 127.0.0.1: nginx → SPEKTRA's Voilà on a Unix socket → kernels.

The notebooks are copies of the shipped dashboard and monitoring_spp with one cell put in
front that prints who the kernel thinks is looking (`current_access()`), so the test sees
the identity travel from the login through the backend into the kernel.
"""
from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from spektra_lib.serve import free_port, running
from spektra_lib.serve.settings import Settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ROOT_NB = ROOT / "notebooks"
SANDI = "sandi-uji-serve"
WHO = ("import hashlib, os\n"
       "from spektra_lib.access import current_access\n"
       "_a = current_access()\n"
       "print('PENGGUNA', _a.role, _a.satker)\n"
       "_k = os.environ.get('SPEKTRA_SERVE_KUNCI', '')\n"
       "print('KUNCI', hashlib.sha256(_k.encode()).hexdigest()[:12] if _k else '-',\n"
       "      'HTPASSWD', 'SPEKTRA_SERVE_HTPASSWD_RUN' in os.environ)")


def _copy_with_identity(src, dst):
    nb = json.loads(src.read_text(encoding="utf-8"))
    nb["cells"].insert(0, {"cell_type": "code", "metadata": {}, "execution_count": None,
                           "outputs": [], "source": WHO})
    dst.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def nbdir(tmp_path_factory):
    nbdir = tmp_path_factory.mktemp("notebooks")
    for name in ("dashboard", "monitoring_spp"):
        _copy_with_identity(ROOT_NB / f"{name}.ipynb", nbdir / f"{name}.ipynb")
    shutil.copy(ROOT_NB / "deviasi_detail.ipynb", nbdir)
    return nbdir


@pytest.fixture(scope="module")
def stack(demo_store_path, nbdir):
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


def _login(stack, user, password=SANDI, kembali="/", address=None) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address) if address else None
    c = httpx.Client(base_url=stack.url, timeout=120, transport=transport)
    r = c.post("/masuk", data={"nama": user, "sandi": password, "kembali": kembali,
                               "csrf": _csrf(c, kembali)})
    assert r.status_code == 303, r.text
    return c


def _sha(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def test_publik_opens_the_dashboard_as_publik(stack, demo_store_path, nbdir):
    r = _get(stack, "/voila/render/dashboard.ipynb")
    assert r.status_code == 200
    assert "PENGGUNA publik None" in r.text
    # A drawn snapshot: the charts are in the page, no kernel runs for this visitor; the
    # header bar (Publik, Masuk back here), the choices, Unduh and Posisi data around it.
    assert "vegaEmbed" in r.text and "widget-view+json" not in r.text
    assert 'class="spektra-bar"' in r.text and 'class="masuk"' in r.text
    assert 'class="spektra-kontrol"' in r.text and 'class="spektra-bulan"' in r.text
    assert "Posisi data:" in r.text and "/unduh/dashboard.pdf?" in r.text
    # The drawing kernel holds nothing of the server's: no key, no password file.
    assert "KUNCI - HTPASSWD False" in r.text
    # Every asset local: no script or stylesheet from another host.
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', r.text)
    assert "cdn.jsdelivr" not in r.text and "mermaid.esm" not in r.text
    assert "/voila/templates/spektra-voila/static/grafik.js" in r.text
    assert "/voila/templates/spektra-voila/static/lab.css" in r.text and len(r.text) < 200_000
    assert _get(stack, "/voila/templates/spektra-voila/static/grafik.js").status_code == 200
    for name in ("lab.css", "potret.js", "potret.css"):
        assert _get(stack, f"/voila/templates/spektra-voila/static/{name}").status_code == 200
    # The same page with live controls: a Voilà kernel (?interaktif=1), for a role that
    # may have one (not Publik: issue 26).
    r = _get(stack, "/voila/render/dashboard.ipynb?interaktif=1", auth=("pimpinan", SANDI))
    assert r.status_code == 200 and "PENGGUNA super_user None" in r.text
    assert "application/vnd.jupyter.widget-view+json" in r.text
    assert "/voila/templates/spektra-voila/static/bar.js" in r.text      # header bar
    # Its kernel holds the kernels' own key (it opens /voila/query only), not the run key.
    shown = re.search(r"KUNCI (\S+) HTPASSWD (\w+)", r.text)
    assert shown and shown.group(1) not in ("-", _sha(stack.key)) and shown.group(2) == "False"
    # The tables' DataTables module is a cached file too, not ~1 MB inline in every page,
    # and tabel.js names it as itables' offline tables await it.
    from itables.javascript import _itables_ready_event, _itables_underscore_version
    assert "injectModule" not in r.text and len(r.text) < 200_000
    loader = _get(stack, "/voila/templates/spektra-voila/static/tabel.js").text
    assert f'"{_itables_underscore_version()}"' in loader
    assert f'"{_itables_ready_event()}"' in loader
    for name in ("dt_bundle.js", "dt_bundle.css", "bar.js", "bar.css"):
        assert _get(stack, f"/voila/templates/spektra-voila/static/{name}").status_code == 200
    # No server path in what is served: not the store, the notebooks, the run folder.
    for secret in (str(Path(demo_store_path).resolve().parent), str(nbdir), str(stack.run_dir),
                   str(ROOT)):
        assert secret not in r.text, secret


def test_forged_header_through_the_proxy_is_ignored(stack):
    r = _get(stack, "/voila/render/dashboard.ipynb", headers={"X-Forwarded-User": "admin"})
    assert r.status_code == 200 and "PENGGUNA publik None" in r.text
    r = _get(stack, "/voila/render/monitoring_spp.ipynb", headers={"X-Forwarded-User": "admin"})
    assert r.status_code == 302 and r.headers["location"].startswith("/masuk?kembali=")
    me = _get(stack, "/_spektra/saya", headers={"X-Forwarded-User": "admin"}).json()
    assert me["nama"] is None and me["peran"] == "publik"


def test_forged_header_straight_to_the_backend_gets_nothing(stack):
    before = _kernels_started(stack)
    # Voilà has no TCP port: a Unix socket only its owner (and nginx's workers) may open.
    mode = stat.S_IMODE(stack.socket.stat().st_mode)
    assert mode & 0o077 == 0, oct(mode)
    port = json.loads((stack.run_dir / "voila.json").read_text())["Voila"]["port"]
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    # On the socket, without the proxy's per-run key, every path answers an empty 403;
    # the kernels' key (what a kernel's environment holds) opens nothing but /voila/query.
    from spektra_lib.serve.session import kernel_key
    for key in ("", "tebakan", kernel_key(stack.key)):
        with stack.backend(key=key, timeout=30) as c:
            for path in ("/voila/render/monitoring_spp.ipynb", "/voila/render/dashboard.ipynb",
                         "/voila/api/contents", "/_spektra/status", "/"):
                r = c.get(path, headers={"X-Forwarded-User": "admin"})
                assert r.status_code == 403 and r.text == "", path
    assert _kernels_started(stack) == before


def test_publik_is_asked_to_log_in_before_a_kernel_starts(stack):
    before = _kernels_started(stack)
    r = _get(stack, "/voila/render/deviasi_detail.ipynb?satker=017234&bulan=3")
    assert r.status_code == 302
    assert r.headers["location"] == ("/masuk?kembali=%2Fvoila%2Frender%2Fdeviasi_detail.ipynb"
                                     "%3Fsatker%3D017234%26bulan%3D3")
    form = _get(stack, r.headers["location"])
    assert form.status_code == 200 and "Masuk ke SPEKTRA" in form.text
    assert 'name="kembali" value="/voila/render/deviasi_detail.ipynb?satker=017234&amp;bulan=3"' \
        in form.text
    for sneaky in ("/voila/render/dashboard.ipynb/../deviasi_detail.ipynb",
                   "/voila/render//deviasi_detail.ipynb",
                   "/voila/render/%64eviasi_detail.ipynb"):
        assert _get(stack, sneaky).status_code in (302, 404), sneaky
    assert _get(stack, "/voila/render/tidak_ada.ipynb").status_code == 404
    assert _kernels_started(stack) == before           # no kernel began for any of them


def test_nothing_but_pages_for_publik(stack):
    for path in ("/voila/api/contents", "/voila/api/contents/dashboard.ipynb",
                 "/files/dashboard.ipynb", "/voila/files/dashboard.ipynb",
                 "/voila/query/00000000-0000-0000-0000-000000000000", "/_spektra/status",
                 "/api/contents", "/api/kernels", "/login"):
        r = _get(stack, path)
        assert r.status_code == 404, path
        assert "Halaman tidak ditemukan" in r.text and "ipynb" not in r.text
    # The notebook list is the landing page now, never a file listing.
    r = _get(stack, "/voila/tree")
    assert r.status_code == 302 and r.headers["location"] == "/"


def _csrf(c, kembali="/"):
    page = c.get("/masuk", params={"kembali": kembali})
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_login_returns_to_the_page_asked_and_logout_ends_it(stack):
    kembali = "/voila/render/monitoring_spp.ipynb"
    c = httpx.Client(base_url=stack.url, timeout=120)
    bad = c.post("/masuk", data={"nama": "kanreg4", "sandi": "salah", "kembali": kembali,
                                 "csrf": _csrf(c, kembali)})
    assert bad.status_code == 401 and "Nama pengguna atau sandi salah" in bad.text
    ok = c.post("/masuk", data={"nama": "kanreg4", "sandi": SANDI, "kembali": kembali,
                                "csrf": _csrf(c, kembali)})
    assert ok.status_code == 303 and ok.headers["location"] == kembali
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and SANDI not in cookie
    page = c.get(kembali)
    assert page.status_code == 200 and "PENGGUNA user 017234" in page.text
    me = c.get("/_spektra/saya").json()
    assert (me["nama"], me["peran_nama"]) == ("Operator Kanreg IV Makassar", "User")
    # issue 27.8: the Voilà pages' module menu, what this user may open
    menu = {g["judul"]: [h["nama"] for h in g["halaman"]] for g in me["menu"]}
    assert "monitoring_spp" in menu["Modul Keuangan"] and "dashboard" in menu["Dashboard"]
    home = c.get("/")
    assert "Operator Kanreg IV Makassar" in home.text and "Keluar" in home.text
    ask = c.get("/keluar")
    token = re.search(r'name="csrf" value="([^"]+)"', ask.text).group(1)
    assert c.post("/keluar", data={"csrf": token}).status_code == 303
    assert c.get(kembali).status_code == 302                        # Publik again
    assert c.get("/_spektra/saya").json()["peran"] == "publik"
    # Another site as the return address is refused: back to the landing page.
    evil = c.post("/masuk", data={"nama": "kanreg4", "sandi": SANDI,
                                  "kembali": "https://contoh.id/", "csrf": _csrf(c)})
    assert evil.headers["location"] == "/"


def test_a_password_works_for_scripts_too(stack):
    r = _get(stack, "/voila/render/monitoring_spp.ipynb", auth=("kanreg4", SANDI))
    assert r.status_code == 200 and "PENGGUNA user 017234" in r.text
    r = _get(stack, "/voila/render/monitoring_spp.ipynb", auth=("kanreg4", "salah"))
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
    assert "salah" in r.text


def test_landing_menu_per_role_with_indonesian_titles(stack):
    publik = _get(stack, "/")
    assert publik.status_code == 200
    text = re.sub(r"<[^>]+>", " ", publik.text)
    assert "Dashboard Realisasi Anggaran" in text and "Masuk" in text and "Publik" in text
    assert "Modul Perencanaan" not in text and "Modul Keuangan" not in text
    c = _login(stack, "pimpinan")
    body = c.get("/").text
    text = re.sub(r"<[^>]+>", " ", body)
    for words in ("Dashboard", "Modul Perencanaan", "Deviasi Rencana dan Realisasi Detail",
                  "Modul Keuangan", "Monitoring SPP / SPM / SP2D",
                  "Kepala Biro Keuangan", "(Super User)", "Keluar"):
        assert words in text, words
    assert text.count("(Super User)") == 1          # issue 27.8: it read twice
    assert "monitoring_spp" not in text and "deviasi_detail" not in text    # no file names
    assert 'href="/voila/render/monitoring_spp.ipynb"' in body
    # Only notebooks that exist are listed (this server has three).
    assert "Realisasi POK" not in text


def test_periksa_says_the_running_service_is_healthy(stack):
    from spektra_lib.serve.periksa import periksa
    lines: list[str] = []
    port = int(stack.url.rsplit(":", 1)[1])
    assert periksa(port, out=lines.append) == 0, lines
    text = "\n".join(lines)
    assert "backend Voilà menjawab lewat proxy dengan kunci run" in text
    assert "store terbaca: data terakhir Desember 2022; Posisi data 30 Desember 2022" in text
    assert "dashboard tergambar" in text and lines[-1] == "Sehat." and "GAGAL" not in text
    # The backend's figures reach this machine only through the proxy, never a browser's
    # page: nginx adds the key (a direct request without it gets nothing, tested above).
    assert _get(stack, "/_spektra/status").status_code == 404
    # Nothing listening: said in one line, non-zero, no traceback.
    done = subprocess.run([sys.executable, "-m", "spektra_lib.cli", "serve", "--periksa",
                           "--port", str(free_port())], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "tidak ada yang menjawab" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr and "Tidak sehat." in done.stdout


def test_voila_config(stack):
    cfg = json.loads((stack.run_dir / "voila.json").read_text())
    assert cfg["Voila"]["ip"] == "127.0.0.1"
    assert cfg["VoilaConfiguration"]["preheat_kernel"] is True
    assert cfg["VoilaConfiguration"]["show_tracebacks"] is False
    assert cfg["VoilaConfiguration"]["http_header_envs"] == ["X-Forwarded-User", "X-Spektra-Akses",
                                                             "X-Spektra-Alamat"]
    cull = cfg["MappingKernelManager"]
    assert cull["cull_idle_timeout"] > 0 and cull["cull_connected"] is False
    assert cfg["VoilaKernelManager"]["kernel_pools_config"]["dashboard.ipynb"] == {"pool_size": 1}


# -- bounded resources ------------------------------------------------------------------
@pytest.fixture(scope="module")
def small(demo_store_path, nbdir):
    """A server allowed 3 kernels (1 preheated), culling after 10 s idle, 6 pages a minute."""
    settings = Settings(maks_kernel=3, pool={"dashboard.ipynb": 1, "default": 0},
                        cull_detik=10, cull_interval=2, batas_publik="6r/m", burst_publik=3,
                        potret_awal=False)
    mp = pytest.MonkeyPatch()
    mp.setenv("SPEKTRA_SANDI", SANDI)
    mp.delenv("SPEKTRA_HTPASSWD", raising=False)
    try:
        with running(free_port(), login=True, store=demo_store_path, host="127.0.0.1",
                     notebooks=nbdir, settings=settings, announce=lambda s: None,
                     timeout=90) as s:
            yield s
    finally:
        mp.undo()


def _wait_kernels(stack, want, timeout=60):
    """Until `want` kernels are alive in all (Voilà's and the page drawer's)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = stack.status()
        if st["kernel"] == want:
            return st
        time.sleep(1)
    raise AssertionError(f"kernel {stack.status()} != {want}")


def test_kernel_ceiling_refuses_politely_and_idle_kernels_are_culled(small):
    # The preheated one (the page drawer, not started here, has its place kept).
    _wait_kernels(small, 1)
    # Six pages at once from six addresses and four logins: neither the rate limit nor the
    # live quotas per user (2) and per address (3) are in play, only the ceiling.
    logins = ["admin", "pimpinan", "kanreg4", "biro_keuangan", "admin", "pimpinan"]
    clients = [_login(small, u, address=f"127.0.0.{40 + i}") for i, u in enumerate(logins)]
    peak = []

    def watch():
        while not done:
            peak.append(small.status()["kernel"])
            time.sleep(0.2)
    done = False
    with concurrent.futures.ThreadPoolExecutor(7) as ex:
        w = ex.submit(watch)
        rs = list(ex.map(lambda c: c.get("/voila/render/dashboard.ipynb?interaktif=1"),
                         clients))
        done = True
        w.result()
    codes = sorted(r.status_code for r in rs)
    assert codes.count(200) >= 1 and 503 in codes, codes
    full = next(r for r in rs if r.status_code == 503)
    assert "Server sedang penuh, coba lagi sebentar lagi" in full.text
    assert full.headers["retry-after"] == "30"
    assert max(peak) <= 3, peak
    # Nobody connects to those kernels: after the idle timeout only the pool is left.
    _wait_kernels(small, 1, timeout=60)
    assert small.status()["ditolak_penuh"] >= 1


def test_anonymous_requests_are_rate_limited(small):
    codes = [httpx.get(small.url + "/voila/render/tidak_ada.ipynb", timeout=30).status_code
             for _ in range(8)]
    assert 429 in codes, codes
    r = httpx.get(small.url + "/voila/render/tidak_ada.ipynb", timeout=30)
    assert r.status_code == 429 and "Terlalu banyak permintaan" in r.text
    # Made-up session cookies do not leave the anonymous limit (nginx checks the signed
    # limit cookie itself); a real login does: its own limit, 4x, per login.
    fake = {"spektra_sesi": "YWRtaW4.9999999999.00", "spektra_batas": "A" * 22 + ".9999999999.AAAAAAAAAAAA"}
    r = httpx.get(small.url + "/voila/render/tidak_ada.ipynb", cookies=fake, timeout=30)
    assert r.status_code == 429
    c = _login(small, "pimpinan")
    codes = [c.get("/voila/render/tidak_ada.ipynb").status_code for _ in range(8)]
    assert codes == [404] * 8, codes


# -- lifecycle --------------------------------------------------------------------------
def _descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                kids.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.add(k)
            todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_stops_everything_and_removes_the_run_folder(demo_store_path):
    # nginx workers (nobody, when root) must traverse TMPDIR: pytest's tmp_path is private.
    tmp = Path(tempfile.mkdtemp(prefix="spektra-uji-", dir="/tmp"))
    tmp.chmod(0o755)
    env = {**os.environ, "TMPDIR": str(tmp), "SPEKTRA_SANDI": SANDI,
           "SPEKTRA_SERVE_HOST": "127.0.0.1", "SPEKTRA_SERVE_POOL": "dashboard=1,default=0"}
    env.pop("SPEKTRA_HTPASSWD", None)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "spektra_lib.cli", "serve", "--login",
                             "--port", str(port), "--store", str(demo_store_path)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT)
    try:
        line = ""
        deadline = time.monotonic() + 120
        while "SPEKTRA siap" not in line and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "spektra serve berhenti"
        assert "SPEKTRA siap" in line
        r = httpx.get(f"http://127.0.0.1:{port}/voila/render/dashboard.ipynb", timeout=120)
        assert r.status_code == 200
        ours = _descendants(proc.pid)
        assert len(ours) >= 4                       # voilà, kernels, nginx master + worker
        assert [p.name for p in tmp.iterdir() if p.name.startswith("spektra-serve-")]
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0 and "SPEKTRA dihentikan" in out
    finally:
        if proc.poll() is None:             # a failed assertion: still leave nothing behind
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
    time.sleep(1)
    assert not [p for p in ours if _alive(p)]
    assert not [p.name for p in tmp.iterdir() if p.name.startswith("spektra-serve-")]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/", timeout=3)
    shutil.rmtree(tmp)


def test_a_failed_start_keeps_its_logs_where_the_message_says(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    bad = tmp_path / "bukan-notebook"
    bad.mkdir()
    (bad / "dashboard.ipynb").write_text("{ini bukan json")
    monkeypatch.setenv("SPEKTRA_SANDI", SANDI)
    with pytest.raises(RuntimeError) as err:
        with running(free_port(), login=True, host="127.0.0.1", notebooks=bad,
                     pools={"dashboard.ipynb": 0}, settings=Settings(maks_kernel=2),
                     announce=lambda s: None, timeout=1):
            pass
    kept = Path(re.search(r"Log disimpan di (\S+)\.", str(err.value)).group(1))
    assert kept.is_dir() and (kept / "voila.log").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("spektra-serve-")
                and "log" not in p.name]
