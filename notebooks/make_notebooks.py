"""Write the thin report notebooks (run: .venv/bin/python notebooks/make_notebooks.py).

Kept out of the package on purpose: the notebooks are the product's views, this script
only keeps them uniform. Every notebook: a `parameters` cell with neutral defaults (its
comments are the note for analysts), one setup cell, the title rendered from the
parameters with the intro under it, then one display call per cell. Committed without
outputs.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

# For analysts in JupyterLab; a comment, since code cells are hidden from managers in
# Voilà and on the static pages (a markdown note would show there).
PARAM_NOTE = ["# Parameter halaman. Nilai bawaan netral: kosong = tahun dan bulan terakhir di",
              "# store, seluruh satker. Nilai sebenarnya diisi oleh `spektra render` (papermill)",
              "# atau, di Voilà (`spektra serve`), dari alamat halaman, mis. ?satker=KODE&bulan=3",
              "# (satker / unit kerja di luar hak akses pengguna ditolak)."]
PARAMS = ["tahun = None  # tahun anggaran; kosong: tahun terakhir di store",
          "bulan = None  # bulan laporan (data s.d. akhir bulan ini); kosong: bulan terakhir",
          "satker = None  # kode satker; kosong: seluruh satker",
          "unit = None  # kode unit kerja (satker pusat)",
          "bulan_dari = None  # awal rentang bulan (laporan realisasi dan SPP)",
          "jenis_belanja = None  # \"51\", \"52\", \"53\", \"57\" atau kosong: semua",
          "store = None  # berkas DuckDB; kosong: SPEKTRA_STORE atau data/spektra.duckdb"]
SETUP = ["from spektra_lib.present.notebook import Halaman", "",
         "halaman = Halaman(store=store, tahun=tahun, bulan=bulan, satker=satker, unit=unit,",
         "                  bulan_dari=bulan_dari, jenis_belanja=jenis_belanja{extra},",
         "                  page=\"{page}\")"]


EXTRA = {"cari": "cari = None  # kode akun atau kata pada nama akun",
         "tanggal": "tanggal = None  # tanggal acuan keterlambatan (YYYY-MM-DD); kosong: hari ini",
         "aturan": "aturan = None  # tahun aturan IKPA; kosong: aturan terbaru s.d. tahun"}


def notebook(page: str, intro: str, body: list[str], *, cari: bool = False,
             extra: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    extra = (("cari",) if cari else ()) + tuple(extra)
    params = PARAM_NOTE + PARAMS + [EXTRA[e] for e in extra]
    # page: which notebook this is, so a preheated Voilà kernel can prepare its public
    # figures before the request arrives (present/notebook.py).
    setup = "\n".join(SETUP).format(extra="".join(f", {e}={e}" for e in extra), page=page)
    cells = [new_code_cell("\n".join(params), metadata={"tags": ["parameters"]}),
             new_code_cell(setup, metadata={"tags": ["setup"]})]
    # The title is rendered from the parameters (halaman.judul, the first call); the
    # intro, a markdown cell without a heading, reads as its subtitle right under it.
    body = body[:1] + [f"#md {intro}"] + body[1:]
    for src in body:
        if src.startswith("#md "):
            cells.append(new_markdown_cell(src[4:]))
        else:
            cells.append(new_code_cell(src))
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    return nb


def report(name: str, intro: str, *, legenda: bool | str = False,
           cari: bool = False, extra: tuple[str, ...] = ()):
    body = [f'halaman.judul("{name}")']
    body += ["halaman.legenda()"] if legenda is True else []
    body += [f'halaman.tabel("{name}")', f'halaman.catatan("{name}")']
    # The report's own legend (codes, statuses) reads best under its table.
    body += [f'halaman.legenda("{name}")'] if isinstance(legenda, str) else []
    return notebook(name, intro, body, cari=cari, extra=extra)


NOTEBOOKS = {
    "dashboard": notebook(
        "dashboard", "Grafik rencana dan realisasi, target penyerapan, dan tiga ranking.",
        ['halaman.judul("dashboard")',
         'halaman.subjudul("grafik_rpd_realisasi")', 'halaman.grafik("grafik_rpd_realisasi")',
         'halaman.subjudul("grafik_target_realisasi")',
         'halaman.grafik("grafik_target_realisasi")',
         'halaman.subjudul("ranking_satker")', 'halaman.tabel("ranking_satker")',
         'halaman.subjudul("ranking_unit")', 'halaman.tabel("ranking_unit")',
         'halaman.subjudul("ranking_prioritas_nasional")',
         'halaman.tabel("ranking_prioritas_nasional")']),
    "deviasi_detail": report(
        "deviasi_detail",
        "Deviasi rencana penarikan dana dan realisasi per bulan, dari "
        "satker / unit kerja sampai item (tidak kumulatif). Tekan + untuk melihat rencana "
        "dan realisasinya.", legenda=True),
    "deviasi_kumulatif": report(
        "deviasi_kumulatif",
        "Deviasi rencana dan realisasi kumulatif per satker (atau per "
        "unit kerja untuk satker pusat).", legenda=True),
    "realisasi_pok": report(
        "realisasi_pok",
        "Pagu, realisasi dan sisa menurut POK, dari program sampai item."),
    "realisasi_akun": report(
        "realisasi_akun",
        "Pagu, realisasi dan sisa dari program sampai akun; `cari` "
        "menyaring akun menurut kode atau nama.", cari=True),
    "realisasi_satker": report(
        "realisasi_satker",
        "Realisasi per satuan kerja (atau per unit kerja satker pusat), "
        "diurutkan menurut persentase realisasi."),
    "monitoring_spp": report(
        "monitoring_spp",
        "Daftar SPP, SPM dan SP2D beserta statusnya."),
    "capaian_output": report(
        "capaian_output",
        "Per RO dan bulan: RVRO dan PCRO kumulatif, penyerapan anggaran (PPA), gap, "
        "pelanggaran aturan beserta pesannya, dan draf keterangan yang bagian "
        "[isi: …]-nya wajib dilengkapi satker. Dibuat per satker.", legenda="bawah"),
    "status_capaian": report(
        "status_capaian",
        "Per satker dan RO: bulan yang sudah dilaporkan, belum dilaporkan, terlambat "
        "(melewati batas waktu) atau tanpa keterangan.", legenda="bawah",
        extra=("tanggal",)),
    "ikpa_estimasi": report(
        "ikpa_estimasi",
        "Estimasi nilai IKPA per satker dari data SPEKTRA — bukan nilai resmi OM-SPAN. "
        "Indikator yang tidak dapat dihitung tidak dinilai dan bobot indikator lain "
        "disesuaikan.", extra=("aturan",)),
    "eksplorasi": notebook(
        "eksplorasi", "Untuk analis: buka store, panggil laporan apa saja, saring dan "
        "gambarkan. Daftar laporan: `spektra_lib.reports.TITLES`.",
        ['halaman.judul("eksplorasi")',
         'df = halaman.data("realisasi_satker")\ndf.head(10)',
         'df[df["persen_realisasi"] < df["persen_realisasi"].median()]',
         'import altair as alt\n\nperingkat = alt.Chart(df).mark_bar().encode(\n'
         '    x=alt.X("persen_realisasi:Q", title="% Realisasi"),\n'
         '    y=alt.Y("nama:N", sort="-x", title=None),\n'
         '    tooltip=["nama", "pagu", "realisasi", "persen_realisasi"],\n)\n'
         'halaman.chart(peringkat)',
         'halaman.data("deviasi_kumulatif").query("bulan == @halaman.params[\'bulan\']")'],
        cari=True),
}

def main() -> None:
    for name, nb in NOTEBOOKS.items():
        for i, cell in enumerate(nb.cells):
            cell.id = f"{name}-{i}"  # stable bytes: re-running the script changes nothing
        nbformat.validate(nb)
        nbformat.write(nb, HERE / f"{name}.ipynb")
        print(f"{name}.ipynb")


if __name__ == "__main__":
    main()
