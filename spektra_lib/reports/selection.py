"""Page parameters, declared once (issue 21), and the selection a report receives.

Each `Parameter` says what a page parameter is: its name, kind, the label of its Voilà
control, the note beside it in a notebook's parameters cell (also the CLI's help), its
default, how a text (a CLI flag, a page address `?bulan=3`) is read and checked, and
which control shows it. Everything that handles page parameters is made from these:

- `spektra report`'s flags (cli.py),
- the `parameters` cell of `spektra notebook baru` (render/scaffold.py),
- the page's address under Voilà (page/link.py) and the Voilà controls (page/widgets.py),
- the keyword arguments of `Halaman` and of `reports.run`, and the static filters' values,
- `Selection`, the one value `reports.run` builds (and checks) from them.

A new page parameter is one `Parameter` below plus the code that uses it (the report,
and, for a control that is not a plain choice, page/widgets.py).

Pure data and text parsing: importing it costs no pandas (the CLI starts from here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..schema import BULAN
from ..schema import JENIS_BELANJA_PILIHAN as JENIS_BELANJA  # code -> the name shown

KINDS = ("tahun", "bulan", "kode", "pilihan", "tanggal", "teks")
_KODE = re.compile(r"^[0-9A-Za-z]{1,12}$")
_TANGGAL = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")   # 2022-03-31 only, not 20220331 or weeks


def kutip(text: str) -> str:
    """A typed value as a note quotes it: short (the note is escaped where shown)."""
    return text if len(text) <= 24 else text[:24] + "…"


@dataclass(frozen=True)
class Parameter:
    name: str
    jenis: str                    # KINDS: how a text is read and which control shows it
    label: str                    # the Voilà control's label
    bantuan: str                  # the parameters cell's comment; the CLI's help
    sebutan: str = ""             # how a note names it (default: label)
    bila_salah: str = "dipakai nilai bawaan."   # what a page does with an invalid value
    setiap_halaman: bool = False  # in every page's parameters cell (else: its reports')
    setiap_laporan: bool = False  # every report accepts it (reports.run)
    wajib_cli: bool = False       # a required flag of `spektra report`
    tautan: bool = True           # read from the page's address under Voilà
    kontrol: bool = True          # a Voilà control (when the page's reports take it)
    pilihan: tuple[tuple[str, str], ...] = ()   # the choices: (code, name)
    kode_di_label: bool = False   # a choice shows as "51 — Pegawai" (else its name)
    semua: str = ""               # the "all" choice of a control (None)
    tidak_melewati: str = ""      # a parameter this one may not exceed (a range's end)
    bila_melewati: str = ""       # the page's note when it does ({nilai}, {batas})

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def disebut(self) -> str:
        return self.sebutan or self.label

    @property
    def kode_pilihan(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.pilihan)

    def baca(self, text: str):
        """A text (CLI flag, page address) as this parameter's value; ValueError with the
        Indonesian reason ("isi angka 1 sampai 12") when it is not one."""
        text = str(text).strip()
        if self.jenis in ("tahun", "bulan"):
            if not text.isdigit() or (self.jenis == "bulan" and not 1 <= int(text) <= 12) \
                    or (self.jenis == "tahun" and not 2000 <= int(text) <= 2100):
                raise ValueError("isi angka 1 sampai 12" if self.jenis == "bulan"
                                 else "isi tahun seperti 2022")
            return int(text)
        if self.jenis == "tanggal":
            try:
                if not _TANGGAL.match(text):
                    raise ValueError(text)
                return date.fromisoformat(text).isoformat()
            except ValueError:
                raise ValueError("isi tanggal seperti 2022-03-31") from None
        if self.jenis == "pilihan":
            if text not in self.kode_pilihan:
                raise ValueError(f"pilihan: {', '.join(self.kode_pilihan)}")
            return text
        if self.jenis == "kode" and not _KODE.match(text):
            raise ValueError("isi kode huruf/angka")
        return text

    def opsi(self) -> list[tuple[str, object]]:
        """A choice control's (label, value) pairs: "all" (None) first when it has one."""
        return ([(self.semua, None)] if self.semua else []) + [
            (f"{kode} — {nama}" if self.kode_di_label else nama, self.baca(kode))
            for kode, nama in self.pilihan]

    def sebut(self, kode: str | None) -> str:
        """A choice as a sentence names it: "Jenis belanja 52 Barang", "Semua jenis
        belanja" (the static filter's caption)."""
        if not kode:
            return f"{self.semua} {self.label.lower()}"
        nama = dict(self.pilihan)[kode]
        return f"{self.label} {kode} {nama}" if self.kode_di_label else f"{self.label} {nama}"

    def awal(self, value):
        """The control's value for a page value: without one, "all" or the first choice
        (a range starts in January)."""
        if value is not None or self.semua or not self.pilihan:
            return value
        return self.baca(self.pilihan[0][0])

    def nilai(self, value):
        """A value given in Python (a notebook parameter, a keyword) in this parameter's
        form: int for tahun / bulan, ISO text for a date, text otherwise; empty -> None.
        ValueError as `baca` for one it cannot be."""
        if value is None or value == "":
            return None
        if self.jenis == "tanggal":
            if isinstance(value, datetime):
                return value.date().isoformat()
            if isinstance(value, date):
                return value.isoformat()
        if self.jenis in ("tahun", "bulan") and isinstance(value, int) \
                and not isinstance(value, bool):
            if self.jenis == "bulan" and not 1 <= value <= 12:
                raise ValueError("isi angka 1 sampai 12")
            return int(value)
        if self.jenis in ("kode", "teks"):
            return str(value).strip() or None    # the store says whether a code exists
        return self.baca(str(value))

    def galat(self, text, alasan: str, siapa: str | None = None) -> str:
        """The refusal of an invalid value where it cannot be ignored (a CLI flag, a
        report's keyword): "--bulan '13' tidak sah (isi angka 1 sampai 12)."."""
        return f"{siapa or self.disebut} '{text}' tidak sah ({alasan})."

    def pesan(self, text: str, alasan: str, salah: str = "") -> str:
        """The note a page shows for an invalid value it ignores (the value quoted short;
        the note is escaped where shown)."""
        salah = salah or ("tidak dikenal" if self.jenis == "pilihan" else "tidak sah")
        return f"{self.disebut} “{kutip(text)}” {salah} ({alasan}); {self.bila_salah}"

    @property
    def komentar(self) -> str:
        """The parameters cell's line for it."""
        return f"{self.name} = None  # {self.bantuan}"


