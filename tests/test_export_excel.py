"""The Excel export as a user opens it: title block, numbers, formats, colours, outline."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from spektra_lib.export import write
from test_export_common import (EVIL_LINK, EVIL_SUM, META, NODES, deviasi_frame, pok_frame,
                                ranking_frame)


def _find(ws, value):
    for row in ws.iter_rows():
        for c in row:
            if c.value == value:
                return c
    raise AssertionError(f"{value!r} tidak ada di sheet {ws.title}")


@pytest.fixture(scope="module")
def deviasi_wb(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "deviasi.xlsx"
    write(deviasi_frame(), path, report="deviasi_detail", meta=META)
    return load_workbook(path)


def test_title_block_and_frozen_filtered_header(deviasi_wb):
    ws = deviasi_wb["Laporan"]
    assert ws["A1"].value == "Deviasi Rencana dan Realisasi Detail" and ws["A1"].font.b
    assert _find(ws, "Periode:").offset(0, 1).value == "s.d. Mei 2022"
    assert _find(ws, "Posisi data:").offset(0, 1).value == "31 Mei 2022"
    assert _find(ws, "Dibuat:").offset(0, 1).value == "22 November 2026 pukul 14.05"
    assert _find(ws, "Satker / Unit Kerja:").offset(0, 1).value.startswith("017220 BADAN")
    head = _find(ws, "Kode").row
    assert [c.value for c in ws[head]][:6] == ["Kode", "Uraian", "Keterangan", "Pagu", "Jan", "Feb"]
    assert ws.freeze_panes == f"C{head + 1}"
    assert ws.auto_filter.ref == f"A{head}:P{head + 3 * len(NODES)}"


def test_numbers_are_numbers_with_indonesian_formats_and_deviasi_fills(deviasi_wb):
    ws = deviasi_wb["Laporan"]
    eba = _find(ws, "EBA").row
    jan_plan, jan_real, jan_dev = (ws.cell(eba + k, 5) for k in range(3))
    assert jan_plan.value == 8_119_369_897 + 1_000_000 and jan_plan.number_format == "#,##0"
    assert jan_real.value == 9_048_762_480 + 1_000_000
    assert jan_dev.value == pytest.approx(929_392_583 / 8_120_369_897 * 100)
    assert jan_dev.number_format == '0.00" %"'
    assert jan_dev.fill.fgColor.rgb.endswith("FFEB9C")            # 11,45 % kuning
    mar_dev = ws.cell(eba + 2, 7)                                 # 19,82 % kuning
    apr_dev = ws.cell(eba + 2, 8)                                 # RPD 0, realisasi 50.000: merah
    assert apr_dev.value == 100 and apr_dev.fill.fgColor.rgb.endswith("FFC7CE")
    assert mar_dev.fill.fgColor.rgb.endswith("FFEB9C")
    item2 = _find(ws, EVIL_SUM).row
    assert ws.cell(item2 + 2, 5).fill.fgColor.rgb.endswith("C6EFCE")     # Jan 0 % hijau
    jun_dev = ws.cell(eba + 2, 10)
    assert jun_dev.value is None and jun_dev.fill.fill_type is None     # belum jatuh tempo


def test_hierarchy_is_an_outline_with_bold_parents(deviasi_wb):
    ws = deviasi_wb["Laporan"]
    assert ws.sheet_properties.outlinePr.summaryBelow is False
    levels = {kode: ws.row_dimensions[_find(ws, kode).row].outline_level
              for kode in ("017220", "WA", "4843", "EBA", "511111")}
    assert levels == {"017220": 0, "WA": 0, "4843": 1, "EBA": 2, "511111": 6}
    item = _find(ws, EVIL_LINK).row
    assert [ws.row_dimensions[item + k].outline_level for k in range(3)] == [7, 7, 7]
    assert _find(ws, "EBA").font.b and not ws.cell(item, 1).font.b


def test_data_from_uraian_never_becomes_a_formula(deviasi_wb):
    for ws in deviasi_wb.worksheets:
        for text in (EVIL_LINK, EVIL_SUM):
            cell = _find(ws, text)
            assert cell.data_type == "s", (ws.title, text)
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_tidy_data_sheet_keeps_every_contract_column(deviasi_wb):
    ws = deviasi_wb["Data"]
    head = _find(ws, "Level").row
    headers = [c.value for c in ws[head]]
    assert headers == ["Level", "Kode", "Kode Lengkap", "Uraian", "Bulan", "Pagu",
                       "Rencana (RPD)", "Realisasi", "Deviasi", "Warna"]
    first = [c.value for c in ws[head + 1]]
    assert first[:5] == ["satker", "017220", None, NODES[0][3], "Januari"]


def test_flat_report_headers_and_percent(tmp_path):
    path = tmp_path / "ranking.xlsx"
    write(ranking_frame(), path, report="ranking_satker", meta=META)
    ws = load_workbook(path)["Laporan"]
    head = _find(ws, "No").row
    assert [c.value for c in ws[head]] == ["No", "Kode", "Nama Satker", "Pagu", "Realisasi",
                                           "% Realisasi", "Sisa"]
    pct = ws.cell(head + 1, 6)
    assert round(pct.value, 2) == 38.78 and pct.number_format == '0.00" %"'
    assert ws.cell(head + 2, 3).value == EVIL_LINK and ws.cell(head + 2, 3).data_type == "s"
    assert ws.freeze_panes == f"A{head + 1}"


def test_realisasi_pok_outline_and_path_column(tmp_path):
    path = tmp_path / "pok.xlsx"
    write(pok_frame(), path, report="realisasi_pok", meta=META)
    ws = load_workbook(path)["Laporan"]
    head = _find(ws, "Kode").row
    headers = [c.value for c in ws[head]]
    assert headers[:3] == ["Kode", "Uraian", "Volume"] and headers[-1] == "Kode Lengkap"
    assert "Jumlah Biaya" in headers
    akun = _find(ws, "511111").row
    assert ws.row_dimensions[akun].outline_level == 6 and ws.cell(akun, 1).font.b
    assert ws.row_dimensions[akun + 1].outline_level == 7


def test_rpd_chart_report_gets_a_native_excel_chart(tmp_path):
    from test_export_common import rpd_chart_frame
    path = tmp_path / "grafik.xlsx"
    write(rpd_chart_frame(), path, report="grafik_rpd_realisasi", meta=META)
    ws = load_workbook(path)["Laporan"]
    head = _find(ws, "Bulan").row
    assert [ws.cell(head + 1, j).value for j in (1, 2, 3)] == ["Januari", 16_474_236_083,
                                                              9_677_971_026]
    assert ws.cell(head + 6, 3).value is None                        # Juni: belum ada
    import zipfile
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = z.read(charts[0]).decode()
    assert len(charts) == 1 and "<lineChart>" in xml and f"$B${head + 1}:$B${head + 12}" in xml
