"""A fresh laptop store and its officer, for the aid service tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.context import Actor
from desktop_app.store import Store, open_store
from tests.services.services_forms import OFFICER


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def actor(store: Store) -> Actor:
    return Actor(officer_id=OFFICER, device_id=store.device_id, regency_code="18.71")
