"""Page parameters declared once (reports/selection.py, issue 21): a parameter added in a
test-only declaration, with a test-only report that takes it, is found in the CLI's flags,
the scaffolded notebook, the page's address and the Voilà controls, and reaches the report
as the one selection value it receives."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from reports_fixture import load_seed
from spektra_lib import reports
from spektra_lib.cli import main
from spektra_lib.page import link
from spektra_lib.page.notebook import Halaman
from spektra_lib.render.scaffold import notebook
from spektra_lib.reports import catalog
from spektra_lib.reports.selection import PARAMETER, Parameter, Selection
from spektra_lib.store import FULL_ACCESS, Store

PACKAGE = Path(__file__).resolve().parents[1] / "spektra_lib"

TRIWULAN = Parameter("triwulan", "pilihan", "Triwulan", "triwulan laporan; kosong: semua",
                     bila_salah="ditampilkan semua triwulan.", semua="Semua triwulan",
                     pilihan=(("1", "TW I"), ("2", "TW II"), ("3", "TW III"), ("4", "TW IV")))
ASKED: list = []


def uji_triwulan(store, pilihan: Selection) -> pd.DataFrame:
    """The test-only report: what it was asked, as a table."""
    ASKED.append(pilihan)
    return pd.DataFrame({"kode": [pilihan.satker or ""], "nama": [f"TW {pilihan.triwulan}"]})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("selection") / "seed.duckdb"
    with Store(path) as s:
        load_seed(s)
    return path


@pytest.fixture
def triwulan(monkeypatch):
    """One declaration of a page parameter, one catalog entry of a report that takes it."""
    monkeypatch.setitem(PARAMETER, "triwulan", TRIWULAN)
    entry = catalog.Laporan("uji_triwulan", "uji:uji_triwulan", "Uji Triwulan", "Keuangan",
                            ("satker", "unit", "triwulan"),
                            catalog._k("kode:Kode:teks:sempit; nama:Nama:teks:lebar"),
                            render=("satker",))
    monkeypatch.setitem(catalog.LAPORAN, "uji_triwulan", entry)
    monkeypatch.setitem(catalog.HALAMAN, "uji_triwulan", catalog._halaman()["uji_triwulan"])
    real = reports.function
    monkeypatch.setattr(reports, "function",
                        lambda name: uji_triwulan if name == "uji_triwulan" else real(name))
    ASKED.clear()
    yield


def test_cli_has_the_flag_and_the_report_gets_it(triwulan, store, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["report", "uji_triwulan", "--tahun", "2022", "--bulan", "6", "--satker",
                 "017231", "--triwulan", "2", "--store", str(store), "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows == [{"kode": "017231", "nama": "TW 2"}]
    assert ASKED[-1] == Selection(tahun=2022, bulan=6, satker="017231", triwulan="2")
    assert main(["report", "uji_triwulan", "--tahun", "2022", "--bulan", "6",
                 "--triwulan", "5", "-o", str(out)]) == 2
    assert "--triwulan '5' tidak sah (pilihan: 1, 2, 3, 4)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "--triwulan" in capsys.readouterr().out


def test_scaffold_has_it_in_the_parameters_cell_and_the_setup(triwulan):
    nb = notebook("uji_triwulan")
    assert "\ntriwulan = None  # triwulan laporan; kosong: semua" in nb.cells[0].source
    assert "triwulan=triwulan" in nb.cells[1].source
    # a page whose reports do not take it does not list it
    assert "triwulan" not in notebook("realisasi_pok").cells[0].source


def test_address_reads_it_and_notes_an_invalid_one(triwulan, store):
    with Store(store, read_only=True) as s:
        assert link.baca("triwulan=3&bulan=9", s, FULL_ACCESS).nilai == {"triwulan": "3",
                                                                          "bulan": 9}
        bad = link.baca("triwulan=5", s, FULL_ACCESS)
        assert bad.nilai == {} and bad.pesan == [
            "Triwulan “5” tidak dikenal (pilihan: 1, 2, 3, 4); ditampilkan semua triwulan."]
        h = Halaman(store=s, tahun=2022, bulan=6, satker="017231", grafik="halaman",
                    interaktif=False, tautan_query="triwulan=4")
        assert h.params["triwulan"] == "4"
        assert "TW 4" in h.tabel("uji_triwulan").data


def test_controls_offer_it_and_a_choice_redraws_the_table(triwulan, store):
    with Store(store, read_only=True) as s:
        h = Halaman(store=s, tahun=2022, bulan=6, satker="017231", grafik="halaman",
                    interaktif=True)
        h.judul("uji_triwulan")
        table = h.tabel("uji_triwulan")
        control = h.kontrol.widgets["triwulan"]
        assert control.description == "Triwulan"
        assert [label for label, _ in control.options] == [
            "Semua triwulan", "TW I", "TW II", "TW III", "TW IV"]
        assert "TW None" in _shown(table)
        control.value = "3"
        assert h.params["triwulan"] == "3" and "TW 3" in _shown(table)
        assert ASKED[-1].triwulan == "3"
        # a page whose reports do not take it has no such control
        other = Halaman(store=s, tahun=2022, bulan=6, grafik="halaman", interaktif=True)
        other.judul("realisasi_pok")
        assert "triwulan" not in other.kontrol.widgets


def _shown(out) -> str:
    return "".join(o["data"].get("text/html", "") for o in out.outputs)


def test_selection_reads_each_value_as_declared():
    s = Selection(tahun="2022", bulan=5, per_tanggal="2022-03-31", jenis_belanja=52)
    assert (s.tahun, s.bulan, s.per_tanggal, s.jenis_belanja, s.satker) == (
        2022, 5, "2022-03-31", "52", None)
    with pytest.raises(ValueError, match="Bulan '13' tidak sah"):
        Selection(bulan=13)
    with pytest.raises(ValueError, match="tidak dikenal: triwulan"):
        Selection(triwulan="1")


@pytest.mark.parametrize("name", ["per_tanggal", "bulan_dari"])
def test_a_page_parameter_is_written_in_at_most_five_package_files(name):
    """Issue 21's measure: the declaration plus the code that uses it — besides the report
    functions that read it (each new report over a month range names bulan_dari in its own
    module), at most five package files. Every package file counts: a store column or a
    helper's keyword of the same name is renamed (cakupan_sumber's bulan_awal/bulan_akhir,
    versi's tanggal_anggaran), so the word in the code is always the page parameter."""
    report_modules = {f"reports/{r.fungsi.split(':')[0]}.py" for r in catalog.LAPORAN.values()}
    files = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                   if re.search(rf"\b{name}\b", p.read_text(encoding="utf-8")))
    plumbing = [f for f in files if f not in report_modules]
    assert len(plumbing) <= 5, plumbing


def test_the_cli_reads_the_declarations_without_pandas():
    """`spektra --help` and every refusal of a flag start fast: the declarations (catalog,
    page parameters) import no pandas."""
    import subprocess
    import sys
    code = "import sys, spektra_lib.cli; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=PACKAGE.parent)
    assert out.stdout.strip() == "False"


def test_a_report_without_its_year_or_month_is_refused_in_indonesian():
    """Every report reads tahun and bulan from its selection: run refuses one without them
    before anything is read (was a TypeError from the call)."""
    with pytest.raises(ValueError, match="Laporan 'ranking_satker' memerlukan bulan."):
        reports.run("ranking_satker", None, tahun=2022)
    with pytest.raises(ValueError, match="memerlukan tahun dan bulan"):
        reports.run("deviasi_detail", None, satker="017220")
