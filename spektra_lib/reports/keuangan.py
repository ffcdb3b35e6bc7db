"""Modul Keuangan: Realisasi POK, Realisasi per program s.d. akun, per satker / unit kerja,
and Monitoring SPP / SPM / SP2D."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _common as c
from . import _tree
from .catalog import JENIS_BELANJA
from .selection import Selection

# keterangan (added, issue 24): "tanpa rincian item" on the item lines of a satker whose
# realisasi is akun-level only (OM-SPAN); empty otherwise
POK_COLUMNS = ["level", "kode", "path", "uraian", "volume", "satuan", "harga_satuan", "pagu",
               "realisasi", "persen_realisasi", "sisa", "keterangan"]
AKUN_COLUMNS = ["level", "kode", "path", "uraian", "pagu", "realisasi", "persen_realisasi",
                "sisa"]
SPP_COLUMNS = ["no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d", "tgl_sp2d", "uraian",
               "jenis_spp", "nilai", "status", "kode_unit", "potongan", "nilai_bersih",
               "nama_satker"]


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


def realisasi_pok(store, pilihan: Selection) -> pd.DataFrame:
    """Scope row, then program … item; realisasi dated bulan_dari..bulan."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    bulan_dari = pilihan.bulan_dari or 1
    return _realisasi_tree(store, tahun, bulan, satker, unit, bulan_dari, "item", POK_COLUMNS)


def realisasi_akun(store, pilihan: Selection) -> pd.DataFrame:
    """Scope row, then program … akun. `cari` keeps the akun whose code starts with it
    (`524`) or whose name holds every word of it (`perjalanan dinas`); ancestors are
    summed over the kept akun only."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    bulan_dari, cari = pilihan.bulan_dari or 1, pilihan.cari
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


def realisasi_satker(store, pilihan: Selection) -> pd.DataFrame:
    """Ranking-shaped totals over bulan_dari..bulan: one row per satker (no satker), per
    unit kerja (the central satker), or the one satker / unit asked for."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    bulan_dari, jenis_belanja = pilihan.bulan_dari or 1, pilihan.jenis_belanja
    c.check_month(bulan, bulan_dari)
    jenis = c.check_jenis(jenis_belanja)
    satker, group = _satker_group(store, satker, unit)
    df = c.aggregate(store, tahun, group=group, satker=satker, unit=unit, jenis=jenis,
                     dari=bulan_dari, bulan=bulan)
    return dengan_jumlah(c.ranking_frame(df))


def realisasi_satker_rentang(store, pilihan: Selection
        ) -> dict[tuple[int, int], pd.DataFrame]:
    """{(dari, sd): realisasi_satker(…, bulan_dari=dari, bulan=sd)} for every range up to
    `bulan`, from one query (c.aggregate_rentang)."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    jenis_belanja = pilihan.jenis_belanja
    c.check_month(bulan)
    jenis = c.check_jenis(jenis_belanja)
    satker, group = _satker_group(store, satker, unit)
    frames = c.aggregate_rentang(store, tahun, group=group, satker=satker, unit=unit,
                                 jenis=jenis, bulan=bulan)
    return {key: dengan_jumlah(c.ranking_frame(df)) for key, df in frames.items()}


def rekap_jenis_belanja(store, pilihan: Selection) -> pd.DataFrame:
    """One row per jenis belanja (51, 52, 53, 57) with pagu in the scope: pagu, realisasi
    dated bulan_dari..bulan, % realisasi and sisa."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    bulan_dari = pilihan.bulan_dari or 1
    c.check_month(bulan, bulan_dari)
    satker = c.resolve_scope(store, satker, unit)
    return _rekap({jenis: c.aggregate(store, tahun, group=None, satker=satker, unit=unit,
                                      jenis=jenis, dari=bulan_dari, bulan=bulan)
                   for jenis in JENIS_BELANJA})


def rekap_jenis_belanja_rentang(store, pilihan: Selection
        ) -> dict[tuple[int, int], pd.DataFrame]:
    """{(dari, sd): rekap_jenis_belanja(…, bulan_dari=dari, bulan=sd)} for every range up
    to `bulan`, from one query (c.aggregate_rentang per jenis belanja)."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
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
    return dengan_jumlah(out)


def dengan_jumlah(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its total row's figures in df.attrs["jumlah"] (the page and the files show
    it when the catalog says `jumlah`)."""
    if len(df):         # an empty table has no total row
        df.attrs["jumlah"] = jumlah(df)
    return df


def jumlah(df: pd.DataFrame) -> dict[str, float]:
    """The total row of a pagu / realisasi / sisa table (catalog `jumlah`): sums, and
    % realisasi of the sums (not a sum of percentages)."""
    total = {k: float(df[k].fillna(0).sum()) for k in ("pagu", "realisasi", "sisa")
             if k in df.columns}
    if "persen_realisasi" in df.columns and "pagu" in total:
        total["persen_realisasi"] = (total["realisasi"] / total["pagu"] * 100
                                     if total["pagu"] else None)
    return total


