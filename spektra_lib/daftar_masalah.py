"""Problem lists a person can read (issue 27, Build 3).

A wrong folder used to flood the terminal with 28.145 lines of the same problem. Here:

- `diagnosis(problems)`: one line first, saying what the folder looks like and what to do
  ("realisasi tanpa POK: muat dulu folder POK"; "header pada baris 4"), or None;
- `ringkas(problems)`: at most BATAS lines per file and kind of problem, then
  "… dan 6.822 baris lain dengan masalah yang sama (kolom: masalah)";
- `tulis_lengkap(problems, store)`: the full list in a file next to the store (or in the
  temporary folder), whose path the command prints.

A kind of problem is its file, its column and its message up to the first ": " with
quoted values and numbers taken out ("realisasi untuk item yang tidak ada di POK").
"""
from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path

from .problems import Problem, safe_text

BATAS = 20
DIAGNOSIS = "Diagnosis: "
SAMA = "baris lain dengan masalah yang sama"
LENGKAP = "Daftar lengkap"
_NILAI = re.compile(r"'[^']*'|\"[^\"]*\"|\d[\d.,]*")

TANPA_POK = "tidak ada di POK"
HEADER = re.compile(r"^header pada baris (\d+)")
TIDAK_DIKENALI = "jenis berkas tidak dikenali"


def _angka(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def pola(message: str) -> str:
    """The kind of a message: its text up to the first ': ', values taken out."""
    return _NILAI.sub("…", message.split(": ", 1)[0]).strip()


def urut(problems) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def ringkas(problems, batas: int = BATAS) -> tuple[list[str], int]:
    """(lines to print, how many problems they leave out): per file and kind the first
    `batas` problems, then one line counting the rest."""
    groups: dict[tuple, list[Problem]] = {}
    for p in urut(problems):
        groups.setdefault((p.file, p.column or "", pola(p.message)), []).append(p)
    lines, hidden = [], 0
    for (file, column, kind), ps in groups.items():
        lines += [str(p) for p in ps[:batas]]
        if len(ps) > batas:
            rest = len(ps) - batas
            hidden += rest
            lines.append(f"{safe_text(file)}: … dan {_angka(rest)} {SAMA} "
                         f"({safe_text(column or '-')}: {safe_text(kind)})")
    return lines, hidden


def diagnosis(problems) -> str | None:
    """What the folder looks like and what to do, when the problems say it plainly."""
    problems = list(problems)
    if not problems:
        return None
    header = [(p, HEADER.match(p.message)) for p in problems]
    header = [(p, m) for p, m in header if m]
    if header:
        p, m = header[0]
        more = f" (dan {len(header) - 1} berkas lain)" if len(header) > 1 else ""
        return (f"{DIAGNOSIS}{safe_text(p.file)}{more} diawali baris judul: header-nya pada "
                f"baris {m.group(1)}. Hapus baris judul di atas header lalu ulangi.")
    no_pok = sum(TANPA_POK in p.message for p in problems)
    if no_pok > BATAS and no_pok >= 0.8 * len(problems):     # wholesale, not one typo
        return (f"{DIAGNOSIS}folder ini tampak berisi realisasi tanpa POK-nya ({_angka(no_pok)} "
                "baris realisasi untuk item yang belum ada di store). Muat dulu folder POK "
                "(DIPA atau revisinya) tahun itu, lalu ulangi folder ini.")
    if all(TIDAK_DIKENALI in p.message for p in problems):
        return (f"{DIAGNOSIS}tidak satu berkas pun dikenali sebagai ekspor SAKTI, ADK, OM-SPAN "
                "atau tabel kanonik. Periksa apakah ini folder ekspor yang dimaksud; "
                "docs/layouts.md menyebut kolom tiap jenis berkas.")
    return None


def tulis_lengkap(problems, store: Path | None, perintah: str) -> Path:
    """Every problem, one a line, in masalah-<perintah>-<waktu>.txt beside the store
    (its folder must exist) or in the temporary folder."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(store).parent if store is not None and Path(store).parent.is_dir() \
        else Path(tempfile.gettempdir())
    path = folder / f"masalah-{perintah}-{stamp}.txt"
    try:
        path.write_text("".join(f"{p}\n" for p in urut(problems)), encoding="utf-8")
    except OSError:
        path = Path(tempfile.gettempdir()) / path.name
        path.write_text("".join(f"{p}\n" for p in urut(problems)), encoding="utf-8")
    return path


def baris(problems, store: Path | None, perintah: str, batas: int = BATAS) -> list[str]:
    """What a command prints for its problems: the diagnosis, the shortened list and,
    when lines were left out, where the full list is."""
    first = diagnosis(problems)
    lines, hidden = ringkas(problems, batas)
    out = ([first] if first else []) + lines
    if hidden:
        path = tulis_lengkap(problems, store, perintah)
        out.append(f"{LENGKAP} {_angka(len(set(problems)))} masalah: {safe_text(path)}")
    return out
