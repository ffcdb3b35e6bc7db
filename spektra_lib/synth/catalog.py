"""Names and codes of the synthetic budget, shaped on BKN's real DIPA (seed manual).

Only data lives here; templates.py turns it into item rows.
"""
from __future__ import annotations

from ..kalender import BULAN as BULAN_PANJANG

PROGRAM = {
    "WA": "Program Dukungan Manajemen",
    "CD": "Program Kebijakan, Pembinaan Profesi, dan Tata Kelola ASN",
}

AKUN = {
    "511111": "Belanja Gaji Pokok PNS",
    "511119": "Belanja Pembulatan Gaji PNS",
    "511121": "Belanja Tunj. Suami/Istri PNS",
    "511122": "Belanja Tunj. Anak PNS",
    "511123": "Belanja Tunj. Struktural PNS",
    "511124": "Belanja Tunj. Fungsional PNS",
    "511125": "Belanja Tunj. PPh PNS",
    "511126": "Belanja Tunj. Beras PNS",
    "511129": "Belanja Uang Makan PNS",
    "512211": "Belanja Uang Lembur",
    "512411": "Belanja Pegawai (Tunjangan Khusus/Kegiatan/Kinerja)",
    "521111": "Belanja Operasional Perkantoran",
    "521115": "Belanja Honor Operasional Satuan Kerja",
    "521119": "Belanja Barang Operasional Lainnya",
    "521211": "Belanja Bahan",
    "521213": "Belanja Honor Output Kegiatan",
    "521219": "Belanja Barang Non Operasional Lainnya",
    "522111": "Belanja Langganan Listrik",
    "522112": "Belanja Langganan Telepon",
    "522113": "Belanja Langganan Air",
    "522151": "Belanja Jasa Profesi",
    "523111": "Belanja Pemeliharaan Gedung dan Bangunan",
    "523121": "Belanja Pemeliharaan Peralatan dan Mesin",
    "524111": "Belanja Perjalanan Dinas Biasa",
    "524113": "Belanja Perjalanan Dinas Dalam Kota",
    "524114": "Belanja Perjalanan Dinas Paket Meeting Dalam Kota",
    "524119": "Belanja Perjalanan Dinas Paket Meeting Luar Kota",
    "532111": "Belanja Modal Peralatan dan Mesin",
    "533111": "Belanja Modal Gedung dan Bangunan",
}

# Gaji dan Tunjangan (WA.4843.EBA.994.001.A): (akun, uraian, kind, share of the yearly
# gaji pokok, satuan). kind drives the RPD and payment pattern (templates.KINDS).
GAJI = [
    ("511111", "Belanja Gaji Pokok PNS", "gaji", 1.0, "THN"),
    ("511111", "Belanja Gaji Pokok PNS (gaji ke 13)", "gaji13", 1 / 12, "BLN"),
    ("511111", "Belanja Gaji Pokok PNS (gaji ke 14)", "gaji14", 1 / 12, "BLN"),
    ("511119", "Belanja Pembulatan Gaji PNS", "gaji", 0.00003, "THN"),
    ("511119", "Belanja Pembulatan Gaji PNS (gaji ke 13)", "gaji13", 0.0000025, "BLN"),
    ("511119", "Belanja Pembulatan Gaji PNS (gaji ke 14)", "gaji14", 0.0000025, "BLN"),
    ("511121", "Belanja Tunj. Suami/Istri PNS", "gaji", 0.06, "THN"),
    ("511122", "Belanja Tunj. Anak PNS", "gaji", 0.025, "THN"),
    ("511123", "Belanja Tunj. Struktural PNS", "gaji", 0.04, "THN"),
    ("511124", "Belanja Tunj. Fungsional PNS", "gaji", 0.12, "THN"),
    ("511125", "Belanja Tunj. PPh PNS", "gaji", 0.015, "THN"),
    ("511126", "Belanja Tunj. Beras PNS", "gaji", 0.07, "THN"),
    ("511129", "Belanja Uang Makan PNS", "makan", 0.19, "OH"),
    ("512211", "Belanja Uang Lembur", "lembur", 0.03, "OJ"),
    ("512411", "Tunjangan Kinerja Pegawai", "tukin", 1.55, "BLN"),
]

