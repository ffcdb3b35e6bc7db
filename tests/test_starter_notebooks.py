"""The analysts' starter notebooks (issue 15 §7): thin, run on the demo agency in one kept
kernel, and show the figures the reports give; none is a page of the published site."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from kept_kernel import execute, kept_kernel
from spektra_lib import reports
from spektra_lib.present import format as fmt
from spektra_lib.reports import catalog
from spektra_lib.store import Store
from spektra_lib.reports.selection import Selection

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
STARTERS = ("bandingkan_satker", "bulan_ke_bulan", "cari_anomali")
TAHUN, BULAN = 2022, 5


@pytest.fixture(scope="module")
def kernel():
    yield from kept_kernel({k: v for k, v in os.environ.items()
                            if k != "SPEKTRA_GRAFIK"})    # jupyter mode


def run(name, kernel, store_path, **params) -> list[str]:
    """The notebook as papermill parameterises it; each code cell's shown text (markdown,
    HTML), in order: %reset, parameters, injected parameters, setup, title, then the
    notebook's own cells."""
    nb = execute(NOTEBOOKS / f"{name}.ipynb", kernel,
                 {"store": str(store_path), "tahun": TAHUN, "bulan": BULAN, **params})
    shown = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            shown.append("\n".join(o.get("data", {}).get(kind, "")
                                   for o in cell.get("outputs", [])
                                   for kind in ("text/markdown", "text/html")))
    return shown


def report(store_path, name, **params):
    with Store(store_path, read_only=True) as store:
        return reports.run(name, store, tahun=TAHUN, bulan=BULAN, **params)


def test_starters_are_not_pages_of_the_site():
    for name in STARTERS:
        assert (NOTEBOOKS / f"{name}.ipynb").exists()
        assert name not in catalog.HALAMAN
        assert all(name not in pages for pages in catalog.matrix().values())
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "store.sql" not in code and "SELECT" not in code.upper().split()
        assert "halaman.data(" in code


def test_every_notebook_has_a_title_in_the_catalog():
    # Not the name's fallback ("Bulan Ke Bulan"): the heading in JupyterLab and Voilà.
    names = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert set(STARTERS) | {"eksplorasi"} <= set(names)
    for name in names:
        assert name in catalog.LAPORAN or name in catalog.HALAMAN \
            or name in catalog.JUDUL_ANALIS, name
    assert [catalog.judul(n) for n in STARTERS] == ["Bandingkan Satker", "Bulan ke Bulan",
                                                    "Cari Anomali"]
    assert catalog.judul("eksplorasi") == "Eksplorasi Data"


def test_bandingkan_satker(kernel, demo_store_path):
    shown = run("bandingkan_satker", kernel, demo_store_path)
    assert "Bandingkan Satker — Seluruh Satker — s.d. Mei 2022" in shown[4]
    top = report(demo_store_path, "realisasi_satker").iloc[0]
    assert fmt.rupiah(top["realisasi"]) in shown[5]
    dev = report(demo_store_path, "deviasi_kumulatif").query(
        "level == 'satker' and bulan == @BULAN").set_index("kode")["deviasi_persen"]
    assert fmt.angka_tabel(dev[top["kode"]]) in shown[5]
    two = run("bandingkan_satker", kernel, demo_store_path, pembanding="017231, 017242")
    assert "017231" in two[5] and "017242" in two[5] and "017220" not in two[5]


def test_bulan_ke_bulan(kernel, demo_store_path):
    shown = run("bulan_ke_bulan", kernel, demo_store_path, satker="017231")
    assert "Bulan ke Bulan — " in shown[4]
    kum = report(demo_store_path, "grafik_rpd_realisasi", satker="017231").set_index("bulan")
    mei = kum.loc[BULAN, "realisasi_kumulatif"] - kum.loc[BULAN - 1, "realisasi_kumulatif"]
    assert fmt.rupiah(mei) in shown[5]
    ini = report(demo_store_path, "realisasi_satker", bulan_dari=BULAN)
    assert fmt.rupiah(ini["realisasi"].iloc[0]) in shown[7]


def test_cari_anomali(kernel, demo_store_path):
    shown = run("cari_anomali", kernel, demo_store_path)
    assert "Cari Anomali — Seluruh Satker — s.d. Mei 2022" in shown[4]
    rank = report(demo_store_path, "ranking_satker")
    z = (rank["persen_realisasi"] - rank["persen_realisasi"].mean()) / \
        rank["persen_realisasi"].std()
    lagging = rank[z < -1.0]
    assert len(lagging) and all(k in shown[6] for k in lagging["kode"])
    assert not [k for k in rank[z >= -1.0]["kode"] if f">{k}<" in shown[6]]
    late = report(demo_store_path, "status_capaian").query("status != 'lengkap'")
    assert len(late)
    assert all(f">{st}<" in shown[7] for st in late["status"].unique())
    assert all(f">{k}<" in shown[7] for k in late["kode_satker"].unique())
    # the first satker with RO targets: each broken rule of an RO-month on a row of its own
    first = report(demo_store_path, "status_capaian")["kode_satker"].iloc[0]
    cap = report(demo_store_path, "capaian_output", satker=first)
    broken = cap[cap["pelanggaran"] != ""].iloc[0]
    assert f">{broken['path']}<" in shown[8]
    assert all(f">{code}<" in shown[8] for code in broken["pelanggaran"].split(";"))


def test_eksplorasi_shows_the_catalog_and_jenis_belanja(kernel, demo_store_path):
    shown = run("eksplorasi", kernel, demo_store_path)
    assert "Eksplorasi Data — Seluruh Satker — s.d. Mei 2022" in shown[4]
    assert catalog.judul("deviasi_detail") in shown[5]
    rekap = report(demo_store_path, "rekap_jenis_belanja").set_index("jenis_belanja")
    assert fmt.rupiah(rekap.loc["51", "pagu"]) in "\n".join(shown)


def test_simulasi_proyeksi(kernel, demo_store_path):
    """Issue 25's what-if: the projected quarter-end scores when the satker follows its P50
    path, and the controls prefilled with the coming months."""
    from spektra_lib.reports import simulasi
    assert "simulasi_proyeksi" not in catalog.HALAMAN
    assert catalog.judul("simulasi_proyeksi") == "Simulasi Proyeksi IKPA (Bagaimana Jika)"
    shown = run("simulasi_proyeksi", kernel, demo_store_path, satker="017231")
    assert "Simulasi Proyeksi IKPA (Bagaimana Jika) — " in shown[4]
    with Store(demo_store_path, read_only=True) as s:
        df = simulasi.simulasi_ikpa(s, Selection(tahun=TAHUN, bulan=BULAN, satker="017231"))
    tw4 = df[(df["triwulan"] == "TW IV") & (df["jenis_belanja"] == "")].iloc[0]
    assert fmt.persen(tw4["realisasi_persen"]) in shown[5] and "PROYEKSI nilai IKPA" in shown[5]
    assert fmt.angka(tw4["nilai_penyerapan"]) in shown[5]
