"""The laptop the crash campaign kills (crash_campaign.py):

    python -m tests.support.crash_worker DATA_DIR URL USERNAME SEED [--log-sql]

It prints ``ready`` and waits for a line on stdin, then saves and edits
records and syncs in a loop, printing markers (flushed) the harness aims its
kills at: ``push``, ``apply``, ``ack`` around those steps, and
``<step>-commit`` from SQLAlchemy's commit event, inside the transaction
before its COMMIT, where it lingers 15 ms so a kill lands with it open.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from desktop_app import logs
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.errors import InvalidState, NotFound, ReadOnly, ValidationFailed
from desktop_app.store import inbox, migrate, open_store, outbox
from desktop_app.sync.client import SyncClient, SyncError
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import SyncEngine
from .laptops import TODAY, regency_factory, sign_in_through


def worker(argv: list[str]) -> int:
    """The laptop that gets killed: saves and edits records and syncs, in a
    loop, printing markers (flushed) the harness aims its kills at."""
    data_dir, url, username, seed = Path(argv[0]), argv[1], argv[2], int(argv[3])

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    emit("ready")
    if not sys.stdin.readline():
        return 0
    rng = random.Random(seed)
    began = time.monotonic()
    store = open_store(data_dir)
    emit(f"store {time.monotonic() - began:.2f}")
    logs.configure(data_dir, level=logging.DEBUG)
    if "--log-sql" in argv:  # statements and parameters (NIKs): slow, so now and then
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    emit("opened")
    phase: list[str] = []

    def before_commit(_conn: Any) -> None:
        if phase:
            emit(f"{phase[-1]}-commit")
            time.sleep(0.015)  # a window for the kill, the transaction still open

    event.listen(store.engine, "commit", before_commit)

    def marked(name: str, call: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            emit(name)
            phase.append(name)
            try:
                return call(*args, **kwargs)
            finally:
                phase.pop()
                emit(f"{name}-done")
        return wrapper

    inbox.apply_page = marked("apply", inbox.apply_page)  # type: ignore[assignment]
    outbox.acknowledge = marked("ack", outbox.acknowledge)  # type: ignore[assignment]
    client = SyncClient(url, device_id=store.device_id,
                        schema=migrate.head_revision(), device_key=device_key(store))
    client.push = marked("push", client.push)  # type: ignore[method-assign]
    token_file = data_dir / "token.json"
    try:
        saved = json.loads(token_file.read_text())
        client.token, officer_id, regency = saved["token"], saved["officer"], saved["regency"]
    except (OSError, ValueError, KeyError):
        officer = sign_in_through(client, username).officer
        officer_id, regency = officer.id, officer.regency_code
        partial = token_file.with_suffix(".partial")
        partial.write_text(json.dumps({"token": client.token, "officer": officer_id,
                                       "regency": regency}))
        partial.replace(token_file)
    store.set_officer(officer_id)
    actor = Actor(officer_id, store.device_id, regency)
    factory = regency_factory(store, regency, seed)

    def save(kind: str, data: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        phase.append("save")
        try:
            record = records.save(store, actor, kind, data, record_id=record_id, today=TODAY).record
        finally:
            phase.pop()
        emit(f"saved {record['id']}")
        return record

    def pick(table: str) -> str | None:
        with sqlite3.connect(store.db_path) as conn:
            ids = [r[0] for r in conn.execute(
                f'SELECT id FROM "{table}" WHERE deleted_at IS NULL LIMIT 200')]
        conn.close()
        return rng.choice(ids) if ids else None

    for _ in range(100_000):  # bounded; the harness kills it long before
        try:
            for _ in range(rng.randrange(1, 4)):
                roll = rng.random()
                if roll < 0.5:
                    shop = save("business", factory.business())
                    save("umkm_survey", factory.survey(shop["id"]))
                elif roll < 0.8 and (row := pick("business")):
                    save("business", {"phone": f"08{rng.randrange(10**9, 10**10)}"}, row)
                elif row := pick("cooperative"):
                    save("cooperative", {"chair_name": f"Ketua {rng.randrange(1000)}"}, row)
        except (ValidationFailed, ReadOnly, NotFound, InvalidState):
            pass
        try:
            SyncEngine(store, client, batch_bytes=16 * 1024).run()
        except SyncError:
            pass
        emit(f"synced {time.monotonic() - began:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(worker(sys.argv[1:]))
