"""Monthly updates each on their own (issue 14 §4): realisasi only; the capaian of one
month; one satker's revised POK; the SPP register only. Each keeps everything else, and
goes through the real path (canonical folder, validation, ingest)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from spektra_lib.ingest import ingest_path
from spektra_lib.store import CONTENT_TABLES, Store

SEED = Path(__file__).parent / "data" / "seed"
RO = {"tahun": 2022, "kode_kegiatan": "4843", "kode_kro": "EBA", "kode_ro": "994"}


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(SEED / f"{name}.csv", dtype=str, keep_default_na=False)


def _state(store: Store) -> dict[str, pd.DataFrame]:
    return {t: store.sql(f"SELECT * FROM {t}").sort_values(
        list(store.sql(f"SELECT * FROM {t} LIMIT 0").columns)).reset_index(drop=True)
        for t in CONTENT_TABLES}


def _same_except(before: dict, after: dict, changed: dict[str, str | None]):
    """Every table equal, except in `changed` the rows matching the SQL-ish filter
    (pandas query) — those are checked by the test itself."""
    for t in CONTENT_TABLES:
        b, a = before[t], after[t]
        if t in changed:
            if changed[t] is None:
                continue
            b = b.query(f"not ({changed[t]})").reset_index(drop=True)
            a = a.query(f"not ({changed[t]})").reset_index(drop=True)
        pd.testing.assert_frame_equal(b, a, obj=t)


@pytest.fixture
def base(tmp_path):
    d = tmp_path / "awal"
    shutil.copytree(SEED, d)
    pd.DataFrame([{**RO, "kode_satker": "017231", "nama_ro": "Layanan Perkantoran",
                   "target_volume": 12, "satuan": "Layanan", "strategis": 0}]
                 ).to_csv(d / "ro_target.csv", index=False)
    pd.DataFrame([{**RO, "kode_satker": "017231", "bulan": m, "rvro": 1, "pcro": 8}
                  for m in (1, 2, 3, 4)]).to_csv(d / "capaian_ro.csv", index=False)
    # an SPP of last year, which this year's register must not remove
    spp = _csv("spp")
    old = spp.iloc[[0]].assign(no_spp="00099T", tgl_spp="15/12/2021", tgl_spm="15/12/2021",
                               tgl_sp2d="15/12/2021")
    pd.concat([spp, old]).to_csv(d / "spp.csv", index=False)
    s = Store(tmp_path / "s.duckdb")
    ingest_path(d, s)
    yield s, tmp_path
    s.close()


def _folder(tmp_path, name, **tables: pd.DataFrame) -> Path:
    d = tmp_path / name
    d.mkdir()
    for t, df in tables.items():
        df.to_csv(d / f"{t}.csv", index=False)
    return d


def test_realisasi_only(base):
    s, tmp = base
    before = _state(s)
    r = _csv("realisasi")
    r = r[r["kode_satker"] == "017231"]
    may = r.iloc[[0]].assign(tanggal="2022-05-15", nilai="1000000", no_sp2d="220880000009999")
    ingest_path(_folder(tmp, "real", realisasi=pd.concat([r, may])), s)
    after = _state(s)
    _same_except(before, after, {"realisasi": "kode_satker == '017231'"})
    got = after["realisasi"].query("kode_satker == '017231'")
    assert len(got) == len(r) + 1
    assert float(got["nilai"].astype(float).sum()) == pytest.approx(
        r["nilai"].astype(float).sum() + 1_000_000)


def test_capaian_of_one_month(base):
    s, tmp = base
    before = _state(s)
    may = pd.DataFrame([{**RO, "kode_satker": "017231", "bulan": 5, "rvro": 2, "pcro": 9}])
    ingest_path(_folder(tmp, "capaian", capaian_ro=may), s)
    after = _state(s)
    _same_except(before, after, {"capaian_ro": "bulan == 5"})
    c = after["capaian_ro"]
    assert c["bulan"].tolist() == [1, 2, 3, 4, 5]
    assert c["pcro"].tolist() == [8, 8, 8, 8, 9]
    # the same month sent again (corrected) replaces that month only
    ingest_path(_folder(tmp, "capaian2", capaian_ro=may.assign(pcro=10)), s)
    assert s.sql("SELECT pcro FROM capaian_ro ORDER BY bulan")["pcro"].tolist() == [8, 8, 8, 8, 10]


def test_one_satkers_revised_pok(base):
    s, tmp = base
    before = _state(s)
    p = _csv("pok")
    p = p[p["kode_satker"] == "017231"].copy()
    # the second item's volume doubled: pagu and its December RPD grow by 8.617.941.200
    i = p.index[1]
    p.loc[i, "volume"] = "2"
    p.loc[i, "pagu"] = str(2 * int(p.loc[i, "harga_satuan"]))
    p.loc[i, "rpd_12"] = str(int(p.loc[i, "rpd_12"]) + int(p.loc[i, "harga_satuan"]))
    ingest_path(_folder(tmp, "pok", pok=p), s)
    after = _state(s)
    _same_except(before, after, {"pok": "kode_satker == '017231'", "pok_versi": None,
                                 "versi_anggaran": "kode_satker == '017231'"})
    v = s.budget_versions(2022, "017231")
    assert v["versi"].tolist() == [1, 2]
    assert float(v["pagu"].iloc[1] - v["pagu"].iloc[0]) == 8_617_941_200
    # the earlier budget is kept whole; no other satker got a version
    assert s.scalar("SELECT count(DISTINCT kode_satker) FROM pok_versi") == 1
    kept = s.sql("SELECT * EXCLUDE (versi) FROM pok_versi ORDER BY no_item, kode_akun")
    was = before["pok"].query("kode_satker == '017231'").sort_values(["no_item", "kode_akun"])
    assert kept["pagu"].tolist() == was["pagu"].tolist()


def test_spp_register_only(base):
    s, tmp = base
    before = _state(s)
    spp = _csv("spp")
    new = spp.iloc[[0]].assign(no_spp="00050T", tgl_spp="02/05/2022", nilai="1500000")
    ingest_path(_folder(tmp, "spp", spp=pd.concat([spp, new])), s)
    after = _state(s)
    _same_except(before, after, {"spp": "no_spp == '00050T'"})
    assert len(after["spp"]) == len(before["spp"]) + 1
    # last year's SPP of the same satker survives this year's register
    assert "00099T" in after["spp"]["no_spp"].tolist()
