"""present.tables / present.tree: what a user reads in the report tables."""
from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from spektra_lib import parameters
from spektra_lib.present import tables

import present_fixture as fx


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def texts(row) -> list[str]:
    return [td.get_text(strip=True) for td in row.find_all("td")]


def test_deviasi_detail_months_colours_and_blank_future():
    page = soup(tables.table_html("deviasi_detail", fx.deviasi_detail()))
    nodes = page.select("tbody.node")
    assert [n["data-kode"] for n in nodes] == ["BK", "WA", "4843", "1"]
    head = [th.get_text() for th in page.select("thead th")]
    assert head == ["Kode", "Uraian", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu",
                    "Sep", "Okt", "Nov", "Des"]
    dev = nodes[0].select_one("tr.deviasi")
    assert texts(dev)[:7] == ["", "Deviasi", "5,00 %", "15,00 %", "45,00 %", "0,00 %", "38,78 %"]
    cells = dev.find_all("td")[2:]
    assert [[k for k in c["class"] if k.startswith("warna-")] for c in cells[:5]] == \
        [[f"warna-{w}"] for w in fx.WARNA]
    assert "warna-merah" in cells[4]["class"]
    # After the reporting month: blank "belum jatuh tempo", never a deviation of 100 %.
    for c in cells[5:]:
        assert "belum-jatuh-tempo" in c["class"] and c.get_text() == ""
    assert "100,00 %" not in page.get_text()
    assert nodes[0].select_one("tr.judul span.pagu").get_text() == "Pagu: 237.864.572.000"
    # Rencana / realisasi travel as compact data that tabel.js turns into rows on "+"
    # (the browser tests read the rows themselves).
    rencana = nodes[0]["data-rencana"].split("|")
    assert rencana[:2] == ["8.119.369.897", "16.238.739.794"] and len(rencana) == 12
    assert rencana[-1] == "97.432.438.764"  # rencana stays shown for future months
    realisasi = nodes[0]["data-realisasi"].split("|")
    assert realisasi[0] == "9.048.762.480" and len(realisasi) == 5  # Jan..Mei only
    assert page.select_one("div.spektra-tabel")["data-baris"] == "Rencana|Realisasi"


def test_deviasi_colours_come_from_parameters():
    html = tables.table_html("deviasi_detail", fx.deviasi_detail())
    rgb = parameters.load("deviasi")["rgb"]
    for warna in ("hijau", "kuning", "merah"):
        assert f"td.warna-{warna} {{ background: #{rgb[warna]}; }}" in html


def test_deviasi_toggle_hides_rencana_and_realisasi():
    page = soup(tables.table_html("deviasi_detail", fx.deviasi_detail()))
    for node in page.select("tbody.node"):
        # the + button is tabel.js's (it does nothing without the script); the browser
        # test presses it
        assert node.select_one("button.toggle") is None
        # no rencana / realisasi rows until the node is opened
        assert node.select_one("tr.rencana") is None and node.select_one("tr.realisasi") is None
        assert node.has_attr("data-rencana") and node.has_attr("data-realisasi")
        assert not node.select_one("tr.deviasi").has_attr("hidden")
    assert "window.spektraTabel(" in str(page.select_one("script"))


def test_hierarchy_indented_parents_bold_and_ancestors_recorded():
    page = soup(tables.table_html("deviasi_detail", fx.deviasi_detail()))
    nodes = page.select("tbody.node")
    assert [int(n["data-depth"]) for n in nodes] == [0, 1, 2, 8]
    assert [n.select_one("td.uraian")["class"] for n in nodes] == \
        [["uraian", f"d{d}"] for d in (0, 1, 2, 8)]
    assert ["induk" in n.select_one("tr.judul")["class"] for n in nodes] == [True, True, True,
                                                                            False]
    assert nodes[3]["data-induk"] == "0 1 2"


