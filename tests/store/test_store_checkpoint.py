"""The WAL is moved into the database file by the background checkpointer,
not by an officer's save."""

from __future__ import annotations

import sqlite3
import threading
import time

from desktop_app.store import open_store
from desktop_app.store.checkpoint import Checkpointer


def test_the_background_thread_checkpoints_what_saves_leave_in_the_wal(tmp_path):
    """After writes, the checkpointer moves the WAL into the file within a few seconds."""
    store = open_store(tmp_path)
    with sqlite3.connect(store.db_path) as conn:
        conn.executemany("INSERT INTO business (id, name, owner_name, owner_nik, regency_code, "
                         "created_at, updated_at, created_by, officer_id, device_id, address, "
                         "village, phone) VALUES (?, 'Warung', 'Ani', '1871014506900001', '18.71', "
                         "'2026-11-23T00:00:00.000Z', '2026-11-23T00:00:00.000Z', 'o', 'o', 'd', "
                         "'', '', '')", [(f"00000000-0000-7000-8000-{n:012d}",) for n in range(300)])
    deadline = time.monotonic() + 10
    while store.checkpointer.checkpoints == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert store.checkpointer.checkpoints >= 1
    store.close()


def test_closing_the_store_stops_the_thread(tmp_path):
    """No checkpoint thread outlives its store."""
    store = open_store(tmp_path)
    store.close()
    assert not [t for t in threading.enumerate() if t.name == "tapis-checkpoint"]


def test_the_safety_net_is_set_on_every_connection(tmp_path):
    """Connections keep an automatic checkpoint, far above what the thread lets grow."""
    store = open_store(tmp_path)
    with store.raw() as conn:
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 10_000
    store.close()


def test_a_checkpointer_on_a_missing_file_stops_cleanly(tmp_path):
    """Stopping works even if the thread never found work."""
    checkpointer = Checkpointer(tmp_path / "none.sqlite3", interval=0.05)
    checkpointer.start()
    checkpointer.stop()
    assert not checkpointer._thread.is_alive()
