"""The report catalog: one declaration per report and per page, read by every layer.

A report's entry says everything the layers above the report function need: the function
("module:function" under spektra_lib.reports), its title and module (the menu group), the
parameters it accepts, whether its figures are public (the dashboard) or scoped, its
columns (contract order = the tidy DataFrame's and the CSV's; label, kind, width class),
the table style, whether it is a chart, the intro, the legend, the render scopes and the
Excel sheet name on a several-report page. A page (a notebook) shows one report or, for
the dashboard and the analysts' notebook, several.

Pure data: importing it costs no pandas (the CLI reads its choices from here).
Adding a report = its function `fn(store, pilihan: Selection)` + one `Laporan(...)` below
(+ its notebook, scaffolded by `spektra notebook baru NAMA`).
"""
from __future__ import annotations

from dataclasses import dataclass

# The page parameters a report may accept are declared in selection.py (PARAMETER), with
# the jenis belanja choices.
from .selection import JENIS_BELANJA, PARAMETER  # noqa: F401  (read from here too)

MODUL = ("Dashboard", "Perencanaan", "Keuangan", "Capaian & IKPA", "Analis")
# Render scope kinds: the agency, every satker, the central satker in addition, its units.
SCOPES = ("semua", "satker", "pusat", "unit")
# Column kinds a report column may be; what each one is (how it reads on the page and in
# a file, its Excel format, its alignment) is defined once in present/kolom.py.
KINDS = ("rupiah", "persen", "angka", "bulat", "teks", "tanggal", "bulan", "jenis_belanja",
         "ya_tidak", "unit")
# Width classes (characters) of a column.
WIDTHS = {"sempit": 8, "sedang": 14, "lebar": 40}
# Table styles: how present/ draws a report (export/ draws every table the same way,
# except `deviasi`: per node Rencana / Realisasi / Deviasi rows with months as columns).
STYLES = ("datar", "pohon", "deviasi", "capaian", "status", "ikpa", "grafik")
# Values of ikpa_estimasi's rows that its table (style ikpa) draws apart: the total row's
# indicator and the keterangan of an indicator that could not be computed.
IKPA_TOTAL = "Nilai IKPA"
IKPA_TIDAK_DAPAT = "tidak dapat dihitung"


@dataclass(frozen=True)
class Kolom:
    key: str
    label: str
    jenis: str = "teks"
    lebar: str = "sedang"


def _k(spec: str) -> tuple[Kolom, ...]:
    """'key:Label:jenis:lebar; …' -> Kolom tuple (jenis teks, lebar sedang by default)."""
    out = []
    for part in spec.split(";"):
        bits = [b.strip() for b in part.split(":")]
        out.append(Kolom(bits[0], bits[1], *(b for b in bits[2:] if b)))
    return tuple(out)


@dataclass(frozen=True)
class Laporan:
    name: str
    fungsi: str                          # "module:function" in spektra_lib.reports
    judul: str
    modul: str
    parameter: tuple[str, ...]           # keyword parameters besides store
    kolom: tuple[Kolom, ...]             # contract order
    publik: bool = False                 # every role may see it (the dashboard's figures)
    gaya: str = "datar"
    tampil: tuple[str, ...] = ()         # columns a flat table shows (default: all but kode)
    pengantar: str = ""
    legenda: str = ""                    # deviasi | pelanggaran | status
    render: tuple[str, ...] = ()         # scope kinds with a page of its own
    satker_wajib: bool = False           # computed per satker only (no "Seluruh Satker")
    lembar: str = ""                     # sheet name on a several-report page
    periode: str = "bulan"               # bulan | rentang (bulan_dari..bulan) | keadaan
    bagan: str = ""                      # chart kind (present/charts.py CHARTS), gaya grafik
    nomor: bool = False                  # a flat table shows a "No" column (1, 2, …)
    kosong_sembunyi: tuple[str, ...] = ()  # columns a table (flat or tree) and its files
    #                                        leave out when empty
    jumlah: bool = False                 # a "Jumlah" row under the table (keuangan.jumlah)

    def __post_init__(self):
        unknown = [p for p in self.parameter if p not in PARAMETER]
        if unknown:
            raise ValueError(f"Laporan {self.name}: parameter tidak dideklarasikan di "
                             f"reports/selection.py: {', '.join(unknown)}")

    @property
    def seluruh_instansi(self) -> bool:
        """Agency-wide by construction (no satker parameter): names every satker."""
        return "satker" not in self.parameter

    @property
    def grafik(self) -> bool:
        return self.gaya == "grafik"

    def kolom_of(self, key: str) -> Kolom | None:
        return next((k for k in self.kolom if k.key == key), None)

    @property
    def columns(self) -> list[str]:
        return [k.key for k in self.kolom]


