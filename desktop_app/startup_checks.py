"""What the application checks before it opens its store, as pure functions.

Each returns ``None`` when all is well, or the message the officer sees (in
a dialog from the GUI, on stderr from a command): Indonesian first, then
English, naming the folder and what to do. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

DB_NAME = "tapis.sqlite3"  # the same name as store.store.DB_NAME, without importing SQLAlchemy


def unwritable_message(data_dir: Path, error: BaseException) -> str:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return (
        f"Tapis tidak dapat menulis ke folder datanya:\n{data_dir}\n({reason})\n"
        "Periksa izin folder dan ruang disk, atau hubungi petugas TI dinas.\n\n"
        f"Tapis cannot write to its data folder:\n{data_dir}\n({reason})\n"
        "Check the folder's permissions and the free disk space, or call the office's IT staff."
    )


def open_failed_message(data_dir: Path, error: BaseException) -> str:
    return (
        f"Tapis tidak dapat membuka basis datanya di\n{data_dir}\n({error})\n"
        "Rincian ada di logs/tapis.log dalam folder itu; hubungi petugas TI dinas.\n\n"
        f"Tapis could not open its database in\n{data_dir}\n({error})\n"
        "Details are in logs/tapis.log in that folder; call the office's IT staff."
    )


def data_dir_problem(data_dir: Path) -> str | None:
    """The data folder exists (created if need be) and a file can be written,
    flushed and removed in it."""
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".tapis-write-check-", dir=data_dir)
        try:
            os.write(handle, b"tapis")
            os.fsync(handle)
        finally:
            os.close(handle)
            os.unlink(name)
    except OSError as exc:
        return unwritable_message(data_dir, exc)
    return None


def stored_revision(db_path: Path) -> str | None:
    """The Alembic revision recorded in the database, read without writing
    (None when there is no database or no revision yet)."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None  # no revision table, or unreadable: opening the store reports that
    return None if row is None else str(row[0])


def database_problem(data_dir: Path) -> str | None:
    """The database, if there is one, was not written by a newer Tapis."""
    revision = stored_revision(Path(data_dir) / DB_NAME)
    if revision is None:
        return None
    from .store import migrate

    if migrate.is_known(revision):
        return None
    return str(migrate.DatabaseTooNew(revision))


def startup_problem(data_dir: Path) -> str | None:
    """The first problem that keeps the application from starting, or None."""
    return data_dir_problem(data_dir) or database_problem(data_dir)
