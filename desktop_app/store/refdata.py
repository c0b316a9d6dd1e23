"""Loading the reference data files into the store (with sqlite-utils).

Reference data is versioned as a set (resources/reference/manifest.json). It
is loaded when the store has none or an older version; rows are upserted,
never deleted, because entities keep pointing at region codes even after a
region is renamed or retired.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..models.errors import TapisError
from ..models.types import format_utc, utc_now

DATASET = "reference"

#: file -> (table, primary key, integer columns)
FILES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "regions.csv": ("region", "code", ()),
    "kbli_sections.csv": ("kbli_section", "code", ()),
    "digital_channels.csv": ("digital_channel", "code", ()),
    "cooperative_types.csv": ("cooperative_type", "code", ("is_savings_loan",)),
    "payment_methods.csv": ("payment_method", "code", ()),
    "capital_access.csv": ("capital_access", "code", ()),
}


class ReferenceDataError(TapisError):
    """The shipped reference files are damaged or incomplete."""

    reason = "reference_damaged"


@dataclass(frozen=True)
class Manifest:
    version: str
    files: dict[str, str]

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return cls(version=data["version"], files=data["files"])


def version_key(version: str) -> tuple[int, ...]:
    """'2026.11.1' -> (2026, 11, 1), so versions compare as numbers."""
    return tuple(int(part) for part in version.split("."))


def version_ordinal(version: str) -> int:
    """'2026.11.1' -> 2026011001: the reference scope's pull cursor."""
    year, month, serial = (version_key(version) + (0, 0))[:3]
    return year * 1_000_000 + month * 1_000 + serial


#: The tables of reference data, in load order (regions before their children).
TABLES = tuple(table for table, _pk, _ints in FILES.values())


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


def read_rows(path: Path, int_columns: tuple[str, ...]) -> list[dict[str, object]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows: list[dict[str, object]] = []
        for raw in csv.DictReader(handle):
            row: dict[str, object] = {k: (v if v != "" else None) for k, v in raw.items()}
            for column in int_columns:
                row[column] = int(raw[column])
            rows.append(row)
    return rows


def verify(folder: Path, manifest: Manifest) -> None:
    """Refuse files whose SHA-256 differs from the manifest."""
    for name, expected in manifest.files.items():
        actual = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if actual != expected:
            raise ReferenceDataError(
                f"{name}: berkas data rujukan rusak (checksum tidak cocok); pasang ulang Tapis.",
                f"{name}: checksum mismatch, the file is damaged; reinstall Tapis.")


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
        for name, (table, pk, int_columns) in FILES.items():
            rows = read_rows(folder / name, int_columns)
            db[table].upsert_all(rows, pk=pk)
        db["reference_version"].upsert(
            {"dataset": DATASET, "version": manifest.version, "loaded_at": format_utc(utc_now())},
            pk="dataset",
        )
    return True
