"""Laptops for GUI tests of sync and sign-in: a store, settings pointing at a
real loopback server, and an AppContext, closed after the test."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop_app.store import open_store
from desktop_app.sync import account
from desktop_app.ui.context import AppContext
from desktop_app.ui.settings import AUTO_SYNC, PROBE_SECONDS, SERVER_URL, Settings
from tests.support.servers import DEMO_PASSWORD, RunningServer, running_server

PIN = "480613"


@contextmanager
def copied_server(template: Path, folder: Path) -> Iterator[RunningServer]:
    """A server over a copy of the template, stoppable in the middle of a test."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "server.sqlite3"
    if not copy.exists():
        shutil.copyfile(template, copy)
    with running_server(f"sqlite:///{copy}", initialised=True) as running:
        yield running


@pytest.fixture
def server(sqlite_server_template: Path, tmp_path: Path) -> Iterator[RunningServer]:
    with copied_server(sqlite_server_template, tmp_path / "server") as running:
        yield running


MakeLaptop = Callable[..., AppContext]


@pytest.fixture
def make_laptop(tmp_path: Path, qapp) -> Iterator[MakeLaptop]:  # type: ignore[no-untyped-def]
    """``make_laptop(name, server_url, auto_sync=False)`` -> an AppContext."""
    made: list[AppContext] = []

    def make(name: str, server_url: str, *, auto_sync: bool = False,
             probe_seconds: int = 60) -> AppContext:
        folder = tmp_path / name
        store = open_store(folder)
        settings = Settings(folder)
        settings.set(SERVER_URL, server_url)
        settings.set(AUTO_SYNC, auto_sync)
        settings.set(PROBE_SECONDS, probe_seconds)
        ctx = AppContext(store=store, data_dir=folder, settings=settings)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.runner.wait(30_000)
        ctx.store.close()


def sign_in(ctx: AppContext, server_url: str, username: str = "petugas.pesawaran",
            pin: str = PIN) -> account.Account:
    """Set up an officer without the dialog (for tests about something else)."""
    signed = account.sign_in_online(ctx.store, server_url, username, DEMO_PASSWORD, pin)
    ctx.account = signed
    return signed


@pytest.fixture
def english() -> Iterator[None]:
    """Screens in English for the test (the source strings), then as before."""
    from desktop_app.ui import i18n

    before = i18n.language()
    i18n.install("en")
    yield
    i18n.install(before)


@contextmanager
def screens_in(code: str) -> Iterator[None]:
    from desktop_app.ui import i18n

    before = i18n.language()
    i18n.install(code)
    try:
        yield
    finally:
        i18n.install(before)


@pytest.fixture
def server_process(sqlite_server_template: Path, tmp_path: Path) -> Iterator[str]:
    """The server in its own process (its URL): for timing the GUI thread, a
    server in a thread of the test process would compete for the GIL like
    no real server does."""
    from tests.support.server_process import ServerProcess

    folder = tmp_path / "server-process"
    folder.mkdir()
    copy = folder / "server.sqlite3"
    shutil.copyfile(sqlite_server_template, copy)
    with ServerProcess(copy).start(initialised=True) as server:
        yield server.url
