"""Writes the MyINTRESS "Detail Pengeluaran dan Potongan SPP/SPM/SP2D" fixtures of this folder
from the canonical fixture (../kanonik): `python tests/data/layouts/myintress-detail/buat_fixture.py`.

- MyINTRESS_Detail_017220.xlsx: 017220's five SPP (seven COA lines: five belanja lines from
  realisasi.csv, one a refund of -300.000, and PPh 21 potongan of 2.000.000 on 00001T and on
  00002T), title rows, header on row 5 of sheet `Data`, amounts as text `1.234.567`, SPP and
  SP2D numbers behind an apostrophe, a JUMLAH line
- MyINTRESS_Detail_017231.xlsx: 017231's three SPP, amounts written `1.234.567,00`; 00003T
  has no SP2D yet (in process: no realisasi, status Dalam proses), charged to 524111 item 1
- satker.csv, unit_kerja.csv, pok.csv: copied from ../kanonik, so that the folder ingests alone
"""
import shutil
from pathlib import Path

import pandas as pd

from spektra_lib.synth.myintress import detail_lines, write_myintress_detail

HERE = Path(__file__).parent
BASE = HERE.parent / "kanonik"


def _read(name: str) -> pd.DataFrame:
    df = pd.read_csv(BASE / name, dtype=str, keep_default_na=False).replace("", None)
    for c in ("nilai",):
        if c in df.columns:
            df[c] = df[c].astype(float)
    for c in ("tanggal", "tgl_spp", "tgl_spm", "tgl_sp2d"):
        if c in df.columns:
            df[c] = pd.to_datetime(df[c])
    return df


def main(folder: Path = HERE) -> None:
    pok, real, spp = _read("pok.csv"), _read("realisasi.csv"), _read("spp.csv")
    for kode, name, pot, sen in (("017220", "KANTOR PUSAT", {"00001T": 2_000_000,
                                                             "00002T": 2_000_000}, False),
                                 ("017231", "KANREG I", {}, True)):
        lines = detail_lines(pok[pok.kode_satker == kode], real[real.kode_satker == kode],
                             spp[spp.kode_satker == kode], pot)
        write_myintress_detail(lines, folder / f"MyINTRESS_Detail_{kode}.xlsx", kode, name,
                               sen=sen)
    for f in ("satker.csv", "unit_kerja.csv", "pok.csv"):
        shutil.copy(BASE / f, folder / f)


if __name__ == "__main__":
    main()
