"""Issue 23: the kontrak, tagihan and up_tup pages execute and show their figures, in
Indonesian formats, for a kanreg of the demo agency (May 2022)."""
from __future__ import annotations

import pytest

from spektra_lib import scopes
from spektra_lib.present import format as fmt
from spektra_lib.store import Store

from .test_notebooks import kernel, report, run  # noqa: F401  (kernel: a fixture)

pytestmark = pytest.mark.slow
KANREG = "017234"


@pytest.fixture(scope="module")
def nama(notebook_store):
    with Store(notebook_store, read_only=True) as store:
        return scopes.nama_scope(store, satker=KANREG)


def test_kontrak_page(kernel, tmp_path, notebook_store, nama):  # noqa: F811
    text, _ = run("kontrak", kernel, tmp_path, notebook_store, satker=KANREG)
    assert f"Monitoring Kontrak — {nama} — " in text
    df = report(notebook_store, "kontrak", satker=KANREG)
    first = df.iloc[0]
    assert first["no_kontrak"] in text and fmt.rupiah(first["nilai_kontrak"]) in text
    assert first["status"] in text


def test_tagihan_page(kernel, tmp_path, notebook_store, nama):  # noqa: F811
    text, _ = run("tagihan", kernel, tmp_path, notebook_store, satker=KANREG)
    assert f"Penyelesaian Tagihan Kontraktual — {nama} — Januari s.d. Mei 2022" in text
    df = report(notebook_store, "tagihan", satker=KANREG)
    assert len(df) and df["keterangan"].iloc[0] in text
    assert "paling lama 17 hari kerja" in text          # the note under the table


def test_up_tup_page(kernel, tmp_path, notebook_store, nama):  # noqa: F811
    text, _ = run("up_tup", kernel, tmp_path, notebook_store, satker=KANREG)
    assert f"Pengelolaan UP dan TUP — {nama} — " in text
    df = report(notebook_store, "up_tup", satker=KANREG)
    assert fmt.rupiah(df["up"].iloc[0]) in text and "Januari" in text
