"""The embedded store: one DuckDB file, one transaction per ingest, an ingest log.

Access (who may see which satker) is checked here, where the data is queried, never in
a page: every report asks `check_scope` before it reads a scope.
"""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from . import provenance, schema, versi
from .problems import AksesDitolak, StoreSedangDipakai, StoreTidakSah, safe_text

# What the content digest covers: the canonical tables and the kept budget versions.
CONTENT_TABLES = list(schema.TABLES) + ["pok_versi", "versi_anggaran"]


def default_path() -> Path:
    """SPEKTRA_STORE or its default (declared once, in settings.py)."""
    from .settings import settings
    return Path(settings().store)


# Roles, their powers and a user's scopes: rights.py (re-exported here, where they are
# enforced).
from .rights import FULL_ACCESS, MENGELOLA, PERAN, Access, lingkup_dari  # noqa: E402,F401


@dataclass
class IngestSummary:
    layout: str
    rows: dict[str, int]
    files: list[dict] = field(default_factory=list)
    changed: bool = True
    versions: list[dict] = field(default_factory=list)   # new budget versions (versi.py)
    changes: list = field(default_factory=list)    # realisasi per satker (updates.py)
    warnings: list = field(default_factory=list)   # Problems worth a look, not refusals
    satker_names: dict = field(default_factory=dict)