def test_data_text_is_escaped():
    for name, df in [("deviasi_detail", fx.deviasi_detail()),
                     ("realisasi_pok", fx.realisasi_pok()), ("ranking_satker", fx.ranking())]:
        html = tables.table_html(name, df)
        assert "<script>alert(1)</script>" not in html and "<b>x</b>" not in html
        assert "<b>Kanreg</b>" not in html
    page = soup(tables.table_html("deviasi_detail", fx.deviasi_detail()))
    assert "<script>alert(1)</script>" in page.get_text()  # shown as text


def test_deviasi_kumulatif_seed_shape():
    page = soup(tables.table_html("deviasi_kumulatif", fx.deviasi_kumulatif()))
    assert [th.get_text() for th in page.select("thead th")][:3] == ["No", "Satker / Unit Kerja",
                                                                     "Jan"]
    node = page.select("tbody.node")[1]
    assert texts(node.select_one("tr.judul"))[0] == "2"
    assert texts(node.select_one("tr.deviasi"))[1] == "Deviasi Kumulatif"
    # the labels of the rows "+" builds (tests/test_present_browser.py opens them)
    assert page.select_one("div.spektra-tabel")["data-baris"] == \
        "Rencana Kumulatif|Realisasi Kumulatif"


def test_realisasi_pok_seed_columns():
    page = soup(tables.table_html("realisasi_pok", fx.realisasi_pok()))
    assert [th.get_text() for th in page.select("thead th")] == [
        "Kode", "Uraian", "Volume", "Harga Satuan", "Jumlah Biaya", "Realisasi", "% Realisasi",
        "Sisa"]
    rows = page.select("tbody.node tr")
    assert texts(rows[2]) == ["511111", "Belanja Gaji Pokok PNS", "", "", "50.857.454.000",
                              "21.998.809.490", "43,26 %", "28.858.644.510"]
    assert texts(rows[3]) == ["", "- Belanja Gaji Pokok PNS", "1 THN", "42.232.058.000",
                              "42.232.058.000", "17.876.795.200", "42,33 %", "24.355.262.800"]
    assert "induk" in rows[2]["class"] and "induk" not in rows[3]["class"]
    assert all("angka" in td["class"] for td in rows[3].find_all("td")[2:])


def test_realisasi_akun_has_no_item_columns():
    df = fx.realisasi_pok().drop(columns=["volume", "satuan", "harga_satuan"]).iloc[:3]
    page = soup(tables.table_html("realisasi_akun", df))
    assert [th.get_text() for th in page.select("thead th")] == [
        "Kode", "Uraian", "Pagu", "Realisasi", "% Realisasi", "Sisa"]
    assert page.select_one("div.spektra-tabel")["data-laporan"] == "realisasi_akun"


def test_ranking_headers_and_numbers():
    shown = tables.format_flat("ranking_satker", fx.ranking())
    assert list(shown.columns) == ["No", "Nama Satker", "Pagu", "Realisasi", "% Realisasi",
                                   "Sisa"]
    assert shown.iloc[0].tolist()[2:] == ["18.941.565.000", "7.345.314.825", "38,78 %",
                                          "11.596.250.175"]
    assert tables.format_flat("realisasi_satker", fx.ranking()).columns[1] == "Satker / Unit Kerja"
    html = tables.table_html("ranking_satker", fx.ranking())
    assert '"dt-right"' in html and '"Cari:"' in html and "38,78 %" in html
    assert "&lt;b&gt;Kanreg&lt;/b&gt;" in html


def test_monitoring_spp_dates_and_unit_names():
    shown = tables.format_flat("monitoring_spp", fx.monitoring_spp(),
                               nama_unit={"BK": "Biro Keuangan"})
    assert list(shown.columns) == ["No", "No SPP", "Tgl SPP", "No SPM", "Tgl SPM", "No SP2D",
                                   "Tgl SP2D", "Uraian", "Jenis SPP", "Nilai", "Status",
                                   "Unit Kerja"]
    row = shown.iloc[0]
    assert (row["Tgl SPP"], row["Tgl SP2D"], row["No SP2D"]) == ("03/01/2022", "", "")
    assert (row["Nilai"], row["Unit Kerja"]) == ("4.651.803.651", "Biro Keuangan")
    html = tables.table_html("monitoring_spp", fx.monitoring_spp())
    assert "<Januari>" not in html and "&lt;Januari&gt;" in html


