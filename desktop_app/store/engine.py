"""The SQLite engine: PRAGMAs on every connection and explicit transactions.

WAL lets the GUI read while sync writes; ``synchronous = FULL`` makes a
committed save survive a flat battery, not only a crash; foreign keys are off
by default in SQLite and must be switched on per connection.

pysqlite's own transaction handling begins transactions late and cannot do
savepoints properly, so the driver is put in autocommit mode and the engine
emits BEGIN itself (SQLAlchemy's documented recipe). Write units of work
BEGIN IMMEDIATE: they take the write lock up front, so two writers queue on
``busy_timeout`` instead of failing midway with 'database is locked'.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA cache_size = -32000",
    "PRAGMA temp_store = MEMORY",
    # The background checkpointer (checkpoint.py) keeps the WAL small; this is
    # only the safety net for processes without it.
    "PRAGMA wal_autocheckpoint = 10000",
)

#: Execution option naming how a transaction begins: DEFERRED or IMMEDIATE.
BEGIN_OPTION = "sqlite_begin"


def make_engine(path: Path | str, *, echo: bool = False) -> Engine:
    """An engine on the database file at ``path`` (created if missing)."""
    engine = create_engine(
        f"sqlite:///{path}",
        echo=echo,
        connect_args={"isolation_level": None, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
    mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def writer(engine: Engine) -> Engine:
    """The same engine, beginning every transaction IMMEDIATE."""
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
