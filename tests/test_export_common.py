"""Shared report frames for the export tests, and the grid every format draws."""
from __future__ import annotations

import pandas as pd
import pytest

from spektra_lib.export import Meta
from spektra_lib.export.common import OUTLINE, grids

BULAN = 5
EVIL_LINK = '=HYPERLINK("http://x","klik")'
EVIL_SUM = "@SUM(A1)"

# (level, kode, path, uraian) in report order; items carry the money, parents sum them.
NODES = [
    ("satker", "017220", "", "BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA"),
    ("program", "WA", "WA", "Program Dukungan Manajemen"),
    ("kegiatan", "4843", "WA.4843", "Pengelolaan Keuangan, BMN, dan Umum"),
    ("kro", "EBA", "WA.4843.EBA", "Layanan Dukungan Manajemen Internal"),
    ("ro", "994", "WA.4843.EBA.994", "Layanan Perkantoran"),
    ("komponen", "001", "WA.4843.EBA.994.001", "Gaji dan Tunjangan"),
    ("subkomponen", "A", "WA.4843.EBA.994.001.A", "Pembayaran Gaji dan Tunjangan"),
    ("akun", "511111", "WA.4843.EBA.994.001.A.511111", "Belanja Gaji Pokok PNS"),
    ("item", "1", "WA.4843.EBA.994.001.A.511111.1", EVIL_LINK),
    ("item", "2", "WA.4843.EBA.994.001.A.511111.2", EVIL_SUM),
]
# Item monthly RPD and realisasi (Jan..May realised), chosen for each colour band.
RPD = {"1": [8_119_369_897, 1_000_000_000, 500_000_000, 0, 200_000_000] + [100_000_000] * 7,
       "2": [1_000_000, 2_000_000, 3_000_000, 0, 4_000_000] + [1_000_000] * 7}
REAL = {"1": [9_048_762_480, 800_000_000, 400_000_000, 0, 0],
        "2": [1_000_000, 1_000_000, 3_300_000, 50_000, 4_000_000]}


def band(d):
    return "hijau" if d <= 10 else "kuning" if d <= 30 else "merah"


def deviasi_frame(nodes=NODES) -> pd.DataFrame:
    rows = []
    for level, kode, path, uraian in nodes:
        items = ["1", "2"] if level != "item" else [kode]
        for m in range(1, 13):
            rpd = sum(RPD[i][m - 1] for i in items)
            real = sum(REAL[i][m - 1] for i in items) if m <= BULAN else None
            if real is None:
                dev, warna = None, ""
            elif rpd == 0:
                dev = 0.0 if real == 0 else 100.0
                warna = band(dev)
            else:
                dev = abs(real - rpd) / rpd * 100
                warna = band(dev)
            rows.append(dict(level=level, kode=kode, path=path, uraian=uraian, bulan=m,
                             pagu=float(sum(sum(RPD[i]) for i in items)), rencana=float(rpd),
                             realisasi=None if real is None else float(real),
                             deviasi_persen=dev, warna=warna))
    return pd.DataFrame(rows)


def pok_frame() -> pd.DataFrame:
    rows = []
    for level, kode, path, uraian in NODES:
        items = ["1", "2"] if level != "item" else [kode]
        pagu = float(sum(sum(RPD[i]) for i in items))
        real = float(sum(sum(REAL[i]) for i in items))
        rows.append(dict(level=level, kode=kode, path=path, uraian=uraian,
                         volume=1.0 if level == "item" else None,
                         satuan="THN" if level == "item" else None,
                         harga_satuan=pagu if level == "item" else None, pagu=pagu,
                         realisasi=real, persen_realisasi=real / pagu * 100, sisa=pagu - real))
    return pd.DataFrame(rows)


def ranking_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "peringkat": [1, 2], "kode": ["019001", "019002"],
        "nama": ["KANTOR REGIONAL IV BADAN KEPEGAWAIAN NEGARA MAKASAR", EVIL_LINK],
        "pagu": [18_941_565_000.0, 13_641_221_000.0],
        "realisasi": [7_345_314_825.0, 5_232_150_846.0],
        "persen_realisasi": [7_345_314_825 / 18_941_565_000 * 100,
                             5_232_150_846 / 13_641_221_000 * 100],
        "sisa": [18_941_565_000.0 - 7_345_314_825, 13_641_221_000.0 - 5_232_150_846]})


def rpd_chart_frame() -> pd.DataFrame:
    plan = [16_474_236_083 * m for m in range(1, 13)]
    real = [9_677_971_026 * m if m <= BULAN else None for m in range(1, 13)]
    return pd.DataFrame({"bulan": range(1, 13), "rencana_kumulatif": plan,
                         "realisasi_kumulatif": real})


META = Meta(judul="Deviasi Rencana dan Realisasi Detail",
            scope="017220 BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA",
            periode="s.d. Mei 2022", posisi_data="31 Mei 2022",
            dibuat="22 November 2026 pukul 14.05",
            catatan="Bulan setelah Mei belum jatuh tempo.")


# -- the grids -----------------------------------------------------------------------------
def test_deviasi_detail_is_wide_with_three_rows_per_node_and_tidy_sheet():
    df = deviasi_frame()
    people, data = grids(df, "deviasi_detail", full=True)
    assert [c.header for c in people.columns][:5] == ["Kode", "Uraian", "Keterangan", "Pagu",
                                                      "Jan"]
    assert people.columns[-1].header == "Des"
    assert len(people.rows) == 3 * len(NODES)
    eba = [i for i, r in enumerate(people.rows) if r.values[0] == "EBA"][0]
    plan, real, dev = people.rows[eba:eba + 3]
    assert [plan.values[2], real.values[2], dev.values[2]] == ["Rencana", "Realisasi", "Deviasi"]
    assert plan.values[4] == 8_119_369_897 + 1_000_000
    assert real.values[4] == 9_048_762_480 + 1_000_000
    assert dev.values[4] == pytest.approx(929_392_583 / 8_120_369_897 * 100)
    assert real.values[4 + 5] is None and dev.values[4 + 5] is None   # Juni: belum jatuh tempo
    assert dev.fills[4] == "FFEB9C"      # Jan 11.45 % kuning
    assert 4 + 5 not in dev.fills
    assert plan.bold and not people.rows[-3].bold      # parent bold, item not
    assert people.rows[-3].outline == OUTLINE["item"] == 7
    assert data.title == "Data" and len(data.rows) == len(df)


def test_word_and_pdf_grids_leave_out_the_tidy_sheet_and_paths():
    assert len(grids(deviasi_frame(), "deviasi_detail", full=False)) == 1
    (g,) = grids(pok_frame(), "realisasi_pok", full=False)
    assert "path" not in [c.key for c in g.columns] and "level" not in [c.key for c in g.columns]
    assert [c.header for c in g.columns][:3] == ["Kode", "Uraian", "Volume"]
