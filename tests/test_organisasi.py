import pandas as pd

from spektra_lib import organisasi


def _pok(rows):
    cols = ["kode_satker", "kode_unit", "kode_program", "kode_kegiatan", "kode_kro",
            "kode_ro", "kode_komponen", "kode_subkomponen"]
    return pd.DataFrame(rows, columns=cols)


def test_defaults_keep_codes_and_groups():
    satker = organisasi.satker_default()
    assert organisasi.satker_pusat() == "017220"
    pusat = satker.set_index("kode_satker").loc["017220"]
    assert pusat["nama_satker"] == "BADAN KEPEGAWAIAN NEGARA KANTOR PUSAT JAKARTA"
    assert pusat["kelompok"] == "PUSAT"
    assert (satker["kelompok"] == "KANREG").sum() == 14
    assert set(satker["kelompok"]) == {"PUSAT", "KANREG", "PUSBANG"}
    units = organisasi.unit_kerja_default()
    assert set(units["kode_satker"]) == {"017220"}
    names = set(units["nama_unit"])
    assert {"Biro Keuangan", "Inspektorat", "Direktorat Wasdal IV",
            "Pusat Penilaian Kompetensi ASN"} <= names
    assert units["kode_unit"].str.startswith("0").all()


def test_assign_units_by_kegiatan_and_komponen():
    pok = _pok([
        ["017220", None, "WA", "4843", "EBA", "994", "001", "A"],   # gaji -> Biro Keuangan
        ["017220", "", "WA", "4843", "EBA", "994", "002", "A"],     # operasional -> Biro Umum
        ["017220", None, "WA", "4843", "EBB", "951", "051", "A"],   # sarpras -> Biro Umum
        ["017220", None, "WA", "4843", "EBA", "955", "051", "A"],   # other 4843 -> Keuangan
        ["017220", None, "CD", "3644", "AFA", "001", "052", "A"],   # Jabatan ASN
        ["017220", "0604", "CD", "3644", "AFA", "001", "052", "B"],  # given: kept
        ["017220", None, "CD", "9999", "AFA", "001", "052", "A"],   # no rule: stays empty
        ["017234", None, "WA", "4843", "EBA", "994", "001", "A"],   # kanreg: no units
    ])
    tables = {"pok": pok}
    organisasi.assign_units(tables, None)
    assert list(pok["kode_unit"]) == ["0102", "0103", "0103", "0102", "0401", "0604", None, None]
    # The yaml's unit kerja come along so that the names resolve.
    assert "Biro Keuangan" in set(tables["unit_kerja"]["nama_unit"])


def test_assign_units_adds_column_and_leaves_existing_unit_table():
    pok = _pok([["017220", None, "WA", "4843", "EBA", "994", "001", "A"]]).drop(columns="kode_unit")
    own = pd.DataFrame({"kode_unit": ["X1"], "nama_unit": ["Unit Sendiri"], "kode_satker": ["017220"]})
    tables = {"pok": pok, "unit_kerja": own}
    organisasi.assign_units(tables, None)
    assert pok["kode_unit"].tolist() == ["0102"]
    assert tables["unit_kerja"] is own


def test_most_specific_rule_wins_regardless_of_order(tmp_path, monkeypatch):
    (tmp_path / "organisasi.yaml").write_text(
        'satker_pusat: "017220"\n'
        'aturan_unit:\n'
        '  "017220":\n'
        '    - {kegiatan: "4843", unit: "A"}\n'
        '    - {kegiatan: "4843", komponen: "001", unit: "B"}\n', encoding="utf-8")
    monkeypatch.setenv("SPEKTRA_PARAMETERS", str(tmp_path))
    pok = _pok([["017220", None, "WA", "4843", "EBA", "994", "001", "A"],
                ["017220", None, "WA", "4843", "EBA", "994", "002", "A"]])
    organisasi.assign_units({"pok": pok}, None)
    assert pok["kode_unit"].tolist() == ["B", "A"]
