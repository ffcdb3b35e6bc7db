"""Capaian-output deadlines checked against calendars worked out by hand.

Holidays and cuti bersama written out from the SKB 3 Menteri of each year:
- 2022 (SKB 963/2021 as changed by SKB 375/2022): libur 1 Jan, 1 Feb, 28 Feb, 3 Mar,
  15 Apr, 1 Mei, 2–3 Mei, 16 Mei, 26 Mei, 1 Jun, 10 Jul, 30 Jul, 17 Agu, 8 Okt, 25 Des;
  cuti bersama 29 Apr, 4–6 Mei (26 Des 2022 is NOT cuti bersama).
- January 2023: 1 Jan is a Sunday; no cuti bersama in early January.
- 2026 (SKB 1497/2025): libur 1 Jan, 16 Jan, 17 Feb, 19 Mar, 21–22 Mar, 3 Apr, 5 Apr,
  1 Mei, 14 Mei, 27 Mei, 31 Mei, 1 Jun, 16 Jun, 17 Agu, 25 Agu, 25 Des; cuti bersama
  16 Feb, 18 Mar, 20/23/24 Mar, 15 Mei, 28 Mei, 24 Des.
- January 2027: 1 Jan (Friday) and Isra Mikraj on Tuesday 5 Jan (estimated date).
"""
from datetime import date

import pytest
import yaml

from spektra_lib import kalender

# Month m's report is due on the 5th working day of m+1 (from 2022), counted by hand.
DUE_2022 = {
    1: date(2022, 2, 8),    # 1 Feb Imlek: 2,3,4,7,8
    2: date(2022, 3, 8),    # 3 Mar Nyepi: 1,2,4,7,8
    3: date(2022, 4, 7),    # 1,4,5,6,7
    4: date(2022, 5, 13),   # 2–3 Idul Fitri, 4–6 cuti bersama: 9..13
    5: date(2022, 6, 8),    # 1 Jun Pancasila: 2,3,6,7,8
    6: date(2022, 7, 7),    # 1,4,5,6,7
    7: date(2022, 8, 5),    # 1..5
    8: date(2022, 9, 7),    # 1,2,5,6,7
    9: date(2022, 10, 7),   # 3..7
    10: date(2022, 11, 7),  # 1,2,3,4,7
    11: date(2022, 12, 7),  # 1,2,5,6,7
    12: date(2023, 1, 6),   # 2..6
}
DUE_2026 = {
    1: date(2026, 2, 6),    # 2..6 (16 Feb cuti bersama comes later)
    2: date(2026, 3, 6),    # 2..6
    3: date(2026, 4, 8),    # 3 Apr Wafat Yesus: 1,2,6,7,8
    4: date(2026, 5, 8),    # 1 Mei Hari Buruh: 4..8
    5: date(2026, 6, 8),    # 1 Jun Pancasila: 2,3,4,5,8
    6: date(2026, 7, 7),    # 1,2,3,6,7
    7: date(2026, 8, 7),    # 3..7
    8: date(2026, 9, 7),    # 1,2,3,4,7
    9: date(2026, 10, 7),   # 1,2,5,6,7
    10: date(2026, 11, 6),  # 2..6
    11: date(2026, 12, 7),  # 1,2,3,4,7
    12: date(2027, 1, 11),  # 1 Jan, 5 Jan Isra Mikraj: 4,6,7,8,11
}


@pytest.mark.parametrize("tahun, expected", [(2022, DUE_2022), (2026, DUE_2026)])
def test_due_dates_match_hand_calendar(tahun, expected):
    assert {m: kalender.batas_waktu_capaian(tahun, m) for m in range(1, 13)} == expected


def test_2021_uses_ten_working_days():
    # February 2021: 1–5, 8–11 (12 Feb Imlek), 15 -> the 10th working day is 15 Feb.
    assert kalender.batas_waktu_capaian(2021, 1) == date(2021, 2, 15)
    # May 2021: 12 cuti bersama, 13 Idul Fitri/Kenaikan, 14 Idul Fitri:
    # 3,4,5,6,7,10,11,17,18,19 -> 19 May.
    assert kalender.batas_waktu_capaian(2021, 4) == date(2021, 5, 19)


def test_cuti_bersama_and_weekends_are_not_working_days():
    assert not kalender.is_hari_kerja(date(2022, 5, 4))      # cuti bersama Idul Fitri
    assert not kalender.is_hari_kerja(date(2026, 3, 18))     # cuti bersama Nyepi
    assert not kalender.is_hari_kerja(date(2022, 5, 7))      # Saturday
    assert kalender.is_hari_kerja(date(2022, 12, 26))        # not cuti bersama in 2022


def test_override_list_changes_the_deadline(tmp_path, monkeypatch):
    from spektra_lib import parameters
    p = dict(parameters.load("kalender"))
    # A decree adds 2 Feb 2022 as a day off and turns Imlek 1 Feb into a working day.
    p["libur_tambahan"] = ["2022-02-02"]
    p["hari_kerja_tambahan"] = ["2022-02-01"]
    (tmp_path / "kalender.yaml").write_text(yaml.safe_dump(p), encoding="utf-8")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(tmp_path))
    # Working days: 1, 3, 4, 7, 8 -> still 8 Feb, but the count differs: check day 2.
    assert kalender.hari_kerja_ke(2022, 2, 2) == date(2022, 2, 3)
    assert kalender.is_hari_kerja(date(2022, 2, 1))
    assert not kalender.is_hari_kerja(date(2022, 2, 2))
