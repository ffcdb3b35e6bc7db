"""The budget-version note under a report (issue 27.11): dates as people write them, a version
dated after the reported month said so, the agency's page one short line, not a paragraph."""
from __future__ import annotations

from datetime import date

from spektra_lib.reports.catatan_versi import kalimat

V0, V1, V2 = (1, 0, date(2022, 1, 3)), (2, 1, date(2022, 4, 8)), (3, 2, date(2022, 7, 5))


def info(kode: str, acuan=V2, bulan=None, n=3) -> dict:
    months = bulan or {m: (V0 if m <= 3 else V1 if m <= 6 else V2) for m in range(1, 13)}
    return {"kode_satker": kode, "jumlah_versi": n, "acuan": acuan, "bulan": months}


def test_one_satker_dates_in_indonesian_and_a_later_revision_said_so():
    text = kalimat([info("017234")], None, 2022, 5)
    assert text == ("Anggaran terakhir: POK revisi 2 (berlaku 5 Juli 2022, sesudah Mei 2022); "
                    "RPD Jan–Mar revisi 0, Apr–Jun revisi 1, Jul–Des revisi 2.")
    assert "2022-07-05" not in text
    # a December report: the July revision is not after it
    assert "sesudah" not in kalimat([info("017234")], None, 2022, 12)


def test_per_tanggal_names_the_date_in_words():
    flat = {m: V1 for m in range(1, 13)}
    text = kalimat([info("017234", V1, flat)], date(2022, 5, 31), 2022, 5)
    assert text == "Anggaran per tanggal 31 Mei 2022: POK revisi 1 (berlaku 8 April 2022)."


def test_agency_page_groups_the_satkers_sharing_a_version():
    many = [info(f"0172{i:02d}") for i in range(20, 36)]
    text = kalimat(many, None, 2022, 5)
    assert text.startswith("Anggaran terakhir: semua 16 satker: POK revisi 2 (berlaku 5 Juli")
    assert text.count("POK revisi") == 1 and len(text) < 160
    one = [info(f"0172{i:02d}") for i in range(20, 35)] + [info("017299", V1)]
    text = kalimat(one, None, 2022, 5)
    assert "15 satker: POK revisi 2" in text and "satker 017299: POK revisi 1" in text
    assert text.count("POK revisi") == 2


def test_single_versions_and_no_date_need_no_note():
    assert kalimat([info("017234", V0, {m: V0 for m in range(1, 13)}, n=1)], None, 2022, 5) is None
