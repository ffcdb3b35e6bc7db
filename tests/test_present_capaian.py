"""present.capaian: capaian output, reporting status and IKPA estimate tables."""
from __future__ import annotations

from datetime import date

import pandas as pd
from bs4 import BeautifulSoup

from spektra_lib.present import tables
from spektra_lib.reports.capaian import legenda_pelanggaran


def capaian_df() -> pd.DataFrame:
    rows = []
    for m, (rvro, pcro, ppa, status, pel, ket) in enumerate([
            (0, 10.0, 0.0, "normal", "", "s.d. bulan Januari 2022, tahapan [isi: tahapan]."),
            (1, 12.5, 40.25, "anomali", "GAP_ANOMALI;KETERANGAN_KOSONG",
             "Baris satu <b>tebal</b>\nGap disebabkan [isi: penyebab gap]."),
    ], start=1):
        rows.append(dict(path="3644.AFA.001", nama_ro="Standar <Jabatan>", strategis=1,
                         bulan=m, target_volume=2.0, satuan="NSPK", rvro_kumulatif=rvro,
                         pcro_kumulatif=pcro, ppa=ppa, gap=ppa - pcro, status=status,
                         pelanggaran=pel, keterangan_draf=ket))
    rows.append(dict(rows[0] | {"path": "3644.BAB.005", "nama_ro": "Pengelolaan",
                                "strategis": 0, "target_volume": None}))
    return pd.DataFrame(rows)


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_capaian_month_rows_per_ro_and_anomali_highlighted():
    page = soup(tables.table_html("capaian_output", capaian_df()))
    nodes = page.select('div.spektra-tabel[data-laporan="capaian_output"] tbody.node')
    assert [n["data-kode"] for n in nodes] == ["3644.AFA.001", "3644.BAB.005"]
    judul = nodes[0].select_one("tr.judul").get_text(" ", strip=True)
    assert judul == "3644.AFA.001 Standar <Jabatan> — Target: 2 NSPK · RO strategis"
    assert "Target: belum ada" in nodes[1].select_one("tr.judul").get_text()
    months = nodes[0].select("tr.bulan")
    assert [r.select("td")[1].get_text() for r in months] == ["Januari", "Februari"]
    assert [("anomali" in r["class"]) for r in months] == [False, True]
    feb = [td.get_text() for td in months[1].select("td")]
    assert feb[2:7] == ["1", "12,50 %", "40,25 %", "27,75 %", "Anomali"]
    # Searchable by status and rule code; paging by RO (10 per page).
    assert "anomali" in nodes[0]["data-teks"] and "gap_anomali" in nodes[0]["data-teks"]
    assert page.select_one("div.spektra-tabel")["data-per-halaman"] == "10"
    assert page.select_one("input.cari") and page.select_one("button.berikutnya")


def test_pelanggaran_codes_carry_their_messages():
    legenda = legenda_pelanggaran()
    page = soup(tables.table_html("capaian_output", capaian_df()))
    items = page.select("tr.anomali td.pelanggaran li")
    assert [li["data-kode"] for li in items] == ["GAP_ANOMALI", "KETERANGAN_KOSONG"]
    # A reader sees the rule in Indonesian; the code only in the tooltip.
    assert items[1].get_text(" ", strip=True) == legenda["KETERANGAN_KOSONG"]
    assert items[1]["title"] == "Kode aturan: KETERANGAN_KOSONG"
    assert "KETERANGAN_KOSONG" not in page.select_one("tr.anomali td.pelanggaran").get_text()
    assert not page.select("tr.bulan:not(.anomali) td.pelanggaran li")


def test_keterangan_draf_keeps_lines_and_marks_blanks_escaped():
    html = tables.table_html("capaian_output", capaian_df())
    page = soup(html)
    cell = page.select("tr.anomali td.keterangan-draf")[0]
    assert [m.get_text() for m in cell.select("mark.isian")] == ["[isi: penyebab gap]"]
    assert cell.get_text() == "Baris satu <b>tebal</b>\nGap disebabkan [isi: penyebab gap]."
    assert "<b>tebal</b>" not in html and "&lt;Jabatan&gt;" in html
    assert "td.keterangan-draf { white-space: pre-wrap" in html


def test_capaian_legend_lists_every_code():
    from spektra_lib.present.capaian import legenda_pelanggaran_html
    legenda = legenda_pelanggaran()
    page = soup(legenda_pelanggaran_html(legenda))
    items = {li["data-kode"]: li.get_text(" ", strip=True) for li in page.select("li")}
    assert items == legenda
    assert all(li["title"] == f"Kode aturan: {li['data-kode']}" for li in page.select("li"))


def test_capaian_legend_stylesheet_is_a_style_not_page_text():
    # issue 27.2: the stylesheet was escaped and printed as ~25 lines of CSS on every page
    from spektra_lib.present.capaian import legenda_pelanggaran_html
    html = legenda_pelanggaran_html(legenda_pelanggaran())
    page = soup(html)
    assert "&lt;style" not in html and page.select("style")
    for s in page.select("style"):
        s.decompose()
    text = page.get_text(" ", strip=True)
    assert "{" not in text and "font-family" not in text
    assert text.startswith("Aturan capaian output yang dapat dilanggar:")


