"""Fixtures for the sync-bundle tests: a field laptop that signed in once
online (so it holds its regency's bundle key) and then lost the link, and the
office copy of the same regency that carries its bundles to the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.sync.bundle_keys import remember_keys
from desktop_app.sync.device_signing import register_if_needed
from tests.support.laptops import PASSWORD, Laptop

KOTA = "18.71"
NIK = "1871014506900001"


def signed_in(folder: Path, url: str, username: str) -> Laptop:
    """A laptop after an online sign-in, its bundle keys kept as the CLI and GUI
    do, and its signing key registered as its first sync does."""
    laptop = Laptop(folder, url, username)
    remember_keys(laptop.store, laptop.client.login(username, PASSWORD, device_name=username))
    assert register_if_needed(laptop.store, laptop.client)
    return laptop


def business(n: int, nik: str = NIK) -> dict:
    return {"name": f"Keripik Pisang {n}", "owner_name": "Ani Rahayu", "owner_nik": nik,
            "regency_code": KOTA, "district_code": "18.71.01", "village": "Way Halim"}


@pytest.fixture(autouse=True)
def _blob_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PostgreSQL-backed test server keeps its blobs in tmp, not in the work tree."""
    monkeypatch.setenv("TAPIS_BLOB_DIR", str(tmp_path / "server-blobs"))


@pytest.fixture
def field(sync_server, tmp_path: Path) -> Iterator[Laptop]:
    """The field officer's laptop of Kota Bandar Lampung."""
    laptop = signed_in(tmp_path / "field", sync_server.url, "petugas.bandarlampung")
    yield laptop
    laptop.close()


@pytest.fixture
def office(sync_server, tmp_path: Path) -> Iterator[Laptop]:
    """The regency office's copy, signed in as its supervisor."""
    laptop = signed_in(tmp_path / "office", sync_server.url, "supervisor.bandarlampung")
    yield laptop
    laptop.close()
