"""The up-to-date check of `spektra render` (issue 14 §8) costs no query per satker and
hashes each notebook once: at 1,000 satker it checks ~9,100 pages in about a second
(benchmarks/render_incremental.py)."""
from __future__ import annotations

from pathlib import Path


from reports_fixture import item, load, real, satker_rows
from spektra_lib.render import runner
from spektra_lib.render.matrix import load_matrix, plan, scopes_from_store
from spektra_lib.store import Store

PATH = "WA.4843.EBA.994.001.A.521211.1"


class Counting:
    """A connection that counts the statements run through it."""

    def __init__(self, con):
        self.con, self.n = con, 0

    def execute(self, *a, **kw):
        self.n += 1
        return self.con.execute(*a, **kw)

    def __getattr__(self, name):
        return getattr(self.con, name)


def _store(path: Path, n: int) -> Path:
    kode = [f"6{i:05d}" for i in range(n)]
    with Store(path) as s:
        load(s, satker=satker_rows(*[(k, f"Kanreg {k}", "KANREG") for k in kode]),
             pok=[item(k, PATH, 1_000_000, [100_000] * 10 + [0, 0]) for k in kode],
             realisasi=[real(k, PATH, "2022-03-20", 50_000) for k in kode])
    return path


def _check(tmp_path: Path, n: int, monkeypatch) -> tuple[int, int, int]:
    """(pages, statements run, notebooks hashed) of the check over a store of n satker."""
    store = _store(tmp_path / f"s{n}.duckdb", n)
    hashed = []
    sha = runner._sha
    monkeypatch.setattr(runner, "_sha", lambda p: hashed.append(p) or sha(p))
    with Store(store, read_only=True) as st:
        jobs = plan(scopes_from_store(st), load_matrix(), tahun=2022, bulan=5, store=store,
                    out=tmp_path / "site", notebooks=runner.NOTEBOOKS)
        st.con = counting = Counting(st.con)
        todo, keys = runner.stale(jobs, st, {}, unduhan=False)
    assert len(jobs) == len(todo) == len(keys)          # nothing rendered yet: all stale
    assert sorted(hashed) == sorted({j.notebook for j in jobs})     # each notebook once
    return len(jobs), counting.n, len(hashed)


def test_check_runs_the_same_queries_whatever_the_number_of_satker(tmp_path, monkeypatch):
    small, large = _check(tmp_path, 3, monkeypatch), _check(tmp_path, 40, monkeypatch)
    assert large[0] > small[0] + 37 * 5                 # every satker has its pages
    # one grouped query per table for every satker's fingerprint: the same statements
    # at 3 and at 40 satker (a query per satker would add 37 × the tables)
    assert large[1] == small[1] and small[1] < 30
    assert large[2] == small[2]


def test_keys_follow_the_own_scope_only(tmp_path):
    store = _store(tmp_path / "s.duckdb", 3)
    with Store(store, read_only=True) as st:
        jobs = plan(scopes_from_store(st), load_matrix(), tahun=2022, bulan=5, store=store,
                    out=tmp_path / "site", notebooks=runner.NOTEBOOKS)
        _, before = runner.stale(jobs, st, {}, unduhan=False)
    with Store(store) as s:
        load(s, realisasi=[real("600002", PATH, "2022-03-20", 50_000),
                           real("600002", PATH, "2022-04-20", 1_000)])
    with Store(store, read_only=True) as st:
        _, after = runner.stale(jobs, st, {}, unduhan=False)
    changed = sorted({rel.split("/")[2] for rel in before if before[rel] != after[rel]})
    assert changed == ["600002", "semua"]
