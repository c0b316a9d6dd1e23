"""SIGKILLs of a laptop that saves and syncs, aimed at the dangerous points:
inside a save's transaction, with a push in flight, inside the transaction
that records the server's acknowledgement, and while a page of pulled changes
is applied. The killed laptop is a subprocess (crash_worker.py) printing
markers, flushed, as it goes; another officer's laptop keeps records coming
for it to pull. Afterwards the laptop restarts, syncs to the end, and its
books are drawn up (accounting.py).

tests/reliability/test_reliability_crash_sync.py runs a campaign and asserts;
the reliability benchmark runs a longer one and reports.
"""

from __future__ import annotations

import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.models import synced_tables
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import check, migrate, open_store
from desktop_app.sync.client import SyncClient
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import SyncEngine

from .accounting import Books, books, differences
from .laptops import ACCOUNTS, TODAY, regency_factory, sign_in_through
from .server_process import ROOT, ServerProcess

#: Where a kill is aimed: the worker prints the marker, the harness kills
#: right after it. '*-commit' markers are printed inside the transaction,
#: before its COMMIT, and the worker pauses there a few milliseconds.
TARGETS = ("save-commit", "push", "ack-commit", "apply", "apply-commit", "random")


@dataclass
class CrashResult:
    kills: int = 0
    aimed: Counter[str] = field(default_factory=Counter)
    landed_open: Counter[str] = field(default_factory=Counter)  # kill with that txn uncommitted
    saved_reported: set[str] = field(default_factory=set)
    fed: int = 0  # records the other laptop made for the killed one to pull
    final_rounds: int = 0
    books: Books | None = None
    check_faults: list[str] = field(default_factory=list)
    integrity: str = ""
    missing_reported: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    seconds: float = 0.0
    data_dir: Path | None = None


class _Lines:
    """A worker's stdout as a queue of lines (read by a thread)."""

    def __init__(self, stream: Any) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            if line.endswith("\n"):  # a kill can cut a line: drop the tail
                self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def wait_for(self, marker: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                return False
            if line is None:
                return False
            self.seen.append(line)
            if line.split(" ", 1)[0] == marker:
                return True
        return False

    def drain(self) -> list[str]:
        self.thread.join(timeout=10)
        while True:
            try:
                line = self.queue.get_nowait()
            except queue.Empty:
                return self.seen
            if line is not None:
                self.seen.append(line)


def _start_worker(data_dir: Path, url: str, username: str, seed: int, err: Path,
                  log_sql: bool = False) -> tuple[subprocess.Popen[str], _Lines]:
    with err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_worker", str(data_dir), url, username,
             str(seed)] + (["--log-sql"] if log_sql else []),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT)
    return process, _Lines(process.stdout)


