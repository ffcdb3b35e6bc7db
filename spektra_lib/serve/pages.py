"""The app's own pages around the Voilà reports: the header bar, the landing menu, the
login form and the refusals. Bahasa Indonesia, no outside asset, every value escaped."""
from __future__ import annotations

import html
from urllib.parse import quote

RENDER = "/voila/render/"
ROLE_NAMES = {"admin": "Admin", "super_user": "Super User", "user": "User", "publik": "Publik"}

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
"""


def menu_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(page, title), …]) in the catalog's module order."""
    from ..reports import catalog
    return [(GROUPS[m], [(n, h.judul) for n, h in catalog.HALAMAN.items() if h.modul == m])
            for m in catalog.MODUL if m in GROUPS]


def paragraf(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def bar(nama: str | None, role: str, kembali: str = "/", login_url: str = "/masuk") -> str:
    """The header of every page: SPEKTRA, Beranda, who is looking, Masuk / Keluar."""
    e = html.escape
    if nama:
        peran = ROLE_NAMES.get(role, role)
        # a name that already says the role ("… (Super User)") is not followed by it again
        shown = "" if nama.rstrip().endswith(f"({peran})") else \
            f'<span class="peran">({e(peran)})</span>'
        who = (f'<span class="nama">{e(nama)}</span>{shown}'
               '<a class="keluar" href="/keluar">Keluar</a>')
    else:
        href = login_url.replace("{kembali}", quote(kembali, safe=""))
        if "{kembali}" not in login_url:
            href = f"{login_url}?kembali={quote(kembali, safe='')}"
        who = ('<span class="peran">Publik</span>'
               f'<a class="masuk" href="{e(href)}">Masuk</a>')
    return ('<nav class="spektra-bar"><a class="merek" href="/">SPEKTRA</a>'
            f'<a href="/">Beranda</a><span class="kanan">{who}</span></nav>')


def page(judul: str, isi: str, *, nama: str | None = None, role: str = "publik",
         kembali: str = "/", login_url: str = "/masuk") -> str:
    return ('<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(judul)} — SPEKTRA</title><style>{STYLE}</style></head><body>'
            f'{bar(nama, role, kembali, login_url)}<main><h1>{html.escape(judul)}</h1>{isi}'
            '</main></body></html>\n')


def menu(allowed: set[str]) -> str:
    """The landing menu: only what the role may open, Indonesian titles, seed's grouping."""
    e = html.escape
    parts = []
    for group, pages in menu_groups():
        links = "".join(f'<li><a href="{RENDER}{e(nb)}.ipynb">{e(judul)}</a></li>'
                        for nb, judul in pages if nb in allowed)
        if links:
            parts.append(f'<section class="menu"><h2>{e(group)}</h2><ul>{links}</ul></section>')
    return "".join(parts)


def beranda(allowed: set[str], *, nama, role, login_url="/masuk") -> str:
    intro = ("<p>Pilih laporan. Tanpa login Anda melihat dashboard publik; "
             "laporan lain memerlukan login.</p>" if not nama else
             "<p>Laporan yang dapat Anda buka:</p>")
    return page("SPEKTRA — Sistem Perencanaan Anggaran dan Keuangan Terintegrasi",
                intro + menu(allowed), nama=nama, role=role, login_url=login_url)


def masuk(kembali: str, pesan: str = "") -> str:
    e = html.escape
    note = f'<p class="pesan">{e(pesan)}</p>' if pesan else ""
    form = (f'{note}<form method="post" action="/masuk">'
            f'<input type="hidden" name="kembali" value="{e(kembali)}">'
            '<label for="nama">Nama pengguna</label>'
            '<input type="text" id="nama" name="nama" autocomplete="username" autofocus required>'
            '<label for="sandi">Sandi</label>'
            '<input type="password" id="sandi" name="sandi" autocomplete="current-password" required>'
            '<br><button type="submit">Masuk</button></form>'
            '<p>Tanpa login Anda tetap dapat membuka <a href="/voila/render/dashboard.ipynb">'
            'Dashboard</a>.</p>')
    return page("Masuk ke SPEKTRA", form, kembali=kembali)


def ditolak(nama, role, login_url="/masuk") -> str:
    return page("Akses ditolak",
                "<p>Anda tidak berhak membuka laporan ini. Pengguna tanpa login (Publik) hanya "
                'dapat melihat <a href="/voila/render/dashboard.ipynb">Dashboard</a>.</p>'
                '<p>Lihat <a href="/">daftar laporan</a> yang dapat Anda buka.</p>',
                nama=nama, role=role, login_url=login_url)


def perlu_login(nama=None, role="publik") -> str:
    return page("Perlu masuk",
                "<p>Halaman ini memerlukan login, dan server ini dijalankan tanpa login "
                "(<code>spektra serve --login</code> untuk mengaktifkannya).</p>"
                '<p>Buka <a href="/voila/render/dashboard.ipynb">Dashboard</a>.</p>',
                nama=nama, role=role)


def penuh(nama=None, role="publik") -> str:
    return page("Server sedang penuh, coba lagi sebentar lagi",
                "<p>Terlalu banyak halaman sedang dibuka bersamaan. Halaman yang ditinggalkan "
                "dibersihkan otomatis; muat ulang halaman ini dalam satu menit.</p>"
                '<p><a href="">Coba lagi</a></p>', nama=nama, role=role)


def tidak_ada(nama=None, role="publik") -> str:
    return page("Halaman tidak ditemukan",
                '<p>Alamat ini tidak ada. Kembali ke <a href="/">Beranda</a>.</p>',
                nama=nama, role=role)


def static_page(judul: str, isi: str) -> str:
    """A page nginx serves itself (too many requests, server down): no user to show."""
    return page(judul, isi)
