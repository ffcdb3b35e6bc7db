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

import pandas as pd
from markupsafe import Markup

from . import format as fmt
from .tree import _missing, _text, env, kepala, render_table, style_block

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


def _node(teks: str, kode: str = "", level: str = "ro", **more) -> dict:
    return {"level": level, "kode": kode, "depth": 0, "teks": teks.lower(),
            "induk": "", **more}


def keterangan_parts(text) -> list[tuple[str, bool]]:
    """The draft keterangan as (text, is a blank "[isi: …]" to fill) pieces."""
    if _missing(text):
        return []
    out, last, text = [], 0, str(text)
    for m in ISIAN.finditer(text):
        out += [(text[last:m.start()], False), (m.group(), True)]
        last = m.end()
    return out + [(text[last:], False)]


def _makro():
    return env().get_template("_makro.html.j2").module


def keterangan_html(text) -> str:
    """The draft keterangan, escaped, with each "[isi: …]" blank marked to be filled."""
    return str(_makro().keterangan(keterangan_parts(text)))


def _pelanggaran(codes, legenda: dict[str, str]) -> list[tuple[str, str]]:
    """(code, Indonesian message) per rule code; the code alone only if it has none."""
    return [(c, legenda.get(c) or c) for c in str(codes or "").split(";") if c]


def pelanggaran_html(codes, legenda: dict[str, str]) -> str:
    """The breached rules as their Indonesian messages, each code in its tooltip."""
    return str(_makro().pelanggaran(_pelanggaran(codes, legenda)))


def legenda_pelanggaran_html(legenda: dict[str, str]) -> str:
    """Every rule's message (below the capaian table), its code in the tooltip."""
    items = _makro().pelanggaran(list(legenda.items()))
    # style_block() is our own stylesheet: Markup, or `+` would escape it into page text
    return str(Markup(style_block()) + Markup(
        '<div class="spektra-legenda pelanggaran"><p>Aturan capaian output yang dapat '
        'dilanggar:</p>{}<p><mark class="isian">[isi: …]</mark> pada draf keterangan: '
        'bagian yang wajib dilengkapi satker sebelum dilaporkan. Baris '
        '<span class="anomali">berwarna merah muda</span>: gap PPA dan PCRO anomali.</p>'
        '</div>').format(items))


def capaian_table(df: pd.DataFrame, legenda: dict[str, str], *, laporan: str,
                  per_halaman: int = 10) -> str:
    """Capaian output: per RO a title row and its month rows (CONTRACT §2 columns)."""
    nodes = []
    for path, g in df.groupby("path", sort=False):
        first = g.iloc[0]
        target = (f"Target: {fmt.angka(first['target_volume'])} {first['satuan'] or ''}".strip()
                  if not _missing(first["target_volume"]) else "Target: belum ada")
        bulan = [{"bulan": int(r["bulan"]), "nama_bulan": fmt.nama_bulan(int(r["bulan"])),
                  "anomali": r["status"] == "anomali", "rvro": _angka(r["rvro_kumulatif"]),
                  "pcro": _persen(r["pcro_kumulatif"]), "ppa": _persen(r["ppa"]),
                  "gap": _persen(r["gap"]),
                  "pelanggaran": _pelanggaran(r["pelanggaran"], legenda),
                  "keterangan": keterangan_parts(r["keterangan_draf"])}
                 for r in g.to_dict("records")]
        pesan = [p for b in bulan for _, p in b["pelanggaran"]]
        teks = " ".join([str(path), str(first["nama_ro"])] + g["status"].tolist()
                        + g["pelanggaran"].fillna("").tolist() + pesan)
        nodes.append(_node(teks, str(path), nama=_text(first["nama_ro"]), target=target,
                           strategis=int(first["strategis"]) == 1, bulan=bulan))
    head = [kepala("Kode RO", "sempit"), kepala("Bulan", "sempit"),
            kepala("RVRO Kumulatif", "sempit", "angka"),
            kepala("PCRO Kumulatif (%)", "sempit", "persen"), kepala("PPA (%)", "sempit", "persen"),
            kepala("Gap", "sempit", "persen"), kepala("Status", "sempit"),
            kepala("Pelanggaran", "sedang"), kepala("Draf Keterangan", "lebar")]
    return render_table("capaian.html.j2", laporan=laporan, kepala=head, nodes=nodes,
                        per_halaman=per_halaman, kelas="capaian", satuan="RO",
                        placeholder="Kode RO, nama RO, anomali, pelanggaran")


