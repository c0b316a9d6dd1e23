"""Reference data: the shipped lists are loaded once, a newer verified set
replaces them, an older or damaged one changes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from desktop_app.resources import reference_dir
from desktop_app.store import refdata

CITY = "18.71"
SHIPPED = refdata.Manifest.read(reference_dir()).version


def copy_reference(tmp_path: Path, *, version: str, city_name: str, fix_sha: bool = True) -> Path:
    """A copy of the shipped reference files with a new version and the city renamed."""
    folder = tmp_path / "reference"
    shutil.copytree(reference_dir(), folder)
    regions = folder / "regions.csv"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("Kota Bandar Lampung", city_name),
        encoding="utf-8",
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = version
    if fix_sha:
        manifest["files"]["regions.csv"] = hashlib.sha256(regions.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def city_name(connection) -> str:
    return connection.execute("SELECT name FROM region WHERE code = ?", (CITY,)).fetchone()[0]


def test_regions_of_lampung_are_loaded(store):
    """The province, its 15 regencies/cities, 229 districts and 2,651 villages are there."""
    with store.raw() as connection:
        counts = dict(connection.execute("SELECT level, count(*) FROM region GROUP BY level"))
        province = connection.execute("SELECT name FROM region WHERE code = '18'").fetchone()[0]
        kinds = dict(connection.execute(
            "SELECT kind, count(*) FROM region WHERE level = 'village' GROUP BY kind"))
    assert counts == {"province": 1, "regency": 15, "district": 229, "village": 2651}
    assert kinds == {"desa": 2446, "kelurahan": 205}
    assert province == "Lampung"


def test_aid_rounds_and_health_methods_are_loaded(store):
    """The two BPUM rounds and the two health methods, with their aspects,
    indicators and bands, come with the reference set."""
    with store.raw() as connection:
        rounds = connection.execute(
            "SELECT code, amount, checks, excluded_credit, prior_recipients_allowed, opens_on "
            "FROM aid_round ORDER BY code").fetchall()
        aspects = dict(connection.execute("SELECT method, count(*) FROM health_aspect GROUP BY method"))
        indicators = connection.execute("SELECT count(*) FROM health_indicator").fetchone()[0]
        bands = dict(connection.execute("SELECT method, count(*) FROM health_band GROUP BY method"))
    assert [r[:2] for r in rounds] == [("bpum-2020", 2_400_000), ("bpum-2021", 1_200_000)]
    assert json.loads(rounds[1][3]) == ["kur"] and rounds[1][4] == 1 and rounds[1][5] == "2021-03-17"
    assert len(json.loads(rounds[0][2])) == 5
    assert aspects == {"perdep_06_2016": 7, "permenkop_9_2020": 4}
    assert indicators == 10
    assert bands == {"perdep_06_2016": 4, "permenkop_9_2020": 8}


def test_a_file_this_version_does_not_know_is_refused(store, tmp_path):
    """A manifest listing a file no table is known for is refused, not half-loaded."""
    folder = copy_reference(tmp_path, version="2027.1.1", city_name="Tidak Dimuat")
    (folder / "rivers.csv").write_text("code,name\n1,Way Sekampung\n", encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["rivers.csv"] = hashlib.sha256((folder / "rivers.csv").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with store.raw() as connection:
        with pytest.raises(refdata.ReferenceDataError, match="rivers.csv"):
            refdata.load_if_newer(connection, folder)
        assert city_name(connection) == "Kota Bandar Lampung"
        assert refdata.loaded_version(connection) == SHIPPED


def test_savings_and_loan_type_is_flagged(store):
    """cooperative_type simpan_pinjam is the savings-and-loan type."""
    with store.raw() as connection:
        flag = connection.execute(
            "SELECT is_savings_loan FROM cooperative_type WHERE code = 'simpan_pinjam'"
        ).fetchone()[0]
    assert flag == 1


def test_newer_version_is_loaded(store, tmp_path):
    """A manifest with a higher version replaces the names and records the version."""
    folder = copy_reference(tmp_path, version="2026.11.10", city_name="Kota Bandar Lampung Baru")
    with store.raw() as connection:
        assert refdata.load_if_newer(connection, folder) is True
        assert city_name(connection) == "Kota Bandar Lampung Baru"
        assert refdata.loaded_version(connection) == "2026.11.10"


@pytest.mark.parametrize("version", [SHIPPED, "2026.10.9", "2025.12.31"])
def test_equal_or_older_version_is_not_loaded(store, tmp_path, version):
    """A manifest with the same or a lower version is ignored."""
    folder = copy_reference(tmp_path, version=version, city_name="Nama Lama")
    with store.raw() as connection:
        assert refdata.load_if_newer(connection, folder) is False
        assert city_name(connection) == "Kota Bandar Lampung"
        assert refdata.loaded_version(connection) == SHIPPED


def test_damaged_file_is_refused_and_changes_nothing(store, tmp_path):
    """A file whose SHA-256 differs from the manifest raises and leaves the data as it was."""
    folder = copy_reference(tmp_path, version="2027.1.1", city_name="Rusak", fix_sha=False)
    with store.raw() as connection:
        with pytest.raises(refdata.ReferenceDataError, match="regions.csv"):
            refdata.load_if_newer(connection, folder)
        assert city_name(connection) == "Kota Bandar Lampung"
        assert refdata.loaded_version(connection) == SHIPPED


def test_versions_compare_as_numbers():
    """'2026.11.10' is newer than '2026.11.9'."""
    assert refdata.version_key("2026.11.10") > refdata.version_key("2026.11.9")