# Operasional dan Pemeliharaan Kantor (WA.4843.EBA.994.002): subkomponen, name, items.
OPERASIONAL = [
    ("A", "Kebutuhan Sehari-hari Perkantoran", [
        ("521111", "Keperluan sehari-hari perkantoran", "PKT"),
        ("521111", "Pengadaan alat tulis kantor", "PKT"),
        ("521115", "Honor pengelola keuangan satker", "OB"),
        ("521119", "Jasa kebersihan dan pengamanan", "OB")]),
    ("B", "Langganan Daya dan Jasa", [
        ("522111", "Langganan listrik", "BLN"),
        ("522112", "Langganan telepon dan internet", "BLN"),
        ("522113", "Langganan air", "BLN")]),
    ("C", "Pemeliharaan Kantor", [
        ("523111", "Pemeliharaan gedung kantor", "M2"),
        ("523121", "Pemeliharaan kendaraan dinas roda 4", "UNIT"),
        ("523121", "Pemeliharaan peralatan kantor", "UNIT")]),
]

# Sarana dan prasarana (WA.4843.EBB.951): modal, paid late in the year.
MODAL = [
    ("051", "Pengadaan Perangkat Pengolah Data dan Komunikasi", "A",
     "Perangkat Pengolah Data", [("532111", "Pengadaan laptop", "UNIT"),
                                 ("532111", "Pengadaan komputer desktop", "UNIT"),
                                 ("532111", "Pengadaan printer", "UNIT")]),
    ("052", "Pengadaan Peralatan Fasilitas Perkantoran", "A",
     "Peralatan Perkantoran", [("532111", "Pengadaan lemari arsip", "UNIT"),
                               ("533111", "Renovasi ruang layanan", "M2")]),
]

KOMPONEN_TEKNIS = [("051", "Persiapan"), ("052", "Pelaksanaan"), ("053", "Pelaporan")]

# Subkomponen activities of technical RO, with their usual items.
KEGIATAN_TEKNIS = [
    ("Rapat Koordinasi {}", [("521211", "Konsumsi rapat", "OK"),
                             ("524113", "Transport lokal peserta", "OK"),
                             ("521213", "Honor narasumber", "OJ")]),
    ("Penyusunan {}", [("521211", "Penggandaan bahan", "EKS"),
                       ("524114", "Paket fullboard meeting", "OH"),
                       ("522151", "Jasa tenaga ahli", "OB")]),
    ("Bimbingan Teknis {}", [("524119", "Paket meeting luar kota", "OH"),
                             ("524111", "Tiket pesawat peserta", "OK"),
                             ("524111", "Uang harian perjalanan dinas", "OH"),
                             ("524111", "Penginapan", "OH")]),
    ("Monitoring dan Evaluasi {}", [("524111", "Perjalanan dinas monitoring", "OK"),
                                    ("521211", "ATK dan bahan", "PKT"),
                                    ("521219", "Dokumentasi dan publikasi", "PKT")]),
    ("Sosialisasi {}", [("524114", "Paket meeting dalam kota", "OH"),
                        ("521213", "Honor moderator", "OJ"),
                        ("521211", "Spanduk dan materi sosialisasi", "PKT")]),
]

KRO = {
    "EBA": "Layanan Dukungan Manajemen Internal",
    "EBB": "Layanan Sarana dan Prasarana Internal",
    "AFA": "Norma, Standar, Prosedur dan Kriteria",
    "BAB": "Pelayanan Publik kepada Lembaga",
    "BDB": "Fasilitasi dan Pembinaan Lembaga",
    "QDC": "Fasilitasi dan Pembinaan Pemerintah Daerah",
    "EBD": "Layanan Manajemen Kinerja Internal",
    "CAN": "Sarana Bidang Teknologi Informasi dan Komunikasi",
}

