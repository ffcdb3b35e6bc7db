"""Small hand-made canonical data for the report tests, loaded straight into a Store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from spektra_lib import schema
from spektra_lib.store import Store

SEED_DIR = Path(__file__).parent / "data" / "seed"
TAHUN = 2022


def item(satker: str, path: str, pagu: float, rpd=None, *, unit: str | None = None,
         pn: int = 0, nama_akun: str | None = None, uraian: str | None = None,
         volume: float = 1, satuan: str = "PKT", tahun: int = TAHUN) -> dict:
    """One pok item from its dotted path program.kegiatan.kro.ro.komponen.sub.akun.item
    (an empty sub segment = blank subkomponen). `rpd`: list of 12 or {month: value}."""
    prog, keg, kro, ro, komp, sub, akun, no = path.split(".")
    if isinstance(rpd, dict):
        rpd = [rpd.get(m, 0) for m in range(1, 13)]
    rpd = rpd or [0] * 12
    row = {"tahun": tahun, "kode_satker": satker, "kode_unit": unit,
           "kode_program": prog, "nama_program": f"Program {prog}",
           "kode_kegiatan": keg, "nama_kegiatan": f"Kegiatan {keg}",
           "kode_kro": kro, "nama_kro": f"KRO {kro}", "kode_ro": ro, "nama_ro": f"RO {ro}",
           "kode_komponen": komp, "nama_komponen": f"Komponen {komp}",
           "kode_subkomponen": sub or None, "nama_subkomponen": f"Sub {sub}" if sub else None,
           "kode_akun": akun, "nama_akun": nama_akun or f"Akun {akun}",
           "no_item": no, "uraian_item": uraian or f"Item {no}",
           "volume": volume, "satuan": satuan, "harga_satuan": pagu / volume, "pagu": pagu,
           "prioritas_nasional": pn}
    row.update({c: float(v) for c, v in zip(schema.RPD_COLUMNS, rpd)})
    return row


def real(satker: str, path: str, tanggal: str, nilai: float, tahun: int = TAHUN) -> dict:
    prog, keg, kro, ro, komp, sub, akun, no = path.split(".")
    return {"tahun": tahun, "kode_satker": satker, "kode_program": prog, "kode_kegiatan": keg,
            "kode_kro": kro, "kode_ro": ro, "kode_komponen": komp,
            "kode_subkomponen": sub or None, "kode_akun": akun, "no_item": no,
            "tanggal": tanggal, "nilai": nilai}


def load(store: Store, **tables: list[dict]) -> Store:
    frames = {}
    for name, rows in tables.items():
        t = schema.TABLES[name]
        frames[name] = pd.DataFrame(rows).reindex(columns=t.names).astype(object)
    store.ingest(frames, layout="kanonik")
    return store


def make_store(tmp_path, **tables) -> Store:
    return load(Store(tmp_path / "t.duckdb"), **tables)


def satker_rows(*entries) -> list[dict]:
    """("017220", "Kantor Pusat", "PUSAT"), … -> satker rows."""
    return [{"kode_satker": k, "nama_satker": n, "kelompok": g} for k, n, g in entries]


def unit_rows(*entries) -> list[dict]:
    return [{"kode_unit": k, "nama_unit": n, "kode_satker": s} for k, n, s in entries]


def load_seed(store: Store) -> Store:
    """The seed folder through the real path: canonical reader, validation, ingest."""
    from spektra_lib.ingest import ingest_path
    ingest_path(SEED_DIR, store)
    return store


P1 = "WA.4843.EBA.994.001.A.511111"       # gaji akun of Biro Keuangan (items 1, 2, 10)
P_BAHAN = "WA.4843.EBA.994.003..521211.1"  # blank subkomponen
P_PD = "WA.4843.EBA.994.003..524111.1"
P_UMUM = "WA.4843.EBB.951.001.A.521111.1"
P_PN = "CD.3644.QDC.001.051.A.521211.1"
P_NONPN = "CD.3644.QDC.001.051.A.524111.1"


def small_store(tmp_path) -> Store:
    """Kantor Pusat with three unit kerja, two kanreg tied on %, one OM-SPAN-only kanreg,
    one satker without pok. Numbers are small so tests can state them by hand."""
    k = "017220"
    return make_store(
        tmp_path,
        satker=satker_rows((k, "KANTOR PUSAT", "PUSAT"), ("017231", "KANREG I", "KANREG"),
                           ("017232", "KANREG II", "KANREG"), ("017233", "KANREG III", "KANREG"),
                           ("017245", "PUSBANG", "PUSBANG")),
        unit_kerja=unit_rows(("0102", "Biro Keuangan", k), ("0103", "Biro Umum", k),
                             ("0401", "Direktorat Jabatan ASN", k)),
        pok=[item(k, P1 + ".1", 1000, {1: 100, 2: 100, 3: 100, 7: 700}, unit="0102",
                  nama_akun="Belanja Gaji Pokok PNS"),
             item(k, P1 + ".2", 200, {12: 200}, unit="0102", nama_akun="Belanja Gaji Pokok PNS"),
             item(k, P1 + ".10", 300, {12: 300}, unit="0102", nama_akun="Belanja Gaji Pokok PNS"),
             item(k, P_BAHAN, 400, {2: 100, 3: 100, 4: 200}, unit="0102", nama_akun="Belanja Bahan"),
             item(k, P_PD, 500, {4: 500}, unit="0102",
                  nama_akun="Belanja Perjalanan Dinas Biasa"),
             item(k, P_UMUM, 1000, {1: 500, 5: 500}, unit="0103",
                  nama_akun="Belanja Keperluan Perkantoran"),
             item(k, P_PN, 800, {2: 800}, unit="0401", pn=1, nama_akun="Belanja Bahan"),
             item(k, P_NONPN, 200, {2: 200}, unit="0401", nama_akun="Belanja Perjalanan Dinas Biasa"),
             item("017231", P1 + ".1", 1000, {1: 1000}),
             item("017232", "WA.4843.EBA.994.002..521211.1", 2000, {1: 2000}),
             item("017233", P1 + ".1", 1000, {1: 1000})],
        realisasi=[real(k, P1 + ".1", "2022-01-10", 120), real(k, P1 + ".1", "2022-02-10", 80),
                   real(k, P1 + ".1", "2022-03-10", 50), real(k, P1 + ".1", "2022-06-10", 999),
                   real(k, P1 + ".2", "2022-01-20", 10),
                   real(k, P_BAHAN, "2022-02-05", 100), real(k, P_BAHAN, "2022-03-05", -20),
                   real(k, P_PD, "2022-04-05", 50),
                   real(k, P_UMUM, "2022-01-05", 500),
                   real(k, P_PN, "2022-02-05", 400), real(k, P_NONPN, "2022-02-05", 200),
                   real("017231", P1 + ".1", "2022-01-15", 500),
                   real("017232", "WA.4843.EBA.994.002..521211.1", "2022-02-15", 1000)],
        realisasi_akun=[{"tahun": TAHUN, "kode_satker": "017233", "kode_program": "WA",
                         "kode_kegiatan": "4843", "kode_kro": "EBA", "kode_ro": "994",
                         "kode_akun": "511111", "tanggal": "2022-01-31", "nilai": 300}],
        spp=[{"kode_satker": k, "kode_unit": u, "no_spp": no, "tgl_spp": d, "no_spm": no[:-1] + "A",
              "tgl_spm": d, "no_sp2d": None, "tgl_sp2d": None, "uraian": f"SPP {no}",
              "jenis_spp": "LS", "nilai": v, "status": "Upload SP2D"}
             for no, d, u, v in [("00001T", "2022-01-03", "0102", 100),
                                 ("00002T", "2022-02-03", "0103", 200),
                                 ("00003T", "2022-03-03", "0102", 300),
                                 ("00004T", "2021-03-03", "0102", 400)]],
        target_penyerapan=[{"tahun": TAHUN, "bulan": m, "jenis_belanja": j,
                            "target_persen": m * (8 if j == "51" else 7)}
                           for m in range(1, 13) for j in ("51", "52", "53", "57")])
