"""Draft keterangan: each case of seed 002's table, asserted as the full sentence a user reads."""
import pytest

from spektra_lib.reports.capaian_draf import kasus, keterangan

HEAD = "s.d. bulan Mei 2022, PCRO Kumulatif : {p} dengan RVRO kumulatif : {r} layanan."
GAP = " Gap yang cukup tinggi antara PPA & PCRO disebabkan [isi: penyebab gap]."

CASES = [
    # (case, ppa, rvro, pcro, anomali, expected body) — bodies in the seed's wording.
    ("N1", 0, 0, 0, False,
     " Penyerapan anggaran masih 0%, dan Tahapan [isi: tahapan] baru akan dilaksanakan "
     "bulan [isi: bulan pelaksanaan]."),
    ("N2", 0, 0, 12.5, False,
     " Penyerapan anggaran masih 0% dan tahapan [isi: tahapan] masih dalam progres sehingga "
     "belum ada layanan yang terealisasi."),
    ("N3", 10, 0, 12.5, False,
     " Tahapan [isi: tahapan] masih dalam progres sehingga belum ada layanan yang "
     "terealisasi."),
    ("N4", 30, 3, 45.5, False,
     " Tahapan yg sudah dilaksanakan dalam RO ini adalah [isi: tahapan]."),
    ("N5", 85, 12, 100, False,
     " Seluruh tahapan kegiatan sudah dilaksanakan dan target sudah tercapai seluruhnya."),
    ("N6", 85, 20, 100, False,
     " Seluruh tahapan kegiatan sudah dilaksanakan dan realisasi volume melebihi target yang "
     "ditetapkan dikarenakan [isi: alasan melebihi target]."),
    ("A1", 0, 0, 45.5, True,
     " Tahapan yg sudah dilaksanakan : [isi: tahapan]." + GAP),
    ("A2", 60, 0, 12.5, True,
     " Tahapan [isi: tahapan] masih dalam progres sehingga belum ada layanan yang "
     "terealisasi." + GAP),
    ("A3", 70, 3, 45.5, True,
     " Tahapan yg sudah dilaksanakan : [isi: tahapan]." + GAP),
    ("A4", 50, 12, 100, True,
     " Seluruh tahapan kegiatan sudah dilaksanakan dan target sudah tercapai." + GAP),
    ("A5", 50, 20, 100, True,
     " Seluruh tahapan kegiatan sudah dilaksanakan dan realisasi volume melebihi target yang "
     "ditetapkan dikarenakan [isi: alasan melebihi target]." + GAP),
]


def _fmt(x):
    return f"{x:.2f}".replace(".", ",") + "%"


@pytest.mark.parametrize("case, ppa, rvro, pcro, anomali, body", CASES, ids=[c[0] for c in CASES])
def test_seed_case_sentence(case, ppa, rvro, pcro, anomali, body):
    assert kasus(ppa=ppa, rvro=rvro, pcro=pcro, target=12, anomali=anomali) == case
    text = keterangan(tahun=2022, bulan=5, ppa=ppa, rvro=rvro, pcro=pcro, target=12,
                      satuan="layanan", anomali=anomali)
    assert text == HEAD.format(p=_fmt(pcro), r=rvro) + body


def test_indonesian_decimals_and_month_name():
    text = keterangan(tahun=2021, bulan=11, ppa=40.1, rvro=1250, pcro=45.5, target=2000,
                      satuan="dokumen", anomali=False)
    assert text == ("s.d. bulan November 2021, PCRO Kumulatif : 45,50% dengan RVRO kumulatif "
                    ": 1.250 dokumen. Tahapan yg sudah dilaksanakan dalam RO ini adalah "
                    "[isi: tahapan].")


def test_ppa_below_one_hundredth_counts_as_zero():
    assert kasus(ppa=0.009, rvro=0, pcro=5, target=1, anomali=False) == "N2"
    assert kasus(ppa=0.01, rvro=0, pcro=5, target=1, anomali=False) == "N3"


@pytest.mark.parametrize("ppa, rvro, pcro, anomali, case", [
    (0, 2, 10, False, "N4"),       # PPA 0 with RVRO >= 1: nearest RVRO >= 1 row
    (95, 5, 100, False, "N4"),     # PCRO 100 but below target: partial row
    (90, 40, 100, False, "N6"),    # above 3x target: still the "melebihi" sentence
    (30, 0, 0, True, "A2"),        # anomaly with PCRO 0: stage in progress
])
def test_silent_cases_take_the_nearest_row(ppa, rvro, pcro, anomali, case):
    assert kasus(ppa=ppa, rvro=rvro, pcro=pcro, target=12, anomali=anomali) == case


def test_missing_satuan_is_a_marked_blank():
    text = keterangan(tahun=2022, bulan=1, ppa=0, rvro=0, pcro=0, target=1, satuan=None,
                      anomali=False)
    assert text.startswith("s.d. bulan Januari 2022, PCRO Kumulatif : 0,00% dengan RVRO "
                           "kumulatif : 0 [isi: satuan].")
