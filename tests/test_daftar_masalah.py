"""Problem lists for people (issue 27 Build 3, items 5 and 6): a diagnosis first, at most 20
lines per file and kind, "dan N baris lain dengan masalah yang sama", the full list in a file
the command names; title lines above a header said as "header pada baris 4"."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from spektra_lib.cli import main
from spektra_lib.daftar_masalah import BATAS, pola, ringkas
from spektra_lib.problems import Problem

SEED = Path(__file__).parent / "data" / "seed"
LINE = re.compile(r"^[^:]+:(\d+|-): [^:]+: .+$")


def _err(capsys) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_realisasi_without_its_pok_is_diagnosed_and_cut_short(tmp_path, capsys):
    folder = tmp_path / "juni"
    folder.mkdir()
    shutil.copy(SEED / "realisasi.csv", folder)            # 202 rows, no POK anywhere
    store = tmp_path / "data" / "s.duckdb"
    store.parent.mkdir()
    assert main(["ingest", str(folder), "--store", str(store)]) == 1
    err = _err(capsys)
    # 202 lines without their item, and one line per satker (16) with its unmatched paths
    # and their money (issue 24 §3)
    assert err[0] == "Ingest ditolak: 218 masalah; store tidak berubah."
    assert err[1].startswith("Diagnosis: folder ini tampak berisi realisasi tanpa POK-nya (202 "
                             "baris") and "Muat dulu folder POK" in err[1]
    per_satker = [line for line in err if "yang tidak bertemu POK" in line]
    assert len(per_satker) == 16
    shown = [line for line in err if LINE.match(line) and line not in per_satker]
    assert len(shown) == BATAS
    assert err[2 + 16 + BATAS] == ("realisasi.csv: … dan 182 baris lain dengan masalah yang sama "
                              "(no_item: realisasi untuk item yang tidak ada di POK)")
    m = re.fullmatch(r"Daftar lengkap 218 masalah: (.+)", err[-1])
    full = Path(m.group(1))
    assert full.parent == store.parent and len(full.read_text().splitlines()) == 218
    assert not store.exists()                              # nothing was created


def test_periksa_prints_the_same_short_list(tmp_path, capsys):
    folder = tmp_path / "juni"
    folder.mkdir()
    shutil.copy(SEED / "realisasi.csv", folder)
    assert main(["periksa", str(folder), "--store", str(tmp_path / "s.duckdb")]) == 1
    out = capsys.readouterr().out.splitlines()
    i = out.index("Masalah (218):")
    assert out[i + 1].startswith("Diagnosis: folder ini tampak berisi realisasi tanpa POK")
    assert "… dan 182 baris lain dengan masalah yang sama" in out[i + 2 + 16 + BATAS]
    assert out[i + 3 + 16 + BATAS].startswith("Daftar lengkap 218 masalah: ")
    assert len(out) < 60


def _with_titles(src: Path, dest: Path, titles: list[str]) -> None:
    df = pd.read_csv(src, dtype=str)
    with pd.ExcelWriter(dest) as w:
        pd.DataFrame([[t] for t in titles]).to_excel(w, header=False, index=False)
        df.to_excel(w, index=False, startrow=len(titles))


def test_title_lines_above_the_header_say_where_the_header_is(tmp_path, capsys):
    # issue 27.6: "kolom ke-2 … ke-13 tidak bernama" for an export with a title
    folder = tmp_path / "ekspor"
    folder.mkdir()
    for name in ("satker", "unit_kerja", "pok", "target_penyerapan"):
        shutil.copy(SEED / f"{name}.csv", folder)
    _with_titles(SEED / "spp.csv", folder / "spp.xlsx",
                 ["MONITORING SPP", "KANTOR REGIONAL IV", ""])
    store = tmp_path / "s.duckdb"
    assert main(["ingest", str(folder), "--store", str(store)]) == 1
    err = _err(capsys)
    assert err[0] == "Ingest ditolak: 1 masalah; store tidak berubah."
    assert err[1] == ("Diagnosis: spp.xlsx[Sheet1] diawali baris judul: header-nya pada baris 4. "
                      "Hapus baris judul di atas header lalu ulangi.")
    assert err[2] == ("spp.xlsx[Sheet1]:4: -: header pada baris 4: baris 1–3 di atasnya berisi "
                      "judul, bukan nama kolom; hapus baris judul itu (atau ekspor ulang tanpa "
                      "judul) lalu ulangi")
    assert len(err) == 3 and "tidak bernama" not in "\n".join(err)


def test_a_csv_with_a_title_line_too(tmp_path, capsys):
    folder = tmp_path / "ekspor"
    folder.mkdir()
    text = (SEED / "spp.csv").read_text(encoding="utf-8")
    (folder / "spp.csv").write_text("Daftar SPP Kanreg IV,,,\n" + text, encoding="utf-8")
    assert main(["periksa", str(folder), "--store", str(tmp_path / "s.duckdb")]) == 1
    out = capsys.readouterr().out
    assert "spp.csv:2: -: header pada baris 2: baris 1 di atasnya berisi judul" in out


PROBLEMS = st.lists(st.builds(
    Problem, file=st.sampled_from(["a.csv", "b.xlsx[pok]"]),
    row=st.integers(1, 10_000), column=st.sampled_from([None, "nilai", "no_item"]),
    message=st.sampled_from(["nilai 'x' bukan angka", "nilai '12,5' bukan angka",
                             "realisasi untuk item yang tidak ada di POK: WA.1 (satker 1)",
                             "tanggal kosong"])), max_size=300)


@settings(max_examples=60, deadline=None)
@given(PROBLEMS)
def test_every_problem_shown_or_counted_at_most_20_per_kind(problems):
    lines, hidden = ringkas(problems)
    shown = [line for line in lines if "baris lain dengan masalah yang sama" not in line]
    counted = sum(int(re.search(r"dan ([\d.]+) baris", line).group(1).replace(".", ""))
                  for line in lines if "baris lain" in line)
    assert len(shown) + counted == len(set(problems)) and counted == hidden
    kinds: dict = {}
    for p in set(problems):
        if str(p) in shown:
            key = (p.file, p.column, pola(p.message))
            kinds[key] = kinds.get(key, 0) + 1
    assert all(n <= BATAS for n in kinds.values())
