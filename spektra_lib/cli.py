"""The `spektra` command (CONTRACT.md §3). Messages are Bahasa Indonesia."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .problems import AksesDitolak, IngestError


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, default=None,
                   help="berkas store DuckDB (bawaan: $SPEKTRA_STORE atau data/spektra.duckdb)")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="spektra",
        description="SPEKTRA — perencanaan dan monitoring keuangan satker.")
    sub = ap.add_subparsers(dest="perintah", required=True, metavar="PERINTAH")

    p = sub.add_parser("synth", help="buat data contoh satu tahun anggaran (sintetis)")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--tahun", type=int, default=2022)
    p.add_argument("--satker", type=int, default=None, help="jumlah satker (skala)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", choices=["kanonik", "sakti", "adk"], default="kanonik")

    p = sub.add_parser("ingest", help="validasi dan muat ekspor ke store, atomik")
    p.add_argument("dir", type=Path)
    _store_arg(p)

    p = sub.add_parser("report", help="jalankan satu laporan dan simpan ke berkas")
    p.add_argument("name")
    p.add_argument("--tahun", type=int, required=True)
    p.add_argument("--bulan", type=int, required=True)
    p.add_argument("--satker")
    p.add_argument("--unit")
    p.add_argument("--bulan-dari", type=int)
    p.add_argument("--jenis-belanja", choices=["51", "52", "53", "57"])
    p.add_argument("--cari")
    p.add_argument("--tanggal", help="tanggal acuan status capaian (YYYY-MM-DD; bawaan hari ini)")
    p.add_argument("--aturan", type=int, help="tahun aturan IKPA (2021 atau 2024)")
    _store_arg(p)
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="FILE.csv, .xlsx, .docx, .pdf atau .html")

    p = sub.add_parser("render", help="jalankan notebook per laporan × scope × bulan")
    p.add_argument("--tahun", type=int, required=True)
    p.add_argument("--bulan", type=int, required=True)
    p.add_argument("--satker", nargs="+", default=["all"])
    p.add_argument("--report", nargs="+", default=["all"])
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

    p = sub.add_parser("serve", help="aplikasi Voilà untuk pimpinan")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--login", action="store_true",
                   help="jalankan juga proxy login (nginx, basic auth) di depannya")
    _store_arg(p)
    return ap


def _validate_month(ap, args) -> None:
    for name in ("bulan", "bulan_dari"):
        v = getattr(args, name, None)
        if v is not None and not 1 <= v <= 12:
            ap.error(f"--{name.replace('_', '-')} harus 1–12, bukan {v}")


def main(argv: list[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    _validate_month(ap, args)
    try:
        return COMMANDS[args.perintah](args)
    except IngestError as e:
        print(f"Ingest ditolak: {len(e.problems)} masalah; store tidak berubah.", file=sys.stderr)
        for p in e.problems:
            print(str(p), file=sys.stderr)
        return 1
    except AksesDitolak as e:
        print(f"Akses ditolak: {e}", file=sys.stderr)
        return 3
    except (FileNotFoundError, ValueError) as e:
        print(f"Galat: {e}", file=sys.stderr)
        return 2


def cmd_synth(args) -> int:
    from .synth import generate
    t0 = time.perf_counter()
    summary = generate(args.out_dir, tahun=args.tahun, n_satker=args.satker, seed=args.seed,
                       format=args.format)
    from .present.format import rupiah
    rows = summary.get("baris", {})
    print(f"Data contoh ({args.format}) ditulis ke {args.out_dir} dalam "
          f"{time.perf_counter() - t0:.1f} dtk: {summary.get('satker')} satker, "
          f"{rupiah(rows.get('pok', 0))} item POK, {rupiah(rows.get('realisasi', 0))} baris "
          f"realisasi, {rupiah(rows.get('spp', 0))} SPP, pagu Rp{rupiah(summary.get('pagu'))}.")
    return 0


def cmd_ingest(args) -> int:
    from .ingest import ingest_path
    from .store import Store
    t0 = time.perf_counter()
    with Store(args.store) as store:
        s = ingest_path(args.dir, store)
        counts = ", ".join(f"{k} {v:,}".replace(",", ".") for k, v in s.rows.items())
        state = "data dimuat" if s.changed else "tidak ada perubahan (data sama)"
        print(f"Ingest {s.layout} dari {args.dir} ke {store.path}: {state}; {counts} "
              f"({time.perf_counter() - t0:.1f} dtk).")
        for note in getattr(s, "notes", []):
            print(f"Catatan: {note}")
    return 0


def cmd_report(args) -> int:
    from .export import export_report
    from .store import Store
    params = dict(tahun=args.tahun, bulan=args.bulan, satker=args.satker, unit=args.unit,
                  bulan_dari=args.bulan_dari, jenis_belanja=args.jenis_belanja, cari=args.cari,
                  tanggal=_date(args.tanggal), aturan=args.aturan)
    with Store(args.store, read_only=True) as store:
        path = export_report(store, args.name, args.output,
                             **{k: v for k, v in params.items() if v is not None})
    print(f"Laporan {args.name} ditulis ke {path}")
    return 0


def _date(text):
    from datetime import date
    return date.fromisoformat(text) if text else None


def cmd_render(args) -> int:
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
    from .serve import serve
    return serve(port=args.port, login=args.login, store=args.store)


COMMANDS = {"synth": cmd_synth, "ingest": cmd_ingest, "report": cmd_report,
            "render": cmd_render, "site": cmd_site, "serve": cmd_serve}

if __name__ == "__main__":
    sys.exit(main())
