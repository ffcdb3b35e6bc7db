"""Halaman under Voilà: controls per report and role, redraw in place, refusals as text."""
from __future__ import annotations

import pytest
from IPython.display import HTML, Markdown

from spektra_lib import reports
from spektra_lib.reports import catalog
from spektra_lib.present import format as fmt
from spektra_lib.page import widgets
from spektra_lib.page.notebook import Halaman
from spektra_lib.store import Access, Store

from reports_fixture import load_seed

PUSAT, KANREG1, KANREG4 = "017220", "017231", "017234"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("widgets") / "seed.duckdb"
    with Store(path) as s:
        load_seed(s)
    with Store(path, read_only=True) as s:
        yield s


def page(store, access=None, **params) -> Halaman:
    s = store.with_access(access) if access else store
    return Halaman(store=s, **{"tahun": 2022, "bulan": 5, **params}, grafik="halaman",
                   interaktif=True)


def html_of(out) -> str:
    """What the page shows in one Output now (HTML or Markdown)."""
    return "".join(o["data"].get("text/html", o["data"].get("text/markdown", ""))
                   for o in out.outputs)


def test_voila_detected_from_environment(store, monkeypatch):
    for var in ("SPEKTRA_MODE", "VOILA_PREHEAT", "VOILA_BASE_URL", "SERVER_SOFTWARE"):
        monkeypatch.delenv(var, raising=False)
    assert widgets.interaktif() is False
    static = Halaman(store=store, tahun=2022, bulan=5, grafik="halaman")
    assert isinstance(static.judul("realisasi_pok"), Markdown)
    assert isinstance(static.tabel("realisasi_pok"), HTML) and static.kontrol is None
    monkeypatch.setenv("VOILA_BASE_URL", "/")              # Voilà sets this in its kernels
    assert widgets.interaktif() is True
    monkeypatch.setenv("SPEKTRA_MODE", "papermill")        # explicit mode wins
    assert widgets.interaktif() is False
    monkeypatch.setenv("SPEKTRA_MODE", "voila")
    live = Halaman(store=store, tahun=2022, bulan=5, grafik="halaman")
    assert live.interaktif and type(live.judul("realisasi_pok")).__name__ == "VBox"


@pytest.mark.parametrize("name, shown", [
    ("deviasi_detail", ["satker", "unit", "bulan"]),
    ("realisasi_pok", ["satker", "unit", "bulan_dari", "bulan"]),
    ("realisasi_satker", ["satker", "unit", "bulan_dari", "bulan", "jenis_belanja"]),
    ("dashboard", ["satker", "unit", "bulan", "jenis_belanja"]),
    ("capaian_output", ["satker", "bulan"]),
    ("ikpa_estimasi", ["satker", "bulan"]),
])
def test_controls_only_for_accepted_parameters(store, name, shown):
    h = page(store)
    box = h.judul(name)
    assert list(h.kontrol.widgets) == shown
    assert box.children[0].children == tuple(h.kontrol.widgets[k] for k in shown) + (
        (h.kontrol.unduh,) if h.mode == "halaman" else ())
    if h.mode == "halaman":        # under `spektra serve`: the page's Unduh menu
        assert f"/unduh/{name}.pdf?" in h.kontrol.unduh.value
    bulan = h.kontrol.widgets["bulan"]
    assert bulan.value == 5 and bulan.options[0] == ("Januari", 1)
    # issue 27.8: only the months with realisasi (the seed's last payment is in June)
    assert [label for label, _ in bulan.options][-1] == "Juni" and len(bulan.options) == 6
    satker = dict(h.kontrol.widgets["satker"].options)
    assert len(satker) >= 16
    # Capaian and a satker's IKPA page (issue 22: the agency's is ikpa_ringkasan) are
    # computed per satker: no agency choice, the first satker is picked.
    if name in ("capaian_output", "ikpa_estimasi"):
        assert "Seluruh Satker" not in satker and h.params["satker"] == PUSAT
    else:
        assert satker["Seluruh Satker"] == widgets.SEMUA    # selected, not "nothing"
        assert h.kontrol.widgets["satker"].index == 0


def test_unit_choices_follow_the_satker(store):
    h = page(store)
    h.judul("deviasi_detail")
    unit = h.kontrol.widgets["unit"]
    assert unit.layout.display == "none"                   # Seluruh Satker: no units
    h.kontrol.widgets["satker"].value = PUSAT
    labels = [label for label, _ in unit.options]
    assert unit.layout.display is None and labels[0] == "Seluruh Unit Kerja"
    assert "0102 — Biro Keuangan" in labels
    h.kontrol.widgets["satker"].value = KANREG1           # a kanreg has no unit breakdown
    assert unit.layout.display == "none" and h.params["unit"] is None