def crash_campaign(workdir: Path, server: ServerProcess, *, kills: int, seed: int,
                   prefill: int = 300, feed: tuple[int, int] = (20, 60),
                   regency: str = "18.71") -> CrashResult:
    """SIGKILL a saving-and-syncing laptop ``kills`` times, aimed at saves,
    pushes, acknowledgements and pull pages; then restart it, sync to the end
    and balance its books. The harness does not assert: the caller does."""
    rng = random.Random(seed)
    result = CrashResult()
    started = time.monotonic()
    username, feeder_name = ACCOUNTS[regency]
    data_dir = workdir / "killed-laptop"
    result.data_dir = data_dir

    # Another officer of the regency on a laptop of their own: their records
    # give the killed laptop's pulls something to apply.
    feeder = open_store(workdir / "feeder-laptop")
    feeder_client = SyncClient(server.url, device_id=feeder.device_id,
                               device_key=device_key(feeder),
                               schema=migrate.head_revision())
    officer = sign_in_through(feeder_client, feeder_name).officer
    feeder.set_officer(officer.id)
    feeder_actor = Actor(officer.id, feeder.device_id, regency)
    factory = regency_factory(feeder, regency, seed)

    def feed_more(count: int) -> None:
        for start in range(0, count, 25):
            n = min(25, count - start)
            shops = records.save_batch(feeder, feeder_actor, "business",
                                       [(factory.business(), False) for _ in range(n)],
                                       today=TODAY)
            records.save_batch(feeder, feeder_actor, "umkm_survey",
                               [(factory.survey(s["id"]), False) for s in shops], today=TODAY)
        result.fed += 2 * count
        SyncEngine(feeder, feeder_client).run()

    records.save_batch(feeder, feeder_actor, "cooperative",
                       [(factory.cooperative(), False) for _ in range(4)], today=TODAY)
    feed_more(prefill // 2)

    # Two workers start ahead (their imports take a second), so one is ready
    # when the current one dies; each opens the store only when told to.
    ahead = [_start_worker(data_dir, server.url, username, rng.randrange(1 << 30),
                           workdir / f"worker-{i}.err") for i in range(min(2, kills))]
    for n in range(kills):
        process, lines = ahead.pop(0)
        if not lines.wait_for("ready", 30):
            raise RuntimeError(f"worker {n} did not start: {(workdir / f'worker-{n}.err').read_text()}")
        target = TARGETS[n % len(TARGETS)] if n < len(TARGETS) else rng.choice(TARGETS)
        process.stdin.write("go\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
        if n + 2 < kills:
            ahead.append(_start_worker(data_dir, server.url, username, rng.randrange(1 << 30),
                                       workdir / f"worker-{n + 2}.err", log_sql=n % 4 == 3))
        if target == "random":
            time.sleep(rng.uniform(0.05, 1.5))
        elif lines.wait_for(target, 3.0):
            time.sleep(rng.uniform(0.0, 0.008) if target.endswith("-commit")
                       else rng.uniform(0.0, 0.05))
        else:
            target = f"{target} (not reached: random)"
        if process.poll() is not None:
            raise RuntimeError(f"worker {n} exited by itself ({process.returncode}):\n"
                               f"{(workdir / f'worker-{n}.err').read_text()}")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        result.kills += 1
        result.aimed[target] += 1
        seen = lines.drain()
        for line in seen:
            word, _, rest = line.partition(" ")
            if word == "saved":
                result.saved_reported.add(rest)
        markers = [line.split(" ", 1)[0] for line in seen if not line.startswith("saved ")]
        last = markers[-1] if markers else ""
        if last in ("push", "apply", "ack") or last.endswith("-commit"):
            result.landed_open[last.removesuffix("-commit")] += 1
        process.stdin.close()  # type: ignore[union-attr]
        process.stdout.close()  # type: ignore[union-attr]
        if n % 4 == 3:
            feed_more(rng.randrange(*feed_range(feed)))

    # Restart the laptop and sync to the end.
    store = open_store(data_dir)
    client = SyncClient(server.url, device_id=store.device_id,
                        schema=migrate.head_revision(), device_key=device_key(store))
    sign_in_through(client, username)
    for round_ in range(1, 11):
        summary = SyncEngine(store, client).run()
        result.final_rounds = round_
        if summary.pending_left == 0 and summary.pushed + summary.duplicates == 0 and round_ > 1:
            break
    client.close()
    SyncEngine(feeder, feeder_client).run()
    feeder_client.close()
    feeder.close()
    store.close()

    with sqlite3.connect(data_dir / "tapis.sqlite3", isolation_level=None) as conn:
        result.integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        result.check_faults = check.run(conn, synced_tables()).faults
        present = set()
        for table in ("business", "umkm_survey", "cooperative"):
            present |= {r[0] for r in conn.execute(f'SELECT id FROM "{table}"')}
    conn.close()
    result.missing_reported = sorted(result.saved_reported - present)
    result.books = books(data_dir / "tapis.sqlite3", server.db_url)
    result.differences = differences(data_dir / "tapis.sqlite3", server.db_url, regency)
    result.seconds = time.monotonic() - started
    return result


def feed_range(feed: tuple[int, int]) -> tuple[int, int]:
    return feed[0], max(feed[0] + 1, feed[1])
