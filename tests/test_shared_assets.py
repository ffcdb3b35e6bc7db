"""render/shared_assets.py: on the static site the tables' stylesheet and scripts are one
file each under site/assets/, referenced from the page's head; the tables, the notebook
and Voilà keep their inline copies."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from spektra_lib.present import tables, tree
from spektra_lib.render import pages, shared_assets

import present_fixture as fx

REF = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def _inline() -> dict[str, str]:
    """The texts a table or filter carries inline, as the present layer makes them now."""
    return {"tabel.css": tree.style_block(), "tabel.js": tree._asset("tabel.js"),
            "saring.js": tables.saring_js()}


def _notebook(*outputs: str):
    nb = nbformat.v4.new_notebook()
    for html in outputs:
        cell = nbformat.v4.new_code_cell("halaman.tabel()")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
        nb.cells.append(cell)
    return nb


def _context(root: str) -> dict:
    return {"root": root, "judul": "Uji", "scope_nama": "Biro Keuangan",
            "breadcrumb": [("Beranda", None)], "laporan_lain": [], "modul_list": [],
            "scripts": pages.SCRIPTS, "galat": None, "dibuat": "01/06/2022 08:00",
            "posisi_data": "", "downloads": []}


def _page_outputs() -> list[str]:
    """Two hierarchical tables (two copies of tabel.css / tabel.js) and a flat table with
    its page-number script (saring.js), as the notebooks display them."""
    return [tables.table_html("deviasi_detail", fx.deviasi_detail()),
            tables.table_html("realisasi_pok", fx.realisasi_pok()),
            tables.flat_table("ranking_satker", fx.ranking())]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    pages.ensure_assets(out)
    page = out / "2022" / "05" / "017220" / "uji.html"
    page.parent.mkdir(parents=True)
    page.write_text(pages.html(_notebook(*_page_outputs()), _context("../../../"), site=out),
                    encoding="utf-8")
    return out


def _page(site: Path) -> Path:
    return site / "2022" / "05" / "017220" / "uji.html"


def test_outputs_carry_the_assets_inline(site):
    # What notebooks, Voilà and its snapshots show: each table works alone.
    deviasi, pok, datar = _page_outputs()
    inline = _inline()
    for html in (deviasi, pok):
        assert inline["tabel.css"] in html and inline["tabel.js"] in html
    assert inline["saring.js"] in datar


def test_page_holds_no_inline_copy(site):
    text = _page(site).read_text(encoding="utf-8")
    for name, inline in _inline().items():
        assert inline not in text, name
    # Not a part of them either (a distinctive line of each file).
    assert "window.spektraTabel = function" not in text
    assert "window.spektraDatar = function" not in text
    assert ".spektra-tabel thead th" not in text


def test_page_references_shared_files_that_exist(site):
    text = _page(site).read_text(encoding="utf-8")
    head, body = text.split("</head>", 1)
    refs = [r for r in REF.findall(head) if re.search(r"assets/(tabel|saring)\.", r)]
    assert [Path(r).name.split(".")[0] + Path(r).suffix for r in refs] == \
        ["tabel.css", "tabel.js", "saring.js"]
    page_dir = _page(site).parent
    inline = _inline()
    contents = {"tabel.css": re.fullmatch(r"<style>(.*)</style>", inline["tabel.css"], re.S)[1],
                "tabel.js": inline["tabel.js"], "saring.js": inline["saring.js"]}
    for ref in refs:
        assert ref.startswith("../../../assets/")
        path = (page_dir / ref).resolve()
        assert path.parent == (site / "assets").resolve() and path.exists()
        name = path.name.split(".")[0] + path.suffix
        assert path.read_text(encoding="utf-8") == contents[name]
    # The shared scripts are classic and synchronous: loaded before the body's inline
    # init calls run (a deferred or module script would run after them).
    for tag in re.findall(r"<script src=[^>]*>", head):
        assert "defer" not in tag and "async" not in tag and "module" not in tag
    # Each table still starts itself, inline, after the shared script.
    assert body.count('window.spektraTabel("st-') == 2
    assert body.count('spektraDatar("datar-') == 1
    assert not re.search(r"<(?:link|script)[^>]*assets/(?:tabel|saring)\.", body)


def test_files_are_named_by_content_and_written_once(site, tmp_path):
    names = sorted(p.name for p in (site / "assets").glob("*.*.*"))
    assert len(names) == 3 and all(re.fullmatch(r"(tabel|saring)\.[0-9a-f]{10}\.(css|js)", n)
                                   for n in names), names
    written = shared_assets.write(site)
    assert sorted(p.name for p in written) == names
    # Another version of a script is another file: a page left as it was by an
    # incremental render keeps the one it was made with.
    other = shared_assets.Shared("tabel", ".js", "x", "/* lain */")
    assert other.rel not in {f"assets/{n}" for n in names}


def test_landing_page_refers_from_the_site_root(site):
    # The landing page (indexes.write_landing) is the dashboard at the site's root.
    text = pages.html(_notebook(*_page_outputs()), _context(""), site=site)
    head = text.split("</head>", 1)[0]
    refs = [r for r in REF.findall(head) if re.search(r"assets/(tabel|saring)\.", r)]
    assert len(refs) == 3 and all(r.startswith("assets/") for r in refs)
    assert all((site / r).exists() for r in refs)


def test_page_without_tables_is_left_alone(tmp_path):
    text = pages.html(_notebook("<p>Tanpa tabel</p>"), _context("../../../"), site=tmp_path)
    assert not re.search(r"assets/(tabel|saring)\.", text)
    assert not (tmp_path / "assets").exists()


def test_without_a_site_folder_the_page_keeps_its_copies(tmp_path):
    # No folder to put the shared files in: nothing is referenced that might not exist.
    text = pages.html(_notebook(*_page_outputs()), _context("../../../"))
    assert all(inline in text for inline in _inline().values())


def test_other_text_stays_inline(tmp_path):
    # A table made by other code (its script differs from this one's) keeps its copy.
    old = "<script>/* tabel.js versi lama */\nwindow.spektraTabel(\"st-1\");</script>"
    page = "<html><head></head><body>" + old + "</body></html>"
    assert shared_assets.for_site(page, "", tmp_path) == page
    assert not (tmp_path / "assets").exists()


def test_the_version_a_page_holds_is_the_file_it_refers_to(tmp_path, monkeypatch):
    # tabel.js edited after ensure_assets (a worker reads it later): the page's own
    # version is written with the page, under its own name.
    pages.ensure_assets(tmp_path)
    before = {p.name for p in (tmp_path / "assets").glob("tabel.*.js")}
    baru = tree._asset("tabel.js") + "\n/* versi baru */\n"
    monkeypatch.setattr(tree, "_asset", lambda name, _a=tree._asset: baru
                        if name == "tabel.js" else _a(name))
    page = f"<html><head></head><body><script>{baru}\nwindow.spektraTabel(\"st-1\");</script>"
    out = shared_assets.for_site(page, "", tmp_path)
    ref = re.search(r'src="(assets/tabel\.[0-9a-f]{10}\.js)"', out)[1]
    assert Path(ref).name not in before
    assert (tmp_path / ref).read_text(encoding="utf-8") == baru


def test_only_what_the_page_holds_is_referenced(tmp_path):
    page = ("<html><head><title>x</title></head><body>"
            f"<p>x</p><script>{tables.saring_js()}\nspektraDatar(\"datar-1\");</script>"
            "</body></html>")
    out = shared_assets.for_site(page, "../", tmp_path)
    refs = REF.findall(out)
    assert len(refs) == 1 and re.fullmatch(r"\.\./assets/saring\.[0-9a-f]{10}\.js", refs[0])
    assert out.index(refs[0]) < out.index("</head>")
    assert '<script>\nspektraDatar("datar-1");</script>' in out