PARAMETER: dict[str, Parameter] = {p.name: p for p in [
    Parameter("tahun", "tahun", "Tahun", "tahun anggaran; kosong: tahun terakhir di store",
              bila_salah="ditampilkan tahun terakhir.", setiap_halaman=True,
              setiap_laporan=True, wajib_cli=True, kontrol=False),
    Parameter("satker", "kode", "Satker", "kode satker; kosong: seluruh satker",
              setiap_halaman=True, semua="Seluruh Satker"),
    Parameter("unit", "kode", "Unit kerja", "kode unit kerja (satker pusat)",
              setiap_halaman=True, semua="Semua"),
    Parameter("bulan_dari", "bulan", "Dari bulan",
              "awal rentang bulan (laporan realisasi dan SPP)",
              sebutan="Bulan awal (bulan_dari)", setiap_halaman=True, tidak_melewati="bulan",
              bila_melewati="Bulan awal ({nilai}) sesudah bulan laporan ({batas}); rentang "
                            "dimulai dari Januari.",
              pilihan=tuple((str(m), BULAN[m - 1]) for m in range(1, 13))),
    Parameter("bulan", "bulan", "S.d. bulan",
              "bulan laporan (data s.d. akhir bulan ini); kosong: bulan terakhir",
              sebutan="Bulan", setiap_halaman=True, setiap_laporan=True, wajib_cli=True,
              pilihan=tuple((str(m), BULAN[m - 1]) for m in range(1, 13))),
    Parameter("jenis_belanja", "pilihan", "Jenis belanja",
              '"51", "52", "53", "57" atau kosong: semua',
              bila_salah="ditampilkan semua jenis belanja.", setiap_halaman=True,
              pilihan=tuple(JENIS_BELANJA.items()), kode_di_label=True, semua="Semua"),
    Parameter("status_spp", "pilihan", "Status SPP",
              '"proses" (masih dalam proses) atau "selesai" (SP2D terbit); kosong: semua',
              bila_salah="ditampilkan semua SPP.",
              pilihan=(("proses", "Masih dalam proses"), ("selesai", "Selesai (SP2D terbit)")),
              semua="Semua"),
    Parameter("per_tanggal", "tanggal", "Anggaran per tanggal",
              "anggaran per tanggal (YYYY-MM-DD); kosong: versi anggaran terakhir",
              sebutan="Tanggal anggaran (per_tanggal)",
              bila_salah="ditampilkan anggaran terakhir.", setiap_halaman=True,
              setiap_laporan=True),
    Parameter("cari", "teks", "Cari", "kode akun atau kata pada nama akun", tautan=False,
              kontrol=False),
    Parameter("tanggal", "tanggal", "Tanggal acuan",
              "tanggal acuan keterlambatan (YYYY-MM-DD); kosong: hari ini", tautan=False,
              kontrol=False),
    Parameter("aturan", "tahun", "Aturan IKPA",
              "tahun aturan IKPA; kosong: aturan terbaru s.d. tahun", tautan=False,
              kontrol=False),
]}