def test_user_sees_only_own_satker(store):
    h = page(store, Access("user", satker=KANREG4))
    h.judul("realisasi_pok")
    satker = h.kontrol.widgets["satker"]
    assert [v for _, v in satker.options] == [KANREG4] and satker.disabled
    assert satker.options[0][0].startswith(f"{KANREG4} — KANTOR REGIONAL IV")
    assert h.params["satker"] == KANREG4


def test_hand_made_parameter_for_another_satker_is_refused_in_words(store):
    h = page(store, Access("user", satker=KANREG4), satker=PUSAT)
    h.judul("realisasi_pok")
    out = h.tabel("realisasi_pok")
    assert h.kontrol.widgets["satker"].value is None      # nothing selected that is not allowed
    text = html_of(out)
    assert 'class="spektra-pesan"' in text
    assert f"Akses ditolak: Anda tidak berhak melihat data satker {PUSAT}." in text
    assert "Traceback" not in text and "data-laporan" not in text
    h.kontrol.widgets["satker"].value = KANREG4           # the own satker draws
    assert 'data-laporan="realisasi_pok"' in html_of(out)


def test_changing_satker_and_month_redraws_in_place(store):
    h = page(store)
    box = h.judul("realisasi_pok")
    judul = box.children[1]
    out = h.tabel("realisasi_pok")
    first = reports.run("realisasi_pok", store, tahun=2022, bulan=5)
    assert fmt.rupiah(first["pagu"].iloc[0]) in html_of(out)
    h.kontrol.widgets["satker"].value = KANREG1           # fires the observer
    new = reports.run("realisasi_pok", store, tahun=2022, bulan=5, satker=KANREG1)
    shown = html_of(out)
    assert f'data-kode="{KANREG1}"' in shown and fmt.rupiah(new["pagu"].iloc[0]) in shown
    assert fmt.rupiah(new["realisasi"].iloc[0]) in shown
    assert "KANTOR REGIONAL I BADAN" in html_of(judul)
    h.kontrol.widgets["bulan"].value = 3
    maret = reports.run("realisasi_pok", store, tahun=2022, bulan=3, satker=KANREG1)
    assert "— Januari s.d. Maret 2022</h1>" in html_of(judul)
    assert fmt.rupiah(maret["realisasi"].iloc[0]) in html_of(out)
    assert len(out.outputs) == 1                            # replaced, not appended


def test_dashboard_charts_and_rankings_redraw(store):
    h = page(store)
    h.judul("dashboard")
    grafik = h.grafik("grafik_rpd_realisasi")
    ranking = h.tabel("ranking_satker")
    before_chart, before_outputs = html_of(grafik), ranking.outputs
    assert "vegaEmbed(" in before_chart
    h.kontrol.widgets["satker"].value = KANREG1
    assert html_of(grafik) != before_chart and "vegaEmbed(" in html_of(grafik)
    assert ranking.outputs is before_outputs               # rankings take no satker: kept
    h.kontrol.widgets["jenis_belanja"].value = "51"
    pegawai = reports.run("ranking_satker", store, tahun=2022, bulan=5, jenis_belanja="51")
    assert fmt.rupiah(pegawai["pagu"].iloc[0]) in html_of(ranking)


