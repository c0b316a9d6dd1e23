"""s0010_console on SQLite and PostgreSQL: the sessions table and the paging
indexes come with the upgrade and go with the downgrade, and a database
upgraded again is whole."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from server import db as server_db
from server.migrations.versions.s0010_console import INDEXES
from tests.support.servers import postgres_available, postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
        return
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    with postgres_database() as url:
        yield url


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(server_db.MIGRATIONS))
    engine = server_db.make_engine(url)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()
    engine.dispose()


def shape(url: str) -> tuple[set[str], set[str]]:
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    tables = set(inspector.get_table_names())
    indexes = {i["name"] for _n, table, _c in INDEXES if table in tables
               for i in inspector.get_indexes(table)}
    engine.dispose()
    return tables, indexes


def test_s0010_up_down_and_up_again(db_url: str) -> None:
    migrate(db_url, "head")
    tables, indexes = shape(db_url)
    assert "console_session" in tables
    assert {name for name, _t, _c in INDEXES} <= indexes
    migrate(db_url, "s0010")
    migrate(db_url, "s0010-1", down=True)
    tables, indexes = shape(db_url)
    assert "console_session" not in tables
    assert not {name for name, _t, _c in INDEXES} & indexes
    migrate(db_url, "head")
    tables, indexes = shape(db_url)
    assert "console_session" in tables and {name for name, _t, _c in INDEXES} <= indexes
