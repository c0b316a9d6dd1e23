"""The shipped reference data set: its files, its manifest, its version.

Reference data (regions, KBLI sections, channels, cooperative types...) is
versioned as a set (resources/reference/manifest.json) and read by both
sides from the same files: the laptop loads it into its store
(desktop_app/store/refdata.py), the server into its database
(server/setup.py) and sends it whole in the 'reference' pull scope, whose
cursor is the set's version as a number. Rows are upserted, never deleted,
because entities keep pointing at region codes even after a region is
renamed or retired.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import TapisError

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

#: The tables of reference data, in load order (regions before their children).
TABLES = tuple(table for table, _pk, _ints in FILES.values())


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
