"""Fixtures for the photo tests: a laptop store with a draft survey, and a
laptop signed in to a real server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from photo_helpers import KOTA, OFFICER, business, survey

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import Store, open_store
from tests.support.laptops import Laptop


@pytest.fixture(autouse=True)
def _blob_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PostgreSQL-backed test server keeps its blobs in tmp, not in the work tree."""
    monkeypatch.setenv("TAPIS_BLOB_DIR", str(tmp_path / "server-blobs"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "laptop")
    yield opened
    opened.close()


@pytest.fixture
def actor(store: Store) -> Actor:
    return Actor(officer_id=OFFICER, device_id=store.device_id, regency_code=KOTA)


@pytest.fixture
def draft(store: Store, actor: Actor) -> dict[str, Any]:
    """A draft UMKM survey of a Bandar Lampung business."""
    shop = records.save(store, actor, "business", business()).record
    return records.save(store, actor, "umkm_survey", survey(shop["id"])).record


@pytest.fixture
def kota(sync_server: Any, tmp_path: Path) -> Iterator[Laptop]:
    """A Bandar Lampung officer's laptop signed in to the test server."""
    laptop = Laptop(tmp_path / "kota", sync_server.url, "petugas.bandarlampung")
    yield laptop
    laptop.close()