@dataclass(frozen=True)
class Halaman:
    """A page (a notebook under notebooks/): its reports, title, intro, render scopes."""
    name: str
    judul: str
    laporan: tuple[str, ...]
    modul: str
    pengantar: str = ""
    render: tuple[str, ...] = ()
    publik: bool = False                 # in the public audience's bundle
    parameter_tambahan: tuple[str, ...] = ()


_RANKING = ("peringkat:No:bulat:sempit; kode:Kode:teks:sempit; nama:{nama}:teks:lebar; "
            "pagu:Pagu:rupiah; realisasi:Realisasi:rupiah; "
            "persen_realisasi:% Realisasi:persen:sempit; sisa:Sisa:rupiah")
_RINGKASAN = ("kode_satker:Kode Satker:teks:sempit; nama_satker:Nama Satker:teks:lebar; "
              "nilai:Nilai IKPA (estimasi):angka:sempit; kategori:Kategori (estimasi); "
              "indikator_termahal:Indikator Paling Mengurangi:teks:lebar; "
              "poin_hilang:Poin Hilang:angka:sempit; "
              "tidak_dihitung:Indikator Tidak Dihitung:bulat:sempit; dasar:Dasar:teks:sempit")
_RANKING_TAMPIL = ("peringkat", "nama", "pagu", "realisasi", "persen_realisasi", "sisa")
_JENIS = ("jenis_belanja",)

