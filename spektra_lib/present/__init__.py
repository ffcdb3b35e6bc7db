"""Presentation: Indonesian formatting, styled tables and charts. Reports never format.

Present formats what it is given and reads nothing: it imports neither the store nor a
report module (the catalog's declarations and parameters/ rules it may read;
tests/test_architecture.py). What a notebook calls — `Halaman`, the controls, the page's
address, the static filters — is the page layer (spektra_lib/page/), which asks reports
for data and present for its formatting.

Modules: format (numbers, months, dates), tables (`table_html(name, df)` for every report),
tree (hierarchical tables), capaian (capaian / status / IKPA tables),
charts (Altair + offline drawing).

Stable hooks for browser tests and stylesheets:

- every table sits in `div.spektra-tabel[data-laporan=<report name>]`;
- hierarchical tables (catalog styles `deviasi`, `pohon`):
  `table.spektra.pohon`, one `tbody.node.level-<level>` per node with `data-kode`,
  `data-depth`, `data-induk` (its ancestors' positions); parents' rows carry `tr.induk`
  (bold); deviasi nodes have `tr.judul` (kode, uraian, "Pagu: …") and `tr.deviasi`, whose
  month cells are `td.deviasi.warna-hijau|warna-kuning|warna-merah`, and
  `td.belum-jatuh-tempo` (blank) after the reporting month; the script adds each node's
  `button.toggle` "+" which builds `tr.rencana` and `tr.realisasi` from the node's
  `data-rencana` / `data-realisasi` (then "−", `aria-expanded="true"`);
  search box `input.cari`, page length `select.per-halaman`, paging `button.sebelumnya`,
  `button.berikutnya`, `.info-halaman` ("Halaman 1 dari 3 (57 baris)");
  numbers in `td.angka` (right-aligned);
- styles `capaian`, `status`, `ikpa`: grouped tables (present/capaian.py, its
  docstring lists their hooks: `tr.anomali`, `li[data-kode]`, `mark.isian`,
  `td.status-terlambat`, `tr.perlu-tindak`, `tr.total`, `caption`), same search/paging;
- refusals / choices to make: `p.spektra-pesan` (a scope refused from the page's address,
  page/link.py: once, in the title's place, and no table or chart); Voilà controls (page/widgets.py):
  `.spektra-kontrol` with one `.spektra-<page parameter> select` per control;
- flat tables (style `datar`): itables
  (DataTables 2) inside `div.spektra-tabel.datar`: search `.dt-search input`, paging
  `.dt-paging button`, info `.dt-info`;
- charts: `div.spektra-grafik` (vega draws an SVG/canvas inside it);
- notes: `p.spektra-catatan`.
"""
