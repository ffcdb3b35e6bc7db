"""Downloads of rendered pages (render/downloads.py, export/pack.py): the Unduh menu, the files
next to each page with the page's numbers, the monthly pack (a zip, and the combined PDF
printed once per scope that is every report's PDF), skip and failure bookkeeping.

One render of the demo agency's dashboard and two small reports of one satker (real
notebooks, one kept kernel, one kept Chromium): ~30 s for the module.
"""
from __future__ import annotations

import re
import unicodedata
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from bs4 import BeautifulSoup

from spektra_lib.present import format as fmt
from spektra_lib.render import Scope, render

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None
                                and not Path("/usr/bin/chromium").exists(),
                                reason="Chromium Debian tidak terpasang")
TAHUN, BULAN = 2022, 5
SATKER = "017231"
MATRIX = {"semua": ["dashboard"], "satker": ["realisasi_akun", "monitoring_spp"]}
SCOPES = [Scope("semua", "semua", "Seluruh Satker"),
          Scope("satker", SATKER, "Kanreg I Yogyakarta", satker=SATKER)]


def _render(store, out, **kw):
    return render(store_path=store, tahun=TAHUN, bulan=BULAN, out=out, progress=False,
                  scopes=SCOPES, matrix=MATRIX, **kw)


@pytest.fixture(scope="module")
def site(demo_store_path, tmp_path_factory):
    from spektra_lib.render import downloads
    out = tmp_path_factory.mktemp("site")
    parallel = downloads.PARALLEL_FROM
    downloads.PARALLEL_FROM = 1         # the two scopes' PDFs printed by two processes
    try:
        result = _render(demo_store_path, out)
    finally:
        downloads.PARALLEL_FROM = parallel
    assert result.ok, result.pesan()
    return out, result


def folder(out, slug):
    return Path(out) / str(TAHUN) / f"{BULAN:02d}" / slug


def menu(html_path: Path) -> dict[str, str]:
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one("details.spektra-unduh")
    return {a.get_text(): a["href"] for a in box.select("a")} if box else {}


def combined(out, slug) -> Path:
    return folder(out, slug) / f"gabungan_{slug}_{TAHUN}-{BULAN:02d}.pdf"


def report_pages(pdf: Path, report: str) -> str:
    """The text of a report's part of a combined PDF: from its named destination to the
    next one (or the end)."""
    reader = pypdf.PdfReader(pdf)
    starts = sorted(reader.get_destination_page_number(d)
                    for d in reader.named_destinations.values())
    first = reader.get_destination_page_number(reader.named_destinations[f"/{report}"])
    end = next((s for s in starts if s > first), len(reader.pages))
    text = " ".join(reader.pages[i].extract_text() for i in range(first, end))
    return unicodedata.normalize("NFKC", text)          # the "fi" ligature as two letters


def test_every_page_has_a_menu_of_its_files_and_its_place_in_the_combined_pdf(site):
    out, _ = site
    for slug, reports in (("semua", ["dashboard"]), (SATKER, MATRIX["satker"])):
        pdf = combined(out, slug).name
        for report in reports:
            links = menu(folder(out, slug) / f"{report}.html")
            assert links == {"Excel (.xlsx)": f"{report}.xlsx", "Word (.docx)": f"{report}.docx",
                             "PDF (di PDF gabungan)": f"{pdf}#nameddest={report}"}
            for href in links.values():
                assert (folder(out, slug) / href.split("#")[0]).stat().st_size > 1000
            # the files download; the PDF link opens the combined PDF at the report (a
            # `download` link would save the whole file and drop the #nameddest)
            box = BeautifulSoup((folder(out, slug) / f"{report}.html").read_text(
                encoding="utf-8"), "html.parser").select_one("details.spektra-unduh")
            assert {a.get_text(): a.has_attr("download") for a in box.select("a")} == {
                "Excel (.xlsx)": True, "Word (.docx)": True, "PDF (di PDF gabungan)": False}
            # no PDF of its own on the site: the combined PDF is the report's PDF
            assert not (folder(out, slug) / f"{report}.pdf").exists()
        reader = pypdf.PdfReader(combined(out, slug))
        assert {k.lstrip("/") for k in reader.named_destinations} == set(reports)


def _page_total_row(html_path: Path) -> list[str]:
    """The texts of the page table's first body row (the satker total)."""
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    row = soup.select_one(".jp-OutputArea-output table tbody tr")
    return [td.get_text(" ", strip=True) for td in row.find_all("td")]


