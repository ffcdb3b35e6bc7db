"""export_report end to end on a small store; CSV = the contract; HTML self-contained."""
from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from reports_fixture import item, make_store, real, satker_rows
from spektra_lib import reports
from spektra_lib.reports import catalog
from spektra_lib.export import export_report, write
from spektra_lib.export.common import contract_columns
from spektra_lib.present import format as fmt
from test_export_common import EVIL_LINK, META, deviasi_frame, rpd_chart_frame

SATKER = "017220"
PATH1 = "WA.4843.EBA.994.001.A.511111.1"
PATH2 = "WA.4843.EBA.994.001.A.521211.1"


@pytest.fixture
def store(tmp_path):
    s = make_store(
        tmp_path, satker=satker_rows((SATKER, "BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT", "PUSAT")),
        pok=[item(SATKER, PATH1, 1_200_000_000, [100_000_000] * 12, uraian=EVIL_LINK),
             item(SATKER, PATH2, 600_000_000, [50_000_000] * 12)],
        realisasi=[real(SATKER, PATH1, "2022-01-20", 90_000_000),
                   real(SATKER, PATH2, "2022-02-10", 80_000_000)])
    yield s
    s.close()


def test_csv_is_the_contract_table_exactly(store, tmp_path):
    path = export_report(store, "deviasi_detail", tmp_path / "d.csv", tahun=2022, bulan=5,
                         satker=SATKER)
    df = reports.run("deviasi_detail", store, tahun=2022, bulan=5, satker=SATKER)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    # CONTRACT.md §2, written out: not built with the code under test
    assert rows[0] == ["level", "kode", "path", "uraian", "bulan", "pagu", "rencana",
                       "realisasi", "deviasi_persen", "warna"]
    assert len(rows) == 1 + len(df)
    back = pd.read_csv(path, dtype={"kode": str, "path": str})
    jan = back[(back.level == "item") & (back.path == PATH1) & (back.bulan == 1)].iloc[0]
    assert jan.rencana == 100_000_000 and jan.realisasi == 90_000_000
    assert jan.deviasi_persen == pytest.approx(10.0) and jan.warna == "hijau"
    assert back.loc[back.path == PATH1, "uraian"].iloc[0] == EVIL_LINK    # data kept as is
    jun = back[(back.level == "satker") & (back.bulan == 6)].iloc[0]
    assert pd.isna(jun.realisasi) and pd.isna(jun.deviasi_persen)
    # rupiah as rupiah, never a float's "100000000.0" (issue 15)
    line = next(r for r in rows[1:] if r[0] == "item" and r[2] == PATH1 and r[4] == "1")
    assert line[6:8] == ["100000000", "90000000"]


def test_report_runs_once_and_title_block_comes_from_the_store(store, tmp_path, monkeypatch):
    calls = []
    real_run = reports.run
    monkeypatch.setattr(reports, "run", lambda *a, **k: calls.append(a) or real_run(*a, **k))
    path = export_report(store, "realisasi_pok", tmp_path / "pok.xlsx", tahun=2022, bulan=5,
                         satker=SATKER, bulan_dari=1)
    assert len(calls) == 1
    ws = load_workbook(path)["Laporan"]
    block = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 9)}
    assert ws["A1"].value == catalog.judul("realisasi_pok")
    assert block["Periode:"] == "Januari s.d. Mei 2022"
    assert "BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT" in block["Satker / Unit Kerja:"]
    # Posisi data: the latest date in this satker's data, not when the file was made
    posisi = store.posisi_data(2022, SATKER)
    assert posisi is not None
    assert block["Posisi data:"] == fmt.tanggal_panjang(posisi)
    assert " pukul " in block["Dibuat:"]
    uraian = [c for row in ws.iter_rows() for c in row if c.value == EVIL_LINK]
    assert uraian and all(c.data_type == "s" for c in uraian)


def test_unknown_format_is_refused_before_the_report_runs(store, tmp_path, monkeypatch):
    monkeypatch.setattr(reports, "run", lambda *a, **k: pytest.fail("laporan dijalankan"))
    with pytest.raises(ValueError, match="tidak didukung"):
        export_report(store, "deviasi_detail", tmp_path / "x.ods", tahun=2022, bulan=5)


def test_html_is_self_contained_escaped_and_coloured(tmp_path):
    path = write(deviasi_frame(), tmp_path / "d.html", report="deviasi_detail", meta=META)
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script" not in page and "@import" not in page
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;klik&#34;)" in page   # escaped by Jinja
    assert EVIL_LINK not in page
    assert "<h1>Deviasi Rencana dan Realisasi Detail</h1>" in page
    assert "<td>s.d. Mei 2022</td>" in page
    assert '<td class="n" style="background:#FFEB9C">11,45 %</td>' in page
    assert "<thead><tr><th>Kode</th><th>Uraian</th>" in page


def test_html_chart_report_carries_inline_svg(tmp_path):
    path = write(rpd_chart_frame(), tmp_path / "g.html", report="grafik_rpd_realisasi",
                 meta=META)
    page = path.read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and "<?xml" not in page
    assert "16.474.236.083" in page and "Januari" in page


def test_a_hostile_scope_name_cannot_break_the_page(tmp_path):
    meta = META.__class__(judul="Realisasi POK", scope='</style><script>alert(1)</script>"',
                          periode="s.d. Mei 2022")
    page = write(deviasi_frame(), tmp_path / "x.html", report="deviasi_detail",
                 meta=meta).read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;/style&gt;&lt;script&gt;" in page
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "</" not in style and "\\3c /style\\3e " in style     # '<' and '>' as CSS escapes


def test_an_empty_report_says_so_in_every_format(tmp_path):
    from docx import Document
    empty = pd.DataFrame(columns=contract_columns("monitoring_spp"))
    for ext in ("xlsx", "docx", "html"):
        write(empty, tmp_path / f"spp.{ext}", report="monitoring_spp", meta=META)
    ws = load_workbook(tmp_path / "spp.xlsx")["Laporan"]
    assert "Tidak ada data untuk pilihan ini." in [c.value for row in ws.iter_rows() for c in row]
    assert Document(tmp_path / "spp.docx").tables[0].rows[1].cells[0].text.startswith("Tidak ada")
    assert "Tidak ada data untuk pilihan ini." in (tmp_path / "spp.html").read_text()
    with open(write(empty, tmp_path / "spp.csv", report="monitoring_spp"), newline="") as f:
        assert list(csv.reader(f)) == [["no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d",
                                        "tgl_sp2d", "uraian", "jenis_spp", "nilai", "status",
                                        "kode_unit", "potongan", "nilai_bersih", "nama_satker"]]
