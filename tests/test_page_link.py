"""Page parameters from the address under Voilà (page/link.py), in a fake Voilà
environment: valid values become the initial ones, invalid ones a note, a scope the user
may not see a visible refusal with no data of it."""
from __future__ import annotations

import shutil

import pytest
from IPython.display import HTML

from spektra_lib import parameters, scopes
from spektra_lib.page import link as tautan
from spektra_lib.page.notebook import Halaman, latest_period
from spektra_lib.store import FULL_ACCESS, Access, Store

from reports_fixture import load_seed

KANREG4, KANREG5, PUSAT = "017234", "017235", "017220"
AKSES = f"""pengguna:
  kanreg4: {{peran: user, satker: '{KANREG4}'}}
  biro: {{peran: user, satker: '{PUSAT}', unit: '0102'}}
  pimpinan: {{peran: super_user}}
"""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("tautan") / "seed.duckdb"
    with Store(path) as s:
        load_seed(s)
    return path


@pytest.fixture
def voila(store_path, tmp_path, monkeypatch):
    """A kernel as Voilà starts it: returns open(user, query) -> Halaman."""
    params = tmp_path / "parameters"
    shutil.copytree(parameters.directory(), params)
    (params / "akses.yaml").write_text(AKSES, encoding="utf-8")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(params))
    for var in ("SPEKTRA_MODE", "VOILA_PREHEAT", "VOILA_BASE_URL", "SPEKTRA_USER",
                "SPEKTRA_AUDIENS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")

    def open_page(user: str | None, query: str) -> Halaman:
        if user:
            monkeypatch.setenv("HTTP_X_FORWARDED_USER", user)
        else:
            monkeypatch.delenv("HTTP_X_FORWARDED_USER", raising=False)
        monkeypatch.setenv("QUERY_STRING", query)
        return Halaman(store=store_path, grafik="halaman")   # a path: access from the env
    return open_page


def shown(obj) -> str:
    """Everything a widget tree or display object shows (HTML and Markdown)."""
    if hasattr(obj, "children"):
        return "".join(shown(c) for c in obj.children)
    if hasattr(obj, "outputs"):
        return "".join(o["data"].get("text/html", o["data"].get("text/markdown", ""))
                       for o in obj.outputs)
    return getattr(obj, "data", "") or ""


def nama(store_path, satker=None, unit=None) -> str:
    with Store(store_path, read_only=True) as s:
        return scopes.nama_scope(s, satker, unit)


def test_address_sets_the_initial_values(voila, store_path):
    h = voila("pimpinan", f"satker={KANREG5}&bulan=3&bulan_dari=2&jenis_belanja=52"
                          "&template=lab")
    assert (h.params["satker"], h.params["bulan"], h.params["bulan_dari"],
            h.params["jenis_belanja"]) == (KANREG5, 3, 2, "52")
    title = shown(h.judul("realisasi_pok"))
    assert f"Realisasi POK — {nama(store_path, KANREG5)} — Februari s.d. Maret 2022" in title
    assert h.kontrol.widgets["satker"].value == KANREG5
    assert h.kontrol.widgets["bulan"].value == 3
    assert f'data-kode="{KANREG5}"' in shown(h.tabel("realisasi_pok"))


def test_user_may_link_to_own_satker_and_unit(voila, store_path):
    h = voila("kanreg4", f"satker={KANREG4}&bulan=4")
    assert h.ditolak is None and h.params["bulan"] == 4
    assert nama(store_path, KANREG4) in shown(h.judul("deviasi_detail"))
    biro = voila("biro", "unit=0102")
    assert (biro.params["satker"], biro.params["unit"]) == (PUSAT, "0102")
    own = voila("biro", f"satker={PUSAT}")        # a unit's User: the own unit kerja
    assert own.params["unit"] == "0102" and own.ditolak is None


