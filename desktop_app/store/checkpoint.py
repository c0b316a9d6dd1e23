"""Moving the WAL into the database file off the officer's save path.

With SQLite's automatic checkpoint, every ~1,000 WAL pages one unlucky save
also copies them into the database file and fsyncs it: the slowest saves in
the benchmark were exactly those. Here a background thread with its own
connection runs a PASSIVE checkpoint (it never blocks readers or writers)
once a second when the WAL has grown; the connections' own automatic
checkpoint stays as a safety net at a much larger size, for processes that
run without this thread.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

#: The connections' own automatic checkpoint, in pages (4 KiB): a safety net only.
SAFETY_NET_PAGES = 10_000
INTERVAL_S = 1.0


class Checkpointer:
    """A daemon thread that checkpoints one database while the store is open."""

    def __init__(self, db_path: Path, *, interval: float = INTERVAL_S) -> None:
        self.db_path = db_path
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tapis-checkpoint", daemon=True)
        self.checkpoints = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        connection = sqlite3.connect(self.db_path, check_same_thread=False, isolation_level=None)
        try:
            connection.execute("PRAGMA busy_timeout = 1000")
            while not self._stop.wait(self.interval):
                self._checkpoint(connection)
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            _busy, wal_pages, _moved = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:  # a locked or closing database: try again next time
            log.debug("checkpoint skipped: %s", exc)
            return
        if wal_pages > 0:
            self.checkpoints += 1
