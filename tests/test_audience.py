"""Static bundles per audience, scanned byte by byte for what another satker would leak.

Every file of a bundle is read as a user would get it: html/ipynb/json/js as text,
Office files (xlsx, docx, zip packs) unzipped member by member, PDF through pypdf. Then:
no other satker's code, name or pagu (raw and formatted 1.234.567) may appear in a User's
bundle; the Publik bundle holds the agency dashboard and its assets only.
"""
from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

import pytest

from spektra_lib.render import build_site
from spektra_lib.store import Store

TAHUN, BULAN = 2022, 5   # the demo store's period (tests/conftest.py)

pytestmark = pytest.mark.slow

KANREG_IV, PUSAT, BIRO_KEUANGAN = "017234", "017220", "0102"


AUDIENCES = {"publik": "publik", "satker": f"satker:{KANREG_IV}",
             "unit": f"unit:{BIRO_KEUANGAN}"}


class _Bundles(dict):
    """bundles["satker"]: the bundle's folder, built on first use (once per module)."""

    def __init__(self, store, root):
        super().__init__()
        self.store, self.root = store, root

    def __missing__(self, key):
        folder = self.root / key
        build_site(store_path=self.store, audience=AUDIENCES[key], tahun=TAHUN, bulan=BULAN,
                   out=folder, progress=False)
        self[key] = folder
        return folder


@pytest.fixture(scope="module")
def bundles(demo_store_path, tmp_path_factory):
    return _Bundles(demo_store_path, tmp_path_factory.mktemp("bundles"))


@pytest.fixture(scope="module")
def facts(demo_store_path):
    """Per satker and per unit kerja of the central satker: code, name, pagu."""
    with Store(demo_store_path, read_only=True) as st:
        satker = st.sql("SELECT s.kode_satker AS kode, s.nama_satker AS nama, "
                        "round(sum(p.pagu)) AS pagu FROM satker s JOIN pok p USING (kode_satker) "
                        "WHERE p.tahun = ? GROUP BY ALL", [TAHUN])
        unit = st.sql("SELECT u.kode_unit AS kode, u.nama_unit AS nama, round(sum(p.pagu)) AS "
                      "pagu FROM unit_kerja u JOIN pok p ON p.kode_satker = u.kode_satker AND "
                      "p.kode_unit = u.kode_unit WHERE p.tahun = ? GROUP BY ALL", [TAHUN])
        total = st.scalar("SELECT round(sum(pagu)) FROM pok WHERE tahun = ?", [TAHUN])
    return satker, unit, int(total)


