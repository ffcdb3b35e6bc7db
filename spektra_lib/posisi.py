"""What a page needs to know about its scope's data, without reading the data itself:
`posisi_data` (CONTRACT §3: the latest date in the scope's data, never the render date)
and a per-scope fingerprint (incremental render: a page is made again only when its own
scope's data changed). Used through Store.posisi_data / Store.scope_fingerprint."""
from __future__ import annotations

import hashlib
from datetime import date

# Tables with a tahun column whose rows belong to one satker, and what else a satker's
# pages read: its name and unit kerja, its SPP of the year, the year's targets. The IKPA
# inputs too: its page reads revisions, projections, dispensations and the official score.
_PER_SATKER = ["pok", "pok_versi", "versi_anggaran", "realisasi", "realisasi_akun",
               "ro_target", "capaian_ro", "kontrak", "setoran", "revisi_dipa", "ro_proyeksi",
               "dispensasi_spm", "ikpa_resmi"]


def _tables(store) -> set[str]:
    return {r[0] for r in store.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()")
        .fetchall()}


def posisi_data(store, tahun: int, satker: str | None = None,
                unit: str | None = None) -> date | None:
    """The latest date in the data of the scope: payment dates (realisasi, OM-SPAN
    realisasi), the end of a period a file covers (cakupan_sumber) and the SPP register's
    SP2D / SPM / SPP dates of `tahun`. A unit kerja's
    scope counts the realisasi of its own POK items and its own SPP. None: no dated data."""
    p: dict = {"t": tahun}
    s_cond = ""
    if satker is not None:
        s_cond = " AND kode_satker = $s"
        p["s"] = satker
    if unit is not None:
        p["u"] = unit
        real = ("SELECT max(r.tanggal) AS d FROM realisasi r WHERE r.tahun = $t"
                + s_cond.replace("kode_satker", "r.kode_satker")
                + " AND EXISTS (SELECT 1 FROM pok q WHERE q.tahun = r.tahun AND q.kode_satker"
                " = r.kode_satker AND q.kode_unit = $u AND q.kode_program = r.kode_program AND "
                "q.kode_kegiatan = r.kode_kegiatan AND q.kode_kro = r.kode_kro AND q.kode_ro = "
                "r.kode_ro AND q.kode_komponen = r.kode_komponen AND q.kode_subkomponen IS NOT "
                "DISTINCT FROM r.kode_subkomponen AND q.kode_akun = r.kode_akun AND q.no_item = "
                "r.no_item)")
        spp = "AND kode_unit = $u"
        akun = None     # OM-SPAN lines name no unit kerja
    else:
        real = f"SELECT max(tanggal) AS d FROM realisasi WHERE tahun = $t{s_cond}"
        spp = ""
        akun = f"SELECT max(tanggal) AS d FROM realisasi_akun WHERE tahun = $t{s_cond}"
    if unit is None and "cakupan_sumber" in _tables(store):
        # a file that covers a period (GLP039 "s.d. Maret") is data up to its end, also
        # when nothing was paid in its last month
        akun = (akun + " UNION ALL " if akun else "") + (
            "SELECT max(last_day(make_date(tahun, bulan_akhir, 1))) AS d FROM "
            f"cakupan_sumber WHERE tahun = $t{s_cond}")
    parts = [real] + ([akun] if akun else []) + [
        f"SELECT max(greatest(tgl_spp, coalesce(tgl_spm, tgl_spp), coalesce(tgl_sp2d, tgl_spp))) "
        f"AS d FROM spp WHERE year(tgl_spp) = $t{s_cond} {spp}"]
    value = store.scalar("SELECT max(d) FROM (" + " UNION ALL ".join(parts) + ")", p)
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def satuan_sumber(store, tahun: int, satker: str | None = None,
                  unit: str | None = None) -> list[dict]:
    """The unit each Excel report of the scope was read in (satuan_sumber: tabel, berkas,
    satuan, bukti, kode_satker), a unit kerja's being its satker's. [] when none was
    recorded (canonical input, or a store made before the table)."""
    if "satuan_sumber" not in _tables(store):
        return []
    p: dict = {"t": tahun}
    cond = ""
    if satker is None and unit is not None:
        satker = store.scalar("SELECT kode_satker FROM unit_kerja WHERE kode_unit = $u",
                              {"u": unit})
        if satker is None:
            return []
    if satker is not None:
        cond, p["s"] = " AND kode_satker = $s", satker
    df = store.sql("SELECT DISTINCT kode_satker, tabel, berkas, satuan, bukti FROM "
                   f"satuan_sumber WHERE tahun = $t{cond} ORDER BY tabel, kode_satker, berkas",
                   p)
    return df.to_dict("records")


