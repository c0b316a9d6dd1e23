"""Putting a backup back in place of the database, and what that means for sync.

File work, done with the store closed: the current database (with its -wal
and -shm, so no committed page is lost) is moved aside into the backups
folder, and the backup is copied in with SQLite's backup API (a consistent
copy, and the source is only read). Opening the store afterwards runs the
migrations if the backup is older.

Sync: the server keeps, per device, the last change-log ``seq`` it applied,
and takes a device's changes only in order. A restored file's log ends
where the backup was taken, so its next change would reuse a seq the server
already holds (and be dropped as a duplicate) or, if the newer changes
never reached the server, leave a gap the server refuses for ever. So a
restored database becomes a new device: :func:`become_new_device` gives it
a new device id, clears the server tokens (they belong to the old device;
the officer signs in again), and queues its whole change log to be sent
again from seq 1. The server recognises every change it already applied
by its change id and applies none twice; what the backup held that never
reached the server is applied now; what the old device synced after the
backup comes back with the next pull. Only work made after the backup and
never synced is not in the restored file: it stays in the kept-aside file.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import inspect, text

from ..models.errors import TapisError
from . import backup, migrate, vault
from .store import Store

SIDE_FILES = ("-wal", "-shm")


class RestoreRefused(TapisError):
    """The chosen file cannot be restored; nothing was changed."""

    reason = "restore_refused"


def check_restorable(source: Path) -> str | None:
    """The Alembic revision of a sound Tapis database at ``source``, or
    :class:`RestoreRefused` saying what is wrong with it."""
    if not source.is_file():
        raise RestoreRefused(f"Berkas cadangan {source.name} tidak ditemukan; pilih dari daftar cadangan.",
                             f"The backup file {source.name} was not found; choose one from the list.")
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = (connection.execute("SELECT version_num FROM alembic_version").fetchone()
                        if "alembic_version" in tables else None)
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        check, tables, revision = "not a database", set(), None
    if check != "ok" or not {"local_state", "change_log"} <= tables:
        raise RestoreRefused(f"Berkas {source.name} bukan cadangan Tapis yang utuh; pilih cadangan lain.",
                             f"{source.name} is not a sound Tapis backup; choose another backup.")
    if revision is not None and not migrate.is_known(revision[0]):
        raise RestoreRefused(f"Cadangan {source.name} dibuat oleh versi Tapis yang lebih baru "
                             f"(revisi {revision[0]}); pasang versi terbaru dahulu.",
                             f"The backup {source.name} was made by a newer Tapis (revision "
                             f"{revision[0]}); install the latest version first.")
    return revision[0] if revision else None


def keep_aside(database: Path, folder: Path, *, now: datetime | None = None) -> Path | None:
    """Move the database and its side files into ``folder`` under a
    before-restore name; None when there is no database."""
    if not database.exists():
        return None
    _fold_wal(database)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup.kept_aside_name(now or datetime.now(timezone.utc))
    try:
        for side in SIDE_FILES:  # side files first: a WAL must never sit beside the wrong file
            if Path(f"{database}{side}").exists():
                os.replace(f"{database}{side}", f"{target}{side}")
        os.replace(database, target)
    except PermissionError as exc:
        raise RestoreRefused("Basis data masih dipakai; tutup semua jendela Tapis lalu coba lagi.",
                             "The database is still in use; close every Tapis window and try "
                             "again.") from exc
    return target


def put_back(kept: Path, database: Path) -> None:
    """Undo :func:`keep_aside` after a failed copy."""
    for side in SIDE_FILES:
        if Path(f"{kept}{side}").exists():
            os.replace(f"{kept}{side}", f"{database}{side}")
    os.replace(kept, database)


def copy_in(source: Path, database: Path) -> None:
    """Copy ``source`` to ``database`` with the backup API, whole or not at all."""
    backup.copy_database(source, database)


def become_new_device(store: Store) -> tuple[str, str, int]:
    """Give the restored database a new device identity (see the module
    docstring). Returns (old device id, new device id, changes queued)."""
    new_id = str(uuid.uuid4())
    with store.write() as session:
        old_id = session.execute(text("SELECT device_id FROM local_state WHERE id = 1")).scalar_one()
        session.execute(text("UPDATE local_state SET device_id = :d, officer_id = NULL WHERE id = 1"),
                        {"d": new_id})
        queued = session.execute(text("UPDATE change_log SET push_state = 'pending', "
                                      "pushed_at = NULL, push_error = NULL")).rowcount
        if inspect(session.connection()).has_table("officer_account"):
            session.execute(text("UPDATE officer_account SET token = NULL, token_expires_at = NULL"))
        # A new device makes its own device key at its first sign-in; the secrets sealed
        # for the old one may not even open on this computer (store/vault.py).
        for table in ("device_signing_key", "bundle_key", "vault_key"):
            if inspect(session.connection()).has_table(table):
                session.execute(text(f"DELETE FROM {table}"))
    vault.forget_key(store)
    store.forget_identity()
    return old_id, new_id, int(queued or 0)


def _fold_wal(database: Path) -> None:
    """Checkpoint the WAL into the file when SQLite can; a damaged database
    (a reason to restore) is moved as it is, side files and all."""
    try:
        connection = sqlite3.connect(database, timeout=2)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    except sqlite3.Error:
        pass