class Store:
    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 access: Access = FULL_ACCESS):
        self.path = Path(path) if path is not None else default_path()
        self.access = access
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if read_only and not self.path.exists():
            raise FileNotFoundError(
                f"Store {self.path} belum ada: jalankan dulu `spektra ingest FOLDER`.")
        # DuckDB's own progress bar would interleave with ours (tqdm) on long ingests.
        self.con, self._db = _connect(self.path, read_only)
        # the file a reader attached (shared with with_access copies): see refresh()
        self._stamp = {"file": _file_stamp(self.path) if self._db is not None else None}
        self.con.execute("SET enable_progress_bar = false")
        self.tanggal_anggaran = None     # set on a view of the budget as it stood on a date
        if not read_only:
            self._create()

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def with_access(self, access: Access) -> "Store":
        """The same connection seen by another user (a Voilà session, a scoped bundle)."""
        other = object.__new__(Store)
        other.path, other.con, other.access = self.path, self.con, access
        other._db, other.tanggal_anggaran = self._db, self.tanggal_anggaran
        other._stamp = self._stamp
        return other

    @property
    def file_stamp(self):
        """Which file a reader has attached (changes when refresh() takes a new one)."""
        return self._stamp["file"]

    def refresh(self) -> "Store":
        """A reader whose file an ingest has since swapped (os.replace, swap.py) attaches
        the new file in place, so that a kept reader — a Voilà kernel, a notebook — sees
        the new data on its next request without a restart (issue 14 §6). Cheap (one
        stat) when nothing changed; a no-op for a writer."""
        if self._db is None:
            return self
        now = _file_stamp(self.path)
        if now is None or now == self._stamp["file"]:
            return self
        quoted = str(self.path).replace("'", "''")
        self.con.execute("USE memory")
        self.con.execute(f"DETACH {self._db}")
        self.con.execute(f"ATTACH '{quoted}' AS {self._db} (READ_ONLY)")
        self.con.execute(f"USE {self._db}")
        self._stamp["file"] = now
        return self

    def cursor(self):
        """A connection of its own to the same database (registrations and temp views
        stay there), with the store as its default database."""
        cur = self.con.cursor()
        if self._db is not None:
            cur.execute(f'USE "{self._db}"')
        return cur

    @contextmanager
    def anggaran(self, tahun: int | None = None, *, tanggal: date | None = None,
                 rpd_berlaku: bool = False):
        """This store with `pok` read as the budget in force on `tanggal` (else this
        store's own date, else the latest) and, with `rpd_berlaku`, each month's RPD from
        the version in force in that month (versi.view_sql). Yields the store itself when
        no scope of `tahun` needs another version, so single-version figures are the
        table's own."""
        d = tanggal if tanggal is not None else self.tanggal_anggaran
        if not versi.needs_view(self.con, tahun=tahun, tanggal_anggaran=d, rpd=rpd_berlaku):
            if d == self.tanggal_anggaran:
                yield self
            else:       # the same connection, remembering the date for nested views
                same = self.with_access(self.access)
                same.tanggal_anggaran = d
                yield same
            return
        other = self.with_access(self.access)
        other.con = self.cursor()
        other.tanggal_anggaran = d
        try:
            db = self._db or self.con.execute("SELECT current_database()").fetchall()[0][0]
            other.con.execute(versi.view_sql(db, tahun=tahun, tanggal_anggaran=d, rpd=rpd_berlaku))
            yield other
        finally:
            other.con.close()

    def versi_dipakai(self, tahun: int, satker: str | None = None, *,
                      rpd_berlaku: bool = False) -> str | None:
        """The sentence saying which budget version (and RPD per month) a report used."""
        info = versi.used(self.con, tahun=tahun, satker=satker, tanggal_anggaran=self.tanggal_anggaran,
                          rpd=rpd_berlaku)
        return versi.note(info, self.tanggal_anggaran)

    def budget_versions(self, tahun: int | None = None, satker: str | None = None):
        """versi_anggaran rows (one per budget version), oldest first."""
        cond, p = [], {}
        if tahun is not None:
            cond.append("tahun = $t"); p["t"] = tahun
        if satker is not None:
            cond.append("kode_satker = $s"); p["s"] = satker
        where = ("WHERE " + " AND ".join(cond)) if cond else ""
        return self.sql(f"SELECT * FROM versi_anggaran {where} ORDER BY tahun, kode_satker, "
                        "versi", p)

    def _create(self) -> None:
        for t in schema.TABLES.values():
            cols = ", ".join(f"{c.name} {schema.SQL_TYPES[c.kind]}" for c in t.columns)
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {t.name} ({cols})")
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND "
                "database_name = current_database()", [t.name]).fetchall()}
            for c in t.columns:   # a store made before an optional column was added
                if c.name not in have:
                    self.con.execute(f"ALTER TABLE {t.name} ADD COLUMN {c.name} "
                                     f"{schema.SQL_TYPES[c.kind]}")
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS ingest_log (waktu TIMESTAMP, layout VARCHAR, "
            "sumber VARCHAR, berkas JSON, baris JSON, digest VARCHAR, id INTEGER, "
            "lingkup JSON)")
        have = {r[0] for r in self.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'ingest_log' AND "
            "database_name = current_database()").fetchall()}
        if "id" not in have:   # a log written before ingests were numbered (riwayat)
            self.con.execute("ALTER TABLE ingest_log ADD COLUMN id INTEGER")
            self.con.execute("ALTER TABLE ingest_log ADD COLUMN lingkup JSON")
            self.con.execute("UPDATE ingest_log l SET id = n.i FROM (SELECT waktu, digest, "
                             "row_number() OVER (ORDER BY waktu) AS i FROM ingest_log) n "
                             "WHERE l.waktu = n.waktu AND l.digest IS NOT DISTINCT FROM n.digest")
        provenance.create(self.con)
        versi.create(self.con)
        _create_realisasi_bulan(self.con)

    # -- queries ---------------------------------------------------------------
    def sql(self, query: str, params: list | dict | None = None) -> pd.DataFrame:
        return self.con.execute(query, params or []).df()

    def scalar(self, query: str, params: list | dict | None = None):
        # fetchall, not fetchone: DuckDB 2.x keeps an unfinished result on the connection
        # and refuses the next register() ("ResourceInUseException … unfinished result").
        rows = self.con.execute(query, params or []).fetchall()
        return rows[0][0] if rows else None

    def fingerprint(self) -> str:
        """Changes whenever the stored data changes (used to skip up-to-date renders)."""
        kept = self._stamp.get("fingerprint")
        if self._db is not None and kept is not None and kept[0] == self._stamp["file"]:
            return kept[1]      # a reader's attached file never changes (refresh: a new one)
        digest = self.scalar("SELECT digest FROM ingest_log ORDER BY waktu DESC LIMIT 1")
        digest = digest if digest is not None else "kosong"
        if self._db is not None:
            self._stamp["fingerprint"] = (self._stamp["file"], digest)
        return digest

    def posisi_data(self, tahun: int, satker: str | None = None, unit: str | None = None):
        """Posisi data (CONTRACT §3): the latest date in the scope's data (a date or
        None), e.g. the last SP2D; never the render time."""
        from .posisi import posisi_data
        return posisi_data(self, tahun, satker, unit)

    def scope_fingerprint(self, tahun: int, satker: str | None = None) -> str:
        """Changes iff the data a satker's own pages read changes (None: any satker of
        the year, for agency-wide pages). For incremental render."""
        from .posisi import scope_fingerprint
        return scope_fingerprint(self, tahun, satker)

    def check_scope(self, satker: str | None = None, unit: str | None = None, *,
                    public: bool = False) -> None:
        """Raise AksesDitolak unless the current user may read this scope.

        `public` marks the dashboard's agency-wide figures, which every role may see.
        """
        a = self.access
        owner = None
        if unit is not None and not (a.sees_all or public or a.hanya_dashboard):
            owner = self.scalar("SELECT kode_satker FROM unit_kerja WHERE kode_unit = ?", [unit])
        why = a.tolak(satker, unit, public=public, pemilik_unit=owner)
        if why:
            raise AksesDitolak(why)

    # -- ingest ----------------------------------------------------------------
    def ingest(self, tables: dict[str, pd.DataFrame], *, layout: str, source: str = "",
               files: list[Path] = (), satuan: list[dict] = (),
               cakupan: list[dict] = (), sumber: list[dict] = ()) -> IngestSummary:
        """Replace, in one transaction, the rows whose scope appears in `tables`.

        `tables` are canonical and already validated. On any error nothing changes.
        `satuan`: the unit each Excel report was read in (Batch.satuan) -> satuan_sumber.
        `cakupan`: the months a file declares it covers (Batch.cakupan): a dated table
        replaces them too, beyond its lines' first to last month -> cakupan_sumber.
        `sumber`: the layout of each file feeding a dated table (Batch.sumber) -> sumber_tabel.
        """
        file_info = [{"berkas": str(p), "sha256": _sha256(p)} for p in files]
        rows = {name: int(len(df)) for name, df in tables.items()}
        # Every change goes through here and logs its digest, so the last one is the
        # current content: no second full scan.
        before = self.fingerprint()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        new_versions: list[dict] = []
        try:
            ingest_id = int(con.execute("SELECT coalesce(max(id), 0) + 1 FROM ingest_log")
                            .fetchall()[0][0])
            for name, t in schema.TABLES.items():
                if name not in tables:
                    continue
                df = tables[name].reindex(columns=t.names)
                con.register("_incoming", df)
                casts = ", ".join(
                    f"CAST({c.name} AS {schema.SQL_TYPES[c.kind]}) AS {c.name}"
                    for c in t.columns)
                if name == "pok":
                    # a changed budget is a new version; the earlier ones are kept
                    con.execute(f"CREATE TEMP TABLE _pok_in AS SELECT {casts} FROM _incoming")
                    con.unregister("_incoming")
                    new_versions = versi.apply_pok(con, "_pok_in", today=_today(),
                                                   ingest_id=ingest_id)
                    con.execute("DROP TABLE _pok_in")
                    continue
                if t.scope:
                    declared = provenance.declare(con, t, cakupan)
                    con.execute(_replace_sql(t, casts, declared))
                con.execute(f"INSERT INTO {name} ({', '.join(t.names)}) "
                            f"SELECT {casts} FROM _incoming")
                con.unregister("_incoming")
            if "realisasi" in tables:
                _refresh_realisasi_bulan(con, tables["realisasi"],
                                         provenance.declare(con, schema.REALISASI, cakupan))
            provenance.record(con, tables, {"satuan_sumber": satuan, "cakupan_sumber": cakupan,
                                            "sumber_tabel": sumber},
                              ingest_id)
            after = self._content_digest()
            lingkup = _lingkup(tables, new_versions)
            # safe_text: a path with undecodable bytes is not valid UTF-8 for DuckDB
            con.execute("INSERT INTO ingest_log (waktu, layout, sumber, berkas, baris, digest, "
                        "id, lingkup) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [datetime.now(), layout, safe_text(source), json.dumps(file_info),
                         json.dumps(rows), after, ingest_id, json.dumps(lingkup)])
            con.execute("COMMIT")
        except Exception as e:
            con.execute("ROLLBACK")
            if isinstance(e, (duckdb.ConversionException, duckdb.OutOfRangeException)):
                # validate.py refuses such values first; should one still slip through,
                # the user gets a sentence (and the store is as it was), not a traceback
                from .problems import IngestError, Problem
                raise IngestError([Problem(safe_text(source) or "-", None, name, (
                    f"tabel {name} tidak dapat disimpan: ada nilai di luar jangkauan tipe "
                    "kolomnya di store"))]) from e
            raise
        return IngestSummary(layout, rows, file_info, changed=before != after,
                             versions=new_versions)

    def _content_digest(self) -> str:
        """Order-independent digest of every table's content (changes iff the data does),
        budget versions included."""
        have = {r[0] for r in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()")
            .fetchall()}
        parts = [self.con.execute(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {name}")
                 .fetchall() for name in CONTENT_TABLES if name in have]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]

    def content_digest(self) -> str:
        """The digest of the content now (recomputed, not read from the log)."""
        return self._content_digest()

    def counts(self) -> dict[str, int]:
        return {name: int(self.scalar(f"SELECT count(*) FROM {name}")) for name in schema.TABLES}

    def ingest_log(self) -> pd.DataFrame:
        return self.sql("SELECT * FROM ingest_log ORDER BY waktu")


