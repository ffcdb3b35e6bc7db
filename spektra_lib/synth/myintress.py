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


def coa(satker: str, akun: str, path: dict, kppn: str = "010", ba_es1: str = "08801",
        lokasi: str = "0100") -> str:
    """The 16-segment COA string of one line (segments 6–12 as a BPS SPM prints them)."""
    sub = path.get("kode_subkomponen")
    sub = "" if sub is None or pd.isna(sub) or sub == "" else (
        f"0{sub}" if len(str(sub)) == 1 else str(sub))
    return ".".join([satker, kppn, akun, f"{ba_es1}{path['kode_program']}",
                     f"{path['kode_kegiatan']}{path['kode_kro']}", "A000000001", "00000", "2",
                     lokasi, "2", "000000", "000000", str(path["kode_ro"]),
                     str(path["kode_komponen"]), sub, f"{int(path['no_item']):06d}"])


def detail_lines(pok: pd.DataFrame, realisasi: pd.DataFrame, spp: pd.DataFrame,
                 potongan: dict | None = None) -> pd.DataFrame:
    """The lines of one satker's download: a line per realisasi line under the SPP of its
    SP2D; `potongan` {no_spp: amount} adds a PPh line to that SPP; an SPP with no
    realisasi (still in process) charges the satker's last POK item."""
    keys = ["kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
            "kode_subkomponen", "kode_akun", "no_item"]
    by_sp2d = {str(r.no_sp2d): r for r in spp.itertuples() if not pd.isna(r.no_sp2d)}
    uraian = {tuple(str(v) for v in r[keys]): r["uraian_item"] for _, r in pok.iterrows()}
    out = []

    def line(s, r, nilai: float, pot: float):
        out.append({"no_spp": s.no_spp, "tgl_spp": s.tgl_spp, "tgl_spm": s.tgl_spm,
                    "jenis": s.jenis_spp, "no_sp2d": s.no_sp2d, "tgl_sp2d": s.tgl_sp2d,
                    "coa": coa(str(s.kode_satker), str(r["kode_akun"]), r),
                    "uraian": uraian.get(tuple(str(r[k]) for k in keys), ""),
                    "pengeluaran": nilai, "potongan": pot})
    for _, r in realisasi.iterrows():
        s = by_sp2d[str(r["no_sp2d"])]
        line(s, r, float(r["nilai"]), 0.0)
    for s in spp.itertuples():
        if pd.isna(s.no_sp2d):
            line(s, pok.iloc[-1], float(s.nilai), 0.0)
        if potongan and s.no_spp in potongan:
            # the PPh line: the SPP's first line's COA with the potongan akun, no item
            seg = next(x for x in out if x["no_spp"] == s.no_spp)["coa"].split(".")
            seg[2], seg[-1] = PPH, "000000"
            out.append({**out[-1], "no_spp": s.no_spp, "tgl_spp": s.tgl_spp,
                        "tgl_spm": s.tgl_spm, "jenis": s.jenis_spp, "no_sp2d": s.no_sp2d,
                        "tgl_sp2d": s.tgl_sp2d, "coa": ".".join(seg),
                        "uraian": "Potongan PPh Pasal 21", "pengeluaran": 0.0,
                        "potongan": float(potongan[s.no_spp])})
    return pd.DataFrame(out)


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
