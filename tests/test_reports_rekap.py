"""rekap_jenis_belanja: pagu, realisasi, % and sisa per jenis belanja, checked against sums
taken straight from the store's tables (not through the report's SQL)."""
from __future__ import annotations

import pytest

from spektra_lib import reports
from spektra_lib.export import export_report
from spektra_lib.present import tables
from spektra_lib.problems import AksesDitolak
from spektra_lib.store import Access, Store

TAHUN, BULAN, KANREG_IV, PUSAT = 2022, 5, "017234", "017220"


@pytest.fixture(scope="module")
def store(demo_store_path):
    with Store(demo_store_path, read_only=True) as st:
        yield st


def by_hand(store, satker, dari, bulan):
    pagu = dict(store.sql(
        "SELECT left(kode_akun, 2) AS j, sum(pagu)::DOUBLE AS v FROM pok WHERE tahun = ? "
        "AND kode_satker = ? GROUP BY 1", [TAHUN, satker]).values.tolist())
    real = dict(store.sql(
        "SELECT left(kode_akun, 2) AS j, sum(nilai)::DOUBLE AS v FROM realisasi WHERE "
        "tahun = ? AND kode_satker = ? AND month(tanggal) BETWEEN ? AND ? GROUP BY 1",
        [TAHUN, satker, dari, bulan]).values.tolist())
    return pagu, real


@pytest.mark.parametrize("satker, dari", [(KANREG_IV, 1), (PUSAT, 3)])
def test_sums_per_jenis_belanja(store, satker, dari):
    df = reports.run("rekap_jenis_belanja", store, tahun=TAHUN, bulan=BULAN, satker=satker,
                     bulan_dari=dari)
    pagu, real = by_hand(store, satker, dari, BULAN)
    assert list(df.columns) == ["jenis_belanja", "pagu", "realisasi", "persen_realisasi", "sisa"]
    assert df["jenis_belanja"].tolist() == [j for j in ("51", "52", "53", "57") if pagu.get(j)]
    for r in df.itertuples():
        assert r.pagu == pytest.approx(pagu[r.jenis_belanja], abs=0.5)
        assert r.realisasi == pytest.approx(real.get(r.jenis_belanja, 0.0), abs=0.5)
        assert r.persen_realisasi == pytest.approx(r.realisasi / r.pagu * 100)
        assert r.sisa == pytest.approx(r.pagu - r.realisasi)


def test_the_satker_total_is_realisasi_satker(store):
    rekap = reports.run("rekap_jenis_belanja", store, tahun=TAHUN, bulan=BULAN, satker=KANREG_IV)
    per_satker = reports.run("realisasi_satker", store, tahun=TAHUN, bulan=BULAN,
                             satker=KANREG_IV)
    assert rekap["realisasi"].sum() == pytest.approx(per_satker["realisasi"].sum(), abs=1)


def test_scope_page_and_downloads(store, tmp_path):
    with pytest.raises(AksesDitolak):
        reports.run("rekap_jenis_belanja", store.with_access(Access("user", satker=KANREG_IV)),
                    tahun=TAHUN, bulan=BULAN, satker=PUSAT)
    df = reports.run("rekap_jenis_belanja", store, tahun=TAHUN, bulan=BULAN, satker=KANREG_IV)
    html = tables.table_html("rekap_jenis_belanja", df)
    assert "51 Pegawai" in html and "Jenis Belanja" in html
    for ext in ("csv", "xlsx", "docx", "html"):
        path = export_report(store, "rekap_jenis_belanja", tmp_path / f"r.{ext}", tahun=TAHUN,
                             bulan=BULAN, satker=KANREG_IV)
        assert path.stat().st_size > 0
    assert (tmp_path / "r.csv").read_text().splitlines()[0] == \
        "jenis_belanja,pagu,realisasi,persen_realisasi,sisa"
