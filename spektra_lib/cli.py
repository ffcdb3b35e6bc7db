"""The `spektra` command (CONTRACT.md §3). Messages are Bahasa Indonesia."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .problems import AksesDitolak, IngestError, StoreSedangDipakai, StoreTidakSah, safe_text
from .reports.selection import PARAMETER    # pure data, no pandas

# as spektra_lib.synth.FORMATS (not imported here: the CLI starts without pandas)
SYNTH_FORMATS = ["kanonik", "kanonik-xlsx", "sakti", "sakti-json", "sakti-xlsx",
                 "sakti-laporan", "adk", "adk-dbf", "adk-keu", "omspan", "omspan-xlsx",
                 "myintress"]

EPILOG = """kode keluar: 0 berhasil; 1 data ditolak (satu baris per masalah, store tidak
berubah) atau `periksa` menemukan masalah; 2 galat berkas atau argumen; 3 akses ditolak;
4 store sedang dipakai proses lain; 70 galat internal SPEKTRA (SPEKTRA_DEBUG=1 menampilkan
traceback Python untuk pengembang)."""


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, default=None,
                   help="berkas store DuckDB (bawaan: $SPEKTRA_STORE atau data/spektra.duckdb)")


def _ketat_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ketat", action="store_true",
                   help="peringatan (mis. realisasi satu bulan turun lebih dari 1 %%) "
                        "juga menolak ingest")


def _seconds(text: str) -> float:
    """--tunggu: a finite, non-negative number of seconds (nan or inf would wait forever)."""
    import math
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus jumlah detik, bukan {text!r}") from None
    if not math.isfinite(v) or v < 0:
        raise argparse.ArgumentTypeError(f"harus jumlah detik 0 atau lebih, bukan {text!r}")
    return v


def _tunggu_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tunggu", type=_seconds, default=60.0, metavar="DETIK",
                   help="lama menunggu bila ingest lain sedang berjalan (bawaan 60 dtk)")


def _satuan_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--satuan", choices=["ribuan", "rupiah"], default=None,
                   help="satuan angka laporan Excel SAKTI yang tidak menuliskannya "
                        "(Form Cetak POK)")


def _param_arg(p: argparse.ArgumentParser, name: str, required: bool | None = None) -> None:
    """A page parameter's flag as reports/selection.py declares it: read and checked by
    its declaration ("--bulan '13' tidak sah (isi angka 1 sampai 12)")."""
    prm = PARAMETER[name]

    def read(text: str):
        try:
            return prm.baca(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(prm.galat(text, str(e), prm.flag)) from None
    read.__name__ = prm.jenis
    p.add_argument(prm.flag, type=read, help=prm.bantuan,
                   required=prm.wajib_cli if required is None else required,
                   metavar={"tanggal": "YYYY-MM-DD", "pilihan": "|".join(prm.kode_pilihan),
                            "bulan": "1-12"}.get(prm.jenis, prm.name.upper()))


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="spektra",
        description="SPEKTRA — perencanaan dan monitoring keuangan satker.", epilog=EPILOG)
    sub = ap.add_subparsers(dest="perintah", required=True, metavar="PERINTAH")

    p = sub.add_parser("synth", help="buat data contoh satu tahun anggaran (sintetis)")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--tahun", type=int, default=2022)
    p.add_argument("--satker", type=int, default=None, help="jumlah satker (skala)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", choices=SYNTH_FORMATS, default="kanonik",
                   help="layout berkas: kanonik (CONTRACT), atau ekspor sebenarnya: sakti "
                        "(CSV layanan SAKTI), sakti-json, sakti-xlsx (Form Cetak POK, Daftar "
                        "SP2D), sakti-laporan (Form Cetak POK tercetak, GLP039, Daftar SP2D), "
                        "adk (XML), adk-dbf, adk-keu (tabel aplikasi DIPA), omspan, "
                        "omspan-xlsx, myintress (Form Cetak POK tercetak, MyINTRESS Detail "
                        "Pengeluaran dan Potongan)")
    p.add_argument("--revisi", action="store_true",
                   help="tahun dengan revisi DIPA: folder 1-dipa-awal, 2-revisi-1, 3-revisi-2 "
                        "untuk di-ingest berurutan (format kanonik)")
    p.add_argument("--riwayat", type=int, default=0, metavar="N",
                   help="tambah N tahun anggaran sebelumnya (folder riwayat-<tahun>, di-ingest "
                        "lebih dulu) dengan pola penyerapan per satker, untuk proyeksi; tahun "
                        "--tahun lalu ditulis ke folder <tahun> (atau folder --revisi)")

    p = sub.add_parser("ingest", help="validasi dan muat ekspor ke store, atomik",
                       epilog=EPILOG)
    p.add_argument("dir", type=Path)
    p.add_argument("--tahun", type=int, default=None,
                   help="tahun anggaran untuk sumber yang tidak mencantumkannya (layanan SAKTI); "
                        "sumber bertahun lain ditolak")
    _ketat_arg(p)
    _satuan_arg(p)
    _tunggu_arg(p)
    _store_arg(p)

    p = sub.add_parser("riwayat", help="riwayat ingest store: satu baris per ingest")
    _store_arg(p)

    p = sub.add_parser("kembalikan", epilog=EPILOG,
                       help="kembalikan store tepat ke isinya sesaat setelah ingest ID (atomik)")
    p.add_argument("id", type=int)
    _tunggu_arg(p)
    _store_arg(p)

    p = sub.add_parser("periksa", epilog=EPILOG,
                       help="kenali dan validasi tanpa mengubah store: tiap berkas dikenali "
                            "sebagai apa, baris per tabel, semua masalah")
    p.add_argument("dir", type=Path)
    p.add_argument("--tahun", type=int, default=None,
                   help="tahun anggaran untuk sumber yang tidak mencantumkannya")
    _ketat_arg(p)
    _satuan_arg(p)
    _store_arg(p)

    from .reports.catalog import HALAMAN, LAPORAN   # pure data, no pandas
    p = sub.add_parser("report", help="jalankan satu laporan dan simpan ke berkas")
    p.add_argument("name", metavar="NAME", help="laporan: " + ", ".join(LAPORAN))
    for name in PARAMETER:          # every page parameter, as declared
        _param_arg(p, name)
    _store_arg(p)
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="FILE.csv, .xlsx, .docx, .pdf atau .html")

    p = sub.add_parser("render", help="jalankan notebook per laporan × scope × bulan")
    _param_arg(p, "tahun")
    _param_arg(p, "bulan")
    p.add_argument("--satker", nargs="+", default=["all"])
    p.add_argument("--report", nargs="+", default=["all"], metavar="NAME",
                   help="all, atau halaman: " + ", ".join(n for n, h in HALAMAN.items()
                                                         if h.render))
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--scheduler", default=None, help="alamat cluster Dask (opsional)")
    p.add_argument("--tanpa-unduhan", action="store_true",
                   help="halaman saja, tanpa berkas Excel/Word/PDF dan paket bulanan")
    p.add_argument("--force", action="store_true")
    _store_arg(p)
    p.add_argument("--out", type=Path, default=Path("site"))

    p = sub.add_parser("site", help="bangun situs statis untuk satu audiens")
    p.add_argument("--audience", default="semua",
                   help="publik | satker:KODE | unit:KODE | semua")
    p.add_argument("--tahun", type=int)
    p.add_argument("--bulan", type=int)
    _store_arg(p)
    p.add_argument("--out", type=Path, default=None,
                   help="folder situs (bawaan: site/ untuk semua, site-<audiens>/ lainnya)")

    p = sub.add_parser("notebook", help="notebook laporan untuk analis")
    nsub = p.add_subparsers(dest="aksi", required=True, metavar="AKSI")
    q = nsub.add_parser("baru", help="buat notebook halaman katalog (tidak pernah menimpa)")
    q.add_argument("nama", metavar="NAMA", help="halaman: " + ", ".join(HALAMAN))
    q.add_argument("--folder", type=Path, default=None, help="bawaan: notebooks/")

    p = sub.add_parser("uji-proyeksi", epilog=EPILOG,
                       help="uji mundur proyeksi penyerapan: tiap tahun lengkap diproyeksikan "
                            "pada bulan 3–11 dari tahun-tahun sebelumnya saja; MAE per metode, "
                            "bulan dan jenis belanja di samping run-rate")
    p.add_argument("--tahun", type=int, default=None,
                   help="satu tahun uji (bawaan: tiap tahun lengkap yang punya tahun sebelumnya)")
    _store_arg(p)
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="FILE.csv atau .xlsx: metode, bulan, jenis_belanja, mae, n, presisi, "
                        "recall")

    sub.add_parser("config", help="tampilkan variabel SPEKTRA_* yang berlaku")

    p = sub.add_parser("serve", help="aplikasi Voilà untuk pimpinan")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--login", action="store_true",
                   help="jalankan juga proxy login (nginx, basic auth) di depannya")
    p.add_argument("--periksa", action="store_true",
                   help="periksa layanan yang sedang berjalan di --port (keluar 0 bila sehat)")
    _store_arg(p)

    from .cli_admin import add_parsers
    add_parsers(sub, _store_arg)
    return ap


def _say(text: str, file=None) -> None:
    """One line of output, whatever bytes a path holds (an undecodable file name must
    not turn a refusal into a UnicodeEncodeError)."""
    print(safe_text(text) if "\n" not in text else "\n".join(
        safe_text(line) for line in text.split("\n")), file=file or sys.stdout)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a terminal that cannot show '–' or '…' (LANG=C, a Windows code page) gets an
        # escape, not a UnicodeEncodeError in the middle of a refusal
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    ap = _parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:     # a flag refused: its line is on stderr already
        if not e.code:
            raise                   # --help
        return 2
    try:
        return COMMANDS[args.perintah](args)
    except IngestError as e:
        _say(f"Ingest ditolak: {len(e.problems)} masalah; store tidak berubah.", sys.stderr)
        # a diagnosis first, at most 20 lines per file and kind, the rest in a file
        for line in _daftar(e.problems, args, "ingest"):
            print(line, file=sys.stderr)     # each one safe line already
        return 1
    except AksesDitolak as e:
        _say(f"Akses ditolak: {e}", sys.stderr)
        return 3
    except StoreSedangDipakai as e:
        _say(f"Galat: {e}", sys.stderr)
        return 4
    except (FileNotFoundError, ValueError, StoreTidakSah) as e:
        _say(f"Galat: {e}", sys.stderr)
        return 2
    except KeyboardInterrupt:
        _say("Dihentikan (Ctrl-C); ingest yang belum selesai tidak mengubah store.", sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 -- a user never sees a Python traceback
        from .settings import settings
        if settings().debug:
            raise
        what = str(e).strip().splitlines()[0][:300] if str(e).strip() else ""
        _say(f"Galat tak terduga pada `spektra {args.perintah}` ({type(e).__name__}"
             f"{': ' + what if what else ''}). Perintah dihentikan; store tetap seperti "
             "sebelumnya. Ini kemungkinan cacat SPEKTRA: jalankan ulang "
             "dengan SPEKTRA_DEBUG=1 untuk melihat rinciannya dan laporkan ke pengembang.",
             sys.stderr)
        return 70


def _daftar(problems, args, perintah: str) -> list[str]:
    """The problem lines a person reads (daftar_masalah.baris), the full list beside
    the store."""
    from .daftar_masalah import baris
    store = getattr(args, "store", None)
    if store is None:
        from .store import default_path
        store = default_path()
    return baris(problems, Path(store), perintah)


def cmd_synth(args) -> int:
    if args.revisi:
        from .synth.revisi import generate_revisi as generate
    else:
        from .synth import generate
    t0 = time.perf_counter()
    if not 0 <= args.riwayat <= 30:
        raise ValueError(f"--riwayat {args.riwayat}: harus 0 sampai 30 tahun.")
    riwayat = []
    if args.riwayat:
        from .synth.riwayat import generate_riwayat
        riwayat = generate_riwayat(args.out_dir, tahun=args.tahun, n=args.riwayat,
                                   n_satker=args.satker, seed=args.seed, format=args.format)
    # with history, the year itself is a folder of its own (a folder is ingested whole)
    year_dir = args.out_dir / str(args.tahun) if riwayat and not args.revisi else args.out_dir
    extra = {}
    from .reports.ikpa.contoh import SATKER_MAKS, resmi
    if (args.satker or 16) <= SATKER_MAKS:
        # an official IKPA close to the estimate (issue 22): a demo-sized agency only; with
        # --revisi made from the three versions as they will be ingested
        extra["tambahan"] = lambda t: {"ikpa_resmi": resmi(t, args.tahun, args.seed)}
    if riwayat:     # the year spends the way its past years did (issue 25)
        extra["pola_riwayat"] = True
    summary = generate(year_dir, tahun=args.tahun, n_satker=args.satker, seed=args.seed,
                       format=args.format, **extra)
    from .present.format import angka, rupiah
    rows = summary.get("baris", {})
    print(f"Data contoh ({args.format}) ditulis ke {args.out_dir} dalam "
          f"{angka(time.perf_counter() - t0, 1)} dtk: {summary.get('satker')} satker, "
          f"{rupiah(rows.get('pok', 0))} item POK, {rupiah(rows.get('realisasi', 0))} baris "
          f"realisasi, {rupiah(rows.get('spp', 0))} SPP, pagu Rp{rupiah(summary.get('pagu'))}.")
    if riwayat:
        urut = riwayat + summary.get("versi", [str(year_dir)])
        print(f"{len(riwayat)} tahun riwayat: ingest berurutan "
              + " lalu ".join(f"`spektra ingest {v}`" for v in urut) + ".")
    elif args.revisi:
        print("Tiga versi anggaran: ingest berurutan "
              + " lalu ".join(f"`spektra ingest {v}`" for v in summary["versi"]) + ".")
    from .synth import NEEDS_TAHUN
    if args.format in NEEDS_TAHUN:
        print(f"Keluaran SAKTI tidak memuat tahun anggaran: muat dengan "
              f"`spektra ingest {args.out_dir} --tahun {args.tahun}`.")
    return 0


def cmd_ingest(args) -> int:
    from .ingest import ingest_path
    from .present.format import angka
    from .swap import writer
    t0 = time.perf_counter()
    if not args.dir.exists():
        raise FileNotFoundError(f"{args.dir}: berkas atau folder tidak ada.")
    # a new copy of the store, swapped in whole: readers (Voilà, a render) keep going
    with writer(args.store, tunggu=args.tunggu, on_wait=_waiting) as store:
        s = ingest_path(args.dir, store, tahun=args.tahun, ketat=args.ketat,
                        satuan=args.satuan)
        from .reports.ikpa.riwayat import simpan_dengan_catatan
        riwayat_ikpa = simpan_dengan_catatan(store, lambda detik: angka(detik, 1))
    counts = ", ".join(f"{k} {v:,}".replace(",", ".") for k, v in s.rows.items()) \
        or "tidak ada baris data"
    state = "data dimuat" if s.changed else "tidak ada perubahan (data sama)"
    _say(f"Ingest {s.layout} dari {args.dir} ke {store.path}: {state}; {counts} "
         f"({angka(time.perf_counter() - t0, 1)} dtk).")
    if len(s.versions) > 3:     # at national scale: one line, not a thousand
        revs = sorted({v["revisi"] for v in s.versions})
        dates = sorted({v["tanggal"].isoformat() for v in s.versions})
        _say(f"Versi anggaran baru untuk {len(s.versions)} satker (revisi "
             f"{', '.join(map(str, revs))}; berlaku {', '.join(dates[:3])}"
             f"{' …' if len(dates) > 3 else ''}); lihat `spektra riwayat`.")
    else:
        for v in s.versions:
            _say(f"Versi anggaran baru: satker {v['kode_satker']} tahun {v['tahun']} revisi "
                 f"{v['revisi']} (berlaku {v['tanggal'].isoformat()}, versi ke-{v['versi']}).")
    for note in getattr(s, "notes", []):
        _say(f"Catatan: {note}")
    if riwayat_ikpa:
        _say(f"Catatan: {riwayat_ikpa}")
    _changes(s.changes, s.warnings, s.satker_names, "Perubahan realisasi per satker:")
    return 0


def _changes(changes, warnings, names, heading: str) -> None:
    """Per satker: months replaced, realisasi s.d. the latest month before → after; then
    the warnings (a covered month falling by more than 1 %)."""
    from .updates import describe
    if changes:
        _say(heading)
        for line in describe(changes, names):
            _say(f"  {line}")
    for w in warnings:
        _say(f"Peringatan: {w}")


def _waiting(who: str) -> None:
    _say(f"Menunggu ingest lain selesai ({who})…", sys.stderr)


def cmd_riwayat(args) -> int:
    """One line per ingest (CONTRACT §3): id, waktu, layout, tahun, satker, revisi, rows."""
    import json
    from .store import default_path
    from .swap import history
    path = args.store or default_path()
    if not path.exists():
        raise FileNotFoundError(f"Store {path} belum ada: jalankan dulu `spektra ingest FOLDER`.")
    log = history(path)
    _say(f"Riwayat ingest store {path} ({len(log)} ingest; * = dapat dikembalikan):")
    _say(f"{'id':>4}  {'waktu':19}  {'layout':12}  {'tahun':9}  {'satker':24}  "
         f"{'revisi':22}  baris")
    for r in log.itertuples(index=False):
        ling = json.loads(r.lingkup) if isinstance(r.lingkup, str) and r.lingkup else {}
        tahun = ",".join(str(t) for t in ling.get("tahun", [])) or "-"
        sat = ling.get("satker", [])
        satker = (",".join(sat) if len(sat) <= 3 else f"{len(sat)} satker") or "-"
        vers = ling.get("versi", [])
        if "kembali_ke" in ling:
            revisi = f"kembali ke {ling['kembali_ke']}"
        elif len(vers) > 2:
            revisi = f"{len(vers)} versi baru"
        else:
            revisi = ", ".join(f"{v['satker']} rev {v['revisi']}" for v in vers) or "-"
        rows = json.loads(r.baris) if isinstance(r.baris, str) and r.baris else {}
        baris = ", ".join(f"{k} {v:,}".replace(",", ".") for k, v in rows.items()) or "-"
        mark = "*" if r.dapat_dikembalikan else " "
        _say(f"{r.id:>4}{mark} {r.waktu:%Y-%m-%d %H:%M:%S}  {r.layout:12}  {tahun:9}  "
             f"{satker:24}  {revisi:22}  {baris}")
    return 0


def cmd_kembalikan(args) -> int:
    from .store import default_path
    from .swap import restore
    path = args.store or default_path()
    done = restore(path, args.id, tunggu=args.tunggu, on_wait=_waiting)
    if not done["berubah"]:
        _say(f"Store {path} sudah berisi keadaan sesaat setelah ingest {args.id}; "
             "tidak ada yang diubah.")
    else:
        _say(f"Store {path} dikembalikan ke isinya sesaat setelah ingest {args.id} "
             f"(digest {done['digest']}); dicatat sebagai ingest {done['id']}.")
    return 0


def cmd_periksa(args) -> int:
    """What ingest would do, the store opened read-only (or not at all) and never
    changed; exit 0 iff ingest would load it."""
    from .ingest import check_path
    from .store import Store, default_path
    if not args.dir.exists():
        raise FileNotFoundError(f"{args.dir}: berkas atau folder tidak ada.")
    path = args.store or default_path()
    store, store_known, notes = None, True, []
    if path.exists():
        try:
            store = Store(path, read_only=True)
        except StoreSedangDipakai as e:
            store_known = False
            notes.append(f"{e} Diperiksa tanpa isi store: realisasi, satker dan unit kerja "
                         "yang hanya dikenal store tidak dapat dipastikan.")
    else:
        notes.append(f"Store {path} belum ada: diperiksa seperti ke store kosong.")
    try:
        batch = check_path(args.dir, store, args.tahun, store_known=store_known,
                           satuan=args.satuan)
    finally:
        if store is not None:
            store.close()
    _say(f"Periksa {args.dir}" + (f" (tahun {args.tahun})" if args.tahun else "")
         + f" terhadap store {path}; store tidak diubah.")
    _say("Berkas dikenali:")
    if batch.recognised:
        for r in batch.recognised:
            baris = r.get("baris")
            _say(f"  {r.get('berkas', '?')}: {r.get('judul') or r.get('layout') or '?'}"
                 f" [{r.get('layout') or '?'}] → {r.get('tabel') or '-'}"
                 + (f", {baris:,} baris".replace(",", ".").replace(".", ",", 1)
                    if isinstance(baris, int) else ""))
    else:       # never a refused or skipped file called recognised (issue 24)
        _say("  tidak ada berkas yang dikenali")
    counts = ", ".join(f"{k} {len(v):,}".replace(",", ".") for k, v in batch.tables.items())
    _say(f"Baris per tabel: {counts or 'tidak ada tabel terbaca'}")
    for note in notes + list(batch.notes):
        _say(f"Catatan: {note}")
    _changes(batch.changes, batch.warnings, batch.satker_names,
             "Perubahan realisasi per satker bila dimuat:")
    if args.ketat and batch.warnings and not batch.problems:
        _say(f"Hasil: ingest --ketat akan DITOLAK ({len(batch.warnings)} peringatan).")
        return 1
    if batch.problems:
        _say(f"Masalah ({len(batch.problems)}):")
        for line in _daftar(batch.problems, args, "periksa"):
            print(line)
        _say(f"Hasil: ingest akan DITOLAK ({len(batch.problems)} masalah).")
        return 1
    _say("Hasil: tidak ada masalah; `spektra ingest` akan memuatnya.")
    return 0


def _rel(root: Path, f) -> str:
    try:
        return Path(f).relative_to(root).as_posix() if root.is_dir() else Path(f).name
    except ValueError:
        return str(f)


def cmd_report(args) -> int:
    from .export import export_report
    from .store import Store
    params = {name: getattr(args, name) for name in PARAMETER}
    with Store(args.store, read_only=True) as store:
        path = export_report(store, args.name, args.output,
                             **{k: v for k, v in params.items() if v is not None})
    print(f"Laporan {args.name} ditulis ke {path}")
    return 0


def cmd_uji_proyeksi(args) -> int:
    """The backtest of proyeksi_penyerapan (CONTRACT §3): a short table on screen, the whole
    one (metode × bulan × jenis belanja) with -o."""
    from .reports.proyeksi import uji_proyeksi
    from .store import Store
    if args.output is not None and args.output.suffix.lower() not in (".csv", ".xlsx"):
        raise ValueError(f"{args.output}: -o harus berakhiran .csv atau .xlsx.")
    with Store(args.store, read_only=True) as store:
        df = uji_proyeksi(store, args.tahun)
    if df.empty:
        _say("Uji mundur tidak dapat dijalankan: store perlu paling sedikit dua tahun anggaran "
             "dengan realisasi sampai Desember (mis. `spektra synth DIR --riwayat 3`).",
             sys.stderr)
        return 1

    def num(x, d=2):
        return "-" if x != x else f"{x:.{d}f}".replace(".", ",")
    from .proyeksi import METODE
    order = [m for m in ("run_rate", "otomatis", *(k for k in METODE if k != "run_rate"))
             if m in set(df["metode"])]
    months = sorted(df["bulan"].unique())
    _say("MAE (poin persen pagu − blokir), semua jenis belanja dan satker keseluruhan; "
         "PROYEKSI diuji pada tahun yang sudah lengkap:")
    _say(f"{'metode':10}" + "".join(f"{'bln ' + str(m):>8}" for m in months))
    for k in order:
        d = df[df["metode"] == k]
        mae = [(d[d["bulan"] == m]["mae"] * d[d["bulan"] == m]["n"]).sum()
               / max(d[d["bulan"] == m]["n"].sum(), 1) for m in months]
        _say(f"{k:10}" + "".join(f"{num(v):>8}" for v in mae))
    nine = df[(df["metode"] == "otomatis") & (df["bulan"] == 9) & (df["jenis_belanja"] == "")]
    if len(nine):
        r = nine.iloc[0]
        _say(f"Bulan 9, satker keseluruhan, peringatan dini (peluang berakhir di bawah target "
             f"TW IV paling sedikit ambang yang dipilih pada tahun-tahun sebelumnya) sebagai "
             f"tanda \"akhir di bawah target\": presisi {num(r['presisi'])}, recall "
             f"{num(r['recall'])} (n {int(r['n'])}).")
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        if args.output.suffix.lower() == ".csv":
            df.to_csv(args.output, index=False, encoding="utf-8", lineterminator="\n")
        else:
            df.to_excel(args.output, index=False, sheet_name="Uji Proyeksi")
        _say(f"Tabel uji mundur ditulis ke {args.output}")
    return 0


def cmd_render(args) -> int:
    from .reports.catalog import HALAMAN
    unknown = [r for r in args.report if r != "all" and not HALAMAN.get(r, None)]
    if unknown:
        raise ValueError(f"Halaman tidak dikenal: {', '.join(unknown)}. Pilihan: all, "
                         + ", ".join(n for n, h in HALAMAN.items() if h.render))
    from .render import render
    from .store import default_path
    result = render(store_path=args.store or default_path(), tahun=args.tahun,
                    bulan=args.bulan, satker=tuple(args.satker), reports=tuple(args.report),
                    workers=args.workers, force=args.force, out=args.out,
                    unduhan=not args.tanpa_unduhan,
                    **({"scheduler": args.scheduler} if args.scheduler else {}))
    print(result.summary() if hasattr(result, "summary") else result)
    return 1 if result.failed else 0


def cmd_site(args) -> int:
    from .render.site import build_site
    from .store import default_path
    index = build_site(store_path=args.store or default_path(), audience=args.audience,
                       tahun=args.tahun, bulan=args.bulan, out=args.out)
    print(f"Situs siap. Buka: {Path(index).resolve().as_uri()}")
    return 0


def cmd_serve(args) -> int:
    if args.periksa:
        from .serve.periksa import periksa
        return periksa(port=args.port)
    from .serve import serve
    return serve(port=args.port, login=args.login, store=args.store)


def cmd_notebook(args) -> int:
    from .render.scaffold import new_notebook_file
    try:
        path = new_notebook_file(args.nama, args.folder)
    except (FileExistsError, FileNotFoundError, PermissionError) as e:
        _say(f"Galat: {e}", sys.stderr)
        return 2
    print(f"Notebook dibuat: {path}")
    return 0


def cmd_config(args) -> int:
    from .settings import settings, undeclared
    for env, value, origin, text in settings().rows():
        print(f"{env}={value}  ({origin}) — {text}")
    for env in undeclared():
        _say(f"Catatan: {env} tidak dikenal SPEKTRA (salah ketik?).")
    return 0


COMMANDS = {"synth": cmd_synth, "ingest": cmd_ingest, "periksa": cmd_periksa, "report": cmd_report,
            "riwayat": cmd_riwayat, "kembalikan": cmd_kembalikan,
            "render": cmd_render, "site": cmd_site, "serve": cmd_serve,
            "notebook": cmd_notebook, "config": cmd_config,
            "uji-proyeksi": cmd_uji_proyeksi}


def _admin(name):
    def run(args):
        from . import cli_admin
        return getattr(cli_admin, name)(args)
    return run


COMMANDS.update(pengguna=_admin("cmd_pengguna"), audit=_admin("cmd_audit"))
# what changes the store is written to the audit log, from the command line too
COMMANDS.update({name: __import__("spektra_lib.cli_admin", fromlist=["audited"]).audited(
    name, COMMANDS[name]) for name in ("ingest", "kembalikan")})

if __name__ == "__main__":
    sys.exit(main())
