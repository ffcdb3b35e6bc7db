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
# spp columns two sources must agree on where both fill them: money, numbers, dates. Words
# (uraian, jenis_spp, status) are written differently by each application (a MyINTRESS
# Detail line's uraian is the item's, SAKTI's status `Upload SP2D` is MyINTRESS's `SP2D
# terbit`): the first file's are kept. An SP2D in one file and none in the other is two
# states of the payment, a difference too (SPP_PAID).
SPP_KEY = ["kode_satker", "no_spp", "tgl_spp"]
SPP_SAME = ["nilai", "potongan", "nilai_bersih", "no_spm", "tgl_spm", "no_sp2d", "tgl_sp2d",
            "no_kontrak", "tgl_bast"]
SPP_PAID = "no_sp2d"
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
                             "berkas": df["_file"]}).dropna().drop_duplicates()
        for t, ks, f in part.itertuples(index=False):
            f = str(f)
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
        # the file as a category until deduplicated: millions of lines, a few files
        part = pd.DataFrame({"tahun": df["tahun"], "kode_satker": df["kode_satker"],
                             "bulan": df["tanggal"].dt.month,
                             "berkas": df["_file"]}).dropna().drop_duplicates()
        seen.append(part.assign(berkas=part["berkas"].astype(str)))
    if not seen:
        return []
    rows = pd.concat(seen, ignore_index=True)
    declared = [{"tahun": c["tahun"], "kode_satker": c["kode_satker"], "bulan": m,
                 "berkas": c["berkas"]} for c in cakupan or [] if c.get("tabel") in MONEY
                for m in range(int(c["bulan_awal"]), int(c["bulan_akhir"]) + 1)]
    if declared:
        rows = pd.concat([rows, pd.DataFrame(declared)], ignore_index=True)
    rows["tahun"] = rows["tahun"].astype(int)
    rows["bulan"] = rows["bulan"].astype(int)
    rows = rows.drop_duplicates()
    # pairs of files with a (tahun, satker, month) in common
    both = rows.merge(rows, on=["tahun", "kode_satker", "bulan"], suffixes=("_a", "_b"))
    both = both[both["berkas_a"] < both["berkas_b"]]
    out = []
    for (_, ks, a, b), g in both.groupby(["tahun", "kode_satker", "berkas_a", "berkas_b"],
                                         sort=True):
        out.append(Problem(b, None, f"satker {ks}", (
            f"realisasi {months_text(set(g['bulan']))} juga ada di {a} "
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
    dup = df.duplicated(SPP_KEY, keep=False).to_numpy()
    if not dup.any():
        return df, [], []
    sub = df[dup].copy()
    sub["_f"] = sub["_file"].astype(str)
    grp = sub.groupby(SPP_KEY, sort=False, dropna=False, observed=True)
    # one file naming an SPP twice is validate's (kunci ganda); here: one row per file
    sub = sub[(grp["_f"].transform("nunique") == grp["_f"].transform("size")).to_numpy()]
    if not len(sub):
        return df, [], []
    grp = sub.groupby(SPP_KEY, sort=False, dropna=False, observed=True)
    n = grp.cumcount().to_numpy()
    same = [c for c in SPP_SAME if c in df.columns]
    gid = grp.ngroup().to_numpy()
    lead = sub.loc[n == 0, same + ["_f"]]
    lead.index = gid[n == 0]
    head = lead.loc[gid].set_axis(sub.index)     # each row beside its group's first row
    differ = pd.DataFrame({c: ((sub[c].notna() & head[c].notna() & (sub[c] != head[c]))
                               | ((sub[c].isna() != head[c].isna()) if c == SPP_PAID else False))
                           .to_numpy(bool) for c in same}, index=sub.index)
    problems = []
    bad = differ.any(axis=1).to_numpy()
    for idx in sub.index[bad]:
        r, c = sub.loc[idx], next(c for c in same if differ.at[idx, c])
        first = head.loc[idx]
        problems.append(Problem(r["_f"], int(r["_row"]), c, (
            f"SPP {r['no_spp']} satker {r['kode_satker']} tanggal {_shown(r['tgl_spp'])} juga "
            f"ada di {first['_f']} ({titles.get(first['_f'], 'tabel kanonik')}) dengan {c} "
            f"{_shown(first[c])}, di sini {_shown(r[c])}: {CHOOSE}")))
    clash = pd.Series(bad, index=sub.index).groupby(
        [sub[k] for k in SPP_KEY], sort=False, dropna=False).transform("any").to_numpy()
    ok = sub[~clash]
    if not len(ok):
        return df, problems, []
    # one row: the first file's, with what only a later file fills (first non-empty value)
    cols = [c for c in df.columns if c not in ("_file", "_row")]
    filled = ok.groupby(SPP_KEY, sort=False, dropna=False, observed=True)[cols] \
        .transform("first")
    first = (n[~clash] == 0)
    out = df.copy()
    keep_idx = ok.index[first]
    for c in cols:
        if c not in SPP_KEY:
            out.loc[keep_idx, c] = filled.loc[keep_idx, c]
    later = ok[~first]
    heads = head.loc[later.index, "_f"]
    pairs = pd.DataFrame({"a": heads.to_numpy(), "b": later["_f"].to_numpy()}) \
        .value_counts().sort_index()
    out = out.drop(index=later.index).reset_index(drop=True)
    notes = [f"{cnt} SPP di {a} juga ada di {b} dengan nilai, nomor, dan tanggal yang sama: "
             f"dimuat sekali (uraian dari {a})." for (a, b), cnt in pairs.items()]
    return out, problems, notes
