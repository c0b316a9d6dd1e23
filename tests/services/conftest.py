"""Fixtures for the service tests: a fresh store on real SQLite per test, the
officer at work on it, and counters of every synced table and the change log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from services_forms import OFFICER, TODAY, applicant_form, business_form, cooperative_form

from desktop_app.models import synced_tables
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import Store, open_store

Save = Callable[..., records.Saved]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def actor(store: Store) -> Actor:
    return Actor(officer_id=OFFICER, device_id=store.device_id)


@pytest.fixture
def shell(store: Store) -> Iterator[sqlite3.Connection]:
    """A separate plain connection, like the sqlite3 shell."""
    connection = sqlite3.connect(store.db_path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


@pytest.fixture
def log(shell: sqlite3.Connection) -> Callable[[], list[dict[str, Any]]]:
    """The change-log entries (fields parsed), oldest first."""

    def read() -> list[dict[str, Any]]:
        rows = shell.execute("SELECT * FROM change_log ORDER BY seq").fetchall()
        return [{**dict(r), "fields": json.loads(r["fields"])} for r in rows]

    return read


@pytest.fixture
def counts(shell: sqlite3.Connection) -> Callable[[], dict[str, int]]:
    """Row counts of every synced table and of the change log."""

    def count() -> dict[str, int]:
        tables = [*synced_tables(), "change_log"]
        return {t: shell.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    return count


@pytest.fixture
def save(store: Store, actor: Actor) -> Save:
    """Save through the service as the form does, on a fixed 'today'."""

    def do(kind: str, data: dict[str, Any], **kwargs: Any) -> records.Saved:
        return records.save(store, actor, kind, data, today=TODAY, **kwargs)

    return do


@pytest.fixture
def business_id(save: Save) -> str:
    return save("business", business_form()).record["id"]


@pytest.fixture
def cooperative_id(save: Save) -> str:
    return save("cooperative", cooperative_form()).record["id"]


@pytest.fixture
def applicant_id(save: Save) -> str:
    return save("aid_applicant", applicant_form()).record["id"]
