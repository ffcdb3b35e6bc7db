"""SAKTI "Rincian Kertas Kerja Satker" (RKK, sheet `RKK_MULTIYEAR_SATKER`, DOMAIN.md §6):
the pagu structure of a satker — code in column A, uraian in D/E, the amount in J
(sometimes K), no year in the file. It carries no items and no plan, so it loads nothing:
it is read to hold the POK of the same ingest against it, akun path by akun path (one
agency project reconciles every akun path of a satker across RKK, POK and Fa Detail this
way). Codes as the Form Cetak POK writes them (`012.23.AB`, `6513`, `6513.ABC`, `ABC.001`,
komponen, subkomponen, akun: layouts/sakti_form_pok.yaml `levels`); amounts in rupiah.
Recognised from its sheet name or a title with RINCIAN KERTAS KERJA, and a header row with
KODE and URAIAN.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..problems import Problem
from .glp039 import _text, number

NAME = "sakti_rkk"
LEVELS = ["program", "kegiatan", "kro", "ro", "komponen", "subkomponen", "akun"]
_TITLE = re.compile(r"RINCIAN\s+KERTAS\s+KERJA|\bRKK\b", re.I)
_AMOUNT = re.compile(r"JUMLAH|PAGU|BIAYA|TOTAL", re.I)


def _levels():
    from .sakti_xlsx import FORM_POK, _extra
    return [(lv["level"], re.compile(lv["pattern"])) for lv in _extra(FORM_POK)["levels"]]


def _header(rows: list[list]) -> int | None:
    for i, row in enumerate(rows[:15]):
        cells = [_text(v).upper() for v in row]
        if any(c == "KODE" or c.startswith("KODE ") for c in cells) and \
                any("URAIAN" in c for c in cells):
            return i
    return None


def recognise(sheet_name: str, rows: list[list]) -> bool:
    title = " ".join(_text(v) for row in rows[:8] for v in row)
    return (sheet_name.upper().startswith("RKK") or bool(_TITLE.search(title))) \
        and _header(rows) is not None


def read_report(path: Path, label: str, problems: list[Problem]) -> pd.DataFrame | None:
    """Akun paths and their pagu (kode_satker, path, pagu, _file, _row) of an RKK workbook;
    None when `path` is not one."""
    from .peek import heads as peek
    try:
        names = [(n, rows[:15]) for n, rows in peek(path)]
    except Exception:  # noqa: BLE001 -- not a workbook calamine can open: others say why
        return None
    if not any(recognise(n, h) for n, h in names):
        return None
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    sheets = [(n, wb.get_sheet_by_name(n)) for n in wb.sheet_names]
    found = [(n, s) for (n, s), (_, h) in zip(sheets, names) if recognise(n, h)]
    out = []
    for name, sheet in found:
        sl = label if len(sheets) == 1 else f"{label}[{name}]"
        n0 = len(problems)
        try:
            out.append(read_rows(sheet.to_python(skip_empty_area=False), sl, problems))
        except Exception as e:  # noqa: BLE001 -- never a traceback for a user's file
            del problems[n0:]
            problems.append(Problem(sl, None, None, (
                f"Rincian Kertas Kerja Satker tidak dapat dibaca: susunan lembar ini tidak "
                f"terduga ({e})")))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["kode_satker", "path", "pagu", "_file", "_row"])


def read_rows(rows: list[list], label: str, problems: list[Problem]) -> pd.DataFrame:
    hi = _header(rows)
    head = [_text(v).upper() for v in rows[hi]]
    amount = next((i for i, c in enumerate(head) if _AMOUNT.search(c)), None)
    if amount is None:     # J, else K (DOMAIN §6)
        amount = 9 if any(len(r) > 9 and _text(r[9]) for r in rows[hi + 1:]) else 10
    title = " ".join(_text(v) for row in rows[:hi] for v in row)
    m = re.search(r"(?:^|\D)(\d{6})(?:\D|$)", title)
    sat = m.group(1) if m else None
    if sat is None:
        problems.append(Problem(label, 1, None, (
            "kode satker (6 digit) tidak ditemukan di judul Rincian Kertas Kerja Satker")))
    levels = _levels()
    cur: dict[str, str | None] = {lv: None for lv in LEVELS}
    recs = []
    for r0 in range(hi + 1, len(rows)):
        row, r = rows[r0], r0 + 1
        code = _text(row[0]).upper() if row else ""
        if not code:
            continue
        level = next(((lv, mm) for lv, rx in levels if (mm := rx.fullmatch(code))), None)
        if level is None:
            continue          # a caption, a total line, a footnote
        lv, mm = level
        k = LEVELS.index(lv)
        for lv2 in LEVELS[k:]:
            cur[lv2] = None
        cur[lv] = mm.groups()[-1]
        if lv != "akun":
            continue
        val, ok = number(row[amount] if amount < len(row) else None)
        if not ok:
            problems.append(Problem(label, r, chr(65 + amount) if amount < 26 else None, (
                f"jumlah akun {code}: bukan angka yang sah: {_text(row[amount])[:40]!r}")))
            continue
        path = ".".join(cur[x] for x in LEVELS if cur[x])
        recs.append({"kode_satker": sat, "path": path, "pagu": val or 0.0, "_file": label,
                     "_row": r})
    return pd.DataFrame(recs, columns=["kode_satker", "path", "pagu", "_file", "_row"])


def notes(rkk: list[pd.DataFrame], pok: pd.DataFrame | None) -> list[str]:
    """The POK of this ingest held against the RKK, per satker and akun path."""
    if not rkk:
        return []
    r = pd.concat(rkk, ignore_index=True)
    out = []
    for (f, ks), g in r.groupby(["_file", "kode_satker"], sort=True, dropna=False):
        mine = pok[pok["kode_satker"] == ks] if pok is not None and len(pok) else None
        if mine is None or not len(mine):
            out.append(f"{f}: Rincian Kertas Kerja Satker {ks} dibaca untuk pemeriksaan saja "
                       "(tidak memuat data); POK satker itu tidak ada di ingest ini.")
            continue
        cols = ["kode_program", "kode_kegiatan", "kode_kro", "kode_ro", "kode_komponen",
                "kode_subkomponen", "kode_akun"]
        p = mine[cols].astype(object).where(mine[cols].notna(), "").astype(str)
        path = p.apply(lambda x: ".".join(v for v in x if v), axis=1)
        pagu = mine["pagu"].groupby(path.to_numpy()).sum()
        want = g.groupby("path")["pagu"].sum()
        both = pd.concat([want.rename("rkk"), pagu.rename("pok")], axis=1).fillna(0.0)
        off = both[(both["rkk"] - both["pok"]).abs() > 0.5]
        if off.empty:
            out.append(f"{f}: pagu {len(both)} jalur akun satker {ks} sama dengan POK "
                       "(Rincian Kertas Kerja Satker).")
            continue
        from .sakti_xlsx import _rupiah
        parts = [f"{i} RKK Rp{_rupiah(v.rkk)}, POK Rp{_rupiah(v.pok)}"
                 for i, v in off.head(10).iterrows()]
        out.append(f"{f}: pagu {len(off)} dari {len(both)} jalur akun satker {ks} berbeda "
                   "antara Rincian Kertas Kerja Satker dan POK: " + "; ".join(parts)
                   + (f"; dan {len(off) - 10} lagi" if len(off) > 10 else "") + ".")
    return out
