"""Drawn snapshots (serve/snapshot.py) without the proxy: one build per audience and
choice, shared by everyone who asks at once, drawn again after an ingest swaps the store,
and a scope the user may not see refused before anything is drawn."""
from __future__ import annotations

import asyncio
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from spektra_lib.access import PUBLIK
from spektra_lib.serve.snapshot import Snapshots
from spektra_lib.store import Access, Store

pytestmark = pytest.mark.slow

ROOT_NB = Path(__file__).resolve().parents[1] / "notebooks"
KANREG_IV, KANREG_V = "017234", "017235"
KANREG4 = Access("user", satker=KANREG_IV, nama="Operator Kanreg IV")


@pytest.fixture(scope="module")
def snaps(demo_store_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("potret")
    store = tmp / "spektra.duckdb"
    shutil.copy(demo_store_path, store)
    nbdir = tmp / "notebooks"
    nbdir.mkdir()
    shutil.copy(ROOT_NB / "dashboard.ipynb", nbdir)
    s = Snapshots(nbdir, store, tmp / "cache")
    yield s
    s.close()


def _draw(snaps, name, query, access, times=1):
    async def go():
        r = snaps.resolve(name, query, access)
        return r, await asyncio.gather(*(snaps.drawn(name, r, access) for _ in range(times)))
    # A loop of its own in a thread: a browser test earlier in this process may hold the
    # main thread's loop (Playwright's sync API), and asyncio.run refuses to nest.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def test_one_build_for_everyone_asking_at_once_then_served_as_drawn(snaps):
    before = dict(snaps.counts)
    r, pages = _draw(snaps, "dashboard", "bulan=5", PUBLIK, times=6)
    assert snaps.counts["dibuat"] == before["dibuat"] + 1            # single flight
    assert snaps.counts["menunggu"] == before["menunggu"] + 5
    assert len(set(pages)) == 1 and "s.d. Mei 2022" in pages[0] and "vegaEmbed" in pages[0]
    assert "Ranking" in pages[0]                   # Publik sees the agency-wide rankings
    # The static site's own filters stay out (SPEKTRA_SARING=mati): the server's controls
    # choose, and one satker list is on screen, not two.
    assert "spektra-pilih-scope" not in pages[0] and "spektra-saring" not in pages[0]
    again, [page] = _draw(snaps, "dashboard", "bulan=5", PUBLIK)
    assert again.key == r.key and page == pages[0]
    assert snaps.counts["dibuat"] == before["dibuat"] + 1 and snaps.counts["dipakai"] > before["dipakai"]
    assert snaps.kernels_alive() == 1
    # Around it, per request: the month picked in the controls, Posisi data of May.
    part = snaps.part(r, page)
    assert '<option value="5" selected>Mei</option>' in part and "Posisi data: 31 Mei 2022" in part


def test_a_users_page_is_its_own_audience_and_another_satker_is_refused(snaps):
    r, [page] = _draw(snaps, "dashboard", "", KANREG4)
    assert r.params["satker"] == KANREG_IV and r.params["bulan"] == 12     # own, latest
    assert "KANTOR REGIONAL IV" in page and "Ranking" not in page
    before = dict(snaps.counts)
    refused = snaps.resolve("dashboard", f"satker={KANREG_V}", KANREG4)
    assert refused.key is None and f"tidak berhak melihat data satker {KANREG_V}" in refused.ditolak
    part = snaps.part(refused, None)
    assert "Akses ditolak" in part and "Posisi data" not in part
    assert snaps.counts == before                                        # nothing drawn
    # An address value that is not valid: a note, and the default drawn.
    bad = snaps.resolve("dashboard", "bulan=13&satker=<b>", PUBLIK)
    assert bad.params["bulan"] == 12 and "&lt;b&gt;" in snaps.part(bad, "")


def test_drawn_again_after_an_ingest_swaps_the_store(snaps):
    r, [page] = _draw(snaps, "dashboard", f"satker={KANREG_IV}", PUBLIK)
    assert "KANTOR UJI POTRET" not in page
    other = snaps.resolve("dashboard", f"satker={KANREG_V}", PUBLIK).key
    # What an ingest does (swap.py): a changed copy, renamed over the live file.
    new = snaps.store_path.with_name("baru.duckdb")
    shutil.copy(snaps.store_path, new)
    with Store(new) as st:
        st.con.execute("UPDATE satker SET nama_satker = 'KANTOR UJI POTRET' "
                       "WHERE kode_satker = ?", [KANREG_IV])
        st.con.execute("INSERT INTO ingest_log (waktu, layout, digest, id) "
                       "VALUES (now(), 'uji', 'uji-potret', 999)")
    os.replace(new, snaps.store_path)
    r2, [page2] = _draw(snaps, "dashboard", f"satker={KANREG_IV}", PUBLIK)
    assert r2.key != r.key and "KANTOR UJI POTRET" in page2
    # Another satker's page keeps its key: its own data did not change.
    assert snaps.resolve("dashboard", f"satker={KANREG_V}", PUBLIK).key == other


def test_rules_moved_and_a_band_changed_draw_the_page_again(demo_store_path, tmp_path,
                                                           monkeypatch):
    """Rules in their own folder (SPEKTRA_PARAMETERS): a changed colour band is on the
    app's page at the next request, not the page drawn with the old one."""
    rules = tmp_path / "aturan"
    shutil.copytree(Path(__file__).resolve().parents[1] / "parameters", rules)
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(rules))
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    shutil.copy(ROOT_NB / "deviasi_detail.ipynb", nbdir)
    store = tmp_path / "spektra.duckdb"
    shutil.copy(demo_store_path, store)
    s = Snapshots(nbdir, store, tmp_path / "cache")
    try:
        query = f"satker={KANREG_IV}&bulan=5"
        r, [page] = _draw(s, "deviasi_detail", query, Access("admin"))
        assert "Hijau</span> ≤ 10 %" in page and "&gt; 10 % s.d. 30 %" in page
        band = rules / "deviasi.yaml"
        band.write_text(band.read_text(encoding="utf-8").replace("sampai: 10", "sampai: 15", 1),
                        encoding="utf-8")
        again, [page] = _draw(s, "deviasi_detail", query, Access("admin"))
        assert again.key != r.key and s.counts["dibuat"] == 2
        assert "Hijau</span> ≤ 15 %" in page and "&gt; 15 % s.d. 30 %" in page
    finally:
        s.close()
