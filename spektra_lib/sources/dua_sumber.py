"""Two files of one ingest carrying the same money (issue 24, "dua sumber untuk uang yang
sama"): a GLP039 Fa Detail and a MyINTRESS Detail download of one satker, OM-SPAN and
GLP039, two GLP039 downloads of overlapping periods … Each file's rows are concatenated
into one table per canonical table (detect._read), so such a folder would count the
realisasi twice, silently. This is the one place that sees every file's rows before they
are stored (detect.read, for ingest and periksa alike):

- realisasi (item level) and realisasi_akun (OM-SPAN, akun level) are one kind of money:
  two files giving it for one satker over overlapping months are refused, whatever their
  layouts (two files of the same layout for other months or other satker are fine). A
  file's months are those of its rows plus the months it declares it covers
  (Batch.cakupan: GLP039 January to its period).
- spp is keyed (kode_satker, no_spp, tgl_spp): the same SPP from two files with the same
  amounts, numbers and dates is kept once (a note says so; a column only one file fills
  is taken from it); different values are refused naming both files and the column.

Cheap: one drop_duplicates over (tahun, satker, month, file) of the dated rows, and the
spp rows whose key repeats.
"""
from __future__ import annotations

import pandas as pd

from ..kalender import nama_bulan
from ..problems import Problem

MONEY = ("realisasi", "realisasi_akun")
# spp columns two sources must agree on; uraian and kode_unit are descriptions (a MyINTRESS
# Detail line's uraian is the item's, the Monitoring SPP's the SPP's): the first file's is kept
SPP_KEY = ["kode_satker", "no_spp", "tgl_spp"]
SPP_SAME = ["nilai", "jenis_spp", "no_spm", "tgl_spm", "no_sp2d", "tgl_sp2d", "status",
            "potongan", "nilai_bersih", "no_kontrak", "tgl_bast"]
CHOOSE = "pilih salah satu sumber (keluarkan satu berkas dari folder)"


