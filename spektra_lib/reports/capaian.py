"""Capaian output per RO (CONTRACT §2 `capaian_output`) and the reporting status.

`capaian_output`: one row per RO × month 1..bulan of one satker. Satkers report RVRO and
PCRO non-cumulatively (seed 002): here they are cumulated. PPA = cumulative realisasi of
the RO's pok lines (kegiatan.kro.ro; by the month of `tanggal`) ÷ the RO's pagu × 100
(0 when the RO has no pagu). gap = PPA − PCRO kumulatif; normal when −batas < gap < batas
(parameters/capaian.yaml). `pelanggaran` lists rule codes; `legenda_pelanggaran()` gives
the message of each code.

`status_capaian` (an addition to CONTRACT §2): one row per satker × RO (ro_target) × month
≤ bulan, columns kode_satker, nama_satker, path, nama_ro, bulan, batas_waktu (date), status:
  - "lengkap": the month is reported and has a keterangan;
  - "tanpa keterangan": reported, keterangan empty (it is mandatory);
  - "belum dilaporkan": not reported, the deadline (as of `tanggal`, by default the
    scope's Posisi data: tanggal_acuan) has not passed;
  - "terlambat": not reported and the deadline has passed.
The store keeps no upload date, so a report that arrived late but exists counts as sent.
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd

from .. import kalender, parameters
from . import capaian_draf
from .selection import Selection

COLUMNS = ["path", "nama_ro", "strategis", "bulan", "target_volume", "satuan",
           "rvro_kumulatif", "pcro_kumulatif", "ppa", "gap", "status", "pelanggaran",
           "keterangan_draf"]
STATUS_COLUMNS = ["kode_satker", "nama_satker", "path", "nama_ro", "bulan", "batas_waktu",
                  "status"]
_RO = ["kode_kegiatan", "kode_kro", "kode_ro"]
_EPS = 1e-9


legenda_pelanggaran = parameters.legenda_pelanggaran   # rule code -> message


def _blank(x) -> bool:
    return x is None or (isinstance(x, float) and pd.isna(x)) or not str(x).strip()


def cek_pelanggaran(r: dict, cfg: dict) -> list[str]:
    """Rule codes broken by one RO-month row (cumulative values + the month's own report).

    r: rvro, pcro (the month's own values, NaN if not reported), dilaporkan, keterangan,
    keterangan_terakhir (optional: latest non-empty keterangan so far), rvro_kumulatif, pcro_kumulatif, ppa, target_volume, bulan, anomali.
    """
    codes = []
    nol = cfg["ppa_nol_di_bawah"]
    target = r["target_volume"]
    has_target = not pd.isna(target) and target > 0
    rvro_k, pcro_k, ppa = r["rvro_kumulatif"], r["pcro_kumulatif"], r["ppa"]
    if r["dilaporkan"] and (abs(r["rvro"] - round(r["rvro"])) > _EPS
                            or abs(rvro_k - round(rvro_k)) > _EPS):
        codes.append("RVRO_DESIMAL")
    if (r["dilaporkan"] and not -_EPS <= r["pcro"] <= 100 + _EPS) or pcro_k > 100 + _EPS:
        codes.append("PCRO_RENTANG")
    if rvro_k > 0 and ppa < nol and pcro_k <= _EPS:
        codes.append("RVRO_TANPA_PROGRES")
    batas1 = cfg["batas_target_satu"]
    if has_target and abs(target - 1) < _EPS and rvro_k >= 1 and not (
            ppa > batas1 and pcro_k > batas1):
        codes.append("TARGET1_DINI")
    if has_target and rvro_k > cfg["maks_kelipatan_target"] * target + _EPS:
        codes.append("RVRO_3X")
    if has_target and rvro_k > target + _EPS:
        # The reason may stand in the latest keterangan reported so far (not re-typed).
        alasan = r.get("keterangan_terakhir", r["keterangan"])
        ket = "" if _blank(alasan) else str(alasan).lower()
        if not any(w in ket for w in cfg["kata_alasan"]):
            codes.append("RVRO_LEBIH_TANPA_ALASAN")
    tw = {int(k): float(v) for k, v in cfg["target_pcro_triwulan"].items()}
    if r["bulan"] in tw and pcro_k < tw[r["bulan"]] - _EPS:
        codes.append("PCRO_TARGET_TW")
    if not r["dilaporkan"]:
        codes.append("BELUM_LAPOR")
    elif _blank(r["keterangan"]):
        codes.append("KETERANGAN_KOSONG")
    if r["anomali"] and not menjelaskan_gap(r.get("keterangan_terakhir", r["keterangan"]), cfg):
        codes.append("GAP_ANOMALI")
    return codes


# A blank left to fill: "[isi: …]" of the draft, the seed's dots "……", "...".
_ISIAN = re.compile(r"\[isi:[^\]]*\]|[.…]{2,}")


def menjelaskan_gap(keterangan, cfg: dict) -> bool:
    """The keterangan names the PPA–PCRO gap and gives its cause (seed 002: "Gap yang
    cukup tinggi antara PPA & PCRO disebabkan …"), the cause actually written, not a blank."""
    if _blank(keterangan):
        return False
    text = str(keterangan).lower()
    if not any(w in text for w in cfg["kata_gap"]):
        return False
    for kata in cfg["kata_alasan"]:
        for m in re.finditer(rf"\b{re.escape(kata)}\b", text):
            penyebab = _ISIAN.sub(" ", text[m.end():])
            if len(re.findall(r"[^\W\d_]", penyebab)) >= cfg["penyebab_min_huruf"]:
                return True
    return False


def _ro_list(store, tahun: int, satker: str) -> pd.DataFrame:
    """The satker's RO: those with a target plus any reported without one."""
    return store.sql(
        """
        WITH ro AS (
            SELECT kode_kegiatan, kode_kro, kode_ro FROM ro_target
             WHERE tahun = ? AND kode_satker = ?
            UNION
            SELECT kode_kegiatan, kode_kro, kode_ro FROM capaian_ro
             WHERE tahun = ? AND kode_satker = ?),
        nama_pok AS (
            SELECT kode_kegiatan, kode_kro, kode_ro, min(nama_ro) AS nama_ro,
                   sum(CAST(pagu AS DOUBLE)) AS pagu
              FROM pok WHERE tahun = ? AND kode_satker = ?
             GROUP BY ALL)
        SELECT ro.kode_kegiatan, ro.kode_kro, ro.kode_ro,
               coalesce(t.nama_ro, p.nama_ro, '') AS nama_ro,
               t.target_volume, t.satuan, coalesce(t.strategis, 0) AS strategis,
               coalesce(p.pagu, 0) AS pagu
          FROM ro
          LEFT JOIN ro_target t ON t.tahun = ? AND t.kode_satker = ?
               AND t.kode_kegiatan = ro.kode_kegiatan AND t.kode_kro = ro.kode_kro
               AND t.kode_ro = ro.kode_ro
          LEFT JOIN nama_pok p ON p.kode_kegiatan = ro.kode_kegiatan
               AND p.kode_kro = ro.kode_kro AND p.kode_ro = ro.kode_ro
         ORDER BY ro.kode_kegiatan, ro.kode_kro, ro.kode_ro
        """, [tahun, satker] * 4)


def _only_satker(store, tahun: int) -> str:
    found = store.sql("SELECT DISTINCT kode_satker FROM ro_target WHERE tahun = ? "
                      "UNION SELECT DISTINCT kode_satker FROM capaian_ro WHERE tahun = ?",
                      [tahun, tahun])["kode_satker"].tolist()
    if len(found) == 1:
        return found[0]
    raise ValueError("Laporan capaian output dibuat per satker: pilih satker "
                     f"({', '.join(sorted(found)) or 'belum ada data capaian'}).")


def capaian_output(store, pilihan: Selection) -> pd.DataFrame:
    """CONTRACT §2 capaian_output for one satker (the only one in the store if not given)."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    if not 1 <= bulan <= 12:
        raise ValueError(f"Bulan {bulan} di luar 1–12.")
    if satker is None:
        satker = _only_satker(store, tahun)
    cfg = parameters.load("capaian")
    ro = _ro_list(store, tahun, satker)
    if ro.empty:
        return pd.DataFrame(columns=COLUMNS)
    months = pd.DataFrame({"bulan": range(1, bulan + 1)})
    grid = ro.merge(months, how="cross")
    lapor = store.sql(
        "SELECT kode_kegiatan, kode_kro, kode_ro, bulan, rvro, pcro, keterangan "
        "FROM capaian_ro WHERE tahun = ? AND kode_satker = ? AND bulan <= ?",
        [tahun, satker, bulan])
    real = store.sql(
        "SELECT kode_kegiatan, kode_kro, kode_ro, CAST(month(tanggal) AS INTEGER) AS bulan, "
        "sum(CAST(nilai AS DOUBLE)) AS realisasi FROM realisasi "
        "WHERE tahun = ? AND kode_satker = ? AND month(tanggal) <= ? GROUP BY ALL",
        [tahun, satker, bulan])
    df = grid.merge(lapor, on=_RO + ["bulan"], how="left")
    df = df.merge(real, on=_RO + ["bulan"], how="left")
    df["dilaporkan"] = df["rvro"].notna() | df["pcro"].notna()
    df = df.sort_values(_RO + ["bulan"], kind="stable").reset_index(drop=True)
    filled = df[["rvro", "pcro", "realisasi"]].fillna(0.0).astype(float)
    cum = filled.groupby([df[c] for c in _RO], sort=False).cumsum()
    df["rvro_kumulatif"], df["pcro_kumulatif"] = cum["rvro"], cum["pcro"]
    real_k = cum["realisasi"]
    ket = df["keterangan"].where(df["keterangan"].fillna("").astype(str).str.strip() != "")
    df["keterangan_terakhir"] = ket.groupby([df[c] for c in _RO], sort=False).ffill()
    df["ppa"] = (real_k / df["pagu"].where(df["pagu"] > 0) * 100).fillna(0.0)
    df["gap"] = df["ppa"] - df["pcro_kumulatif"]
    batas = df["strategis"].map(lambda s: cfg["batas_gap"]["strategis" if s == 1
                                                         else "non_strategis"])
    df["anomali"] = ~((df["gap"] > -batas) & (df["gap"] < batas))
    df["status"] = df["anomali"].map({True: "anomali", False: "normal"})
    df["pelanggaran"] = [";".join(cek_pelanggaran(r, cfg)) for r in df.to_dict("records")]
    df["keterangan_draf"] = [
        capaian_draf.keterangan(
            tahun=tahun, bulan=r["bulan"], ppa=r["ppa"], rvro=r["rvro_kumulatif"],
            pcro=r["pcro_kumulatif"], target=r["target_volume"], satuan=r["satuan"],
            anomali=r["anomali"], ppa_nol_di_bawah=cfg["ppa_nol_di_bawah"])
        for r in df.to_dict("records")]
    df["path"] = df["kode_kegiatan"] + "." + df["kode_kro"] + "." + df["kode_ro"]
    df["strategis"] = df["strategis"].astype(int)
    df["bulan"] = df["bulan"].astype(int)
    return df[COLUMNS].reset_index(drop=True)


def tanggal_acuan(store, tahun: int, bulan: int, satker: str | None = None,
                  tanggal: date | str | None = None) -> date:
    """The date the reporting status is stated as of: `tanggal` when given, else the
    scope's Posisi data (scopes.posisi_data: the latest dated data, not past the reported
    month), never after today; today when the scope has no dated data. A Mei 2022 page
    rendered in 2026 is the state of 31 Mei 2022, not of the render day."""
    if isinstance(tanggal, str):
        return date.fromisoformat(tanggal)
    if tanggal is not None:
        return tanggal
    from ..scopes import posisi_data
    posisi = posisi_data(store, tahun, satker, None, bulan)
    return min(posisi, date.today()) if posisi is not None else date.today()


def status_capaian(store, pilihan: Selection) -> pd.DataFrame:
    """Which RO/month is reported, still open or late, as of `tanggal` (default: the
    scope's Posisi data, tanggal_acuan)."""
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    tanggal = tanggal_acuan(store, tahun, bulan, satker, pilihan.tanggal)
    where = "AND t.kode_satker = ?" if satker else ""
    df = store.sql(
        f"""
        SELECT t.kode_satker, coalesce(s.nama_satker, '') AS nama_satker,
               t.kode_kegiatan || '.' || t.kode_kro || '.' || t.kode_ro AS path,
               t.nama_ro, CAST(m.bulan AS INTEGER) AS bulan,
               c.bulan IS NOT NULL AS dilaporkan,
               coalesce(trim(c.keterangan), '') <> '' AS ada_keterangan
          FROM ro_target t
         CROSS JOIN (SELECT unnest(range(1, ? + 1)) AS bulan) m
          LEFT JOIN capaian_ro c ON c.tahun = t.tahun AND c.kode_satker = t.kode_satker
               AND c.kode_kegiatan = t.kode_kegiatan AND c.kode_kro = t.kode_kro
               AND c.kode_ro = t.kode_ro AND c.bulan = m.bulan
          LEFT JOIN satker s ON s.kode_satker = t.kode_satker
         WHERE t.tahun = ? {where}
         ORDER BY t.kode_satker, path, m.bulan
        """, [bulan, tahun] + ([satker] if satker else []))
    due = {m: kalender.batas_waktu_capaian(tahun, m) for m in range(1, bulan + 1)}
    df["batas_waktu"] = df["bulan"].map(due)

    def status(r) -> str:
        if r["dilaporkan"]:
            return "lengkap" if r["ada_keterangan"] else "tanpa keterangan"
        return "terlambat" if tanggal > r["batas_waktu"] else "belum dilaporkan"

    df["status"] = df.apply(status, axis=1) if len(df) else pd.Series(dtype=str)
    return df[STATUS_COLUMNS].reset_index(drop=True)
