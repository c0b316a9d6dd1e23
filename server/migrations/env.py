"""Alembic environment of the server: the shared record models plus the
server's own tables, on SQLite or PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from desktop_app.models import Base
from server.tables import ServerBase

target_metadata = [Base.metadata, ServerBase.metadata]


def run_with(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = context.get_x_argument(as_dictionary=True)["db"]
    with create_engine(url).connect() as conn:
        run_with(conn)
        conn.commit()


run()
