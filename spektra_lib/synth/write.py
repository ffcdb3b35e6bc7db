"""Write canonical tables in any layout the readers know, so that synthetic data (and
every test) goes through the real readers.

| layout        | files                                                                  |
|---------------|------------------------------------------------------------------------|
| kanonik       | `<table>.csv` per table (CONTRACT §1)                                  |
| kanonik-xlsx  | `spektra.xlsx`, one sheet per table                                   |
| sakti         | `ANG/dataAng.csv`, `PEM/realisasi.csv`, `PEM/register_spp.csv`,        |
|               | `OUTPUT/capaianRO.csv`, `referensi/*.csv` (sakti.py, refs.py)          |
| sakti-json    | the service's answers per satker: `ANG/dataAng_<satker>.json`, …       |
| sakti-xlsx    | `unduhan/POK_<satker>_<tahun>.xlsx` (Form Cetak POK), `Daftar_SP2D.xlsx`|
| adk / adk-dbf | `d_item.xml` (`.dbf`) + `referensi/*.xml` (`.dbf`); realisasi, SPP and |
| / adk-keu     | capaian as in sakti (ADK carries only the budget); `D_ITEM.KEU`, …     |
| omspan(-xlsx) | `omspan_realisasi.csv` / `.xlsx` (akun level) + the budget as in adk   |

In every layout, tables that have no real export (satker, unit_kerja, ro_target,
target_penyerapan, and spp / capaian_ro for omspan) are canonical CSV beside them.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..sources import adk, kanonik, omspan, refs, sakti
from . import sakti_xlsx

LAYOUTS = ("kanonik", "kanonik-xlsx", "sakti", "sakti-json", "sakti-xlsx", "sakti-laporan",
           "adk", "adk-dbf", "adk-keu", "omspan", "omspan-xlsx", "myintress")
REF_NAMES = list(refs.REFS)


def _clean(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {k: v.drop(columns=[c for c in ("_file", "_row") if c in v.columns])
            for k, v in tables.items() if v is not None}


def _write_refs(pok: pd.DataFrame, folder: Path, fmt: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    names = [n for n in REF_NAMES if fmt != "csv" or n != "d_skmpnen"]
    out = []
    for name, df in refs.build(pok, names).items():
        text = df.astype("string").fillna("").astype(object)
        if fmt == "csv":
            p = folder / f"{name}.csv"
            text.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        elif fmt == "xml":
            p = adk.write_xml(text, folder / f"{name}.xml", "c_" + name.split("_", 1)[1])
        else:
            p = adk.write_dbf(text, folder / f"{name}.dbf")
        out.append(p)
    return out


def write(tables: dict[str, pd.DataFrame], out_dir: Path, layout: str) -> list[Path]:
    """Write canonical tables in a real layout (see module docstring); returns the files."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout tidak dikenal: {layout!r} (pilih {', '.join(LAYOUTS)})")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t = _clean(tables)
    if layout == "kanonik":
        return kanonik.write_csv(t, out_dir)
    if layout == "kanonik-xlsx":
        return kanonik.write_xlsx(t, out_dir / "spektra.xlsx")
    if layout == "sakti-json":
        return _write_sakti_json(t, out_dir)
    if layout == "sakti-laporan":   # the printed reports: Form Cetak POK, GLP039, Daftar SP2D
        return _write_laporan(_number_items_in_print_order(t), out_dir)
    if layout == "myintress":   # Form Cetak POK, MyINTRESS Detail Pengeluaran dan Potongan
        return _write_myintress(_number_items_in_print_order(t), out_dir)
    if layout == "sakti-xlsx":    # what staff download by hand: Form Cetak POK, Daftar SP2D
        t = _number_items_in_print_order(t)
        # Daftar SP2D lists SP2D only: a register with SPPs still in process stays canonical
        done = {"pok"} | ({"spp"} if "spp" in t and t["spp"]["no_sp2d"].notna().all() else set())
        written = sakti_xlsx.write_reports({k: v for k, v in t.items() if k in done},
                                           out_dir / "unduhan",
                                           satker_names=_names(t.get("satker")))
        if "pok" in t:   # the PN tag travels in the RO reference table (d_soutput)
            written += _write_refs(t["pok"], out_dir / "referensi", "csv")
        return written + kanonik.write_csv(t, out_dir, [n for n in t if n not in done])
    written: list[Path] = []
    done = set()
    if "pok" in t:
        if layout == "sakti":
            (out_dir / "ANG").mkdir(exist_ok=True)
            written.append(sakti.write_dataang(t["pok"], out_dir / "ANG" / "dataAng.csv"))
            written += _write_refs(t["pok"], out_dir / "referensi", "csv")
        elif layout == "adk-dbf":
            written.append(adk.write_d_item_dbf(t["pok"], out_dir / "d_item.dbf"))
            written += _write_refs(t["pok"], out_dir / "referensi", "dbf")
        elif layout == "adk-keu":   # the DIPA application's own FoxPro tables
            written.append(adk.write_d_item_dbf(t["pok"], out_dir / "D_ITEM.KEU"))
            for p in _write_refs(t["pok"], out_dir / "referensi", "dbf"):
                keu = p.with_name(p.stem.upper() + ".KEU")
                p.rename(keu)
                written.append(keu)
        else:
            written.append(adk.write_d_item_xml(t["pok"], out_dir / "d_item.xml"))
            written += _write_refs(t["pok"], out_dir / "referensi", "xml")
        done.add("pok")
    if layout in ("omspan", "omspan-xlsx"):
        ra = t.get("realisasi_akun")
        if ra is None and "realisasi" in t:
            ra = omspan.from_realisasi(t["realisasi"])
        if ra is not None:
            p = omspan.write(ra, out_dir / "omspan_realisasi.csv")
            if layout == "omspan-xlsx":
                p = _csv_to_xlsx(p, "realisasi")
            written.append(p)
        done |= {"realisasi", "realisasi_akun"}
    else:
        if "realisasi" in t:
            (out_dir / "PEM").mkdir(exist_ok=True)
            written.append(sakti.write_pem(t["realisasi"], t.get("spp"),
                                           out_dir / "PEM" / "realisasi.csv",
                                           numeric_keys=layout == "sakti"))
            done.add("realisasi")
        if "spp" in t:
            (out_dir / "PEM").mkdir(exist_ok=True)
            written.append(sakti.write_register(t["spp"], out_dir / "PEM" / "register_spp.csv"))
            done.add("spp")
        if "capaian_ro" in t:
            (out_dir / "OUTPUT").mkdir(exist_ok=True)
            written.append(sakti.write_capaian(t["capaian_ro"], t.get("ro_target"),
                                               out_dir / "OUTPUT" / "capaianRO.csv"))
            done.add("capaian_ro")
    written += kanonik.write_csv(t, out_dir, [n for n in t if n not in done])
    return written


