"""Posisi data names the unit an Excel report was read in, and from what evidence (issue 24):
the unit note of the sheet, volume × harga satuan, or --satuan; per satker on its own
pages, counted per unit on the agency's. Carried through the store (satuan_sumber), so
that a page made later — the static site, a Voilà view, a download — still says it.

Fixtures: tests/data/layouts/sakti-cetak-pok/ (017220 "(dalam ribuan rupiah)"; 017231
without a note, harga in rupiah beside totals in ribuan) and sakti-glp039/ (realisasi of
017220 s.d. Maret, last payment 31 Maret 2022).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spektra_lib import reports
from spektra_lib.export.common import build_meta
from spektra_lib.ingest import ingest_path
from spektra_lib.page.notebook import Halaman
from spektra_lib.store import Store

LAYOUTS = Path(__file__).parent / "data" / "layouts"
FIX = LAYOUTS / "sakti-cetak-pok"
GLP = LAYOUTS / "sakti-glp039"
BASE = LAYOUTS / "kanonik"

PUSAT_NOTE = "POK dibaca dalam ribuan rupiah (POK_017220_3hal.xlsx: tertulis di laporan)"
KANREG_NOTE = ("POK dibaca dalam ribuan rupiah (POK_017231_harga_rupiah.xlsx: harga satuan "
               "dalam rupiah; tidak tertulis; volume × harga satuan = 1.000 × jumlah pada "
               "semua item)")


def _folder(tmp_path: Path, name: str, *files: Path) -> Path:
    d = tmp_path / name
    d.mkdir()
    for f in (BASE / "satker.csv", BASE / "unit_kerja.csv", *files):
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture()
def store(tmp_path):
    d = _folder(tmp_path, "in", FIX / "POK_017220_3hal.xlsx",
                FIX / "POK_017231_harga_rupiah.xlsx", GLP / "GLP039_017220_maret.xlsx")
    s = Store(tmp_path / "s.duckdb")
    ingest_path(d, s)
    yield s
    s.close()


def _posisi(store, **params) -> str:
    """The Posisi data line a Voilà view shows under its title."""
    h = Halaman(store=store, **{"tahun": 2022, "bulan": 3, **params}, grafik="halaman",
                interaktif=True)
    return h._posisi_html()


def test_a_pok_loaded_in_ribuan_shows_ribuan_rupiah_in_posisi_data(store):
    line = _posisi(store, satker="017220")
    assert f"Posisi data: 31 Maret 2022; {PUSAT_NOTE} · Ditampilkan: " in line
    assert "017231" not in line and "harga_rupiah" not in line
    # evidence from the sheet itself, for the satker whose sheet states no unit
    assert f"; {KANREG_NOTE} · Ditampilkan" in _posisi(store, satker="017231")
    # a unit kerja's page says its satker's
    assert PUSAT_NOTE in _posisi(store, satker="017220", unit="0101")
    # the agency: counted per unit
    assert "; POK dibaca dalam ribuan rupiah (2 satker: 017220, 017231) · " in _posisi(store)


def test_downloads_and_the_static_footer_say_the_same(store):
    df = reports.realisasi_pok(store, 2022, 3, satker="017220")
    meta = build_meta(store, "realisasi_pok", df, tahun=2022, bulan=3, satker="017220")
    assert dict(meta.lines())["Posisi data"] == f"31 Maret 2022; {PUSAT_NOTE}"


def test_a_later_source_replaces_the_unit_only_of_its_own_satker_and_table(store, tmp_path):
    # realisasi of 017220 again: the POK's unit is still the POK's
    ingest_path(_folder(tmp_path, "glp", GLP / "GLP039_017220_maret.xlsx"), store)
    assert PUSAT_NOTE in _posisi(store, satker="017220")
    # a canonical POK of 017220 (rupiah, no unit to decide): its Form Cetak POK's words go
    d = _folder(tmp_path, "kanonik", BASE / "pok.csv")
    (d / "pok.csv").write_text("".join(
        line for i, line in enumerate((BASE / "pok.csv").read_text().splitlines(True))
        if i == 0 or ",017220," in line))
    ingest_path(d, store)
    assert "dibaca dalam" not in _posisi(store, satker="017220")
    assert KANREG_NOTE in _posisi(store, satker="017231")
    assert "; POK dibaca dalam ribuan rupiah (1 satker: 017231) · " in _posisi(store)


def test_a_store_made_before_the_table_shows_posisi_data_as_before(tmp_path):
    path = tmp_path / "lama.duckdb"
    with Store(path) as s:
        ingest_path(_folder(tmp_path, "in", FIX / "POK_017220_3hal.xlsx"), s)
        s.con.execute("DROP TABLE satuan_sumber")
    with Store(path, read_only=True) as s:
        line = _posisi(s, satker="017220")
    assert "Posisi data: belum ada data bertanggal · Ditampilkan" in line
