"""Writes tests/data/layouts/adk-keu/: the DIPA application's own FoxPro tables
(`D_ITEM.KEU`, `T_SATKER.KEU`, `T_PROGRAM.KEU`, `T_GIAT.KEU`, `T_OUTPUT.KEU`, `T_AKUN.KEU`,
`D_SOUTPUT.KEU`, `D_KMPNEN.KEU`, `D_SKMPNEN.KEU`) as Visual FoxPro DBF files (version
0x30, 263-byte backlink, cp1252), with the d_item columns of DOMAIN.md §6 — not our own
canonical names. Run once; the files are committed.

D_ITEM (record: what it is):
 1  017220 511111 header, marked by KDHEADER=1 only (HEADER1/2 = 00), no price
 2  017220 511111 item 1: 12 BLN × 100.000.000 = 1.200.000.000 (100.000.000 a month), NOREV 2
 3  017220 521211 header, marked by HEADER1=01 only (KDHEADER = 0), no price
 4  017220 521211 komponen ZZ1 item 1: 3 KALI × 5.000.000 = 15.000.000 (Jan, Mar, May), NOREV 2
 5  017220 521211 komponen ZZ1 item 2: zeroed by a revision (no price, no mark): kept, pagu 0
 6  017231 524111 header, marked by KDHEADER=2, HEADER1=01, HEADER2=01, no price
 7  017231 524111 item 1: 4 OK × 2.500.000 = 10.000.000 (Mar, Apr, Jun, Aug), NOREV 1
Sum of JUMLAH over the file = pagu of the POK read = 1.225.000.000.
"""
from __future__ import annotations

import struct
from pathlib import Path

OUT = Path(__file__).parent / "data" / "layouts" / "adk-keu"
MONTHS = ["JANUARI", "PEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
          "SEPTEMBER", "OKTOBER", "NOPEMBER", "DESEMBER"]
# DOMAIN §6 d_item columns: (name, type, width, decimals)
D_ITEM = ([("THANG", "C", 4, 0), ("KDJENDOK", "C", 2, 0), ("KDSATKER", "C", 6, 0),
           ("KDDEPT", "C", 3, 0), ("KDUNIT", "C", 2, 0), ("KDPROGRAM", "C", 2, 0),
           ("KDGIAT", "C", 4, 0), ("KDOUTPUT", "C", 3, 0), ("KDSOUTPUT", "C", 3, 0),
           ("KDKMPNEN", "C", 3, 0), ("KDSKMPNEN", "C", 2, 0), ("KDAKUN", "C", 6, 0),
           ("KDKPPN", "C", 3, 0), ("KDBEBAN", "C", 1, 0), ("KDJNSBAN", "C", 1, 0),
           ("KDCTARIK", "C", 1, 0), ("REGISTER", "C", 8, 0), ("HEADER1", "C", 2, 0),
           ("HEADER2", "C", 2, 0), ("KDHEADER", "C", 1, 0), ("NOITEM", "N", 3, 0),
           ("NMITEM", "C", 60, 0)]
          + [c for i in range(1, 5) for c in ((f"VOL{i}", "N", 10, 2), (f"SAT{i}", "C", 5, 0))]
          + [("VOLKEG", "N", 10, 2), ("SATKEG", "C", 20, 0), ("HARGASAT", "N", 15, 0),
             ("JUMLAH", "N", 15, 0), ("KDBLOKIR", "C", 2, 0), ("RPHBLOKIR", "N", 15, 0),
             ("NOREV", "N", 2, 0), ("KDIB", "C", 3, 0)]
          + [(m, "N", 15, 0) for m in MONTHS])

KP = dict(THANG="2022", KDJENDOK="01", KDSATKER="017220", KDDEPT="088", KDUNIT="01",
          KDPROGRAM="WA", KDGIAT="4843", KDOUTPUT="EBA", KDSOUTPUT="994", KDKMPNEN="001",
          KDSKMPNEN="A", KDKPPN="088", KDBEBAN="A", KDJNSBAN="0", KDCTARIK="1",
          REGISTER="", HEADER1="00", HEADER2="00", KDHEADER="0", KDBLOKIR="", RPHBLOKIR=0,
          KDIB="")
