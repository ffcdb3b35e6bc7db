"""Small report-shaped DataFrames (CONTRACT §2 columns) for the present/ tests."""
from __future__ import annotations

import numpy as np
import pandas as pd

BULAN = 5
DEVIASI = [5.0, 15.0, 45.0, 0.0, 38.7813]
WARNA = ["hijau", "kuning", "merah", "hijau", "merah"]
NODES = [  # level, kode, path, uraian, pagu
    ("unit", "BK", "", "Biro Keuangan", 237_864_572_000.0),
    ("program", "WA", "WA", "Program Dukungan Manajemen", 237_864_572_000.0),
    ("kegiatan", "4843", "WA.4843", "<script>alert(1)</script>", 237_864_572_000.0),
    ("item", "1", "WA.4843.1", "<b>x</b>", 1_000_000.0),
]


def deviasi_detail(nodes=NODES) -> pd.DataFrame:
    rows = []
    for level, kode, path, uraian, pagu in nodes:
        for m in range(1, 13):
            due = m <= BULAN
            rows.append(dict(
                level=level, kode=kode, path=path, uraian=uraian, bulan=m, pagu=pagu,
                rencana=8_119_369_897.0 * m, realisasi=9_048_762_480.0 * m if due else np.nan,
                deviasi_persen=DEVIASI[m - 1] if due else np.nan,
                warna=WARNA[m - 1] if due else None))
    return pd.DataFrame(rows)


def deviasi_kumulatif() -> pd.DataFrame:
    d = deviasi_detail(NODES[:2]).rename(columns={"rencana": "rencana_kumulatif",
                                                  "realisasi": "realisasi_kumulatif"})
    d["level"] = "satker"
    return d.drop(columns="path")


def realisasi_pok() -> pd.DataFrame:
    rows = [
        ("unit", "BK", "", "Biro Keuangan", None, None, None, 50_857_454_000, 21_998_809_490),
        ("program", "WA", "WA", "Program Dukungan Manajemen", None, None, None,
         50_857_454_000, 21_998_809_490),
        ("akun", "511111", "WA.511111", "Belanja Gaji Pokok PNS", None, None, None,
         50_857_454_000, 21_998_809_490),
        ("item", "1", "WA.511111.1", "Belanja Gaji Pokok PNS", 1, "THN", 42_232_058_000,
         42_232_058_000, 17_876_795_200),
        ("item", "2", "WA.511111.2", "<script>alert(1)</script>", 1, "BLN", 8_625_396_000,
         8_625_396_000, 4_122_014_290),
    ]
    df = pd.DataFrame(rows, columns=["level", "kode", "path", "uraian", "volume", "satuan",
                                     "harga_satuan", "pagu", "realisasi"])
    df["persen_realisasi"] = df["realisasi"] / df["pagu"] * 100
    df["sisa"] = df["pagu"] - df["realisasi"]
    return df


def ranking() -> pd.DataFrame:
    return pd.DataFrame({
        "peringkat": [1, 2], "kode": ["001", "002"],
        "nama": ["KANTOR REGIONAL IV BADAN KEPEGAWAIAN NEGARA MAKASAR", "<b>Kanreg</b>"],
        "pagu": [18_941_565_000.0, 13_361_266_000.0],
        "realisasi": [7_345_314_825.0, 4_986_053_455.0],
        "persen_realisasi": [38.7813, 37.3177], "sisa": [11_596_250_175.0, 8_375_212_545.0]})


def monitoring_spp() -> pd.DataFrame:
    return pd.DataFrame({
        "no_spp": ["00002T"], "tgl_spp": [pd.Timestamp("2022-01-03")], "no_spm": ["00002A"],
        "tgl_spm": [pd.Timestamp("2022-01-03")], "no_sp2d": [None], "tgl_sp2d": [pd.NaT],
        "uraian": ["Pembayaran Gaji Induk <Januari>"], "jenis_spp": ["GAJI INDUK"],
        "nilai": [4_651_803_651.0], "status": ["Upload SP2D"], "kode_unit": ["BK"],
        "potongan": [np.nan], "nilai_bersih": [np.nan], "nama_satker": [None]})


def grafik_rpd() -> pd.DataFrame:
    return pd.DataFrame({"bulan": range(1, 13),
                         "rencana_kumulatif": np.cumsum([2e10] * 12),
                         "realisasi_kumulatif": [1.8e10 * m if m <= BULAN else np.nan
                                                 for m in range(1, 13)]})


def grafik_target() -> pd.DataFrame:
    return pd.DataFrame([dict(bulan=m, jenis_belanja=j, target_persen=m * 8.0,
                              realisasi_persen=m * 7.5 if m <= BULAN else np.nan)
                         for m in range(1, 13) for j in ("51", "52", "53", "57")])
