"""Shared SQL pieces and arithmetic of the report functions.

Every amount is summed in DuckDB (DECIMAL, exact) and only then handed to pandas as float.
Parameters are bound by name (`$tahun`, `$satker` …), never pasted into SQL text.
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pandas as pd

from .. import parameters, schema
from ..scopes import nama_satker, nama_unit, satker_pusat  # noqa: F401  (used by reports)

RANKING_COLUMNS = ["peringkat", "kode", "nama", "pagu", "realisasi", "persen_realisasi", "sisa"]
JENIS_VALID = tuple(schema.JENIS_BELANJA)
CATATAN_OMSPAN = "Realisasi tingkat item tidak tersedia (data OM-SPAN tingkat akun)."

# The item key as SQL join condition between pok `p` and realisasi `r`. A blank
# subkomponen may arrive as NULL or '', so it is compared null-safely.
ITEM_JOIN = " AND ".join(
    f"p.{c} IS NOT DISTINCT FROM r.{c}" if c == "kode_subkomponen" else f"p.{c} = r.{c}"
    for c in schema.ITEM_KEY)


def check_month(bulan: int, dari: int = 1) -> None:
    for m in (bulan, dari):
        if not isinstance(m, (int, np.integer)) or not 1 <= m <= 12:
            raise ValueError(f"Bulan {m!r} tidak sah: harus 1 sampai 12.")
    if dari > bulan:
        raise ValueError(f"Bulan awal ({dari}) melewati bulan laporan ({bulan}).")


def check_jenis(jenis_belanja: str | None) -> str | None:
    if jenis_belanja is None:
        return None
    j = str(jenis_belanja).strip()
    if j not in JENIS_VALID:
        raise ValueError(f"Jenis belanja '{jenis_belanja}' tidak dikenal "
                         f"(pilihan: {', '.join(JENIS_VALID)}).")
    return j


def resolve_scope(store, satker: str | None, unit: str | None) -> str | None:
    """The satker of a scope: given, or the owner of `unit`. Refuses an unknown unit."""
    if unit is None:
        return satker
    owner = store.scalar("SELECT kode_satker FROM unit_kerja WHERE kode_unit = $u", {"u": unit})
    if owner is None:
        raise ValueError(f"Unit kerja '{unit}' tidak dikenal.")
    if satker is not None and satker != owner:
        raise ValueError(f"Unit kerja {unit} bukan bagian dari satker {satker}.")
    return owner


def pok_filter(alias: str = "p", *, satker=None, unit=None, jenis=None, pn=False) -> str:
    """WHERE conditions on pok for a scope (parameters $tahun, $satker, $unit, $jenis)."""
    a = alias
    cond = [f"{a}.tahun = $tahun"]
    if satker is not None:
        cond.append(f"{a}.kode_satker = $satker")
    if unit is not None:
        cond.append(f"{a}.kode_unit = $unit")
    if jenis is not None:
        cond.append(f"left({a}.kode_akun, 2) = $jenis")
    if pn:
        cond.append(f"coalesce({a}.prioritas_nasional, 0) = 1")
    return " AND ".join(cond)


def realisasi_bulan(store) -> str:
    """The item × month realisasi sums (tahun, item key, bulan, nilai) to read from: the
    store's `realisasi_bulan`, kept by ingest, or for a store made before that table
    existed (opened read-only) the same sums computed from the lines."""
    src = store.__dict__.get("_realisasi_bulan")
    if src is None:
        has = store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                           "'realisasi_bulan' AND database_name = current_database()")
        keys = ", ".join(schema.ITEM_KEY)
        src = "realisasi_bulan" if has else (
            f"(SELECT {keys}, month(tanggal) AS bulan, sum(nilai) AS nilai "
            f"FROM realisasi GROUP BY ALL)")
        store.__dict__["_realisasi_bulan"] = src
    return src


# Depth of each level in the budget tree (0 = the scope row), as _tree.hierarchy counts.
AKUN_DEPTH = {"program": 1, "kegiatan": 2, "kro": 3, "ro": 4, "komponen": 5,
              "subkomponen": 6, "akun": 7}


def akun_ctes(*, satker=None) -> str:
    """CTEs `item_satker` and `ak`: OM-SPAN (akun-level) realisasi placed in the pok tree.

    OM-SPAN names program, kegiatan, KRO, RO (when OUTPUT is `KRO.RO`) and akun, not the
    komponen / subkomponen the akun sits under. Each (satker, program, kegiatan, KRO, RO,
    akun) is matched to the pok akun nodes it can mean; the realisasi goes to the deepest
    node all of them share (`adepth`: 7 = one akun node; 5 = several subkomponen of one
    komponen; 4 = several komponen of one RO; 3 = several RO of one KRO) and never is
    split by guess. An akun absent from the pok stays on its deepest existing ancestor (0
    = only the scope row). `kode_unit` is the unit kerja of all pok lines it can mean (NULL
    when they differ: then no unit kerja gets it); `pn` is 1 only when all are PN-tagged.
    A (tahun, satker) with item-level `realisasi` rows keeps those and ignores OM-SPAN.

    `ak` columns: kode_satker, kode_unit, pn, kode_akun, adepth, c1 … c7 (the node's
    codes, NULL below adepth; c6 '' for a blank subkomponen), om_kro, om_ro (as OM-SPAN
    wrote them), di_pok (the akun is in the pok under that KRO / RO), bulan, nilai
    (summed per node and month).
    """
    rb = "realisasi_bulan_src"
    a_sat = " AND a.kode_satker = $satker" if satker is not None else ""
    p_key = ("p.tahun = $tahun AND p.kode_satker = k.kode_satker AND "
             "p.kode_program = k.kode_program")
    exists = "EXISTS (SELECT 1 FROM pok p WHERE {} {})"
    nocand = ("CASE WHEN k.kode_ro IS NOT NULL AND " + exists.format(
        p_key, "AND p.kode_kegiatan = k.kode_kegiatan AND p.kode_kro = k.kode_kro "
        "AND p.kode_ro = k.kode_ro") + " THEN 4"
        " WHEN " + exists.format(p_key, "AND p.kode_kegiatan = k.kode_kegiatan AND "
                                 "p.kode_kro = k.kode_kro") + " THEN 3"
        " WHEN " + exists.format(p_key, "AND p.kode_kegiatan = k.kode_kegiatan") + " THEN 2"
        " WHEN " + exists.format(p_key, "") + " THEN 1 ELSE 0 END")
    return f"""item_satker AS (SELECT DISTINCT r.kode_satker FROM {rb} r
            WHERE r.tahun = $tahun{a_sat.replace("a.", "r.")}),
        ak_src AS (
            SELECT a.kode_satker, a.kode_program, a.kode_kegiatan, a.kode_kro, a.kode_ro,
                   a.kode_akun, month(a.tanggal) AS bulan, sum(a.nilai) AS nilai
            FROM realisasi_akun a WHERE a.tahun = $tahun{a_sat}
              AND a.kode_satker NOT IN (SELECT kode_satker FROM item_satker)
            GROUP BY ALL),
        ak_key AS (
            SELECT row_number() OVER () AS kid, * FROM (
                SELECT DISTINCT kode_satker, kode_program, kode_kegiatan, kode_kro,
                       kode_ro, kode_akun FROM ak_src)),
        ak_cand AS (
            SELECT k.kid, count(DISTINCT p.kode_ro) AS n_ro,
                   count(DISTINCT p.kode_komponen) AS n_komp,
                   count(DISTINCT coalesce(p.kode_subkomponen, '')) AS n_sub,
                   min(p.kode_ro) AS ro, min(p.kode_komponen) AS komp,
                   min(coalesce(p.kode_subkomponen, '')) AS sub,
                   CASE WHEN count(DISTINCT p.kode_unit) = 1
                         AND count(p.kode_unit) = count(*) THEN min(p.kode_unit) END
                       AS kode_unit,
                   CASE WHEN bool_and(coalesce(p.prioritas_nasional, 0) = 1) THEN 1 ELSE 0
                   END AS pn
            FROM ak_key k JOIN pok p ON {p_key}
             AND p.kode_kegiatan = k.kode_kegiatan AND p.kode_kro = k.kode_kro
             AND p.kode_akun = k.kode_akun AND (k.kode_ro IS NULL OR p.kode_ro = k.kode_ro)
            GROUP BY k.kid),
        ak_at AS (
            SELECT k.*, c.kode_unit, coalesce(c.pn, 0) AS pn, c.kid IS NOT NULL AS di_pok,
                   CASE WHEN c.kid IS NULL THEN {nocand} WHEN c.n_ro > 1 THEN 3
                        WHEN c.n_komp > 1 THEN 4 WHEN c.n_sub > 1 THEN 5 ELSE 7 END AS adepth,
                   coalesce(c.ro, k.kode_ro) AS ro, c.komp, c.sub
            FROM ak_key k LEFT JOIN ak_cand c USING (kid)),
        ak AS (
            SELECT t.kode_satker, t.kode_unit, t.pn, t.kode_akun, t.adepth,
                   CASE WHEN t.adepth >= 1 THEN t.kode_program END AS c1,
                   CASE WHEN t.adepth >= 2 THEN t.kode_kegiatan END AS c2,
                   CASE WHEN t.adepth >= 3 THEN t.kode_kro END AS c3,
                   CASE WHEN t.adepth >= 4 THEN t.ro END AS c4,
                   CASE WHEN t.adepth >= 5 THEN t.komp END AS c5,
                   CASE WHEN t.adepth >= 6 THEN t.sub END AS c6,
                   CASE WHEN t.adepth >= 7 THEN t.kode_akun END AS c7,
                   t.kode_kro AS om_kro, t.kode_ro AS om_ro, t.di_pok, s.bulan, s.nilai
            FROM ak_src s JOIN ak_at t ON s.kode_satker = t.kode_satker
             AND s.kode_program = t.kode_program AND s.kode_kegiatan = t.kode_kegiatan
             AND s.kode_kro = t.kode_kro AND s.kode_ro IS NOT DISTINCT FROM t.kode_ro
             AND s.kode_akun = t.kode_akun)"""


def with_rb(store, sql: str) -> str:
    """`realisasi_bulan_src` in akun_ctes' text replaced by the store's item × month sums."""
    return sql.replace("realisasi_bulan_src", realisasi_bulan(store))


def realisasi_cte(store, *, satker=None, by_unit: bool = False) -> str:
    """CTEs `item_satker` and `real_src`(kode_satker, kode_unit, pn, kode_akun, bulan, nilai).

    The one place where OM-SPAN data stands in: a (tahun, satker) without item-level
    `realisasi` rows takes its akun-level `realisasi_akun` rows instead. With `by_unit`
    the unit kerja and the PN tag come from the pok item (item data) or, for akun-level
    data, from the pok lines the akun can mean (akun_ctes: NULL unit when they are of
    several unit kerja, never a guess). Item-level realisasi is read pre-summed per
    item × month (`realisasi_bulan`).
    """
    rb = realisasi_bulan(store)
    r_sat = " AND r.kode_satker = $satker" if satker is not None else ""
    a_sat = " AND a.kode_satker = $satker" if satker is not None else ""
    if by_unit:
        item = (f"SELECT r.kode_satker, p.kode_unit, coalesce(p.prioritas_nasional, 0) AS pn, "
                f"r.kode_akun, r.bulan, r.nilai FROM {rb} r "
                f"JOIN pok p ON {ITEM_JOIN} WHERE r.tahun = $tahun{r_sat}")
        return with_rb(store, akun_ctes(satker=satker)) + (
            f",\n real_src AS ({item}\n UNION ALL\n SELECT kode_satker, kode_unit, pn, "
            "kode_akun, bulan, nilai FROM ak)")
    item = ("SELECT r.kode_satker, NULL::VARCHAR AS kode_unit, 0 AS pn, r.kode_akun, "
            f"r.bulan, r.nilai FROM {rb} r WHERE r.tahun = $tahun{r_sat}")
    akun = ("SELECT a.kode_satker, NULL::VARCHAR AS kode_unit, 0 AS pn, a.kode_akun, "
            f"month(a.tanggal) AS bulan, a.nilai FROM realisasi_akun a "
            f"WHERE a.tahun = $tahun{a_sat}")
    return (f"item_satker AS (SELECT DISTINCT r.kode_satker FROM {rb} r "
            f"WHERE r.tahun = $tahun{r_sat}),\n"
            f"real_src AS ({item}\n UNION ALL\n {akun} "
            f"AND a.kode_satker NOT IN (SELECT kode_satker FROM item_satker))")


def real_filter(*, unit=None, jenis=None, pn=False) -> str:
    cond = ["TRUE"]
    if unit is not None:
        cond.append("kode_unit = $unit")
    if jenis is not None:
        cond.append("left(kode_akun, 2) = $jenis")
    if pn:
        cond.append("pn = 1")
    return " AND ".join(cond)


def akun_only_satker(store, tahun: int, satker: str | None) -> list[str]:
    """Satker (in scope) whose realisasi is only akun-level (OM-SPAN) for `tahun`."""
    cond = " AND kode_satker = $satker" if satker is not None else ""
    p = params(tahun=tahun, satker=satker)
    # realisasi_akun is small or empty: look there first, then probe realisasi per satker.
    cands = store.sql("SELECT DISTINCT kode_satker FROM realisasi_akun WHERE tahun = $tahun"
                      + cond + " ORDER BY 1", p)["kode_satker"].tolist()
    return [k for k in cands if store.scalar(
        "SELECT 1 FROM realisasi WHERE tahun = $tahun AND kode_satker = $k LIMIT 1",
        {"tahun": tahun, "k": k}) is None]


def catat_versi(df: pd.DataFrame, store, tahun, satker=None, tanggal=None, *,
                rpd_berlaku: bool = False, bulan=None) -> pd.DataFrame:
    """Say on the page which budget version (and RPD per month) the figures use; nothing
    when every scope has one version and no date was asked for (catatan_versi.kalimat;
    `bulan`: a version dated after the reported month says so)."""
    if tahun is None or "versi_anggaran" in df.attrs:
        return df
    from ..versi import rpd_rule
    from . import versi_info
    from .catatan_versi import kalimat
    rpd = rpd_berlaku and rpd_rule(tahun) == "berlaku"
    with store.anggaran(None, tanggal=tanggal) as s:
        text = kalimat(versi_info(s, tahun, satker, rpd), s.tanggal_anggaran, int(tahun), bulan)
    if text:
        df.attrs["versi_anggaran"] = text
        df.attrs["catatan"] = " ".join(t for t in (df.attrs.get("catatan"), text) if t)
    return df


@contextmanager
def rpd_berlaku(store, tahun: int):
    """The store as the deviasi reports read it: each month's RPD from the version in
    force that month when parameters/versi.yaml says so for `tahun` (DOMAIN §7)."""
    from ..versi import rpd_rule
    with store.anggaran(tahun, rpd_berlaku=rpd_rule(tahun) == "berlaku") as s:
        yield s


def params(**kw) -> dict:
    """Named SQL parameters, leaving out the ones not set (DuckDB refuses unused names)."""
    return {k: v for k, v in kw.items() if v is not None}


# -- arithmetic --------------------------------------------------------------------------

def persen(part, whole):
    """part / whole × 100, elementwise; NaN where whole is 0."""
    part = np.asarray(part, dtype=float)
    whole = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole != 0, part / whole * 100.0, np.nan)


def deviasi(rencana, realisasi):
    """|realisasi − rencana| / rencana × 100; rencana 0 → 0 (realisasi 0) or the
    configured `deviasi_rpd_nol`; NaN where realisasi is NaN (month not yet due)."""
    rencana = np.asarray(rencana, dtype=float)
    realisasi = np.asarray(realisasi, dtype=float)
    nol = float(parameters.load("deviasi").get("deviasi_rpd_nol", 100))
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.abs(realisasi - rencana) / rencana * 100.0
    dev = np.where(rencana == 0, np.where(realisasi == 0, 0.0, nol), dev)
    return np.where(np.isnan(realisasi), np.nan, dev)


def warna(deviasi_persen) -> list:
    """Colour band of parameters/deviasi.yaml (upper bounds inclusive); None for NaN."""
    pita = parameters.load("deviasi")["pita"]
    d = np.asarray(deviasi_persen, dtype=float)
    out = np.full(d.shape, None, dtype=object)
    todo = ~np.isnan(d)
    with np.errstate(invalid="ignore"):
        for band in pita:       # the first band whose upper bound holds, in file order
            hit = todo if band.get("sampai") is None else todo & (d <= float(band["sampai"]))
            out[hit] = band["warna"]
            todo &= ~hit
    return out.tolist()


def ranking_frame(df: pd.DataFrame, rank: bool = True) -> pd.DataFrame:
    """kode, nama, pagu, realisasi -> the ranking columns, sorted and numbered."""
    df = df.copy()
    df["pagu"] = df["pagu"].astype(float)
    df["realisasi"] = df["realisasi"].fillna(0).astype(float)
    df = df[df["pagu"] > 0]
    df["persen_realisasi"] = persen(df["realisasi"], df["pagu"])
    df["sisa"] = df["pagu"] - df["realisasi"]
    df = df.sort_values(["persen_realisasi", "pagu", "kode"], ascending=[False, False, True],
                        kind="mergesort").reset_index(drop=True)
    df["peringkat"] = np.arange(1, len(df) + 1)
    return df[RANKING_COLUMNS]


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


# -- totals per satker / unit kerja --------------------------------------------------------

_RPD_SUMS = ", ".join(f"sum(p.rpd_{m:02d})::DOUBLE AS rpd_{m:02d}" for m in schema.MONTHS)
_REAL_SUMS = ", ".join(f"coalesce(sum(nilai) FILTER (WHERE bulan = {m}), 0)::DOUBLE AS real_{m:02d}"
                       for m in schema.MONTHS)
# Month columns from rows already summed per (key, bulan): 12 conditional sums over a
# few rows per key instead of over every realisasi row (DECIMAL sums: same figures).
PIVOT_SUMS = ", ".join(f"sum(nilai) FILTER (WHERE bulan = {m}) AS real_{m:02d}"
                        for m in schema.MONTHS)


def _group_sql(group, satker, unit, jenis, pn) -> tuple:
    """aggregate's SQL pieces for a group: (by_unit, pok key, real_src key, names query,
    pok filter, real_src filter)."""
    by_unit = group == "unit" or unit is not None or pn
    key_p = {"satker": "p.kode_satker", "unit": "p.kode_unit", None: "''"}[group]
    key_r = {"satker": "kode_satker", "unit": "kode_unit", None: "''"}[group]
    names = {"satker": "SELECT kode_satker AS kode, nama_satker AS nama FROM satker",
             "unit": "SELECT kode_unit AS kode, nama_unit AS nama FROM unit_kerja",
             None: "SELECT '' AS kode, NULL::VARCHAR AS nama"}[group]
    pf = pok_filter("p", satker=satker, unit=unit, jenis=jenis, pn=pn)
    if group == "unit":
        pf += " AND p.kode_unit IS NOT NULL"
    return by_unit, key_p, key_r, names, pf, real_filter(unit=unit, jenis=jenis, pn=pn)


def aggregate(store, tahun: int, *, group: str | None, satker=None, unit=None, jenis=None,
              pn: bool = False, dari: int = 1, bulan: int = 12,
              monthly: bool = False) -> pd.DataFrame:
    """Pagu and realisasi per group ('satker', 'unit' or None for one row), in SQL.

    Columns: kode, nama, pagu, then realisasi (dari..bulan) or, with `monthly`,
    rpd_01..rpd_12 and real_01..real_12. Only groups with pok lines in the scope appear.
    """
    by_unit, key_p, key_r, names, pf, r_where = _group_sql(group, satker, unit, jenis, pn)
    if monthly:
        p_cols = ", " + _RPD_SUMS
        rl = (f"SELECT kode, {_REAL_SUMS} FROM (SELECT {key_r} AS kode, bulan, sum(nilai) AS "
              f"nilai FROM real_src WHERE {r_where} GROUP BY 1, 2) GROUP BY 1")
    else:
        p_cols = ""
        rl = (f"SELECT {key_r} AS kode, coalesce(sum(nilai) FILTER (WHERE bulan BETWEEN $dari "
              f"AND $bulan), 0)::DOUBLE AS realisasi FROM real_src WHERE {r_where} GROUP BY 1")
    sql = f"""
        WITH {realisasi_cte(store, satker=satker, by_unit=by_unit)},
        pg AS (SELECT {key_p} AS kode, sum(p.pagu)::DOUBLE AS pagu{p_cols}
               FROM pok p WHERE {pf} GROUP BY 1),
        rl AS ({rl}),
        nm AS ({names})
        SELECT pg.kode, nm.nama, pg.* EXCLUDE (kode), rl.* EXCLUDE (kode)
        FROM pg LEFT JOIN rl USING (kode) LEFT JOIN nm USING (kode) ORDER BY pg.kode"""
    p = params(tahun=tahun, satker=satker, unit=unit, jenis=jenis)
    if not monthly:
        p.update(dari=dari, bulan=bulan)
    df = store.sql(sql, p)
    df["nama"] = df["nama"].where(df["nama"].notna(), df["kode"])
    if monthly:
        df[[f"real_{m:02d}" for m in schema.MONTHS]] = df[
            [f"real_{m:02d}" for m in schema.MONTHS]].fillna(0.0)
    return df


def ranges(bulan: int) -> list[tuple[int, int]]:
    """Every (dari, s.d.) month range with dari ≤ s.d. ≤ bulan, in the filter's order."""
    return [(d, s) for d in range(1, bulan + 1) for s in range(d, bulan + 1)]


