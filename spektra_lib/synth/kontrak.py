"""Contracts, BAST dates, TUP timing and the treasurer's deposits (issue 23).

Built on the SPP register spp.py made, with a random stream of its own (the rest of the
data set stays byte-identical for a seed):

- every LS payment of a budget item becomes a termin of that item's contract; the value of
  most contracts is what was paid (lunas), about a fifth have one more termin to come
  (berjalan, some with their next BAST already in and the SPM pending), and each satker
  has one contract signed late in the year not yet paid (belum dibayar); no contract is
  worth more than its item's pagu less what was paid on the item; a few are not
  registered at the KPPN, a few were signed in December of the year before (kontrak dini);
- each contractual payment has its BAST 2–12 working days before the SPM, about one in
  twelve 18–25 working days (late);
- about a quarter of TUP are drawn the month before their GTUP NIHIL (settled late); the
  TUP left over after the GTUP NIHIL is deposited 1–3 working days later (setoran TUP), and
  most satker deposit some UP left at the end of the year.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

PENYEDIA = ["PT Mitra Solusi Nusantara", "CV Karya Mandiri", "PT Sinar Teknologi Indonesia",
            "CV Bina Usaha", "PT Graha Sarana Utama", "PT Cipta Data Informatika",
            "CV Sumber Rejeki", "PT Artha Konstruksi", "CV Maju Bersama", "PT Prima Layanan"]


def _busday(d, k, cal) -> np.ndarray:
    return np.busday_offset(np.asarray(d, dtype="datetime64[D]"), k, roll="backward",
                            busdaycal=cal)


def build(register: pd.DataFrame, pok: pd.DataFrame, satker: pd.DataFrame, tahun: int,
          seed: int, cal) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(register with no_kontrak, tgl_bast and moved TUP dates, kontrak, setoran)."""
    rng = np.random.default_rng([seed, 23])
    reg = register.copy()
    reg["no_kontrak"] = None
    reg["tgl_bast"] = pd.NaT
    kode = satker["kode_satker"].to_numpy()

    # -- contracts from the LS payments of an item ------------------------------------
    akun = pok["kode_akun"].astype(str).to_numpy()[reg["_i"].clip(lower=0).to_numpy()]
    contractual = np.char.startswith(akun.astype(str), "53") | np.isin(
        np.array([a[:4] for a in akun]), ["5212", "5221", "5222", "5223", "5231", "5232"])
    paid = (reg["jenis"] == "LS") & (reg["_i"] >= 0) & reg["tgl_sp2d"].notna() & contractual
    ls = reg[paid].sort_values(["s", "_i", "tgl_spm"], kind="stable")
    groups = ls.groupby(["s", "_i"], sort=True)
    k = groups.agg(nilai=("nilai", "sum"), n=("nilai", "size"), first_spm=("tgl_spm", "min"),
                   last_bulan=("bulan", "max")).reset_index()
    n = len(k)
    # one more termin to come for about a fifth (of those paid before November)
    more = (rng.random(n) < 0.2) & (k["last_bulan"].to_numpy() < 11)
    per_termin = np.round(k["nilai"].to_numpy() / k["n"].to_numpy(), -3)
    # never beyond what the item's pagu still allows after everything paid on it
    paid_i = reg[(reg["_i"] >= 0) & reg["tgl_sp2d"].notna()].groupby("_i")["nilai"].sum()
    room = np.maximum(pok["pagu"].to_numpy(float)[k["_i"].to_numpy()]
                      - paid_i.reindex(k["_i"]).fillna(0.0).to_numpy(), 0.0)
    more = more & (room >= 1000)
    nilai = k["nilai"].to_numpy() + np.where(more, np.minimum(per_termin, np.floor(room)), 0.0)
    lead = rng.integers(20, 70, n)
    signed = (np.asarray(k["first_spm"], dtype="datetime64[D]")
              - lead.astype("timedelta64[D]"))
    signed = np.maximum(signed, np.datetime64(f"{tahun - 1}-12-01"))
    dini = rng.random(n) < 0.08
    signed[dini] = np.datetime64(f"{tahun - 1}-12-15") + rng.integers(0, 14, dini.sum()) \
        .astype("timedelta64[D]")
    # numbered per satker in the order signed
    k["_signed"] = signed
    order = k.sort_values(["s", "_signed", "_i"], kind="stable").index
    k.loc[order, "seq"] = k.loc[order].groupby("s").cumcount().to_numpy() + 1
    k["no_kontrak"] = [f"KTR-{kode[s]}-{tahun}-{int(q):03d}" for s, q in zip(k["s"], k["seq"])]
    reg.loc[ls.index, "no_kontrak"] = ls.set_index(["s", "_i"]).index.map(
        dict(zip(zip(k["s"], k["_i"]), k["no_kontrak"]))).to_numpy()
    register_kppn = np.busday_offset(signed, rng.integers(1, 6, n), roll="forward",
                                     busdaycal=cal).astype("datetime64[ns]")
    unregistered = rng.random(n) < 0.06
    termin = k["n"].to_numpy() + more
    kontrak = pd.DataFrame({
        "tahun": tahun, "kode_satker": kode[k["s"].to_numpy()], "no_kontrak": k["no_kontrak"],
        "tgl_kontrak": signed.astype("datetime64[ns]"),
        "uraian": pok["uraian_item"].to_numpy()[k["_i"].to_numpy()],
        "kode_akun": pok["kode_akun"].to_numpy()[k["_i"].to_numpy()],
        "nilai_kontrak": nilai,
        "penyedia": np.array(PENYEDIA, dtype=object)[rng.integers(0, len(PENYEDIA), n)],
        "tgl_register_kppn": np.where(unregistered, np.datetime64("NaT"), register_kppn),
        "cara_bayar": np.where(termin > 1, "termin", "sekaligus"),
        "jumlah_termin": termin})

    # -- BAST of each contractual payment -----------------------------------------------
    spm = np.asarray(ls["tgl_spm"], dtype="datetime64[D]")
    late = rng.random(len(ls)) < 1 / 12
    back = np.where(late, rng.integers(18, 26, len(ls)), rng.integers(2, 13, len(ls)))
    bast = _busday(spm, -back, cal)
    reg.loc[ls.index, "tgl_bast"] = bast.astype("datetime64[ns]")

    # a pending LS SPP of a satker is the next termin of one of its berjalan contracts
    pending = reg[(reg["jenis"] == "LS") & reg["tgl_sp2d"].isna() & (reg["_i"] < 0)]
    berjalan = k[more]
    for idx, r in pending.iterrows():
        own = berjalan[berjalan["s"] == r["s"]]
        if own.empty:
            continue
        reg.at[idx, "no_kontrak"] = own["no_kontrak"].iloc[0]
        start = np.datetime64(r["tgl_spp"], "D")
        reg.at[idx, "tgl_bast"] = pd.Timestamp(_busday(start, -int(rng.integers(1, 6)), cal))

    # one contract per satker signed in February–March, its goods delivered (BAST) three
    # to six weeks later and its SPP still at the PPSPM all year: unpaid, unregistered
    modal = pok[pok["kind"].isin(["barang", "modal"])]
    modal = modal.assign(_m=modal["kind"] != "modal").sort_values(["_s", "_m"], kind="stable") \
        .groupby("_s").head(1)
    m = len(modal)
    # within the item's pagu less what was paid on it (the draw below stays as it was)
    room_x = np.floor(np.maximum(modal["pagu"].to_numpy(float) - paid_i.reindex(
        modal.index).fillna(0.0).to_numpy(), 0.0) / 1000) * 1000
    signed_x = pd.Timestamp(f"{tahun}-02-01") + pd.to_timedelta(rng.integers(0, 59, m), unit="D")
    extra = pd.DataFrame({
        "tahun": tahun, "kode_satker": kode[modal["_s"].to_numpy()],
        "no_kontrak": [f"KTR-{kode[s]}-{tahun}-9{q:02d}" for q, s in enumerate(modal["_s"])],
        "tgl_kontrak": signed_x,
        "uraian": modal["uraian_item"].to_numpy(), "kode_akun": modal["kode_akun"].to_numpy(),
        "nilai_kontrak": np.minimum(np.round(rng.uniform(60e6, 400e6, m), -3), room_x),
        "penyedia": np.array(PENYEDIA, dtype=object)[rng.integers(0, len(PENYEDIA), m)],
        "tgl_register_kppn": pd.NaT, "cara_bayar": "sekaligus", "jumlah_termin": 1})
    bast_x = np.busday_offset((signed_x + pd.to_timedelta(rng.integers(20, 41, m), unit="D"))
                              .to_numpy("datetime64[D]"), 0, roll="forward", busdaycal=cal)
    spp_x = np.busday_offset(bast_x, rng.integers(2, 7, m), roll="forward", busdaycal=cal)
    last = reg.groupby("s")["no_spp"].max().str[:5].astype(int)
    s_x = modal["_s"].to_numpy()
    ok = extra["nilai_kontrak"].to_numpy() > 0     # an item with no room left: no contract
    extra, s_x, spp_x, bast_x = extra[ok].reset_index(drop=True), s_x[ok], spp_x[ok], bast_x[ok]
    reg = pd.concat([reg, pd.DataFrame({
        "s": s_x, "unit": "", "jenis": "LS", "kind": "", "_i": -1, "bulan": pd.DatetimeIndex(spp_x).month,
        "no_spp": [f"{last.get(s, 0) + 1:05d}T" for s in s_x], "tgl_spp": spp_x.astype("datetime64[ns]"),
        "no_spm": None, "tgl_spm": pd.NaT, "no_sp2d": None, "tgl_sp2d": pd.NaT,
        "nilai": extra["nilai_kontrak"].to_numpy(), "status": "Proses Verifikasi PPSPM",
        "uraian": "Pembayaran " + extra["uraian"] + " (" + extra["no_kontrak"] + ")",
        "no_kontrak": extra["no_kontrak"].to_numpy(), "tgl_bast": bast_x.astype("datetime64[ns]")})],
        ignore_index=True)
    kontrak = pd.concat([kontrak, extra], ignore_index=True)

    # -- TUP: a quarter drawn the month before (late), leftovers deposited ---------------
    # each TUP was drawn for one GTUP NIHIL (spp.py: the GTUP rounded up to a million)
    tup = reg.index[(reg["jenis"] == "TUP") & (reg["bulan"] > 1)]
    gtup = reg[reg["jenis"] == "GTUP NIHIL"]
    used: set = set()
    rows = []
    for i in tup:
        t = reg.loc[i]
        g = gtup[(gtup["s"] == t["s"]) & (gtup["unit"] == t["unit"])
                 & (gtup["bulan"] == t["bulan"]) & ~gtup.index.isin(list(used))
                 & (np.ceil(gtup["nilai"] / 1e6) * 1e6 == t["nilai"])].head(1)
        if g.empty:
            continue
        used.add(g.index[0])
        spm_g = np.datetime64(g["tgl_spm"].iloc[0], "D")
        if np.datetime64(t["tgl_sp2d"], "D") >= spm_g:   # drawn before it is accounted
            day = np.busday_offset(spm_g, -int(rng.integers(3, 9)), roll="backward",
                                   busdaycal=cal)
            day = max(day, np.datetime64(f"{tahun}-01-03"))
            for col in ("tgl_spp", "tgl_spm", "tgl_sp2d"):
                reg.at[i, col] = pd.Timestamp(day)
            reg.at[i, "bulan"] = pd.Timestamp(day).month
        left = round(float(t["nilai"]) - float(g["nilai"].iloc[0]), 2)
        if left > 0:
            day = np.busday_offset(np.datetime64(g["tgl_sp2d"].iloc[0], "D"),
                                   int(rng.integers(1, 4)), roll="forward", busdaycal=cal)
            rows.append((kode[t["s"]], day, "TUP", left))
    early = tup[rng.random(len(tup)) < 0.25]
    for col in ("tgl_spp", "tgl_spm", "tgl_sp2d"):
        moved = np.asarray(reg.loc[early, col], dtype="datetime64[D]") - np.timedelta64(30, "D")
        reg.loc[early, col] = np.busday_offset(moved, 0, roll="backward", busdaycal=cal) \
            .astype("datetime64[ns]")
    reg.loc[early, "bulan"] = reg.loc[early, "bulan"] - 1
    up = reg[reg["jenis"] == "UP"]
    for _, u in up.iterrows():
        if rng.random() < 0.8:
            day = _busday(np.datetime64(f"{tahun}-12-28"), -int(rng.integers(0, 4)), cal)
            rows.append((kode[u["s"]], day, "UP",
                         float(np.round(u["nilai"] * rng.uniform(0.02, 0.2), -3))))
    setoran = pd.DataFrame(rows, columns=["kode_satker", "tanggal", "jenis", "nilai"])
    setoran.insert(0, "tahun", tahun)
    setoran["tanggal"] = pd.to_datetime(setoran["tanggal"])
    setoran["ntpn"] = ["".join(rng.choice(list("0123456789ABCDEF"), 16)) for _ in range(len(setoran))]
    setoran = setoran.sort_values(["kode_satker", "tanggal", "jenis"], kind="stable",
                                  ignore_index=True)
    kontrak = kontrak.sort_values(["kode_satker", "no_kontrak"], kind="stable", ignore_index=True)
    return reg, kontrak, setoran
