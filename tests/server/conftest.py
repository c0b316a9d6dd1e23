"""Fixtures for the server tests: one real server on loopback per module
(SQLite; tests keep apart by signing in on fresh devices), and the same
over PostgreSQL where a test module asks for both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.servers import RunningServer, postgres_available, postgres_database, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A SQLite-backed server shared by the tests of one module."""
    folder = tmp_path_factory.mktemp("server")
    with running_server(f"sqlite:///{folder / 'server.sqlite3'}") as running:
        yield running


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server per backend, shared by the tests of one module."""
    if request.param == "postgres":
        if not postgres_available():
            pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
        with postgres_database() as url, running_server(url) as running:
            yield running
        return
    folder = tmp_path_factory.mktemp("server")
    with running_server(f"sqlite:///{folder / 'server.sqlite3'}") as running:
        yield running
