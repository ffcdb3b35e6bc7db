"""Budget versions (CONTRACT §1, DOMAIN §7): every change of a satker-year's POK is kept.

Tables (not canonical input; written only by the store's ingest):

- `pok` stays the budget in force now (the latest version) so that every query that does
  not care about versions reads it unchanged;
- `pok_versi`: the rows of every other version (pok columns + `versi`);
- `versi_anggaran`: one row per version of a (tahun, kode_satker): `versi` (1, 2, … in
  chronological order: by date, then revision number, then ingest), `revisi` (the DIPA
  revision number, from the source or numbered in order from 0), `tanggal` (the date it
  took effect: the source's `tanggal_revisi`; an undated first version 1 January of its
  year; another undated one the ingest date), `tanggal_dari` ('sumber' / 'awal tahun' /
  'ingest'), `ingest_id`, `baris`, `pagu`, `digest` (of its rows).

Reports read another version through a per-connection TEMP VIEW named `pok` that shadows
the stored table (`view_sql`): the budget as it stood on a date (`--per-tanggal`) and,
for the deviasi reports, each month's RPD from the version in force in that month.
"""
from __future__ import annotations

import calendar
from datetime import date

from . import parameters, schema
from .kalender import BULAN_SINGKAT

POK_COLS = schema.POK.names
_TYPES = {c.name: schema.SQL_TYPES[c.kind] for c in schema.POK.columns}
# Item key for grouping the rows of several versions (kode_subkomponen may be NULL:
# GROUP BY keeps NULL as one group, which is what an item key wants).
_KEY = schema.ITEM_KEY
_AMOUNTS = ["pagu"] + schema.RPD_COLUMNS


def create(con) -> None:
    cols = ", ".join(f"{c} {_TYPES[c]}" for c in POK_COLS)
    con.execute(f"CREATE TABLE IF NOT EXISTS pok_versi ({cols}, versi INTEGER)")
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'pok_versi' AND "
        "database_name = current_database()").fetchall()}
    for c in POK_COLS:    # a store made before an optional pok column was added
        if c not in have:
            con.execute(f"ALTER TABLE pok_versi ADD COLUMN {c} {_TYPES[c]}")
    con.execute(
        "CREATE TABLE IF NOT EXISTS versi_anggaran (tahun INTEGER, kode_satker VARCHAR, "
        "versi INTEGER, revisi INTEGER, tanggal DATE, tanggal_dari VARCHAR, "
        "ingest_id INTEGER, baris BIGINT, pagu DECIMAL(38,2), digest VARCHAR)")
    # A store written before versions existed: its pok is each scope's version 1, dated by
    # the first ingest that wrote it (the best date the store knows).
    missing = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT tahun, kode_satker FROM pok) "
        "ANTI JOIN versi_anggaran USING (tahun, kode_satker)").fetchall()[0][0]
    if missing:
        first = con.execute("SELECT CAST(min(waktu) AS DATE) FROM ingest_log").fetchall()[0][0]
        con.execute(
            f"INSERT INTO versi_anggaran SELECT tahun, kode_satker, 1, "
            f"coalesce(max(revisi), 0), coalesce(max(tanggal_revisi), ?::DATE, current_date), "
            f"CASE WHEN max(tanggal_revisi) IS NULL THEN 'ingest' ELSE 'sumber' END, NULL, "
            f"count(*), sum(pagu), {_digest_expr()} FROM pok "
            f"WHERE (tahun, kode_satker) NOT IN (SELECT (tahun, kode_satker) FROM versi_anggaran) "
            f"GROUP BY tahun, kode_satker", [first])


def _digest_expr(alias: str = "") -> str:
    """Order-independent digest of a scope's rows (multiset of whole rows)."""
    a = f"{alias}." if alias else ""
    return (f"CAST(count(*) AS VARCHAR) || ':' || CAST(sum(hash("
            + ", ".join(a + c for c in POK_COLS) + ")) AS VARCHAR)")


