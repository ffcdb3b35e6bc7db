"""The IKPA indicator interface: what an indicator module is and what it returns.

An indicator is one function `hitung(ctx: Konteks) -> Hasil`, named in the rule file
(parameters/ikpa/<rule>.yaml, `modul: "module:function"` under spektra_lib/reports) of
each rule year that scores it. Adding an indicator = one module + its line and its
parameters in the rule files; nothing else changes. The contract indicators (Belanja
Kontraktual, Penyelesaian Tagihan, Pengelolaan UP dan TUP) plug in the same way from
spektra_lib/reports/ikpa_kontrak.py (`ikpa_kontrak:belanja_kontraktual`, …).

What an indicator receives, `Konteks` (read only):

- `ctx.store`, `ctx.tahun`, `ctx.bulan` (the reporting month: data up to its end),
  `ctx.satker` (one kode or None for every satker), `ctx.kode_satker` (the list of satker
  to score: every satker with pagu in `tahun`, or the one asked for);
- `ctx.p("name")`: the value of a named parameter of the rule in force
  (`parameters/ikpa/*.yaml`, key `parameter`); reading it records it, so that the
  unconfirmed parameters an indicator used are listed in the report's notes;
  `ctx.p("name", default)` for a parameter a rule may lack;
- `ctx.aturan.dasar` (e.g. "PER-5/PB/2022");
- `ctx.jejak`: False when only the scores are wanted (ikpa_estimasi): the indicator may
  leave `rincian` empty then (the trace is most of the work for small scopes);
- `ctx.where("alias")`: an SQL condition `tahun = ? [AND alias.kode_satker = ?]` and its
  parameters, for the indicator's own queries (`ctx.store.sql(q, params)`).

What it returns, `Hasil` (a dataclass; every field optional but `nilai`):

- `nilai`: pandas Series indexed by kode_satker, the indicator's score 0–100 (float, not
  rounded). A satker left out or NaN is "tidak dapat dihitung" — never a silent 0 or 100;
- `kurang`: {kode_satker: "what is missing"} for the satker it could not score, e.g.
  "register kontrak (tabel kontrak) belum ada"; key "*" = for every satker. The report
  shows "tidak dapat dihitung: <kurang>" and rescales the weights of the rest;
- `rincian`: the formula trace, a DataFrame with columns RINCIAN (kode_satker, periode,
  jenis_belanja, besaran, nilai): every quantity behind the score per period (`2022-05`,
  `TW II`, `Semester I`, `Tahun`) and jenis belanja ('' where it does not apply), so that
  an analyst can redo the score with a calculator. `besaran` names the quantity (rpd,
  realisasi, deviasi_persen, target_persen, skor …); `nilai` is a float;
- `catatan`: {kode_satker: [sentences]}: what the page and the reconciliation should say
  (e.g. "2 versi DIPA tanpa baris revisi_dipa dianggap pemutakhiran satker").

A deduction (Dispensasi SPM from 2022) returns the same Hasil with `nilai` = the points
taken off the total. Helpers: `Hasil.kosong(kurang)` when nothing can be computed,
`rincian_frame(rows)` to build the trace from (kode_satker, periode, jenis_belanja,
besaran, nilai) tuples.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

RINCIAN = ["kode_satker", "periode", "jenis_belanja", "besaran", "nilai"]
TW = ["TW I", "TW II", "TW III", "TW IV"]
SEMESTER = ["Semester I", "Semester II"]


def rincian_frame(rows=()) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=RINCIAN)
    df["nilai"] = df["nilai"].astype(float)
    return df


@dataclass
class Hasil:
    nilai: pd.Series
    kurang: dict = field(default_factory=dict)
    rincian: pd.DataFrame | None = None
    catatan: dict = field(default_factory=dict)

    @classmethod
    def kosong(cls, kurang: str) -> "Hasil":
        return cls(pd.Series(dtype=float), {"*": kurang})


@dataclass
class Konteks:
    store: object
    tahun: int
    bulan: int
    satker: str | None
    aturan: object                 # aturan.Aturan
    kode_satker: list[str]
    jejak: bool = True                          # build the formula trace (ikpa_rincian)
    dipakai: set = field(default_factory=set)   # parameter names read (for the notes)
    cache: dict = field(default_factory=dict)   # shared query results between indicators

    def p(self, name: str, *default):
        self.dipakai.add(name)
        return self.aturan.nilai(name, *default)

    def where(self, alias: str = "") -> tuple[str, list]:
        a = f"{alias}." if alias else ""
        if self.satker is None:
            return f"{a}tahun = ?", [self.tahun]
        return f"{a}tahun = ? AND {a}kode_satker = ?", [self.tahun, self.satker]
