"""Every month range at once (reports.keuangan.semua_rentang, the static page's dari – s.d.
bulan filter): each range's frame is the report's own for that range, exactly — same
figures, dtypes, row order and notes — on the hand-made store, the demo agency, a store
with two budget versions, and random small stores."""
from __future__ import annotations

import pandas as pd
import pytest

from reports_fixture import P1, P_BAHAN, P_PD, item, load, make_store, real, satker_rows, \
    unit_rows
from spektra_lib import reports
from spektra_lib.problems import AksesDitolak
from spektra_lib.reports import _common as c
from spektra_lib.reports.keuangan import RENTANG, semua_rentang
from spektra_lib.store import Access, Store

TAHUN = 2022
# agency; central satker (rows per unit kerja); a kanreg; an OM-SPAN-only kanreg; a unit
SMALL_SCOPES = [{}, {"satker": "017220"}, {"satker": "017231"}, {"satker": "017233"},
                {"unit": "0102"}, {"unit": "0401"}]


def same_as_per_range(store, name: str, bulan: int, **scope) -> int:
    """Assert every range's frame equals reports.run for that range; the number of ranges."""
    frames = semua_rentang(name, store, tahun=TAHUN, bulan=bulan, **scope)
    assert list(frames) == c.ranges(bulan)
    for (d, s), df in frames.items():
        one = reports.run(name, store, tahun=TAHUN, bulan=s, bulan_dari=d, **scope)
        pd.testing.assert_frame_equal(df, one, check_exact=True, obj=f"{name} {d}-{s} {scope}")
        assert df.attrs == one.attrs
    return len(frames)


@pytest.mark.parametrize("name", sorted(RENTANG))
@pytest.mark.parametrize("scope", SMALL_SCOPES, ids=lambda s: "-".join(s.values()) or "semua")
def test_small_store_every_range(small_report_store, name, scope):
    # July: June's realisasi in and out of the ranges (each range run alone is slow)
    assert same_as_per_range(small_report_store, name, 7, **scope) == 28


@pytest.mark.parametrize("name", sorted(RENTANG))
def test_small_store_december(small_report_store, name):
    assert same_as_per_range(small_report_store, name, 12) == 78


@pytest.mark.parametrize("jenis", ["51", "52", "53"])
def test_ranking_per_jenis_belanja(small_report_store, jenis):
    for scope in ({}, {"satker": "017220"}):
        same_as_per_range(small_report_store, "realisasi_satker", 6, jenis_belanja=jenis,
                          **scope)


@pytest.mark.parametrize("name", sorted(RENTANG))
def test_demo_agency_every_range(demo_store, name):
    pusat = c.satker_pusat(demo_store)
    unit = demo_store.scalar("SELECT min(kode_unit) FROM unit_kerja WHERE kode_satker = $s",
                             {"s": pusat})
    kanreg = demo_store.scalar("SELECT min(kode_satker) FROM satker WHERE kode_satker <> $s",
                               {"s": pusat})
    for scope in ({}, {"satker": pusat}, {"satker": kanreg}, {"unit": unit}):
        same_as_per_range(demo_store, name, 5, **scope)


def test_cents_are_summed_exactly(tmp_path):
    """0,10 in January and 0,20 in February: 0,3 over both, not 0.1 + 0.2 in floats."""
    k, path = "017231", P_BAHAN
    store = make_store(tmp_path, satker=satker_rows((k, "KANREG I", "KANREG")),
                       pok=[item(k, path, 1000.55)],
                       realisasi=[real(k, path, "2022-01-03", 0.10),
                                  real(k, path, "2022-02-03", 0.20)])
    for name in RENTANG:
        frames = semua_rentang(name, store, tahun=TAHUN, bulan=3, satker=k)
        assert frames[(1, 2)]["realisasi"].tolist() == [0.3]
        same_as_per_range(store, name, 3, satker=k)


def test_no_realisasi_keeps_the_reports_own_figures(tmp_path):
    """Pagu without any realisasi (in a jenis, in the store): 0 spent and sisa = pagu in
    both reports, never a blank."""
    k = "017231"
    store = make_store(tmp_path, satker=satker_rows((k, "KANREG I", "KANREG")),
                       pok=[item(k, P1 + ".1", 100), item(k, P_PD, 50)],
                       realisasi=[real(k, P1 + ".1", "2022-03-03", 10)])
    (tmp_path / "kosong").mkdir()
    none = make_store(tmp_path / "kosong", satker=satker_rows((k, "KANREG I", "KANREG")),
                      pok=[item(k, P_PD, 50)])
    for name in RENTANG:
        for s in (store, none):
            same_as_per_range(s, name, 4)
            same_as_per_range(s, name, 4, satker=k)
    for s in (store, none):
        rekap = reports.run("rekap_jenis_belanja", s, tahun=TAHUN, bulan=4, satker=k)
        pd_row = rekap[rekap["jenis_belanja"] == "52"].iloc[0]     # perjalanan: no realisasi
        assert (pd_row["realisasi"], pd_row["persen_realisasi"], pd_row["sisa"]) == (0, 0, 50)


