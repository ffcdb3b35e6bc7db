"""What `spektra render` / `spektra site` show while they work: a progress bar counted in
halaman, and one line instead of an empty bar when every page is up to date."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.render import Scope, render, runner
from spektra_lib.store import Store

NOTEBOOKS = Path(__file__).parent / "data" / "render"
SCOPES = [Scope("satker", "634001", "Kanreg Uji", satker="634001")]
MATRIX = {"satker": ["ringkas"]}


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "mini.duckdb"
    with Store(path) as st:
        st.ingest({"satker": pd.DataFrame({"kode_satker": ["634001"],
                                           "nama_satker": ["Kanreg Uji"],
                                           "kelompok": ["KANREG"]})}, layout="kanonik")
    return path


def _render(store, out):
    return render(store_path=store, tahun=2022, bulan=5, out=out, progress=True,
                  notebooks=NOTEBOOKS, scopes=SCOPES, matrix=MATRIX, unduhan=False)


def test_nothing_to_do_is_one_line_not_an_empty_bar(capfd):
    assert list(runner._execute([], 2, False, True, skipped=266)) == []
    out, err = capfd.readouterr()
    assert out == "Semua halaman mutakhir (266 dilewati).\n"
    assert "Render laporan" not in out + err and "notebook" not in out + err
    # progress=False (tests, the server's refresh): nothing at all
    assert list(runner._execute([], 1, False, False, skipped=3)) == []
    assert capfd.readouterr() == ("", "")


def test_bar_counts_pages_then_second_run_says_all_up_to_date(tiny_store, tmp_path, capfd):
    first = _render(tiny_store, tmp_path)
    assert first.ok and len(first.done) == 1, first.pesan()
    out, err = capfd.readouterr()
    assert "Render laporan" in err and "1/1 halaman" in err
    assert "notebook" not in err and "it/s" not in err
    assert "mutakhir" not in out

    second = _render(tiny_store, tmp_path)
    assert second.done == [] and len(second.skipped) == 1
    out, err = capfd.readouterr()
    assert "Semua halaman mutakhir (1 dilewati)." in out
    assert "Render laporan" not in out + err and "0notebook" not in out + err


def test_packs_after_the_pages_have_their_own_bar(tiny_store, tmp_path, capfd, monkeypatch):
    # issue 27.16: after "Render laporan 100 %" four silent minutes of printing packs
    from spektra_lib.render import downloads
    made = []

    def pack(kw):
        made.append(kw["slug"])
        return "dibuat", None
    monkeypatch.setattr(downloads, "_make_pack", pack)
    res = render(store_path=tiny_store, tahun=2022, bulan=5, out=tmp_path, progress=True,
                 notebooks=NOTEBOOKS, scopes=SCOPES, matrix=MATRIX, unduhan=True)
    assert made == ["634001"], res.pesan()
    _, err = capfd.readouterr()
    assert "Paket unduhan" in err and "1/1 paket" in err
    assert err.index("Render laporan") < err.index("Paket unduhan")
