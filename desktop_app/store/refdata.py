"""Loading the reference data files into the store (with sqlite-utils).

The set itself (files, manifest, version, checks) is described in
desktop_app/models/reference_data.py, which the server reads too. It is
loaded when the store has none or an older version; rows are upserted,
never deleted, because entities keep pointing at region codes even after a
region is renamed or retired.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..models.reference_data import (  # noqa: F401 - ReferenceDataError: what a load raises
    DATASET, TABLES, Manifest, ReferenceDataError, manifest_files, read_rows, verify, version_key,
)
from ..models.types import format_utc, utc_now


def upsert_rows(connection: sqlite3.Connection, version: str,
                rows_by_table: dict[str, list[dict[str, object]]]) -> None:
    """Replace reference rows pulled from the server, then the version, in one
    transaction (upserts: entities keep pointing at retired codes)."""
    import sqlite_utils  # loaded only when reference data changes, not at every start

    db = sqlite_utils.Database(connection)
    with db.atomic():
        for table in TABLES:
            if rows_by_table.get(table):
                db[table].upsert_all(rows_by_table[table], pk="code")
        db["reference_version"].upsert(
            {"dataset": DATASET, "version": version, "loaded_at": format_utc(utc_now())},
            pk="dataset")


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
    import sqlite_utils  # loaded only when reference data changes, not at every start

    db = sqlite_utils.Database(connection)
    with db.atomic():  # one transaction: all tables and the version row, or nothing
        for name, table in manifest_files(manifest):
            db[table].upsert_all(read_rows(folder / name, table), pk="code")
        db["reference_version"].upsert(
            {"dataset": DATASET, "version": manifest.version, "loaded_at": format_utc(utc_now())},
            pk="dataset",
        )
    return True
