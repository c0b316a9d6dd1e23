"""Rolling backups of the database file with SQLite's online backup API.

The backup API copies a consistent snapshot page by page while the
application keeps working, unlike copying the file, which can catch a WAL
half-applied. The newest ``keep`` copies are kept; older ones are removed.

A restore (store/restore.py) keeps the file it replaces beside them as
``tapis-before-restore-<stamp>.sqlite3``: it may hold work no backup has,
so it is listed (:func:`kept_aside`) but never pruned with the rolling ones.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

PREFIX = "tapis-"
SUFFIX = ".sqlite3"
STAMP = "%Y%m%dT%H%M%S%fZ"
DEFAULT_KEEP = 7
KEPT_ASIDE = "before-restore"


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    taken_at: datetime
    size_bytes: int


def take(database: Path, folder: Path, *, keep: int = DEFAULT_KEEP, reason: str = "") -> Path:
    """Copy ``database`` into ``folder`` and prune to the newest ``keep``."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc)
    tag = f"-{reason}" if reason else ""
    target = folder / f"{PREFIX}{now.strftime(STAMP)}{tag}{SUFFIX}"
    copy_database(database, target)
    prune(folder, keep=keep)
    return target


def copy_database(source: Path, target: Path) -> None:
    """Copy a database with SQLite's backup API into ``target``, whole or not
    at all: it is written under a .partial name and renamed, so a cut
    mid-copy never leaves a file that looks complete."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(source)  # the backup API only reads it
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer, pages=1024)
        finally:
            writer.close()
    finally:
        reader.close()
    os.replace(partial, target)


def listing(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        taken = _taken_at(path)
        if taken is not None:
            found.append(BackupFile(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def kept_aside(folder: Path) -> list[BackupFile]:
    """Databases a restore replaced, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{PREFIX}{KEPT_ASIDE}-*{SUFFIX}"):
        taken = _parse(path.name[len(f"{PREFIX}{KEPT_ASIDE}-"):].removesuffix(SUFFIX))
        if taken is not None:
            found.append(BackupFile(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def kept_aside_name(moment: datetime) -> str:
    """The file name a restore gives the database it replaces."""
    return f"{PREFIX}{KEPT_ASIDE}-{moment.strftime(STAMP)}{SUFFIX}"


def prune(folder: Path, *, keep: int) -> None:
    """Keep the newest ``keep`` backups; drop leftovers of copies a crash cut."""
    for old in listing(folder)[keep:]:
        old.path.unlink(missing_ok=True)
    for partial in folder.glob(f"{PREFIX}*.partial"):
        partial.unlink(missing_ok=True)


def due(folder: Path, *, every: timedelta) -> bool:
    """True when the newest backup is older than ``every`` (or none exists)."""
    newest = listing(folder)
    return not newest or datetime.now(timezone.utc) - newest[0].taken_at >= every


def _taken_at(path: Path) -> datetime | None:
    return _parse(path.name[len(PREFIX) :].split("-")[0].removesuffix(SUFFIX))


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, STAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