LAPORAN: dict[str, Laporan] = {r.name: r for r in [
    Laporan("ranking_satker", "dashboard:ranking_satker",
            "Ranking Realisasi Penyerapan Anggaran Satuan Kerja", "Dashboard", _JENIS,
            _k(_RANKING.format(nama="Nama Satker")), publik=True, tampil=_RANKING_TAMPIL,
            lembar="Ranking Satker"),
    Laporan("ranking_unit", "dashboard:ranking_unit",
            "Ranking Realisasi Penyerapan Anggaran Unit Kerja Kantor Pusat", "Dashboard",
            _JENIS, _k(_RANKING.format(nama="Nama Unit Kerja")), publik=True,
            tampil=_RANKING_TAMPIL, lembar="Ranking Unit Kerja"),
    Laporan("ranking_prioritas_nasional", "dashboard:ranking_prioritas_nasional",
            "Ranking Realisasi Unit Kerja dengan Program Prioritas Nasional", "Dashboard",
            _JENIS, _k(_RANKING.format(nama="Nama Unit Kerja")), publik=True,
            tampil=_RANKING_TAMPIL, lembar="Ranking Prioritas Nasional"),
    Laporan("grafik_rpd_realisasi", "dashboard:grafik_rpd_realisasi",
            "Grafik Rencana Penarikan Dana dan Realisasi", "Dashboard", ("satker", "unit"),
            _k("bulan:Bulan:bulan:sempit; rencana_kumulatif:Rencana Kumulatif:rupiah; "
               "realisasi_kumulatif:Realisasi Kumulatif:rupiah"),
            publik=True, gaya="grafik", bagan="rpd", lembar="RPD dan Realisasi"),
    Laporan("grafik_target_realisasi", "dashboard:grafik_target_realisasi",
            "Grafik Target dan Realisasi Penyerapan per Jenis Belanja", "Dashboard",
            ("satker", "unit"),
            _k("bulan:Bulan:bulan:sempit; jenis_belanja:Jenis Belanja:jenis_belanja; "
               "target_persen:Target Instansi:persen:sempit; "
               "realisasi_persen:Realisasi:persen:sempit"),
            publik=True, gaya="grafik", bagan="target_jenis_belanja",
            lembar="Target dan Realisasi"),
    Laporan("deviasi_detail", "perencanaan:deviasi_detail",
            "Deviasi Rencana dan Realisasi Detail", "Perencanaan", ("satker", "unit"),
            _k("level:Level:teks:sempit; kode:Kode:teks:sempit; path:Kode Lengkap; "
               "uraian:Uraian:teks:lebar; bulan:Bulan:bulan:sempit; pagu:Pagu:rupiah; "
               "rencana:Rencana (RPD):rupiah; realisasi:Realisasi:rupiah; "
               "deviasi_persen:Deviasi:persen:sempit; warna:Warna:teks:sempit"),
            gaya="deviasi", legenda="deviasi", render=("satker", "unit"),
            pengantar="Deviasi rencana penarikan dana dan realisasi per bulan, dari satker / "
                      "unit kerja sampai item (tidak kumulatif). Tekan + untuk melihat "
                      "rencana dan realisasinya."),
    Laporan("deviasi_kumulatif", "perencanaan:deviasi_kumulatif",
            "Deviasi Rencana dan Realisasi per Satker / Unit Kerja (Kumulatif)", "Perencanaan",
            ("satker", "unit"),
            _k("level:Level:teks:sempit; kode:Kode:teks:sempit; uraian:Uraian:teks:lebar; "
               "bulan:Bulan:bulan:sempit; pagu:Pagu:rupiah; "
               "rencana_kumulatif:Rencana Kumulatif:rupiah; "
               "realisasi_kumulatif:Realisasi Kumulatif:rupiah; "
               "deviasi_persen:Deviasi:persen:sempit; warna:Warna:teks:sempit"),
            # Every satker has its page (a Kanreg: its own row; the central satker: one
            # row per unit kerja); "pusat" alone left every Kanreg without one (issue 15).
            gaya="deviasi", legenda="deviasi", render=("semua", "satker"),
            pengantar="Deviasi rencana dan realisasi kumulatif per satker (atau per unit "
                      "kerja untuk satker pusat)."),
    Laporan("realisasi_pok", "keuangan:realisasi_pok", "Realisasi POK", "Keuangan",
            ("satker", "unit", "bulan_dari"),
            _k("level:Level:teks:sempit; kode:Kode:teks:sempit; path:Kode Lengkap; "
               "uraian:Uraian:teks:lebar; volume:Volume:angka:sempit; satuan:Satuan:teks:sempit; "
               "harga_satuan:Harga Satuan:rupiah; pagu:Jumlah Biaya:rupiah; "
               "realisasi:Realisasi:rupiah; persen_realisasi:% Realisasi:persen:sempit; "
               "sisa:Sisa:rupiah; keterangan:Keterangan:teks:sempit"),
            gaya="pohon", render=("satker", "unit"), periode="rentang",
            kosong_sembunyi=("keterangan",),
            pengantar="Pagu, realisasi dan sisa menurut POK, dari program sampai item."),
    Laporan("realisasi_akun", "keuangan:realisasi_akun", "Realisasi per Program s.d. Akun",
            "Keuangan", ("satker", "unit", "bulan_dari", "cari"),
            _k("level:Level:teks:sempit; kode:Kode:teks:sempit; path:Kode Lengkap; "
               "uraian:Uraian:teks:lebar; pagu:Pagu:rupiah; realisasi:Realisasi:rupiah; "
               "persen_realisasi:% Realisasi:persen:sempit; sisa:Sisa:rupiah"),
            gaya="pohon", render=("satker", "unit"), periode="rentang",
            pengantar="Pagu, realisasi dan sisa dari program sampai akun; kotak Cari "
                      "menyaring akun menurut kode atau nama."),
    Laporan("realisasi_satker", "keuangan:realisasi_satker",
            "Realisasi per Satuan Kerja / Unit Kerja", "Keuangan",
            ("satker", "unit", "bulan_dari", "jenis_belanja"),
            _k(_RANKING.format(nama="Satker / Unit Kerja")), tampil=_RANKING_TAMPIL,
            render=("semua", "pusat"), periode="rentang", jumlah=True,
            pengantar="Realisasi per satuan kerja (atau per unit kerja satker pusat), "
                      "diurutkan menurut persentase realisasi."),
    Laporan("rekap_jenis_belanja", "keuangan:rekap_jenis_belanja",
            "Rekap Realisasi per Jenis Belanja", "Keuangan", ("satker", "unit", "bulan_dari"),
            _k("jenis_belanja:Jenis Belanja:jenis_belanja; pagu:Pagu:rupiah; "
               "realisasi:Realisasi:rupiah; persen_realisasi:% Realisasi:persen:sempit; "
               "sisa:Sisa:rupiah"),
            render=("semua", "satker", "unit"), periode="rentang", jumlah=True,
            pengantar="Pagu, realisasi, persentase realisasi dan sisa per jenis belanja "
                      "(pegawai, barang, modal, bansos) untuk rentang bulan yang dipilih."),
    Laporan("monitoring_spp", "keuangan:monitoring_spp", "Monitoring SPP / SPM / SP2D",
            "Keuangan", ("satker", "unit", "bulan_dari", "status_spp"),
            _k("no_spp:No SPP; tgl_spp:Tgl SPP:tanggal:sempit; no_spm:No SPM; "
               "tgl_spm:Tgl SPM:tanggal:sempit; no_sp2d:No SP2D; tgl_sp2d:Tgl SP2D:tanggal:sempit; "
               "uraian:Uraian:teks:lebar; jenis_spp:Jenis SPP:teks:sempit; nilai:Nilai:rupiah; "
               "status:Status; kode_unit:Unit Kerja:unit; potongan:Potongan:rupiah; "
               "nilai_bersih:Nilai SP2D:rupiah; nama_satker:Satker:teks:lebar"),
            # Potongan and Nilai SP2D beside the gross Nilai (SPM) when a Daftar SP2D gave them;
            # the satker named on the agency's page only (in process there, issue 27.12)
            tampil=("nama_satker", "no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d",
                    "tgl_sp2d", "uraian", "jenis_spp", "nilai", "potongan", "nilai_bersih",
                    "status", "kode_unit"),
            kosong_sembunyi=("potongan", "nilai_bersih", "nama_satker"),
            render=("semua", "satker", "unit"), periode="rentang", nomor=True,
            pengantar="Daftar SPP, SPM dan SP2D beserta statusnya, sebagaimana pada akhir "
                      "bulan laporan: SPM atau SP2D yang terbit sesudahnya tercatat "
                      "\"Dalam proses\"."),
    Laporan("kontrak", "komitmen:kontrak", "Monitoring Kontrak", "Keuangan", ("satker",),
            _k("kode_satker:Kode Satker:teks:sempit; no_kontrak:No Kontrak; "
               "tgl_kontrak:Tgl Kontrak:tanggal:sempit; uraian:Uraian:teks:lebar; "
               "kode_akun:Akun:teks:sempit; nilai_kontrak:Nilai Kontrak:rupiah; "
               "terbayar:Terbayar:rupiah; sisa:Sisa:rupiah; "
               "persen_terbayar:% Terbayar:persen:sempit; "
               "tgl_register_kppn:Register KPPN:tanggal:sempit; status:Status:teks:sempit; "
               "penyedia:Penyedia; jumlah_termin:Termin:bulat:sempit; "
               "kali_bayar:Dibayar (kali):bulat:sempit"),
            tampil=("no_kontrak", "tgl_kontrak", "uraian", "nilai_kontrak", "terbayar", "sisa",
                    "persen_terbayar", "tgl_register_kppn", "status", "kali_bayar"),
            render=("satker",), nomor=True,
            pengantar="Setiap kontrak beserta pembayarannya (SP2D yang menyebut nomor "
                      "kontraknya) sampai akhir bulan: terbayar, sisa, persentase, tanggal "
                      "register di KPPN (kosong = belum terdaftar) dan status belum dibayar, "
                      "berjalan, lunas atau melebihi nilai."),
    Laporan("tagihan", "komitmen:tagihan", "Penyelesaian Tagihan Kontraktual", "Keuangan",
            ("satker", "unit", "bulan_dari"),
            _k("kode_satker:Kode Satker:teks:sempit; no_kontrak:No Kontrak; no_spm:No SPM; "
               "tgl_bast:Tgl BAST:tanggal:sempit; tgl_spm:Tgl SPM:tanggal:sempit; "
               "hari_kerja:Hari Kerja:bulat:sempit; tepat_waktu:Tepat Waktu (1/0):bulat:sempit; "
               "nilai:Nilai:rupiah; sisa_hari_kerja:Sisa Hari Kerja:bulat:sempit; "
               "keterangan:Keterangan"),
            # tepat_waktu (1/0) is read as the keterangan beside it on a page
            tampil=("no_kontrak", "no_spm", "tgl_bast", "tgl_spm", "hari_kerja", "nilai",
                    "sisa_hari_kerja", "keterangan"),
            render=("satker",), periode="rentang", nomor=True,
            pengantar="SPM-LS kontraktual dan BAST/BAPP-nya: hari kerja dari BAST sampai SPM "
                      "(libur nasional dan cuti bersama tidak dihitung), tepat waktu bila "
                      "paling lama 17 hari kerja; di bawahnya BAST yang belum ber-SPM dengan "
                      "sisa hari kerjanya."),
    Laporan("up_tup", "komitmen:up_tup", "Pengelolaan UP dan TUP", "Keuangan", ("satker",),
            _k("kode_satker:Kode Satker:teks:sempit; nama_satker:Nama Satker:teks:lebar; "
               "bulan:Bulan:bulan:sempit; up:UP/GUP:rupiah; gup_nihil:GUP Nihil:rupiah; "
               "tup:TUP:rupiah; pertanggungjawaban_tup:GTUP Nihil:rupiah; "
               "setoran_tup:Setoran TUP:rupiah; sisa_tup:Sisa TUP:rupiah; "
               "tup_lewat_batas:TUP Lewat Batas:rupiah"),
            render=("satker",),
            pengantar="Per bulan: UP dan GUP yang dibayar, TUP yang dibayar, "
                      "dipertanggungjawabkan (GTUP Nihil) dan disetor, sisa TUP di akhir "
                      "bulan, dan TUP yang belum selesai satu bulan sesudah SP2D-nya."),
    Laporan("capaian_output", "capaian:capaian_output", "Capaian Output per Rincian Output",
            "Capaian & IKPA", ("satker",),
            _k("path:Kode RO:teks:sempit; nama_ro:Rincian Output:teks:lebar; "
               "strategis:Strategis:ya_tidak:sempit; bulan:Bulan:bulan:sempit; "
               "target_volume:Target Volume:angka:sempit; satuan:Satuan:teks:sempit; "
               "rvro_kumulatif:RVRO Kumulatif:angka:sempit; "
               "pcro_kumulatif:PCRO Kumulatif (%):persen:sempit; ppa:PPA (%):persen:sempit; "
               "gap:Gap:persen:sempit; status:Status:teks:sempit; pelanggaran:Pelanggaran; "
               "keterangan_draf:Draf Keterangan:teks:lebar"),
            gaya="capaian", legenda="pelanggaran", render=("satker",), satker_wajib=True,
            pengantar="Per RO dan bulan: RVRO dan PCRO kumulatif, penyerapan anggaran (PPA), "
                      "gap, pelanggaran aturan beserta pesannya, dan draf keterangan yang "
                      "bagian [isi: …]-nya wajib dilengkapi satker. Dibuat per satker."),
    Laporan("status_capaian", "capaian:status_capaian", "Status Pelaporan Capaian Output",
            "Capaian & IKPA", ("satker", "tanggal"),
            _k("kode_satker:Kode Satker:teks:sempit; nama_satker:Nama Satker:teks:lebar; "
               "path:Kode RO:teks:sempit; nama_ro:Rincian Output:teks:lebar; "
               "bulan:Bulan:bulan:sempit; batas_waktu:Batas Waktu:tanggal:sempit; status:Status"),
            gaya="status", legenda="status", render=("semua", "satker"), periode="keadaan",
            pengantar="Per satker dan RO: bulan yang sudah dilaporkan, belum dilaporkan, "
                      "terlambat (melewati batas waktu) atau tanpa keterangan."),
    Laporan("ikpa_estimasi", "ikpa:ikpa_estimasi", "Estimasi Nilai IKPA", "Capaian & IKPA",
            ("satker", "aturan"),
            _k("kode_satker:Kode Satker:teks:sempit; nama_satker:Nama Satker:teks:lebar; "
               "indikator:Indikator:teks:lebar; nilai:Nilai:angka:sempit; "
               "bobot:Bobot (%):angka:sempit; bobot_efektif:Bobot Efektif (%):angka:sempit; "
               "nilai_tertimbang:Nilai Tertimbang:angka:sempit; keterangan:Keterangan; "
               "kategori:Kategori; dasar:Dasar:teks:sempit"),
            # the agency's page is ikpa_ringkasan (one line per satker), the unit kerja's
            # ikpa_unit; this page is a satker's (issue 22)
            gaya="ikpa", render=("satker",), lembar="Estimasi IKPA",
            pengantar="Estimasi nilai IKPA satker dari data SPEKTRA menurut aturan tahun "
                      "anggarannya — bukan nilai resmi OM-SPAN. Indikator yang tidak dapat "
                      "dihitung tidak dinilai dan bobot indikator lain disesuaikan; tanpa "
                      "nilai total bila bobot yang terhitung kurang dari 50 %. Di bawahnya: "
                      "riwayat per bulan dengan pita kategori, proyeksi yang masih dapat "
                      "dilakukan triwulan ini, rincian perhitungan dan rekonsiliasi dengan "
                      "OM-SPAN (semuanya juga di unduhan)."),
    Laporan("ikpa_rincian", "ikpa:ikpa_rincian", "Rincian Perhitungan IKPA", "Capaian & IKPA",
            ("satker", "unit", "aturan"),
            _k("kode_satker:Kode Satker:teks:sempit; indikator:Indikator:teks:lebar; "
               "periode:Periode:teks:sempit; jenis_belanja:Jenis Belanja:jenis_belanja; "
               "besaran:Besaran:teks:lebar; nilai:Nilai:angka:sempit"),
            lembar="Rincian Perhitungan",
            pengantar="Setiap besaran di balik setiap indikator IKPA, per periode dan jenis "
                      "belanja, agar nilai dapat dihitung ulang dengan kalkulator."),
    Laporan("ikpa_ringkasan", "ikpa:ikpa_ringkasan", "Ringkasan IKPA per Satker",
            "Capaian & IKPA", ("satker", "aturan"), _k(_RINGKASAN),
            render=("semua",), lembar="Ringkasan IKPA",
            pengantar="Satu baris per satker: ESTIMASI nilai IKPA dari data SPEKTRA, "
                      "kategori, indikator yang paling mengurangi nilai, dan rata-rata "
                      "seluruh satker (nilai instansi dihitung sebagai rata-rata nilai satker) "
                      "— bukan nilai resmi OM-SPAN. Rincian perhitungan tiap satker ada di "
                      "halaman IKPA satker itu dan unduhannya; rincian seluruh satker "
                      "dibuat dengan perintah spektra report ikpa_rincian --tahun TAHUN "
                      "--bulan BULAN -o rincian.csv (ukurannya tidak untuk halaman)."),
    Laporan("ikpa_unit", "ikpa.unit:ikpa_unit", "IKPA Unit Kerja", "Capaian & IKPA",
            ("satker", "unit", "aturan"), _k(_RINGKASAN), render=("unit",),
            lembar="IKPA Unit Kerja",
            pengantar="IKPA dinilai per satker: ESTIMASI nilai IKPA satker yang anggarannya "
                      "memuat unit kerja ini, kategori, indikator yang paling mengurangi "
                      "nilai, dan rata-ratanya — bukan nilai resmi OM-SPAN. Unduhan memuat "
                      "rincian perhitungannya."),
    Laporan("ikpa_riwayat", "ikpa:ikpa_riwayat", "Riwayat Nilai IKPA per Bulan",
            "Capaian & IKPA", ("satker", "aturan"),
            _k("kode_satker:Kode Satker:teks:sempit; nama_satker:Nama Satker:teks:lebar; "
               "bulan:Bulan:bulan:sempit; nilai:Nilai IKPA (estimasi):angka:sempit; "
               "kategori:Kategori (estimasi); resmi:Nilai Resmi (OM-SPAN):angka:sempit; "
               "dasar:Dasar:teks:sempit"),
            gaya="grafik", bagan="ikpa_riwayat", satker_wajib=True, lembar="Riwayat IKPA",
            pengantar="Estimasi nilai IKPA pada akhir tiap bulan s.d. bulan laporan, di "
                      "samping nilai resmi OM-SPAN bila ada, di atas pita kategori aturannya."),
    Laporan("ikpa_peluang", "ikpa.peluang:ikpa_peluang",
            "Yang Masih Dapat Dilakukan Triwulan Ini (Proyeksi)", "Capaian & IKPA",
            ("satker", "aturan"),
            _k("kode_satker:Kode Satker:teks:sempit; triwulan:Triwulan:teks:sempit; "
               "jenis_belanja:Jenis Belanja:jenis_belanja; pagu_efektif:Pagu − Blokir:rupiah; "
               "realisasi_kumulatif:Realisasi s.d. Bulan:rupiah; "
               "realisasi_persen:Realisasi (%):persen:sempit; "
               "target_persen:Target Triwulan (%):persen:sempit; "
               "kebutuhan:Realisasi Dibutuhkan s.d. Akhir Triwulan:rupiah; "
               "kebutuhan_per_bulan:Dibutuhkan per Bulan:rupiah; "
               "rpd_sisa:RPD Terkunci Bulan Tersisa:rupiah; "
               "persen_bila_rpd:Realisasi bila Sesuai RPD (%):persen:sempit; "
               "nilai_penyerapan_target:Penyerapan bila Target Tercapai:angka:sempit; "
               "nilai_penyerapan_rpd:Penyerapan bila Sesuai RPD:angka:sempit; "
               "nilai_deviasi_rpd:Deviasi bila Sesuai RPD:angka:sempit; "
               "keterangan:Keterangan:teks:sempit"),
            tampil=("jenis_belanja", "realisasi_persen", "target_persen", "kebutuhan",
                    "kebutuhan_per_bulan", "rpd_sisa", "persen_bila_rpd",
                    "nilai_penyerapan_target", "nilai_penyerapan_rpd", "nilai_deviasi_rpd",
                    "keterangan"),
            satker_wajib=True, lembar="Proyeksi Triwulan Ini",
            pengantar="PROYEKSI untuk triwulan berjalan: realisasi yang masih dibutuhkan "
                      "sampai akhir triwulan untuk mencapai target penyerapan, dan nilai "
                      "Penyerapan serta Deviasi Halaman III bila satker membelanjakan sesuai "
                      "RPD yang dikunci. Proyeksi, bukan nilai resmi."),
    Laporan("ikpa_rekonsiliasi", "ikpa:ikpa_rekonsiliasi", "Rekonsiliasi IKPA dengan OM-SPAN",
            "Capaian & IKPA", ("satker", "aturan"),
            _k("kode_satker:Kode Satker:teks:sempit; nama_satker:Nama Satker:teks:lebar; "
               "indikator:Indikator:teks:lebar; estimasi:Estimasi:angka:sempit; "
               "resmi:Resmi (OM-SPAN):angka:sempit; selisih:Selisih:angka:sempit; "
               "penjelasan:Penjelasan:teks:lebar"),
            lembar="Rekonsiliasi OM-SPAN",
            pengantar="Estimasi SPEKTRA di samping nilai resmi OM-SPAN per indikator, "
                      "selisihnya, dan penjelasan yang didukung data."),
    Laporan("proyeksi_penyerapan", "proyeksi:proyeksi_penyerapan",
            "Proyeksi Penyerapan Anggaran Akhir Tahun", "Capaian & IKPA",
            ("satker", "jenis_belanja"),
            _k("kode_satker:Kode Satker:teks:sempit; nama_satker:Nama Satker:teks:lebar; "
               "jenis_belanja:Jenis Belanja:jenis_belanja; pagu:Pagu:rupiah; "
               "realisasi_kumulatif:Realisasi Kumulatif:rupiah; "
               "proyeksi_p10:Proyeksi P10:persen:sempit; proyeksi_p50:Proyeksi P50:persen:sempit; "
               "proyeksi_p90:Proyeksi P90:persen:sempit; target_akhir:Target TW IV:persen:sempit; "
               "status:Status:teks:sempit; kebutuhan_per_bulan:Kebutuhan per Bulan:rupiah; "
               "penjelasan:Penjelasan:teks:lebar; metode:Metode:teks:sempit; "
               "n_riwayat:Tahun Riwayat:bulat:sempit; sumber_pola:Sumber Pola:teks:sempit; "
               "realisasi_persen:Realisasi s.d. Bulan:persen:sempit; "
               "target_triwulan:Target Triwulan Berikut:persen:sempit; blokir:Blokir:rupiah; "
               "peluang_di_bawah:Peluang di Bawah Target:persen:sempit; "
               "peringatan_dini:Peringatan Dini:ya_tidak:sempit"),
            # a satker's page: its name is the title's (ranking_proyeksi names every satker)
            tampil=("jenis_belanja", "pagu", "realisasi_persen", "proyeksi_p10",
                    "proyeksi_p50", "proyeksi_p90", "target_akhir", "status",
                    "kebutuhan_per_bulan", "penjelasan"),
            pengantar="PROYEKSI realisasi akhir tahun (persen pagu dikurangi blokir) per jenis "
                      "belanja dan untuk satker seluruhnya, dengan selang P10–P90, dari pola "
                      "realisasi tahun-tahun sebelumnya; status terhadap target penyerapan "
                      "IKPA dan kebutuhan realisasi per bulan untuk mencapai target triwulan "
                      "berikutnya. Proyeksi, bukan nilai resmi."),
    Laporan("grafik_proyeksi", "proyeksi:grafik_proyeksi", "Grafik Proyeksi Penyerapan",
            "Capaian & IKPA", ("satker", "jenis_belanja"),
            _k("bulan:Bulan:bulan:sempit; realisasi_persen:Realisasi:persen:sempit; "
               "rpd_persen:RPD:persen:sempit; target_persen:Target IKPA:persen:sempit; "
               "proyeksi_p10:Proyeksi P10:persen:sempit; proyeksi_p50:Proyeksi P50:persen:sempit; "
               "proyeksi_p90:Proyeksi P90:persen:sempit"),
            gaya="grafik", bagan="proyeksi", satker_wajib=True, lembar="Grafik Proyeksi"),
    Laporan("ranking_proyeksi", "proyeksi:ranking_proyeksi",
            "Ranking Proyeksi Penyerapan Satker (Selisih terhadap Target)", "Capaian & IKPA",
            ("satker", "jenis_belanja"),
            _k("peringkat:No:bulat:sempit; kode:Kode:teks:sempit; nama:Nama Satker:teks:lebar; "
               "pagu:Pagu:rupiah; realisasi_persen:Realisasi s.d. Bulan:persen:sempit; "
               "proyeksi_p10:Proyeksi P10:persen:sempit; proyeksi_p50:Proyeksi P50:persen:sempit; "
               "proyeksi_p90:Proyeksi P90:persen:sempit; target_akhir:Target TW IV:persen:sempit; "
               "selisih:Selisih P50 − Target:angka:sempit; status:Status:teks:sempit"),
            render=("semua",), lembar="Ranking Proyeksi",
            tampil=("peringkat", "nama", "pagu", "realisasi_persen", "proyeksi_p10",
                    "proyeksi_p50", "proyeksi_p90", "target_akhir", "selisih", "status"),
            pengantar="PROYEKSI untuk pimpinan: satker diurutkan menurut selisih proyeksi "
                      "P50 realisasi akhir tahun terhadap target penyerapan TW IV, yang paling "
                      "jauh di bawah target di atas. Proyeksi, bukan nilai resmi."),
]}

