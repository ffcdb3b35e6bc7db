"""Writes the SAKTI Excel report fixtures of this folder, cell by cell, from the layout
of the real reports (DOMAIN.md §6), not from our canonical tables or our writers:

- POK_017220.xlsx: Form Cetak POK in rupiah; months named in the header; amounts partly
  typed as Indonesian text (`1.200.000.000`, `37.500,50`), partly numbers; a caption line;
  komponen ZZ1 without subkomponen; the akun line 521211 carries its monthly plan too.
- POK_017231_ribuan.xlsx: "(dalam ribuan rupiah)"; months only at their fixed positions
  R S T U V W _ Y _ AA AB AC AD _ AF (the header names none of them); item lines marked
  `-` or `•`; two programs.
- Daftar_SP2D.xlsx: title rows above the header (row 5); dates as text and as dates; one
  USD line; one line without invoice; a JUMLAH line.

Run from the repository root: `.venv/bin/python tests/data/layouts/sakti-xlsx/buat_fixture.py`.
"""
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
MONTH_COLS = ["R", "S", "T", "U", "V", "W", "Y", "AA", "AB", "AC", "AD", "AF"]
MONTHS = ["JANUARI", "PEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
          "SEPTEMBER", "OKTOBER", "NOPEMBER", "DESEMBER"]


def months(*values, **by_month):
    """{column: value} of the monthly plan: 12 values, or by month number (m1=…)."""
    vals = list(values) if values else [by_month.get(f"m{i}") for i in range(1, 13)]
    return {c: v for c, v in zip(MONTH_COLS, vals) if v is not None}


def line(kode=None, uraian=None, vol=None, sat=None, harga=None, jumlah=None, rpd=None, sd=None):
    row = {"B": kode, "C": uraian, "D": vol, "E": sat, "F": harga, "G": jumlah, "H": sd}
    row.update(rpd or {})
    return {k: v for k, v in row.items() if v is not None}


def footer(tahun):
    return [{}, {"AB": f"Jakarta, 31 Desember {tahun - 1}"}, {"AB": "Kuasa Pengguna Anggaran"},
            {"AB": "NIP. 197001011995031001"}]


def pok_017220() -> list[dict]:
    header = {"A": "NO", "B": "KODE", "C": "URAIAN", "D": "VOLUME", "E": "SATUAN",
              "F": "HARGA SATUAN (Rp)", "G": "JUMLAH BIAYA (Rp)", "H": "SD/CP"}
    header.update(dict(zip(MONTH_COLS, MONTHS)))
    title = [{"A": "SATKER", "E": "KODE SATKER : 017220",
              "G": "BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA"},
             {"A": "FORM CETAK POK / RPD DIPA PETIKAN"},
             {"A": "TAHUN ANGGARAN : 2022"},
             {"A": "KEMENTERIAN/LEMBAGA : 088 BADAN KEPEGAWAIAN NEGARA"},
             {"A": "(dalam rupiah)"},
             {}]
    body = [
        line("088.01.WA", "Program Dukungan Manajemen", jumlah=1226887025),
        line("4843", "Pengelolaan Keuangan, BMN, dan Umum", jumlah=1226887025),
        line("4843.EBA", "Layanan Dukungan Manajemen Internal", 1, "Layanan", jumlah=1226887025),
        line("EBA.994", "Layanan Perkantoran", 12, "Bulan Layanan", jumlah=1226887025),
        line("001", "Gaji dan Tunjangan", jumlah=1200012000),
        line("A", "Pembayaran Gaji dan Tunjangan", jumlah=1200012000),
        line("511111", "Belanja Gaji Pokok PNS", jumlah="1.200.000.000"),
        line(None, "Gaji pokok PNS", 12, "BLN", "100.000.000", "1.200.000.000",
             months(*[100000000] * 12), "RM"),
        line("511119", "Belanja Pembulatan Gaji PNS", jumlah=12000),
        line("-", "Pembulatan gaji", 12, "BLN", 1000, 12000, months(*[1000] * 12), "RM"),
        line("002", "Operasional dan Pemeliharaan Kantor", jumlah=16875025),
        line("A", "Kebutuhan Sehari-hari Perkantoran", jumlah=16875025),
        line("521211", "Belanja Bahan", jumlah=16875025,
             rpd=months(m1=5000000, m2=1875025, m3=5000000, m5=5000000)),
        line(None, "- Alat tulis dan konsumsi"),
        line(None, "ATK, kertas, tinta", 10, "PAKET", 1500000, 15000000,
             months(m1=5000000, m3=5000000, m5=5000000), "RM"),
        line(None, "Konsumsi rapat", 50, "OK", "37.500,50", "1.875.025",
             months(m2="1.875.025"), "RM"),
        line("ZZ1", "Dukungan Operasional Pegawai", jumlah=10000000),
        line("521219", "Belanja Barang Non Operasional Lainnya", jumlah=10000000),
        line(None, "Penggandaan dokumen", 4, "KALI", 2500000, 10000000, months(m4=10000000), "RM"),
        line(None, "JUMLAH SELURUHNYA", jumlah=1226887025,
             rpd=months(105001000, 101876025, 105001000, 110001000, 105001000,
                        *[100001000] * 7)),
    ]
    return title + [header] + body + footer(2022)