# -- realisasi_bulan (added for report speed, issue 7) ----------------------------------
# Realisasi summed per item × month, derived from `realisasi` and refreshed for the
# ingested (tahun, satker) inside the ingest transaction, so that reports never rescan
# millions of lines. DECIMAL sums are exact, so summing these gives the same figures as
# summing the lines. Not a canonical table: not in the content digest or counts().


def _create_realisasi_bulan(con) -> None:
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                         "'realisasi_bulan' AND database_name = current_database()").fetchall()[0][0]
    if exists:
        return
    cols = ", ".join(f"{c} VARCHAR" for c in schema.ITEM_KEY if c != "tahun")
    con.execute(f"CREATE TABLE realisasi_bulan (tahun INTEGER, {cols}, bulan INTEGER, "
                "nilai DECIMAL(38,2))")
    _fill_realisasi_bulan(con, "TRUE")   # a store made before this table existed


def _fill_realisasi_bulan(con, where: str) -> None:
    keys = ", ".join(schema.ITEM_KEY)
    # Ordered by (tahun, satker) so that a one-satker query skips the other row groups.
    con.execute(f"INSERT INTO realisasi_bulan SELECT {keys}, month(tanggal) AS bulan, "
                f"sum(nilai) FROM realisasi r WHERE {where} GROUP BY ALL "
                f"ORDER BY {keys}, bulan")