def _write_laporan(t: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Per satker the printed Form Cetak POK (ribuan rupiah, the header on every page) and
    the GLP039 Laporan Realisasi s.d. the last month with realisasi; the Daftar SP2D; the
    tables without a report as canonical CSV beside them (issue 24)."""
    from ..synth.cetak_pok import write_cetak_pok
    from ..synth.glp039 import write_glp039
    folder = out_dir / "unduhan"
    folder.mkdir(parents=True, exist_ok=True)
    names = _names(t.get("satker"))
    written, done = [], set()
    pok, real = t.get("pok"), t.get("realisasi")
    if pok is not None and len(pok):
        bulan = int(pd.to_datetime(real["tanggal"]).dt.month.max()) \
            if real is not None and len(real) else 12
        for (ks, th), g in pok.groupby(["kode_satker", "tahun"], sort=True):
            nm = names.get(str(ks), "")
            written.append(write_cetak_pok(g, folder / f"POK_{ks}_{th}.xlsx", nm))
            if real is not None:
                r = real[(real["kode_satker"] == ks) & (real["tahun"] == th)]
                written.append(write_glp039(g, r, bulan, folder / f"GLP039_{ks}_{th}.xlsx", nm))
        written += _write_refs(pok, out_dir / "referensi", "csv")
        done |= {"pok", "realisasi"}
    spp = t.get("spp")
    if spp is not None and len(spp) and spp["no_sp2d"].notna().all():
        written.append(sakti_xlsx.write_daftar_sp2d(spp, folder / "Daftar_SP2D.xlsx", names))
        done.add("spp")
    return written + kanonik.write_csv(t, out_dir, [n for n in t if n not in done])


def _write_myintress(t: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Per satker the printed Form Cetak POK and the MyINTRESS Detail Pengeluaran dan
    Potongan of its SPP (realisasi lines, PPh potongan where the register has one); the
    tables without a report as canonical CSV beside them (issue 24)."""
    from ..synth.cetak_pok import write_cetak_pok
    from ..synth.myintress import detail_lines, write_myintress_detail
    folder = out_dir / "unduhan"
    folder.mkdir(parents=True, exist_ok=True)
    names = _names(t.get("satker")) or {}
    pok, real, spp = t.get("pok"), t.get("realisasi"), t.get("spp")
    written, done = [], set()
    if pok is not None and len(pok):
        for (ks, th), g in pok.groupby(["kode_satker", "tahun"], sort=True):
            written.append(write_cetak_pok(g, folder / f"POK_{ks}_{th}.xlsx",
                                           names.get(str(ks), "")))
        written += _write_refs(pok, out_dir / "referensi", "csv")
        done.add("pok")
    if pok is not None and real is not None and spp is not None and len(spp):
        for ks, s in spp.groupby("kode_satker", sort=True):
            pot = s.loc[s["potongan"].fillna(0) > 0].set_index("no_spp")["potongan"] \
                if "potongan" in s.columns else pd.Series(dtype=float)
            lines = detail_lines(pok[pok["kode_satker"] == ks], real[real["kode_satker"] == ks],
                                 s, pot.to_dict())
            written.append(write_myintress_detail(lines, folder / f"MyINTRESS_Detail_{ks}.xlsx",
                                                  str(ks), names.get(str(ks), "")))
        done |= {"realisasi", "spp"}
    return written + kanonik.write_csv(t, out_dir, [n for n in t if n not in done])


def _number_items_in_print_order(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A Form Cetak POK prints no item number: its reader numbers the items 1, 2, … within
    each akun in the order printed. Our tables are renumbered so, realisasi alike, for the
    files written beside it to name the same items."""
    pok = t.get("pok")
    if pok is None or not len(pok):
        return t
    key = schema.ITEM_KEY[:-1]
    pok = pok.sort_values(schema.ITEM_KEY, kind="stable",
                          key=lambda s: pd.to_numeric(s, errors="coerce")
                          if s.name == "no_item" else s).reset_index(drop=True)
    new = (pok.groupby(key, dropna=False, sort=False).cumcount() + 1).astype(str)
    mapping = pok[schema.ITEM_KEY].assign(_new=new.to_numpy())
    out = dict(t, pok=pok.assign(no_item=new.to_numpy()))
    if "realisasi" in t and len(t["realisasi"]):
        r = t["realisasi"].merge(mapping, on=schema.ITEM_KEY, how="left")
        out["realisasi"] = r.assign(no_item=r["_new"].fillna(r["no_item"])).drop(columns="_new")
    return out


def _names(satker: pd.DataFrame | None) -> dict[str, str] | None:
    if satker is None or not len(satker):
        return None
    return dict(zip(satker["kode_satker"].astype(str), satker["nama_satker"].astype(str)))


def _csv_to_xlsx(p: Path, sheet: str) -> Path:
    """A CSV we wrote, as the one-sheet workbook an analyst saves from it (text cells)."""
    import openpyxl
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    out = p.with_suffix(".xlsx")
    wb.save(out)
    p.unlink()
    return out


def _write_sakti_json(t: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """The monitoring service's answers saved as they come, one file per satker and
    endpoint: `ANG/dataAng_<satker>.json`, `PEM/realisasi_<satker>.json`,
    `OUTPUT/capaianRO_<satker>.json` (names as the service writes; no THANG)."""
    import json
    written = []

    def save(text: pd.DataFrame, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = text.to_dict("records")
        path.write_text(json.dumps([[{"TOKEN": "-"}], rows], ensure_ascii=False),
                        encoding="utf-8")
        written.append(path)
    done = set()
    if "pok" in t:
        pok = t["pok"]
        heads = sakti._akun_heads(pok)
        for ks, idx in pok.groupby("kode_satker", sort=True).indices.items():
            save(sakti._dataang_text(pok.iloc[idx], heads[idx]), out_dir / "ANG" / f"dataAng_{ks}.json")
        written.extend(_write_refs(pok, out_dir / "referensi", "csv"))
        done.add("pok")
    if "realisasi" in t:
        r = t["realisasi"]
        spp = t.get("spp")
        reg = None
        if spp is not None and len(spp):
            reg = spp.dropna(subset=["no_sp2d"]).drop_duplicates(["kode_satker", "no_sp2d"])
            reg = reg[["kode_satker", "no_sp2d"] + list(sakti._REG_COLS)]
        for ks, idx in r.groupby("kode_satker", sort=True).indices.items():
            save(sakti._pem_text(r.iloc[idx], reg, numeric_keys=True),
                 out_dir / "PEM" / f"realisasi_{ks}.json")
        done.add("realisasi")
    if "capaian_ro" in t:
        for ks, g in t["capaian_ro"].groupby("kode_satker", sort=True):
            p = sakti.write_capaian(g, t.get("ro_target"), out_dir / "OUTPUT" / f"_cap_{ks}.csv") \
                if (out_dir / "OUTPUT").mkdir(parents=True, exist_ok=True) is None else None
            text = pd.read_csv(p, sep=";", dtype=str, keep_default_na=False)
            p.unlink()
            save(text, out_dir / "OUTPUT" / f"capaianRO_{ks}.json")
        done.add("capaian_ro")
    return written + kanonik.write_csv(t, out_dir, [n for n in t if n not in done])
