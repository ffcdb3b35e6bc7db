"""The rules folder (SPEKTRA_PARAMETERS): one fingerprint of every rule file, used by
`spektra render` and `spektra serve` alike (issue 21: serve hashed the package's own
folder, not the one in use, and not its subfolders)."""
from __future__ import annotations

import shutil
from pathlib import Path

from spektra_lib import parameters
from spektra_lib.render import runner

ROOT = Path(__file__).resolve().parents[1] / "parameters"


def test_fingerprint_follows_the_folder_in_use_and_its_subfolders(tmp_path, monkeypatch):
    rules = tmp_path / "aturan"
    shutil.copytree(ROOT, rules)
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(rules))
    first = parameters.fingerprint()
    assert runner._rules_sha() == first           # render keys pages with the same one
    band = rules / "deviasi.yaml"
    band.write_text(band.read_text(encoding="utf-8").replace("sampai: 10", "sampai: 15", 1),
                    encoding="utf-8")
    second = parameters.fingerprint()
    assert second != first
    (rules / "instansi").mkdir()
    (rules / "instansi" / "tambahan.yaml").write_text("a: 1\n", encoding="utf-8")
    assert parameters.fingerprint() not in (first, second)
    # back to the package's own folder: its (unchanged) rules, as the first copy was
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(ROOT))
    assert parameters.fingerprint() == first


def _band(folder: Path, sampai: int) -> None:
    """deviasi.yaml in `folder` with the green band up to `sampai` % (the package's: 10)."""
    text = (ROOT / "deviasi.yaml").read_text(encoding="utf-8")
    assert "sampai: 10\n" in text
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deviasi.yaml").write_text(text.replace("sampai: 10\n", f"sampai: {sampai}\n", 1),
                                         encoding="utf-8")


def test_an_agency_folder_with_only_a_changed_band(small_report_store, tmp_path, monkeypatch):
    """Issue 21.6: the agency's folder overrides the package's rules file by file: holding
    only deviasi.yaml, its band is in force and every other rule comes from the package."""
    from spektra_lib import reports
    from spektra_lib.present.tables import legenda_html
    from spektra_lib.reports.ikpa import pilih_aturan
    from reports_fixture import P1

    def januari(satker_scope=dict(satker="017220", unit="0102")):
        df = reports.deviasi_detail(small_report_store, 2022, 3, **satker_scope)
        return df[(df["path"] == P1 + ".1") & (df["bulan"] == 1)].iloc[0]
    package = januari()
    assert package["deviasi_persen"] == 20 and package["warna"] == "kuning"
    agency = tmp_path / "instansi"
    _band(agency, 25)
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(agency))
    assert sorted(p.name for p in agency.iterdir()) == ["deviasi.yaml"]
    assert januari()["warna"] == "hijau"                      # 20 % within the new band
    assert "≤ 25 %" in legenda_html() and "≤ 10 %" not in legenda_html()
    # everything else from the package: the calendar, the roles, the IKPA rules
    assert parameters.path("kalender") == ROOT / "kalender.yaml"
    assert parameters.path("deviasi") == agency / "deviasi.yaml"
    assert pilih_aturan(2022).dasar == "PER-5/PB/2022"
    assert "ikpa/PER-5-PB-2022" in parameters.names("ikpa")
    ikpa = reports.ikpa_estimasi(small_report_store, 2022, 3, satker="017220")
    assert (ikpa["dasar"] == "PER-5/PB/2022").all() and len(ikpa) > 1


def test_fingerprint_covers_the_files_read(tmp_path, monkeypatch):
    """The fingerprint is of the files in force: the agency's file where it has one, the
    package's otherwise — a change to a package file the agency overrides draws nothing
    again, a change to one it does not override does."""
    package = tmp_path / "paket"
    shutil.copytree(ROOT, package)
    monkeypatch.setattr(parameters, "bawaan", lambda: package)
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(package))
    whole = parameters.fingerprint()
    agency = tmp_path / "instansi"
    agency.mkdir()
    shutil.copy(package / "deviasi.yaml", agency / "deviasi.yaml")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(agency))
    assert parameters.fingerprint() == whole          # the same files' contents are read
    _band(agency, 25)
    changed = parameters.fingerprint()
    assert changed != whole
    _band(package, 30)                                 # overridden: not read
    assert parameters.fingerprint() == changed
    kal = package / "kalender.yaml"                   # read from the package
    kal.write_text(kal.read_text(encoding="utf-8") + "\n# diubah\n", encoding="utf-8")
    assert parameters.fingerprint() not in (whole, changed)


def test_a_missing_agency_folder_is_refused(tmp_path, monkeypatch):
    """A mistyped SPEKTRA_PARAMETERS must not pass for the package's rules in silence."""
    import pytest
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(tmp_path / "tidak-ada"))
    with pytest.raises(FileNotFoundError, match="SPEKTRA_PARAMETERS"):
        parameters.load("deviasi")


def test_role_names_shown_come_from_akses_yaml(tmp_path, monkeypatch):
    """The roles' names a user reads (header bar, /admin, `spektra pengguna daftar`) are
    akses.yaml's `peran: …: nama`, the roles' one definition, not a copy in the code."""
    from spektra_lib.users import peran_nama
    assert peran_nama("super_user") == "Super User"
    agency = tmp_path / "instansi"
    agency.mkdir()
    text = (ROOT / "akses.yaml").read_text(encoding="utf-8")
    assert "super_user: {nama: Super User," in text
    (agency / "akses.yaml").write_text(
        text.replace("super_user: {nama: Super User,", "super_user: {nama: Pimpinan,"),
        encoding="utf-8")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(agency))
    assert peran_nama("super_user") == "Pimpinan" and peran_nama("user") == "User"
