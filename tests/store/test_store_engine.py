"""The engine's PRAGMAs hold on every store connection, and the database
refuses rows that point nowhere."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desktop_app.models import Business

EXPECTED = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10_000, "synchronous": 2}


def test_driver_connection_has_the_pragmas(store):
    """The raw driver connection runs in WAL, with foreign keys, a 10 s busy wait and FULL sync."""
    with store.raw() as connection:
        found = {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in EXPECTED}
    assert found == EXPECTED


def test_session_connections_have_the_pragmas(store):
    """Read and write sessions see the same PRAGMAs as the driver connection."""
    for unit in (store.read, store.write):
        with unit() as session:
            found = {n: session.execute(text(f"PRAGMA {n}")).scalar_one() for n in EXPECTED}
        assert found == EXPECTED


def test_foreign_key_violation_is_refused(store, log):
    """A business in an unknown regency ('XX') is refused and nothing is logged."""
    with pytest.raises(IntegrityError), store.write() as session:
        session.add(Business(
            name="Toko Hantu", owner_name="X", owner_nik="1871010101800001", regency_code="XX",
            created_by="o", officer_id="o", device_id="d",
        ))
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM business")).scalar_one() == 0
    assert log() == []
