"""Writes tests/data/seed/: a canonical folder for 2022 whose reports (bulan 5) reproduce
the numbers printed in the seed manual (shared/seeds/000_…txt). Run once; the CSVs are
committed. Integer rupiah throughout so every sum is exact.

What is fixed by the seed, and what is filled in so that the sums hold:
- Biro Keuangan (unit 0102 of 017220) holds WA.4843.EBA (236,598,535,000) and a second
  KRO, WA.4843.EBD (1,266,037,000; its realisasi 241,264,864 lands in April so the
  Realisasi POK WA row shows the seed's 64,313,064,724).
- EBA: komponen 001 / subkomponen A (gaji: akun 511111 and 511119 item by item as the
  seed prints them, the rest in 511121 and 511151) and komponen 003 with a blank
  subkomponen (521211, 1,000,000,000, realisasi 335,800,000).
- The rest of Kantor Pusat's Jan–Mar rencana and realisasi (deviasi kumulatif row) sits
  in Biro Umum (0103, WA.4843.EBB); the seed's unit-ranking and PN units hold rpd and
  realisasi from April only, so they do not disturb those three months.
- Kanreg: pagu and Jan–May realisasi copied from the "Realisasi Satker BKN" table; the
  satker outside that top ten get ~25 % so they rank below it.
"""
from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).parent / "data" / "seed"
TAHUN = 2022
PUSAT = "017220"

NAMES = {
    "WA": "Program Dukungan Manajemen", "CD": "Program Kebijakan, Pembinaan Profesi, dan Tata Kelola ASN",
    "4843": "Pengelolaan Keuangan, BMN, dan Umum", "EBA": "Layanan Dukungan Manajemen Internal",
    "EBD": "Layanan Manajemen Kinerja Internal", "EBB": "Layanan Sarana dan Prasarana Internal",
    "994": "Layanan Perkantoran", "001": "Gaji dan Tunjangan", "A": "Pembayaran Gaji dan Tunjangan",
    "003": "Operasional Keuangan",
}
AKUN = {"511111": "Belanja Gaji Pokok PNS", "511119": "Belanja Pembulatan Gaji PNS",
        "511121": "Belanja Tunj. Suami/Istri PNS", "511151": "Belanja Tunjangan Umum PNS",
        "521211": "Belanja Bahan", "521111": "Belanja Keperluan Perkantoran",
        "524111": "Belanja Perjalanan Dinas Biasa", "532111": "Belanja Modal Peralatan dan Mesin"}

pok_rows: list[dict] = []
real_rows: list[dict] = []


