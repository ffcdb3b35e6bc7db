"""ikpa_rekonsiliasi: the estimate beside OM-SPAN's official IKPA (ikpa_resmi), per satker
and indicator, with the difference and the explanation the data supports: the indicator
could not be computed (what is missing), the unconfirmed parameters it used, versions
not classified, targets taken from the guide."""
from __future__ import annotations

import math

import pandas as pd

from ..selection import Selection

TOLERANSI = 0.005   # below half a hundredth: the same score as OM-SPAN shows it


def ikpa_rekonsiliasi(store, pilihan: Selection) -> pd.DataFrame:
    tahun, bulan, satker = pilihan.tahun, pilihan.bulan, pilihan.satker
    aturan = pilihan.aturan
    from . import REKON_COLUMNS, TIDAK_DAPAT, TOTAL, _estimasi_bersama, _hitung
    # the page's one computation (_memo.py): read here, never changed (the estimate
    # first: _hitung then finds its computation, with or without the trace)
    est = _estimasi_bersama(store, tahun, bulan, satker, aturan)
    ctx, rule, hasil, dipakai = _hitung(store, tahun, bulan, satker, aturan, jejak=False)
    only = "AND kode_satker = ?" if satker else ""
    from . import _data
    resmi = _data.baca(ctx, "ikpa_resmi", f"SELECT kode_satker, indikator, CAST(nilai AS "
                       f"DOUBLE) AS resmi FROM ikpa_resmi WHERE tahun = ? AND bulan = ? {only}",
                       [tahun, bulan] + ([satker] if satker else []),
                       ["kode_satker", "indikator", "resmi"])
    by_name = {i["nama"]: i for i in list(rule.indikator) + list(rule.pengurang)}
    unconf = {k: [u["nama"] for u in rule.belum_terkonfirmasi(v)] for k, v in dipakai.items()}
    df = resmi.merge(est, on=["kode_satker", "indikator"], how="left")
    rows = []
    for _, r in df.sort_values(["kode_satker", "indikator"]).iterrows():
        e = r["nilai"]
        selisih = e - r["resmi"] if not pd.isna(e) else math.nan
        ind = by_name.get(r["indikator"])
        why = []
        if pd.isna(r.get("keterangan")) and r["indikator"] != TOTAL and ind is None:
            why.append(f"indikator ini tidak ada di aturan {rule.dasar}")
        elif pd.isna(e):
            why.append(str(r["keterangan"]) if isinstance(r["keterangan"], str) else TIDAK_DAPAT)
        elif abs(selisih) < TOLERANSI:
            why.append("sama")
        else:
            if ind is not None:
                why += [line for line in hasil[ind["kode"]].catatan.get(r["kode_satker"], [])]
                if unconf.get(ind["kode"]):
                    why.append("parameter belum terkonfirmasi: " + ", ".join(unconf[ind["kode"]]))
            else:   # the total: what differs below it
                sub = est[(est["kode_satker"] == r["kode_satker"]) & (est["indikator"] != TOTAL)]
                missing = sub.loc[sub["nilai"].isna(), "indikator"].tolist()
                if missing:
                    why.append("tidak dihitung: " + ", ".join(missing))
                why.append("selisih indikator (lihat baris indikator)")
            if not why:
                why.append("data SPEKTRA berbeda dengan data OM-SPAN")
        rows.append([r["kode_satker"], r.get("nama_satker") if isinstance(r.get("nama_satker"), str)
                     else "", r["indikator"], e, r["resmi"], selisih, "; ".join(why)])
    out = pd.DataFrame(rows, columns=REKON_COLUMNS)
    out.attrs["aturan"] = rule.dasar
    return out