def status_table(df: pd.DataFrame, *, laporan: str, per_halaman: int = 20) -> str:
    """Reporting status: one row per satker × RO, the months side by side, coloured."""
    months = sorted(int(m) for m in df["bulan"].unique()) if len(df) else []
    due = (df.drop_duplicates("bulan").set_index("bulan")["batas_waktu"].to_dict()
           if len(df) else {})
    nodes = []
    for (kode, path), g in df.groupby(["kode_satker", "path"], sort=False):
        first = g.iloc[0]
        by_month = dict(zip(g["bulan"].astype(int), g["status"]))
        sel = []
        for m in months:
            st = by_month.get(m)
            sel.append({} if st is None else {
                "status": st, "kelas": st.replace(" ", "-"), "label": STATUS_LABEL.get(st, st),
                "batas": fmt.tanggal(due[m])})
        teks = " ".join([str(kode), str(first["nama_satker"]), str(path), str(first["nama_ro"])]
                        + g["status"].tolist())
        nodes.append(_node(teks, str(path), nama_satker=_text(first["nama_satker"]),
                           nama=_text(first["nama_ro"]), sel=sel,
                           perlu=any(c.get("status") in PERLU_TINDAK for c in sel)))
    # one satker's page names it in its title: no column repeating it on every row
    satu = df["kode_satker"].nunique() == 1 if len(df) else False
    head = ([] if satu else [kepala("Satker", "sedang")]) + [
        kepala("Kode RO", "sempit"), kepala("Rincian Output", "lebar")]
    head += [kepala(fmt.nama_bulan(m, singkat=True), "sempit",
                    kecil=f"batas {fmt.tanggal(due[m])}") for m in months]
    return render_table("status.html.j2", laporan=laporan, kepala=head, nodes=nodes,
                        per_halaman=per_halaman, kelas="status-capaian", satu_satker=satu,
                        placeholder=("RO, terlambat, belum dilaporkan" if satu else
                                     "Satker, RO, terlambat, belum dilaporkan"))


def legenda_status_html() -> str:
    parts = [f'<span class="status status-{k.replace(" ", "-")}">{v}</span>'
             for k, v in STATUS_LABEL.items()]
    return (style_block() + '<p class="spektra-legenda status-capaian">Status pelaporan: ' + " · ".join(parts)
            + ". Baris bertanda: ada bulan yang terlambat, belum dilaporkan atau tanpa "
            "keterangan.</p>")


def ikpa_table(df: pd.DataFrame, *, laporan: str, aturan: str = "",
               per_halaman: int = 10) -> str:
    """IKPA estimate: per satker its indicators and the estimated total with category.
    The page's intro (catalog) explains the estimate; the caption only names the rule set."""
    from ..reports.catalog import IKPA_TIDAK_DAPAT as TIDAK_DAPAT, IKPA_TOTAL as TOTAL
    nodes = []
    for kode, g in df.groupby("kode_satker", sort=False):
        nama = _text(g["nama_satker"].iloc[0])
        baris = [{"total": r["indikator"] == TOTAL,
                  "tidak_dihitung": str(r["keterangan"]).startswith(TIDAK_DAPAT),
                  "label": "Nilai IKPA (estimasi)" if r["indikator"] == TOTAL else _text(r["indikator"]),
                  "nilai": _dua(r["nilai"]), "bobot": _angka(r["bobot"]),
                  "bobot_efektif": _dua(r["bobot_efektif"]),
                  "tertimbang": _dua(r["nilai_tertimbang"]),
                  # "tidak dapat dihitung: <what is missing>" / "estimasi (pengurang)"
                  "keterangan": _text(str(r["keterangan"])[:1].upper()
                                      + str(r["keterangan"])[1:]),
                  "kategori": _text(r["kategori"])} for r in g.to_dict("records")]
        nodes.append(_node(f"{kode} {nama}", str(kode), level="satker", nama=nama, baris=baris))
    head = [kepala("Kode", "sempit"), kepala("Indikator", "lebar"),
            kepala("Nilai", "sempit", "angka"), kepala("Bobot (%)", "sempit", "angka"),
            kepala("Bobot Efektif (%)", "sempit", "angka"),
            kepala("Nilai Tertimbang", "sempit", "angka"), kepala("Keterangan", "sedang"),
            kepala("Kategori", "sedang")]
    caption = Markup("<strong>Estimasi</strong> nilai IKPA — bukan nilai resmi OM-SPAN.{}"
                     ).format(f" Dasar aturan: {aturan}." if aturan else "")
    return render_table("ikpa.html.j2", laporan=laporan, kepala=head, nodes=nodes,
                        per_halaman=per_halaman, kelas="ikpa", caption=caption, satuan="satker",
                        placeholder="Kode atau nama satker")
