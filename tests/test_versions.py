"""Budget versions (CONTRACT §1, DOMAIN §7): a changed POK is the satker's next version,
the earlier ones kept; reports read the latest or the budget as it stood on a date, and
the deviasi reports each month's RPD in force that month. Every figure worked by hand."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from reports_fixture import item, load, real, satker_rows
from spektra_lib import reports, store as store_mod
from spektra_lib.store import Store

K = "017221"
A = "WA.4843.EBA.994.001.A.521211.1"
B = "WA.4843.EBA.994.001.A.524111.1"


def _v1(**kw):
    """DIPA awal (revisi 0, 3 Januari): A 1.200.000 (100.000 a month), B 600.000
    (100.000 a month Jan–Jun)."""
    rows = [item(K, A, 1_200_000, [100_000] * 12), item(K, B, 600_000, [100_000] * 6 + [0] * 6)]
    for r in rows:
        r.update(kw)
    return rows


def _v2(**kw):
    """Revisi 1 (10 April): the past months rewritten to what was paid, A 1.500.000
    (Apr 200.000, May–Dec 125.000), B 400.000 (Apr 150.000, May 100.000)."""
    rows = [item(K, A, 1_500_000, [90_000, 110_000, 100_000, 200_000] + [125_000] * 8),
            item(K, B, 400_000, [50_000, 50_000, 50_000, 150_000, 100_000] + [0] * 7)]
    for r in rows:
        r.update(kw)
    return rows


REAL = [real(K, A, "2022-01-20", 90_000), real(K, A, "2022-02-20", 110_000),
        real(K, A, "2022-03-20", 100_000), real(K, A, "2022-04-20", 180_000),
        real(K, A, "2022-05-20", 125_000),
        real(K, B, "2022-01-20", 50_000), real(K, B, "2022-02-20", 50_000),
        real(K, B, "2022-03-20", 50_000), real(K, B, "2022-04-20", 150_000)]


@pytest.fixture
def revised(tmp_path):
    s = Store(tmp_path / "v.duckdb")
    load(s, satker=satker_rows((K, "KANREG I", "KANREG")),
         pok=_v1(revisi=0, tanggal_revisi="2022-01-03"), realisasi=REAL)
    load(s, pok=_v2(revisi=1, tanggal_revisi="2022-04-10"))
    yield s
    s.close()


def test_changed_pok_is_next_version_earlier_kept(revised):
    v = revised.budget_versions(2022, K)
    assert v[["versi", "revisi"]].values.tolist() == [[1, 0], [2, 1]]
    assert [d.isoformat() for d in v["tanggal"].dt.date] == ["2022-01-03", "2022-04-10"]
    assert v["tanggal_dari"].tolist() == ["sumber", "sumber"]
    assert v["pagu"].astype(float).tolist() == [1_800_000, 1_900_000]
    # pok is the latest; the earlier one is kept whole
    assert float(revised.scalar("SELECT sum(pagu) FROM pok")) == 1_900_000
    assert float(revised.scalar("SELECT sum(pagu) FROM pok_versi WHERE versi = 1")) == 1_800_000


def test_identical_reingest_changes_nothing(revised):
    before = (revised.fingerprint(), revised.content_digest(), len(revised.budget_versions()))
    again = load(revised, pok=_v2(revisi=1, tanggal_revisi="2022-04-10"))
    assert revised.fingerprint() == before[0]
    assert revised.content_digest() == before[1]
    assert len(revised.budget_versions()) == before[2]
    # the same earlier revision ingested again (a source numbering it) adds nothing either
    load(revised, pok=_v1(revisi=0, tanggal_revisi="2022-01-03"))
    assert revised.content_digest() == before[1]
    assert again is revised


def test_versions_without_source_numbered_in_order_first_from_1_january(tmp_path,
                                                                         monkeypatch):
    """An undated first version is the DIPA awal, in force from 1 January (issue 27 §15);
    a later undated one is dated by its ingest."""
    s = Store(tmp_path / "n.duckdb")
    monkeypatch.setattr(store_mod, "_today", lambda: date(2022, 1, 5))
    load(s, satker=satker_rows((K, "KANREG I", "KANREG")), pok=_v1())
    monkeypatch.setattr(store_mod, "_today", lambda: date(2022, 4, 12))
    load(s, pok=_v2())
    load(s, pok=_v2())                                      # identical: nothing
    v = s.budget_versions(2022, K)
    assert v[["versi", "revisi", "tanggal_dari"]].values.tolist() == [
        [1, 0, "awal tahun"], [2, 1, "ingest"]]
    assert [d.isoformat() for d in v["tanggal"].dt.date] == ["2022-01-01", "2022-04-12"]
    s.close()


def test_revision_loaded_late_goes_into_its_place(tmp_path):
    """Revisi 1 (10 April) ingested after revisi 2 (1 July): the latest stays in pok."""
    s = Store(tmp_path / "late.duckdb")
    load(s, satker=satker_rows((K, "KANREG I", "KANREG")),
         pok=_v1(revisi=0, tanggal_revisi="2022-01-03"))
    v3 = _v2(revisi=2, tanggal_revisi="2022-07-01")
    v3[0]["uraian_item"] = "Item 1 (revisi 2)"
    load(s, pok=v3)
    load(s, pok=_v2(revisi=1, tanggal_revisi="2022-04-10"))
    v = s.budget_versions(2022, K)
    assert v[["versi", "revisi"]].values.tolist() == [[1, 0], [2, 1], [3, 2]]
    assert s.scalar(f"SELECT uraian_item FROM pok WHERE no_item = '1' AND kode_akun = '521211'") \
        == "Item 1 (revisi 2)"
    assert s.sql("SELECT versi, count(*) AS n FROM pok_versi GROUP BY 1 ORDER BY 1")[
        "versi"].tolist() == [1, 2]
    s.close()


def test_one_version_reports_read_the_table_itself(tmp_path):
    s = Store(tmp_path / "one.duckdb")
    load(s, satker=satker_rows((K, "KANREG I", "KANREG")), pok=_v1(), realisasi=REAL)
    with s.anggaran(2022, rpd_berlaku=True) as v:
        assert v is s
    df = reports.deviasi_detail(s, 2022, 5, satker=K)
    assert "versi_anggaran" not in df.attrs
    s.close()


def _row(df, level, bulan):
    r = df[(df["level"] == level) & (df["bulan"] == bulan)]
    assert len(r) == 1
    return r.iloc[0]


def test_per_tanggal_shows_the_budget_as_it_stood(revised):
    old = reports.realisasi_pok(revised, 2022, 5, satker=K, per_tanggal="2022-03-31")
    new = reports.realisasi_pok(revised, 2022, 5, satker=K)
    assert old.iloc[0]["pagu"] == 1_800_000
    assert new.iloc[0]["pagu"] == 1_900_000
    # the day the revision took effect it is in force
    assert reports.realisasi_pok(revised, 2022, 5, satker=K, per_tanggal=date(2022, 4, 10)
                                 ).iloc[0]["pagu"] == 1_900_000
    assert "per tanggal 31 Maret 2022" in old.attrs["versi_anggaran"]
    assert "revisi 0" in old.attrs["versi_anggaran"]
    # before the first version: the DIPA awal (in force from the start of the year)
    assert reports.realisasi_pok(revised, 2022, 5, satker=K, per_tanggal="2021-12-01"
                                 ).iloc[0]["pagu"] == 1_800_000
    with pytest.raises(ValueError, match="per_tanggal.*'31/03/2022' tidak sah"):
        reports.realisasi_pok(revised, 2022, 5, satker=K, per_tanggal="31/03/2022")


# -- RPD in force (DOMAIN §7): revision on 10 April ------------------------------------
# Satker totals by month. In force: Jan–Mar revisi 0 (A 100.000 + B 100.000), Apr–Dec
# revisi 1 (Apr 200.000 + 150.000, May 125.000 + 100.000, Jun–Dec 125.000 + 0).
# Realisasi: Jan 90.000 + 50.000, Feb 110.000 + 50.000, Mar 100.000 + 50.000,
# Apr 180.000 + 150.000, May 125.000.
RENCANA = [200_000, 200_000, 200_000, 350_000, 225_000] + [125_000] * 7
REALISASI = [140_000, 160_000, 150_000, 330_000, 125_000]
DEVIASI = [30.0, 20.0, 25.0, 20_000 / 350_000 * 100, 100_000 / 225_000 * 100]


def test_deviasi_detail_each_month_against_the_rpd_in_force(revised):
    df = reports.deviasi_detail(revised, 2022, 5, satker=K)
    top = df[df["level"] == "satker"].set_index("bulan")
    assert (top["pagu"] == 1_900_000).all()
    assert top["rencana"].tolist() == RENCANA
    assert top["realisasi"].tolist()[:5] == REALISASI
    np.testing.assert_allclose(top["deviasi_persen"].tolist()[:5], DEVIASI)
    assert top["warna"].tolist()[:5] == ["kuning", "kuning", "kuning", "hijau", "merah"]
    assert top["realisasi"].isna().tolist()[5:] == [True] * 7
    # item A: January against 100.000 planned then (not the 90.000 written in April)
    a = df[(df["level"] == "item") & (df["path"] == A)].set_index("bulan")
    assert a.loc[1, "rencana"] == 100_000 and a.loc[1, "deviasi_persen"] == 10.0
    assert a.loc[4, "rencana"] == 200_000 and a.loc[4, "deviasi_persen"] == 10.0
    assert a.loc[1, "pagu"] == 1_500_000
    note = df.attrs["versi_anggaran"]
    assert "RPD Jan–Mar revisi 0, Apr–Des revisi 1" in note
    assert note in df.attrs["catatan"]


def test_january_to_march_unchanged_by_the_revision(tmp_path, revised):
    before = Store(tmp_path / "b.duckdb")
    load(before, satker=satker_rows((K, "KANREG I", "KANREG")),
         pok=_v1(revisi=0, tanggal_revisi="2022-01-03"), realisasi=REAL)
    old = reports.deviasi_detail(before, 2022, 3, satker=K)
    new = reports.deviasi_detail(revised, 2022, 3, satker=K)
    cols = ["level", "path", "bulan", "rencana", "realisasi", "deviasi_persen", "warna"]
    o = old[old["bulan"] <= 3][cols].reset_index(drop=True)
    n = new[new["bulan"] <= 3][cols].reset_index(drop=True)
    assert o.equals(n)
    before.close()


def test_deviasi_kumulatif_and_chart_use_the_rpd_in_force(revised):
    df = reports.deviasi_kumulatif(revised, 2022, 5, satker=K).set_index("bulan")
    assert df["rencana_kumulatif"].tolist() == list(np.cumsum(RENCANA))
    assert df["realisasi_kumulatif"].tolist()[:5] == list(np.cumsum(REALISASI))
    np.testing.assert_allclose(df["deviasi_persen"].tolist()[:5], [
        30.0, 25.0, 25.0, 170_000 / 950_000 * 100, 270_000 / 1_175_000 * 100])
    chart = reports.grafik_rpd_realisasi(revised, 2022, 5, satker=K)
    assert chart["rencana_kumulatif"].tolist() == [
        200_000, 400_000, 600_000, 950_000, 1_175_000, 1_300_000, 1_425_000, 1_550_000,
        1_675_000, 1_800_000, 1_925_000, 2_050_000]


def test_per_tanggal_before_the_revision_shows_the_old_pagu_and_rpd(revised):
    df = reports.deviasi_detail(revised, 2022, 5, satker=K, per_tanggal="2022-03-31")
    top = df[df["level"] == "satker"].set_index("bulan")
    assert (top["pagu"] == 1_800_000).all()
    assert top["rencana"].tolist() == [200_000] * 6 + [100_000] * 6
    assert top.loc[4, "deviasi_persen"] == 65.0          # 330.000 against 200.000
    assert "per tanggal 31 Maret 2022" in df.attrs["versi_anggaran"]


def test_rule_latest_for_all_months(revised, monkeypatch):
    from spektra_lib import versi
    monkeypatch.setattr(versi, "rpd_rule", lambda tahun: "terakhir")
    top = reports.deviasi_detail(revised, 2022, 5, satker=K)
    top = top[top["level"] == "satker"].set_index("bulan")
    assert top["rencana"].tolist()[:5] == [140_000, 160_000, 150_000, 350_000, 225_000]
    assert top["deviasi_persen"].tolist()[:3] == [0.0, 0.0, 0.0]


def test_ikpa_deviasi_against_the_rpd_locked_for_the_quarter(revised):
    # revisi 1 (10 Apr) came before the April window (14 Apr 2022): it is TW II's RPD
    df = reports.ikpa_estimasi(revised, 2022, 5, satker=K, aturan=2024)
    dev = df[df["indikator"] == "Deviasi Halaman III DIPA"].iloc[0]["nilai"]
    # one jenis belanja (52): mean of the five monthly deviasi, above the 5 % band
    assert dev == pytest.approx(100 - sum(DEVIASI) / 5)


# -- IKPA Revisi DIPA from revisi_dipa and the versions, both periods, by hand ---------

def test_ikpa_revisi_dipa_per_quarter_and_per_semester(tmp_path):
    """Versions of 017221 in 2022: rev 0 (3 Jan, 1.800.000), rev 1 (10 Feb, pagu same),
    rev 2 (15 Mar, same), rev 3 (10 Apr, pagu 1.900.000: not within a fixed pagu), a POK
    change still rev 3 (20 May), rev 4 (1 Aug, 1.900.000 as before). revisi_dipa: 1
    KANWIL 221, 2 DITPA 212, 3 DJA 221, 4 KANWIL 221. Bands: <= 1 -> 100, 2 -> 50, more -> 0."""
    s = Store(tmp_path / "r.duckdb")
    load(s, satker=satker_rows((K, "KANREG I", "KANREG")), realisasi=REAL,
         pok=_v1(revisi=0, tanggal_revisi="2022-01-03"))

    def version(rev, when, rows):
        for r in rows:
            r.update(revisi=rev, tanggal_revisi=when)
        load(s, pok=rows)
    same_pagu = _v1()
    same_pagu[0]["rpd_01"], same_pagu[0]["rpd_12"] = 200_000, 0     # RPD moved, pagu kept
    version(1, "2022-02-10", same_pagu)
    version(2, "2022-03-15", _v1())
    version(3, "2022-04-10", _v2())
    changed_pok = _v2()
    changed_pok[1]["uraian_item"] = "Item 1 (diperbaiki)"
    version(3, "2022-05-20", changed_pok)
    version(4, "2022-08-01", _v2())
    assert s.budget_versions(2022, K)["revisi"].tolist() == [0, 1, 2, 3, 3, 4]

    def revisi(bulan, aturan, **kw):
        df = reports.ikpa_estimasi(s, 2022, bulan, satker=K, aturan=aturan, **kw)
        return df.set_index("indikator").loc["Revisi DIPA"]
    # revisions no source classified: not guessed
    assert revisi(9, 2022)["keterangan"] == ("tidak dapat dihitung: jenis revisi dan "
                                             "pengesah 5 versi DIPA belum ada (tabel revisi_dipa)")
    rows = [(1, "2022-02-10", "221", "KANWIL"), (2, "2022-03-15", "212", "DITPA"),
            (3, "2022-04-10", "221", "DJA"), (4, "2022-08-01", "221", "KANWIL")]
    s.ingest({"revisi_dipa": pd.DataFrame(
        [dict(tahun=2022, kode_satker=K, revisi=r, tanggal_pengesahan=pd.Timestamp(d),
              kode_jenis_revisi=c, kewenangan=k) for r, d, c, k in rows])}, layout="kanonik")
    # per quarter (PER-5/PB/2022), September: Q1 two -> 50, Q2 none counted (rev 3
    # changed the pagu) -> 100, Q3 one -> 100
    assert revisi(9, 2022)["nilai"] == pytest.approx(250 / 3)
    assert revisi(9, 2022)["keterangan"] == "estimasi"
    # per semester (PER-5/PB/2024): S1 two -> 50, S2 one -> 100
    assert revisi(9, 2024)["nilai"] == 75.0
    # May: only the periods begun count
    assert revisi(5, 2022)["nilai"] == 75.0
    assert revisi(5, 2024)["nilai"] == 50.0
    # per tanggal 1 March: only rev 1 had happened -> every period 100
    assert revisi(9, 2022, per_tanggal=date(2022, 3, 1))["nilai"] == 100.0
    s.close()
