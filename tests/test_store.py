"""The store: atomic replace-by-scope ingest, idempotence, content fingerprint, access."""
import pandas as pd
import pytest

from spektra_lib.problems import AksesDitolak
from spektra_lib.store import Access, Store


def _satker(*rows):
    return pd.DataFrame(rows, columns=["kode_satker", "nama_satker", "kelompok"])


def _unit(*rows):
    return pd.DataFrame(rows, columns=["kode_unit", "nama_unit", "kode_satker"])


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.ingest({"satker": _satker(("017220", "KANTOR PUSAT", "PUSAT"),
                                ("017221", "KANTOR REGIONAL I", "KANREG")),
              "unit_kerja": _unit(("BKEU", "Biro Keuangan", "017220"))}, layout="kanonik")
    yield s
    s.close()


def test_reingest_same_data_changes_nothing(store):
    fp = store.fingerprint()
    again = store.ingest({"satker": _satker(("017220", "KANTOR PUSAT", "PUSAT"),
                                            ("017221", "KANTOR REGIONAL I", "KANREG"))},
                         layout="kanonik")
    assert not again.changed
    assert store.fingerprint() == fp
    assert store.sql("SELECT nama_satker FROM satker ORDER BY 1")["nama_satker"].tolist() == [
        "KANTOR PUSAT", "KANTOR REGIONAL I"]


def test_newer_export_replaces_rows_of_its_scope_only(store):
    s = store.ingest({"satker": _satker(("017221", "KANTOR REGIONAL I YOGYAKARTA", "KANREG"))},
                     layout="kanonik")
    assert s.changed
    names = dict(store.sql("SELECT kode_satker, nama_satker FROM satker").values.tolist())
    assert names == {"017220": "KANTOR PUSAT", "017221": "KANTOR REGIONAL I YOGYAKARTA"}


def test_failed_ingest_rolls_back_every_table(store):
    before = (store.counts(), store.fingerprint(), store.sql("SELECT * FROM satker ORDER BY 1"))
    bad_pok = pd.DataFrame({"tahun": ["bukan tahun"], "kode_satker": ["017221"]})
    with pytest.raises(Exception):
        # satker is replaced first, then pok fails to cast: nothing may remain of either.
        store.ingest({"satker": _satker(("017221", "DIGANTI", "KANREG")), "pok": bad_pok},
                     layout="kanonik")
    assert store.counts() == before[0]
    assert store.fingerprint() == before[1]
    pd.testing.assert_frame_equal(store.sql("SELECT * FROM satker ORDER BY 1"), before[2])
    assert len(store.ingest_log()) == 1


def test_codes_keep_leading_zeros(store):
    assert store.scalar("SELECT kode_satker FROM satker ORDER BY 1 LIMIT 1") == "017220"


def test_user_sees_only_own_satker(store):
    user = store.with_access(Access("user", satker="017221"))
    user.check_scope("017221")
    with pytest.raises(AksesDitolak, match="017220"):
        user.check_scope("017220")
    with pytest.raises(AksesDitolak, match="seluruh satker"):
        user.check_scope(None)
    user.check_scope(None, public=True)   # the dashboard rankings


def test_unit_user_sees_only_own_unit(store):
    user = store.with_access(Access("user", satker="017220", unit="BKEU"))
    user.check_scope("017220", "BKEU")
    user.check_scope(None, "BKEU")
    with pytest.raises(AksesDitolak, match="unit kerja BKEU"):
        user.check_scope("017220")


def test_publik_sees_dashboard_only(store):
    publik = store.with_access(Access("publik"))
    publik.check_scope(None, public=True)
    with pytest.raises(AksesDitolak, match="dashboard"):
        publik.check_scope("017220")


def test_read_only_store_must_exist(tmp_path):
    with pytest.raises(FileNotFoundError, match="spektra ingest"):
        Store(tmp_path / "tidak-ada.duckdb", read_only=True)
