"""Fixtures for the server tests: one real server on loopback per module
(SQLite; tests keep apart by signing in on fresh devices), and the same
over PostgreSQL where a test module asks for both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.servers import RunningServer, demo_database, running_server


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A SQLite-backed server shared by the tests of one module."""
    folder = tmp_path_factory.mktemp("server")
    with demo_database(request, "sqlite", folder) as url, \
            running_server(url, initialised=True) as running:
        yield running


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server per backend, shared by the tests of one module."""
    folder = tmp_path_factory.mktemp("server")
    with demo_database(request, request.param, folder) as url, \
            running_server(url, initialised=True) as running:
        yield running
