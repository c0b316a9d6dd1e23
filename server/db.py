"""The server's database: one URL, SQLite or PostgreSQL.

SQLite (the default, for a demo or a regency office) gets WAL, foreign keys
and a busy timeout, and every write transaction BEGIN IMMEDIATE so that
concurrent pushes queue instead of failing; PostgreSQL runs the same code
with its own row locks.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_URL = "sqlite:///tapis-server.sqlite3"
#: The database URL each worker process serves (set by ``python -m server run``).
DB_ENV = "TAPIS_SERVER_DB"
#: Where attachment bytes go when the database is not a SQLite file.
DEFAULT_BLOB_DIR = "tapis-blobs"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"isolation_level": None,
                                                  "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # Several worker processes (and instances) share one PostgreSQL: each keeps
    # a small pool (TAPIS_DB_POOL connections, default 6, plus 4 in bursts), so
    # 4 workers x 2 instances stay within PostgreSQL's default 100 connections.
    size = max(1, int(os.environ.get("TAPIS_DB_POOL", "6")))
    return create_engine(url, pool_size=size, max_overflow=4, pool_timeout=60,
                         pool_pre_ping=True)


#: Execution option of a connection that only reads: its transaction does not
#: take SQLite's write lock (BEGIN, not BEGIN IMMEDIATE).
READ_ONLY = "tapis_read_only"


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY)
                         else "BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON",
                   "busy_timeout = 30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class Database:
    """The engine and a unit-of-work helper for the routes."""

    def __init__(self, url: str, blob_dir: Path | str | None = None) -> None:
        self.url = url
        self.blob_dir = Path(blob_dir) if blob_dir is not None else default_blob_dir(url)
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        #: Pushes applied at once by this process (server/dependencies.py):
        #: SQLite has one writer, so one; PostgreSQL a few.
        self.ingest_concurrency = 1 if url.startswith("sqlite") else ingest_concurrency()
        self._push_slots: dict[int, asyncio.Semaphore] = {}

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    def push_slots(self) -> asyncio.Semaphore:
        """The push queue of the running event loop (one per worker process)."""
        loop = id(asyncio.get_running_loop())
        if loop not in self._push_slots:
            self._push_slots[loop] = asyncio.Semaphore(self.ingest_concurrency)
        return self._push_slots[loop]

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only transaction: on SQLite it takes no write lock."""
        with self.engine.connect() as connection:
            connection.execution_options(**{READ_ONLY: True})
            with Session(bind=connection) as session:
                yield session
            connection.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


def ingest_concurrency() -> int:
    """TAPIS_INGEST_CONCURRENCY (default 3): pushes one process applies at
    once on PostgreSQL; the rest wait in a queue before taking a connection,
    so 50 devices pushing at once finish one after another instead of all at
    the end, and the pool is never exhausted (no 500 for load)."""
    return max(1, int(os.environ.get("TAPIS_INGEST_CONCURRENCY", "3")))


def default_blob_dir(url: str) -> Path:
    """Attachment bytes live beside a SQLite file (``x.sqlite3`` ->
    ``x-blobs/``), so copying the folder copies the server; for PostgreSQL
    set TAPIS_BLOB_DIR to a disk every worker shares (default ./tapis-blobs)."""
    database = make_url(url).database if url.startswith("sqlite") else None
    if database and database != ":memory:":
        path = Path(database)
        return path.with_name(path.stem + "-blobs")
    return Path(os.environ.get("TAPIS_BLOB_DIR", DEFAULT_BLOB_DIR))


def upgrade(url: str) -> None:
    """Create or upgrade the schema with Alembic (imported here: serving needs none of it)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(url)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
    engine.dispose()
