"""MyINTRESS "Monitoring SPP, SPM, dan SP2D" download of one satker (read by
sources/myintress.py): title rows, the header, one line per SPP/SPM with its numbers behind
an apostrophe, Jenis SPP/SPM as `kode - NAMA`, Jumlah Pengeluaran as text `1.234.567`."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .xlsx_inline import write

HEADER = ["No", "No. SPP/SPM", "Tanggal SPP", "Tanggal SPM", "Jenis SPP/SPM", "Uraian SPP/SPM",
          "Jumlah Pengeluaran", "No. SP2D", "Tanggal SP2D"]


def _d(v) -> str | None:
    return None if pd.isna(v) else pd.Timestamp(v).strftime("%d-%m-%Y")


def _rp(v: float) -> str:
    s = f"{abs(round(float(v))):,}".replace(",", ".")
    return ("-" if v < 0 else "") + s


def write_myintress(spp: pd.DataFrame, path: Path, satker_name: str = "") -> Path:
    kode = str(spp["kode_satker"].iloc[0])
    codes = {j: f"{i + 1:02d}" for i, j in enumerate(sorted(spp["jenis_spp"].dropna().unique()))}
    rows = [["MONITORING SPP, SPM, DAN SP2D"], [f"SATKER {kode} {satker_name}".strip()], [],
            HEADER]
    for i, r in enumerate(spp.sort_values(["tgl_spp", "no_spp"]).itertuples(), start=1):
        rows.append([str(i), f"'{r.no_spp}", _d(r.tgl_spp), _d(r.tgl_spm),
                     f"{codes[r.jenis_spp]} - {r.jenis_spp}", str(r.uraian or ""), _rp(r.nilai),
                     None if pd.isna(r.no_sp2d) else f"'{r.no_sp2d}", _d(r.tgl_sp2d)])
    return write(Path(path), [("Data", rows, [])])


# -- Detail Pengeluaran dan Potongan SPP/SPM/SP2D (sources/myintress_detail.py) ----------
DETAIL_HEADER = ["No", "No. SPP/SPM", "Tanggal SPP", "Tanggal SPM", "Jenis SPP/SPM",
                 "No. SP2D", "Tanggal SP2D", "Kode COA", "Uraian", "Nilai Pengeluaran",
                 "Potongan"]
PPH = "411121"      # PPh pasal 21: a potongan line's akun


NON_BELANJA = "815111"   # the akun an SPP without belanja lines (UP, TUP) is charged to here
_KEYS = ["kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
         "kode_subkomponen", "kode_akun", "no_item"]


def coa(satker: str, akun: str, path: dict, kppn: str = "010", ba_es1: str = "08801",
        lokasi: str = "0100") -> str:
    """The 16-segment COA string of one line (segments 6–12 as a BPS SPM prints them)."""
    one = pd.DataFrame([{**{k: path.get(k) for k in _KEYS}, "kode_satker": satker,
                         "kode_akun": akun}])
    return _coa(one, kppn, ba_es1, lokasi).iloc[0]


def _coa(df: pd.DataFrame, kppn: str = "010", ba_es1: str = "08801",
         lokasi: str = "0100") -> pd.Series:
    """coa() for every row of df (kode_satker, kode_akun and the path columns)."""
    t = {c: df[c].astype("string").fillna("") for c in ["kode_satker", *_KEYS]}
    sub = t["kode_subkomponen"].where(t["kode_subkomponen"].str.len() != 1,
                                      "0" + t["kode_subkomponen"])
    item = pd.to_numeric(df["no_item"], errors="coerce").fillna(0).astype(int) \
        .astype(str).str.zfill(6)
    mid = f".A000000001.00000.2.{lokasi}.2.000000.000000."
    return (t["kode_satker"] + f".{kppn}." + t["kode_akun"] + f".{ba_es1}"
            + t["kode_program"] + "." + t["kode_kegiatan"] + t["kode_kro"] + mid
            + t["kode_ro"] + "." + t["kode_komponen"] + "." + sub + "." + item).astype(object)


def detail_lines(pok: pd.DataFrame, realisasi: pd.DataFrame, spp: pd.DataFrame,
                 potongan: dict | None = None) -> pd.DataFrame:
    """The lines of one satker's download: a line per realisasi line under the SPP of its
    SP2D; `potongan` {no_spp: amount} adds a PPh line to that SPP. An SPP with no
    realisasi line is charged to the satker's last POK item: still in process (no SP2D)
    on the item's akun, paid (UP, TUP) on a non-belanja akun (NON_BELANJA)."""
    sp = spp.rename(columns={"jenis_spp": "jenis"})
    head = ["no_spp", "tgl_spp", "tgl_spm", "jenis", "no_sp2d", "tgl_sp2d"]
    names = pok[_KEYS].astype("string").assign(uraian=pok["uraian_item"].to_numpy())
    r = realisasi.assign(**{k: realisasi[k].astype("string") for k in _KEYS})
    r = r.merge(names, on=_KEYS, how="left")
    paid = sp.dropna(subset=["no_sp2d"])
    r = r.merge(paid[["kode_satker", *head]], on=["kode_satker", "no_sp2d"], how="left")
    r["coa"] = _coa(r)
    r["pengeluaran"], r["potongan"] = r["nilai"].astype(float), 0.0
    parts = [r[[*head, "coa", "uraian", "pengeluaran", "potongan"]]]
    rest = sp[~sp["no_sp2d"].isin(set(realisasi["no_sp2d"].dropna()))]
    if len(rest) and len(pok):
        last = pok.iloc[-1]
        x = rest.assign(**{k: last[k] for k in _KEYS})
        x["kode_akun"] = x["kode_akun"].where(x["no_sp2d"].isna(), NON_BELANJA)
        x["coa"], x["uraian"] = _coa(x), x["uraian"]
        x["pengeluaran"], x["potongan"] = x["nilai"].astype(float), 0.0
        parts.append(x[[*head, "coa", "uraian", "pengeluaran", "potongan"]])
    out = pd.concat(parts, ignore_index=True)
    if potongan:
        firsts = out.drop_duplicates("no_spp").set_index("no_spp")
        pph = []
        for no, amount in potongan.items():
            if no not in firsts.index:
                continue
            f = firsts.loc[no]
            seg = str(f["coa"]).split(".")
            seg[2], seg[-1] = PPH, "000000"
            pph.append({**{h: f[h] for h in head if h != "no_spp"}, "no_spp": no,
                        "coa": ".".join(seg), "uraian": "Potongan PPh Pasal 21",
                        "pengeluaran": 0.0, "potongan": float(amount)})
        out = pd.concat([out, pd.DataFrame(pph)], ignore_index=True)
    return out