KR = dict(KP, KDSATKER="017231", KDPROGRAM="CD", KDGIAT="5764", KDOUTPUT="QDC",
          KDSOUTPUT="001", KDKMPNEN="051", KDKPPN="035")


def line(base, akun, noitem, nama, vol=0, sat="", harga=0, plan=None, **kw):
    row = dict(base, KDAKUN=akun, NOITEM=noitem, NMITEM=nama, VOLKEG=vol, SATKEG=sat,
               HARGASAT=harga, JUMLAH=vol * harga, VOL1=vol, SAT1=sat, NOREV=0,
               **{f"{k}{i}": (0 if k == "VOL" else "") for k in ("VOL", "SAT") for i in (2, 3, 4)})
    row.update(kw)
    for i, m in enumerate(MONTHS, start=1):
        row[m] = (plan or {}).get(i, 0)
    return row


ITEMS = [
    line(KP, "511111", 0, "Belanja Gaji Pokok PNS", KDHEADER="1"),
    line(KP, "511111", 1, "Gaji pokok PNS", 12, "BLN", 100_000_000,
         {m: 100_000_000 for m in range(1, 13)}, NOREV=2),
    line(KP, "521211", 0, "Belanja Bahan", KDKMPNEN="ZZ1", HEADER1="01"),
    line(KP, "521211", 1, "Bahan rapat koordinasi", 3, "KALI", 5_000_000,
         {1: 5_000_000, 3: 5_000_000, 5: 5_000_000}, KDKMPNEN="ZZ1", NOREV=2),
    line(KP, "521211", 2, "Bahan rapat (dihapus pada revisi)", KDKMPNEN="ZZ1", NOREV=2),
    line(KR, "524111", 0, "Belanja Perjalanan Dinas Biasa", KDHEADER="2", HEADER1="01",
         HEADER2="01"),
    line(KR, "524111", 1, "Perjalanan dinas pembinaan", 4, "OK", 2_500_000,
         {3: 2_500_000, 4: 2_500_000, 6: 2_500_000, 8: 2_500_000}, NOREV=1),
]

RO = [("THANG", "C", 4, 0), ("KDSATKER", "C", 6, 0), ("KDDEPT", "C", 3, 0),
      ("KDUNIT", "C", 2, 0), ("KDPROGRAM", "C", 2, 0), ("KDGIAT", "C", 4, 0),
      ("KDOUTPUT", "C", 3, 0), ("KDSOUTPUT", "C", 3, 0)]