# Kegiatan 4843 layanan RO beyond the Layanan Perkantoran.
LAYANAN_4843 = [("EBA", "955", "Layanan Manajemen Keuangan", "Layanan", 1),
                ("EBA", "956", "Layanan BMN", "Layanan", 1),
                ("EBA", "962", "Layanan Umum", "Layanan", 1)]

# Unit kerja of the central satker: (unit, kegiatan, nama kegiatan, ROs). Each RO:
# (kro, ro, nama, satuan, target, strategis, prioritas nasional).
UNIT_KEGIATAN = [
    ("0101", "WA", "4840", "Perencanaan, Organisasi dan Tata Laksana",
     [("EBA", "960", "Layanan Organisasi dan Tata Kelola Internal", "Layanan", 1, 0, 0),
      ("EBD", "953", "Layanan Perencanaan dan Penganggaran", "Dokumen", 4, 0, 0)]),
    ("0104", "WA", "4841", "Pengelolaan Sumber Daya Manusia BKN",
     [("EBA", "954", "Layanan Manajemen SDM", "Layanan", 1, 0, 0)]),
    ("0105", "WA", "4842", "Hubungan Masyarakat, Hukum, dan Kerja Sama",
     [("EBA", "957", "Layanan Hukum", "Layanan", 1, 0, 0),
      ("EBA", "958", "Layanan Hubungan Masyarakat", "Layanan", 1, 0, 0)]),
    ("0201", "WA", "4844", "Pengawasan Internal",
     [("EBA", "961", "Layanan Audit Internal", "Laporan", 24, 0, 0)]),
    ("0301", "CD", "3646", "Pengadaan dan Kepangkatan ASN",
     [("BAB", "001", "Penetapan NIP CASN", "Orang", 120000, 1, 0),
      ("BAB", "002", "Pertimbangan Teknis Kenaikan Pangkat", "Orang", 90000, 0, 0)]),
    ("0302", "CD", "3647", "Pengelolaan Pensiun PNS dan Pejabat Negara",
     [("BAB", "003", "Penetapan Pensiun PNS dan Pejabat Negara", "Orang", 40000, 1, 0)]),
    ("0303", "CD", "3648", "Status dan Kedudukan Kepegawaian",
     [("BAB", "004", "Pertimbangan Status Kepegawaian", "Rekomendasi", 600, 0, 0)]),
    ("0401", "CD", "3644", "Pengelolaan dan Pembinaan Jabatan Fungsional Kepegawaian",
     [("AFA", "001", "Standar Jabatan Fungsional Kepegawaian", "NSPK", 2, 0, 0),
      ("BAB", "005", "Pengelolaan Jabatan Fungsional Kepegawaian", "Rekomendasi", 300, 0, 0),
      ("QDC", "001", "Pembinaan Jabatan Fungsional ASN", "Instansi", 80, 1, 1)]),
    ("0402", "CD", "3649", "Pengelolaan Kinerja ASN",
     [("AFA", "002", "Kebijakan Manajemen Kinerja ASN", "NSPK", 1, 0, 0),
      ("QDC", "002", "Penerapan Manajemen Kinerja ASN", "Instansi", 120, 1, 1)]),
    ("0403", "CD", "3650", "Pengelolaan Kompensasi ASN",
     [("AFA", "003", "Kebijakan Kompensasi ASN", "NSPK", 1, 0, 0)]),
    ("0404", "CD", "3651", "Penyusunan Peraturan Perundang-undangan Kepegawaian",
     [("AFA", "004", "Rancangan Peraturan Manajemen ASN", "Rancangan", 6, 0, 0)]),
    ("0501", "CD", "3652", "Pembangunan dan Pengembangan Sistem Informasi ASN",
     [("CAN", "001", "Sistem Informasi ASN", "Sistem", 3, 1, 1)]),
    ("0502", "CD", "3653", "Pengelolaan Data dan Penyajian Informasi Kepegawaian",
     [("BAB", "006", "Layanan Data Kepegawaian Nasional", "Layanan", 12, 0, 1)]),
    ("0503", "CD", "3654", "Pengelolaan Arsip Kepegawaian",
     [("BAB", "007", "Arsip Kepegawaian Digital", "Berkas", 250000, 0, 0)]),
    ("0504", "CD", "3655", "Infrastruktur Teknologi Informasi",
     [("CAN", "002", "Infrastruktur Pusat Data BKN", "Unit", 1, 0, 0)]),
    ("0601", "CD", "3656", "Pengawasan dan Pengendalian Kepegawaian I",
     [("BDB", "001", "Pengawasan Manajemen ASN Wilayah I", "Instansi", 60, 0, 0)]),
    ("0602", "CD", "3657", "Pengawasan dan Pengendalian Kepegawaian II",
     [("BDB", "002", "Pengawasan Manajemen ASN Wilayah II", "Instansi", 60, 0, 0)]),
    ("0603", "CD", "3658", "Pengawasan dan Pengendalian Kepegawaian III",
     [("BDB", "003", "Pengawasan Manajemen ASN Wilayah III", "Instansi", 60, 0, 0)]),
    ("0604", "CD", "3659", "Pengawasan dan Pengendalian Kepegawaian IV",
     [("BDB", "004", "Pengawasan Manajemen ASN Wilayah IV", "Instansi", 60, 1, 1)]),
    ("0701", "CD", "3660", "Penilaian Kompetensi ASN",
     [("BAB", "008", "Penilaian Kompetensi ASN", "Orang", 15000, 1, 1)]),
    ("0702", "CD", "3661", "Pengembangan Sistem Rekrutmen ASN",
     [("BAB", "009", "Seleksi Calon ASN Berbasis CAT", "Orang", 800000, 1, 0)]),
]

