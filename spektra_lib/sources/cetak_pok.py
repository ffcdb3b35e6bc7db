"""What a *printed* Form Cetak POK adds to the one sakti_xlsx.py reads (DOMAIN.md §6):

- pages: the header repeats on every printed page inside the data, with a column-number
  row (`(1) (2) (3) …`) under it and a page mark (`Halaman 2`); `page_rows` finds them so
  that the reader skips them instead of taking `VOLUME` for a volume;
- the unit of amounts, decided from evidence (`decide_unit`): a unit note in the title or
  header wins; else `--satuan ribuan|rupiah`; else the sheet itself — every item's
  volume × harga satuan is 1,000 × its jumlah (harga in rupiah, totals in ribuan), or
  amounts carry fractions of a rupiah (thousandths of ribuan) — else the file is refused
  with a line naming `--satuan`. Never read 1,000× wrong in silence: the unit read and
  where it came from is a note of the ingest.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_PAGE = re.compile(r"^(HALAMAN|HAL\.?|PAGE)\s*:?\s*\d+(\s*(DARI|/|OF)\s*\d+)?$", re.I)
RIBUAN, RUPIAH = "ribuan", "rupiah"
SCALE = {RIBUAN: 1000, RUPIAH: 1}


def _norm(c: str) -> str:
    return re.sub(r"\s+", " ", c.strip().upper())


def page_rows(header: list[str], body: list[tuple[int, list[str]]]) -> set[int]:
    """Sheet rows of `body` ((row, cells)) that are print furniture: the header again, a
    column-number row, a page mark."""
    want = {i: _norm(c) for i, c in enumerate(header) if c.strip()}
    out = set()
    for r, cells in body:
        filled = [(i, _norm(c)) for i, c in enumerate(cells) if c.strip()]
        if not filled:
            continue
        same = sum(1 for i, c in filled if want.get(i) == c)
        if same >= max(2, (len(want) + 1) // 2) and same >= len(filled) - 1:
            out.add(r)
        elif len(filled) >= 3 and all(_NUMBERING.match(c) for _, c in filled):
            nums = [int(c.strip("()")) for _, c in filled]
            if nums == sorted(nums):
                out.add(r)
        elif len(filled) <= 2 and any(_PAGE.match(c) for _, c in filled) \
                and not any(re.fullmatch(r"[\d.,\-]+", c) for _, c in filled):
            out.add(r)
    return out


def decide_unit(df: pd.DataFrame, note: int | None, flag: str | None,
                is_item: np.ndarray) -> tuple[int | None, int | None, str, str]:
    """(scale of amounts, scale of harga satuan, the unit read, its evidence) for the
    parsed lines `df` (volume, harga_satuan, jumlah, rpd_* as written); (None, None, "",
    "") when the sheet cannot tell and no --satuan was given. `how(unit, bukti)` is the
    sentence's wording."""
    if note is not None:
        unit = {1000: "ribuan rupiah", 10 ** 6: "jutaan rupiah"}.get(note, "rupiah")
        return note, note, unit, "tertulis di laporan"
    if flag in SCALE:
        unit = "ribuan rupiah" if flag == RIBUAN else "rupiah"
        return SCALE[flag], SCALE[flag], unit, f"tidak tertulis di laporan; --satuan {flag}"
    it = df.loc[is_item]
    v, h, j = (pd.to_numeric(it[c], errors="coerce").to_numpy(float)
               for c in ("volume", "harga_satuan", "jumlah"))
    ok = np.isfinite(v) & np.isfinite(h) & np.isfinite(j) & (j != 0) & (v * h != 0)
    if ok.sum():
        ratio = v[ok] * h[ok] / j[ok]
        if np.all(np.abs(ratio - 1000) <= 1000 * 0.005):
            return 1000, 1, "ribuan rupiah", (
                "harga satuan dalam rupiah; tidak tertulis; volume × harga satuan = 1.000 × "
                "jumlah pada semua item")
    months = [c for c in df.columns if str(c).startswith("rpd_")]
    vals = pd.concat([pd.to_numeric(df[c], errors="coerce") for c in ["jumlah", *months]])
    vals = vals.dropna().to_numpy(float)
    frac = np.abs(vals - np.round(vals)) > 1e-6
    if frac.any():
        return 1000, 1000, "ribuan rupiah", ("tidak tertulis; angka berpecahan seperti "
                                             f"{_plain(vals[frac][0])} hanya mungkin dalam ribuan")
    return None, None, "", ""


def how(unit: str, bukti: str) -> str:
    """'ribuan rupiah (tertulis di laporan)'; harga satuan in rupiah beside totals in ribuan
    is said after the unit."""
    first = "harga satuan dalam rupiah; "
    if bukti.startswith(first):
        return f"{unit}, harga satuan dalam rupiah ({bukti[len(first):]})"
    return f"{unit} ({bukti})"


def _plain(x: float) -> str:
    whole, _, frac = np.format_float_positional(abs(x), trim="-").partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return ("-" if x < 0 else "") + whole + ("," + frac if frac else "")


REFUSAL = ("satuan angka tidak tertulis di laporan (mis. \"dalam ribuan rupiah\") dan tidak "
           "dapat dipastikan dari isinya; setiap salinan asli SAKTI yang dikenal dalam ribuan "
           "rupiah: ulangi dengan --satuan ribuan (atau --satuan rupiah bila memang rupiah)")
