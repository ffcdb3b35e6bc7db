"""Estimated IKPA score per satker (an addition to CONTRACT §2, issue 6). ESTIMATES only.

Only three indicators can be computed from SPEKTRA's data; the others (Revisi DIPA,
Belanja Kontraktual, Penyelesaian Tagihan, UP/TUP, …) are "tidak dapat dihitung" and the
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

COLUMNS = ["kode_satker", "nama_satker", "indikator", "nilai", "bobot", "bobot_efektif",
           "nilai_tertimbang", "keterangan", "kategori"]
TOTAL = "Nilai IKPA"
ESTIMASI = "estimasi"
TIDAK_DAPAT = "tidak dapat dihitung"


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


def _gabung(values: dict[str, float], pagu: dict[str, float], cara: str) -> float:
    if not values:
        return math.nan
    if cara == "tertimbang_pagu":
        total = sum(pagu[j] for j in values)
        return sum(v * pagu[j] for j, v in values.items()) / total
    return sum(values.values()) / len(values)


def _deviasi(jb: pd.DataFrame, real: pd.DataFrame, bulan: int, rule: dict, cfg: dict) -> float:
    dcfg = cfg["deviasi"]
    per_jb, pagu = {}, {}
    for j in dcfg["jenis_belanja"]:
        row = jb[jb["jb"] == j]
        if row.empty or float(row["pagu"].iloc[0]) <= 0:
            continue
        devs = []
        by_month = real.loc[real["jb"] == j].groupby("bulan")["nilai"].sum().to_dict()
        for m in range(1, bulan + 1):
            rpd = float(row[schema.RPD_COLUMNS[m - 1]].iloc[0])
            r = float(by_month.get(m, 0.0))
            devs.append(abs(r - rpd) / rpd * 100 if rpd else (0.0 if r == 0 else dcfg["rpd_nol"]))
        per_jb[j], pagu[j] = sum(devs) / len(devs), float(row["pagu"].iloc[0])
    dev = _gabung(per_jb, pagu, rule["gabung_jenis_belanja"])
    if math.isnan(dev):
        return dev
    return 100.0 if dev <= dcfg["batas_nilai_penuh"] else max(0.0, 100.0 - dev)


def _penyerapan(jb: pd.DataFrame, real: pd.DataFrame, bulan: int, rule: dict,
                cfg: dict) -> float:
    pcfg = cfg["penyerapan"]
    if rule["penyerapan_dasar"] == "keseluruhan":
        pagu = float(jb["pagu"].sum())
        if pagu <= 0:
            return math.nan
        persen = float(real["nilai"].sum()) / pagu * 100
        return min(persen / target_bulan(pcfg["keseluruhan"], bulan), 1.0) * 100
    scores, pagu = {}, {}
    for j, targets in pcfg["jenis_belanja"].items():
        row = jb[jb["jb"] == str(j)]
        if row.empty or float(row["pagu"].iloc[0]) <= 0:
            continue
        p = float(row["pagu"].iloc[0])
        persen = float(real.loc[real["jb"] == str(j), "nilai"].sum()) / p * 100
        scores[str(j)] = min(persen / target_bulan(targets, bulan), 1.0) * 100
        pagu[str(j)] = p
    return _gabung(scores, pagu, rule["gabung_jenis_belanja"])


def _capaian(pcro: pd.Series, bulan: int, cfg: dict) -> float:
    if pcro.empty:
        return math.nan
    target = target_bulan(cfg["capaian_output"]["target_pcro"], bulan)
    return float((np.minimum(pcro.clip(upper=100) / target, 1.0) * 100).mean())


def ikpa_estimasi(store, tahun: int, bulan: int, *, satker: str | None = None,
                  aturan: int | None = None) -> pd.DataFrame:
    """Estimated IKPA per satker (all satker with pagu in `tahun`, or one)."""
    store.check_scope(satker)
    if not 1 <= bulan <= 12:
        raise ValueError(f"Bulan {bulan} di luar 1–12.")
    cfg = parameters.load("ikpa")
    _, rule = pilih_aturan(tahun, aturan)
    only = "AND kode_satker = ?" if satker else ""
    extra = [satker] if satker else []
    rpd = ", ".join(f"sum(CAST({c} AS DOUBLE)) AS {c}" for c in schema.RPD_COLUMNS)
    jb = store.sql(
        f"SELECT kode_satker, left(kode_akun, 2) AS jb, sum(CAST(pagu AS DOUBLE)) AS pagu, "
        f"{rpd} FROM pok WHERE tahun = ? {only} GROUP BY ALL", [tahun] + extra)
    real = store.sql(
        "SELECT kode_satker, left(kode_akun, 2) AS jb, CAST(month(tanggal) AS INTEGER) AS "
        "bulan, sum(CAST(nilai AS DOUBLE)) AS nilai FROM realisasi WHERE tahun = ? AND "
        f"month(tanggal) <= ? {only} GROUP BY ALL", [tahun, bulan] + extra)
    pcro = store.sql(
        "SELECT t.kode_satker, coalesce(sum(c.pcro), 0) AS pcro FROM ro_target t "
        "LEFT JOIN capaian_ro c ON c.tahun = t.tahun AND c.kode_satker = t.kode_satker "
        "AND c.kode_kegiatan = t.kode_kegiatan AND c.kode_kro = t.kode_kro "
        f"AND c.kode_ro = t.kode_ro AND c.bulan <= ? WHERE t.tahun = ? "
        f"{only.replace('kode_satker', 't.kode_satker')} "
        "GROUP BY t.kode_satker, t.kode_kegiatan, t.kode_kro, t.kode_ro",
        [bulan, tahun] + extra)
    names = dict(store.sql("SELECT kode_satker, nama_satker FROM satker").values.tolist())
    rows = []
    real_of = {k: g for k, g in real.groupby("kode_satker")}
    pcro_of = {k: g["pcro"] for k, g in pcro.groupby("kode_satker")}
    empty_real = real.iloc[0:0]
    for kode, j in sorted(jb.groupby("kode_satker"), key=lambda kv: kv[0]):
        r = real_of.get(kode, empty_real)
        nilai = {"deviasi_hal3": _deviasi(j, r, bulan, rule, cfg),
                 "penyerapan": _penyerapan(j, r, bulan, rule, cfg),
                 "capaian_output": _capaian(pcro_of.get(kode, pd.Series(dtype=float)),
                                            bulan, cfg)}
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