def apply_pok(con, incoming: str, *, today: date, ingest_id: int) -> list[dict]:
    """Load the canonical pok rows of table `incoming` (already cast to pok types) as new
    versions. Per (tahun, satker): rows identical to its current version change nothing,
    nor do rows identical to an earlier version the source numbers the same (the same
    revision ingested again); otherwise they become a new version placed by its date:
    the latest goes to `pok` (the previous current rows move to `pok_versi`), an older
    one (a revision loaded late) only to `pok_versi`. Returns the new versions."""
    cols = ", ".join(POK_COLS)
    con.execute(f"""
        CREATE TEMP TABLE _vin AS
        SELECT tahun, kode_satker, count(*) AS baris, sum(pagu) AS pagu,
               {_digest_expr()} AS digest, max(revisi) AS src_revisi,
               max(tanggal_revisi) AS src_tanggal
        FROM {incoming} GROUP BY tahun, kode_satker""")
    con.execute("""
        CREATE TEMP TABLE _vnew AS
        WITH cur AS (SELECT tahun, kode_satker, max(versi) AS n, max(revisi) AS max_revisi,
                            arg_max(digest, versi) AS digest
                     FROM versi_anggaran GROUP BY ALL),
        cand AS (
            SELECT i.*, coalesce(c.n, 0) AS n, c.max_revisi,
                   coalesce(i.src_revisi, c.max_revisi + 1, 0) AS revisi,
                   -- An undated version: the first of a year is the DIPA awal, in force from
                   -- 1 January; a numbered one sits after the lower revisions it follows;
                   -- any other is dated by the ingest, never before the versions it follows.
                   coalesce(i.src_tanggal,
                            CASE WHEN c.n IS NULL THEN make_date(i.tahun, 1, 1)
                                 WHEN i.src_revisi IS NOT NULL THEN coalesce(
                                     (SELECT max(v.tanggal) FROM versi_anggaran v
                                      WHERE v.tahun = i.tahun AND v.kode_satker = i.kode_satker
                                        AND v.revisi <= i.src_revisi),
                                     make_date(i.tahun, 1, 1))
                                 ELSE greatest($today::DATE,
                                     (SELECT max(v.tanggal) FROM versi_anggaran v
                                      WHERE v.tahun = i.tahun AND v.kode_satker = i.kode_satker))
                            END) AS tanggal,
                   CASE WHEN i.src_tanggal IS NOT NULL THEN 'sumber'
                        WHEN c.n IS NULL THEN 'awal tahun' ELSE 'ingest' END AS dari
            FROM _vin i LEFT JOIN cur c USING (tahun, kode_satker)
            WHERE c.digest IS DISTINCT FROM i.digest
              AND NOT EXISTS (SELECT 1 FROM versi_anggaran v WHERE v.tahun = i.tahun
                              AND v.kode_satker = i.kode_satker AND v.digest = i.digest
                              AND i.src_revisi IS NOT NULL AND v.revisi = i.src_revisi))
        SELECT c.*, (SELECT count(*) FROM versi_anggaran v WHERE v.tahun = c.tahun
                     AND v.kode_satker = c.kode_satker
                     AND (v.tanggal, v.revisi) <= (c.tanggal, c.revisi)) + 1 AS versi
        FROM cand c""", {"today": today})
    _refuse_out_of_order(con)
    # Later versions move up one place to make room for one loaded late.
    for table in ("versi_anggaran", "pok_versi"):
        con.execute(f"UPDATE {table} t SET versi = t.versi + 1 FROM _vnew n WHERE "
                    f"t.tahun = n.tahun AND t.kode_satker = n.kode_satker AND t.versi >= n.versi")
    # The new latest version: the rows in force so far are kept as their version.
    con.execute(f"""
        INSERT INTO pok_versi ({cols}, versi)
        SELECT {", ".join("p." + c for c in POK_COLS)}, n.n
        FROM pok p JOIN _vnew n USING (tahun, kode_satker) WHERE n.versi > n.n AND n.n > 0""")
    con.execute("DELETE FROM pok p USING _vnew n WHERE p.tahun = n.tahun AND "
                "p.kode_satker = n.kode_satker AND n.versi > n.n")
    con.execute(f"INSERT INTO pok ({cols}) SELECT {', '.join('i.' + c for c in POK_COLS)} "
                f"FROM {incoming} i JOIN _vnew n USING (tahun, kode_satker) WHERE n.versi > n.n")
    con.execute(f"""
        INSERT INTO pok_versi ({cols}, versi)
        SELECT {", ".join("i." + c for c in POK_COLS)}, n.versi
        FROM {incoming} i JOIN _vnew n USING (tahun, kode_satker) WHERE n.versi <= n.n""")
    con.execute("INSERT INTO versi_anggaran SELECT tahun, kode_satker, versi, revisi, tanggal, "
                "dari, $id, baris, pagu, digest FROM _vnew", {"id": ingest_id})
    new = con.execute("SELECT tahun, kode_satker, versi, revisi, tanggal FROM _vnew "
                      "ORDER BY ALL").fetchall()
    con.execute("DROP TABLE _vin")
    con.execute("DROP TABLE _vnew")
    return [dict(zip(("tahun", "kode_satker", "versi", "revisi", "tanggal"), r)) for r in new]


