"""Draft "keterangan yang memadai" for one RO and month, in the wording of seed 002.

The seed gives one sentence per case (gap normal / anomali × PPA 0 or ≥ 0,01 % × RVRO 0,
≥ 1, = target, > target × PCRO 0, partial, 100 %). The product fills in what it knows
(month, year, cumulative PCRO and RVRO, satuan); what only the analyst knows stays a
marked blank "[isi: …]". The seed's "layanan/unit/dokumen/…*)" becomes the RO's satuan.
"""
from __future__ import annotations

import math

from babel.numbers import format_decimal

from ..kalender import nama_bulan

ISI_TAHAPAN = "[isi: tahapan]"
ISI_BULAN_MULAI = "[isi: bulan pelaksanaan]"
ISI_PENYEBAB_GAP = "[isi: penyebab gap]"
ISI_ALASAN_MELEBIHI = "[isi: alasan melebihi target]"
ISI_SATUAN = "[isi: satuan]"

_GAP = f" Gap yang cukup tinggi antara PPA & PCRO disebabkan {ISI_PENYEBAB_GAP}."


def persen_seed(x: float) -> str:
    """45.5 -> '45,50%' (the seed writes the % sign without a space)."""
    return format_decimal(round(float(x), 2), format="#,##0.00", locale="id_ID") + "%"


def angka(x: float) -> str:
    """A volume as the seed writes it: '1.234,5' (no trailing zeros)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return format_decimal(round(float(x), 2), format="#,##0.##", locale="id_ID")


def _satuan(satuan) -> str:
    if satuan is None or (isinstance(satuan, float) and math.isnan(satuan)) or not str(satuan).strip():
        return ISI_SATUAN
    return str(satuan).strip()


def kasus(*, ppa: float, rvro: float, pcro: float, target: float | None, anomali: bool,
          ppa_nol_di_bawah: float = 0.01) -> str:
    """The seed's case for cumulative values: N1–N6 (gap normal) or A1–A5 (anomali).

    Normal: N1 PPA 0/RVRO 0/PCRO 0; N2 PPA 0/RVRO 0/PCRO partial; N3 PPA>0/RVRO 0/partial;
    N4 PPA>0/RVRO≥1/partial; N5 RVRO = target, PCRO 100; N6 RVRO > target, PCRO 100.
    Anomali: A1 PPA 0/RVRO 0/partial; A2 PPA>0/RVRO 0/partial; A3 PPA>0/RVRO≥1/partial;
    A4 RVRO = target, PCRO 100; A5 RVRO > target, PCRO 100.
    """
    ppa_nol = not ppa >= ppa_nol_di_bawah
    has_target = target is not None and not math.isnan(target) and target > 0
    # The seed's 100 % rows (N5/N6, A4/A5) need PCRO 100 and RVRO at or above target;
    # above 3 × target still takes the "> target" sentence (the rule check flags it).
    if pcro >= 100 and has_target and rvro >= target:
        if anomali:
            return "A5" if rvro > target else "A4"
        return "N6" if rvro > target else "N5"
    if rvro >= 1:
        # Table silent on PPA 0 with RVRO ≥ 1, on PCRO 0 with RVRO ≥ 1 and on PCRO 100
        # below target: nearest is the RVRO ≥ 1 / partial row (A1 = A3 in wording).
        return "A3" if anomali else "N4"
    if anomali:
        # Anomali with PPA 0 and PCRO 0 cannot happen (gap 0). PCRO 0 with PPA > 0 and
        # RVRO 0 is silent: nearest is A2 (stage still in progress).
        return "A1" if ppa_nol else "A2"
    if ppa_nol:
        return "N1" if pcro <= 0 else "N2"
    # Normal, PPA > 0, RVRO 0: N3 (the seed's row also covers PCRO 0 best of the rows).
    return "N3"


def keterangan(*, tahun: int, bulan: int, ppa: float, rvro: float, pcro: float,
               target: float | None, satuan, anomali: bool,
               ppa_nol_di_bawah: float = 0.01) -> str:
    """The full draft sentence for the case of these cumulative values."""
    sat = _satuan(satuan)
    head = (f"s.d. bulan {nama_bulan(bulan)} {tahun}, PCRO Kumulatif : {persen_seed(pcro)} "
            f"dengan RVRO kumulatif : {angka(rvro)} {sat}.")
    belum = f"belum ada {sat} yang terealisasi."
    sudah = f" Tahapan yg sudah dilaksanakan : {ISI_TAHAPAN}."
    melebihi = (" Seluruh tahapan kegiatan sudah dilaksanakan dan realisasi volume melebihi "
                f"target yang ditetapkan dikarenakan {ISI_ALASAN_MELEBIHI}.")
    body = {
        # The seed writes "baru akan akan dilaksanakan": the doubled word is dropped.
        "N1": (" Penyerapan anggaran masih 0%, dan Tahapan "
               f"{ISI_TAHAPAN} baru akan dilaksanakan bulan {ISI_BULAN_MULAI}."),
        "N2": (f" Penyerapan anggaran masih 0% dan tahapan {ISI_TAHAPAN} masih dalam progres "
               f"sehingga {belum}"),
        "N3": f" Tahapan {ISI_TAHAPAN} masih dalam progres sehingga {belum}",
        "N4": f" Tahapan yg sudah dilaksanakan dalam RO ini adalah {ISI_TAHAPAN}.",
        "N5": (" Seluruh tahapan kegiatan sudah dilaksanakan dan target sudah tercapai "
               "seluruhnya."),
        "N6": melebihi,
        "A1": sudah + _GAP,
        "A2": f" Tahapan {ISI_TAHAPAN} masih dalam progres sehingga {belum}" + _GAP,
        "A3": sudah + _GAP,
        "A4": " Seluruh tahapan kegiatan sudah dilaksanakan dan target sudah tercapai." + _GAP,
        "A5": melebihi + _GAP,
    }
    k = kasus(ppa=ppa, rvro=rvro, pcro=pcro, target=target, anomali=anomali,
              ppa_nol_di_bawah=ppa_nol_di_bawah)
    return head + body[k]