def test_downloads_hold_the_numbers_the_page_shows(site, demo_store):
    from spektra_lib import reports
    out, _ = site
    d = folder(out, SATKER)
    df = reports.run("realisasi_akun", demo_store, tahun=TAHUN, bulan=BULAN, satker=SATKER)
    top = df.iloc[0]
    pagu, real = fmt.rupiah(top["pagu"]), fmt.rupiah(top["realisasi"])
    shown = " ".join(_page_total_row(d / "realisasi_akun.html"))
    assert pagu in shown and real in shown
    ws = openpyxl.load_workbook(d / "realisasi_akun.xlsx")["Laporan"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert float(top["pagu"]) in values and float(top["realisasi"]) in values
    assert ws["A1"].value == "Realisasi per Program s.d. Akun"
    word = docx.Document(d / "realisasi_akun.docx")
    cells = [c.text for c in word.tables[0].rows[1].cells]
    assert pagu in cells and real in cells
    text = report_pages(combined(out, SATKER), "realisasi_akun")
    assert pagu in text and real in text and "Januari s.d. Mei 2022" in text


def test_dashboard_downloads_have_both_charts_and_three_rankings(site):
    out, _ = site
    d = folder(out, "semua")
    wb = openpyxl.load_workbook(d / "dashboard.xlsx")
    assert wb.sheetnames == ["RPD dan Realisasi", "Target dan Realisasi", "Ranking Satker",
                             "Ranking Unit Kerja", "Ranking Prioritas Nasional"]
    page = d / "dashboard.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    ranking = next(t for t in soup.select(".jp-OutputArea-output table")
                   if t.thead and "Nama Satker" in t.thead.get_text())
    first = [td.get_text(strip=True) for td in ranking.tbody.tr.find_all("td")]
    nama, pagu = first[1], first[2]
    sheet = [[c.value for c in row] for row in wb["Ranking Satker"].iter_rows()]
    top = next(row for row in sheet if row[0] == 1)
    assert nama in top and fmt.rupiah(top[3]) == pagu
    word = docx.Document(d / "dashboard.docx")
    assert len(word.inline_shapes) == 2 and len(word.tables) == 3
    heads = [p.text for p in word.paragraphs if p.runs and p.runs[0].bold]
    from spektra_lib.reports.catalog import judul
    parts = ["grafik_rpd_realisasi", "grafik_target_realisasi", "ranking_satker",
             "ranking_unit", "ranking_prioritas_nasional"]
    assert heads[-5:] == [judul(r) for r in parts]    # after the title block
    text = report_pages(combined(out, "semua"), "dashboard").replace("\n", " ")
    for r in parts:
        assert judul(r) in text
    assert nama in text and pagu in text


