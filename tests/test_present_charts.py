"""present.charts: encodings and colours of the dashboard charts; offline drawing."""
from __future__ import annotations

import json

import pytest

from spektra_lib.present import charts

import present_fixture as fx


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def data_of(spec: dict, layer: dict) -> list[dict]:
    name = layer.get("data", spec.get("data"))["name"]
    return spec["datasets"][name]


def test_rpd_chart_black_plan_blue_realisasi_with_rupiah_tooltips():
    spec = charts.rpd(fx.grafik_rpd()).to_dict()
    enc = spec["encoding"]
    assert spec["mark"]["type"] == "line"
    assert enc["x"]["scale"]["domain"][:5] == ["Jan", "Feb", "Mar", "Apr", "Mei"]
    assert enc["x"]["scale"]["domain"][-1] == "Des"
    colours = dict(zip(enc["color"]["scale"]["domain"], enc["color"]["scale"]["range"]))
    assert colours == {"Rencana penarikan dana (kumulatif)": "#000000",
                       "Realisasi (kumulatif)": "#1f5fd6"}
    rows = data_of(spec, spec)
    real = [r for r in rows if r["seri"] == "Realisasi (kumulatif)"]
    assert [r["Bulan"] for r in real] == ["Jan", "Feb", "Mar", "Apr", "Mei"]  # none after Mei
    assert real[0]["Nilai"] == "Rp18.000.000.000"
    assert {t["field"] for t in enc["tooltip"]} == {"Nama bulan", "seri", "Nilai"}
    assert enc["y"]["title"] == "Miliar rupiah"
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_target_chart_dashed_targets_and_bars_by_jenis():
    spec = charts.target_jenis_belanja(fx.grafik_target()).to_dict()
    bar, line = layers(spec)
    assert bar["mark"]["type"] == "bar" and line["mark"]["type"] == "line"
    assert line["mark"]["strokeDash"] == [6, 4]
    assert bar["encoding"]["y"]["field"] == "realisasi_persen"
    assert line["encoding"]["y"]["field"] == "target_persen"
    scale = bar["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"]))
    assert colours["Pegawai"] == "#1f77b4"   # blue
    assert colours["Barang"] == "#d62728"    # red
    assert colours["Modal"] == "#2ca02c"     # green
    assert colours["Bansos"] not in (colours["Pegawai"], colours["Barang"], colours["Modal"])
    assert bar["encoding"]["xOffset"]["field"] == "Jenis belanja"
    rows = data_of(spec, bar)
    mei = [r for r in rows if r["Bulan"] == "Mei" and r["Jenis belanja"] == "Barang"][0]
    assert (mei["Target"], mei["Realisasi"]) == ("40,00 %", "37,50 %")


def test_embed_html_calls_global_vega_embed_and_escapes_script_end():
    df = fx.ranking().rename(columns={"nama": "n"})
    import altair as alt
    chart = alt.Chart(df.assign(n="</script><script>alert(1)</script>")).mark_bar().encode(
        x="n:N", y="pagu:Q")
    html = charts.embed_html(chart, element_id="grafik-uji")
    assert html.startswith('<div id="grafik-uji" class="spektra-grafik" style="width:100%"></div>')
    assert 'vegaEmbed("#grafik-uji", spec, {actions: false})' in html
    assert html.count("</script>") == 1 and "cdn" not in html.lower()
    spec_text = html.split("var spec = ", 1)[1].split(";\n", 1)[0].replace("<\\/", "</")
    assert json.loads(spec_text)["mark"]["type"] == "bar"


def test_renderer_registered_for_altair():
    import altair as alt
    assert "spektra" in alt.renderers.names()
    bundle = alt.renderers.get()  # the default one stays active
    assert bundle is not None and alt.renderers.active != "spektra"


def test_chart_svg_and_bundle(tmp_path):
    svg = charts.chart_svg(charts.target_jenis_belanja(fx.grafik_target()))
    assert svg.lstrip().startswith("<svg") and "Pegawai" in svg and "Mei" in svg
    path = charts.write_chart_bundle(tmp_path / "assets" / "vega.js")
    text = path.read_text()
    assert "vegaEmbed" in text and len(text) > 500_000
    assert "import " not in text[:200]  # a classic script, not an ES module


def test_chart_as_wide_as_its_page_and_a_file_fixed_width():
    # issue 27.9: a fixed 640 px was half the page at 1280 and a third at 1920
    import re

    import pandas as pd

    from spektra_lib.present import charts
    df = pd.DataFrame({"bulan": [1, 2, 1, 2], "jenis_belanja": ["51", "51", "53", "53"],
                       "target_persen": [8.0, 16.0, 7.0, 14.0],
                       "realisasi_persen": [6.0, 12.0, 0.0, 0.0]})
    chart = charts.target_jenis_belanja(df)
    spec = chart.to_dict()
    assert spec["width"] == "container" and spec["config"]["autosize"]["type"] == "fit-x"
    assert spec["title"]["subtitle"] == [
        "Batang: realisasi kumulatif (% dari pagu); garis putus-putus: target penyerapan "
        "instansi (bukan target IKPA).",
        "Tanpa batang: Modal — belum ada realisasi s.d. Februari."]
    svg = charts.chart_svg(chart)
    assert int(re.search(r'<svg[^>]* width="(\d+)', svg).group(1)) >= charts.LEBAR_BERKAS


@pytest.mark.parametrize("name", ["grafik_rpd_realisasi", "grafik_target_realisasi",
                                  "ikpa_riwayat", "grafik_proyeksi"])
def test_every_catalog_chart_is_valid_vega_lite_on_the_demo(demo_store, name):
    """Pages draw charts without validating them (charts._spec); here each catalog chart,
    on the demo's data for a satker and for the agency where it has one, is validated
    against the Vega-Lite schema Altair ships, and equals the page's spec."""
    from spektra_lib import reports
    from spektra_lib.present import charts
    from spektra_lib.reports import catalog
    assert {e.bagan for e in catalog.LAPORAN.values() if e.bagan} == set(charts.CHARTS)
    scopes = [dict(satker="017231")] + ([] if catalog.LAPORAN[name].satker_wajib else [{}])
    for scope in scopes:
        df = reports.run(name, demo_store, tahun=2022, bulan=5, **scope)
        assert len(df)
        chart = charts.chart_for(name, df)
        assert chart.to_dict(validate=True) == charts._spec(chart)
