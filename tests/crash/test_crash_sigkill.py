"""Killing a writer with SIGKILL at random points loses nothing it reported
saved and leaves nothing half-written.

One data folder lives through every kill, so the database grows and kills
land while it is being created and migrated (first run), while an existing
store is opened (backup, trigger install, reference data), and while records
are saved: single saves, finalising, and batches. Afterwards the database
must pass ``PRAGMA integrity_check`` and the project's own check (the
change-log invariant, foreign keys, FTS), every record the writer reported
must be there with its 'insert' entry (and 'finalised' when reported so),
and every change-log entry must point at an existing row.

To keep it fast, the next writer is started (and does its slow imports)
while the current one runs; it opens the store only when told to, after the
current one is dead. Reproduce a failure with TAPIS_CRASH_SEED=<seed>.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop_app.models import synced_tables
from desktop_app.store import check, migrate, open_store

WRITER = Path(__file__).with_name("writer.py")
KILLS = 60
HEAD = migrate.head_revision()
SEED = int(os.environ.get("TAPIS_CRASH_SEED", "20261123"))


@dataclass
class Reported:
    """What the writers said they had committed."""

    rows: dict[str, set[str]] = field(default_factory=lambda: {"business": set(), "umkm_survey": set()})
    finalised: set[str] = field(default_factory=set)
    batches: list[list[str]] = field(default_factory=list)
    phases: Counter[str] = field(default_factory=Counter)

    def take(self, output: str) -> None:
        # Each line reaches the pipe in one write (flushed per line, shorter
        # than PIPE_BUF), so a kill cannot split one; should it ever, the
        # unterminated tail is dropped rather than read as a truncated id.
        lines = output.split("\n")[:-1]
        opened = "opened" in lines
        saves = 0
        for line in lines:
            word, _, rest = line.partition(" ")
            if word in ("business", "umkm_survey"):
                self.rows[word].add(rest)
                saves += 1
            elif word == "final":
                self.finalised.add(rest)
            elif word == "batch":
                kind, _, ids = rest.partition(" ")
                self.rows[kind].update(ids.split(","))
                self.batches.append(ids.split(","))
                saves += 1
            elif word == "batchfinal":
                self.finalised.update(rest.split(","))
        self.phases["killed while opening" if not opened
                    else "killed while saving" if saves else "killed before first save"] += 1


def start_writer(data_dir: Path, seed: int, backup_every_open: bool, stderr) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    args = [sys.executable, str(WRITER), str(data_dir), str(seed)]
    if backup_every_open:
        args.append("--backup-every-open")
    writer = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                              text=True, cwd=Path(__file__).parents[2])
    return writer


def wait_ready(writer: subprocess.Popen[str], stderr_path: Path) -> None:
    line = writer.stdout.readline()  # type: ignore[union-attr]
    if line != "ready\n":
        writer.wait(timeout=10)
        pytest.fail(f"the writer did not start:\n{stderr_path.read_text()}")


def schema_revision(db_path: Path) -> str | None:
    if not db_path.exists():
        return None
    connection = sqlite3.connect(db_path)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.OperationalError:  # no such table yet
        return None
    finally:
        connection.close()


def assert_healthy(db_path: Path, reported: Reported) -> None:
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        report = check.run(connection, synced_tables())
        assert report.ok, "\n".join(report.faults)
        assert report.rows_checked > 0

        for kind, ids in reported.rows.items():
            present = {r[0] for r in connection.execute(f"SELECT id FROM {kind}")}
            inserted = {r[0] for r in connection.execute(
                "SELECT row_id FROM change_log WHERE table_name = ? AND op = 'insert'", (kind,))}
            assert not ids - present, f"{kind}: reported saved but missing: {sorted(ids - present)[:5]}"
            assert not ids - inserted, f"{kind}: no 'insert' entry: {sorted(ids - inserted)[:5]}"

        statuses = dict(connection.execute("SELECT id, status FROM umkm_survey"))
        not_final = [i for i in reported.finalised if statuses.get(i) != "finalised"]
        assert not not_final, f"reported finalised but not: {not_final[:5]}"

        # No half-written pairs: every survey's business exists (also covered
        # by foreign_key_check), and no log entry points at a missing row.
        orphans = connection.execute(
            "SELECT s.id FROM umkm_survey s LEFT JOIN business b ON b.id = s.business_id"
            " WHERE b.id IS NULL").fetchall()
        assert not orphans, f"surveys without their business: {orphans[:5]}"
        for table in synced_tables():
            dangling = connection.execute(
                f'SELECT c.seq, c.row_id, c.op FROM change_log c LEFT JOIN "{table}" t'
                " ON t.id = c.row_id WHERE c.table_name = ? AND t.id IS NULL", (table,)).fetchall()
            assert not dangling, f"{table}: change-log entries for missing rows: {dangling[:5]}"

        # A batch is one unit of work: its entries share one txn number.
        txns = dict(connection.execute(
            "SELECT row_id, txn FROM change_log WHERE op = 'insert'"))
        split = [b for b in reported.batches if len({txns[i] for i in b}) != 1]
        assert not split, f"batches logged across transactions: {split[:2]}"
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.timing  # the kill delays are tuned to a writer that has the machine to itself
@pytest.mark.timeout(240)
def test_sigkill_while_opening_and_saving_loses_nothing_reported(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    db_path = data_dir / "tapis.sqlite3"
    reported = Reported()

    def next_writer(n: int) -> tuple[subprocess.Popen[str], Path]:
        stderr_path = tmp_path / f"writer-{n}.err"
        # Every fourth open backs the database up first, so kills land in the
        # backup too, not only on the first open of an existing store.
        with stderr_path.open("w") as stderr:
            writer = start_writer(data_dir, rng.randrange(1 << 30), rng.random() < 0.25, stderr)
        return writer, stderr_path

    pending = next_writer(0)
    for n in range(KILLS):
        writer, stderr_path = pending
        wait_ready(writer, stderr_path)
        writer.stdin.write("go\n")  # type: ignore[union-attr]
        writer.stdin.flush()  # type: ignore[union-attr]
        # The first kills land while the new database is created and migrated
        # (about 0.1 s); later ones anywhere in opening (tens of ms, more with
        # a backup) or saving.
        if n < 4:
            delay = rng.uniform(0.01, 0.07)
        elif rng.random() < 0.3:
            delay = rng.uniform(0.0, 0.1)
        else:
            delay = rng.uniform(0.1, 0.6)
        if n + 1 < KILLS:
            pending = next_writer(n + 1)  # imports while this one works
        time.sleep(delay)
        if writer.poll() is not None:
            pytest.fail(f"writer {n} exited by itself ({writer.returncode}), seed {SEED}:\n"
                        f"{stderr_path.read_text()}")
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        assert writer.returncode == -signal.SIGKILL
        reported.take(writer.stdout.read())  # type: ignore[union-attr]
        if schema_revision(db_path) != HEAD:
            reported.phases["of which during creation or migration"] += 1
        writer.stdin.close()  # type: ignore[union-attr]
        writer.stdout.close()  # type: ignore[union-attr]
        if n % 20 == 19:
            assert_healthy(db_path, reported)

    assert_healthy(db_path, reported)
    store = open_store(data_dir)  # and it still opens (backup, triggers, reference data)
    store.close()

    saved = sum(len(ids) for ids in reported.rows.values())
    print(f"seed {SEED}: {dict(reported.phases)}; {saved} records reported saved, "
          f"{len(reported.finalised)} finalised")
    assert reported.phases["killed while opening"] >= 5, reported.phases
    assert reported.phases["killed while saving"] >= 20, reported.phases
    assert saved >= 200