def _refuse_out_of_order(con) -> None:
    """A revision numbered higher than a kept version but dated before it (or lower and
    dated after) cannot be placed: refused, the store unchanged (the ingest rolls back)."""
    bad = con.execute("""
        SELECT n.kode_satker, n.tahun, n.revisi, n.tanggal, v.revisi, v.tanggal
        FROM _vnew n JOIN versi_anggaran v USING (tahun, kode_satker)
        WHERE n.dari = 'sumber' AND v.tanggal_dari = 'sumber'
          AND ((v.revisi < n.revisi AND v.tanggal > n.tanggal)
            OR (v.revisi > n.revisi AND v.tanggal < n.tanggal))
        ORDER BY ALL""").fetchall()
    if not bad:
        return
    from .problems import IngestError, Problem
    # the ingest's rollback drops _vin / _vnew with everything else
    raise IngestError([Problem("pok", None, "tanggal_revisi", (
        f"satker {k} tahun {t}: revisi {r} bertanggal {d:%d/%m/%Y}, sebelum revisi {vr} yang "
        f"sudah dimuat ({vd:%d/%m/%Y})" if vr < r else
        f"satker {k} tahun {t}: revisi {r} bertanggal {d:%d/%m/%Y}, sesudah revisi {vr} yang "
        f"sudah dimuat ({vd:%d/%m/%Y})") + "; periksa nomor dan tanggal revisinya")
        for k, t, r, d, vr, vd in bad])


# -- reading a version ---------------------------------------------------------------------

def rpd_rule(tahun: int) -> str:
    """'berlaku' (each month's RPD from the version in force that month, DOMAIN §7) or
    'terakhir' (the reference version's RPD for every month): parameters/versi.yaml."""
    cfg = parameters.load("versi").get("rpd_deviasi", {})
    rule = (cfg.get("per_tahun") or {}).get(int(tahun), cfg.get("bawaan", "berlaku"))
    if rule not in ("berlaku", "terakhir"):
        raise ValueError(f"parameters/versi.yaml: aturan RPD '{rule}' tidak dikenal "
                         "(pilihan: berlaku, terakhir).")
    return rule


def has_versions(con) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'versi_anggaran' AND "
        "database_name = current_database()").fetchall()[0][0])


