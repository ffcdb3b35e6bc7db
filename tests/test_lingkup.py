"""A User of several satker and unit kerja (issue 26): what Access allows, what the lists
and pickers offer, the audience a snapshot is drawn for, `spektra pengguna` with repeated
and comma codes checked against the store; and no role name compared outside the one
module that knows the roles."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spektra_lib import access, scopes
from spektra_lib.problems import AksesDitolak
from spektra_lib.store import Access, Store, lingkup_dari

ROOT = Path(__file__).resolve().parents[1]
SANDI = "Rahasia-kuat-2026"
K4, K5, K3, PUSAT = "017234", "017235", "017233", "017220"
DUA = Access("user", satker=[K4, K5], nama="Operator Dua")
CAMPUR = Access("user", satker=[K4], unit=[f"{PUSAT}/0102", f"{PUSAT}/0103"])


def test_two_satker_may_see_both_and_not_a_third_nor_the_agency():
    assert DUA.satkers == (K4, K5) and DUA.satker == K4
    assert DUA.boleh(K4) and DUA.boleh(K5)
    assert DUA.tolak(K3) == f"Anda tidak berhak melihat data satker {K3}."
    assert DUA.tolak(None) == "Laporan seluruh satker hanya untuk Admin dan Super User."


def test_units_of_one_satker_and_a_whole_other_satker():
    assert CAMPUR.lingkup == ((PUSAT, "0102"), (PUSAT, "0103"), (K4, None))
    assert CAMPUR.boleh(K4) and CAMPUR.boleh(K4, "0101", pemilik_unit=K4)
    assert CAMPUR.boleh(PUSAT, "0103") and not CAMPUR.boleh(PUSAT, "0104")
    assert CAMPUR.tolak(PUSAT) == "Anda hanya berhak melihat data unit kerja 0102, 0103."
    assert not CAMPUR.hanya_unit and Access("user", PUSAT, "0102").hanya_unit
    # a whole satker listed with one of its units: only that unit
    assert lingkup_dari([K4, PUSAT], [f"{PUSAT}/0102"]) == ((PUSAT, "0102"), (K4, None))
    with pytest.raises(ValueError, match="sebutkan satkernya"):
        lingkup_dari([K4, K5], ["0102"])


def test_store_lists_and_pickers_offer_each_own_satker_and_nothing_else(demo_store):
    s = demo_store.with_access(DUA)
    assert list(scopes.daftar_satker(s)["kode_satker"]) == [K4, K5]
    assert [k for _, k in access.satker_choices(demo_store, DUA)] == [K4, K5]
    s.check_scope(K5)
    with pytest.raises(AksesDitolak):
        s.check_scope(K3)
    c = demo_store.with_access(CAMPUR)
    assert sorted(scopes.daftar_unit(c)["kode_unit"]) == ["0102", "0103"]
    assert [k for _, k in access.satker_choices(demo_store, CAMPUR)] == [PUSAT, K4]
    # the central satker's picker: the two units only, no "Seluruh Unit Kerja"
    assert [k for _, k in access.unit_choices(demo_store, CAMPUR, PUSAT)] == ["0102", "0103"]
    with pytest.raises(AksesDitolak):
        c.check_scope(PUSAT, "0104")


def test_a_page_opened_on_a_satker_seen_through_units_opens_on_the_first_unit(demo_store):
    from spektra_lib.page.notebook import Halaman
    h = Halaman(store=demo_store.with_access(CAMPUR), interaktif=False,
                tautan_query=f"satker={PUSAT}")
    assert (h.params["satker"], h.params["unit"], h.ditolak) == (PUSAT, "0102", None)
    h = Halaman(store=demo_store.with_access(CAMPUR), interaktif=False,
                tautan_query=f"satker={K3}")
    assert h.ditolak == f"Anda tidak berhak melihat data satker {K3}."


def test_the_audience_of_several_scopes_reads_back_as_the_same_user():
    name = access.audience_name(CAMPUR)
    assert name == f"unit:{PUSAT}/0102;unit:{PUSAT}/0103;satker:{K4}"
    back = access.audience_access(name)
    assert back.lingkup == CAMPUR.lingkup and back.sendiri
    assert access.audience_access(f"satker:{K4},{K5}").lingkup == DUA.lingkup
    with pytest.raises(ValueError, match="tidak dikenal"):
        access.audience_access("satker:1;semua")


def test_served_access_header_carries_every_scope():
    import json
    sent = json.dumps({"peran": "user", "lingkup": CAMPUR.lingkup, "nama": "x"})
    assert access._served_access(sent, "x").lingkup == CAMPUR.lingkup
    assert access._served_access(json.dumps({"peran": "user", "lingkup": []}), "x").role \
        == "publik"


@pytest.fixture
def env(tmp_path, demo_store_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(demo_store_path, data / "spektra.duckdb")
    e = {**os.environ, "PYTHONPATH": str(ROOT), "SPEKTRA_STORE": str(data / "spektra.duckdb")}
    for k in ("SPEKTRA_PENGGUNA", "SPEKTRA_AUDIT"):
        e.pop(k, None)
    return e


def _cli(args, e, stdin_text=None):
    return subprocess.run([sys.executable, "-m", "spektra_lib.cli", "pengguna", *args],
                          input=stdin_text, capture_output=True, text=True, env=e, cwd=ROOT)


def test_cli_takes_repeated_and_comma_codes_checked_against_the_store(env):
    done = _cli(["tambah", "dua", "--peran", "user", "--satker", K4, "--satker", f"{K5},",
                 "--unit", "0102"], env, SANDI + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"Pengguna dua ditambahkan: User, satker {K4}, {K5}; "
                                   f"unit {PUSAT}/0102.")
    unknown = _cli(["ubah", "dua", "--satker", f"{K4},999999"], env)
    assert unknown.returncode == 2
    assert "Satker 999999 tidak ada di store" in unknown.stderr
    no_unit = _cli(["ubah", "dua", "--satker", K4, "--unit", f"{K4}/0102"], env)
    assert no_unit.returncode == 2 and f"Unit kerja 0102 tidak ada di satker {K4}" in no_unit.stderr
    changed = _cli(["ubah", "dua", "--satker", K5], env)
    assert changed.returncode == 0 and f"User, satker {K5}," in changed.stdout
    listing = _cli(["daftar"], env)
    line = next(l for l in listing.stdout.splitlines() if l.startswith("dua "))
    assert f"satker {K5}" in line and K4 not in line


def test_no_role_name_is_compared_outside_the_module_that_knows_the_roles():
    """Powers are asked of Access (sees_all, sendiri, mengelola) and of the Policy
    (may_go_live), never read from a role's name (issue 21 item 3)."""
    compare = re.compile(r"""(==|!=|\bin|\bnot in)\s*[\(\[{]?\s*["'](admin|super_user|user|"""
                         r"""publik)["']|\b(role|peran)\s*(==|!=)\s*["']""")
    allowed = {"rights.py", "access.py", "store.py"}      # where the roles are defined
    found = []
    for path in (ROOT / "spektra_lib").rglob("*.py"):
        if path.name in allowed or "synth" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if compare.search(code):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_pages_drawn_ahead_are_every_menu_page_of_every_audience_with_users(tmp_path,
                                                                            monkeypatch):
    from spektra_lib.access import NOTEBOOK_DIR, load_policy, notebooks_for
    from spektra_lib.serve import pages, snapshot
    from spektra_lib.serve.backend import bisa_dibuka
    policy = load_policy()

    def menu(a):
        allowed = bisa_dibuka(a, notebooks_for(a, policy, NOTEBOOK_DIR))
        return [n for _, items in pages.menu_groups() for n, _ in items if n in allowed]

    snaps = snapshot.Snapshots(NOTEBOOK_DIR, tmp_path / "tidak-dibuka.duckdb", tmp_path)
    users = [policy.users["kanreg4"], policy.users["biro_keuangan"], DUA]
    plan = snaps.prewarm_plan(users, menu)
    drawn = {(snapshot.audience(a), n, q) for n, q, a in plan}
    assert len(drawn) == len(plan)                           # each page once
    for a in users:
        for n in menu(a):                                    # every page the menu opens
            assert (snapshot.audience(a), n, "") in drawn
    assert menu(DUA) and all((snapshot.audience(DUA), n, f"satker={K5}") in drawn
                             for n in menu(DUA))             # and the second satker's
    unit_pages = menu(policy.users["biro_keuangan"])
    assert "capaian_output" not in unit_pages and "realisasi_pok" in unit_pages
    # the landing pages first, then the menus
    assert [n for n, _, _ in plan[:5]] == ["dashboard"] * 5
    monkeypatch.setattr(snapshot, "PREWARM_MAX", 7)
    assert len(snaps.prewarm_plan(users, menu)) == 7
    snaps.close()


def test_a_user_of_a_new_audience_is_drawn_ahead_without_waiting_for_an_ingest(
        demo_store_path, tmp_path, monkeypatch):
    import asyncio

    from spektra_lib.access import NOTEBOOK_DIR
    from spektra_lib.serve.snapshot import Snapshots
    snaps = Snapshots(NOTEBOOK_DIR, demo_store_path, tmp_path)
    drawn = []

    async def prewarm(accesses, menu, state):
        drawn.append(sorted(a.nama for a in accesses))
        snaps._prewarmed = state

    monkeypatch.setattr(snaps, "prewarm", prewarm)
    k4 = Access("user", satker=K4, nama="K4")

    async def minutes():
        for users in ([k4], [k4], [k4, DUA], [k4, DUA]):     # one watch() a minute
            snaps.watch(users)
            await asyncio.sleep(0.01)
    try:
        asyncio.run(minutes())
    finally:
        snaps.close()
    assert drawn == [["K4"], ["K4", "Operator Dua"]]