# Technical kegiatan of regional offices and of the training centre.
KANREG_KEGIATAN = ("CD", "3662", "Penyelenggaraan Manajemen ASN di Wilayah Kerja Kantor Regional",
                   [("BAB", "010", "Layanan Kepegawaian Instansi Daerah", "Layanan", 12, 0, 0),
                    ("BAB", "011", "Penetapan NIP dan Pertimbangan Kenaikan Pangkat", "Orang", 8000, 1, 0),
                    ("BAB", "012", "Penetapan Pensiun PNS Daerah", "Orang", 3000, 0, 0),
                    ("BDB", "005", "Pengawasan dan Pengendalian Kepegawaian Daerah", "Instansi", 12, 0, 0),
                    ("QDC", "003", "Penilaian Kompetensi ASN Daerah", "Orang", 1, 0, 0)])
PUSBANG_KEGIATAN = ("CD", "3663", "Pengembangan Kompetensi ASN Bidang Manajemen Kepegawaian",
                    [("BAB", "013", "Pelatihan Teknis Manajemen ASN", "Orang", 2400, 1, 0),
                     ("AFA", "005", "Kurikulum Pelatihan Manajemen ASN", "Dokumen", 4, 0, 0)])

# Made-up regional offices beyond the real ones (--satker N).
KOTA_TAMBAHAN = [
    "KUPANG", "MATARAM", "PONTIANAK", "SAMARINDA", "PALU", "KENDARI", "AMBON", "TERNATE",
    "JAMBI", "BENGKULU", "PADANG", "BANDAR LAMPUNG", "SERANG", "SEMARANG", "GORONTALO",
    "MAMUJU", "PANGKALPINANG", "TANJUNGPINANG", "PALANGKARAYA", "TARAKAN", "SORONG",
    "MERAUKE", "MALANG", "SOLO", "CIREBON", "TASIKMALAYA", "BOGOR", "MADIUN", "KEDIRI",
    "JEMBER", "BALIKPAPAN", "BITUNG", "PAREPARE", "BIMA", "ENDE", "TUAL", "NABIRE",
    "SIBOLGA", "PEMATANGSIANTAR", "LHOKSEUMAWE", "DUMAI", "BATAM", "LUBUKLINGGAU",
    "METRO", "PURWOKERTO", "TEGAL", "PEKALONGAN", "BANYUWANGI", "SINGARAJA", "BAUBAU",
]

BULAN = BULAN_PANJANG          # kalender.py: the month names, once
