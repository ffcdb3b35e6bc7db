"""Item templates: the POK of one satker kind, as a small DataFrame of item rows.

A template is built once per kind (pusat, kanreg, pusbang) with a short Python loop over
catalog entries; budget.py then replicates it over many satker with numpy, so the cost of
a large data set is in vectorised code, never in a loop per item.
"""
from __future__ import annotations

import itertools

import pandas as pd

from . import catalog as c

COLUMNS = ["kode_program", "nama_program", "kode_kegiatan", "nama_kegiatan", "kode_kro",
           "nama_kro", "kode_ro", "nama_ro", "kode_komponen", "nama_komponen",
           "kode_subkomponen", "nama_subkomponen", "kode_akun", "nama_akun", "uraian_item",
           "satuan", "kind", "base", "prioritas_nasional", "ro_satuan", "ro_target",
           "strategis"]

KEG_4843 = ("WA", "4843", "Pengelolaan Keuangan, BMN, dan Umum")
PERJADIN = ("524111", "524113", "524114", "524119")


def _row(keg, kro, ro, nama_ro, komp, nama_komp, sub, nama_sub, akun, uraian, satuan, kind,
         base, *, pn=0, ro_satuan="Layanan", ro_target=1, strategis=0):
    prog, kode_keg, nama_keg = keg
    return [prog, c.PROGRAM[prog], kode_keg, nama_keg, kro, c.KRO[kro], ro, nama_ro, komp,
            nama_komp, sub, nama_sub, akun, c.AKUN[akun], uraian, satuan, kind, float(base),
            pn, ro_satuan, ro_target, strategis]


def core_rows(gaji_pokok: float, operasional: float, modal: float, layanan: float) -> list[list]:
    """Gaji dan tunjangan, operasional kantor, layanan 4843 and sarana (modal)."""
    rows = []
    for akun, uraian, kind, share, satuan in c.GAJI:
        rows.append(_row(KEG_4843, "EBA", "994", "Layanan Perkantoran", "001",
                         "Gaji dan Tunjangan", "A", "Pembayaran Gaji dan Tunjangan", akun,
                         uraian, satuan, kind, gaji_pokok * share))
    ops = [(s, n, it) for s, n, items in c.OPERASIONAL for it in items]
    for sub, nama_sub, (akun, uraian, satuan) in ops:
        kind = "pemeliharaan" if akun.startswith("523") else "operasional"
        rows.append(_row(KEG_4843, "EBA", "994", "Layanan Perkantoran", "002",
                         "Operasional dan Pemeliharaan Kantor", sub, nama_sub, akun, uraian,
                         satuan, kind, operasional / len(ops)))
    for kro, ro, nama_ro, satuan_ro, target in c.LAYANAN_4843:
        for sub, activity in zip("AB", c.KEGIATAN_TEKNIS[:2]):
            for akun, uraian, satuan in activity[1]:
                rows.append(_row(KEG_4843, kro, ro, nama_ro, "051", "Pengelolaan " + nama_ro[8:],
                                 sub, activity[0].format(nama_ro), akun, uraian, satuan,
                                 _kind(akun), layanan / 18, ro_satuan=satuan_ro, ro_target=target))
    n_modal = sum(len(m[4]) for m in c.MODAL)
    for komp, nama_komp, sub, nama_sub, items in c.MODAL:
        for akun, uraian, satuan in items:
            rows.append(_row(KEG_4843, "EBB", "951", "Layanan Sarana Internal", komp, nama_komp,
                             sub, nama_sub, akun, uraian, satuan, "modal", modal / n_modal,
                             ro_satuan="Unit", ro_target=12))
    return rows


def _kind(akun: str) -> str:
    return "perjadin" if akun in PERJADIN else "barang"


def teknis_rows(keg: tuple, ros: list[tuple], n_items: int, budget_of_ro) -> list[list]:
    """n_items technical items spread evenly over the RO of one kegiatan.

    Rounds add subkomponen A, B, C … to every RO in turn, so that any n_items gives a
    balanced tree; `budget_of_ro(ro_tuple)` is the RO's yearly budget.
    """
    per_ro: list[list[list]] = [[] for _ in ros]
    count = 0
    for k in itertools.count():
        if count >= n_items or k >= 26:
            break
        for i, (kro, ro, nama_ro, satuan_ro, target, strategis, pn) in enumerate(ros):
            for j, (komp, nama_komp) in enumerate(c.KOMPONEN_TEKNIS):
                name, items = c.KEGIATAN_TEKNIS[(k + j) % len(c.KEGIATAN_TEKNIS)]
                sub_name = name.format(nama_ro) + (f" Tahap {k // 5 + 1}" if k >= 5 else "")
                for akun, uraian, satuan in items:
                    if count >= n_items:
                        break
                    per_ro[i].append(_row(keg, kro, ro, nama_ro, komp, nama_komp, chr(65 + k),
                                          sub_name, akun, uraian, satuan, _kind(akun), 0.0,
                                          pn=pn, ro_satuan=satuan_ro, ro_target=target,
                                          strategis=strategis))
                    count += 1
    rows = []
    base_at = COLUMNS.index("base")
    for ro, items in zip(ros, per_ro):
        for r in items:
            r[base_at] = budget_of_ro(ro) / len(items)
        rows += items
    return rows


def frame(rows: list[list]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    # Object columns: replicating them over many satker then copies pointers, not strings.
    text = [c for c in COLUMNS if isinstance(rows[0][COLUMNS.index(c)], str)]
    df = df.astype({c: object for c in text})
    # no_item numbers the items under one akun of one subkomponen, as the POK does.
    key = ["kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
           "kode_subkomponen", "kode_akun"]
    df["no_item"] = (df.groupby(key, sort=False).cumcount() + 1).astype(str).astype(object)
    return df


def pusat(items_per_unit: int = 28) -> pd.DataFrame:
    """The central satker: ~1,000 employees, every unit kerja with its kegiatan."""
    rows = core_rows(gaji_pokok=42.2e9, operasional=9.5e9, modal=4.2e9, layanan=1.2e9)
    for unit, prog, keg, nama_keg, ros in c.UNIT_KEGIATAN:
        rows += teknis_rows((prog, keg, nama_keg), ros, items_per_unit * len(ros),
                            lambda ro: (3.6e9 if ro[6] else 0.45e9) * (1.5 if ro[5] else 1.0))
    return frame(rows)


def kanreg(n_teknis: int = 130) -> pd.DataFrame:
    """A regional office: ~130 employees, one technical kegiatan."""
    rows = core_rows(gaji_pokok=2.6e9, operasional=1.3e9, modal=0.7e9, layanan=0.25e9)
    prog, keg, nama, ros = c.KANREG_KEGIATAN
    scale = max(1.0, (n_teknis / 130) ** 0.5)
    rows += teknis_rows((prog, keg, nama), ros, n_teknis,
                        lambda ro: 3.2e9 * scale / len(ros) * (1.4 if ro[5] else 1.0))
    return frame(rows)


def pusbang(n_teknis: int = 130) -> pd.DataFrame:
    rows = core_rows(gaji_pokok=1.9e9, operasional=1.6e9, modal=0.9e9, layanan=0.25e9)
    prog, keg, nama, ros = c.PUSBANG_KEGIATAN
    rows += teknis_rows((prog, keg, nama), ros, n_teknis,
                        lambda ro: 6.5e9 / len(ros) * (1.3 if ro[5] else 1.0))
    return frame(rows)