def test_per_tanggal_reads_the_budget_of_that_date(tmp_path):
    from test_versions import K, REAL, _v1, _v2
    with Store(tmp_path / "v.duckdb") as s:
        load(s, satker=satker_rows((K, "KANREG I", "KANREG")),
             pok=_v1(revisi=0, tanggal_revisi="2022-01-03"), realisasi=REAL)
        load(s, pok=_v2(revisi=1, tanggal_revisi="2022-04-10"))
        for name in RENTANG:
            for per_tanggal in ("2022-03-31", None):
                frames = semua_rentang(name, s, tahun=TAHUN, bulan=3, satker=K,
                                       per_tanggal=per_tanggal)
                for (d, sd), df in frames.items():
                    one = reports.run(name, s, tahun=TAHUN, bulan=sd, bulan_dari=d, satker=K,
                                      per_tanggal=per_tanggal)
                    pd.testing.assert_frame_equal(df, one, check_exact=True)
                    assert df.attrs == one.attrs
            assert semua_rentang(name, s, tahun=TAHUN, bulan=3, satker=K,
                                 per_tanggal="2022-03-31")[(1, 3)]["pagu"].sum() == 1_800_000


def test_scope_is_checked_first(small_report_store):
    user = small_report_store.with_access(Access("user", satker="017231"))
    for name in RENTANG:
        for scope in ({"satker": "017220"}, {}):
            with pytest.raises(AksesDitolak):
                semua_rentang(name, user, tahun=TAHUN, bulan=5, **scope)
        same_as_per_range(user, name, 5, satker="017231")
    with pytest.raises(ValueError, match="tidak memakai parameter"):
        semua_rentang("rekap_jenis_belanja", small_report_store, tahun=TAHUN, bulan=5,
                      jenis_belanja="52")


def test_static_page_same_html_and_downloads_keep_the_pages_range(small_report_store,
                                                                  monkeypatch):
    """The filter's page is the same with and without the batch path, and the page's
    cache (what the downloads pickle) holds only the page's own range of each report."""
    from spektra_lib.page import saring
    from spektra_lib.page.notebook import Halaman

    def page(name, **kw):
        h = Halaman(store=small_report_store, tahun=TAHUN, bulan=5, grafik="halaman",
                    interaktif=False, bulan_dari=2, **kw)
        assert saring.bersaring_tabel(h, name)
        return h.tabel(name).data, h

    for name, scope in (("rekap_jenis_belanja", {"satker": "017220"}),
                        ("realisasi_satker", {"satker": "017220"}),
                        ("realisasi_satker", {})):
        new, h = page(name, **scope)
        assert [k for k, _ in h._data] == [name]
        assert dict(next(iter(h._data))[1])["bulan_dari"] == 2
        with monkeypatch.context() as m:
            m.setattr("spektra_lib.reports.keuangan.RENTANG", {})
            old, _ = page(name, **scope)
        assert new == old


# -- random small stores -----------------------------------------------------------------
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PUSAT = "017220"
PATHS = [P1 + ".1", P_BAHAN, P_PD, "WA.4843.EBB.951.001.A.532111.1",
         "WA.4843.EBB.951.001.A.571111.1"]
KODE = [PUSAT, "017231", "017232"]
UNITS = ["0102", "0103"]
cents = st.integers(-50_000, 5_000_000).map(lambda v: v / 100)


@st.composite
def small_data(draw):
    """A central satker with two unit kerja and two kanreg: random items (pagu, unit,
    jenis belanja), random realisasi in cents (refunds too) on random dates, sometimes a
    kanreg reporting OM-SPAN akun totals only; a reporting month and a scope."""
    pok, rows, seen = [], [], set()
    for _ in range(draw(st.integers(1, 6))):
        k, path = draw(st.sampled_from(KODE)), draw(st.sampled_from(PATHS))
        if (k, path) in seen:
            continue
        seen.add((k, path))
        unit = draw(st.sampled_from(UNITS)) if k == PUSAT else None
        pok.append(item(k, path, draw(st.integers(0, 10_000_000)) / 100, unit=unit))
        for _ in range(draw(st.integers(0, 4))):
            tgl = f"2022-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
            rows.append(real(k, path, tgl, draw(cents)))
    akun = []
    if draw(st.booleans()):
        k = "017232"
        rows = [r for r in rows if r["kode_satker"] != k]
        for _ in range(draw(st.integers(1, 3))):
            akun.append({"tahun": TAHUN, "kode_satker": k, "kode_program": "WA",
                         "kode_kegiatan": "4843", "kode_kro": "EBA", "kode_ro": "994",
                         "kode_akun": draw(st.sampled_from(["511111", "521211", "524111"])),
                         "tanggal": f"2022-{draw(st.integers(1, 12)):02d}-15",
                         "nilai": draw(cents)})
    scope = draw(st.sampled_from([{}, {"satker": PUSAT}, {"satker": "017232"},
                                  {"unit": "0102"}]))
    return pok, rows, akun, draw(st.integers(1, 6)), scope


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=small_data())
def test_random_stores_every_range(tmp_path_factory, data):
    pok, rows, akun, bulan, scope = data
    store = make_store(
        tmp_path_factory.mktemp("acak"),
        satker=satker_rows((PUSAT, "KANTOR PUSAT", "PUSAT"), ("017231", "KANREG I", "KANREG"),
                           ("017232", "KANREG II", "KANREG")),
        unit_kerja=unit_rows(("0102", "Biro Keuangan", PUSAT), ("0103", "Biro Umum", PUSAT)),
        pok=pok, realisasi=rows, realisasi_akun=akun)
    try:
        for name in RENTANG:
            same_as_per_range(store, name, bulan, **scope)
    finally:
        store.close()
