"""The models and the migrations describe the same schema, on the laptop
and on the server, so no change to a model ships without its migration."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from desktop_app.models import Base
from desktop_app.store import open_store
from desktop_app.store.local_tables import LocalBase
from server import db as server_db
from server.tables import ServerBase


def _differences(connection, metadata) -> list:
    context = MigrationContext.configure(connection, opts={
        "include_name": lambda name, type_, parents: not (type_ == "table" and "_fts" in (name or ""))})
    return compare_metadata(context, metadata)


def test_laptop_migrations_match_the_models(tmp_path):
    """A laptop database built by the migrations has exactly the models' tables and columns."""
    store = open_store(tmp_path)
    with store.engine.connect() as connection:
        assert _differences(connection, [Base.metadata, LocalBase.metadata]) == []
    store.close()


def test_server_migrations_match_the_models(tmp_path):
    """A server database built by its migrations has exactly the shared and server tables."""
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    server_db.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        assert _differences(connection, [Base.metadata, ServerBase.metadata]) == []
    engine.dispose()
