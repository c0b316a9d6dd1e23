"""A real sync server on loopback for tests: uvicorn in a thread, on a free
port of 127.0.0.1, over a fresh SQLite file or (where one answers) a fresh
PostgreSQL database."""

from __future__ import annotations

import queue
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
from argon2 import PasswordHasher
from sqlalchemy import update

from server.app import create_app
from server.db import Database
from server.setup import DEMO_PASSWORD, init
from server.tables import Officer
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
    """A new PostgreSQL database (a copy of ``template`` if given) for the
    block; dropped afterwards by :func:`drop_later`."""
    import psycopg

    name = f"tapis_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        drop_later(name)


PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
_drops: queue.Queue[str | None] = queue.Queue()
_dropper: list[threading.Thread] = []


def drop_later(name: str) -> None:
    """Drop a test database on a thread of its own. DROP DATABASE waits for
    a checkpoint of the whole (shared) PostgreSQL server: 0.2 to 2.5 s on a
    loaded machine, paid by every test over a database of its own. The test
    has finished with it (its server stopped, its engine disposed; WITH
    (FORCE) ends any connection left), so nothing waits for the drop but
    the end of the session (:func:`finish_drops`)."""
    if not _dropper:
        thread = threading.Thread(target=_drop_each, name="test-db-dropper", daemon=True)
        thread.start()
        _dropper.append(thread)
    _drops.put(name)


def _drop_each() -> None:
    import psycopg

    while (name := _drops.get()) is not None:
        try:
            with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error:
            pass  # a database left behind is only disk: the next drop is tried anyway
        finally:
            _drops.task_done()


def finish_drops() -> None:
    """Wait until every database handed to :func:`drop_later` is dropped."""
    if _dropper:
        _drops.put(None)
        _dropper.pop().join(timeout=300)


def pytest_sessionfinish() -> None:
    finish_drops()


@contextmanager
def demo_database(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[str]:
    """A database as ``python -m server init --demo`` leaves it, copied from
    the session's template (a file copy, or CREATE DATABASE ... TEMPLATE)
    instead of made again: an init is 2 s on SQLite and 5 s on PostgreSQL
    on a loaded machine, a copy a tenth of that. The demo accounts' password
    is hashed at the lowest Argon2id cost (:func:`cheapen_demo_passwords`)
    unless the test is marked ``timing`` or ``production_hashes``. Skips on
    PostgreSQL where none answers."""
    cheap = not production_hashes(request)
    if backend == "postgres":
        template = request.getfixturevalue(
            "postgres_cheap_template" if cheap else "postgres_server_template")
        if template is None:
            pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
        with postgres_database(template) as url:
            yield url
        return
    path = folder / "server.sqlite3"
    shutil.copyfile(request.getfixturevalue(
        "sqlite_cheap_template" if cheap else "sqlite_server_template"), path)
    yield f"sqlite:///{path}"


#: Argon2id at its lowest cost: a sign-in against it takes well under a
#: millisecond instead of 0.1 to 1 s (time 3, 64 MiB, 4 lanes, the server's
#: default, which tests/server/test_server_password_cost.py holds init to).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)


def production_hashes(request: pytest.FixtureRequest) -> bool:
    """Whether this test needs the demo password hashed at the server's
    real cost: tests that measure time (a flood of sign-ins, GUI stalls
    beside a sign-in) and those marked ``production_hashes``."""
    node = request.node
    return (node.get_closest_marker("timing") is not None
            or node.get_closest_marker("production_hashes") is not None)


def cheapen_demo_passwords(url: str) -> None:
    """Re-hash the demo accounts' shared password at the lowest Argon2id
    cost. The server verifies with the parameters stored in the hash, so its
    code and its checks (lockouts, 401s, the dummy hash for unknown names)
    are unchanged; only each sign-in's CPU time shrinks, which every test
    that signs a laptop in pays (tens of thousands of sign-ins a run)."""
    database = Database(url)
    with database.session() as session:
        session.execute(update(Officer).values(password_hash=CHEAP_HASHER.hash(DEMO_PASSWORD)))
    database.dispose()


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


@pytest.fixture(scope="session")
def sqlite_cheap_template(sqlite_server_template: Path) -> Path:
    """The SQLite template with the demo password at the lowest cost."""
    path = sqlite_server_template.with_name("server-cheap.sqlite3")
    shutil.copyfile(sqlite_server_template, path)
    cheapen_demo_passwords(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_cheap_template(postgres_server_template: str | None) -> Iterator[str | None]:
    """The PostgreSQL template with the demo password at the lowest cost."""
    if postgres_server_template is None:
        yield None
        return
    with postgres_database(postgres_server_template) as url:
        cheapen_demo_passwords(url)
        yield url.rsplit("/", 1)[1]


@pytest.fixture(params=BACKENDS)
def sync_server(request: pytest.FixtureRequest, tmp_path) -> Iterator[RunningServer]:  # type: ignore[no-untyped-def]
    """A fresh server per test, on SQLite and (where reachable) PostgreSQL."""
    with demo_database(request, request.param, tmp_path) as url, \
            running_server(url, initialised=True) as server:
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
