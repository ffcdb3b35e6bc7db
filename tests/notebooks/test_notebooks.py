"""Every report notebook executes (papermill, a real kernel) and shows its title and figures."""
from __future__ import annotations

import html
import json
import os
import re

import nbformat
import pytest

from kept_kernel import execute, kept_kernel
from spektra_lib import reports, scopes
from spektra_lib.present import format as fmt
from spektra_lib.reports import catalog
from spektra_lib.store import Store

from .conftest import NOTEBOOKS

pytestmark = pytest.mark.slow
TAHUN, BULAN = 2022, 5
ALL = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            parts += [data.get(k, "") for k in ("text/html", "text/markdown", "text/plain")]
            parts.append(out.get("text", ""))
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


@pytest.fixture(scope="module")
def kernel():
    """One kernel for the module (a fresh one per notebook costs ~5 s each), started the
    way `spektra render` runs pages: charts drawn with the page's vegaEmbed."""
    yield from kept_kernel({**os.environ, "SPEKTRA_GRAFIK": "halaman"})


def run(name: str, kernel, tmp_path, store_path, **params) -> tuple[str, object]:
    """papermill's parameter injection, executed in the kept kernel after %reset -f."""
    nb = execute(NOTEBOOKS / f"{name}.ipynb", kernel,
                 {"store": str(store_path), "tahun": TAHUN, "bulan": BULAN, **params})
    out = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, out)
    # a library's warning printed in the page is text a user reads (itables' pagingType was)
    stderr = [o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
              if o.get("name") == "stderr"]
    assert not any("Warning" in t for t in stderr), stderr
    return outputs_text(nb), out


@pytest.fixture(scope="module")
def scope(notebook_store):
    with Store(notebook_store, read_only=True) as store:
        pusat = scopes.satker_pusat(store)
        units = scopes.daftar_unit(store, pusat)
        return {"satker": pusat, "unit": units["kode_unit"].iloc[0],
                "nama_unit": units["nama_unit"].iloc[0]}


def report(store_path, name, **params):
    with Store(store_path, read_only=True) as store:
        return reports.run(name, store, tahun=TAHUN, bulan=BULAN, **params)


def test_notebooks_are_thin_and_without_outputs():
    for name in ALL:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        for c in code:
            assert not c.outputs and c.execution_count is None, name
            lines = [x for x in c.source.splitlines() if not x.lstrip().startswith("#")]
            assert len(lines) <= 12, name
            words = c.source.replace("(", " ").split()
            assert not {"def", "class", "for", "while", "SELECT"} & set(words), name
        src = tagged[0].source
        for p in ("tahun", "bulan", "satker", "unit", "bulan_dari", "jenis_belanja", "store"):
            assert f"\n{p} = None" in "\n" + src, (name, p)


DISPLAY = re.compile(r'^halaman\.(judul|subjudul|tabel|grafik|catatan|legenda|rincian)\((\"\w+\")?\)$')


def test_report_pages_are_display_calls_only():
    """Every catalog page with reports: after the parameters and setup cells, each code cell
    is one display call (the analysts' eksplorasi notebook may hold their own code)."""
    for page, h in catalog.HALAMAN.items():
        if not h.laporan:
            continue
        nb = nbformat.read(NOTEBOOKS / f"{page}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"
                and not {"parameters", "setup"} & set(c.metadata.get("tags", []))]
        assert code, page
        for c in code:
            assert DISPLAY.match(c.source.strip()), (page, c.source)
        setup = next(c for c in nb.cells if "setup" in c.metadata.get("tags", []))
        assert setup.source.startswith("from spektra_lib.page.notebook import Halaman")


def test_managers_see_one_title_and_no_parameter_note():
    """Voilà and the static pages hide code cells and show markdown: the only title is the
    one halaman.judul renders (first display call), the intro under it, and the note on
    parameters lives in comments of the parameters cell (seen by analysts only)."""
    for name in ALL:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        assert "parameters" in nb.cells[0].metadata.get("tags", []), name
        assert "# Parameter halaman" in nb.cells[0].source and "spektra serve" in \
            nb.cells[0].source, name
        shown = [c for c in nb.cells if c.cell_type == "markdown"]
        assert not [c for c in shown if c.source.lstrip().startswith("#")], name
        assert not [c for c in shown if "Parameter" in c.source], name
        first = next(i for i, c in enumerate(nb.cells) if "halaman.judul(" in c.source)
        assert nb.cells[first + 1].cell_type == "markdown", name     # the intro
        assert [c for c in nb.cells if c.cell_type == "markdown"] == [nb.cells[first + 1]]


def test_dashboard(kernel, tmp_path, notebook_store):
    text, _ = run("dashboard", kernel, tmp_path, notebook_store)
    assert "Dashboard Realisasi Anggaran — Seluruh Satker — s.d. Mei 2022" in text
    for name in ("ranking_satker", "ranking_unit", "grafik_rpd_realisasi"):
        assert catalog.judul(name) in text
    top = report(notebook_store, "ranking_satker").iloc[0]
    assert fmt.rupiah(top["pagu"]) in text and fmt.persen(top["persen_realisasi"]) in text
    assert json.dumps(top["nama"])[1:-1] in text or html.escape(top["nama"]) in text
    assert text.count("vegaEmbed(") == 2 and "cdn.jsdelivr" not in text
    # offline DataTables: itables' own bundle inline (a versioned marker), nothing fetched
    assert re.search(r"_itables_\d+_\d+_\d+", text) and "cdn.datatables" not in text


