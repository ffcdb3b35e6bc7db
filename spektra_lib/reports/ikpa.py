"""Estimated IKPA score per satker (an addition to CONTRACT §2, issue 6). ESTIMATES only.

Four indicators can be computed from SPEKTRA's data; the others (Belanja Kontraktual, Penyelesaian Tagihan, UP/TUP, …) are "tidak dapat dihitung" and the
weights of the computed ones are rescaled to 100 (bobot_efektif). Rules per rule year in
parameters/ikpa.yaml; `aturan` picks one (default: the latest rule year <= tahun).

- Deviasi Halaman III DIPA: per jenis belanja (51/52/53/57 with pagu) and month 1..bulan,
  |realisasi − rpd| / rpd × 100 (rpd 0: 0 if no realisasi, else `rpd_nol`), averaged over
  the months; jenis belanja combined by simple mean or pagu-weighted mean (per rule year);
  score 100 when the combined deviation <= batas_nilai_penuh, else 100 − deviation (>= 0).
- Penyerapan Anggaran: cumulative realisasi / pagu × 100 at `bulan` against the target of
  that month (quarterly targets interpolated linearly from 0 % at the start of the year);
  score min(persen / target, 1) × 100, either overall or per jenis belanja combined as
  above.
- Revisi DIPA: from the kept budget versions (versi.revisi_dipa): revisions within a
  fixed pagu per quarter (2021) or semester (2024), scored by the bands of
  parameters/versi.yaml, averaged over the periods begun.
- Capaian Output: mean over the satker's RO (ro_target) of min(PCRO kumulatif / target
  PCRO of the month, 1) × 100, PCRO capped at 100, target interpolated the same way.

Columns: kode_satker, nama_satker, indikator, nilai, bobot, bobot_efektif,
nilai_tertimbang, keterangan, kategori (set on each satker's total row "Nilai IKPA").
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import parameters, schema
from ..versi import revisi_dipa
from . import _common
from .catalog import IKPA_TIDAK_DAPAT as TIDAK_DAPAT, IKPA_TOTAL as TOTAL  # noqa: F401

COLUMNS = ["kode_satker", "nama_satker", "indikator", "nilai", "bobot", "bobot_efektif",
           "nilai_tertimbang", "keterangan", "kategori"]
ESTIMASI = "estimasi"


def pilih_aturan(tahun: int, aturan: int | None = None) -> tuple[int, dict]:
    rules = {int(k): v for k, v in parameters.load("ikpa")["aturan"].items()}
    if aturan is not None:
        if int(aturan) not in rules:
            raise ValueError(f"Aturan IKPA {aturan} tidak dikenal. Pilihan: "
                             f"{', '.join(map(str, sorted(rules)))}")
        return int(aturan), rules[int(aturan)]
    years = [y for y in rules if y <= tahun] or [min(rules)]
    return max(years), rules[max(years)]


def target_bulan(targets: dict, bulan: int) -> float:
    """Quarterly cumulative targets {3: 15, …} -> the target of `bulan` (linear, 0 at month 0)."""
    pts = sorted((int(k), float(v)) for k, v in targets.items())
    return float(np.interp(bulan, [0] + [m for m, _ in pts], [0.0] + [v for _, v in pts]))


def kategori(nilai: float, bands: list[dict]) -> str:
    for b in bands:
        if b["mulai"] is None or nilai >= b["mulai"]:
            return b["nama"]
    return ""


def _gabung_all(score: pd.Series, pagu: pd.Series, cara: str) -> pd.Series:
    """Per satker (index level 0) from per (satker, jenis belanja) values."""
    by = score.index.get_level_values(0)
    if cara == "tertimbang_pagu":
        return (score * pagu).groupby(by).sum() / pagu.groupby(by).sum()
    return score.groupby(by).mean()


def _deviasi(jb: pd.DataFrame, real_m: pd.DataFrame, bulan: int, rule: dict,
             cfg: dict) -> pd.Series:
    """Deviasi score per satker; all satker at once (a loop per satker took 19 s at 1000)."""
    dcfg = cfg["deviasi"]
    want = {str(j) for j in dcfg["jenis_belanja"]}
    sel = jb[jb.index.get_level_values(1).isin(want) & (jb["pagu"] > 0)]
    rpd = sel[schema.RPD_COLUMNS[:bulan]].to_numpy(float)
    r = real_m.reindex(sel.index, fill_value=0.0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.where(rpd != 0, np.abs(r - rpd) / rpd * 100,
                       np.where(r == 0, 0.0, float(dcfg["rpd_nol"])))
    per_jb = pd.Series(dev.mean(axis=1), index=sel.index)
    comb = _gabung_all(per_jb, sel["pagu"], rule["gabung_jenis_belanja"])
    score = (100.0 - comb).clip(lower=0.0).where(comb > dcfg["batas_nilai_penuh"], 100.0)
    return score.where(comb.notna())


def _penyerapan(jb: pd.DataFrame, real_m: pd.DataFrame, bulan: int, rule: dict,
                cfg: dict) -> pd.Series:
    pcfg = cfg["penyerapan"]
    real_jb = real_m.sum(axis=1)
    if rule["penyerapan_dasar"] == "keseluruhan":
        by = jb.index.get_level_values(0)
        pagu = jb["pagu"].groupby(by).sum()
        got = real_jb.groupby(real_jb.index.get_level_values(0)).sum().reindex(
            pagu.index, fill_value=0.0)
        persen = got / pagu * 100
        score = (persen / target_bulan(pcfg["keseluruhan"], bulan)).clip(upper=1.0) * 100
        return score.where(pagu > 0)
    parts = []
    for j, targets in pcfg["jenis_belanja"].items():
        sel = jb[(jb.index.get_level_values(1) == str(j)) & (jb["pagu"] > 0)]
        persen = real_jb.reindex(sel.index, fill_value=0.0) / sel["pagu"] * 100
        parts.append(pd.DataFrame({
            "score": (persen / target_bulan(targets, bulan)).clip(upper=1.0) * 100,
            "pagu": sel["pagu"]}))
    both = pd.concat(parts) if parts else pd.DataFrame({"score": [], "pagu": []})
    return _gabung_all(both["score"], both["pagu"], rule["gabung_jenis_belanja"])


def _capaian(pcro: pd.DataFrame, bulan: int, cfg: dict) -> pd.Series:
    target = target_bulan(cfg["capaian_output"]["target_pcro"], bulan)
    value = np.minimum(pcro["pcro"].clip(upper=100) / target, 1.0) * 100
    return value.groupby(pcro["kode_satker"]).mean()


def ikpa_estimasi(store, tahun: int, bulan: int, *, satker: str | None = None,
                  aturan: int | None = None) -> pd.DataFrame:
    """Estimated IKPA per satker (all satker with pagu in `tahun`, or one)."""
    if not 1 <= bulan <= 12:
        raise ValueError(f"Bulan {bulan} di luar 1–12.")
    cfg = parameters.load("ikpa")
    rule_year, rule = pilih_aturan(tahun, aturan)
    only = "AND kode_satker = ?" if satker else ""
    extra = [satker] if satker else []
    rpd = ", ".join(f"sum(CAST({c} AS DOUBLE)) AS {c}" for c in schema.RPD_COLUMNS)
    with _common.rpd_berlaku(store, tahun) as s:   # Deviasi Hal. III: the RPD in force
        jb = s.sql(
            f"SELECT kode_satker, left(kode_akun, 2) AS jb, sum(CAST(pagu AS DOUBLE)) AS pagu, "
            f"{rpd} FROM pok WHERE tahun = ? {only} GROUP BY ALL", [tahun] + extra)
    # realisasi_bulan: item × month sums kept by the store (store.py), not 9M lines
    real = store.sql(
        "SELECT kode_satker, left(kode_akun, 2) AS jb, bulan, "
        "sum(CAST(nilai AS DOUBLE)) AS nilai FROM realisasi_bulan WHERE tahun = ? AND "
        f"bulan <= ? {only} GROUP BY ALL", [tahun, bulan] + extra)
    pcro = store.sql(
        "SELECT t.kode_satker, coalesce(sum(c.pcro), 0) AS pcro FROM ro_target t "
        "LEFT JOIN capaian_ro c ON c.tahun = t.tahun AND c.kode_satker = t.kode_satker "
        "AND c.kode_kegiatan = t.kode_kegiatan AND c.kode_kro = t.kode_kro "
        f"AND c.kode_ro = t.kode_ro AND c.bulan <= ? WHERE t.tahun = ? "
        f"{only.replace('kode_satker', 't.kode_satker')} "
        "GROUP BY t.kode_satker, t.kode_kegiatan, t.kode_kro, t.kode_ro",
        [bulan, tahun] + extra)
    names = dict(store.sql("SELECT kode_satker, nama_satker FROM satker").values.tolist())
    jb = jb.set_index(["kode_satker", "jb"]).sort_index()
    months = range(1, bulan + 1)
    if real.empty:
        real_m = pd.DataFrame(0.0, index=jb.index, columns=months)
    else:
        real_m = real.pivot_table(index=["kode_satker", "jb"], columns="bulan",
                                  values="nilai", aggfunc="sum", fill_value=0.0) \
            .reindex(columns=months, fill_value=0.0)
    per_indikator = {"deviasi_hal3": _deviasi(jb, real_m, bulan, rule, cfg),
                     "penyerapan": _penyerapan(jb, real_m, bulan, rule, cfg),
                     "capaian_output": _capaian(pcro, bulan, cfg),
                     # from the kept budget versions (versi.py, parameters/versi.yaml)
                     "revisi_dipa": pd.Series(revisi_dipa(
                         store.con, tahun, bulan, rule_year, tanggal=store.tanggal_anggaran,
                         satker=satker), dtype=float)}
    rows = []
    for kode in sorted(jb.index.get_level_values(0).unique()):
        nilai = {k: float(v.get(kode, math.nan)) for k, v in per_indikator.items()}
        ind = rule["indikator"]
        ok = {i["kode"] for i in ind if i.get("dihitung") and not math.isnan(nilai[i["kode"]])}
        dasar = sum(i["bobot"] for i in ind if i["kode"] in ok)
        nama = names.get(kode, "")
        total = 0.0
        for i in ind:
            if i["kode"] in ok:
                ef = i["bobot"] * 100 / dasar
                tw = nilai[i["kode"]] * ef / 100
                total += tw
                rows.append([kode, nama, i["nama"], nilai[i["kode"]], i["bobot"], ef, tw,
                             ESTIMASI, ""])
            else:
                rows.append([kode, nama, i["nama"], math.nan, i["bobot"], 0.0, math.nan,
                             TIDAK_DAPAT, ""])
        if ok:
            rows.append([kode, nama, TOTAL, total, sum(i["bobot"] for i in ind), 100.0,
                         total, ESTIMASI, kategori(total, rule["kategori"])])
        else:
            rows.append([kode, nama, TOTAL, math.nan, sum(i["bobot"] for i in ind), 0.0,
                         math.nan, TIDAK_DAPAT, ""])
    out = pd.DataFrame(rows, columns=COLUMNS)
    out.attrs["aturan"] = rule["dasar"]
    return out
