"""Capaian output, reporting status and IKPA estimate as self-contained HTML tables.

Same frame as the hierarchical tables (present/tree.py: search box, page length, paging,
script and stylesheet inside the HTML): one `tbody.node` per RO (capaian, status) or per
satker (IKPA), so search and paging keep a group whole. Hooks for tests and stylesheets:

- style `capaian` (capaian output per RO): `tr.judul` (kode RO, nama RO, target) then one `tr.bulan` per month,
  `tr.anomali` when the gap is anomalous; `td.pelanggaran` lists `li[data-kode]` with the
  code and its Indonesian message; `td.keterangan-draf` keeps line breaks and marks each
  blank to fill as `mark.isian` ("[isi: …]");
- style `status` (reporting status): one row per satker × RO, month cells `td.status.status-lengkap|
  status-tanpa-keterangan|status-belum-dilaporkan|status-terlambat`; a row with a late or
  missing month is `tr.perlu-tindak`;
- style `ikpa` (IKPA estimate): per satker the indicator rows and `tr.total` (Nilai IKPA, kategori);
  caption and title say "Estimasi".
"""
from __future__ import annotations

import re
from html import escape

import pandas as pd

from . import format as fmt
from .tree import _missing, _wrap, style_block

ISIAN = re.compile(r"\[isi: [^\]]*\]")
STATUS_LABEL = {"lengkap": "Lengkap", "tanpa keterangan": "Tanpa keterangan",
                "belum dilaporkan": "Belum dilaporkan", "terlambat": "Terlambat"}
PERLU_TINDAK = {"terlambat", "belum dilaporkan", "tanpa keterangan"}


def _persen(x) -> str:
    return "" if _missing(x) else fmt.persen(x)


def _angka(x) -> str:
    return "" if _missing(x) else fmt.angka(x)


def _dua(x) -> str:
    """Scores with two decimals, as OM-SPAN shows IKPA (85,67; 100,00)."""
    return "" if _missing(x) else fmt.rupiah(x, 2)


def _node(teks: str, rows: list[str], kode: str = "", level: str = "ro") -> str:
    return (f'<tbody class="node level-{level}" data-level="{level}" data-kode="{escape(kode)}"'
            f' data-depth="0" data-teks="{escape(teks.lower())}" data-induk="">\n'
            + "\n".join(rows) + "\n</tbody>")


def keterangan_html(text) -> str:
    """The draft keterangan, escaped, with each "[isi: …]" blank marked to be filled."""
    if _missing(text):
        return ""
    out, last = [], 0
    text = str(text)
    for m in ISIAN.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(f'<mark class="isian" title="Wajib diisi oleh satker">{escape(m.group())}</mark>')
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def pelanggaran_html(codes, legenda: dict[str, str]) -> str:
    codes = [c for c in str(codes or "").split(";") if c]
    if not codes:
        return ""
    items = "".join(f'<li data-kode="{escape(c)}"><code>{escape(c)}</code> '
                    f'{escape(legenda.get(c, ""))}</li>' for c in codes)
    return f'<ul class="pelanggaran">{items}</ul>'


def legenda_pelanggaran_html(legenda: dict[str, str]) -> str:
    """Every rule code with its message (below the capaian table)."""
    items = "".join(f'<li data-kode="{escape(k)}"><code>{escape(k)}</code> {escape(v)}</li>'
                    for k, v in legenda.items())
    return (style_block() + '<div class="spektra-legenda pelanggaran"><p>Kode pelanggaran aturan capaian '
            f'output:</p><ul>{items}</ul><p><mark class="isian">[isi: …]</mark> pada draf '
            'keterangan: bagian yang wajib dilengkapi satker sebelum dilaporkan. Baris '
            '<span class="anomali">berwarna merah muda</span>: gap PPA dan PCRO anomali.</p></div>')


def capaian_table(df: pd.DataFrame, legenda: dict[str, str], *, laporan: str,
                  per_halaman: int = 10) -> str:
    """Capaian output: per RO a title row and its month rows (CONTRACT §2 columns)."""
    bodies = []
    for path, g in df.groupby("path", sort=False):
        first = g.iloc[0]
        target = (f"Target: {fmt.angka(first['target_volume'])} {first['satuan'] or ''}".strip()
                  if not _missing(first["target_volume"]) else "Target: belum ada")
        strategis = " · RO strategis" if int(first["strategis"]) == 1 else ""
        rows = [f'<tr class="judul induk"><td class="kode">{escape(str(path))}</td>'
                f'<td class="uraian" colspan="8">{escape(str(first["nama_ro"]))} — '
                f'{escape(target)}{strategis}</td></tr>']
        for r in g.to_dict("records"):
            anomali = r["status"] == "anomali"
            rows.append(
                f'<tr class="bulan{" anomali" if anomali else ""}" data-bulan="{int(r["bulan"])}">'
                f'<td></td><td>{fmt.nama_bulan(int(r["bulan"]))}</td>'
                f'<td class="angka">{escape(_angka(r["rvro_kumulatif"]))}</td>'
                f'<td class="angka">{escape(_persen(r["pcro_kumulatif"]))}</td>'
                f'<td class="angka">{escape(_persen(r["ppa"]))}</td>'
                f'<td class="angka">{escape(_persen(r["gap"]))}</td>'
                f'<td class="status">{"Anomali" if anomali else "Normal"}</td>'
                f'<td class="pelanggaran">{pelanggaran_html(r["pelanggaran"], legenda)}</td>'
                f'<td class="keterangan-draf">{keterangan_html(r["keterangan_draf"])}</td></tr>')
        teks = " ".join([str(path), str(first["nama_ro"])] + g["status"].tolist()
                        + g["pelanggaran"].fillna("").tolist())
        bodies.append(_node(teks, rows, str(path)))
    thead = ("<tr><th>Kode RO</th><th>Bulan</th><th>RVRO Kumulatif</th>"
             "<th>PCRO Kumulatif (%)</th><th>PPA (%)</th><th>Gap</th><th>Status</th>"
             "<th>Pelanggaran</th><th>Draf Keterangan</th></tr>")
    return _wrap(laporan, thead, bodies, per_halaman, kelas="capaian",
                 placeholder="Kode RO, nama RO, anomali, kode pelanggaran")


