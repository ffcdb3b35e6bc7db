"""Writes the GLP039 fixtures of this folder from the canonical fixture (../kanonik):
`python tests/data/layouts/sakti-glp039/buat_fixture.py`.

- GLP039_017220_maret.xlsx: Fa Detail s.d. Maret 2022 as SAKTI writes it (inline strings,
  numbers as Java doubles, the sheet name's trailing space, two-level header, JUMLAH
  SELURUHNYA, a footnote inside the data)
- GLP039_017231_geser.xlsx: the copy shifted one column to the left, numbers as text
  (`"5.0E7"`), s.d. Maret 2022
- satker.csv, unit_kerja.csv, pok.csv: copied from ../kanonik, so that the folder ingests
  alone (realisasi needs its POK items)
"""
import shutil
from pathlib import Path

import pandas as pd

from spektra_lib.synth.glp039 import write_glp039

HERE = Path(__file__).parent
BASE = HERE.parent / "kanonik"


def tables():
    pok = pd.read_csv(BASE / "pok.csv", dtype=str, keep_default_na=False)
    pok["pagu"] = pok["pagu"].astype(float)
    pok["tahun"] = pok["tahun"].astype(int)
    real = pd.read_csv(BASE / "realisasi.csv", dtype=str, keep_default_na=False)
    real["nilai"] = real["nilai"].astype(float)
    return pok, real


def main(folder: Path = HERE) -> None:
    pok, real = tables()
    for ks, name, kw in (("017220", "GLP039_017220_maret.xlsx", {}),
                         ("017231", "GLP039_017231_geser.xlsx",
                          {"shifted": True, "text_numbers": True})):
        write_glp039(pok[pok.kode_satker == ks], real[real.kode_satker == ks], 3,
                     folder / name, "Satker Uji", **kw)
    for f in ("satker.csv", "unit_kerja.csv", "pok.csv"):
        shutil.copy(BASE / f, folder / f)


if __name__ == "__main__":
    main()
