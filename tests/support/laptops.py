"""A field laptop for sync tests and benchmarks: its own store, an officer
signed in, and the real sync engine talking to a real server; signing in
through a link that cuts, and demo records placed in one regency."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.models import synced_tables
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import migrate, open_store
from desktop_app.protocol import LoginResponse
from desktop_app.services.demo import _places
from desktop_app.services.demo_data import DemoFactory
from desktop_app.sync.client import SyncClient, SyncError
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import SyncEngine, SyncSummary

PASSWORD = "tapis-demo-2026"
#: The campaigns' day: demo records are dated from it.
TODAY = date(2026, 11, 23)
#: Two regencies with an officer and a supervisor account each (server/setup.py).
ACCOUNTS = {"18.71": ("petugas.bandarlampung", "supervisor.bandarlampung"),
            "18.06": ("petugas.tanggamus", "supervisor.tanggamus")}


class Laptop:
    def __init__(self, folder: Path, server_url: str, username: str) -> None:
        self.store = open_store(folder)
        self.client = SyncClient(server_url, device_id=self.store.device_id,
                                 device_key=device_key(self.store),
                                 schema=migrate.head_revision())
        answer = self.client.login(username, PASSWORD, device_name=username)
        self.officer = answer.officer
        self.store.set_officer(self.officer.id)
        self.actor = Actor(self.officer.id, self.store.device_id, self.officer.regency_code)

    def save(self, kind: str, data: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        return records.save(self.store, self.actor, kind, data, record_id=record_id).record

    def sync(self) -> SyncSummary:
        return SyncEngine(self.store, self.client).run()

    def rows(self, table: str) -> dict[str, dict[str, Any]]:
        """Every row of a table as stored (raw values), by id."""
        with sqlite3.connect(self.store.db_path) as conn:
            conn.row_factory = sqlite3.Row
            return {r["id"]: dict(r) for r in conn.execute(f'SELECT * FROM "{table}"')}

    def pending(self) -> int:
        with sqlite3.connect(self.store.db_path) as conn:
            return conn.execute("SELECT count(*) FROM change_log WHERE push_state='pending'").fetchone()[0]

    def close(self) -> None:
        self.client.close()
        self.store.close()


def snapshot(laptop: Laptop, regency: str) -> dict[str, dict[str, Any]]:
    """The content of every synced table for one regency, comparable across
    laptops: attribution columns kept, since they sync too."""
    result = {}
    for table in synced_tables():
        rows = laptop.rows(table)
        result[table] = {k: _canonical(v) for k, v in rows.items()
                         if v.get("regency_code", regency) == regency}
    return result


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def sign_in_through(client: SyncClient, username: str, tries: int = 60) -> LoginResponse:
    """Sign in through a link that may cut the request (bounded)."""
    last: Exception | None = None
    for _ in range(tries):
        try:
            return client.login(username, PASSWORD, device_name=username)
        except SyncError as exc:
            last = exc
            time.sleep(0.05)
    raise RuntimeError(f"could not sign in as {username}: {last}")


def regency_factory(store: Any, regency: str, seed: int, today: date = TODAY) -> DemoFactory:
    """Demo records placed only in ``regency`` (an officer's writes elsewhere
    are rejected by the server, rightly)."""
    places = [p for p in _places(store) if p.regency_code == regency]
    return DemoFactory(places, seed=seed, today=today)
