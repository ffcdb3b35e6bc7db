"""IKPA rule sets as data: parameters/ikpa/<rule>.yaml, one file per rule (DOMAIN §5).

A rule file names its `dasar` (PER-5/PB/2022 …), the budget years it governs
(`tahun_dari`, `tahun_sampai`), its weighted indicators and deductions (each with the
`modul` that computes it, or `kurang`: what SPEKTRA lacks to compute it) and its named
parameters, each `{nilai, sumber, terkonfirmasi}`. Adding a rule year = one file.
"""
from __future__ import annotations

from dataclasses import dataclass

from ... import parameters

FOLDER = "ikpa"


@dataclass(frozen=True)
class Aturan:
    berkas: str
    dasar: str
    tahun_dari: int
    tahun_sampai: int | None
    indikator: tuple[dict, ...]
    pengurang: tuple[dict, ...]
    parameter: dict

    def nilai(self, name: str, *default):
        if name not in self.parameter:
            if default:
                return default[0]
            raise KeyError(f"parameters/{FOLDER}/{self.berkas}.yaml: parameter '{name}' "
                           "tidak ada")
        return self.parameter[name]["nilai"]

    def belum_terkonfirmasi(self, names) -> list[dict]:
        """The unconfirmed parameters among `names`: [{nama, nilai, sumber}], sorted."""
        return [{"nama": n, "nilai": self.parameter[n]["nilai"],
                 "sumber": self.parameter[n].get("sumber", "")}
                for n in sorted(names)
                if n in self.parameter and not self.parameter[n].get("terkonfirmasi")]

    def berlaku(self, tahun: int) -> bool:
        return self.tahun_dari <= tahun and (self.tahun_sampai is None
                                             or tahun <= self.tahun_sampai)


def semua() -> list[Aturan]:
    out = []
    for name in parameters.names(FOLDER):     # the package's, and the agency's own
        d = parameters.load(name)
        if "dasar" not in d:
            continue
        out.append(Aturan(name.split("/")[-1], d["dasar"], int(d["tahun_dari"]),
                          None if d.get("tahun_sampai") is None else int(d["tahun_sampai"]),
                          tuple(d.get("indikator") or ()), tuple(d.get("pengurang") or ()),
                          dict(d.get("parameter") or {})))
    if not out:
        raise FileNotFoundError("Tidak ada aturan IKPA di "
                                f"{' maupun '.join(str(f / FOLDER) for f in parameters.folders())}.")
    return sorted(out, key=lambda a: a.tahun_dari)


def pilih(tahun: int, aturan=None) -> Aturan:
    """The rule governing `tahun`, or the one asked for: a year (the rule of that year),
    a dasar ('PER-5/PB/2022') or a file name ('PER-5-PB-2022')."""
    rules = semua()
    if aturan not in (None, ""):
        want = str(aturan).strip()
        for a in rules:
            if want in (a.dasar, a.berkas):
                return a
        if want.isdigit():
            return pilih(int(want))
        raise ValueError(f"Aturan IKPA '{aturan}' tidak dikenal. Pilihan: "
                         + ", ".join(a.dasar for a in rules))
    for a in rules:
        if a.berlaku(int(tahun)):
            return a
    # before the first rule: the first; after a gap: the latest one begun
    begun = [a for a in rules if a.tahun_dari <= tahun]
    return begun[-1] if begun else rules[0]