def test_deviasi_detail(kernel, tmp_path, notebook_store, scope):
    text, _ = run("deviasi_detail", kernel, tmp_path, notebook_store, satker=scope["satker"],
                  unit=scope["unit"])
    assert (f"Deviasi Rencana dan Realisasi Detail — {scope['nama_unit']} — s.d. Mei 2022"
            in text)
    df = report(notebook_store, "deviasi_detail", satker=scope["satker"], unit=scope["unit"])
    jan = df[df["bulan"] == 1].iloc[0]
    assert f'warna-{jan["warna"]}">{fmt.persen(jan["deviasi_persen"])}' in text
    assert "data-rencana=" in text and "belum-jatuh-tempo" in text


@pytest.mark.parametrize("name", ["deviasi_kumulatif", "realisasi_satker", "realisasi_pok",
                                  "realisasi_akun", "monitoring_spp"])
def test_report_notebooks(name, kernel, tmp_path, notebook_store, scope):
    params = {} if name in ("deviasi_kumulatif", "realisasi_satker") else {
        "satker": scope["satker"]}
    text, _ = run(name, kernel, tmp_path, notebook_store, **params)
    periode = "Januari s.d. Mei 2022" if name != "deviasi_kumulatif" else "s.d. Mei 2022"
    assert f"{catalog.judul(name)} — " in text and f" — {periode}" in text
    df = report(notebook_store, name, **params)
    assert len(df), name
    column = {"deviasi_kumulatif": "rencana_kumulatif", "monitoring_spp": "nilai"}.get(name, "pagu")
    assert fmt.rupiah(df[column].iloc[0]) in text


def test_eksplorasi(kernel, tmp_path, notebook_store):
    text, out = run("eksplorasi", kernel, tmp_path, notebook_store)
    assert "Eksplorasi Data — Seluruh Satker — s.d. Mei 2022" in text
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


@pytest.fixture(scope="module")
def kanreg(notebook_store):
    """A satker with capaian targets that is not the pusat (per-satker pages)."""
    with Store(notebook_store, read_only=True) as store:
        return store.scalar("SELECT min(kode_satker) FROM ro_target WHERE tahun = ? AND "
                            "kode_satker <> ?", [TAHUN, scopes.satker_pusat(store)])


def test_capaian_output(kernel, tmp_path, notebook_store, kanreg):
    text, _ = run("capaian_output", kernel, tmp_path, notebook_store, satker=kanreg)
    with Store(notebook_store, read_only=True) as store:
        nama = scopes.nama_scope(store, satker=kanreg)
    assert f"Capaian Output per Rincian Output — {nama} — s.d. Mei 2022" in text
    df = report(notebook_store, "capaian_output", satker=kanreg)
    assert f'data-kode="{df["path"].iloc[0]}"' in text
    assert fmt.persen(df["pcro_kumulatif"].iloc[-1]) in text
    assert '<mark class="isian"' in text and "KETERANGAN_KOSONG" in text   # legend
    assert "_itables_" not in text        # a grouped table: no DataTables bundle


def test_status_capaian_agency_wide(kernel, tmp_path, notebook_store):
    text, _ = run("status_capaian", kernel, tmp_path, notebook_store, tanggal="2022-06-20")
    assert ("Status Pelaporan Capaian Output — Seluruh Satker — s.d. Mei 2022 "
            "(keadaan 20 Juni 2022)") in text
    df = report(notebook_store, "status_capaian", tanggal="2022-06-20")
    late = df[df["status"] != "lengkap"]
    assert text.count('class="baris perlu-tindak"') == late.groupby(
        ["kode_satker", "path"]).ngroups > 0


def test_ikpa_estimasi(kernel, tmp_path, notebook_store, kanreg):
    text, _ = run("ikpa_estimasi", kernel, tmp_path, notebook_store, satker=kanreg)
    assert "Estimasi Nilai IKPA — " in text and "<strong>Estimasi</strong> nilai IKPA" in text
    df = report(notebook_store, "ikpa_estimasi", satker=kanreg)
    total = df[df["indikator"] == "Nilai IKPA"].iloc[0]
    assert fmt.rupiah(total["nilai"], 2) in text and total["kategori"] in text
    # issue 22: the rule named on every row, its unconfirmed parameters in the notes, and
    # the official score beside the estimate on the same page
    assert "PER-5/PB/2022" in text and "Parameter belum terkonfirmasi yang dipakai" in text
    assert "Rekonsiliasi IKPA dengan OM-SPAN" in text
    rek = report(notebook_store, "ikpa_rekonsiliasi", satker=kanreg)
    assert len(rek) and rek.iloc[0]["penjelasan"] in text
    # the formula trace folded under the satker's page, every quantity
    trace = report(notebook_store, "ikpa_rincian", satker=kanreg)
    assert '<details class="spektra-rincian"><summary>Rincian Perhitungan IKPA (' in text
    assert f"({fmt.rupiah(len(trace))} besaran)" in text and "deviasi_persen" in text


def test_proyeksi_pages(kernel, tmp_path, notebook_store, kanreg):
    """Issue 25: the satker's fan chart and table, the pimpinan's ranking, all "proyeksi"."""
    text, out = run("proyeksi", kernel, tmp_path, notebook_store, satker=kanreg)
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert "Proyeksi Penyerapan Anggaran — " in text and text.count("vegaEmbed(") == 1
    df = report(notebook_store, "proyeksi_penyerapan", satker=kanreg)
    whole = df[df["jenis_belanja"] == ""].iloc[0]
    assert fmt.persen(whole["proyeksi_p50"]) in text and whole["status"] in text
    text, _ = run("ranking_proyeksi", kernel, tmp_path, notebook_store)
    rank = report(notebook_store, "ranking_proyeksi")
    assert "Ranking Proyeksi Penyerapan Satker" in text and "PROYEKSI realisasi akhir" in text
    assert fmt.persen(rank["proyeksi_p50"].iloc[0]) in text