def pok_017231_ribuan() -> list[dict]:
    header = {"A": "NO", "B": "KODE", "C": "URAIAN", "D": "VOL", "E": "SAT",
              "F": "HARGA SATUAN", "G": "JUMLAH", "R": "RENCANA PENARIKAN DANA"}
    title = [{"A": "SATKER", "E": "017231", "G": "KANTOR REGIONAL I BKN YOGYAKARTA"},
             {"A": "FORM CETAK POK / RPD DIPA PETIKAN"},
             {"A": "TAHUN ANGGARAN 2022"},
             {"A": "KEMENTERIAN/LEMBAGA : 088 BADAN KEPEGAWAIAN NEGARA"},
             {"A": "(dalam ribuan rupiah)"},
             {}]
    body = [
        line("088.01.CD", "Program Kebijakan, Pembinaan Profesi, dan Tata Kelola ASN", jumlah=15200),
        line("5764", "Penyelenggaraan Manajemen ASN", jumlah=15200),
        line("5764.QDC", "Fasilitasi dan Pembinaan Lembaga", jumlah=15200),
        line("QDC.001", "Layanan Manajemen ASN Regional", 1, "Layanan", jumlah=15200),
        line("051", "Pembinaan Kepegawaian Instansi", jumlah=15200),
        line("A", "Koordinasi", jumlah=14300),
        line("524111", "Belanja Perjalanan Dinas Biasa", jumlah=14300),
        line("-", "Perjalanan dinas ke instansi daerah", 4, "OK", 2500, 10000,
             months(m3=2500, m4=2500, m6=2500, m8=2500)),
        line("-", "Uang harian", 10, "OH", 430, 4300, months(m7=4300)),
        line("B", "Rapat koordinasi", jumlah=900),
        line("524113", "Belanja Perjalanan Dinas Dalam Kota", jumlah=900),
        line("•", "Transport lokal", 6, "OK", 150, 900, months(m9=900)),
        line("088.01.WA", "Program Dukungan Manajemen", jumlah=600000),
        line("4843", "Pengelolaan Keuangan, BMN, dan Umum", jumlah=600000),
        line("4843.EBA", "Layanan Dukungan Manajemen Internal", jumlah=600000),
        line("EBA.994", "Layanan Perkantoran", jumlah=600000),
        line("001", "Gaji dan Tunjangan", jumlah=600000),
        line("511111", "Belanja Gaji Pokok PNS", jumlah=600000),
        line(None, "Gaji pokok PNS", 12, "BLN", 50000, 600000, months(*[50000] * 12)),
        line(None, "JUMLAH", jumlah=615200,
             rpd=months(50000, 50000, 52500, 52500, 50000, 52500, 54300, 52500, 50900,
                        50000, 50000, 50000)),
    ]
    return title + [header] + body + footer(2022)


SP2D_HEADER = ["Kode Satker", "Nama Satker", "No SP2D", "Tanggal Selesai SP2D", "Tgl SP2D",
               "Mata Uang", "Nilai SPM", "Potongan", "Nilai SP2D", "Nilai SP2D Ekuivalen",
               "Nomor Invoice", "Tanggal Invoice", "Jenis SPM", "Jenis SP2D", "Deskripsi"]


def daftar_sp2d() -> list[list]:
    pusat, kanreg = "BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA", "KANTOR REGIONAL I BKN YOGYAKARTA"
    return [
        ["DAFTAR SP2D"],
        ["Satuan Kerja : Semua"],
        ["Periode : 01-01-2022 s.d. 31-03-2022"],
        [],
        SP2D_HEADER,
        ["017220", pusat, "220011301000001", "25/01/2022", "25/01/2022", "IDR",
         "100.000.000,00", "0,00", "100.000.000,00", "100.000.000,00", "00001T/017220/2022",
         "20/01/2022", "GAJI INDUK", "LS", "Gaji induk Januari 2022"],
        ["017220", pusat, "220011301000003", datetime(2022, 1, 10), datetime(2022, 1, 10), "IDR",
         4800000, 480000, 4320000, 4320000, "00003T/017220/2022", datetime(2022, 1, 5),
         "LS", "LS", "Pembelian ATK"],
        ["017231", kanreg, "220011302000002", "15-03-2022", "15-03-2022", "USD",
         1000, 0, 1000, 14350000, "00002T/017231/2022", "10-03-2022", "LS", "LS",
         "Langganan jurnal internasional"],
        ["017231", kanreg, "220011302000003", "28/03/2022", "28/03/2022", "IDR",
         2450000, 0, 2450000, 2450000, None, None, "GUP", "GUP", "Perjalanan dinas"],
        ["JUMLAH", None, None, None, None, None, None, 480000, None, 120120000],
    ]


def save_lines(lines: list[dict], path: Path, sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, cells in enumerate(lines, start=1):
        for col, v in cells.items():
            ws[f"{col}{r}"] = v
            if isinstance(v, str):
                ws[f"{col}{r}"].data_type = "s"
    wb.save(path)
    return path


def save_rows(rows: list[list], path: Path, sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def main(folder: Path = HERE) -> None:
    save_lines(pok_017220(), folder / "POK_017220.xlsx", "Form Cetak POK")
    save_lines(pok_017231_ribuan(), folder / "POK_017231_ribuan.xlsx", "RPD DIPA")
    save_rows(daftar_sp2d(), folder / "Daftar_SP2D.xlsx", "Daftar SP2D")


if __name__ == "__main__":
    main()
