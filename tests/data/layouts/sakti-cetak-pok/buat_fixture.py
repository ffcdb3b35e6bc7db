"""Writes the printed Form Cetak POK fixtures of this folder from the canonical fixture
(../kanonik): `python tests/data/layouts/sakti-cetak-pok/buat_fixture.py`.

- POK_017220_3hal.xlsx: 017220 over three printed pages (header, column numbers and a page
  mark repeated), "(dalam ribuan rupiah)", item lines without a code, blokir 2.000.000 on
  521211 item 1
- POK_017231_harga_rupiah.xlsx: 017231 in ribuan without a unit note, harga satuan in
  rupiah beside totals in ribuan (volume × harga = 1.000 × jumlah: the unit is evident)
- satker.csv, unit_kerja.csv: copied from ../kanonik, so that the folder ingests alone
(the same POK without a note and without evidence is written by the tests themselves:
`tanpa_satuan(folder)`, refused until --satuan is given)
"""
import shutil
from pathlib import Path

import pandas as pd

from spektra_lib.synth.cetak_pok import write_cetak_pok

HERE = Path(__file__).parent
BASE = HERE.parent / "kanonik"
AMOUNTS = ["volume", "harga_satuan", "pagu"] + [f"rpd_{m:02d}" for m in range(1, 13)]


def pok() -> pd.DataFrame:
    p = pd.read_csv(BASE / "pok.csv", dtype=str, keep_default_na=False)
    for c in AMOUNTS:
        p[c] = p[c].astype(float)
    p["tahun"] = p["tahun"].astype(int)
    return p


def main(folder: Path = HERE) -> None:
    p = pok()
    pusat, kanreg = p[p.kode_satker == "017220"], p[p.kode_satker == "017231"]
    write_cetak_pok(pusat, folder / "POK_017220_3hal.xlsx", "BKN KANTOR PUSAT",
                    lines_per_page=5, blokir={("521211", "1"): 2_000_000})
    write_cetak_pok(kanreg, folder / "POK_017231_harga_rupiah.xlsx", "KANREG I",
                    unit_note=False, harga_rupiah=True, lines_per_page=6)
    for f in ("satker.csv", "unit_kerja.csv"):
        shutil.copy(BASE / f, folder / f)


def tanpa_satuan(folder: Path) -> Path:
    """017231 in ribuan without a unit note, every amount a whole number of thousands:
    nothing in the sheet tells the unit."""
    p = pok()
    return write_cetak_pok(p[p.kode_satker == "017231"], folder / "POK_017231_tanpa_satuan.xlsx",
                           "KANREG I", unit_note=False, lines_per_page=6)


if __name__ == "__main__":
    main()
