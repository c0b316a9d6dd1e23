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
    """The province, its 15 regencies/cities and 229 districts are there."""
    with store.raw() as connection:
        counts = dict(connection.execute("SELECT level, count(*) FROM region GROUP BY level"))
        province = connection.execute("SELECT name FROM region WHERE code = '18'").fetchone()[0]
    assert counts == {"province": 1, "regency": 15, "district": 229}
    assert province == "Lampung"


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


@pytest.mark.parametrize("version", ["2026.11.1", "2026.10.9", "2025.12.31"])
def test_equal_or_older_version_is_not_loaded(store, tmp_path, version):
    """A manifest with the same or a lower version is ignored."""
    folder = copy_reference(tmp_path, version=version, city_name="Nama Lama")
    with store.raw() as connection:
        assert refdata.load_if_newer(connection, folder) is False
        assert city_name(connection) == "Kota Bandar Lampung"
        assert refdata.loaded_version(connection) == "2026.11.1"


def test_damaged_file_is_refused_and_changes_nothing(store, tmp_path):
    """A file whose SHA-256 differs from the manifest raises and leaves the data as it was."""
    folder = copy_reference(tmp_path, version="2027.1.1", city_name="Rusak", fix_sha=False)
    with store.raw() as connection:
        with pytest.raises(refdata.ReferenceDataError, match="regions.csv"):
            refdata.load_if_newer(connection, folder)
        assert city_name(connection) == "Kota Bandar Lampung"
        assert refdata.loaded_version(connection) == "2026.11.1"


def test_versions_compare_as_numbers():
    """'2026.11.10' is newer than '2026.11.9'."""
    assert refdata.version_key("2026.11.10") > refdata.version_key("2026.11.9")
