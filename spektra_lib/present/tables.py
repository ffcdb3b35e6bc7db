"""Report DataFrames -> HTML tables with Indonesian labels and numbers.

Flat tables (rankings, realisasi per satker, monitoring SPP) go through itables
in offline mode (DataTables: search, paging, page length); hierarchical ones through
present/tree.py; capaian, status and IKPA (grouped per RO / satker) through
present/capaian.py. All data text is HTML-escaped (itables escapes unless allow_html).
"""
from __future__ import annotations

import hashlib

from html import escape

import pandas as pd
from itables import to_html_datatable

from . import format as fmt
from .tree import deviasi_table, hierarchy_table, style_block

RANKING = ["ranking_satker", "ranking_unit", "ranking_prioritas_nasional", "realisasi_satker"]
TREE = ["deviasi_detail", "deviasi_kumulatif", "realisasi_pok", "realisasi_akun"]
# Grouped tables of present/capaian.py (same frame as TREE: no itables needed).
CAPAIAN = ["capaian_output", "status_capaian", "ikpa_estimasi"]

# Column headers as the seed manual shows them.
LABELS = {
    "peringkat": "No", "kode": "Kode", "nama": "Satuan Kerja", "pagu": "Pagu",
    "realisasi": "Realisasi", "persen_realisasi": "% Realisasi", "sisa": "Sisa",
    "no_spp": "No SPP", "tgl_spp": "Tgl SPP", "no_spm": "No SPM", "tgl_spm": "Tgl SPM",
    "no_sp2d": "No SP2D", "tgl_sp2d": "Tgl SP2D", "uraian": "Uraian", "jenis_spp": "Jenis SPP",
    "nilai": "Nilai", "status": "Status", "kode_unit": "Unit Kerja",
    "path": "Kode RO", "nama_ro": "Rincian Output", "strategis": "Strategis", "bulan": "Bulan",
    "target_volume": "Target Volume", "satuan": "Satuan", "rvro_kumulatif": "RVRO Kumulatif",
    "pcro_kumulatif": "PCRO Kumulatif (%)", "ppa": "PPA (%)", "gap": "Gap", "pelanggaran": "Pelanggaran",
    "keterangan_draf": "Draf Keterangan",
}
NAME_LABEL = {"realisasi_satker": "Nama Unit"}
RUPIAH = {"pagu", "realisasi", "sisa", "nilai"}
PERSEN = {"persen_realisasi", "pcro_kumulatif", "ppa", "gap"}
TANGGAL = {"tgl_spp", "tgl_spm", "tgl_sp2d"}
SHOWN = {
    **{r: ["peringkat", "nama", "pagu", "realisasi", "persen_realisasi", "sisa"] for r in RANKING},
    "monitoring_spp": ["no_spp", "tgl_spp", "no_spm", "tgl_spm", "no_sp2d", "tgl_sp2d", "uraian",
                       "jenis_spp", "nilai", "status", "kode_unit"],
}

LANGUAGE = {
    "search": "Cari:", "lengthMenu": "Tampilkan _MENU_ baris",
    "info": "Baris _START_–_END_ dari _TOTAL_", "infoEmpty": "Tidak ada baris",
    "infoFiltered": "(disaring dari _MAX_ baris)", "zeroRecords": "Tidak ada data yang cocok",
    "emptyTable": "Tidak ada data",
}
LAYOUT = {"topStart": "pageLength", "topEnd": "search", "bottomStart": "info",
          "bottomEnd": "paging"}


