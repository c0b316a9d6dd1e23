"""Loading the reference data files into the store.

The set itself (files, manifest, version, checks) is described in
desktop_app/models/reference_data.py, which the server reads too. It is
loaded when the store has none or an older version; rows are upserted,
never deleted, because entities keep pointing at region codes even after a
region is renamed or retired.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..models.reference_data import (  # noqa: F401 - ReferenceDataError: what a load raises
    DATASET, TABLES, Manifest, ReferenceDataError, manifest_files, read_rows, verify, version_key,
)
from ..models.types import format_utc, utc_now


def upsert_rows(connection: sqlite3.Connection, version: str,
                rows_by_table: dict[str, list[dict[str, object]]]) -> None:
    """Replace reference rows pulled from the server, then the version, in one
    transaction (upserts: entities keep pointing at retired codes)."""
    with _atomic(connection):
        for table in TABLES:
            if rows_by_table.get(table):
                _upsert(connection, table, rows_by_table[table])
        _set_version(connection, version)


@contextmanager
def _atomic(connection: sqlite3.Connection) -> Iterator[None]:
    """One transaction, or part of the caller's: a savepoint is both."""
    connection.execute("SAVEPOINT reference_data")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK TO reference_data")
        connection.execute("RELEASE reference_data")
        raise
    connection.execute("RELEASE reference_data")


def _upsert(connection: sqlite3.Connection, table: str, rows: list[dict[str, object]]) -> None:
    """Insert or update ``rows`` by their code, in one statement per shape of
    row (~3,000 region rows in about ten milliseconds)."""
    shapes: dict[tuple[str, ...], list[tuple[object, ...]]] = {}
    for row in rows:
        columns = tuple(row)
        shapes.setdefault(columns, []).append(tuple(row[c] for c in columns))
    for columns, values in shapes.items():
        names = ", ".join(f'"{c}"' for c in columns)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "code")
        connection.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))}) '
            f"ON CONFLICT (code) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING"),
            values)


def _set_version(connection: sqlite3.Connection, version: str) -> None:
    connection.execute(
        "INSERT INTO reference_version (dataset, version, loaded_at) VALUES (?, ?, ?) "
        "ON CONFLICT (dataset) DO UPDATE SET version = excluded.version, "
        "loaded_at = excluded.loaded_at", (DATASET, version, format_utc(utc_now())))


def loaded_version(connection: sqlite3.Connection) -> str | None:
    row = connection.execute(
        "SELECT version FROM reference_version WHERE dataset = ?", (DATASET,)
    ).fetchone()
    return row[0] if row else None


def load_if_newer(connection: sqlite3.Connection, folder: Path) -> bool:
    """Load the files in ``folder`` if they are newer than what is loaded.

    Returns True when something was loaded. All tables and the version row
    change in one transaction.
    """
    manifest = Manifest.read(folder)
    current = loaded_version(connection)
    if current is not None and version_key(current) >= version_key(manifest.version):
        return False
    verify(folder, manifest)
    with _atomic(connection):  # one transaction: all tables and the version row, or nothing
        for name, table in manifest_files(manifest):
            _upsert(connection, table, read_rows(folder / name, table))
        _set_version(connection, manifest.version)
    return True
