"""Index pages from what render recorded (no store, no kernel): the seed's modules per
scope and period, Indonesian titles; a kumulatif page for every satker; chart data per
satker sharing one spec (page/saring.py)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from spektra_lib.render import indexes, modul
from spektra_lib.render.matrix import Scope, load_matrix, reports_for

AGENCY = Scope("semua", "semua", "Seluruh Satker")
KANREG = Scope("satker", "017234", "Kantor Regional IV <Makassar>", satker="017234")
PUSAT = Scope("satker", "017220", "Kantor Pusat", satker="017220", pusat=True)


def test_every_satker_has_a_kumulatif_page():
    m = load_matrix()
    for scope in (KANREG, PUSAT):
        assert "deviasi_kumulatif" in reports_for(scope, m), scope.slug
    assert reports_for(PUSAT, m).count("deviasi_kumulatif") == 1


def test_modules_in_the_seeds_order_with_catalog_titles():
    groups = modul.groups(["monitoring_spp", "ikpa_estimasi", "deviasi_detail",
                           "realisasi_pok", "dashboard", "ringkas"], aktif="realisasi_pok")
    assert [g["judul"] for g in groups] == ["Dashboard", "Modul Perencanaan", "Modul Keuangan",
                                            "Capaian & IKPA", "Laporan lain"]
    keuangan = groups[2]["item"]
    assert [i["label"] for i in keuangan] == ["Realisasi POK", "Monitoring SPP / SPM / SP2D"]
    assert keuangan[0]["aktif"] and keuangan[0]["href"] == "realisasi_pok.html"


def test_index_pages_list_each_scope_by_module(tmp_path):
    indexes.record_period(tmp_path, 2022, 5, [(AGENCY, "dashboard"), (AGENCY, "deviasi_kumulatif")]
                          + [(KANREG, r) for r in ("deviasi_detail", "deviasi_kumulatif",
                                                   "realisasi_pok", "monitoring_spp",
                                                   "capaian_output")])
    for slug in ("semua", "017234"):                  # the pages' folders, as render leaves them
        (tmp_path / "2022/05" / slug).mkdir(parents=True)
    landing = indexes.write_indexes(tmp_path).read_text(encoding="utf-8")
    # No dashboard notebook here: the landing lists the agency's modules and the periods.
    assert re.findall(r"<h2>(.*?)</h2>", landing) == ["Dashboard", "Modul Perencanaan",
                                                      "Periode"]
    period = (tmp_path / "2022/05/index.html").read_text(encoding="utf-8")
    assert "Kantor Regional IV &lt;Makassar&gt;" in period
    assert ('href="017234/index.html#modul-keuangan">Modul Keuangan (2)</a>' in period)
    scope = (tmp_path / "2022/05/017234/index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h2>(.*?)</h2>", scope) == ["Modul Perencanaan", "Modul Keuangan",
                                                    "Capaian &amp; IKPA"]
    assert 'id="modul-perencanaan"' in scope
    assert ">Deviasi Rencana dan Realisasi per Satker / Unit Kerja (Kumulatif)</a>" in scope
    shown = re.sub(r'href="[^"]*"', "", scope)
    assert ".html" not in shown and "deviasi_kumulatif" not in shown   # titles, not files
    assert 'href="../../../assets/spektra.css"' in scope


def test_charts_per_satker_share_one_spec():
    from spektra_lib.page import saring
    from spektra_lib.present import charts
    texts = set()
    for scale in (1.0, 3.0):
        df = pd.DataFrame({"bulan": np.arange(1, 13),
                           "rencana_kumulatif": np.cumsum(np.full(12, 2e9 * scale)),
                           "realisasi_kumulatif": [1.5e9 * scale * m if m <= 5 else np.nan
                                                   for m in range(1, 13)]})
        text, datasets = saring._lepas_data(charts.chart_for("grafik_rpd_realisasi", df).to_dict())
        assert list(datasets) == ["d0"] and '"name":"d0"' in text
        texts.add(text)
    assert len(texts) == 1          # only the data differs between the two satker


def test_filter_data_cannot_close_its_script_and_labels_are_text():
    import json

    from spektra_lib.page import saring
    bad = "</script><script>window.diserang=1</script>"
    text = saring._json({"nama": bad})
    assert "</script" not in text.lower() and json.loads(text) == {"nama": bad}
    html = saring._select("nilai", "Jenis belanja:", [("x", bad)], "x")
    assert "<script>" not in html and "&lt;/script&gt;" in html


def test_dashboard_charts_carry_every_scope_only_up_to_the_cap(monkeypatch):
    """At national scale (1.000 satker) every scope's charts made the agency dashboard
    193 s and 9,8 MB: above the cap the page keeps its own charts, no choice."""
    from spektra_lib.page import saring

    class Page:
        interaktif, mode, params = False, "halaman", {}

        def tampak(self, name):
            return True

    name = saring._grafik_halaman()[0]
    for n, offered in ((40, True), (saring.MAKS_PILIHAN_GRAFIK, True),
                       (saring.MAKS_PILIHAN_GRAFIK + 1, False), (1000, False), (1, False)):
        monkeypatch.setattr(saring, "pilihan_scope",
                            lambda h, n=n: [(str(i), "", str(i), None, "") for i in range(n)])
        assert saring.bersaring_grafik(Page(), name) is offered, n