def write_myintress_detail(lines: pd.DataFrame, path: Path, satker: str,
                           satker_name: str = "", sen: bool = False) -> Path:
    """Title rows 1–4, the header on row 5 (sheet `Data`), the lines in order of SPP, a
    JUMLAH line; amounts as text `1.234.567` (`sen`: `1.234.567,00`)."""
    def amount(v: float) -> str | None:
        if not v:
            return None
        return _rp(v) + (",00" if sen else "")
    rows = [["DETAIL PENGELUARAN DAN POTONGAN SPP/SPM/SP2D"],
            [f"SATKER {satker} {satker_name}".strip()],
            ["Waktu unduh: 31-12-2022 10:00"], [], DETAIL_HEADER]
    order = lines.assign(_o=range(len(lines))).sort_values(["tgl_spp", "no_spp", "_o"])
    for i, r in enumerate(order.itertuples(), start=1):
        rows.append([str(i), f"'{r.no_spp}", _d(r.tgl_spp), _d(r.tgl_spm),
                     f"{r.jenis}" if not pd.isna(r.jenis) else None,
                     None if pd.isna(r.no_sp2d) else f"'{r.no_sp2d}", _d(r.tgl_sp2d), r.coa,
                     str(r.uraian or ""), amount(r.pengeluaran), amount(r.potongan)])
    rows.append([None] * 8 + ["JUMLAH", amount(lines["pengeluaran"].sum()),
                              amount(lines["potongan"].sum())])
    return write(Path(path), [("Data", rows, [])])
