"""A real sync server on loopback for tests: uvicorn in a thread, on a free
port of 127.0.0.1, over a fresh SQLite file or (where one answers) a fresh
PostgreSQL database."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import uvicorn

from server.app import create_app
from server.db import Database
from server.setup import DEMO_PASSWORD, init
from tests.support.server_process import ServerProcess, free_port

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass
class RunningServer:
    url: str
    db_url: str
    database: Database
    password: str = DEMO_PASSWORD


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
        import psycopg  # noqa: F401
    except (OSError, ImportError):
        return False
    return True


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    import psycopg

    name = f"tapis_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_server(db_url: str, *, initialised: bool = False) -> Iterator[RunningServer]:
    if not initialised:
        init(db_url, demo=True)
    database = Database(db_url)
    port = free_port()
    config = uvicorn.Config(create_app(database), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off",
                            proxy_headers=False)  # as `python -m server run`
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-sync-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url)
    try:
        yield RunningServer(url=url, db_url=db_url, database=database)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        database.dispose()


def _wait_healthy(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.05)
    raise RuntimeError("test server did not start")


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_server_template(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A server database initialised once (schema, reference data, demo
    accounts); each test gets a copy."""
    path = tmp_path_factory.mktemp("server-template") / "server.sqlite3"
    init(f"sqlite:///{path}", demo=True)
    return path


@pytest.fixture(scope="session")
def postgres_server_template() -> Iterator[str | None]:
    """The same for PostgreSQL, as a template database (None where no server)."""
    if not postgres_available():
        yield None
        return
    with postgres_database() as url:
        init(url, demo=True)
        Database(url).dispose()
        yield url.rsplit("/", 1)[1]


@pytest.fixture(params=BACKENDS)
def sync_server(request: pytest.FixtureRequest, tmp_path) -> Iterator[RunningServer]:  # type: ignore[no-untyped-def]
    """A fresh server per test, on SQLite and (where reachable) PostgreSQL."""
    if request.param == "postgres":
        template = request.getfixturevalue("postgres_server_template")
        if template is None:
            pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
        with postgres_database(template) as url, running_server(url, initialised=True) as server:
            yield server
        return
    copy = tmp_path / "server.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_server_template"), copy)
    with running_server(f"sqlite:///{copy}", initialised=True) as server:
        yield server


#: The server the fault campaigns run against: one process on SQLite (a
#: regency office, the demo) and two worker processes of one
#: ``python -m server run --workers 2`` on a fresh PostgreSQL database (the
#: province): every request of a laptop may land on either worker, so
#: anything one worker kept in its memory that the other needs shows up as a
#: lost, duplicated or refused change.
SERVER_KINDS = ["sqlite", pytest.param("postgres-2-workers", marks=pytest.mark.postgres)]
PG_WORKERS = 2


@contextmanager
def server_of_kind(kind: str, request: pytest.FixtureRequest, folder: Path, *,
                   sample_every: float | None = None) -> Iterator[ServerProcess]:
    """A started :class:`ServerProcess` of ``kind`` (see SERVER_KINDS) over a
    fresh copy of the demo database, its log in ``folder/server.err`` and its
    photos in ``folder/blobs`` (every worker shares the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {"TAPIS_BLOB_DIR": str(folder / "blobs")}
    if kind == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_server_template"), folder / "server.sqlite3")
        with ServerProcess(folder / "server.sqlite3", folder / "server.err",
                           sample_every=sample_every, env=env).start(initialised=True) as server:
            yield server
        return
    template = request.getfixturevalue("postgres_server_template")
    if template is None:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    with postgres_database(template) as url, \
            ServerProcess(url, folder / "server.err", sample_every=sample_every,
                          workers=PG_WORKERS, env=env).start(initialised=True) as server:
        yield server