# -- reading a bundle as bytes ---------------------------------------------------------
def _texts(data: bytes, name: str):
    """(member name, text) of one file; archives and PDFs opened like a user would."""
    low = name.lower()
    if low.endswith((".xlsx", ".docx", ".pptx", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                yield from _texts(z.read(member), f"{name}!{member}")
        return
    if low.endswith(".gz"):            # the printable pages kept for the combined PDF
        yield from _texts(gzip.decompress(data), name[:-3])
        return
    if low.endswith(".pdf"):
        from pypdf import PdfReader
        reader = PdfReader(io.BytesIO(data))
        yield name, "\n".join(page.extract_text() or "" for page in reader.pages)
        yield name + "!raw", data.decode("latin-1")
        return
    yield name, data.decode("utf-8", errors="replace")


def read_bundle(folder: Path) -> dict[str, str]:
    return {n: t for p in sorted(folder.rglob("*")) if p.is_file()
            for n, t in _texts(p.read_bytes(), p.relative_to(folder).as_posix())}


def _number(n: int) -> list[re.Pattern]:
    raw, dotted = str(n), f"{n:,}".replace(",", ".")
    return [re.compile(rf"(?<![\d.,]){re.escape(x)}(?![\d])") for x in (raw, dotted)]


def _name(text: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def leaks(files: dict[str, str], codes=(), names=(), amounts=()) -> list[str]:
    """Every (file: what) found; empty means the bundle is clean."""
    patterns = ([(f"kode {c}", re.compile(rf"(?<!\d){c}(?!\d)")) for c in codes]
                + [(f"nama {n}", _name(n)) for n in names]
                + [(f"jumlah {a}", p) for a in amounts for p in _number(int(a))])
    return [f"{f}: {what}" for f, text in files.items() for what, p in patterns
            if p.search(text)]


# -- the tests -------------------------------------------------------------------------
def test_kanreg_iv_bundle_holds_nothing_of_another_satker(bundles, facts):
    satker, unit, total = facts
    files = read_bundle(bundles["satker"])
    others = satker[satker.kode != KANREG_IV]
    found = leaks(files, codes=others.kode, names=others.nama,
                  amounts=list(others.pagu) + [total])
    assert not found, found[:20]
    # The scan sees what is there: the own satker is named, coded and its pagu shown.
    own = satker[satker.kode == KANREG_IV].iloc[0]
    assert leaks(files, codes=[KANREG_IV], names=[own.nama], amounts=[own.pagu]) != []
    assert len(leaks(files, codes=[KANREG_IV], names=[own.nama], amounts=[own.pagu])) >= 3


def test_unit_bundle_holds_only_its_unit(bundles, facts):
    satker, unit, total = facts
    files = read_bundle(bundles["unit"])
    others = satker[satker.kode != PUSAT]
    other_units = unit[unit.kode != BIRO_KEUANGAN]
    pusat_pagu = satker.loc[satker.kode == PUSAT, "pagu"].iloc[0]
    found = leaks(files, codes=others.kode, names=list(others.nama) + list(other_units.nama),
                  amounts=list(others.pagu) + list(other_units.pagu) + [total, pusat_pagu])
    assert not found, found[:20]
    own = unit[unit.kode == BIRO_KEUANGAN].iloc[0]
    assert leaks(files, names=[own.nama], amounts=[own.pagu])


def test_user_dashboard_is_their_own_charts_without_rankings(bundles):
    landing = (bundles["satker"] / "index.html").read_text(encoding="utf-8")
    assert "Dashboard Realisasi Anggaran" in landing
    assert "KANTOR REGIONAL IV" in landing.upper()
    assert "vegaEmbed" in landing                     # the two charts, drawn locally
    assert "Ranking" not in landing and "ranking" not in landing
    # Links only to the own scope's pages.
    period = bundles["satker"] / f"{TAHUN}" / f"{BULAN:02d}"
    assert sorted(p.name for p in period.iterdir() if p.is_dir()) == [KANREG_IV]
    assert "Tingkat Instansi" not in (period / "index.html").read_text(encoding="utf-8")


def test_publik_bundle_is_the_dashboard_and_assets_only(bundles, facts):
    folder = bundles["publik"]
    rel = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    period = f"{TAHUN}/{BULAN:02d}"
    # .spektra-cetak/: the render's printable pages the combined PDF is printed from
    allowed = re.compile(rf"^(index\.html|assets/.+|\.spektra-[a-z-]+(\.json)?|"
                         rf"\.spektra-cetak/{period}/semua/dashboard\.html\.gz|"
                         rf"{period}/(index\.html|periode\.json|semua/(index\.html|"
                         rf"dashboard(\.[a-z]+|-[\w.-]+)|"
                         rf"paket_semua_[\d-]+\.zip|gabungan_semua_[\d-]+\.pdf)))$")
    assert [r for r in rel if not allowed.match(r)] == []
    assert f"{period}/semua/dashboard.html" in rel
    # The month's pack, when there is one, is the dashboard in other formats.
    for pack in folder.glob(f"{period}/semua/paket_*.zip"):
        with zipfile.ZipFile(pack) as z:
            assert z.namelist() and all("dashboard" in n for n in z.namelist()), z.namelist()
    # By design the public dashboard ranks every satker by name: the scanner sees them
    # there (so a User bundle passing the scan is a real result, not a blind scanner).
    satker, _, _ = facts
    files = read_bundle(folder)
    assert len(leaks(files, names=satker.nama)) >= len(satker)