def scope_fingerprints(store, tahun: int) -> dict[str, str]:
    """{kode_satker: digest} for `tahun`: changes iff something a satker's own pages read
    changes (its POK and versions, realisasi, capaian, SPP, name, unit kerja, or the
    year's targets, which every page of the year reads). One query per table for all
    satker at once (a render asks for all of them)."""
    columns: dict[str, list[str]] = {}      # every table's columns in one query
    for table, col in store.con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t "
            "USING (database_name, schema_name, table_name) WHERE "
            "c.database_name = current_database() ORDER BY 1, c.column_index").fetchall():
        columns.setdefault(table, []).append(col)
    acc: dict[str, list] = {}

    def add(sql: str, params: dict, label: str):
        for kode, n, h in store.con.execute(sql, params).fetchall():
            acc.setdefault(kode, []).append((label, n, str(h)))

    def row_hash(table: str) -> str:
        return f"sum(hash({', '.join(columns[table])}))"

    for t in _PER_SATKER:
        if t in columns:
            add(f"SELECT kode_satker, count(*), {row_hash(t)} FROM {t} WHERE tahun = $t "
                "GROUP BY 1", {"t": tahun}, t)
    add(f"SELECT kode_satker, count(*), {row_hash('spp')} FROM spp WHERE year(tgl_spp) = $t "
        "GROUP BY 1", {"t": tahun}, "spp")
    add(f"SELECT kode_satker, count(*), {row_hash('satker')} FROM satker GROUP BY 1", {},
        "satker")
    add(f"SELECT kode_satker, count(*), {row_hash('unit_kerja')} FROM unit_kerja GROUP BY 1",
        {}, "unit_kerja")
    shared = store.con.execute(
        f"SELECT count(*), {row_hash('target_penyerapan')} FROM target_penyerapan "
        "WHERE tahun = $t", {"t": tahun}).fetchall()
    return {k: hashlib.sha256(repr((sorted(v), shared)).encode()).hexdigest()[:16]
            for k, v in acc.items()}


def scope_fingerprint_map(store, tahun: int) -> dict[str | None, str]:
    """Every scope's fingerprint of `tahun` at once: {kode_satker: digest}, and under None
    the whole year's (agency-wide pages change when any satker's data does). Cached on the
    store per content: a render asks for one per page, and asking the content digest for
    each of 1,000 satker was itself a query per satker."""
    prints = store.__dict__.setdefault("_scope_prints", {})
    key = (tahun, store.fingerprint())
    if key not in prints:
        prints.clear()
        fp: dict[str | None, str] = dict(scope_fingerprints(store, tahun))
        fp[None] = hashlib.sha256(repr(sorted(fp.items())).encode()).hexdigest()[:16]
        prints[key] = fp
    return prints[key]


def scope_fingerprint(store, tahun: int, satker: str | None = None) -> str:
    """One satker's fingerprint, or with satker None the whole year's."""
    return scope_fingerprint_map(store, tahun).get(satker, "kosong")


__all__ = ["posisi_data", "satuan_sumber", "scope_fingerprint", "scope_fingerprint_map", "scope_fingerprints"]
