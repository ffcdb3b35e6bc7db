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