def test_fast_rupiah_matches_babel():
    from babel.numbers import format_decimal

    from spektra_lib.present import format as fmt
    values = [0, -0.4, 0.5, 1.5, 2.5, -1234567.5, 1234567.49, 999, 1000, 18_941_565_000,
              -7_345_314_825.0, 1e15]
    assert [fmt.rupiah(v) for v in values] == [
        format_decimal(round(float(v), 0), format="#,##0", locale="id_ID") for v in values]
    assert fmt.rupiah(None) == fmt.rupiah(float("nan")) == ""


@settings(max_examples=3000, deadline=None)
@given(x=st.one_of(st.floats(allow_nan=False), st.floats(-1e6, 1e6),
                   st.integers(-10**16, 10**16).map(lambda i: i / 100),
                   st.sampled_from([0.0, -0.0, -0.004, 0.005, 2.675, 1e15 - 0.5, 1e-7])),
       decimals=st.integers(0, 4))
def test_rupiah_persen_angka_are_babels_own_output_for_any_float(x, decimals):
    """format.py writes id_ID numbers itself (20x faster); Babel is the reference (up to
    its 28-digit precision: beyond, Babel fails and format.py writes the float's digits)."""
    from babel.numbers import format_decimal

    from spektra_lib.present import format as fmt
    r = round(float(x), decimals)
    for f in (fmt.rupiah, fmt.persen, fmt.angka):
        assert isinstance(f(x, decimals), str) and f(x, decimals)
    if abs(r) >= 10.0 ** (28 - decimals):
        return
    zeros = "#,##0" + ("." + "0" * decimals if decimals else "")
    hashes = "#,##0" + ("." + "#" * decimals if decimals else "")
    assert fmt.rupiah(x, decimals) == format_decimal(r, format=zeros, locale="id_ID")
    assert fmt.persen(x, decimals) == format_decimal(r, format=zeros, locale="id_ID") + " %"
    assert fmt.angka(x, decimals) == format_decimal(r, format=hashes, locale="id_ID")


BAD = '"><script>alert(1)</script><b>x</b>'


def test_every_grouped_style_escapes_data_text_and_attributes():
    """The Jinja templates autoescape: text from data stays text in cells and attributes."""
    from test_present_capaian import capaian_df, ikpa_df, status_df
    kum = fx.deviasi_kumulatif()
    kum.loc[kum.index[0], "uraian"] = BAD
    pok = fx.realisasi_pok()
    pok.loc[pok.index[0], "kode"] = BAD
    cap, st, ik = capaian_df(), status_df(), ikpa_df()
    cap["nama_ro"] = BAD
    cap["keterangan_draf"] = BAD + " [isi: <i>penyebab</i>]"
    st["nama_satker"] = BAD
    ik["nama_satker"] = BAD
    ik.attrs["aturan"] = BAD
    for name, df in [("deviasi_kumulatif", kum), ("realisasi_pok", pok), ("capaian_output", cap),
                     ("status_capaian", st), ("ikpa_estimasi", ik)]:
        html = tables.table_html(name, df)
        assert "<script>alert(1)</script>" not in html and "<b>x</b>" not in html, name
        assert "<i>penyebab</i>" not in html, name
        page = soup(html)
        assert page.select("tbody.node"), name          # the attribute quote did not break out
        assert not page.select("b"), name
        assert "<script>alert(1)</script>" in page.get_text(), name


def test_column_widths_follow_the_catalog():
    """Uraian wide and wrapping, numbers right-aligned and never wrapped (tabel.css)."""
    page = soup(tables.table_html("realisasi_pok", fx.realisasi_pok()))
    heads = {th.get_text(): th["class"] for th in page.select("thead th")}
    assert "w-lebar" in heads["Uraian"] and "w-sempit" in heads["Kode"]
    assert "angka" in heads["Jumlah Biaya"] and "angka" in heads["% Realisasi"]
    css = page.select_one("style").get_text()
    assert "table-layout: auto" in css
    assert "td.angka { text-align: right; white-space: nowrap" in css
    assert "td.uraian { white-space: normal" in css
    # the expanded deviasi rows: twelve months of rupiah scroll sideways, never overlap
    dev = soup(tables.table_html("deviasi_detail", fx.deviasi_detail()))
    assert dev.select_one("div.gulir > table.spektra")
    assert all("angka" in th["class"] for th in dev.select("thead th")[2:])


