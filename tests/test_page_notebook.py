"""page.notebook.Halaman: titles from parameters, tables, charts per mode, notes."""
from __future__ import annotations

import pytest

from spektra_lib.page.notebook import Halaman, latest_period
from spektra_lib.store import Store

from reports_fixture import load_seed


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("halaman") / "seed.duckdb"
    with Store(path) as store:
        load_seed(store)
    return path


def test_title_rendered_from_parameters(store_path):
    h = Halaman(store=store_path, tahun=2022, bulan=5, satker="017220")
    nama = h.scope()
    assert h.teks_judul("deviasi_detail") == \
        f"Deviasi Rencana dan Realisasi Detail — {nama} — s.d. Mei 2022"
    assert h.teks_judul("realisasi_pok").endswith("— Januari s.d. Mei 2022")
    # Rankings take no satker: their title names the whole agency.
    assert "— Seluruh Satker —" in h.teks_judul("ranking_satker")
    assert h.judul("monitoring_spp").data.startswith("# Monitoring SPP / SPM / SP2D — ")
    ranged = Halaman(store=store_path, tahun=2022, bulan=5, bulan_dari=3)
    assert ranged.teks_judul("realisasi_satker").endswith("— Maret s.d. Mei 2022")


def test_store_opened_read_only_from_environment(store_path, monkeypatch):
    monkeypatch.setenv("SPEKTRA_STORE", str(store_path))
    h = Halaman(tahun=2022, bulan=5)
    with pytest.raises(Exception):
        h.store.con.execute("DELETE FROM satker")
    assert latest_period(h.store)[0] == 2022


def test_data_passes_only_accepted_parameters(store_path):
    h = Halaman(store=store_path, tahun=2022, bulan=5, satker="017220", jenis_belanja="51")
    ranking = h.data("ranking_satker")        # takes jenis_belanja, not satker
    assert len(ranking) > 1
    pok = h.data("realisasi_pok")
    assert pok.iloc[0]["level"] == "satker"


def test_tables_and_notes(store_path):
    h = Halaman(store=store_path, tahun=2022, bulan=5, satker="017220")
    html = h.tabel("deviasi_detail").data
    assert 'data-laporan="deviasi_detail"' in html and "warna-" in html
    assert h.catatan("deviasi_detail") is None   # item-level realisasi present: no note
    h.data("realisasi_pok").attrs["catatan"] = "Realisasi <tingkat> akun"
    assert "Realisasi &lt;tingkat&gt; akun" in h.catatan("realisasi_pok").data


def test_chart_modes(store_path):
    jupyter = Halaman(store=store_path, tahun=2022, bulan=5, grafik="jupyter")
    assert type(jupyter.grafik("grafik_rpd_realisasi")).__module__.startswith("altair")
    page = Halaman(store=store_path, tahun=2022, bulan=5, grafik="halaman")
    html = page.grafik("grafik_target_realisasi").data
    assert "vegaEmbed(" in html and len(html) < 100_000
    alone = Halaman(store=store_path, tahun=2022, bulan=5, grafik="mandiri")
    first = alone.grafik("grafik_rpd_realisasi").data
    second = alone.grafik("grafik_target_realisasi").data
    assert len(first) > 500_000 and len(second) < 100_000   # the bundle travels once
    with pytest.raises(ValueError, match="SPEKTRA_GRAFIK"):
        Halaman(store=store_path, tahun=2022, bulan=5, grafik="cdn")


def test_user_sees_own_satker_and_is_refused_others(store_path, tmp_path, monkeypatch):
    import shutil

    from spektra_lib import parameters
    from spektra_lib.problems import AksesDitolak
    params = tmp_path / "parameters"
    shutil.copytree(parameters.directory(), params)
    (params / "akses.yaml").write_text(
        "pengguna:\n  kanreg1:\n    peran: user\n    satker: '017231'\n", encoding="utf-8")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(params))
    monkeypatch.setenv("SPEKTRA_USER", "kanreg1")
    h = Halaman(store=store_path, tahun=2022, bulan=5)
    assert h.params["satker"] == "017231"
    assert h.data("realisasi_pok").iloc[0]["kode"] == "017231"
    assert "— Seluruh Satker —" not in h.teks_judul("realisasi_pok")
    with pytest.raises(AksesDitolak):
        Halaman(store=store_path, tahun=2022, bulan=5, satker="017220").data("realisasi_pok")


def test_an_analysts_bare_dataframe_shows_rupiah_as_rupiah(store_path):
    """Issue 15: under `make lab` a pagu showed as 1.721746e+10."""
    import pandas as pd
    df = pd.DataFrame({"pagu": [17_217_460_000.0], "persen_realisasi": [38.78125]})
    try:
        pd.reset_option("display.float_format")
        assert "e+10" in df.to_string()
        Halaman(store=store_path, tahun=2022, bulan=5, grafik="jupyter", interaktif=False)
        text = df.to_string()
        assert "17.217.460.000" in text and "38,78" in text
    finally:
        pd.reset_option("display.float_format")
