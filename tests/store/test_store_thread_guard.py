"""The debug check behind 'no database or network call on the GUI thread'."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from desktop_app import thread_guard
from desktop_app.store import open_store


def test_calls_on_the_watched_thread_are_recorded_and_others_are_not(tmp_path: Path) -> None:
    store = open_store(tmp_path)

    def read_once() -> None:
        with store.read() as session:
            session.execute(text("SELECT 1"))

    try:
        thread_guard.watch()
        read_once()  # on the watched thread
        worker = threading.Thread(target=read_once)
        worker.start()
        worker.join()
        calls = thread_guard.stop()
    finally:
        store.close()
    assert [c.what for c in calls] == ["database"]
    assert "read_once" not in calls[0].where  # frames of desktop_app only
    assert calls[0].ms >= 0


def test_nothing_is_recorded_when_nobody_watches(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        thread_guard.watch()
        thread_guard.stop()
        with store.write():
            pass
    finally:
        store.close()
    assert thread_guard.calls == []
