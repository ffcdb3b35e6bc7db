"""What the app offers each role (issue 27.8): a unit kerja's User is not offered the
per-satker pages that could only refuse it; the bar names the role once."""
from __future__ import annotations

import re

from spektra_lib.serve.backend import bisa_dibuka
from spektra_lib.serve.pages import bar, beranda
from spektra_lib.store import Access

PAGES = {"dashboard", "realisasi_pok", "deviasi_detail", "capaian_output", "status_capaian",
         "ikpa_estimasi", "monitoring_spp"}


def test_unit_user_is_not_offered_per_satker_pages():
    unit = Access("user", "017220", "0102", "Operator Biro Keuangan")
    assert bisa_dibuka(unit, PAGES) == {"dashboard", "realisasi_pok", "deviasi_detail",
                                        "monitoring_spp"}
    menu = re.sub(r"<[^>]+>", " ", beranda(bisa_dibuka(unit, PAGES), nama="Operator",
                                            role="user"))
    assert "Capaian" not in menu and "IKPA" not in menu and "Realisasi POK" in menu
    # a satker's User and the others keep them
    assert bisa_dibuka(Access("user", "017234"), PAGES) == PAGES
    assert bisa_dibuka(Access("super_user"), PAGES) == PAGES


def test_role_said_once_in_the_bar():
    for nama in ("Kepala Biro Keuangan (Super User)", "Kepala Biro Keuangan"):
        text = re.sub(r"<[^>]+>", " ", bar(nama, "super_user"))
        assert text.count("(Super User)") == 1 and "Kepala Biro Keuangan" in text