# Pages whose notebook shows several reports; every other report with `render` scopes
# (or a notebook of its own) is a page of one report, named after it.
_HALAMAN_LAIN = [
    Halaman("dashboard", "Dashboard Realisasi Anggaran",
            ("grafik_rpd_realisasi", "grafik_target_realisasi", "ranking_satker",
             "ranking_unit", "ranking_prioritas_nasional"), "Dashboard",
            pengantar="Grafik rencana dan realisasi serta target penyerapan per jenis "
                      "belanja.",
            render=("semua",), publik=True),
    Halaman("eksplorasi", "Eksplorasi Data", (), "Analis",
            pengantar="Untuk analis: buka store, panggil laporan apa saja, saring dan "
                      "gambarkan. Daftar laporan: `spektra_lib.reports.catalog.LAPORAN`.",
            parameter_tambahan=("cari",)),
    Halaman("proyeksi", "Proyeksi Penyerapan Anggaran", ("grafik_proyeksi",
                                                         "proyeksi_penyerapan"),
            "Capaian & IKPA",
            pengantar="PROYEKSI: di mana realisasi satker akan berakhir pada akhir tahun, "
                      "dengan pita P10–P90 dari pola realisasi tahun-tahun sebelumnya, di "
                      "samping RPD dan target penyerapan IKPA; tabel kebutuhan realisasi per "
                      "bulan untuk mencapai target triwulan berikutnya. Bukan nilai resmi.",
            render=("satker",), parameter_tambahan=("jenis_belanja",)),
]