def _preheated(monkeypatch, user: str | None, query: str = ""):
    """A preheated Voilà kernel: wait_for_request() is where the request (user) arrives.
    Returns the reports run before it, as (name, role, satker)."""
    import voila.utils

    from spektra_lib.page import notebook
    for var in ("SPEKTRA_MODE", "SPEKTRA_USER", "SPEKTRA_AUDIENS", "HTTP_X_FORWARDED_USER",
                "QUERY_STRING", "SERVER_SOFTWARE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    runs, before = [], []
    real_run = reports.run

    def run(name, store, **params):
        runs.append((name, store.access.role, params.get("satker")))
        return real_run(name, store, **params)

    def request_arrives(url=None):
        before.extend(runs)
        runs.clear()
        if user:
            monkeypatch.setenv("HTTP_X_FORWARDED_USER", user)
        monkeypatch.setenv("QUERY_STRING", query)
    monkeypatch.setattr(notebook.reports, "run", run)
    monkeypatch.setattr(voila.utils, "wait_for_request", request_arrives)
    return before, runs


def test_preheated_dashboard_prepares_only_public_figures_before_the_request(store, monkeypatch):
    before, after = _preheated(monkeypatch, "kanreg4")
    h = Halaman(store=store.path, tahun=2022, bulan=5, grafik="halaman", page="dashboard")
    # Before the request: the dashboard's agency-wide figures only, as Publik sees them.
    assert {n for n, _, _ in before} == set(catalog.laporan_halaman("dashboard"))
    assert {(role, satker) for _, role, satker in before} == {("publik", None)}
    # After it: the User's own satker, computed for that user, not the prepared figures.
    assert h.store.access.satker == KANREG4 and h.params["satker"] == KANREG4
    h.judul("dashboard")
    chart = html_of(h.grafik("grafik_rpd_realisasi"))
    assert ("grafik_rpd_realisasi", "user", KANREG4) in after
    own = page(store, Access("user", satker=KANREG4), satker=KANREG4)
    own.judul("dashboard")
    assert chart == html_of(own.grafik("grafik_rpd_realisasi"))
    agency = page(store)
    agency.judul("dashboard")
    assert chart != html_of(agency.grafik("grafik_rpd_realisasi"))


def test_preheated_dashboard_shows_publik_the_prepared_figures(store, monkeypatch):
    before, after = _preheated(monkeypatch, None)
    h = Halaman(store=store.path, tahun=2022, bulan=5, grafik="halaman", page="dashboard")
    assert h.store.access.role == "publik" and h.params["satker"] is None
    h.judul("dashboard")
    shown = [html_of(h.grafik("grafik_rpd_realisasi")), html_of(h.tabel("ranking_satker"))]
    assert after == []                  # nothing computed again after the request
    fresh = page(store, Access("publik"))
    fresh.judul("dashboard")
    assert shown == [html_of(fresh.grafik("grafik_rpd_realisasi")),
                     html_of(fresh.tabel("ranking_satker"))]
    assert "Rencana Penarikan Dana" in shown[0] and "<table" in shown[1]


def test_preheated_page_refuses_a_scope_from_the_address(store, monkeypatch):
    before, after = _preheated(monkeypatch, "kanreg4", query=f"satker={PUSAT}")
    h = Halaman(store=store.path, tahun=2022, bulan=5, grafik="halaman", page="dashboard")
    h.judul("dashboard")
    chart = html_of(h.grafik("grafik_rpd_realisasi"))
    assert "Rencana" not in chart and after == []
    assert f"Akses ditolak: Anda tidak berhak melihat data satker {PUSAT}" in html_of(
        h._views[0][0])


def test_unduh_menu_follows_the_controls(store):
    h = page(store)
    h.judul("realisasi_satker")
    assert "bulan=5" in h.kontrol.unduh.value
    h.kontrol.widgets["bulan"].value = 3
    h.kontrol.widgets["jenis_belanja"].value = "52"
    assert "bulan=3" in h.kontrol.unduh.value and "jenis_belanja=52" in h.kontrol.unduh.value


def test_preheated_page_shows_an_ingest_made_while_it_waited(store, monkeypatch, tmp_path):
    """Issue 14 §6: figures prepared before the request are dropped when an ingest swapped
    the store since; the request shows the new data without a restart."""
    import shutil

    from spektra_lib.cli import main
    path = tmp_path / "s.duckdb"
    shutil.copy(store.path, path)
    before, after = _preheated(monkeypatch, None)
    h = Halaman(store=path, tahun=2022, bulan=5, grafik="halaman", page="dashboard")
    h.judul("dashboard")
    assert "KANREG SEKARANG BARU" not in html_of(h.tabel("ranking_satker"))
    (tmp_path / "upd").mkdir()
    (tmp_path / "upd" / "satker.csv").write_text(
        f"kode_satker,nama_satker,kelompok\n{KANREG1},KANREG SEKARANG BARU,KANREG\n")
    assert main(["ingest", str(tmp_path / "upd"), "--store", str(path)]) == 0
    h._data.clear()    # a redraw asks again
    assert "KANREG SEKARANG BARU" in html_of(h.tabel("ranking_satker"))
    assert ("ranking_satker", "publik", None) in after


def test_voila_view_states_posisi_data_apart_from_when_it_is_shown(store):
    """CONTRACT §3 / issue 14 §5: the latest date in the scope's data (seed: Kanreg I's last
    payment 15 Mei 2022; the agency's last is in June, so s.d. Mei it is 31 Mei), and the
    time of the view said apart, never as the data's date."""
    own = page(store, satker=KANREG1)
    shown = html_of(own.judul("realisasi_pok").children[1])   # under the page's controls
    assert "Posisi data: 15 Mei 2022 · Ditampilkan: " in shown
    agency = page(store)
    assert "Posisi data: 31 Mei 2022 · " in html_of(agency.judul("ranking_satker").children[1])
