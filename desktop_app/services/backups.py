"""Backups as the GUI and the command line offer them: list, take, restore.

Restoring replaces the officer's database, so it is refused unless the
chosen file is a sound Tapis database, the replaced file is always kept
(listed among the backups as 'before restore'), and the restored database
syncs on as a new device (see store/restore.py for why).

The GUI closes its store, runs :func:`restore_and_reopen` on a worker (no
other connection may be open on the file, and on Windows an open file cannot
be moved) and takes the store it returns, the restored one or, when the
restore was refused, the old one still in place; after a restore it asks the
officer to sign in again: the restored database has a new device id and no
server token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..store import backup, migrate, open_store, restore as file_restore
from ..store.store import DB_NAME, Store
from .errors import ServiceError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One restorable file. ``kind``: 'rolling' (taken every 12 h),
    'pre-migration' (taken before an upgrade) or 'before-restore' (the
    database a restore replaced)."""

    path: Path
    taken_at: datetime
    size_bytes: int
    kind: str

    @property
    def label_id(self) -> str:
        return {"rolling": "Cadangan berkala", "pre-migration": "Sebelum pembaruan versi",
                "before-restore": "Sebelum pemulihan"}[self.kind]


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    kept_aside: Path | None  # the replaced database, now in the backups folder
    old_device_id: str
    new_device_id: str
    changes_to_resend: int  # the whole log goes again; the server applies none twice
    migrated_from: str | None  # the backup's schema revision when it was older than this version


@dataclass(frozen=True)
class Reopened:
    """The store open again after a restore was tried: the restored
    database (``result``), or the old one, untouched, when the restore was
    refused or failed (``error``)."""

    store: Store
    result: RestoreResult | None
    error: Exception | None = None


class RestoreFailed(ServiceError):
    """The restore was refused or failed; the current database is in place."""

    reason = "restore_refused"


def backup_dir(data_dir: Path | str) -> Path:
    return Path(data_dir) / "backups"


def list_backups(data_dir: Path | str) -> list[BackupInfo]:
    """Every restorable file in the data folder's backups, newest first."""
    folder = backup_dir(data_dir)
    found = [BackupInfo(b.path, b.taken_at, b.size_bytes,
                        "pre-migration" if "-pre-migration" in b.path.name else "rolling")
             for b in backup.listing(folder)]
    found += [BackupInfo(b.path, b.taken_at, b.size_bytes, "before-restore")
              for b in backup.kept_aside(folder)]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def take_backup(data_dir: Path | str) -> BackupInfo:
    """A backup now (safe while the store is open: SQLite's backup API)."""
    database = Path(data_dir) / DB_NAME
    if not database.exists():
        raise ServiceError(f"Belum ada basis data di {data_dir}; tidak ada yang dicadangkan.",
                           f"There is no database in {data_dir} yet; nothing to back up.")
    path = backup.take(database, backup_dir(data_dir))
    return next(b for b in list_backups(data_dir) if b.path == path)


def restore(data_dir: Path | str, backup_path: Path | str) -> RestoreResult:
    """Replace the database with ``backup_path``; the store must be closed.

    Nothing changes when the file is refused. After a successful restore the
    database has been opened once (migrations run) and closed again.
    """
    data_dir, source = Path(data_dir), Path(backup_path)
    database = data_dir / DB_NAME
    try:
        revision = file_restore.check_restorable(source)
        kept = file_restore.keep_aside(database, backup_dir(data_dir))
    except file_restore.RestoreRefused as exc:
        raise RestoreFailed(exc.message_id, exc.message_en) from None
    origin = kept if source == database else source
    try:
        file_restore.copy_in(origin, database)
    except Exception:
        if kept is not None:
            file_restore.put_back(kept, database)
        raise
    store = open_store(data_dir)
    try:
        old_id, new_id, queued = file_restore.become_new_device(store)
    finally:
        store.close()
    log.info("restored %s (kept aside %s): device %s is now %s, %d changes to send again",
             source.name, kept.name if kept else "-", old_id, new_id, queued)
    older = revision if revision != migrate.head_revision() else None
    return RestoreResult(source, kept, old_id, new_id, queued, older)


def restore_and_reopen(data_dir: Path | str, backup_path: Path | str) -> Reopened:
    """:func:`restore` with the store closed, then the store opened again in
    every case, so the caller is never left without one."""
    try:
        result = restore(data_dir, backup_path)
    except Exception as exc:  # the current database is in place: reopen it, say why
        return Reopened(open_store(data_dir), None, exc)
    return Reopened(open_store(data_dir), result)