def status_df() -> pd.DataFrame:
    due = {1: date(2022, 2, 8), 2: date(2022, 3, 8)}
    rows = [("017231", "KANREG I", "1.A.1", "RO satu", 1, "lengkap"),
            ("017231", "KANREG I", "1.A.1", "RO satu", 2, "lengkap"),
            ("017234", "KANREG IV", "1.A.1", "RO satu", 1, "terlambat"),
            ("017234", "KANREG IV", "1.A.1", "RO satu", 2, "belum dilaporkan")]
    df = pd.DataFrame(rows, columns=["kode_satker", "nama_satker", "path", "nama_ro", "bulan",
                                     "status"])
    df["batas_waktu"] = df["bulan"].map(due)
    return df


def test_status_late_and_missing_highlighted():
    page = soup(tables.table_html("status_capaian", status_df()))
    heads = [th.get_text(" ", strip=True) for th in page.select("thead th")]
    assert heads[3:] == ["Jan batas 08/02/2022", "Feb batas 08/03/2022"]
    rows = page.select("tbody.node tr")
    assert [r.select_one("td.satker").get_text() for r in rows] == ["KANREG I", "KANREG IV"]
    assert ["perlu-tindak" in r["class"] for r in rows] == [False, True]
    late = rows[1].select("td.status")
    assert [td.get_text() for td in late] == ["Terlambat", "Belum dilaporkan"]
    assert late[0]["class"] == ["status", "status-terlambat"]
    assert "terlambat" in rows[1].parent["data-teks"]


def ikpa_df() -> pd.DataFrame:
    nan = float("nan")
    df = pd.DataFrame([
        ["017231", "KANREG I", "Revisi DIPA", nan, 5, 0.0, nan,
         "tidak dapat dihitung: jenis revisi dan pengesah 2 versi DIPA belum ada <x>", ""],
        ["017231", "KANREG I", "Penyerapan Anggaran", 92.5, 15, 46.875, 43.359375, "estimasi", ""],
        ["017231", "KANREG I", "Capaian Output", 100.0, 17, 53.125, 53.125, "estimasi", ""],
        ["017231", "KANREG I", "Nilai IKPA", 96.484375, 37, 100.0, 96.484375, "estimasi", "Sangat Baik"],
    ], columns=["kode_satker", "nama_satker", "indikator", "nilai", "bobot", "bobot_efektif",
                "nilai_tertimbang", "keterangan", "kategori"])
    df.attrs["aturan"] = "PER-4/PB/2021"
    return df


def test_ikpa_per_satker_labelled_estimasi():
    page = soup(tables.table_html("ikpa_estimasi", ikpa_df()))
    caption = page.select_one("caption").get_text()
    assert caption.startswith("Estimasi nilai IKPA") and "PER-4/PB/2021" in caption
    assert "bukan nilai resmi" in caption
    rows = [[td.get_text() for td in tr.select("td")][1:] for tr in page.select("tr.indikator")]
    assert rows[0] == ["Revisi DIPA", "", "5", "0,00", "",
                       "Tidak dapat dihitung: jenis revisi dan pengesah 2 versi DIPA belum ada <x>",
                       ""]
    assert "tidak-dihitung" in page.select("tr.indikator")[0]["class"]   # text escaped, row marked
    assert rows[1] == ["Penyerapan Anggaran", "92,50", "15", "46,88", "43,36", "Estimasi", ""]
    total = [td.get_text() for td in page.select_one("tr.total").select("td")][1:]
    assert total == ["Nilai IKPA (estimasi)", "96,48", "37", "100,00", "96,48", "Estimasi",
                     "Sangat Baik"]


def test_status_one_satker_page_has_no_satker_column():
    # issue 27.10: the satker's name repeated on every row of its own page
    page = soup(tables.table_html("status_capaian", status_df().query("kode_satker == '017234'")))
    heads = [th.get_text(" ", strip=True) for th in page.select("thead th")]
    assert heads[:2] == ["Kode RO", "Rincian Output"]
    assert not page.select("td.satker") and "KANREG IV" not in page.get_text()
    assert [len(r.select("td")) for r in page.select("tbody.node tr")] == [len(heads)]


def test_each_status_has_its_own_colour():
    import re
    html = tables.table_html("status_capaian", status_df())
    css = re.sub(r"/\*.*?\*/", "", " ".join(s.get_text() for s in soup(html).select("style")),
                 flags=re.S)
    colour = {}
    for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        bg = re.search(r"background:\s*(#[0-9a-fA-F]{6})", body)
        for part in sel.split(","):
            m = re.fullmatch(r"\s*\.status-([a-z-]+)\s*", part)
            if m and bg:
                colour[m.group(1)] = bg.group(1).lower()
    kinds = ["lengkap", "tanpa-keterangan", "belum-dilaporkan", "terlambat"]
    assert set(kinds) <= set(colour) and len({colour[k] for k in kinds}) == 4
