"""Property (issue 22): whatever a satker's data — zero or blocked pagu, no RPD, refunds,
missing months, late or missing capaian reports, any revision register — ikpa_estimasi
and ikpa_rincian answer without an exception, and what they say adds up:

- every row names its dasar; every indicator is a score in 0–100 or "tidak dapat
  dihitung: <what is missing>" with no value and no weight;
- the effective weights of the computed indicators sum to 100 and each is its weight
  rescaled; the total is the sum of the weighted scores less the deduction, or absent
  (and said so) when the computed weights are under half;
- the trace names only indicators of the rule, and its final `skor` of each computed
  indicator is the score the estimate shows."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from spektra_lib import schema  # noqa: E402
from spektra_lib.reports import ikpa  # noqa: E402
from spektra_lib.store import Store  # noqa: E402
from spektra_lib.reports.selection import Selection

T, S = 2022, "017299"
AKUN = ["511111", "521211", "532111", "571111"]


def _pok(i, akun, pagu, rpd, blokir):
    row = dict(tahun=T, kode_satker=S, kode_unit=None, kode_program="WA", nama_program="P",
               kode_kegiatan="4843", nama_kegiatan="K", kode_kro="EBA", nama_kro="KRO",
               kode_ro="994", nama_ro="RO", kode_komponen="001", nama_komponen="K",
               kode_subkomponen="A", nama_subkomponen="S", kode_akun=akun, nama_akun="A",
               no_item=str(i), uraian_item="I", volume=1, satuan="p", harga_satuan=pagu,
               pagu=pagu, prioritas_nasional=0, blokir=blokir)
    row.update({c: v for c, v in zip(schema.RPD_COLUMNS, rpd)})
    return row


@st.composite
def agency(draw):
    items = []
    for i, akun in enumerate(draw(st.lists(st.sampled_from(AKUN), min_size=1, max_size=4))):
        pagu = draw(st.sampled_from([0, 1_000_000, 12_000_000]))
        rpd = draw(st.lists(st.sampled_from([0, pagu // 12, pagu // 4]), min_size=12, max_size=12))
        blokir = draw(st.sampled_from([None, 0, pagu // 2, pagu]))
        items.append(_pok(i + 1, akun, pagu, rpd, blokir))
    real = []
    for it in items:
        for m in draw(st.lists(st.integers(1, 12), max_size=6)):
            real.append(dict(tahun=T, kode_satker=S, kode_program="WA", kode_kegiatan="4843",
                             kode_kro="EBA", kode_ro="994", kode_komponen="001",
                             kode_subkomponen="A", kode_akun=it["kode_akun"],
                             no_item=it["no_item"], tanggal=pd.Timestamp(date(T, m, 10)),
                             nilai=draw(st.sampled_from([-50_000, 100_000, 3_000_000]))))
    tables = {"satker": [dict(kode_satker=S, nama_satker="X", kelompok="KANREG")],
              "pok": items, "realisasi": real}
    if draw(st.booleans()):
        tables["ro_target"] = [dict(tahun=T, kode_satker=S, kode_kegiatan="4843",
                                    kode_kro="EBA", kode_ro="994", nama_ro="RO",
                                    target_volume=draw(st.sampled_from([0, 1, 5])),
                                    satuan="d", strategis=0)]
        cap = []
        for m in draw(st.lists(st.integers(1, 12), unique=True, max_size=12)):
            lapor = draw(st.sampled_from([None, date(T, m, 28), date(T + m // 12, m % 12 + 1, 3)]))
            cap.append(dict(tahun=T, kode_satker=S, kode_kegiatan="4843", kode_kro="EBA",
                            kode_ro="994", bulan=m, rvro=draw(st.sampled_from([0, 1])),
                            pcro=draw(st.sampled_from([0, 5.5, 40, 120])), keterangan="x",
                            tgl_lapor=None if lapor is None else pd.Timestamp(lapor)))
        if cap:
            tables["capaian_ro"] = cap
        if draw(st.booleans()):
            tables["ro_proyeksi"] = [dict(tahun=T, kode_satker=S, kode_kegiatan="4843",
                                          kode_kro="EBA", kode_ro="994", bulan=m,
                                          target_pcro=draw(st.sampled_from([0, 10, 100])))
                                     for m in draw(st.lists(st.integers(1, 12), unique=True,
                                                            max_size=4))]
    revs = draw(st.lists(st.tuples(st.integers(1, 12), st.sampled_from(["221", "101", "212;101"]),
                                   st.sampled_from(["KANWIL", "KPA", "DJA"])), max_size=4))
    if revs:
        tables["revisi_dipa"] = [dict(tahun=T, kode_satker=S, revisi=i + 1,
                                      tanggal_pengesahan=pd.Timestamp(date(T, m, 5)),
                                      kode_jenis_revisi=c, kewenangan=k)
                                 for i, (m, c, k) in enumerate(revs)]
    if draw(st.booleans()):
        tables["dispensasi_spm"] = [dict(tahun=T, kode_satker=S, no_surat="S-1",
                                         tanggal=pd.Timestamp(date(T, 12, 20)))]
    return tables, draw(st.integers(1, 12)), draw(st.sampled_from([2021, 2022, 2024]))


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=agency())
def test_estimate_adds_up_whatever_the_data(case, tmp_path_factory):
    tables, bulan, aturan = case
    with Store(tmp_path_factory.mktemp("p") / "s.duckdb") as s:
        s.ingest({k: pd.DataFrame(v).reindex(columns=schema.TABLES[k].names)
                  for k, v in tables.items()}, layout="kanonik")
        df = ikpa.ikpa_estimasi(s, Selection(tahun=T, bulan=bulan, aturan=aturan))
        rule = ikpa.pilih_aturan(T, aturan)
        assert (df["dasar"] == rule.dasar).all()
        ind = df[df["bobot"] > 0].iloc[:-1]
        done = ind["nilai"].notna()
        assert ind.loc[done, "nilai"].between(0, 100).all()
        assert ind.loc[~done, "keterangan"].str.startswith("tidak dapat dihitung: ").all()
        assert (ind.loc[~done, "bobot_efektif"] == 0).all()
        total = df.iloc[-1]
        assert total["indikator"] == "Nilai IKPA"
        if done.any():
            assert ind.loc[done, "bobot_efektif"].sum() == pytest.approx(100)
            base = ind.loc[done, "bobot"].sum()
            assert ind.loc[done, "bobot_efektif"].tolist() == pytest.approx(
                (ind.loc[done, "bobot"] * 100 / base).tolist())
        cut = df[(df["bobot"] == 0) & (df["indikator"] != "Nilai IKPA")]["nilai"].fillna(0).sum()
        if pd.isna(total["nilai"]):
            assert total["keterangan"].startswith("tidak dapat dihitung: ")
            assert ind.loc[done, "bobot"].sum() < 50 or not done.any()
        else:
            assert ind.loc[done, "bobot"].sum() >= 50
            assert total["nilai"] == pytest.approx(max(ind["nilai_tertimbang"].sum() - cut, 0))
        r = ikpa.ikpa_rincian(s, Selection(tahun=T, bulan=bulan, aturan=aturan))
        names = {i["nama"] for i in list(rule.indikator) + list(rule.pengurang)}
        assert set(r["indikator"]) <= names
        final = r[(r["besaran"] == "skor") & (r["periode"] == "Tahun")]
        for _, x in final.iterrows():
            shown = ind.set_index("indikator").loc[x["indikator"], "nilai"]
            assert x["nilai"] == pytest.approx(shown)
