"""Push requests made before timing and sent by a light client.

The server-side benchmarks (``morning``, ``sync-ingest``) measure what the
province's server does with many laptops' pushes. Those laptops are other
machines: their own work (reading the store, JSON, gzip) must not take the
2 cores the server is measured on. So the requests are taken from real
laptop change logs before timing, given fresh ids per device where one log
stands for many devices, cut into 256 KB batches of whole transactions and
gzip'd as the client sends them; a device's thread then only posts bytes.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import uuid

import requests
from sqlalchemy import select

from desktop_app import protocol as p
from desktop_app.models.types import utc_now
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.demo_data import DemoFactory
from desktop_app.store import Store, outbox
from server.auth import TOKEN_LIFETIME, token_digest
from server.db import Database
from server.tables import Device, Officer, Token

BATCH_BYTES = outbox.DEFAULT_BATCH_BYTES
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def fill_surveys(store: Store, actor: Actor, factory: DemoFactory, pairs: int,
                 unit: int = 50) -> None:
    """``pairs`` businesses with an UMKM survey each, saved with
    ``records.save_batch`` in units of ``unit`` records as ``demo.fill`` does."""
    for start in range(0, pairs, unit):
        count = min(unit, pairs - start)
        shops = records.save_batch(store, actor, "business",
                                   [(factory.business(), False) for _ in range(count)])
        records.save_batch(store, actor, "umkm_survey",
                           [(factory.survey(b["id"]), False) for b in shops])


def queued_changes(store: Store) -> list[dict]:
    """Every change the laptop has queued, as the engine sends it (and the
    laptop's device id under ``device``)."""
    return [{"seq": o.seq, "change_id": o.change_id, "txn": o.txn, "table": o.table,
             "row_id": o.row_id, "op": o.op, "fields": o.fields, "hlc": o.hlc,
             "officer_id": o.officer_id, "base_seq": o.base_seq, "device": store.device_id}
            for o in outbox.next_batch(store, max_bytes=1 << 40)]


def device_bodies(template: list[dict], device_id: str, officer_id: str,
                  officer_placeholder: str) -> list[bytes]:
    """The template's changes as one device's gzip'd push bodies: every
    uuid made fresh for this device (one mapping, so references follow),
    the template laptop's id replaced by this device's, the officer by the
    real officer; cut at ~256 KB of JSON, whole transactions only."""
    source_device = template[0]["device"]
    fixed = {source_device: device_id, officer_placeholder: officer_id}
    mapping: dict[str, str] = {}

    def fresh(match: re.Match[str]) -> str:
        old = match.group(0)
        if old in fixed:
            return fixed[old]
        if old not in mapping:
            mapping[old] = str(uuid.uuid4())
        return mapping[old]

    bodies, batch, size, txn = [], [], 0, None
    for change in template:
        text = UUID.sub(fresh, json.dumps({k: v for k, v in change.items() if k != "device"},
                                          separators=(",", ":")))
        if batch and size + len(text) > BATCH_BYTES and change["txn"] != txn:
            bodies.append(gzip_body(device_id, batch))
            batch, size = [], 0
        batch.append(text)
        size += len(text)
        txn = change["txn"]
    if batch:
        bodies.append(gzip_body(device_id, batch))
    return bodies


def gzip_body(device_id: str, changes: list[str]) -> bytes:
    raw = '{"device_id":"%s","changes":[%s]}' % (device_id, ",".join(changes))
    return gzip.compress(raw.encode(), compresslevel=6)


def prepare_database(url: str, regencies: list[str]) -> list[tuple[str, str, str, str]]:
    """A device and token per entry, for that regency's officer, made
    directly; (device id, token, officer id, regency) each."""
    database = Database(url)
    made = []
    try:
        with database.session() as session:
            officers = dict(session.execute(
                select(Officer.regency_code, Officer.id).where(Officer.role == "officer")
                .order_by(Officer.username.desc())).all())
            for i, regency in enumerate(regencies):
                officer_id = officers[regency]
                device_id, token = str(uuid.uuid4()), f"morning-{uuid.uuid4().hex}"
                session.add(Device(id=device_id, name=f"morning-{i}", registered_by=officer_id))
                session.flush()
                session.add(Token(token_hash=token_digest(token), officer_id=officer_id,
                                  device_id=device_id, expires_at=utc_now() + TOKEN_LIFETIME))
                made.append((device_id, token, officer_id, regency))
    finally:
        database.dispose()
    return made


def push_device(url: str, token: str, bodies: list[bytes], latencies: list[float],
                busy: list[int], errors: list[str]) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Content-Encoding": "gzip", "X-Tapis-Protocol": str(p.PROTOCOL_VERSION),
               "X-Tapis-Schema": "bench"}
    with requests.Session() as session:
        for body in bodies:
            for _attempt in range(20):  # bounded
                began = time.perf_counter()
                try:
                    answer = session.post(url + p.API_PREFIX + "/push", data=body,
                                          headers=headers, timeout=(10, 300))
                except requests.RequestException as exc:
                    errors.append(type(exc).__name__)
                    time.sleep(1)
                    continue
                latencies.append((time.perf_counter() - began) * 1000)
                if answer.status_code == 503:
                    busy.append(1)
                    time.sleep(float(answer.headers.get("Retry-After", "1")))
                    continue
                if answer.status_code != 200:
                    errors.append(f"{answer.status_code} {answer.text[:200]}")
                elif answer.json().get("rejected"):
                    errors.append(f"rejected: {answer.json()['rejected'][0]}")
                break
            else:
                errors.append("gave up after 20 attempts")