def aggregate_rentang(store, tahun: int, *, group: str | None, satker=None, unit=None,
                      jenis=None, pn: bool = False, bulan: int = 12,
                      per_jenis: tuple[str, ...] | None = None) -> dict:
    """{(dari, sd): aggregate(…, dari=dari, bulan=sd)} for every range up to
    `bulan`, each frame identical to aggregate's, from one pass over the realisasi; with
    `per_jenis`, {jenis: that dict for aggregate(…, jenis=jenis)}, still one pass.

    Each range's realisasi is still summed in SQL over the exact DECIMAL month sums and
    cast once, as aggregate casts it (float sums of month columns could differ in the last
    bit), and a group without any realisasi row keeps aggregate's NaN.
    """
    check_month(bulan)
    by_unit, key_p, key_r, names, pf, r_where = _group_sql(group, satker, unit, jenis, pn)
    # per jenis: the jenis belanja as one more group key instead of one query per jenis
    jp, jr = ("left(p.kode_akun, 2)", "left(kode_akun, 2)") if per_jenis else ("''", "''")
    p = params(tahun=tahun, satker=satker, unit=unit, jenis=jenis)
    base = store.sql(f"""
        WITH pg AS (SELECT {key_p} AS kode, {jp} AS jenis, sum(p.pagu)::DOUBLE AS pagu
                    FROM pok p WHERE {pf} GROUP BY 1, 2),
        nm AS ({names})
        SELECT pg.kode, pg.jenis, nm.nama, pg.pagu
        FROM pg LEFT JOIN nm USING (kode) ORDER BY pg.kode""", p)
    base["nama"] = base["nama"].where(base["nama"].notna(), base["kode"])
    rl = store.sql(f"""
        WITH {realisasi_cte(store, satker=satker, by_unit=by_unit)},
        rm AS (SELECT {key_r} AS kode, {jr} AS jenis, bulan, sum(nilai) AS nilai
               FROM real_src WHERE {r_where} GROUP BY 1, 2, 3),
        rg AS (SELECT d.range AS dari, s.range AS sd FROM range(1, $akhir + 1) d,
               range(1, $akhir + 1) s WHERE d.range <= s.range)
        SELECT kode, jenis, dari, sd, coalesce(sum(nilai) FILTER (WHERE bulan BETWEEN dari
               AND sd), 0)::DOUBLE AS realisasi
        FROM rm CROSS JOIN rg GROUP BY ALL""", p | {"akhir": bulan})
    wide = rl.pivot(index=["kode", "jenis"], columns=["dari", "sd"], values="realisasi")

    def frames(j: str) -> dict[tuple[int, int], pd.DataFrame]:
        rows = base[base["jenis"] == j].drop(columns="jenis").reset_index(drop=True)
        at = pd.MultiIndex.from_arrays([rows["kode"], [j] * len(rows)])
        out = {}
        for d, s in ranges(bulan):
            col = wide[(d, s)] if (d, s) in wide.columns else pd.Series(dtype=float)
            df = rows.copy()
            df["realisasi"] = col.reindex(at).to_numpy(dtype=float)
            out[(d, s)] = df
        return out
    return {j: frames(j) for j in per_jenis} if per_jenis else frames("")