def check(batch) -> None:
    """Adds the refusals to batch.problems, the notes to batch.notes, and keeps one spp row
    per SPP given alike by two files (batch.tables["spp"])."""
    titles = _titles(batch.recognised)
    batch.problems = list(batch.problems) + _money(batch.tables, batch.cakupan, titles)
    if "spp" in batch.tables:
        spp, problems, notes = _spp(batch.tables["spp"], titles)
        batch.tables["spp"] = spp
        batch.problems += problems
        batch.notes = list(batch.notes) + notes
    batch.sumber = sumber(batch.tables, batch.recognised)
    batch.problems.sort(key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def _titles(recognised) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in recognised or []:
        out.setdefault(str(r.get("berkas")), str(r.get("judul")))
    return out


def sumber(tables: dict[str, pd.DataFrame], recognised) -> list[dict]:
    """schema.SUMBER_TABEL rows: the layout of each file feeding a dated table, per satker
    and year (spp: the year of tgl_spp)."""
    lay: dict[tuple[str, str], str] = {}
    for r in recognised or []:
        lay.setdefault((str(r.get("berkas")), str(r.get("tabel"))), str(r.get("layout")))
        lay.setdefault((str(r.get("berkas")), ""), str(r.get("layout")))
    out = []
    for name in (*MONEY, "spp"):
        df = tables.get(name)
        if df is None or not len(df):
            continue
        year = df["tahun"] if name != "spp" else df["tgl_spp"].dt.year
        part = pd.DataFrame({"tahun": year, "kode_satker": df["kode_satker"],
                             "berkas": df["_file"].astype(str)}).dropna().drop_duplicates()
        for t, ks, f in part.itertuples(index=False):
            out.append({"tahun": int(t), "kode_satker": str(ks), "tabel": name, "berkas": f,
                        "layout": lay.get((f, name)) or lay.get((f, ""), "kanonik")})
    return out


def months_text(months) -> str:
    """{1, 2, 3, 5} -> 'Januari–Maret, Mei'."""
    ms, runs = sorted(months), []
    for m in ms:
        if runs and m == runs[-1][1] + 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    return ", ".join(nama_bulan(a) if a == b else f"{nama_bulan(a)}–{nama_bulan(b)}"
                     for a, b in runs)


def _money(tables: dict[str, pd.DataFrame], cakupan: list[dict],
           titles: dict[str, str]) -> list[Problem]:
    seen = []
    for name in MONEY:
        df = tables.get(name)
        if df is None or not len(df):
            continue
        part = pd.DataFrame({"tahun": df["tahun"], "kode_satker": df["kode_satker"],
                             "bulan": df["tanggal"].dt.month,
                             "berkas": df["_file"].astype(str)}).dropna()
        seen.append(part.drop_duplicates())
    if not seen:
        return []
    rows = pd.concat(seen, ignore_index=True)
    declared = [{"tahun": c["tahun"], "kode_satker": c["kode_satker"], "bulan": m,
                 "berkas": c["berkas"]} for c in cakupan or [] if c.get("tabel") in MONEY
                for m in range(int(c["bulan_dari"]), int(c["bulan_sampai"]) + 1)]
    if declared:
        rows = pd.concat([rows, pd.DataFrame(declared)], ignore_index=True)
    rows["tahun"] = rows["tahun"].astype(int)
    rows["bulan"] = rows["bulan"].astype(int)
    rows = rows.drop_duplicates()
    many = rows.groupby(["tahun", "kode_satker"])["berkas"].transform("nunique") > 1
    out = []
    for (_, ks), g in rows[many].groupby(["tahun", "kode_satker"], sort=True):
        per = {f: set(x["bulan"]) for f, x in g.groupby("berkas", sort=True)}
        files = sorted(per)
        for j, b in enumerate(files):
            for a in files[:j]:
                both = per[a] & per[b]
                if both:
                    out.append(Problem(b, None, f"satker {ks}", (
                        f"realisasi {months_text(both)} juga ada di {a} "
                        f"({titles.get(a, 'tabel kanonik')}): {CHOOSE}")))
    return out


def _shown(v) -> str:
    if pd.isna(v):
        return "kosong"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%d-%m-%Y")
    if isinstance(v, float):
        return f"{v:,.0f}".replace(",", ".") if v == round(v) else str(v)
    return str(v)


def _spp(df: pd.DataFrame, titles: dict[str, str]):
    if not len(df):
        return df, [], []
    k = df[SPP_KEY].astype("string").fillna("").agg("\x1f".join, axis=1)
    dup = k.duplicated(keep=False)
    if not dup.any():
        return df, [], []
    problems, drop, fill = [], [], {}
    pairs: dict[tuple[str, str], int] = {}
    same = [c for c in SPP_SAME if c in df.columns]
    for _, g in df[dup].groupby(k[dup], sort=False):
        files = g["_file"].astype(str)
        if files.nunique() < len(g):      # one file naming an SPP twice: validate says so
            continue
        first = g.iloc[0]
        clash = False
        for idx in g.index[1:]:
            r = df.loc[idx]
            for c in same:
                a, b = first[c], r[c]
                if pd.notna(a) and pd.notna(b) and a != b:
                    problems.append(Problem(str(r["_file"]), int(r["_row"]), c, (
                        f"SPP {r['no_spp']} satker {r['kode_satker']} tanggal "
                        f"{_shown(r['tgl_spp'])} juga ada di {first['_file']} "
                        f"({titles.get(str(first['_file']), 'tabel kanonik')}) dengan {c} "
                        f"{_shown(a)}, di sini {_shown(b)}: {CHOOSE}")))
                    clash = True
                    break
        if clash:
            continue
        # one row: the first file's, with what only a later file fills
        merged = g.bfill().iloc[0]
        fill[g.index[0]] = merged
        drop += list(g.index[1:])
        for idx in g.index[1:]:
            key = (str(first["_file"]), str(df.at[idx, "_file"]))
            pairs[key] = pairs.get(key, 0) + 1
    if not drop and not fill:
        return df, problems, []
    out = df.copy()
    for idx, merged in fill.items():
        for c in out.columns:
            if c not in ("_file", "_row") and pd.isna(out.at[idx, c]) and pd.notna(merged[c]):
                out.at[idx, c] = merged[c]
    out = out.drop(index=drop).reset_index(drop=True)
    notes = [f"{n} SPP di {a} juga ada di {b} dengan nilai, nomor, dan tanggal yang sama: "
             f"dimuat sekali (uraian dari {a})." for (a, b), n in sorted(pairs.items())]
    return out, problems, notes