# A report's page that shows more reports under it (the same notebook, the same downloads).
_DENGAN = {"ikpa_estimasi": ("ikpa_estimasi", "ikpa_riwayat", "ikpa_peluang",
                             "ikpa_rekonsiliasi")}


def _halaman() -> dict[str, Halaman]:
    pages = {p.name: p for p in _HALAMAN_LAIN[:1]}
    for r in LAPORAN.values():
        if r.render:
            # the parameters cell lists every page's parameters, and these of its own
            extra = tuple(p for p in r.parameter if not PARAMETER[p].setiap_halaman)
            pages[r.name] = Halaman(r.name, r.judul, _DENGAN.get(r.name, (r.name,)), r.modul,
                                    r.pengantar, r.render, parameter_tambahan=extra)
    pages.update({p.name: p for p in _HALAMAN_LAIN[1:]})
    return pages


HALAMAN: dict[str, Halaman] = _halaman()


def laporan(name: str) -> Laporan:
    try:
        return LAPORAN[name]
    except KeyError:
        raise ValueError(f"Laporan '{name}' tidak dikenal. Pilihan: "
                         f"{', '.join(sorted(LAPORAN))}") from None


# The analysts' starter notebooks (notebooks/, module Analis) that are not pages: never
# rendered, not in the app's menu (so not in HALAMAN), but their heading in JupyterLab and
# Voilà is a title like every page's.
JUDUL_ANALIS = {"bandingkan_satker": "Bandingkan Satker", "bulan_ke_bulan": "Bulan ke Bulan",
                "cari_anomali": "Cari Anomali",
                "simulasi_proyeksi": "Simulasi Proyeksi IKPA (Bagaimana Jika)"}