def _refresh_realisasi_bulan(con, incoming: pd.DataFrame, declared: str | None = None) -> None:
    """The month sums of the months the incoming realisasi covers (the rows it replaced,
    _replace_sql), per satker: a June-only update re-sums June, not the whole year."""
    con.register("_rb_in", incoming[["tahun", "kode_satker", "tanggal"]])
    con.execute("CREATE TEMP TABLE _rb_scope AS " + _covered_sql(
        schema.REALISASI, "(SELECT CAST(tahun AS INTEGER) AS tahun, CAST(kode_satker AS "
        "VARCHAR) AS kode_satker, CAST(tanggal AS DATE) AS tanggal FROM _rb_in) _i", declared))
    con.unregister("_rb_in")
    # Inside the ingest transaction: on an error the rollback drops _rb_scope too.
    con.execute("DELETE FROM realisasi_bulan b USING _rb_scope s WHERE b.tahun = s.s0 "
                "AND b.kode_satker = s.s1 AND b.bulan BETWEEN s.m0 AND s.m1")
    _fill_realisasi_bulan(con, "EXISTS (SELECT 1 FROM _rb_scope s WHERE s.s0 = r.tahun "
                               "AND s.s1 = r.kode_satker AND month(r.tanggal) BETWEEN s.m0 "
                               "AND s.m1)")
    con.execute("DROP TABLE _rb_scope")