def format_flat(name: str, df: pd.DataFrame, *, nama_unit: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """The report's shown columns, formatted as text, with Indonesian headers."""
    cols = SHOWN.get(name, [c for c in df.columns if c != "kode"])
    out = pd.DataFrame(index=df.index)
    for c in cols:
        s = df[c]
        if c in RUPIAH:
            s = s.map(fmt.rupiah)
        elif c in PERSEN:
            s = s.map(fmt.persen)
        elif c in TANGGAL:
            s = s.map(fmt.tanggal)
        elif c == "bulan":
            s = s.map(lambda m: fmt.nama_bulan(m))
        elif c == "kode_unit" and nama_unit:
            s = s.map(lambda k: nama_unit.get(k, k) if isinstance(k, str) else "")
        elif c == "strategis":
            s = s.map(lambda v: "Ya" if v in (1, True, "1") else "Tidak")
        elif c in ("target_volume", "rvro_kumulatif"):
            s = s.map(fmt.angka)
        else:
            s = s.map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
        label = NAME_LABEL.get(name, LABELS[c]) if c == "nama" else LABELS.get(c, c)
        out[label] = s
    return out.reset_index(drop=True)


def _table_id(name: str, shown: pd.DataFrame) -> str:
    """From the content, not itables' uuid4: the same data gives the same page bytes
    (kept kernel, Dask and papermill renders compare equal; unchanged pages stay equal)."""
    digest = hashlib.sha1(name.encode())
    digest.update(shown.to_csv(index=False).encode())
    return "itables_" + digest.hexdigest()[:16]


def flat_table(name: str, df: pd.DataFrame, *, nama_unit: dict[str, str] | None = None,
               page_length: int = 20) -> str:
    """itables (DataTables) HTML; needs itables' offline init on the page (notebook.py)."""
    shown = format_flat(name, df, nama_unit=nama_unit)
    right = [i for i, c in enumerate(shown.columns)
             if c in {"No", "Pagu", "Realisasi", "% Realisasi", "Sisa", "Nilai", "PPA (%)", "Gap",
                      "PCRO Kumulatif (%)", "Target Volume", "RVRO Kumulatif"}]
    html = to_html_datatable(
        shown, table_id=_table_id(name, shown), connected=False, showIndex=False, ordering=False, pageLength=page_length,
        lengthMenu=[10, 20, 50, 100], layout=LAYOUT, language=LANGUAGE,
        columnDefs=[{"className": "dt-right", "targets": right}] if right else [],
        classes="display compact spektra-datar", display_logo_when_loading=False)
    return f'<div class="spektra-tabel datar" data-laporan="{escape(name)}">{html}</div>'


def table_html(name: str, df: pd.DataFrame, *, nama_unit: dict[str, str] | None = None) -> str:
    """The HTML table of any report of CONTRACT §2."""
    if name == "deviasi_detail":
        return deviasi_table(df)
    if name == "deviasi_kumulatif":
        return deviasi_table(df, kumulatif=True)
    if name in ("realisasi_pok", "realisasi_akun"):
        return hierarchy_table(df, laporan=name)
    if name in CAPAIAN:
        from . import capaian
        if name == "capaian_output":
            from ..reports.capaian import legenda_pelanggaran
            return capaian.capaian_table(df, legenda_pelanggaran())
        if name == "status_capaian":
            return capaian.status_table(df)
        return capaian.ikpa_table(df, aturan=df.attrs.get("aturan", ""))
    return flat_table(name, df, nama_unit=nama_unit)


def catatan_html(text: str) -> str:
    return f'{style_block()}<p class="spektra-catatan">{escape(text)}</p>'


def pesan_html(text: str) -> str:
    """A refusal or a choice to make, shown in place of a table or chart."""
    return (f'{style_block()}<p class="spektra-pesan" role="alert">{escape(text)}</p>')


def legenda_html() -> str:
    """'hijau ≤ 10 %, kuning > 10 % s.d. 30 %, merah > 30 %; kosong: belum jatuh tempo'."""
    from .. import parameters
    from .tree import warna_rgb
    rgb, bawah, parts = warna_rgb(), None, []
    for band in parameters.load("deviasi")["pita"]:
        w, atas = band["warna"], band.get("sampai")
        if bawah is None:
            rule = f"≤ {fmt.angka(atas)} %"
        elif atas is None:
            rule = f"> {fmt.angka(bawah)} %"
        else:
            rule = f"> {fmt.angka(bawah)} % s.d. {fmt.angka(atas)} %"
        parts.append(f'<span class="legenda warna-{escape(w)}" style="background:{rgb.get(w, "")};'
                     f'padding:0 .5em">{escape(w.capitalize())}</span> {escape(rule)}')
        bawah = atas
    parts.append('<span class="legenda belum-jatuh-tempo" style="background:#f4f4f4;'
                 'padding:0 .5em">&nbsp;&nbsp;</span> kosong: belum jatuh tempo')
    return '<p class="spektra-legenda">Warna deviasi: ' + " · ".join(parts) + "</p>"