def needs_view(con, *, tahun: int | None, tanggal_anggaran: date | None, rpd: bool) -> bool:
    """False when every scope's answer is its current pok (one version, or asking for the
    latest with one RPD): then reports read the table itself, exactly as before versions."""
    if not has_versions(con):
        return False
    year = "AND tahun = $tahun" if tahun is not None else ""
    p = {"tahun": tahun} if tahun is not None else {}
    if tanggal_anggaran is None and not rpd:
        return False
    if tanggal_anggaran is not None and not rpd:
        # a scope whose current version took effect after the date
        p["d"] = tanggal_anggaran
        return bool(con.execute(
            f"SELECT count(*) FROM (SELECT tahun, kode_satker, max(versi) AS n, "
            f"max(versi) FILTER (WHERE tanggal <= $d) AS r FROM versi_anggaran WHERE TRUE "
            f"{year} GROUP BY ALL) WHERE n > 1 AND r IS DISTINCT FROM n", p).fetchall()[0][0])
    return bool(con.execute(f"SELECT count(*) FROM versi_anggaran WHERE versi > 1 {year}",
                            p).fetchall()[0][0])


def view_sql(db: str, *, tahun: int | None, tanggal_anggaran: date | None, rpd: bool) -> str:
    """`CREATE TEMP VIEW pok`: the pok rows of each scope's reference version (the one in
    force on `tanggal_anggaran`, else the latest; before its first version a scope shows its
    first: the DIPA awal is taken as in force from the start of the year). With `rpd`,
    rpd_01..12 come from the version in force in each month (the latest dated up to the
    month's end, never after the reference), and an item of only some of those versions
    is a row too (pagu 0 when it is not in the reference version), so that the months
    before a revision keep the RPD they were planned against."""
    q = f'"{db}".main'
    d = f"DATE '{tanggal_anggaran.isoformat()}'" if tanggal_anggaran is not None else "NULL::DATE"
    year = f"WHERE tahun = {int(tahun)}" if tahun is not None else ""
    cols = ", ".join(POK_COLS)
    months = range(1, 13)
    if rpd:
        vm = ", ".join(
            f"coalesce(max(versi) FILTER (WHERE tanggal <= least(last_day(make_date(tahun, {m}, "
            f"1)), coalesce({d}, DATE '9999-12-31'))), min(versi)) AS v{m:02d}" for m in months)
    else:
        vm = ", ".join(f"NULL::INTEGER AS v{m:02d}" for m in months)
    vlist = ", ".join(f"s.v{m:02d}" for m in months)
    # A scope is 'plain' when its answer is exactly its current pok rows.
    same = " AND ".join(f"coalesce(v{m:02d}, ref) = ref" for m in months)
    others = [c for c in POK_COLS if c not in _KEY and c not in _AMOUNTS
              and c not in ("volume", "harga_satuan")]
    mixed_cols = []
    for c in POK_COLS:
        if c in _KEY:
            mixed_cols.append(f"a.{c}")
        elif c == "pagu":
            mixed_cols.append("coalesce(sum(a.pagu) FILTER (WHERE a.versi = s.ref), 0) AS pagu")
        elif c in ("volume", "harga_satuan"):
            mixed_cols.append(f"any_value(a.{c}) FILTER (WHERE a.versi = s.ref) AS {c}")
        elif c in schema.RPD_COLUMNS:
            m = c[-2:]
            mixed_cols.append(f"coalesce(sum(a.{c}) FILTER (WHERE a.versi = coalesce(s.v{m}, "
                              f"s.ref)), 0) AS {c}")
        elif c in others:
            # names and tags as the latest version holding the item writes them
            mixed_cols.append(f"arg_max(a.{c}, a.versi) AS {c}")
    return f"""CREATE OR REPLACE TEMP VIEW pok AS
        WITH va AS (SELECT * FROM {q}.versi_anggaran {year}),
        sel AS (
            SELECT *, ref = n AND ({same}) AS plain, ({same}) AS single FROM (
                SELECT tahun, kode_satker, max(versi) AS n,
                       coalesce(max(versi) FILTER (WHERE tanggal <= coalesce({d},
                                DATE '9999-12-31')), min(versi)) AS ref, {vm}
                FROM va GROUP BY tahun, kode_satker)),
        special AS (SELECT * FROM sel WHERE NOT plain),
        allv AS (
            SELECT {cols}, s.n AS versi FROM {q}.pok JOIN special s USING (tahun, kode_satker)
            UNION ALL
            SELECT {cols}, versi FROM {q}.pok_versi JOIN special s USING (tahun, kode_satker))
        SELECT {cols} FROM {q}.pok p
        WHERE NOT EXISTS (SELECT 1 FROM special s WHERE s.tahun = p.tahun
                          AND s.kode_satker = p.kode_satker)
        UNION ALL
        SELECT {cols} FROM (SELECT a.* EXCLUDE (versi) FROM allv a JOIN special s
                            USING (tahun, kode_satker) WHERE s.single AND a.versi = s.ref)
        UNION ALL
        SELECT {cols} FROM (
            SELECT {", ".join(mixed_cols)}
            FROM allv a JOIN special s USING (tahun, kode_satker)
            WHERE NOT s.single AND a.versi <= s.ref AND list_contains([s.ref, {vlist}], a.versi)
            GROUP BY {", ".join("a." + k for k in _KEY)}, s.ref, {vlist})"""


