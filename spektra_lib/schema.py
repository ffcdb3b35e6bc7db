"""The canonical input tables of CONTRACT.md §1, declared once.

Every reader lands in these tables and the store creates its tables from them, so a
column is added here and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds: how a raw text cell is parsed and how DuckDB stores it.
TEXT = "text"        # codes and names; leading zeros kept
AMOUNT = "amount"    # rupiah, may carry decimals; Indonesian 1.234.567,00 accepted
NUMBER = "number"    # volumes, percentages (decimals allowed)
INT = "int"          # years, months, flags
DATE = "date"        # ISO YYYY-MM-DD or dd/mm/yyyy

SQL_TYPES = {TEXT: "VARCHAR", AMOUNT: "DECIMAL(18,2)", NUMBER: "DOUBLE",
             INT: "INTEGER", DATE: "DATE"}

MONTHS = range(1, 13)
# Month names, once (kalender.nama_bulan, every page and file; no pandas to import them).
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
BULAN_SINGKAT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
RPD_COLUMNS = [f"rpd_{m:02d}" for m in MONTHS]

ITEM_KEY = ["tahun", "kode_satker", "kode_program", "kode_kegiatan", "kode_kro",
            "kode_ro", "kode_komponen", "kode_subkomponen", "kode_akun", "no_item"]
RO_KEY = ["tahun", "kode_satker", "kode_kegiatan", "kode_kro", "kode_ro"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()            # duplicate key => error
    # Re-ingest replaces the rows whose `scope` values appear in the new data, so that
    # ingesting the same files twice changes nothing and a newer export supersedes.
    # An entry is a column or `year(column)` (the SPP register has no tahun column).
    scope: tuple[str, ...] = ()
    # A dated table (realisasi, SPP) replaces, within each scope, only the months its new
    # rows cover (first to last month of that scope's rows): a June-only export leaves
    # January-May as they were; a January-June export replaces all six (issue 27).
    period: str | None = None
    notes: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _cols(spec: str, kind_of: dict[str, str] | None = None) -> tuple[Column, ...]:
    """'a, b?, c' -> Columns; `?` marks optional; kinds default to TEXT."""
    kind_of = kind_of or {}
    out = []
    for raw in spec.split(","):
        raw = raw.strip()
        optional = raw.endswith("?")
        name = raw.rstrip("?")
        out.append(Column(name, kind_of.get(name, TEXT), not optional))
    return tuple(out)


SATKER = Table("satker", _cols("kode_satker, nama_satker, kelompok"), key=("kode_satker",),
               scope=("kode_satker",))
UNIT_KERJA = Table("unit_kerja", _cols("kode_unit, nama_unit, kode_satker"),
                   key=("kode_unit",), scope=("kode_unit",))

POK = Table(
    "pok",
    _cols(
        "tahun, kode_satker, kode_unit?, kode_program, nama_program, kode_kegiatan, "
        "nama_kegiatan, kode_kro, nama_kro, kode_ro, nama_ro, kode_komponen, nama_komponen, "
        "kode_subkomponen, nama_subkomponen, kode_akun, nama_akun, no_item, uraian_item, "
        "volume, satuan, harga_satuan, pagu, " + ", ".join(RPD_COLUMNS) + ", prioritas_nasional?, "
        # revisi / tanggal_revisi: the DIPA revision the line belongs to (CONTRACT §1;
        # SAKTI KODE_STS_HISTORY, ADK NOREV). cons_item: the source's own item key (SAKTI
        # CONS_ITEM, any shape), so that a later realisasi-only export can be keyed.
        # blokir: the amount blocked on the item (pagu stays the full amount; IKPA
        # Penyerapan scores on pagu − blokir)
        "revisi?, tanggal_revisi?, cons_item?, blokir?",
        {"tahun": INT, "volume": NUMBER, "harga_satuan": AMOUNT, "pagu": AMOUNT,
         "prioritas_nasional": INT, "revisi": INT, "tanggal_revisi": DATE, "blokir": AMOUNT,
         **{c: AMOUNT for c in RPD_COLUMNS}},
    ),
    key=tuple(ITEM_KEY),
    scope=("tahun", "kode_satker"),
)

REALISASI = Table(
    "realisasi",
    _cols(
        "tahun, kode_satker, kode_program, kode_kegiatan, kode_kro, kode_ro, kode_komponen, "
        "kode_subkomponen, kode_akun, no_item, tanggal, nilai, no_sp2d?",
        {"tahun": INT, "tanggal": DATE, "nilai": AMOUNT},
    ),
    scope=("tahun", "kode_satker"),
    period="tanggal",
)

# OM-SPAN realisasi is akun-level (no komponen, no item): kept apart so that item-level
# reports never mistake it for item data (an addition to CONTRACT §1).
REALISASI_AKUN = Table(
    "realisasi_akun",
    _cols(
        "tahun, kode_satker, kode_program, kode_kegiatan, kode_kro, kode_ro?, kode_akun, "
        "tanggal, nilai",
        {"tahun": INT, "tanggal": DATE, "nilai": AMOUNT},
    ),
    scope=("tahun", "kode_satker"),
    period="tanggal",
)

SPP = Table(
    "spp",
    _cols(
        "kode_satker, kode_unit?, no_spp, tgl_spp, no_spm?, tgl_spm?, no_sp2d?, tgl_sp2d?, "
        # no_kontrak / tgl_bast (added, issue 23): the contract a contractual LS payment
        # pays and the date of the BAST/BAPP it settles (Penyelesaian Tagihan)
        # potongan / nilai_bersih (added, issue 24): a Daftar SP2D's Potongan and Nilai SP2D
        # in rupiah beside the gross Nilai SPM (`nilai`)
        "uraian, jenis_spp, nilai, status, no_kontrak?, tgl_bast?, potongan?, nilai_bersih?",
        {"tgl_spp": DATE, "tgl_spm": DATE, "tgl_sp2d": DATE, "nilai": AMOUNT, "tgl_bast": DATE,
         "potongan": AMOUNT, "nilai_bersih": AMOUNT},
    ),
    key=("kode_satker", "no_spp", "tgl_spp"),
    # one satker's register of one year replaces that year's covered months only
    scope=("kode_satker", "year(tgl_spp)"),
    period="tgl_spp",
)

RO_TARGET = Table(
    "ro_target",
    _cols(
        "tahun, kode_satker, kode_kegiatan, kode_kro, kode_ro, nama_ro, target_volume, "
        "satuan, strategis",
        {"tahun": INT, "target_volume": NUMBER, "strategis": INT},
    ),
    key=tuple(RO_KEY),
    scope=("tahun", "kode_satker"),
)

CAPAIAN_RO = Table(
    "capaian_ro",
    _cols(
        # revisi: the DIPA revision the month was reported against (SAKTI REVISI_DIPA_KE)
        # tgl_lapor: the date the month's capaian report was submitted (IKPA timeliness)
        "tahun, kode_satker, kode_kegiatan, kode_kro, kode_ro, bulan, rvro, pcro, keterangan?, "
        "revisi?, tgl_lapor?",
        {"tahun": INT, "bulan": INT, "rvro": NUMBER, "pcro": NUMBER, "revisi": INT,
         "tgl_lapor": DATE},
    ),
    key=tuple(RO_KEY) + ("bulan",),
    # the capaian of one month replaces that month only; earlier months are kept
    scope=("tahun", "kode_satker", "bulan"),
)

TARGET_PENYERAPAN = Table(
    "target_penyerapan",
    _cols("tahun, bulan, jenis_belanja, target_persen",
          {"tahun": INT, "bulan": INT, "target_persen": NUMBER}),
    key=("tahun", "bulan", "jenis_belanja"),
    scope=("tahun",),
)

# The contract register (SAKTI Komitmen; issue 23). tgl_kontrak may precede the budget
# year (a contract signed before 1 January: kontrak dini / pra-DIPA).
KONTRAK = Table(
    "kontrak",
    _cols("tahun, kode_satker, no_kontrak, tgl_kontrak, uraian, kode_akun, nilai_kontrak, "
          "penyedia?, tgl_register_kppn?, cara_bayar, jumlah_termin?",
          {"tahun": INT, "tgl_kontrak": DATE, "nilai_kontrak": AMOUNT,
           "tgl_register_kppn": DATE, "jumlah_termin": INT}),
    key=("tahun", "kode_satker", "no_kontrak"),
    scope=("tahun", "kode_satker"),
)

# The treasurer's deposits (setoran sisa UP / TUP, with the NTPN of the deposit).
SETORAN = Table(
    "setoran",
    _cols("tahun, kode_satker, tanggal, jenis, nilai, ntpn?",
          {"tahun": INT, "tanggal": DATE, "nilai": AMOUNT}),
    scope=("tahun", "kode_satker"),
)
CARA_BAYAR = ("sekaligus", "termin")
JENIS_SETORAN = ("TUP", "UP", "lainnya")

# -- IKPA inputs (issue 22, CONTRACT §1) ----------------------------------------------
REVISI_DIPA = Table(
    "revisi_dipa",
    _cols("tahun, kode_satker, revisi, tanggal_pengesahan, kode_jenis_revisi, kewenangan",
          {"tahun": INT, "revisi": INT, "tanggal_pengesahan": DATE}),
    key=("tahun", "kode_satker", "revisi"),
    scope=("tahun", "kode_satker"),
)
RO_PROYEKSI = Table(
    "ro_proyeksi",
    _cols("tahun, kode_satker, kode_kegiatan, kode_kro, kode_ro, bulan, target_pcro",
          {"tahun": INT, "bulan": INT, "target_pcro": NUMBER}),
    key=tuple(RO_KEY) + ("bulan",),
    scope=("tahun", "kode_satker"),
)
DISPENSASI_SPM = Table(
    "dispensasi_spm",
    _cols("tahun, kode_satker, no_surat, tanggal", {"tahun": INT, "tanggal": DATE}),
    key=("tahun", "kode_satker", "no_surat"),
    scope=("tahun", "kode_satker"),
)
IKPA_RESMI = Table(
    "ikpa_resmi",
    _cols("tahun, bulan, kode_satker, indikator, nilai",
          {"tahun": INT, "bulan": INT, "nilai": NUMBER}),
    key=("tahun", "bulan", "kode_satker", "indikator"),
    scope=("tahun", "bulan", "kode_satker"),
)
KEWENANGAN_REVISI = ("DJA", "DITPA", "KANWIL", "KPA")

# Load order matters for cross-table checks (realisasi needs its pok item).
TABLES: dict[str, Table] = {t.name: t for t in (
    SATKER, UNIT_KERJA, POK, REALISASI, REALISASI_AKUN, SPP, RO_TARGET, CAPAIAN_RO, TARGET_PENYERAPAN,
    KONTRAK, SETORAN, REVISI_DIPA, RO_PROYEKSI, DISPENSASI_SPM, IKPA_RESMI)}

# -- provenance (issue 24): not canonical input, written by the store itself ----------
# The unit an Excel report's amounts were read in (Form Cetak POK: ribuan rupiah or rupiah)
# and from what evidence (the sheet's note, volume × harga satuan, --satuan), per file and
# satker, for the page's Posisi data. An ingest of a satker's `tabel` replaces that
# satker's rows of it (a later POK from another source states no unit: its row is gone).
SATUAN_SUMBER = Table(
    "satuan_sumber",
    _cols("tahun, kode_satker, tabel, berkas, satuan, bukti, ingest_id?",
          {"tahun": INT, "ingest_id": INT}),
    scope=("tahun", "kode_satker", "tabel"),
)
# The months a file declares it covers (GLP039 "s.d. Maret": January to March), per satker:
# an ingest replaces those months even where the file has no line in them (schema.Table
# .period; updates.py), and Posisi data reaches the end of the covered period.
CAKUPAN_SUMBER = Table(
    "cakupan_sumber",
    _cols("tahun, kode_satker, tabel, berkas, bulan_awal, bulan_akhir, ingest_id?",
          {"tahun": INT, "bulan_awal": INT, "bulan_akhir": INT, "ingest_id": INT}),
    scope=("tahun", "kode_satker", "tabel"),
)
# The report (layout) each file feeding a dated table was, per satker and year (spp: the year
# of tgl_spp): a MonSAKTI PEM/realisasi (`sakti_realisasi`) yields SPP rows only for satker
# with no SPP register in the ingest or the store (sources/dua_sumber.py).
SUMBER_TABEL = Table(
    "sumber_tabel",
    _cols("tahun, kode_satker, tabel, berkas, layout, ingest_id?",
          {"tahun": INT, "ingest_id": INT}),
    scope=("tahun", "kode_satker", "tabel"),
)
# Store tables that are not CONTRACT §1 input (created by Store, left out of the content
# digest so that digests logged before them still hold).
PROVENANCE_TABLES: dict[str, Table] = {t.name: t for t in (SATUAN_SUMBER, CAKUPAN_SUMBER,
                                                           SUMBER_TABEL)}

KELOMPOK = ("PUSAT", "KANREG", "PUSBANG", "LAINNYA")
JENIS_BELANJA = {"51": "Belanja Pegawai", "52": "Belanja Barang", "53": "Belanja Modal",
                 "54": "Belanja Bunga", "55": "Belanja Subsidi", "56": "Belanja Hibah",
                 "57": "Belanja Bantuan Sosial", "58": "Belanja Lain-lain"}

# The jenis belanja a page offers (menus, charts, CLI), with the short names shown.
JENIS_BELANJA_PILIHAN = {"51": "Pegawai", "52": "Barang", "53": "Modal", "57": "Bansos"}

# Hierarchy levels of the budget, top-down, with the pok columns that name them.
LEVELS = ["program", "kegiatan", "kro", "ro", "komponen", "subkomponen", "akun", "item"]
# A hierarchical report's `level` values: its scope rows, then the budget levels.
REPORT_LEVELS = ["satker", "unit"] + LEVELS
LEVEL_COLUMNS = {
    "program": ("kode_program", "nama_program"),
    "kegiatan": ("kode_kegiatan", "nama_kegiatan"),
    "kro": ("kode_kro", "nama_kro"),
    "ro": ("kode_ro", "nama_ro"),
    "komponen": ("kode_komponen", "nama_komponen"),
    "subkomponen": ("kode_subkomponen", "nama_subkomponen"),
    "akun": ("kode_akun", "nama_akun"),
    "item": ("no_item", "uraian_item"),
}
