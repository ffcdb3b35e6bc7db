"""Issue 22 §5: the IKPA pages execute and show what a user reads — the agency's line per
satker, the unit kerja's, and on a satker's page the history chart over the rule's
category bands and what it can still do this quarter, every total marked estimasi — and
the satker's downloads carry the formula trace."""
from __future__ import annotations

import html
import json
import re

import pytest

from spektra_lib.present import format as fmt
from spektra_lib.store import Store

from .test_notebooks import kernel, report, run, scope  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow
KANREG = "017234"
HALAMAN_MAKS = 1_500_000       # bytes: no IKPA page over 1,5 MB


def page(name, kernel, tmp_path, store, **params) -> tuple[str, object]:  # noqa: F811
    """What the page shows: the cells' outputs and its markdown (the intro)."""
    import nbformat
    text, out = run(name, kernel, tmp_path, store, **params)
    nb = nbformat.read(out, as_version=4)
    return text + "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"), out


def specs(text: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r"var spec = (\{.*?\});\n", text)]


def test_agency_page_one_line_per_satker(kernel, tmp_path, notebook_store):  # noqa: F811
    text, out = page("ikpa_ringkasan", kernel, tmp_path, notebook_store)
    assert "Ringkasan IKPA per Satker — " in text and "Nilai IKPA (estimasi)" in text
    assert "ESTIMASI nilai IKPA" in text and "bukan nilai resmi OM-SPAN" in text
    assert "spektra report ikpa_rincian" in text            # how to get the full trace
    df = report(notebook_store, "ikpa_ringkasan")
    for _, r in df.iterrows():
        assert fmt.rupiah(r["nilai"], 2) in text and html.escape(r["nama_satker"]) in text
    assert df.iloc[-1]["nama_satker"] == f"Rata-rata {len(df) - 1} satker"
    assert df.iloc[-1]["kategori"] in text
    assert df.iloc[0]["indikator_termahal"] in text
    assert out.stat().st_size < HALAMAN_MAKS


def test_unit_page(kernel, tmp_path, notebook_store, scope):  # noqa: F811
    text, out = page("ikpa_unit", kernel, tmp_path, notebook_store, satker=scope["satker"],
                    unit=scope["unit"])
    assert f"IKPA Unit Kerja — {scope['nama_unit']}" in text
    df = report(notebook_store, "ikpa_unit", satker=scope["satker"], unit=scope["unit"])
    assert fmt.rupiah(df.iloc[0]["nilai"], 2) in text and "Rata-rata 1 satker unit kerja" in text
    assert "IKPA dinilai per satker" in text
    assert '<details class="spektra-rincian"><summary>Rincian Perhitungan IKPA (' in text
    assert out.stat().st_size < HALAMAN_MAKS


def test_satker_page_history_bands_and_this_quarter(kernel, tmp_path, notebook_store):  # noqa: F811
    text, out = page("ikpa_estimasi", kernel, tmp_path, notebook_store, satker=KANREG)
    assert "Riwayat Nilai IKPA per Bulan" in text
    chart = [s for s in specs(text) if "Riwayat" in json.dumps(s)]
    assert len(chart) == 1
    blob = json.dumps(chart[0], ensure_ascii=False)
    for band in ("Sangat Baik", "Baik", "Cukup"):
        assert f'"nama": "{band}"' in blob
    assert "Estimasi SPEKTRA" in blob and "Nilai resmi OM-SPAN" in blob
    riwayat = report(notebook_store, "ikpa_riwayat", satker=KANREG)
    assert len(riwayat) == 5 and riwayat["resmi"].notna().all()
    assert "Yang Masih Dapat Dilakukan Triwulan Ini (Proyeksi)" in text
    pel = report(notebook_store, "ikpa_peluang", satker=KANREG).set_index("jenis_belanja")
    assert fmt.rupiah(pel.loc["", "kebutuhan"]) in text
    assert fmt.rupiah(pel.loc["", "nilai_deviasi_rpd"], 2) in text
    assert "PROYEKSI untuk TW II 2022" in text and "proyeksi" in text
    assert out.stat().st_size < HALAMAN_MAKS


def test_satker_downloads_carry_the_trace(tmp_path, notebook_store):
    """The satker page's xlsx: estimate, history, this quarter, the trace, the
    reconciliation — one sheet each (export/pack.py, as `spektra render` writes it)."""
    import pickle

    import openpyxl

    from spektra_lib.export import write_parts
    from spektra_lib.export.pack import simpan_data
    from spektra_lib.page.notebook import Halaman
    h = Halaman(store=Store(notebook_store, read_only=True), tahun=2022, bulan=5,
                satker=KANREG, grafik="halaman", interaktif=False)
    h.tabel("ikpa_estimasi"), h.grafik("ikpa_riwayat"), h.tabel("ikpa_peluang")
    h.rincian("ikpa_rincian"), h.tabel("ikpa_rekonsiliasi")
    path = simpan_data(h, tmp_path / "d.pkl", judul="Estimasi Nilai IKPA",
                       report="ikpa_estimasi")
    data = pickle.loads(path.read_bytes())
    xlsx = write_parts(data["parts"], tmp_path / "ikpa.xlsx", meta=data["meta"])
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["Estimasi IKPA", "Riwayat IKPA", "Proyeksi Triwulan Ini",
                             "Rincian Perhitungan", "Rekonsiliasi OM-SPAN"]
    trace = report(notebook_store, "ikpa_rincian", satker=KANREG)
    rows = list(wb["Rincian Perhitungan"].iter_rows(values_only=True))
    assert sum(1 for r in rows if r and KANREG in r) == len(trace) > 100


def test_unit_downloads_carry_the_trace(tmp_path, notebook_store, scope):  # noqa: F811
    import pickle

    import openpyxl

    from spektra_lib.export import write_parts
    from spektra_lib.export.pack import simpan_data
    from spektra_lib.page.notebook import Halaman
    h = Halaman(store=Store(notebook_store, read_only=True), tahun=2022, bulan=5,
                satker=scope["satker"], unit=scope["unit"], grafik="halaman", interaktif=False)
    h.tabel("ikpa_unit"), h.rincian("ikpa_rincian")
    path = simpan_data(h, tmp_path / "u.pkl", judul="IKPA Unit Kerja", report="ikpa_unit")
    data = pickle.loads(path.read_bytes())
    wb = openpyxl.load_workbook(write_parts(data["parts"], tmp_path / "u.xlsx",
                                            meta=data["meta"]), read_only=True)
    assert wb.sheetnames == ["IKPA Unit Kerja", "Rincian Perhitungan"]
    trace = report(notebook_store, "ikpa_rincian", satker=scope["satker"])
    rows = list(wb["Rincian Perhitungan"].iter_rows(values_only=True))
    assert sum(1 for r in rows if r and scope["satker"] in r) == len(trace) > 100