# The Voilà controls of a starter notebook that computes without a catalog report (besides
# those of every report): the what-if simulates one satker, which must be chosen.
PARAMETER_ANALIS = {"simulasi_proyeksi": ("satker",)}
SATKER_WAJIB_ANALIS = frozenset({"simulasi_proyeksi"})


def judul(name: str) -> str:
    """The title of a report, a page or a starter notebook (the name itself for anything
    else)."""
    if name in LAPORAN:
        return LAPORAN[name].judul
    if name in HALAMAN:
        return HALAMAN[name].judul
    if name in JUDUL_ANALIS:
        return JUDUL_ANALIS[name]
    return name.replace("_", " ").title()


def laporan_halaman(page: str) -> tuple[str, ...]:
    """The reports a page shows (a report's own page: itself)."""
    if page in HALAMAN:
        return HALAMAN[page].laporan
    return (page,) if page in LAPORAN else ()


def parameter_halaman(page: str) -> set[str]:
    """The parameters a page's reports accept."""
    out: set[str] = set()
    for r in laporan_halaman(page):
        out |= set(LAPORAN[r].parameter)
    return out


def parameter_notebook(page: str) -> list[str]:
    """A page notebook's parameters, in declaration order: those of every page and those
    its reports (or the page itself) take besides."""
    own = parameter_halaman(page) | set(HALAMAN[page].parameter_tambahan
                                        if page in HALAMAN else ())
    return [n for n, p in PARAMETER.items() if p.setiap_halaman or n in own]


def matrix() -> dict[str, list[str]]:
    """The render matrix: pages per scope kind, plus those of the public audience."""
    m = {k: [p.name for p in HALAMAN.values() if k in p.render] for k in SCOPES}
    m["publik"] = [p.name for p in HALAMAN.values() if p.publik]
    return m
