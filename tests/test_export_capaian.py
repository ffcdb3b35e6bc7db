"""Capaian Output downloads a satker can forward (issue 27.3): the rules' messages, not their
codes; statuses as the page writes them; in the PDF a Draf Keterangan column wide enough to
read (it was ~6 % of the page: every row eight lines tall)."""
from __future__ import annotations

import csv
import shutil

import pandas as pd
import pdfplumber
import pytest
from openpyxl import load_workbook

from spektra_lib.export import write
from spektra_lib.reports.capaian import legenda_pelanggaran

KET = ("s.d. bulan Maret 2022, PCRO Kumulatif : 13,90% dengan RVRO kumulatif : 1 Layanan. "
       "Tahapan yang sudah dilaksanakan bulan ini adalah [isi: tahapan]. Gap PPA dan PCRO "
       "disebabkan [isi: penyebab gap] dan akan ditindaklanjuti dengan [isi: tindak lanjut].")


def capaian_frame(n: int = 12) -> pd.DataFrame:
    rows = []
    for i in range(n):
        bad = i % 3 == 0
        rows.append(dict(path=f"3662.BAB.{i:03d}", nama_ro="Layanan Kepegawaian Instansi Daerah",
                         strategis=i % 2, bulan=3, target_volume=12.0, satuan="Layanan",
                         rvro_kumulatif=1.0, pcro_kumulatif=13.9, ppa=11.79,
                         gap=-2.11, status="anomali" if bad else "normal",
                         pelanggaran="PCRO_TARGET_TW;GAP_ANOMALI" if bad else "",
                         keterangan_draf=KET))
    return pd.DataFrame(rows)


def test_xlsx_shows_rule_messages_and_capitalised_status(tmp_path):
    path = write(capaian_frame(), tmp_path / "capaian.xlsx", report="capaian_output")
    ws = load_workbook(path)["Laporan"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "Pelanggaran" in r)
    col = {h: j for j, h in enumerate(rows[head]) if h}
    body = [r for r in rows[head + 1:] if r[col["Kode RO"]]]
    legenda = legenda_pelanggaran()
    assert body[0][col["Pelanggaran"]] == f"{legenda['PCRO_TARGET_TW']} {legenda['GAP_ANOMALI']}"
    assert [r[col["Status"]] for r in body[:3]] == ["Anomali", "Normal", "Normal"]
    every = " ".join(str(v) for r in rows for v in r if v is not None)
    assert "PCRO_TARGET_TW" not in every and "GAP_ANOMALI" not in every


def test_tidy_csv_keeps_the_codes(tmp_path):
    path = write(capaian_frame(), tmp_path / "capaian.csv", report="capaian_output")
    with open(path, encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    assert first["pelanggaran"] == "PCRO_TARGET_TW;GAP_ANOMALI" and first["status"] == "anomali"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium Debian tidak terpasang")
def test_pdf_draft_column_is_readable(tmp_path):
    path = write(capaian_frame(), tmp_path / "capaian.pdf", report="capaian_output")
    with pdfplumber.open(path) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
        page = doc.pages[0]
        words = page.extract_words()
        width = page.width
    assert "PCRO_TARGET_TW" not in text and "Anomali" in text
    assert "PCRO kumulatif di bawah target triwulan" in text
    # the first draft: from its "s.d." to its "ditindaklanjuti" at most five lines (it took
    # eight to nine), in a column at least a fifth of the page wide
    start = next(w for w in words if w["text"] == "s.d.")
    end = next(w for w in words if w["text"] == "ditindaklanjuti" and w["top"] >= start["top"])
    draft = [w for w in words if w["x0"] >= start["x0"] - 1
             and start["top"] - 1 <= w["top"] <= end["top"] + 1]
    assert len({round(w["top"]) for w in draft}) <= 5
    assert max(w["x1"] for w in draft) - start["x0"] > width / 5