def _covered_sql(t: "schema.Table", incoming: str, declared: str | None = None) -> str:
    """Per scope of a dated table's incoming rows (`incoming` aliased _i), the months they
    cover: scope values s0, s1, … and the first and last month m0, m1 (issue 27), widened
    by the months a file declares it covers (`declared`, provenance.declare) for a scope it has
    rows of."""
    scope_cols = ", ".join(f"{_scope_expr(c, '_i')} AS s{i}" for i, c in enumerate(t.scope))
    rows = (f"SELECT {scope_cols}, min(month(_i.{t.period})) AS m0, "
            f"max(month(_i.{t.period})) AS m1 FROM {incoming} GROUP BY ALL")
    if declared is None:
        return rows
    s = ", ".join(f"s{i}" for i in range(len(t.scope)))
    same = " AND ".join(f"_d.s{i} = _r.s{i}" for i in range(len(t.scope)))
    return (f"SELECT {s}, min(m0) AS m0, max(m1) AS m1 FROM (SELECT * FROM ({rows}) _r "
            f"UNION ALL SELECT _d.* FROM {declared} _d WHERE EXISTS (SELECT 1 FROM ({rows}) "
            f"_r WHERE {same})) GROUP BY ALL")


def _replace_sql(t: "schema.Table", casts: str, declared: str | None = None) -> str:
    """DELETE of the stored rows an incoming table supersedes: its scopes, and for a
    dated table only the months from the first to the last month of each scope's new
    rows (plus any stored row with the key of a new one, so a keyed row never doubles)."""
    cond = " AND ".join(f"{_scope_expr(c, '_t')} IS NOT DISTINCT FROM _s.s{i}"
                        for i, c in enumerate(t.scope))
    scope_cols = ", ".join(f"{_scope_expr(c, '_i')} AS s{i}" for i, c in enumerate(t.scope))
    incoming = f"(SELECT {casts} FROM _incoming) _i"
    if t.period is None:
        return (f"DELETE FROM {t.name} _t WHERE EXISTS (SELECT 1 FROM "
                f"(SELECT DISTINCT {scope_cols} FROM {incoming}) _s WHERE {cond})")
    covered = (f"DELETE FROM {t.name} _t WHERE EXISTS (SELECT 1 FROM "
               f"({_covered_sql(t, incoming, declared)}) _s WHERE {cond} "
               f"AND month(_t.{t.period}) BETWEEN _s.m0 AND _s.m1)")
    if not t.key:
        return covered
    same_key = " AND ".join(f"_t.{k} IS NOT DISTINCT FROM _k.{k}" for k in t.key)
    return (covered + f"; DELETE FROM {t.name} _t WHERE EXISTS (SELECT 1 FROM "
            f"(SELECT {', '.join(t.key)} FROM {incoming}) _k WHERE {same_key})")


