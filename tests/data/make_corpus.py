"""Write the committed test corpus from the valid base tests/data/layouts/kanonik:

- tests/data/layouts/<layout>/: the base in every real layout (sources.write.write);
- tests/data/bad/<case>/: one small folder per refusal of CONTRACT §1, each editing one
  thing, plus `bom_titik_koma` which must load.

Run `.venv/bin/python tests/data/make_corpus.py` after changing the base.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE, OUT = HERE / "layouts" / "kanonik", HERE / "bad"


def rows(name: str) -> list[list[str]]:
    with open(BASE / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def put(case: str, name: str, table: list[list[str]], *, sep: str = ",", bom: bool = False) -> None:
    d = OUT / case
    d.mkdir(parents=True, exist_ok=True)
    with open(d / name, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        csv.writer(f, delimiter=sep, lineterminator="\n").writerows(table)


def col(table, name):
    return table[0].index(name)


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    pok = rows("pok")

    t = [r + ["x"] for r in pok]
    t[0][-1] = "keterangan_tambahan"
    put("kolom_tidak_dikenal", "pok.csv", t)

    i = col(pok, "pagu")
    put("kolom_wajib_hilang", "pok.csv", [r[:i] + r[i + 1:] for r in pok])

    t = [list(r) for r in pok]
    t[3][col(t, "pagu")] = "abc"          # line 4
    t[5][col(t, "volume")] = "12 OB"      # line 6: two problems in one file, both reported
    put("angka_tidak_sah", "pok.csv", t)

    real = rows("realisasi")
    t = [list(r) for r in real]
    t[2][col(t, "tanggal")] = "2022-13-45"
    t[4][col(t, "tanggal")] = "31/02/2022"
    put("tanggal_tidak_sah", "realisasi.csv", t)

    put("item_ganda", "pok.csv", pok + [pok[3]])

    t = [list(r) for r in real]
    t[1][col(t, "no_item")] = "9"
    put("realisasi_item_tidak_ada", "realisasi.csv", t)

    cap = rows("capaian_ro")
    t = [list(r) for r in cap]
    t[2][col(t, "bulan")] = "13"
    put("bulan_di_luar", "capaian_ro.csv", t)

    t = [list(r) for r in pok]
    t[3][col(t, "volume")] = "-10"
    t[3][col(t, "pagu")] = "-15000000"
    put("pagu_negatif", "pok.csv", t)

    t = [list(r) for r in pok]
    t[3][col(t, "pagu")] = "15000002"
    put("pagu_tidak_cocok", "pok.csv", t)

    sat = rows("satker")
    t = [list(r) for r in sat]
    t[2][col(t, "kelompok")] = "DAERAH"
    put("kelompok_tidak_dikenal", "satker.csv", t)

    # A central-satker line that no unit rule of parameters/organisasi.yaml covers.
    t = [list(r) for r in pok]
    t[3][col(t, "kode_unit")] = ""
    t[3][col(t, "kode_kegiatan")] = "4899"
    put("unit_tidak_cocok", "pok.csv", t)

    t = rows("unit_kerja") + [["0999", "Biro Lain", "999999"]]
    put("unit_satker_tidak_dikenal", "unit_kerja.csv", t)

    # Formula cell in a workbook: refused, never evaluated.
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "pok"
    for r in pok:
        ws.append(r)
    for row in ws.iter_rows():       # data text is text, even when it starts with '='
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    ws.cell(row=4, column=col(pok, "pagu") + 1).value = "=T4*V4"
    (OUT / "rumus_xlsx").mkdir(parents=True, exist_ok=True)
    wb.save(OUT / "rumus_xlsx" / "pok.xlsx")

    # Must load: BOM + `;` + Indonesian amounts + dd/mm/yyyy dates.
    amount_cols = {"harga_satuan", "pagu"} | {f"rpd_{m:02d}" for m in range(1, 13)}
    t = [pok[0]] + [[_indo(v) if pok[0][j] in amount_cols else v for j, v in enumerate(r)]
                    for r in pok[1:]]
    put("bom_titik_koma", "pok.csv", t, sep=";", bom=True)
    t = [real[0]] + [[_dmy(v) if real[0][j] == "tanggal" else _indo(v) if real[0][j] == "nilai"
                      else v for j, v in enumerate(r)] for r in real[1:]]
    put("bom_titik_koma", "realisasi.csv", t, sep=";", bom=True)


def _indo(v: str) -> str:
    whole, _, frac = v.partition(".")
    neg = whole.startswith("-")
    return ("-" if neg else "") + f"{int(whole.lstrip('-')):,}".replace(",", ".") + "," + (frac + "00")[:2]


def _dmy(v: str) -> str:
    y, m, d = v.split("-")
    return f"{d}/{m}/{y}"


# The real-layout folders written from the base; the others (sakti-json, sakti-xlsx,
# adk-keu, omspan-xlsx) are written by hand from DOMAIN §6 with figures of their own.
FROM_BASE = ("kanonik-xlsx", "sakti", "adk", "adk-dbf", "omspan")


def layouts() -> None:
    import sys
    sys.path.insert(0, str(HERE.parents[1]))
    from spektra_lib.sources import detect
    from spektra_lib.synth.write import write
    base = detect.read(BASE)
    for layout in FROM_BASE:
        shutil.rmtree(HERE / "layouts" / layout, ignore_errors=True)
        write(base.tables, HERE / "layouts" / layout, layout)


if __name__ == "__main__":
    main()
    layouts()
