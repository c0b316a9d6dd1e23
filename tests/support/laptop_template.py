"""One migrated laptop store per test process, copied into every new store a
test opens, instead of the migrations run again each time.

``open_store`` on an empty folder runs the twelve laptop migrations and loads
the reference data (about 2,900 villages): 0.7 to 1.7 s on a loaded
machine, paid by every test that opens a fresh store (hundreds of them, the
GUI tests' ``ctx`` included) although only the migration tests are about
migrations. So in this test process :func:`desktop_app.store.migrate.upgrade`,
asked to bring an *empty* database to head, copies the result of the real
migrations made once (SQLite's backup API, into the connection the store
already holds) and gives the copy a device id of its own, as migration 0001
does. Everything else ``open_store`` does (the change-capture triggers, the
reference-data check, the legacy-secrets step) still runs on the copy.

Not copied: a database that already has tables, an upgrade to another
revision than head, anything in a subprocess (the CLI, crash and packaging
tests run the real migrations from empty), and the tests marked
``real_migrations`` (the migration tests themselves).
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.store import migrate

_real_upgrade = migrate.upgrade
_template: list[Path] = []
_current: list[pytest.Item | None] = [None]


def _template_path() -> Path:
    """The store made once by the real code path (migrations, triggers,
    reference data), in a folder of this process's own."""
    if not _template:
        from desktop_app.store import open_store

        folder = Path(tempfile.mkdtemp(prefix="tapis-laptop-template-"))
        migrate.upgrade = _real_upgrade  # type: ignore[assignment]
        try:
            store = open_store(folder)
        finally:
            migrate.upgrade = _copying_upgrade  # type: ignore[assignment]
        path = store.db_path
        store.close()
        _template.append(path)
    return _template[0]


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master").scalar_one() == 0


def _copying_upgrade(engine: Engine, revision: str = "head") -> None:
    item = _current[0]
    if (revision != "head" or engine.dialect.name != "sqlite"
            or (item is not None and item.get_closest_marker("real_migrations") is not None)
            or not _is_empty(engine)):
        _real_upgrade(engine, revision)
        return
    source = sqlite3.connect(_template_path())
    try:
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            source.backup(driver)
            connection.exec_driver_sql("UPDATE local_state SET device_id = ? WHERE id = 1",
                                       (str(uuid.uuid4()),))
            connection.commit()
    finally:
        source.close()


def pytest_configure(config: pytest.Config) -> None:
    migrate.upgrade = _copying_upgrade  # type: ignore[assignment]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    _current[0] = item
    try:
        return (yield)
    finally:
        _current[0] = None


def pytest_unconfigure(config: pytest.Config) -> None:
    migrate.upgrade = _real_upgrade  # type: ignore[assignment]
    if _template:
        import shutil

        shutil.rmtree(_template.pop().parent, ignore_errors=True)
