"""The Word export: landscape A4, title block, Indonesian numbers, bands, repeated header."""
from __future__ import annotations

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from spektra_lib.export import write
from test_export_common import EVIL_LINK, META, NODES, deviasi_frame, rpd_chart_frame


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "deviasi.docx"
    write(deviasi_frame(), path, report="deviasi_detail", meta=META)
    return Document(path)


def _shade(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return None if shd is None else shd.get(qn("w:fill"))


def test_landscape_a4_and_title_block(doc):
    sec = doc.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert round(sec.page_width.mm) == 297 and round(sec.page_height.mm) == 210
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Deviasi Rencana dan Realisasi Detail"
    assert "Periode: s.d. Mei 2022" in texts and "Posisi data: 31 Mei 2022" in texts
    assert "Dibuat: 22 November 2026 pukul 14.05" in texts
    footer = sec.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer and "Halaman" in footer


def test_deviasi_in_sections_per_kegiatan_each_with_its_header(doc):
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [t for _, t in heads] == ["Ringkasan",
                                     "Kegiatan 4843 Pengelolaan Keuangan, BMN, dan Umum"]
    texts = [p.text for p in doc.paragraphs]
    context = texts[texts.index(heads[1][1]) + 1]
    assert context == ("Satker 017220 BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA · "
                       "Program WA Program Dukungan Manajemen")
    summary, kegiatan = doc.tables
    # the satker and program above the kegiatan; the kegiatan with all below it
    assert [r.cells[0].text for r in summary.rows[1::3]] == ["017220", "WA"]
    assert [r.cells[0].text for r in kegiatan.rows[1::3]] == [n[1] for n in NODES[2:]]
    for t in doc.tables:
        assert [c.text for c in t.rows[0].cells][:5] == ["Kode", "Uraian", "Keterangan",
                                                         "Pagu", "Jan"]
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_table_numbers_bands_and_repeated_header(doc):
    table = doc.tables[-1]
    assert len(table.rows) == 1 + 3 * (len(NODES) - 2)
    header = table.rows[0]
    assert [c.text for c in header.cells][:5] == ["Kode", "Uraian", "Keterangan", "Pagu", "Jan"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    rows = {r.cells[0].text: i for i, r in enumerate(table.rows) if r.cells[0].text}
    eba = rows["EBA"]
    plan, real, dev = (table.rows[eba + k].cells for k in range(3))
    assert plan[4].text == "8.120.369.897" and real[4].text == "9.049.762.480"
    assert dev[4].text == "11,45 %" and _shade(dev[4]) == "FFEB9C"
    assert dev[7].text == "100,00 %" and _shade(dev[7]) == "FFC7CE"
    assert dev[9].text == "" and _shade(dev[9]) is None           # Juni belum jatuh tempo
    assert any(r.bold for r in plan[1].paragraphs[0].runs)      # parent bold
    item = rows["1"]
    assert table.rows[item].cells[1].text == EVIL_LINK
    assert not any(r.bold for r in table.rows[item].cells[1].paragraphs[0].runs)


def test_chart_report_has_the_chart_as_image(tmp_path):
    path = tmp_path / "grafik.docx"
    write(rpd_chart_frame(), path, report="grafik_rpd_realisasi", meta=META)
    d = Document(path)
    (shape,) = d.inline_shapes
    assert shape.width.mm > 200
    blob = d.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    assert d.tables[0].rows[1].cells[0].text == "Januari"
    assert d.tables[0].rows[1].cells[1].text == "16.474.236.083"


def test_deviasi_of_a_store_has_one_section_per_kegiatan(tmp_path):
    from reports_fixture import item, make_store, real, satker_rows
    from spektra_lib.export import export_report
    paths = ["WA.4843.EBA.994.001.A.511111.1", "WA.4844.EBB.951.001.A.521211.1",
             "CD.5001.QDC.001.051.A.521211.1"]
    store = make_store(
        tmp_path, satker=satker_rows(("017231", "KANTOR REGIONAL I YOGYAKARTA", "KANREG")),
        pok=[item("017231", p, 120_000_000, [10_000_000] * 12) for p in paths],
        realisasi=[real("017231", paths[1], "2022-01-20", 9_000_000)])
    try:
        out = export_report(store, "deviasi_detail", tmp_path / "d.docx", tahun=2022,
                            bulan=5, satker="017231")
    finally:
        store.close()
    d = Document(out)
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert heads[0] == "Ringkasan" and len(heads) == 4
    assert [h.split()[1] for h in heads[1:]] == ["5001", "4843", "4844"]   # program CD, WA
    assert len(d.tables) == 4
    # the satker and program rows in the summary; kegiatan 4844 holds its January realisasi
    assert [r.cells[0].text for r in d.tables[0].rows[1::3]] == ["017231", "CD", "WA"]
    texts = [p.text for p in d.paragraphs]
    assert "· Program WA " in texts[texts.index(heads[3]) + 1]
    t4844 = d.tables[3]
    assert t4844.rows[2].cells[2].text == "Realisasi" and t4844.rows[2].cells[4].text == "9.000.000"


def test_a_small_report_is_a_small_file_without_unused_template_parts(tmp_path):
    import zipfile
    from test_export_common import ranking_frame
    path = write(ranking_frame(), tmp_path / "r.docx", report="ranking_satker", meta=META)
    names = zipfile.ZipFile(path).namelist()
    assert not [n for n in names if "stylesWithEffects" in n or "thumbnail" in n
                or "customXml" in n or "numbering" in n]
    assert path.stat().st_size < 12_000          # was ~38 kB with python-docx's template
    d = Document(path)
    assert d.tables[0].style.name == "Table Grid"
    assert {s.name for s in d.styles} >= {"Normal", "Heading 2", "Footer", "Table Grid"}
