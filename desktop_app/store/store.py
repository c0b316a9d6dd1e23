"""Opening the laptop's store and handing out units of work.

Opening does, in order: a backup when one is due or a migration is pending,
the migrations, the change-capture triggers, and the reference data. After
that the services and the sync engine only ever ask for :meth:`Store.read` or
:meth:`Store.write`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from .. import thread_guard
from ..models import synced_tables
from ..resources import reference_dir
from . import backup, change_capture, migrate, refdata, vault
from .checkpoint import Checkpointer
from .engine import make_engine, writer

DB_NAME = "tapis.sqlite3"


class Store:
    """One laptop database and the folders beside it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.backup_dir = self.data_dir / "backups"
        self.attachment_dir = self.data_dir / "attachments"
        self.engine: Engine = make_engine(self.db_path)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(writer(self.engine), expire_on_commit=False)
        self.checkpointer: Checkpointer | None = None
        self._device_id: str | None = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; rolled back at the end, never writes."""
        with thread_guard.blocking("database"), self._read() as session:
            yield session
            session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: BEGIN IMMEDIATE, commit on success, roll back on
        any exception. Its change-log entries share one ``txn`` number, so a
        push never splits them."""
        with thread_guard.blocking("database"), self._write() as session, session.begin():
            session.execute(text("UPDATE local_state SET txn = txn + 1 WHERE id = 1"))
            yield session

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """The driver connection, for sqlite-utils and PRAGMAs."""
        with thread_guard.blocking("database"), self.engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            yield driver

    @property
    def device_id(self) -> str:
        """This laptop's identity, read once: every save asks for it, and the
        GUI thread must not query the database to learn it."""
        if self._device_id is None:
            with self.read() as session:
                self._device_id = session.execute(
                    text("SELECT device_id FROM local_state WHERE id = 1")).scalar_one()
        return self._device_id

    def forget_identity(self) -> None:
        """The device id was changed in the database (a restore): read it again."""
        self._device_id = None

    def set_officer(self, officer_id: str | None) -> None:
        """Record who is signed in on this laptop; their writes carry this id."""
        with self._write() as session, session.begin():
            session.execute(
                text("UPDATE local_state SET officer_id = :o WHERE id = 1"), {"o": officer_id}
            )

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
            self.checkpointer = None
        self.engine.dispose()


def open_store(
    data_dir: Path | str,
    *,
    backup_every: timedelta = timedelta(hours=12),
    keep_backups: int = backup.DEFAULT_KEEP,
) -> Store:
    """Open (creating if needed) the store in ``data_dir``, ready to use."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir)
    try:
        _prepare(store, backup_every=backup_every, keep_backups=keep_backups)
    except BaseException:
        store.close()  # a refused open (e.g. DatabaseTooNew) keeps no connection on the file
        raise
    store.checkpointer = Checkpointer(store.db_path)
    store.checkpointer.start()
    return store


def _prepare(store: Store, *, backup_every: timedelta, keep_backups: int) -> None:
    existed = store.db_path.exists() and store.db_path.stat().st_size > 0
    needs_migration = migrate.pending(store.engine)
    if existed and (needs_migration or backup.due(store.backup_dir, every=backup_every)):
        backup.take(
            store.db_path, store.backup_dir, keep=keep_backups,
            reason="pre-migration" if needs_migration else "",
        )
    if needs_migration:
        migrate.upgrade(store.engine)
    with store.engine.begin() as connection:
        change_capture.install(connection, synced_tables())
    with store.raw() as connection:
        refdata.load_if_newer(connection, reference_dir())
    if needs_migration:
        try:
            vault.seal_legacy(store)  # secrets an earlier version kept in clear
        except vault.VaultError:
            pass  # not openable here: they read as absent; the next sign-in replaces them
