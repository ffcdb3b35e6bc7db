"""Modul Keuangan: Realisasi POK, Realisasi per program s.d. akun, per satker / unit kerja,
and Monitoring SPP / SPM / SP2D."""
from __future__ import annotations

import pandas as pd

from . import _common as c
from . import _tree
from .catalog import JENIS_BELANJA

POK_COLUMNS = ["level", "kode", "path", "uraian", "volume", "satuan", "harga_satuan", "pagu",
               "realisasi", "persen_realisasi", "sisa"]
AKUN_COLUMNS = ["level", "kode", "path", "uraian", "pagu", "realisasi", "persen_realisasi",
                "sisa"]
SPP_COLUMNS = ["no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d", "tgl_sp2d", "uraian",
               "jenis_spp", "nilai", "status", "kode_unit", "potongan", "nilai_bersih"]


def _realisasi_tree(store, tahun, bulan, satker, unit, bulan_dari, depth, columns, cari=None):
    c.check_month(bulan, bulan_dari)
    satker = c.resolve_scope(store, satker, unit)
    df = _tree.hierarchy(store, tahun, satker=satker, unit=unit, depth=depth,
                     dari=bulan_dari, bulan=bulan, cari=cari, akun_level=True)
    if df.empty:
        return c.empty(columns)
    df = _tree.label_scope(store, df, satker, unit)
    df = _tree.akun_note(df)
    if depth == "item":    # OM-SPAN realisasi on akun and above; items "tanpa rincian item"
        df = _tree.akun_only_items(store, df, tahun, satker, ["realisasi"])
    df["persen_realisasi"] = c.persen(df["realisasi"], df["pagu"])
    df["sisa"] = df["pagu"] - df["realisasi"]
    out = df[columns]
    out.attrs.update(df.attrs)
    return out


def realisasi_pok(store, tahun: int, bulan: int, *, satker: str | None = None,
                  unit: str | None = None, bulan_dari: int = 1) -> pd.DataFrame:
    """Scope row, then program … item; realisasi dated bulan_dari..bulan."""
    return _realisasi_tree(store, tahun, bulan, satker, unit, bulan_dari, "item", POK_COLUMNS)


def realisasi_akun(store, tahun: int, bulan: int, *, satker: str | None = None,
                   unit: str | None = None, bulan_dari: int = 1,
                   cari: str | None = None) -> pd.DataFrame:
    """Scope row, then program … akun. `cari` keeps the akun whose code starts with it
    (`524`) or whose name holds every word of it (`perjalanan dinas`); ancestors are
    summed over the kept akun only."""
    return _realisasi_tree(store, tahun, bulan, satker, unit, bulan_dari, "akun",
                           AKUN_COLUMNS, cari)


def _satker_group(store, satker, unit) -> tuple[str | None, str]:
    """(the scope's satker, the ranking's rows): per unit kerja for a unit or the central
    satker, else per satker."""
    satker = c.resolve_scope(store, satker, unit)
    if unit is not None:
        return satker, "unit"
    if satker is not None and satker == c.satker_pusat(store):
        return satker, "unit"
    return satker, "satker"


def realisasi_satker(store, tahun: int, bulan: int, *, satker: str | None = None,
                     unit: str | None = None, bulan_dari: int = 1,
                     jenis_belanja: str | None = None) -> pd.DataFrame:
    """Ranking-shaped totals over bulan_dari..bulan: one row per satker (no satker), per
    unit kerja (the central satker), or the one satker / unit asked for."""
    c.check_month(bulan, bulan_dari)
    jenis = c.check_jenis(jenis_belanja)
    satker, group = _satker_group(store, satker, unit)
    df = c.aggregate(store, tahun, group=group, satker=satker, unit=unit, jenis=jenis,
                     dari=bulan_dari, bulan=bulan)
    return c.ranking_frame(df)


def realisasi_satker_rentang(store, tahun: int, bulan: int, *, satker: str | None = None,
                             unit: str | None = None, jenis_belanja: str | None = None
                             ) -> dict[tuple[int, int], pd.DataFrame]:
    """{(dari, sd): realisasi_satker(…, bulan_dari=dari, bulan=sd)} for every range up to
    `bulan`, from one query (c.aggregate_rentang)."""
    c.check_month(bulan)
    jenis = c.check_jenis(jenis_belanja)
    satker, group = _satker_group(store, satker, unit)
    frames = c.aggregate_rentang(store, tahun, group=group, satker=satker, unit=unit,
                                 jenis=jenis, bulan=bulan)
    return {key: c.ranking_frame(df) for key, df in frames.items()}


