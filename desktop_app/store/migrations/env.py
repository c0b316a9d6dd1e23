"""Alembic environment for the laptop's database.

The store passes its own open connection in ``config.attributes``, so a
migration runs inside the application's transaction and PRAGMAs; the
``alembic`` command line works too, with a URL from alembic.ini or -x db=.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from desktop_app.models import Base
from desktop_app.store.local_tables import LocalBase

target_metadata = [Base.metadata, LocalBase.metadata]


def _not_fts(name, type_, parent_names) -> bool:  # type: ignore[no-untyped-def]
    """FTS5 tables are made by sqlite-utils (migration 0002), not by models."""
    return not (type_ == "table" and name and "_fts" in name)


def run_with(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_not_fts,
        render_as_batch=True,  # SQLite alters tables by copying them
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    with create_engine(url).connect() as conn:
        run_with(conn)
        conn.commit()


run()
