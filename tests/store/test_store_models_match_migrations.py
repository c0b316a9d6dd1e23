"""The models and the migrations describe the same schema, on the laptop
and on the server, so no change to a model ships without its migration."""

from __future__ import annotations

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import importlib.util
from pathlib import Path

from sqlalchemy import create_engine, inspect

from desktop_app.models import Base
from desktop_app.store import open_store
from desktop_app.store.local_tables import LocalBase
from server import db as server_db
from server.tables import ServerBase

#: Fresh stores here run the migrations themselves (tests/support/laptop_template.py).
pytestmark = pytest.mark.real_migrations


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


def _console_indexes() -> dict[str, tuple[str, list[str]]]:
    """The paging indexes s0010 adds to the shared record tables for the web
    console: server-only (the laptop has no console), so not in the shared
    models; the migration's own list is what the server must have."""
    path = Path(server_db.__file__).parent / "migrations" / "versions" / "s0010_console.py"
    spec = importlib.util.spec_from_file_location("s0010_console", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: (table, columns) for name, table, columns in module.INDEXES}


def test_server_migrations_match_the_models(tmp_path):
    """A server database built by its migrations has exactly the shared and
    server tables, plus the console's paging indexes, each as declared."""
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    server_db.upgrade(url)
    engine = create_engine(url)
    console = _console_indexes()
    with engine.connect() as connection:
        differences = _differences(connection, [Base.metadata, ServerBase.metadata])
        server_only = [d for d in differences if d[0] == "remove_index" and d[1].name in console]
        assert [d for d in differences if d not in server_only] == []
        assert {d[1].name for d in server_only} == set(console)
        for name, (table, columns) in console.items():
            found = {i["name"]: i["column_names"] for i in inspect(connection).get_indexes(table)}
            assert found.get(name) == columns, name
    engine.dispose()