def test_page_number_box_and_short_tables_without_pager():
    page = soup(tables.table_html("realisasi_pok", fx.realisasi_pok()))
    assert page.select_one("input.ke-halaman[type=number]")
    from test_present_capaian import ikpa_df
    ikpa = soup(tables.table_html("ikpa_estimasi", ikpa_df()))
    # one satker: no "Halaman 1 dari 1 (1 baris)" pager (tabel.css hides it)
    assert "ringkas" in ikpa.select_one("div.spektra-tabel")["class"]


def test_monitoring_spp_numbered_and_empty_columns_hidden():
    df = fx.monitoring_spp()
    shown = tables.format_flat("monitoring_spp", df, nama_unit={"BK": "Biro Keuangan"})
    assert shown.columns[0] == "No" and shown["No"].tolist()[:2] == ["1", "2"][:len(df)]
    kanreg = df.assign(kode_unit=None)          # a Kanreg has no unit kerja
    assert "Unit Kerja" not in tables.format_flat("monitoring_spp", kanreg).columns


def test_page_text_names_no_code_parameters():
    from spektra_lib.reports import catalog
    for entry in list(catalog.LAPORAN.values()):
        assert "`" not in entry.pengantar, entry.name


def test_total_row_under_realisasi_satker_and_rekap_jenis_belanja():
    # issue 27.13: the two money tables had no Jumlah row
    df = pd.DataFrame({"jenis_belanja": ["51", "52"], "pagu": [1_000_000.0, 3_000_000.0],
                       "realisasi": [500_000.0, 700_000.0], "persen_realisasi": [50.0, 23.33],
                       "sisa": [500_000.0, 2_300_000.0]})
    from spektra_lib.reports.keuangan import dengan_jumlah
    df = dengan_jumlah(df)
    shown = tables.format_flat("rekap_jenis_belanja", df)
    assert shown.iloc[-1].tolist() == ["Jumlah", "4.000.000", "1.200.000", "30,00 %",
                                       "2.800.000"]
    html = tables.table_html("rekap_jenis_belanja", df)
    assert "tr:last-child td { font-weight: bold" in html
    sat = pd.DataFrame({"peringkat": [1, 2], "kode": ["017231", "017232"],
                        "nama": ["KANREG I", "KANREG II"], "pagu": [10.0, 30.0],
                        "realisasi": [5.0, 5.0], "persen_realisasi": [50.0, 16.67],
                        "sisa": [5.0, 25.0]})
    sat = dengan_jumlah(sat)
    last = tables.format_flat("realisasi_satker", sat).iloc[-1].tolist()
    assert last == ["", "Jumlah", "40", "10", "25,00 %", "30"]
    from spektra_lib.export.common import display_text, grids
    row = grids(sat, "realisasi_satker", full=True)[0].rows[-1]
    assert row.bold and [display_text(v, k) for v, k in zip(row.values, row.kinds)] == [
        "", "", "Jumlah", "40", "10", "25,00 %", "30"]
    # no total on an empty table, none on a ranking
    assert len(tables.format_flat("rekap_jenis_belanja", df.iloc[:0])) == 0
    assert "Jumlah" not in tables.format_flat("ranking_satker", sat).to_string()


def test_deviasi_pagu_follows_the_uraian_not_under_a_month():
    # issue 27.13: "Pagu: …" sat in the last two month columns and read as Nov/Des values
    page = soup(tables.table_html("deviasi_detail", fx.deviasi_detail()))
    for judul in page.select("tr.judul"):
        cells = judul.find_all("td", recursive=False)
        assert len(cells) == 2 and cells[1].get("colspan") == "13"
        assert cells[1].select_one("span.pagu").get_text().startswith("Pagu: ")