def used(con, *, tahun: int, satker: str | None, tanggal_anggaran: date | None,
         rpd: bool) -> list[dict]:
    """Which version each scope's figures come from, for the page's note: per satker the
    reference version and, with `rpd`, the version of each month."""
    if not has_versions(con):
        return []
    d = tanggal_anggaran or date(9999, 12, 31)
    rows = con.execute(
        "SELECT kode_satker, versi, revisi, tanggal FROM versi_anggaran WHERE tahun = $t"
        + (" AND kode_satker = $s" if satker is not None else "") + " ORDER BY 1, 2",
        {"t": tahun, **({"s": satker} if satker is not None else {})}).fetchall()
    out: dict[str, dict] = {}
    for kode, versi, revisi, tanggal in rows:
        out.setdefault(kode, {"kode_satker": kode, "versi": []})["versi"].append(
            (versi, revisi, tanggal))
    result = []
    for kode, info in out.items():
        vs = info["versi"]
        ref = max([v for v in vs if v[2] <= d] or [vs[0]])
        months = {}
        for m in range(1, 13):
            end = min(_month_end(tahun, m), d)
            months[m] = (max([v for v in vs if v[2] <= end and v[0] <= ref[0]] or [vs[0]])
                         if rpd else ref)
        result.append({"kode_satker": kode, "jumlah_versi": len(vs), "acuan": ref,
                       "bulan": months})
    return result


def _month_end(tahun: int, m: int) -> date:
    return date(tahun, m, calendar.monthrange(tahun, m)[1])


BULAN = BULAN_SINGKAT         # kalender.py: the month names, once


def note(info: list[dict], tanggal_anggaran: date | None) -> str | None:
    """One sentence for the page: which budget version (and, by month, which RPD) the
    figures use. None when every scope has a single version and no date was asked for."""
    if not info or (tanggal_anggaran is None and all(i["jumlah_versi"] == 1 for i in info)):
        return None
    parts = []
    for i in info:
        v, rev, tgl = i["acuan"]
        text = f"satker {i['kode_satker']}: POK revisi {rev} (berlaku {tgl.isoformat()})"
        runs = []
        for m in range(1, 13):
            ver = i["bulan"][m]
            if runs and runs[-1][2] == ver:
                runs[-1][1] = m
            else:
                runs.append([m, m, ver])
        if len(runs) > 1:
            text += "; RPD " + ", ".join(
                (f"{BULAN[a - 1]}–{BULAN[b - 1]}" if a != b else BULAN[a - 1])
                + f" revisi {ver[1]}" for a, b, ver in runs)
        parts.append(text)
    head = (f"Anggaran per tanggal {tanggal_anggaran.isoformat()}" if tanggal_anggaran else
            "Anggaran terakhir")
    if len(parts) > 5:
        changed = [p for p, i in zip(parts, info) if i["jumlah_versi"] > 1]
        return (f"{head}; {len(info) - len(changed)} satker satu versi; " + "; ".join(changed[:5])
                + (f"; dan {len(changed) - 5} satker lain" if len(changed) > 5 else "") + ".")
    return f"{head}: " + "; ".join(parts) + "."