def status_table(df: pd.DataFrame, *, laporan: str, per_halaman: int = 20) -> str:
    """Reporting status: one row per satker × RO, the months side by side, coloured."""
    months = sorted(int(m) for m in df["bulan"].unique()) if len(df) else []
    due = (df.drop_duplicates("bulan").set_index("bulan")["batas_waktu"].to_dict()
           if len(df) else {})
    bodies = []
    for (kode, path), g in df.groupby(["kode_satker", "path"], sort=False):
        first = g.iloc[0]
        by_month = dict(zip(g["bulan"].astype(int), g["status"]))
        cells, perlu = [], False
        for m in months:
            st = by_month.get(m)
            if st is None:
                cells.append('<td class="status"></td>')
                continue
            perlu |= st in PERLU_TINDAK
            cells.append(f'<td class="status status-{st.replace(" ", "-")}" data-status="{escape(st)}"'
                         f' title="Batas waktu {escape(fmt.tanggal(due[m]))}">'
                         f'{escape(STATUS_LABEL.get(st, st))}</td>')
        kelas = "baris perlu-tindak" if perlu else "baris"
        rows = [f'<tr class="{kelas}"><td class="satker">{escape(str(first["nama_satker"]))}</td>'
                f'<td class="kode">{escape(str(path))}</td>'
                f'<td class="uraian">{escape(str(first["nama_ro"]))}</td>{"".join(cells)}</tr>']
        teks = " ".join([str(kode), str(first["nama_satker"]), str(path), str(first["nama_ro"])]
                        + g["status"].tolist())
        bodies.append(_node(teks, rows, str(path)))
    heads = "".join(f'<th>{fmt.nama_bulan(m, singkat=True)}<br><small>batas '
                    f'{escape(fmt.tanggal(due[m]))}</small></th>' for m in months)
    thead = f"<tr><th>Satker</th><th>Kode RO</th><th>Rincian Output</th>{heads}</tr>"
    return _wrap(laporan, thead, bodies, per_halaman, kelas="status-capaian",
                 placeholder="Satker, RO, terlambat, belum dilaporkan")


def legenda_status_html() -> str:
    parts = [f'<span class="status status-{k.replace(" ", "-")}">{v}</span>'
             for k, v in STATUS_LABEL.items()]
    return (style_block() + '<p class="spektra-legenda status-capaian">Status pelaporan: ' + " · ".join(parts)
            + ". Baris bertanda: ada bulan yang terlambat, belum dilaporkan atau tanpa "
            "keterangan.</p>")


def ikpa_table(df: pd.DataFrame, *, laporan: str, aturan: str = "",
               per_halaman: int = 10) -> str:
    """IKPA estimate: per satker its indicators and the estimated total with category."""
    from ..reports.ikpa import TIDAK_DAPAT, TOTAL
    bodies = []
    for kode, g in df.groupby("kode_satker", sort=False):
        nama = str(g["nama_satker"].iloc[0])
        rows = [f'<tr class="judul induk"><td class="kode">{escape(str(kode))}</td>'
                f'<td class="uraian" colspan="7">{escape(nama)}</td></tr>']
        for r in g.to_dict("records"):
            total = r["indikator"] == TOTAL
            ket = ("Tidak dapat dihitung" if r["keterangan"] == TIDAK_DAPAT else "Estimasi")
            label = "Nilai IKPA (estimasi)" if total else str(r["indikator"])
            rows.append(
                f'<tr class="{"total induk" if total else "indikator"}'
                f'{" tidak-dihitung" if r["keterangan"] == TIDAK_DAPAT else ""}">'
                f'<td></td><td class="uraian">{escape(label)}</td>'
                f'<td class="angka">{escape(_dua(r["nilai"]))}</td>'
                f'<td class="angka">{escape(_angka(r["bobot"]))}</td>'
                f'<td class="angka">{escape(_dua(r["bobot_efektif"]))}</td>'
                f'<td class="angka">{escape(_dua(r["nilai_tertimbang"]))}</td>'
                f'<td>{escape(ket)}</td><td class="kategori">{escape(str(r["kategori"] or ""))}'
                f'</td></tr>')
        bodies.append(_node(f"{kode} {nama}", rows, str(kode), level="satker"))
    thead = ("<tr><th>Kode</th><th>Indikator</th><th>Nilai</th><th>Bobot (%)</th>"
             "<th>Bobot Efektif (%)</th><th>Nilai Tertimbang</th><th>Keterangan</th>"
             "<th>Kategori</th></tr>")
    dasar = f" Dasar aturan: {escape(aturan)}." if aturan else ""
    caption = ("<strong>Estimasi</strong> nilai IKPA dari data SPEKTRA — bukan nilai resmi "
               f"OM-SPAN.{dasar} Indikator yang tidak dapat dihitung tidak dinilai; bobot "
               "indikator lain disesuaikan menjadi bobot efektif (jumlah 100).")
    return _wrap(laporan, thead, bodies, per_halaman, kelas="ikpa", caption=caption,
                 placeholder="Kode atau nama satker")