def _scope_expr(entry: str, alias: str) -> str:
    """A Table.scope entry (`col` or `year(col)`) as SQL on `alias`."""
    if entry.endswith(")"):
        fn, col = entry[:-1].split("(")
        return f"{fn}({alias}.{col})"
    return f"{alias}.{entry}"


def _today() -> date:
    """The date an ingest dates a budget version by when the source gives none."""
    return date.today()


def _lingkup(tables: dict[str, pd.DataFrame], new_versions: list[dict]) -> dict:
    """What an ingest touched, for `spektra riwayat`: years, satker, new budget versions."""
    tahun, satker = set(), set()
    for df in tables.values():
        if "tahun" in df.columns:
            tahun.update(int(t) for t in pd.unique(df["tahun"].dropna()))
        if "kode_satker" in df.columns:
            satker.update(str(k) for k in pd.unique(df["kode_satker"].dropna()))
    return {"tahun": sorted(tahun), "satker": sorted(satker),
            "versi": [{"tahun": int(v["tahun"]), "satker": v["kode_satker"],
                       "versi": int(v["versi"]), "revisi": int(v["revisi"]),
                       "tanggal": v["tanggal"].isoformat()} for v in new_versions]}


def _connect(path: Path, read_only: bool):
    """duckdb.connect with the two refusals a user meets as sentences: the file held by
    another process (one writer at a time), and a file that is not a DuckDB store.

    Returns (connection, database name to USE or None). A reader attaches the file to an
    in-memory database of its own rather than using duckdb.connect(path): DuckDB caches
    one instance per path in a process, so a second reader opened after an ingest swapped
    in a new file (swap.py) would otherwise still see the old one while the first is open."""
    if path.is_dir():
        raise StoreTidakSah(f"{safe_text(path)} adalah folder, bukan berkas store; berikan "
                            "--store (atau SPEKTRA_STORE) berupa berkas, mis. "
                            f"{safe_text(path / 'spektra.duckdb')}.")
    if path.is_file() and path.stat().st_size:
        # DuckDB 2.x opens an existing CSV/Parquet given as the store as a data file: an
        # ingest would then "load" into memory and keep nothing. Its files say DUCK here.
        with open(path, "rb") as f:
            magic = f.read(12)[8:12]
        if magic != b"DUCK":
            raise StoreTidakSah(f"{safe_text(path)} bukan berkas store DuckDB SPEKTRA; periksa "
                                "--store atau SPEKTRA_STORE.")
    try:
        if read_only:
            return _attach(path)
        return duckdb.connect(str(path), read_only=read_only), None
    except duckdb.IOException as e:
        text = str(e)
        if "Could not set lock" in text or "Conflicting lock" in text:
            import re
            m = re.search(r"held in (.+?) \(PID (\d+)\)", text)
            who = f"PID {m.group(2)}, {Path(m.group(1)).name}" if m else "proses lain"
            raise StoreSedangDipakai(
                f"Store {safe_text(path)} sedang dipakai proses lain ({who}); coba lagi "
                "setelah proses itu selesai.") from e
        if "not a valid DuckDB database" in text:
            raise StoreTidakSah(f"{safe_text(path)} bukan berkas store DuckDB SPEKTRA; periksa "
                                "--store atau SPEKTRA_STORE.") from e
        raise


def _file_stamp(path: Path):
    try:
        st = path.stat()
    except OSError:      # mid-swap or removed: keep what is attached
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _attach(path: Path):
    con = duckdb.connect(":memory:")
    try:
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS spektra (READ_ONLY)")
    except duckdb.Error as e:
        con.close()
        if "already attached" in str(e) or "Unique file handle" in str(e):
            # this process holds the store read-write (a test, a notebook that ingests):
            # share that instance, as duckdb.connect does
            return duckdb.connect(str(path), read_only=True), None
        raise
    con.execute("USE spektra")
    return con, "spektra"


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