@pytest.mark.parametrize("user, query, refused", [
    ("kanreg4", f"satker={KANREG5}", f"satker {KANREG5}"),
    ("kanreg4", "unit=0103", "unit kerja 0103"),
    ("biro", "unit=0103", "unit kerja 0103"),
    ("biro", f"satker={PUSAT}&unit=0101", "unit kerja 0101"),
])
def test_scope_not_allowed_is_refused_without_its_data(voila, store_path, user, query,
                                                       refused):
    h = voila(user, query)
    page = [h.judul("deviasi_detail"), h.tabel("deviasi_detail"),
            h.catatan("deviasi_detail")]
    text = "".join(shown(p) for p in page)
    assert f"Akses ditolak: Anda tidak berhak melihat data {refused}." in text
    assert text.count("Akses ditolak") == 1          # said once, in the title's place
    asked = h.params["unit"] or h.params["satker"]
    other = nama(store_path, h.params["satker"], h.params["unit"])
    own = nama(store_path, KANREG4) if user == "kanreg4" else nama(store_path, PUSAT, "0102")
    assert asked in refused and other not in text
    assert own not in text                            # not silently replaced either
    assert 'data-laporan="deviasi_detail"' not in text and "<h1" not in text


def test_refused_page_redraws_once_the_own_satker_is_picked(voila, store_path):
    h = voila("kanreg4", f"satker={KANREG5}&bulan=3")
    title, table = h.judul("deviasi_detail"), h.tabel("deviasi_detail")
    satker = h.kontrol.widgets["satker"]
    assert satker.value is None and not satker.disabled   # open to pick the own satker
    satker.value = KANREG4
    assert h.ditolak is None
    assert f"{nama(store_path, KANREG4)} — s.d. Maret 2022" in shown(title)
    assert f'data-kode="{KANREG4}"' in shown(table)


@pytest.mark.parametrize("query, note, kept", [
    ("bulan=13", 'Bulan “13” tidak sah (isi angka 1 sampai 12)', ("bulan", "terakhir")),
    ("tahun=2031", 'Tahun “2031” tidak ada di data (tersedia: 2022)', ("tahun", "terakhir")),
    ("jenis_belanja=59", 'Jenis belanja “59” tidak dikenal', ("jenis_belanja", None)),
    ("satker=999999", 'Satker “999999” tidak ada di data', ("satker", None)),
    ("bulan=2&bulan_dari=4", "Bulan awal (4) sesudah bulan laporan (2)", ("bulan_dari", None)),
    (f"satker={KANREG4}&unit=0101", f"Unit kerja 0101 bukan bagian dari satker {KANREG4}",
     ("unit", None)),
    ("satker=<b>x</b>", "Satker “&lt;b&gt;x&lt;/b&gt;” tidak ada di data", ("satker", None)),
])
def test_invalid_value_is_a_note_and_the_default_stays(voila, store_path, query, note, kept):
    h = voila("pimpinan", query)
    if kept[1] == "terakhir":       # the store's newest period, as without the parameter
        with Store(store_path, read_only=True) as s:
            kept = (kept[0], dict(zip(("tahun", "bulan"), latest_period(s)))[kept[0]])
    assert h.params[kept[0]] == kept[1] and h.ditolak is None
    title_box = h.judul("realisasi_satker")
    title = shown(title_box)
    assert note in title and "<h1>Realisasi per Satuan Kerja" in title
    assert "<b>" not in title
    h.kontrol.widgets["bulan"].value = 1              # any choice answers the note
    after = shown(title_box)
    assert note not in after and 'class="spektra-pesan' not in after
    assert "Posisi data: 31 Januari 2022 · Ditampilkan: " in after   # the view's data date


def test_query_read_only_under_voila(store_path, monkeypatch):
    for var in ("SPEKTRA_MODE", "VOILA_PREHEAT", "VOILA_BASE_URL", "SERVER_SOFTWARE",
                "SPEKTRA_USER", "SPEKTRA_AUDIENS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("QUERY_STRING", f"satker={KANREG5}")    # a CGI leftover, not Voilà
    assert tautan.query_string() is None
    h = Halaman(store=store_path, tahun=2022, bulan=5, grafik="halaman")
    assert h.params["satker"] is None
    with Store(store_path, read_only=True) as s:
        assert tautan.baca("", s, FULL_ACCESS).nilai == {}
        # Publik may pick any satker on the dashboard, as its control allows.
        assert tautan.baca(f"satker={KANREG5}", s, Access("publik")).ditolak is None


def test_static_page_keeps_refusing_without_traceback(store_path):
    with Store(store_path, read_only=True) as s:
        user = s.with_access(Access("user", satker=KANREG4))
        h = Halaman(store=user, grafik="halaman", interaktif=False,
                    tautan_query=f"satker={KANREG5}")
        title = h.judul("realisasi_pok")
        assert isinstance(title, HTML) and "Akses ditolak" in title.data
        assert h.tabel("realisasi_pok") is None