def _fonts(reader: pypdf.PdfReader) -> list[str]:
    """The /FontName of every embedded font program the pages use (one per font subset
    in the file), following the pages' and their forms' (charts') resources."""
    found: dict[int, str] = {}
    seen: set[int] = set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            for f in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
                desc = f.get("/FontDescriptor")
                if desc is not None and any(k in desc.get_object()
                                            for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found[desc.idnum] = str(desc.get_object()["/FontName"])
        for ref in (resources.get("/XObject") or {}).values():
            if getattr(ref, "idnum", None) in seen:
                continue
            seen.add(getattr(ref, "idnum", None))
            if ref.get_object().get("/Subtype") == "/Form":
                walk(ref.get_object().get("/Resources"))
    for page in reader.pages:
        walk(page.get("/Resources"))
    return sorted(found.values())


def test_scope_pack_zip_and_one_combined_pdf_with_a_bookmark_per_report(site):
    out, _ = site
    d = folder(out, SATKER)
    zp = d / f"paket_{SATKER}_{TAHUN}-{BULAN:02d}.zip"
    names = zipfile.ZipFile(zp).namelist()
    # Excel and Word in the zip; the reports' PDF is the combined PDF beside it
    assert sorted(Path(n).name for n in names) == sorted(
        f"{r}{s}" for r in MATRIX["satker"] for s in (".xlsx", ".docx"))
    merged = pypdf.PdfReader(combined(out, SATKER))
    titles = {"realisasi_akun": "Realisasi per Program s.d. Akun",
              "monitoring_spp": "Monitoring SPP / SPM / SP2D"}
    named = {k.lstrip("/"): merged.get_destination_page_number(v)
             for k, v in merged.named_destinations.items()}
    # a cover with the contents, then every report from a new page, in page order
    assert set(named) == set(MATRIX["satker"]) and named["realisasi_akun"] == 1
    assert named["monitoring_spp"] > 1
    marks = [(o.title, merged.get_destination_page_number(o)) for o in merged.outline]
    assert marks == [(titles[r], named[r]) for r in MATRIX["satker"]]
    for report, page in named.items():
        text = merged.pages[page].extract_text()
        # the report's own title block, and its name in the footer of its pages
        assert text.count(titles[report]) >= 2 and "Posisi data" in text, report
        assert f"Halaman {page + 1} dari {len(merged.pages)}" in text
    # one print: one set of font subsets for all reports (was one per report's PDF)
    fonts = _fonts(merged)
    assert fonts and len(fonts) == len(set(f.split("+")[-1] for f in fonts)), fonts
    cover = merged.pages[0].extract_text(extraction_mode="layout")
    assert "Laporan Bulanan SPEKTRA" in cover and "Daftar isi" in cover
    assert "Dibuat" in cover and "Mei 2022" in cover and "Kanreg I Yogyakarta" in cover
    # each contents line: the report's title and the page it starts on, a link to it
    for report, page in named.items():
        assert re.search(rf"{re.escape(titles[report])}\s+{page + 1}\s*$", cover, re.M), cover
    links = {str(a.get_object()["/Dest"]).lstrip("/")
             for a in merged.pages[0]["/Annots"] if a.get_object().get("/Subtype") == "/Link"}
    assert links == set(MATRIX["satker"])
    index = BeautifulSoup((d / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in index.select("a")]
    assert zp.name in hrefs and combined(out, SATKER).name in hrefs


def test_printable_pages_are_kept_outside_the_period_folders(site):
    out, _ = site
    kept = {p.relative_to(out).as_posix() for p in Path(out).rglob("*.html.gz")}
    assert kept == {f".spektra-cetak/{TAHUN}/{BULAN:02d}/{slug}/{r}.html.gz"
                    for slug, r in [("semua", "dashboard")] + [(SATKER, r)
                                                               for r in MATRIX["satker"]]}
    period = Path(out) / str(TAHUN)
    assert not [p for p in period.rglob(".*")]      # nothing hidden in the published folders


def test_hidden_data_cell_is_not_in_the_saved_notebook(site):
    out, _ = site
    text = (folder(out, SATKER) / "monitoring_spp.ipynb").read_text(encoding="utf-8")
    assert "simpan_data" not in text and "spektra-unduh" not in text
    assert not list(Path(out).rglob("*.pkl")) and not list(Path(out).rglob(".*.tmp*"))


def test_rerun_skips_and_a_missing_download_remakes_its_page_and_pack(site, demo_store_path):
    out, _ = site
    d = folder(out, SATKER)
    again = _render(demo_store_path, out)
    assert again.done == [] and len(again.skipped) == 3
    zp = d / f"paket_{SATKER}_{TAHUN}-{BULAN:02d}.zip"
    before = zp.stat().st_mtime_ns
    pdf = combined(out, SATKER)
    pdf_before = pdf.stat().st_mtime_ns
    (d / "monitoring_spp.docx").unlink()
    third = _render(demo_store_path, out)
    assert third.done == [(SATKER, "monitoring_spp")]
    assert (d / "monitoring_spp.docx").exists() and zp.stat().st_mtime_ns != before
    # the report was made again: its scope's combined PDF too, the other scope's not
    assert pdf.stat().st_mtime_ns != pdf_before
    semua = combined(out, "semua").stat().st_mtime_ns
    printable = Path(out) / f".spektra-cetak/{TAHUN}/{BULAN:02d}/{SATKER}/realisasi_akun.html.gz"
    printable.unlink()                  # lost print source: its page is made again
    fourth = _render(demo_store_path, out)
    assert fourth.done == [(SATKER, "realisasi_akun")] and printable.exists()
    assert combined(out, "semua").stat().st_mtime_ns == semua
    assert {k.lstrip("/") for k in pypdf.PdfReader(pdf).named_destinations} == set(
        MATRIX["satker"])


def test_a_failed_export_is_reported_and_left_out_of_the_menu(site, demo_store_path,
                                                              monkeypatch, tmp_path):
    import spektra_lib.export as export
    real_write = export.write

    def broken(df, path, **kw):
        if Path(path).suffix == ".docx":
            raise OSError("disk penuh")
        return real_write(df, path, **kw)
    monkeypatch.setattr(export, "write", broken)
    out = tmp_path / "site"
    result = render(store_path=demo_store_path, tahun=TAHUN, bulan=BULAN, out=out,
                    progress=False, scopes=SCOPES[1:], matrix={"satker": ["monitoring_spp"]})
    assert [(s, r) for s, r, _ in result.failed] == [(SATKER, "monitoring_spp")]
    assert re.search(r"unduhan docx gagal: OSError: disk penuh", result.failed[0][2])
    assert set(menu(folder(out, SATKER) / "monitoring_spp.html")) == {"Excel (.xlsx)",
                                                                       "PDF (di PDF gabungan)"}
    monkeypatch.setattr(export, "write", real_write)
    fixed = render(store_path=demo_store_path, tahun=TAHUN, bulan=BULAN, out=out,
                   progress=False, scopes=SCOPES[1:], matrix={"satker": ["monitoring_spp"]})
    assert fixed.ok and fixed.done == [(SATKER, "monitoring_spp")]   # not skipped: it failed


def test_tanpa_unduhan_makes_pages_only_and_drops_the_old_files(demo_store_path, tmp_path):
    from spektra_lib.cli import main
    out = tmp_path / "site"
    args = ["render", "--tahun", str(TAHUN), "--bulan", str(BULAN), "--satker", SATKER,
            "--report", "monitoring_spp", "--store", str(demo_store_path), "--out", str(out)]
    assert main(args) == 0
    d = folder(out, SATKER)
    assert (d / "monitoring_spp.xlsx").exists()
    assert main(args + ["--tanpa-unduhan"]) == 0          # a new key: the page is made again
    assert (d / "monitoring_spp.html").exists()
    assert not any((d / f"monitoring_spp{s}").exists() for s in (".xlsx", ".docx", ".pdf"))
    assert not list((out / ".spektra-cetak").rglob("monitoring_spp*"))
    assert menu(d / "monitoring_spp.html") == {}
    assert "No SPP" in (d / "monitoring_spp.html").read_text(encoding="utf-8")