def parameter(name: str) -> Parameter:
    try:
        return PARAMETER[name]
    except KeyError:
        raise ValueError(f"Parameter halaman '{name}' tidak dikenal. Pilihan: "
                         f"{', '.join(PARAMETER)}") from None


def setiap_laporan() -> tuple[str, ...]:
    """The parameters every report accepts (tahun, bulan, per_tanggal)."""
    return tuple(n for n, p in PARAMETER.items() if p.setiap_laporan)


def di_tautan() -> tuple[str, ...]:
    """The parameters a page's address may set (?bulan=3), in declaration order."""
    return tuple(n for n, p in PARAMETER.items() if p.tautan)


def di_kontrol() -> tuple[str, ...]:
    """The parameters with a Voilà control, in the controls' order."""
    return tuple(n for n, p in PARAMETER.items() if p.kontrol)


def nilai(values: dict) -> dict:
    """Given values (keywords, notebook parameters) in their declared form; a name that is
    no page parameter is kept as it is (the report refuses it)."""
    out = {}
    for k, v in values.items():
        p = PARAMETER.get(k)
        if p is None:
            out[k] = v
            continue
        try:
            out[k] = p.nilai(v)
        except ValueError as e:
            raise ValueError(p.galat(v, str(e))) from None
    return out


def melewati(values: dict) -> list[tuple[str, str]]:
    """(name, note) of each value past the one it may not exceed (bulan_dari > bulan)."""
    out = []
    for name, p in PARAMETER.items():
        nilai_, batas = values.get(name), values.get(p.tidak_melewati)
        if p.tidak_melewati and nilai_ is not None and batas is not None and nilai_ > batas:
            out.append((name, p.bila_melewati.format(nilai=nilai_, batas=batas)))
    return out


class Selection:
    """What a page or a command asked a report for: a value per page parameter, each in
    its declared form (unset: None). `reports.run` builds it, checked, from keywords; a
    report function that takes `pilihan` receives it whole."""
    __slots__ = ("_nilai",)

    def __init__(self, **values):
        unknown = sorted(set(values) - set(PARAMETER))
        if unknown:
            raise ValueError(f"Parameter halaman tidak dikenal: {', '.join(unknown)}")
        given = nilai(values)
        object.__setattr__(self, "_nilai", {k: given[k] for k in PARAMETER
                                            if given.get(k) is not None})

    def __getattr__(self, name: str):
        if name in PARAMETER:
            return self._nilai.get(name)
        raise AttributeError(name)

    def __setattr__(self, name, value):
        raise AttributeError("Selection tidak dapat diubah: pakai replace()")

    def __eq__(self, other) -> bool:
        return isinstance(other, Selection) and self._nilai == other._nilai

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._nilai.items())))

    def __repr__(self) -> str:
        return "Selection(" + ", ".join(f"{k}={v!r}" for k, v in self._nilai.items()) + ")"

    def chosen(self) -> dict:
        """The chosen values, in declaration order."""
        return dict(self._nilai)

    def only(self, names) -> dict:
        """The chosen values among `names` (the parameters a report accepts)."""
        return {k: v for k, v in self._nilai.items() if k in names}

    def replace(self, **values) -> "Selection":
        return Selection(**(self._nilai | values))