_ro = ("2022", "088", "01")
REFS = {
    "T_SATKER": ([("KDSATKER", "C", 6, 0), ("NMSATKER", "C", 60, 0), ("KDDEPT", "C", 3, 0),
                  ("KDUNIT", "C", 2, 0), ("KDLOKASI", "C", 2, 0), ("KDKABKOTA", "C", 2, 0)],
                 [("017220", "BADAN KEPEGAWAIAN NEGARA", "088", "01", "01", "51"),
                  ("017231", "KANTOR REGIONAL I BKN YOGYAKARTA", "088", "01", "04", "71")]),
    "T_PROGRAM": ([("KDDEPT", "C", 3, 0), ("KDUNIT", "C", 2, 0), ("KDPROGRAM", "C", 2, 0),
                   ("NMPROGRAM", "C", 80, 0)],
                  [("088", "01", "WA", "Program Dukungan Manajemen"),
                   ("088", "01", "CD", "Program Kebijakan, Pembinaan Profesi, dan Tata Kelola ASN")]),
    "T_GIAT": ([("KDGIAT", "C", 4, 0), ("NMGIAT", "C", 80, 0), ("KDDEPT", "C", 3, 0),
                ("KDUNIT", "C", 2, 0), ("KDPROGRAM", "C", 2, 0)],
               [("4843", "Pengelolaan Keuangan, BMN, dan Umum", "088", "01", "WA"),
                ("5764", "Penyelenggaraan Manajemen ASN", "088", "01", "CD")]),
    "T_OUTPUT": ([("KDGIAT", "C", 4, 0), ("KDOUTPUT", "C", 3, 0), ("NMOUTPUT", "C", 80, 0),
                  ("SAT", "C", 20, 0)],
                 [("4843", "EBA", "Layanan Dukungan Manajemen Internal", "Layanan"),
                  ("5764", "QDC", "Fasilitasi dan Pembinaan Lembaga", "Lembaga")]),
    "T_AKUN": ([("KDAKUN", "C", 6, 0), ("NMAKUN", "C", 80, 0)],
               [("511111", "Belanja Gaji Pokok PNS"), ("521211", "Belanja Bahan"),
                ("524111", "Belanja Perjalanan Dinas Biasa")]),
    "D_SOUTPUT": (RO + [("URSOUTPUT", "C", 80, 0)],
                  [("2022", "017220", "088", "01", "WA", "4843", "EBA", "994", "Layanan Perkantoran"),
                   ("2022", "017231", "088", "01", "CD", "5764", "QDC", "001",
                    "Layanan Manajemen ASN Regional")]),
    "D_KMPNEN": (RO + [("KDKMPNEN", "C", 3, 0), ("URKMPNEN", "C", 80, 0)],
                 [("2022", "017220", "088", "01", "WA", "4843", "EBA", "994", "001", "Gaji dan Tunjangan"),
                  ("2022", "017220", "088", "01", "WA", "4843", "EBA", "994", "ZZ1", "Rapat Koordinasi"),
                  ("2022", "017231", "088", "01", "CD", "5764", "QDC", "001", "051",
                   "Pembinaan Kepegawaian Instansi")]),
    "D_SKMPNEN": (RO + [("KDKMPNEN", "C", 3, 0), ("KDSKMPNEN", "C", 2, 0),
                        ("URSKMPNEN", "C", 80, 0)],
                  [("2022", "017220", "088", "01", "WA", "4843", "EBA", "994", "001", "A",
                    "Pembayaran Gaji dan Tunjangan"),
                   ("2022", "017220", "088", "01", "WA", "4843", "EBA", "994", "ZZ1", "A", "Rapat"),
                   ("2022", "017231", "088", "01", "CD", "5764", "QDC", "001", "051", "A", "Koordinasi")]),
}


def vfp_dbf(fields, rows) -> bytes:
    """A Visual FoxPro table (version 0x30) as the DIPA application writes its .KEU."""
    rec_len = 1 + sum(w for _, _, w, _ in fields)
    header_len = 32 + 32 * len(fields) + 1 + 263
    out = bytearray(struct.pack("<BBBBIHH16xBB2x", 0x30, 122, 1, 1, len(rows), header_len,
                                rec_len, 0, 0x03))
    offset = 1
    for name, typ, width, dec in fields:
        out += struct.pack("<11scIBBB13x", name.encode("ascii"), typ.encode("ascii"), offset,
                           width, dec, 0)
        offset += width
    out += b"\x0d" + b"\x00" * 263
    for row in rows:
        out += b" "
        for (name, typ, width, dec), v in zip(fields, row):
            if typ == "N":
                text = f"{float(v):.{dec}f}" if dec else str(int(v))
                out += text.rjust(width).encode("ascii")
            else:
                out += str(v).encode("cp1252").ljust(width)[:width]
    out += b"\x1a"
    return bytes(out)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "D_ITEM.KEU").write_bytes(vfp_dbf(D_ITEM, [[r[n] for n, *_ in D_ITEM] for r in ITEMS]))
    for name, (fields, rows) in REFS.items():
        (OUT / f"{name}.KEU").write_bytes(vfp_dbf(fields, rows))


if __name__ == "__main__":
    main()
