"""per_tanggal on the pages (issue 14, CONTRACT §3): a report page reads the budget as it
stood on a date — a notebook parameter, `?per_tanggal=` under Voilà, or the date control —
and its title says so. A revision on 10 April 2022: pagu 1.800.000 before, 1.900.000 after
(tests/test_versions.py works the figures by hand)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import nbformat
import pytest

from reports_fixture import load, satker_rows
from spektra_lib.page import link
from spektra_lib.page.notebook import Halaman
from spektra_lib.render.scaffold import notebook as scaffold
from spektra_lib.store import Store
from test_versions import K, REAL, _v1, _v2

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TITLE = "Realisasi POK — KANREG I — Januari s.d. Mei 2022"
OLD, NEW = "1.800.000", "1.900.000"


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    p = tmp_path_factory.mktemp("per_tanggal") / "v.duckdb"
    with Store(p) as s:
        load(s, satker=satker_rows((K, "KANREG I", "KANREG")),
             pok=_v1(revisi=0, tanggal_revisi="2022-01-03"), realisasi=REAL)
        load(s, pok=_v2(revisi=1, tanggal_revisi="2022-04-10"))
    return p


@pytest.fixture(scope="module")
def store(path):
    with Store(path, read_only=True) as s:
        yield s


def page(store, **kw) -> Halaman:
    return Halaman(store=store, tahun=2022, bulan=5, satker=K, grafik="halaman",
                   **{"interaktif": False, **kw})


def shown(obj) -> str:
    """What a display object / an Output shows (HTML or Markdown)."""
    if hasattr(obj, "outputs"):
        return "".join(o["data"].get("text/html", o["data"].get("text/markdown", ""))
                       for o in obj.outputs)
    return obj.data


def test_parameter_shows_the_budget_before_the_revision_and_says_so(store):
    before = page(store, per_tanggal="2022-03-31")
    assert shown(before.judul("realisasi_pok")) == (
        f"# {TITLE}, anggaran per tanggal 31 Maret 2022")
    table = shown(before.tabel("realisasi_pok"))
    assert OLD in table and NEW not in table
    latest = page(store)
    assert shown(latest.judul("realisasi_pok")) == f"# {TITLE}"
    table = shown(latest.tabel("realisasi_pok"))
    assert NEW in table and OLD not in table
    # a date object (an analyst's cell) reads the same
    assert OLD in shown(page(store, per_tanggal=date(2022, 3, 31)).tabel("realisasi_pok"))


def test_address_per_tanggal_and_an_invalid_one(store):
    h = page(store, tautan_query="per_tanggal=2022-03-31")
    assert "anggaran per tanggal 31 Maret 2022" in shown(h.judul("realisasi_pok"))
    assert OLD in shown(h.tabel("realisasi_pok"))
    bad = page(store, tautan_query="per_tanggal=31-03-2022")
    title = shown(bad.judul("realisasi_pok"))
    assert "Tanggal anggaran (per_tanggal) “31-03-2022” tidak sah (isi tanggal seperti " \
           "2022-03-31); ditampilkan anggaran terakhir." in title
    assert "anggaran per tanggal" not in title
    assert NEW in shown(bad.tabel("realisasi_pok"))
    for q in ("per_tanggal=20220331", "per_tanggal=2022-02-30", "per_tanggal=%3Cb%3E"):
        t = link.baca(q, store, store.access)
        assert "per_tanggal" not in t.nilai and "tidak sah" in t.pesan[0]
    # a bad notebook parameter: the same note, never a traceback
    h = page(store, per_tanggal="kemarin")
    assert h.params["per_tanggal"] is None and "“kemarin” tidak sah" in h.pesan[0]


def test_date_control_redraws_title_and_table(store):
    h = page(store, interaktif=True)
    box = h.judul("realisasi_pok")
    table = h.tabel("realisasi_pok")
    picker = h.kontrol.widgets["per_tanggal"]
    assert picker.description == "Anggaran per tanggal" and picker.value is None
    picker.value = date(2022, 3, 31)
    assert "anggaran per tanggal 31 Maret 2022" in shown(box.children[1])
    assert OLD in shown(table) and NEW not in shown(table)
    assert "per_tanggal=2022-03-31" in h.kontrol.unduh.value     # the download follows
    picker.value = None
    assert "anggaran per tanggal" not in shown(box.children[1])
    assert NEW in shown(table)


def test_every_report_notebook_and_the_scaffold_take_per_tanggal():
    from spektra_lib.reports import catalog
    # the report pages (the analysts' starter notebooks, eksplorasi … are not pages)
    pages = [NOTEBOOKS / f"{n}.ipynb" for n in catalog.HALAMAN if n != "eksplorasi"]
    assert len(pages) >= 11 and all(p.exists() for p in pages)
    for p in pages:
        nb = nbformat.read(p, as_version=4)
        assert "per_tanggal = None" in nb.cells[0].source, p.name
        assert "per_tanggal=per_tanggal" in nb.cells[1].source, p.name
    nb = scaffold("realisasi_pok")
    assert "per_tanggal = None" in nb.cells[0].source
    assert "per_tanggal=per_tanggal" in nb.cells[1].source


def test_rendered_notebook_with_per_tanggal(path, tmp_path):
    import papermill
    out = tmp_path / "r.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "realisasi_pok.ipynb"), str(out), cwd=str(NOTEBOOKS),
        parameters={"store": str(path), "tahun": 2022, "bulan": 5, "satker": K,
                    "per_tanggal": "2022-03-31"}, progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert f"{TITLE}, anggaran per tanggal 31 Maret 2022" in text
    assert OLD in text and NEW not in text
