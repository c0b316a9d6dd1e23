"""Fixtures for the store tests: a fresh store on a real SQLite file per test,
a plain sqlite3 connection beside it (the 'shell'), and a reader of the
change log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.models import Business, uuid7
from desktop_app.store import Store, open_store

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
DEVICE = "0190a1b2-0000-7000-8000-0000000000d1"

Entry = dict[str, Any]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def shell(store: Store) -> Iterator[sqlite3.Connection]:
    """A separate plain connection in autocommit mode, like the sqlite3 shell."""
    connection = sqlite3.connect(store.db_path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def read_log(connection: sqlite3.Connection, since: int = 0) -> list[Entry]:
    rows = connection.execute(
        "SELECT * FROM change_log WHERE seq > ? ORDER BY seq", (since,)
    ).fetchall()
    return [{**dict(row), "fields": json.loads(row["fields"])} for row in rows]


@pytest.fixture
def log(shell: sqlite3.Connection) -> Callable[..., list[Entry]]:
    """The change-log entries (fields parsed from JSON), oldest first."""
    return lambda since=0: read_log(shell, since)


@pytest.fixture
def business_values() -> Callable[..., dict[str, Any]]:
    """Every NOT NULL column of a business, for raw SQL and Core inserts."""

    def values(**overrides: Any) -> dict[str, Any]:
        row = {
            "id": uuid7(), "name": "Toko Kopi Makmur", "owner_name": "Siti Aminah",
            "owner_nik": "1871014101900001", "phone": "", "address": "Jl. Kartini 1",
            "regency_code": "18.71", "village": "Kedaton",
            "created_at": "2026-11-23T10:00:00.000Z", "updated_at": "2026-11-23T10:00:00.000Z",
            "created_by": OFFICER, "officer_id": OFFICER, "device_id": DEVICE,
        }
        return {**row, **overrides}

    return values


@pytest.fixture
def insert_sql() -> Callable[[str, dict[str, Any]], str]:
    """The INSERT statement with named parameters for a table and a row."""

    def sql(table: str, row: dict[str, Any]) -> str:
        columns = ", ".join(f'"{c}"' for c in row)
        return f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join(":" + c for c in row)})'

    return sql


@pytest.fixture
def new_business(store: Store) -> Callable[..., str]:
    """Save a business through the ORM in one unit of work; returns its id."""

    def save(**overrides: Any) -> str:
        fields = {
            "name": "Toko Kopi Makmur", "owner_name": "Siti Aminah",
            "owner_nik": "1871014101900001", "regency_code": "18.71",
            "created_by": OFFICER, "officer_id": OFFICER, "device_id": DEVICE,
        }
        with store.write() as session:
            business = Business(**{**fields, **overrides})
            session.add(business)
            session.flush()
            return business.id

    return save
