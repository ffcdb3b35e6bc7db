"""`spektra synth --revisi` (issue 14 §9): three versions to ingest in turn; the last is
the plain synth's budget, so the RPD in force each month and every deviasi figure are the
plain demo's, while per_tanggal before a revision shows the older budget."""
from __future__ import annotations

import numpy as np
import pandas as pd

from spektra_lib import reports
from spektra_lib.cli import main
from spektra_lib.ingest import ingest_path
from spektra_lib.store import Store
from spektra_lib.synth import generate
from spektra_lib.synth.revisi import FOLDERS


def test_synth_revisi_ingests_as_three_versions(tmp_path, capsys):
    out = tmp_path / "rev"
    assert main(["synth", str(out), "--satker", "3", "--seed", "4", "--revisi"]) == 0
    assert "1-dipa-awal" in capsys.readouterr().out
    plain = tmp_path / "plain"
    generate(plain, n_satker=3, seed=4)
    with Store(tmp_path / "v.duckdb") as s, Store(tmp_path / "p.duckdb") as p:
        for f in FOLDERS:
            ingest_path(out / f, s)
        ingest_path(plain, p)
        v = s.budget_versions(2022)
        assert v.groupby("kode_satker")["revisi"].apply(list).tolist() == [[0, 1, 2]] * 3
        assert v["tanggal"].dt.strftime("%m-%d").unique().tolist() == ["01-03", "04-08", "07-05"]
        # revisi 1 keeps the pagu of revisi 0; revisi 2 raises it
        pagu = v.pivot(index="kode_satker", columns="versi", values="pagu").astype(float)
        assert (pagu[1] == pagu[2]).all() and (pagu[3] > pagu[2]).all()
        assert float(s.scalar("SELECT sum(pagu) FROM pok")) == float(
            p.scalar("SELECT sum(pagu) FROM pok"))
        for k in v["kode_satker"].unique()[:2]:
            a = reports.deviasi_detail(s, 2022, 9, satker=k)
            b = reports.deviasi_detail(p, 2022, 9, satker=k)
            cols = ["level", "path", "bulan", "pagu", "rencana", "realisasi", "deviasi_persen"]
            pd.testing.assert_frame_equal(a[cols], b[cols])
            old = reports.realisasi_pok(s, 2022, 9, satker=k, per_tanggal="2022-06-30")
            assert old.iloc[0]["pagu"] == float(pagu.loc[k, 2])
            early = reports.grafik_rpd_realisasi(s, 2022, 9, satker=k, per_tanggal="2022-02-01")
            np.testing.assert_allclose(early["rencana_kumulatif"].iloc[-1], pagu.loc[k, 1])
        ikpa = reports.ikpa_estimasi(s, 2022, 9).set_index("indikator").loc["Revisi DIPA"]
        assert (ikpa["nilai"] == 100).all()     # one revision within pagu, in Q2
        # issue 22: the demo (`synth --revisi`, `make demo`) carries an official IKPA made
        # from the estimate over the three versions, so its reconciliation shows numbers
        rek = reports.ikpa_rekonsiliasi(s, 2022, 9)
        assert sorted(rek["kode_satker"].unique()) == sorted(v["kode_satker"].unique())
        ind = rek[rek["indikator"] != "Nilai IKPA"].dropna(subset=["estimasi"])
        assert len(ind) >= 3 * 8 and (ind["selisih"].abs() <= 3.005).all()
        assert (ind["penjelasan"] == "sama").sum() >= len(ind) // 2
        total = rek[rek["indikator"] == "Nilai IKPA"]
        assert len(total) == 3 and total["resmi"].between(0, 100).all()
        assert s.scalar("SELECT count(DISTINCT bulan) FROM ikpa_resmi") == 12
