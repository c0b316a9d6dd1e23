"""Applying pulled changes: one page and its cursor in one transaction.

Pulled writes run with ``local_state.applying = 1`` so the capture triggers
do not log them again. A field this laptop changed and has not yet sent is
not overwritten: the local value goes up with the next push and the server
merges it. The hybrid clock moves past every stamp seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..models import synced_tables
from ..models.reference_data import version_ordinal
from ..protocol.checksum import scope_checksum as digest_of
from . import refdata
from .store import Store

_SYNCED = frozenset(synced_tables())


@dataclass(frozen=True, slots=True)
class Incoming:
    """A pulled change (see protocol.ServerChange)."""

    server_seq: int
    table: str
    row_id: str
    op: str
    fields: dict[str, Any]
    hlc: int


@dataclass
class ApplyResult:
    applied: int = 0
    skipped_fields: int = 0
    unknown_rows: int = 0


def cursor(store: Store, scope: str) -> int:
    with store.read() as session:
        value = session.execute(text("SELECT cursor FROM sync_cursor WHERE scope = :s"),
                                {"s": scope}).scalar()
    return int(value or 0)


def reference_cursor(store: Store) -> int:
    """Where a reference pull starts: past the set this laptop already holds.

    The shipped set (loaded from resources/reference at start) and the
    server's set of the same version are the same files, so a laptop asks
    only for a newer one; a new laptop's first sync does not download the
    ~3,000 region and village rows it already has.
    """
    with store.raw() as connection:
        loaded = refdata.loaded_version(connection)
    held = version_ordinal(loaded) if loaded else 0
    return max(cursor(store, "reference"), held)


def apply_page(store: Store, scope: str, changes: list[Incoming], next_cursor: int) -> ApplyResult:
    """Apply ``changes`` and move the scope's cursor, atomically."""
    result = ApplyResult()
    with store.write() as session:
        session.execute(text("UPDATE local_state SET applying = 1 WHERE id = 1"))
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for change in changes:
            if change.table in _SYNCED:
                _apply_one(session, scope, change, result)
        session.execute(text("INSERT INTO sync_cursor (scope, cursor) VALUES (:s, :c) "
                             "ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor"),
                        {"s": scope, "c": next_cursor})
        session.execute(text("UPDATE local_state SET applying = 0 WHERE id = 1"))
    return result


def _apply_one(session: Session, scope: str, change: Incoming, result: ApplyResult) -> None:
    pending = _pending_fields(session, change.table, change.row_id)
    fields = {k: v for k, v in change.fields.items() if k not in pending and k != "id"}
    result.skipped_fields += len(change.fields) - len(fields) - ("id" in change.fields)
    exists = session.execute(text(f'SELECT 1 FROM "{change.table}" WHERE id = :id'),
                             {"id": change.row_id}).first() is not None
    if exists and fields:
        assignments = ", ".join(f'"{k}" = :f_{i}' for i, k in enumerate(fields))
        params = {f"f_{i}": v for i, v in enumerate(fields.values())}
        session.execute(text(f'UPDATE "{change.table}" SET {assignments} WHERE id = :id'),
                        {**params, "id": change.row_id})
    elif not exists and change.op == "insert":
        columns = {**fields, "id": change.row_id}
        names = ", ".join(f'"{k}"' for k in columns)
        marks = ", ".join(f":f_{i}" for i in range(len(columns)))
        session.execute(text(f'INSERT INTO "{change.table}" ({names}) VALUES ({marks})'),
                        {f"f_{i}": v for i, v in enumerate(columns.values())})
    elif not exists:
        result.unknown_rows += 1  # its insert is outside this scope: the checksum will tell
        return
    session.execute(text("UPDATE local_state SET hlc = max(hlc, :h) WHERE id = 1"), {"h": change.hlc})
    session.execute(text(
        "INSERT INTO sync_row_version (scope, table_name, row_id, server_seq) VALUES (:s, :t, :r, :q) "
        "ON CONFLICT (scope, table_name, row_id) DO UPDATE SET server_seq = excluded.server_seq"),
        {"s": scope, "t": change.table, "r": change.row_id, "q": change.server_seq})
    result.applied += 1


def _pending_fields(session: Session, table: str, row_id: str) -> set[str]:
    rows = session.execute(text(
        "SELECT DISTINCT j.key FROM change_log AS c, json_each(c.fields) AS j "
        "WHERE c.table_name = :t AND c.row_id = :r AND c.push_state = 'pending'"),
        {"t": table, "r": row_id}).scalars().all()
    return set(rows)


def scope_checksum(store: Store, scope: str) -> tuple[str, int]:
    """The same digest the server computes over the rows of a scope."""
    with store.read() as session:
        rows = session.execute(text("SELECT table_name, row_id, server_seq FROM sync_row_version "
                                    "WHERE scope = :s"), {"s": scope}).all()
    return digest_of((table, row_id, seq) for table, row_id, seq in rows)


def reset_scope(store: Store, scope: str) -> None:
    """Forget a drifted scope so the next pull refetches it from the start."""
    with store.write() as session:
        session.execute(text("DELETE FROM sync_row_version WHERE scope = :s"), {"s": scope})
        session.execute(text("DELETE FROM sync_cursor WHERE scope = :s"), {"s": scope})


def apply_reference(store: Store, changes: list[Incoming], next_cursor: int) -> int:
    """Replace the reference data with a newer set pulled from the server;
    the scope cursor moves in the same transaction (also when the local set
    is already as new). Returns the rows applied."""
    version = next((c.row_id for c in changes if c.table == "reference_version"), None)
    rows: dict[str, list[dict[str, Any]]] = {}
    for change in changes:
        if change.table in refdata.TABLES:
            rows.setdefault(change.table, []).append(change.fields)
    with store.raw() as connection:
        local = refdata.loaded_version(connection)
        newer = version is not None and (
            local is None or refdata.version_key(version) > refdata.version_key(local))
        connection.execute("BEGIN IMMEDIATE")
        try:
            if newer:
                refdata.upsert_rows(connection, version, rows)  # type: ignore[arg-type]
            connection.execute("INSERT INTO sync_cursor (scope, cursor) VALUES ('reference', ?) "
                               "ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor",
                               (next_cursor,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return sum(len(r) for r in rows.values()) if newer else 0
