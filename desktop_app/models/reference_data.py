"""The shipped reference data set: its files, its manifest, its version.

Reference data (regions and villages, KBLI sections, channels, cooperative
types, aid rounds, cooperative health methods...) is
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Boolean, Integer

from .base import Base
from .errors import TapisError
from .types import JSONList

DATASET = "reference"

#: file -> table, in load order (a table before the tables that point at
#: it). Every reference table is keyed by ``code``. Two files may fill one
#: table: the villages go into ``region`` beside the districts.
FILES: dict[str, str] = {
    "regions.csv": "region",
    "villages.csv": "region",
    "kbli_sections.csv": "kbli_section",
    "digital_channels.csv": "digital_channel",
    "cooperative_types.csv": "cooperative_type",
    "payment_methods.csv": "payment_method",
    "capital_access.csv": "capital_access",
    "aid_rounds.csv": "aid_round",
    "aid_round_quotas.csv": "aid_round_quota",
    "health_methods.csv": "health_method",
    "health_aspects.csv": "health_aspect",
    "health_indicators.csv": "health_indicator",
    "health_bands.csv": "health_band",
}
#: In a CSV file a list of codes is written 'kur;bank_lain'.
LIST_SEPARATOR = ";"

#: The tables of reference data, in load order (regions before their children).
TABLES = tuple(dict.fromkeys(FILES.values()))


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


def read_rows(path: Path, table: str) -> list[dict[str, object]]:
    """The rows of one CSV file as the laptop's SQLite stores them (and the
    wire carries them): whole numbers and 0/1 flags as ints, lists of codes
    as compact JSON text, the rest as text; an empty cell is NULL."""
    columns = Base.metadata.tables[table].columns
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        convert = [(name, _converter(columns[name].type)) for name in reader.fieldnames or ()]
        return [{name: to(raw[name]) for name, to in convert} for raw in reader]


def table_rows(folder: Path, table: str) -> list[dict[str, object]]:
    """Every shipped row of ``table`` (from each file that fills it), as
    :func:`read_rows` gives them: for checks and tests that need the
    reference data without a database."""
    return [row for name, target in FILES.items() if target == table
            for row in read_rows(folder / name, table)]


def _converter(column_type: object) -> Callable[[str], object]:
    """How one column's CSV cells become stored values (chosen once per file)."""
    if isinstance(column_type, JSONList):
        return lambda text: json.dumps([c.strip() for c in text.split(LIST_SEPARATOR) if c.strip()],
                                       separators=(",", ":"))
    if isinstance(column_type, (Integer, Boolean)):
        return lambda text: int(text) if text != "" else None
    return lambda text: text if text != "" else None


def manifest_files(manifest: Manifest) -> list[tuple[str, str]]:
    """(file, table) of each file the manifest lists, in load order; a file
    this version does not know is refused rather than ignored."""
    unknown = sorted(set(manifest.files) - set(FILES))
    if unknown:
        listed = ", ".join(unknown)
        raise ReferenceDataError(
            f"{listed}: bukan berkas data rujukan yang dikenal versi Tapis ini; pasang Tapis terbaru.",
            f"{listed}: not a reference file this version knows; install the latest Tapis.")
    return [(name, table) for name, table in FILES.items() if name in manifest.files]


def verify(folder: Path, manifest: Manifest) -> None:
    """Refuse files whose SHA-256 differs from the manifest."""
    for name, expected in manifest.files.items():
        actual = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if actual != expected:
            raise ReferenceDataError(
                f"{name}: berkas data rujukan rusak (checksum tidak cocok); pasang ulang Tapis.",
                f"{name}: checksum mismatch, the file is damaged; reinstall Tapis.")