# Reports with a batch path for the static page's dari – s.d. filter (page/saring.py).
RENTANG = {"realisasi_satker": realisasi_satker_rentang,
           "rekap_jenis_belanja": rekap_jenis_belanja_rentang}


def semua_rentang(name: str, store, **params) -> dict[tuple[int, int], pd.DataFrame]:
    """{(dari, sd): reports.run(name, store, **params, bulan_dari=dari, bulan=sd)} for
    every range up to params' bulan, for a report in RENTANG (bulan_dari is ignored),
    behind the same checks as reports.run."""
    from . import guarded
    return guarded(name, store, params, RENTANG[name], ignore=("bulan_dari",))


def monitoring_spp(store, pilihan: Selection) -> pd.DataFrame:
    """One row per SPP whose tgl_spp falls in bulan_dari..bulan of `tahun`, as the
    register stood at the end of `bulan`; status_spp "proses": those without an SP2D by
    then, "selesai": those with one. For the whole agency (no satker, no unit) each row
    names its satker, and without a status_spp only the SPP still in process are listed:
    the whole register of every satker is a download, not a page (issue 27.12)."""
    tahun, bulan, satker, unit = pilihan.tahun, pilihan.bulan, pilihan.satker, pilihan.unit
    bulan_dari, status_spp = pilihan.bulan_dari or 1, pilihan.status_spp
    c.check_month(bulan, bulan_dari)
    agency = satker is None and unit is None
    if agency and status_spp is None:
        status_spp = "proses"
    satker = c.resolve_scope(store, satker, unit)
    cond = "year(tgl_spp) = $tahun AND month(tgl_spp) BETWEEN $dari AND $bulan"
    if satker is not None:
        cond += " AND kode_satker = $satker"
    if unit is not None:
        cond += " AND kode_unit = $unit"
    nama = ("(SELECT nama_satker FROM satker s WHERE s.kode_satker = spp.kode_satker)"
            if agency else "NULL::VARCHAR")
    df = store.sql(
        f"SELECT {', '.join(SPP_COLUMNS[:-6])}, nilai::DOUBLE AS nilai, status, kode_unit, "
        "potongan::DOUBLE AS potongan, nilai_bersih::DOUBLE AS nilai_bersih, "
        f"{nama} AS nama_satker FROM spp WHERE {cond} ORDER BY tgl_spp, no_spp, kode_satker",
        c.params(tahun=tahun, dari=bulan_dari, bulan=bulan, satker=satker, unit=unit))
    for col in ("tgl_spp", "tgl_spm", "tgl_sp2d"):
        df[col] = pd.to_datetime(df[col])
    df = sampai_akhir_bulan(df, tahun, bulan)
    if status_spp in ("proses", "selesai"):
        df = df[df["no_sp2d"].isna() == (status_spp == "proses")].reset_index(drop=True)
    out = df[SPP_COLUMNS]
    if agency:
        out.attrs["catatan"] = ("Seluruh satker: " + ("hanya SPP yang masih dalam proses pada "
                                "akhir bulan laporan" if status_spp == "proses" else
                                "hanya SPP yang sudah SP2D") + "; register lengkap per satker "
                                "ada di halaman satker masing-masing.")
    return out


# The status of an SPP whose SPM / SP2D came only after the reported month (issue 27.12).
PROSES_SPM = "Dalam proses: SPM belum terbit"
PROSES_SP2D = "Dalam proses: SP2D belum terbit"


def sampai_akhir_bulan(df: pd.DataFrame, tahun: int, bulan: int) -> pd.DataFrame:
    """The register as it stood at the end of `bulan`: an SPM or SP2D dated later did not
    exist yet (its number and date left empty) and the SPP is still in process — a list
    "s.d. Mei" does not show an SP2D of 7 June as done."""
    import calendar
    akhir = pd.Timestamp(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    df = df.copy()
    later_sp2d = df["tgl_sp2d"].notna() & (df["tgl_sp2d"] > akhir)
    later_spm = df["tgl_spm"].notna() & (df["tgl_spm"] > akhir)
    df.loc[later_sp2d | later_spm, ["no_sp2d", "tgl_sp2d"]] = [None, pd.NaT]
    df.loc[later_spm, ["no_spm", "tgl_spm"]] = [None, pd.NaT]
    if "nilai_bersih" in df.columns:    # what the SP2D paid out did not exist yet either
        df.loc[later_sp2d | later_spm, "nilai_bersih"] = np.nan
    df.loc[later_sp2d & ~later_spm, "status"] = PROSES_SP2D
    df.loc[later_spm, "status"] = PROSES_SPM
    return df