def rekap_jenis_belanja(store, tahun: int, bulan: int, *, satker: str | None = None,
                        unit: str | None = None, bulan_dari: int = 1) -> pd.DataFrame:
    """One row per jenis belanja (51, 52, 53, 57) with pagu in the scope: pagu, realisasi
    dated bulan_dari..bulan, % realisasi and sisa."""
    c.check_month(bulan, bulan_dari)
    satker = c.resolve_scope(store, satker, unit)
    return _rekap({jenis: c.aggregate(store, tahun, group=None, satker=satker, unit=unit,
                                      jenis=jenis, dari=bulan_dari, bulan=bulan)
                   for jenis in JENIS_BELANJA})


def rekap_jenis_belanja_rentang(store, tahun: int, bulan: int, *, satker: str | None = None,
                                unit: str | None = None) -> dict[tuple[int, int], pd.DataFrame]:
    """{(dari, sd): rekap_jenis_belanja(…, bulan_dari=dari, bulan=sd)} for every range up
    to `bulan`, from one query (c.aggregate_rentang per jenis belanja)."""
    c.check_month(bulan)
    satker = c.resolve_scope(store, satker, unit)
    per_jenis = c.aggregate_rentang(store, tahun, group=None, satker=satker, unit=unit,
                                    bulan=bulan, per_jenis=tuple(JENIS_BELANJA))
    return {key: _rekap({j: frames[key] for j, frames in per_jenis.items()})
            for key in c.ranges(bulan)}


def _rekap(per_jenis: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """rekap_jenis_belanja's rows from each jenis belanja's one-row aggregate."""
    rows = []
    for jenis, df in per_jenis.items():
        if len(df) and df["pagu"].iloc[0] > 0:
            # no realisasi line at all in the jenis: 0 spent, sisa = pagu (not blank)
            real = df["realisasi"].iloc[0]
            rows.append((jenis, float(df["pagu"].iloc[0]), 0.0 if pd.isna(real) else float(real)))
    out = pd.DataFrame(rows, columns=["jenis_belanja", "pagu", "realisasi"])
    out["persen_realisasi"] = c.persen(out["realisasi"], out["pagu"])
    out["sisa"] = out["pagu"] - out["realisasi"]
    return out


# Reports with a batch path for the static page's dari – s.d. filter (page/saring.py).
RENTANG = {"realisasi_satker": realisasi_satker_rentang,
           "rekap_jenis_belanja": rekap_jenis_belanja_rentang}


def semua_rentang(name: str, store, **params) -> dict[tuple[int, int], pd.DataFrame]:
    """{(dari, sd): reports.run(name, store, **params, bulan_dari=dari, bulan=sd)} for
    every range up to params' bulan, for a report in RENTANG (bulan_dari is ignored),
    behind the same checks as reports.run."""
    from . import guarded
    return guarded(name, store, params, RENTANG[name], ignore=("bulan_dari",))


def monitoring_spp(store, tahun: int, bulan: int, *, satker: str | None = None,
                   unit: str | None = None, bulan_dari: int = 1) -> pd.DataFrame:
    """One row per SPP whose tgl_spp falls in bulan_dari..bulan of `tahun`."""
    c.check_month(bulan, bulan_dari)
    satker = c.resolve_scope(store, satker, unit)
    cond = "year(tgl_spp) = $tahun AND month(tgl_spp) BETWEEN $dari AND $bulan"
    if satker is not None:
        cond += " AND kode_satker = $satker"
    if unit is not None:
        cond += " AND kode_unit = $unit"
    df = store.sql(
        f"SELECT {', '.join(SPP_COLUMNS[:-5])}, nilai::DOUBLE AS nilai, status, kode_unit, "
        "potongan::DOUBLE AS potongan, nilai_bersih::DOUBLE AS nilai_bersih "
        f"FROM spp WHERE {cond} ORDER BY tgl_spp, no_spp, kode_satker",
        c.params(tahun=tahun, dari=bulan_dari, bulan=bulan, satker=satker, unit=unit))
    for col in ("tgl_spp", "tgl_spm", "tgl_sp2d"):
        df[col] = pd.to_datetime(df[col])
    return df[SPP_COLUMNS]