def add_item(satker, unit, prog, keg, kro, ro, komp, sub, akun, no, uraian, pagu, rpd,
             realisasi=None, volume=1, satuan="THN", pn=0):
    """rpd: 12 ints summing to pagu; realisasi: {month: int} (one SP2D line per month)."""
    assert sum(rpd) == pagu and len(rpd) == 12, (uraian, sum(rpd), pagu)
    row = {"tahun": TAHUN, "kode_satker": satker, "kode_unit": unit or "",
           "kode_program": prog, "nama_program": NAMES.get(prog, f"Program {prog}"),
           "kode_kegiatan": keg, "nama_kegiatan": NAMES.get(keg, f"Kegiatan {keg}"),
           "kode_kro": kro, "nama_kro": NAMES.get(kro, f"KRO {kro}"),
           "kode_ro": ro, "nama_ro": NAMES.get(ro, f"RO {ro}"),
           "kode_komponen": komp, "nama_komponen": NAMES.get(komp, f"Komponen {komp}"),
           "kode_subkomponen": sub, "nama_subkomponen": NAMES.get(sub, "") if sub else "",
           "kode_akun": akun, "nama_akun": AKUN[akun], "no_item": str(no),
           "uraian_item": uraian, "volume": volume, "satuan": satuan,
           "harga_satuan": pagu // volume, "pagu": pagu}
    row.update({f"rpd_{m:02d}": v for m, v in enumerate(rpd, 1)})
    row["prioritas_nasional"] = pn
    pok_rows.append(row)
    for m, v in sorted((realisasi or {}).items()):
        real_rows.append({"tahun": TAHUN, "kode_satker": satker, "kode_program": prog,
                          "kode_kegiatan": keg, "kode_kro": kro, "kode_ro": ro,
                          "kode_komponen": komp, "kode_subkomponen": sub, "kode_akun": akun,
                          "no_item": str(no), "tanggal": f"{TAHUN}-{m:02d}-15", "nilai": v,
                          "no_sp2d": f"22088{len(real_rows):010d}"})


def spread(total: int, months=range(1, 13)) -> list[int]:
    """`total` evenly over `months` (remainder in the last), as a 12-list."""
    months = list(months)
    base, rest = divmod(total, len(months))
    out = [0] * 12
    for m in months:
        out[m - 1] = base
    out[months[-1] - 1] += rest
    return out


def biro_keuangan():
    unit = "0102"
    eba_rpd = [8_119_369_897, 23_642_953_500, 23_642_953_500] + [18_813_183_533] * 3 \
        + [20_792_284_584] * 6
    eba_real = [9_048_762_480, 14_668_550_557, 14_722_672_233, 25_547_820_590, 83_994_000]
    assert sum(eba_rpd) == 236_598_535_000
    base = ("WA", "4843", "EBA", "994")
    fixed = [  # komponen, sub, akun, no, uraian, pagu, realisasi by month, volume/satuan
        ("001", "A", "511111", 1, "Belanja Gaji Pokok PNS", 42_232_058_000,
         {1: 4_469_198_800, 2: 4_469_198_800, 3: 4_469_198_800, 4: 4_469_198_800}, "THN"),
        ("001", "A", "511111", 2, "Belanja Gaji Pokok PNS (gaji ke 13)", 4_312_698_000, {}, "BLN"),
        ("001", "A", "511111", 3, "Belanja Gaji Pokok PNS (gaji ke 14)", 4_312_698_000,
         {4: 4_122_014_290}, "BLN"),
        ("001", "A", "511119", 1, "Belanja Pembulatan Gaji PNS", 1_223_000,
         {1: 68_716, 2: 68_716, 3: 68_716, 4: 68_717}, "THN"),
        ("001", "A", "511119", 2, "Belanja Pembulatan Gaji PNS (gaji ke 13)", 101_000, {}, "BLN"),
        ("001", "A", "511119", 3, "Belanja Pembulatan Gaji PNS (gaji ke 14)", 101_000,
         {4: 75_195}, "BLN"),
        ("001", "A", "511121", 1, "Belanja Tunj. Suami/Istri PNS", 4_739_656_000, None, "THN"),
        ("003", "", "521211", 1, "Belanja Bahan Operasional Keuangan", 1_000_000_000,
         {1: 50_000_000, 2: 100_000_000, 3: 101_806_000, 5: 83_994_000}, "THN"),
    ]
    rest_pagu = 236_598_535_000 - sum(f[5] for f in fixed)        # 511151
    rest_rpd = list(eba_rpd)
    rest_real = {m: v for m, v in enumerate(eba_real, 1)}
    for komp, sub, akun, no, uraian, pagu, real, satuan in fixed:
        rpd = spread(pagu)
        if real is None:   # 511121: 5 % of what the rest of the gaji is paid each month
            real = {}
            for m, v in enumerate(eba_real, 1):
                others = sum(f[6].get(m, 0) for f in fixed if f[6] is not None)
                real[m] = (v - others) * 5 // 100
        add_item(PUSAT, unit, *base, komp, sub, akun, no, uraian, pagu, rpd, real,
                 satuan=satuan)
        rest_rpd = [a - b for a, b in zip(rest_rpd, rpd)]
        for m, v in real.items():
            rest_real[m] -= v
    assert min(rest_rpd) > 0 and min(rest_real.values()) >= 0
    add_item(PUSAT, unit, *base, "001", "A", "511151", 1, "Belanja Tunjangan Umum PNS",
             rest_pagu, rest_rpd, {m: v for m, v in rest_real.items() if v})
    # The second KRO of 4843 in Biro Keuangan: rpd from April, realisasi in April.
    add_item(PUSAT, unit, "WA", "4843", "EBD", "994", "001", "A", "521211", 1,
             "Belanja Bahan Layanan Manajemen Kinerja", 1_266_037_000,
             spread(1_266_037_000, range(4, 13)), {4: 241_264_864})


# Seed "Realisasi Unit Kerja BKN Pusat" (top 9 besides Biro Keuangan) and PN units.
UNITS = [("0603", "3658", 825_000_000, 441_157_017), ("0602", "3657", 825_000_000, 368_953_342),
         ("0302", "3647", 825_000_000, 278_518_095), ("0503", "3654", 975_000_000, 325_757_137),
         ("0601", "3656", 975_000_000, 310_095_469), ("0403", "3650", 825_000_000, 246_098_636),
         ("0404", "3651", 975_000_000, 280_932_871), ("0201", "4844", 1_013_184_000, 285_415_434),
         ("0301", "3646", 825_000_000, 223_423_002)]
PN_UNITS = [("0401", "3644", 1_900_000_000, 523_069_200), ("0402", "3649", 3_500_000_000, 263_898_205),
            ("0502", "3653", 3_200_000_000, 109_250_000), ("0501", "3652", 3_800_000_000, 60_476_000),
            ("0701", "3660", 9_500_000_000, 90_775_060), ("0604", "3659", 4_300_000_000, 30_274_790)]
KP_PAGU = 356_683_787_000
REST_RENCANA = [8_354_866_186, 23_776_171_120, 28_382_433_440]
REST_REALISASI = [629_208_546, 19_785_923_240, 19_697_645_222]


def kantor_pusat_others():
    for unit, keg, pagu, real in UNITS:
        half = real // 2
        add_item(PUSAT, unit, "CD", keg, "BAB", "001", "052", "A", "524111", 1,
                 "Perjalanan dinas pelaksanaan kegiatan", pagu, spread(pagu, range(4, 13)),
                 {4: half, 5: real - half})
    for unit, keg, pagu, real in PN_UNITS:
        add_item(PUSAT, unit, "CD", keg, "QDC", "001", "051", "A", "521211", 1,
                 "Bahan kegiatan prioritas nasional", pagu, spread(pagu, range(4, 13)),
                 {5: real}, pn=1)
    others = 237_864_572_000 + sum(u[2] for u in UNITS + PN_UNITS)
    umum = KP_PAGU - others
    rpd = REST_RENCANA + spread(umum - sum(REST_RENCANA), range(4, 13))[3:]
    add_item(PUSAT, "0103", "WA", "4843", "EBB", "951", "001", "A", "521111", 1,
             "Keperluan perkantoran", umum, rpd,
             {m: v for m, v in enumerate(REST_REALISASI, 1)})


# Seed "Realisasi Satker BKN" (ranking, bulan 5), then satker outside its top ten.
KANREG = [("017234", 18_941_565_000, 7_345_314_825), ("017236", 13_361_266_000, 4_986_053_455),
          ("017232", 15_609_888_000, 5_785_847_891), ("017235", 14_466_979_000, 4_771_439_853),
          ("017240", 13_641_221_000, 4_451_941_928), ("017237", 16_209_129_000, 5_273_809_522),
          ("017238", 14_459_196_000, 4_699_878_758), ("017241", 13_317_764_000, 4_315_445_895),
          ("017242", 14_624_986_000, 4_654_113_769), ("017243", 8_589_411_000, 2_639_454_735),
          ("017231", 21_544_853_000, 5_386_213_250), ("017233", 19_426_887_000, 4_856_721_750),
          ("017239", 10_368_284_000, 2_592_071_000), ("017244", 10_442_029_000, 2_610_507_250),
          ("017245", 18_111_361_000, 4_527_840_250)]


def kanreg():
    for satker, pagu, real in KANREG:
        pegawai = pagu * 60 // 100
        barang = pagu - pegawai
        real_p = real * 60 // 100
        real_b = real - real_p
        for akun, komp, sub, p, r in (("511111", "001", "A", pegawai, real_p),
                                      ("521211", "002", "", barang, real_b)):
            months = {m: v for m, v in enumerate(spread(r, range(1, 6))[:5], 1)}
            if satker == "017234" and akun == "511111":
                months[6] = 450_000_000   # June payments: bulan 5 reports leave them out
            add_item(satker, None, "WA", "4843", "EBA", "994", komp, sub, akun, 1,
                     AKUN[akun], p, spread(p), months)


def write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    import yaml
    org = yaml.safe_load(open(Path(__file__).parents[1] / "parameters" / "organisasi.yaml"))
    biro_keuangan()
    kantor_pusat_others()
    kanreg()
    write("satker", [{"kode_satker": s["kode"], "nama_satker": s["nama"],
                      "kelompok": s["kelompok"]} for s in org["satker"]])
    write("unit_kerja", [{"kode_unit": u["kode"], "nama_unit": u["nama"], "kode_satker": PUSAT}
                         for u in org["unit_kerja"][PUSAT]])
    write("pok", pok_rows)
    write("realisasi", real_rows)
    targets = {"51": [8, 16, 25, 33, 41, 50, 58, 66, 75, 83, 90, 95],
               "52": [5, 10, 15, 25, 33, 40, 48, 56, 70, 78, 85, 90],
               "53": [2, 5, 10, 20, 30, 40, 48, 56, 70, 78, 85, 90],
               "57": [5, 10, 15, 25, 33, 40, 48, 56, 70, 78, 85, 90]}
    write("target_penyerapan", [{"tahun": TAHUN, "bulan": m, "jenis_belanja": j,
                                 "target_persen": v[m - 1]}
                                for j, v in targets.items() for m in range(1, 13)])
    spp = [("00002T", "03/01/2022", "00002A", "03/01/2022", "220881501000189", "03/01/2022",
            "Pembayaran Belanja Pegawai Berupa Gaji Induk Bulan Januari 2022 Untuk BKN Pusat "
            "Sebanyak 1032 Pegawai", "GAJI INDUK", "4651803651"),
           ("00003T", "07/01/2022", "00003A", "07/01/2022", "220881501000223", "01/02/2022",
            "Pembayaran Belanja Pegawai Berupa Gaji Induk Bulan Februari 2022 Untuk BKN Pusat "
            "Sebanyak 935 Pegawai", "GAJI INDUK", "4393145243"),
           ("00004T", "10/01/2022", "00004A", "10/01/2022", "220881301000009", "12/01/2022",
            "Biaya Belanja Para Pegawai berupa Gaji Terusan bulan Januari 2022 untuk Satker BKN "
            "Pusat Jakarta a n Saaman (1 orang)", "GAJI LAINNYA", "3813596"),
           ("00043T", "02/02/2022", "00043A", "02/02/2022", "220881301000474", "04/02/2022",
            "Biaya Belanja Pegawai (Pembayaran Tunjangan Kinerja Bulan Januari 2022) Pada Satker "
            "Kantor Pusat BKN Jakarta untuk 935 Pegawai", "LS-BANYAK PENERIMA", "4282241001"),
           ("00047T", "05/02/2022", "00047A", "07/02/2022", "220881301000629", "08/02/2022",
            "Biaya Belanja Pegawai (Pembayaran Tunjangan Kinerja Bulan Januari 2022) pada satker "
            "Kantor Regional I BKN Yogyakarta untuk 144 pegawai", "LS-BANYAK PENERIMA", "544922032"),
           ("00048T", "05/02/2022", "00048A", "07/02/2022", "220881301000627", "08/02/2022",
            "Biaya Belanja Pegawai (Pembayaran Tunjangan Kinerja Bulan Januari 2022) pada satker "
            "Kantor Regional II BKN Surabaya untuk 125 pegawai", "LS-BANYAK PENERIMA", "453740602"),
           ("00049T", "07/02/2022", "00049A", "07/02/2022", "220881301000628", "08/02/2022",
            "Biaya Belanja Pegawai (Pembayaran Tunjangan Kinerja Bulan Januari 2022) pada satker "
            "Kantor Regional III BKN Bandung untuk 128 pegawai", "LS-BANYAK PENERIMA", "477811940"),
           ("00101T", "03/06/2022", "00101A", "03/06/2022", "220881501000901", "06/06/2022",
            "Pembayaran Gaji Induk Bulan Juni 2022", "GAJI INDUK", "4400000000")]
    write("spp", [{"kode_satker": PUSAT, "kode_unit": "0102", "no_spp": s[0], "tgl_spp": s[1],
                   "no_spm": s[2], "tgl_spm": s[3], "no_sp2d": s[4], "tgl_sp2d": s[5],
                   "uraian": s[6], "jenis_spp": s[7], "nilai": s[8], "status": "Upload SP2D"}
                  for s in spp])


if __name__ == "__main__":
    main()
