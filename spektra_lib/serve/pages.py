"""The app's own pages around the Voilà reports: the header bar, the landing menu, the
login and logout forms, the refusals (and /admin's, admin_pages.py). Bahasa Indonesia, no
outside asset, from Jinja templates in serve/templates/halaman/ (autoescaped: every value
from data or a request is escaped there)."""
from __future__ import annotations

import html
from functools import lru_cache
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

RENDER = "/voila/render/"
from ..store import Access  # noqa: E402  (a role's powers: asked, never compared)
from ..users import peran_nama  # noqa: E402  (the roles' names shown: akses.yaml)

# Menu groups: the catalog's modules (`modul`), headed as in the seed application's
# "Daftar Modul"; the analysts' notebook (Analis) is for JupyterLab, not the app's menu.
GROUPS = {"Dashboard": "Dashboard", "Perencanaan": "Modul Perencanaan",
          "Keuangan": "Modul Keuangan", "Capaian & IKPA": "Capaian Output dan IKPA"}

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#f6f7f9}
.spektra-bar{display:flex;align-items:center;gap:1.2em;background:#0b3d6b;color:#fff;
  padding:.55em 1.2em;font-size:15px}
.spektra-bar a{color:#fff;text-decoration:none}.spektra-bar .merek{font-weight:700;letter-spacing:.05em}
.spektra-bar .kanan{margin-left:auto;display:flex;gap:1em;align-items:center}
.spektra-bar .peran{opacity:.8}
main{max-width:52em;margin:2em auto;background:#fff;padding:1.5em 2em;border-radius:6px}
h1{font-size:1.5em;margin-top:0}h2{font-size:1.1em;margin-bottom:.3em;color:#0b3d6b}
ul{margin-top:.2em}li{margin:.25em 0}a{color:#0b5394}
form label{display:block;margin:.7em 0 .2em}input[type=text],input[type=password]{width:18em;padding:.35em}
button{margin-top:1em;padding:.4em 1.4em}.pesan{color:#a40000}
main.lebar{max-width:72em}table.daftar{border-collapse:collapse;width:100%;font-size:14px}
table.daftar th,table.daftar td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left}
table.daftar th{background:#eef2f6}.nonaktif{color:#888}
form.baris{display:inline}form.baris button{margin:0;padding:.15em .6em}
.catatan{color:#555;font-size:.9em}pre.periksa{background:#f3f3f3;padding:.8em;overflow:auto;
  white-space:pre-wrap;font-size:13px}
"""


def menu_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(page, title), …]) in the catalog's module order."""
    from ..reports import catalog
    return [(GROUPS[m], [(n, h.judul) for n, h in catalog.HALAMAN.items() if h.modul == m])
            for m in catalog.MODUL if m in GROUPS]


@lru_cache(maxsize=1)
def env() -> Environment:
    """The server pages' Jinja environment (its own package folder, autoescaped)."""
    return Environment(loader=PackageLoader("spektra_lib.serve", "templates/halaman"),
                       autoescape=select_autoescape(["html", "j2"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


def _masuk_href(login_url: str, kembali: str) -> str:
    if "{kembali}" in login_url:
        return login_url.replace("{kembali}", quote(kembali, safe=""))
    return f"{login_url}?kembali={quote(kembali, safe='')}"


def _context(nama, role, kembali, login_url, admin=None) -> dict:
    return {"nama": nama, "peran_nama": peran_nama(role), "style": Markup(STYLE),
            "masuk_href": _masuk_href(login_url, kembali) if login_url else "",
            "admin": Access(role).mengelola if admin is None else admin, "kembali": kembali}


def render(template: str, *, nama=None, role="publik", kembali="/", login_url="/masuk",
           **values) -> str:
    return env().get_template(template).render(
        **_context(nama, role, kembali, login_url), **values)


def paragraf(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def bar(nama: str | None, role: str, kembali: str = "/", login_url: str = "/masuk") -> str:
    """The header of every page: SPEKTRA, Beranda, who is looking, Masuk / Keluar (a page
    asking to confirm: logging out is a POST with the session's CSRF token)."""
    return render("bar.html.j2", nama=nama, role=role, kembali=kembali,
                  login_url=login_url)


def page(judul: str, isi: str, *, nama: str | None = None, role: str = "publik",
         kembali: str = "/", login_url: str = "/masuk", lebar: bool = False) -> str:
    """A page around ready HTML (`isi` is trusted: built here with every value escaped)."""
    return render("dasar.html.j2", judul=judul, isi=Markup(isi), nama=nama, role=role,
                  kembali=kembali, login_url=login_url, lebar=lebar)


def pesan(judul: str, paragraf: list[str], tautan=(), *, penting=False, **who) -> str:
    """A page of plain text paragraphs (escaped) and links."""
    return render("pesan.html.j2", judul=judul, paragraf=paragraf, tautan=list(tautan),
                  penting=penting, **who)


def menu(allowed: set[str]) -> str:
    """The landing menu's groups as HTML (only what the role may open)."""
    tpl = env().from_string('{% for judul_grup, tautan in grup %}<section class="menu">'
                            '<h2>{{ judul_grup }}</h2><ul>{% for nb, j in tautan %}<li>'
                            '<a href="{{ render }}{{ nb }}.ipynb">{{ j }}</a></li>{% endfor %}'
                            '</ul></section>{% endfor %}')
    return tpl.render(grup=_groups(allowed), render=RENDER)


def _groups(allowed: set[str]):
    out = []
    for group, items in menu_groups():
        links = [(nb, judul) for nb, judul in items if nb in allowed]
        if links:
            out.append((group, links))
    return out


def beranda(allowed: set[str], *, nama, role, login_url="/masuk") -> str:
    return render("beranda.html.j2", judul="SPEKTRA — Sistem Perencanaan Anggaran dan "
                  "Keuangan Terintegrasi", grup=_groups(allowed), render=RENDER, nama=nama,
                  role=role, login_url=login_url)


def masuk(kembali: str, pesan: str = "", csrf: str = "") -> str:
    return render("masuk.html.j2", judul="Masuk ke SPEKTRA", kembali=kembali, pesan=pesan,
                  csrf=csrf, login_url="")


def keluar(nama: str, role: str, csrf: str) -> str:
    return render("keluar.html.j2", judul="Keluar dari SPEKTRA", nama=nama, role=role,
                  csrf=csrf)


def ditolak(nama, role, login_url="/masuk") -> str:
    return pesan("Akses ditolak",
                 ["Anda tidak berhak membuka halaman ini. Pengguna tanpa login (Publik) hanya "
                  "dapat melihat Dashboard."],
                 [("/voila/render/dashboard.ipynb", "Dashboard"),
                  ("/", "Daftar laporan yang dapat Anda buka")],
                 nama=nama, role=role, login_url=login_url)


def perlu_login(nama=None, role="publik") -> str:
    return pesan("Perlu masuk",
                 ["Halaman ini memerlukan login, dan server ini dijalankan tanpa login "
                  "(spektra serve --login untuk mengaktifkannya)."],
                 [("/voila/render/dashboard.ipynb", "Buka Dashboard")], nama=nama, role=role)


def penuh(nama=None, role="publik", alasan: str = "") -> str:
    return pesan("Server sedang penuh, coba lagi sebentar lagi",
                 [alasan or "Terlalu banyak halaman sedang dibuka bersamaan. Halaman yang "
                  "ditinggalkan dibersihkan otomatis; muat ulang halaman ini dalam satu menit."],
                 [("", "Coba lagi")], nama=nama, role=role)


def tidak_ada(nama=None, role="publik") -> str:
    return pesan("Halaman tidak ditemukan", ["Alamat ini tidak ada."],
                 [("/", "Kembali ke Beranda")], nama=nama, role=role)


def terlalu_sering(detik: float, nama=None, role="publik", kembali="/masuk") -> str:
    from ..users import waktu_tunggu
    return pesan("Terlalu banyak percobaan masuk",
                 [f"Terlalu banyak sandi yang salah untuk nama pengguna ini atau dari alamat "
                  f"Anda. Coba lagi dalam {waktu_tunggu(detik)}.",
                  "Bila Anda lupa sandi, hubungi Administrator SPEKTRA."],
                 penting=True, nama=nama, role=role, login_url="")


def static_page(judul: str, isi: str) -> str:
    """A page nginx serves itself (too many requests, server down): no user to show."""
    return page(judul, isi, login_url="")
