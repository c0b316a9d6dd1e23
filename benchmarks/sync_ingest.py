"""The server under a crowd: 50 devices pushing at once on loopback.

Each simulated device is a real laptop store of its own (``open_store``,
its own ``device_id``), signed in with that device id as one of the regency
officers, holding 200 businesses and 200 UMKM surveys of its regency (400
change-log entries, in units of work of 50 records as ``demo.fill`` makes
them). The stores are filled in an untimed setup phase. Then every device
pushes its whole queue with the real :class:`SyncEngine` at the same moment
(one thread each, started together by a barrier) to a sync server running in
its own process (``python -m server run``), over a perfect link. The
server does all the real work: validation, scope checks, field versions,
merge, ``(device, seq)`` bookkeeping. The run is bounded: a fixed number of
changes, and it ends when every queue is empty.

Figures per database: changes applied per second (all applied changes ÷
wall time from the start signal to the last device finishing), and the
latency of each push request as one device sees it (p50, p99).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import uuid
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.demo import _places
from desktop_app.services.demo_data import DemoFactory
from desktop_app.store import Store, migrate, open_store, outbox
from desktop_app import protocol as p
from desktop_app.sync.client import TIMEOUT, SyncClient
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import SyncEngine
from server.db import Database
from server.setup import DEMO_PASSWORD, init
from server.tables import AppliedChange, Officer
from tests.support.server_process import server_process

from .common import CACHE, Measure, Section, percentile, say

NAME = "sync-ingest"
DEVICES = 50
DEFAULT_RECORDS = 200  # surveys per device (each with its business: 400 changes)
UNIT = 50  # records per unit of work, as demo.fill
SEED = 31
PG_HOST = "postgresql://postgres@127.0.0.1:5432"


@dataclass
class Device:
    store: Store
    client: SyncClient
    latencies: list[float] = field(default_factory=list)  # ms per push request
    applied: int = 0
    duplicates: int = 0  # settled by an earlier attempt of the same request (timed out, resent)
    error: BaseException | None = None


@dataclass
class Result:
    backend: str
    devices: int
    changes: int
    applied: int
    seconds: float
    latencies: list[float]
    resent: int  # changes the server answered as already applied: a timed-out request resent

    @property
    def rate(self) -> float:
        return self.applied / self.seconds


def run(options: Namespace) -> Section:
    per_device = options.records or DEFAULT_RECORDS
    CACHE.mkdir(exist_ok=True)
    results: list[Result] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sync-ingest-", dir=CACHE) as folder:
        work = Path(folder)
        results.append(measure("SQLite", f"sqlite:///{work / 'server.sqlite3'}",
                               work / "sqlite", per_device))
        try:
            with postgres_database() as url:
                results.append(measure("PostgreSQL", url, work / "postgres", per_device))
        except PostgresUnavailable as exc:
            skipped.append(f"PostgreSQL skipped: {exc}")
            say(skipped[-1])
    figures: list[Measure] = []
    for r in results:
        figures += [
            Measure(f"{r.backend}: changes applied per second", r.rate, "changes/s", digits=0),
            Measure(f"{r.backend}: wall time for {r.applied:,} changes", r.seconds, "s",
                    digits=1),
            Measure(f"{r.backend}: push requests", len(r.latencies), "", digits=0),
            Measure(f"{r.backend}: push request latency p50", statistics.median(r.latencies),
                    "ms", digits=0),
            Measure(f"{r.backend}: push request latency p99", percentile(r.latencies, 99),
                    "ms", digits=0),
            Measure(f"{r.backend}: changes resent after a client timeout", r.resent, "",
                    digits=0),
        ]
    command = "python -m benchmarks sync-ingest" + (
        f" --records {per_device}" if per_device != DEFAULT_RECORDS else "")
    return Section(
        name=NAME,
        title=f"Sync ingest: {DEVICES} devices pushing at once",
        command=command,
        setup=(
            f"{DEVICES} simulated devices, each a laptop store of its own with its own "
            f"`device_id`, signed in (with that device id) as one of the 15 regency officers "
            f"(`petugas.*`, devices spread over them in turn). Each holds {per_device} "
            f"businesses and {per_device} UMKM surveys of its officer's regency "
            f"(`DemoFactory`, survey drafts, saved with `records.save_batch` in units of "
            f"{UNIT} records as `demo.fill` does): {2 * per_device} change-log entries (inserts)"
            f", {DEVICES * 2 * per_device:,} in all; filled before timing. At a start "
            "signal every device pushes its queue with `SyncEngine.push_all` (default "
            f"{outbox.DEFAULT_BATCH_BYTES // 1024} KB batches, gzip), one thread per device, "
            "to the sync server in its own process (`python -m server run`, one uvicorn "
            "worker) on loopback with no link emulation. Changes per second = changes the "
            "server applied ÷ wall time from the start signal to the last device done; "
            "latency = one push request as the device sees it (gzip, HTTP, server work, "
            "answer). PostgreSQL: a fresh database on 127.0.0.1:5432, dropped afterwards; "
            "SQLite: a fresh file (WAL)."),
        figures=figures,  # type: ignore[arg-type]
        notes=skipped + notes(results) + FINDINGS,
        full_size=per_device == DEFAULT_RECORDS,
    )


def notes(results: list[Result]) -> list[str]:
    return [f"{r.backend}: {r.applied:,} of {r.changes:,} changes applied (counted in the "
            f"server's `applied_change`) in {len(r.latencies)} push requests; latency min "
            f"{min(r.latencies):.0f} ms, max {max(r.latencies):.0f} ms; "
            + (f"{r.resent:,} changes came back as duplicates: their request outlived the "
               f"client's {TIMEOUT[1]:g} s read timeout and was resent (latency counts both "
               "attempts)." if r.resent else "no request timed out.") for r in results]


#: Findings behind the figures, kept with them in the document.
FINDINGS: list[str] = [
    "The server is the bottleneck: its one process sat at 100 % of a core (GIL-bound "
    "Python) while clients and database had spare time. Per change, `server/ingest.py` "
    "`_Merge._record` does one `session.merge(FieldVersion)` per field (~38 for a survey "
    "insert, ~25 for a business): a SELECT by primary key, an autoflush and an INSERT each. "
    "In a cProfile of a 400-change push that was 6.3 of 8.3 s; writing an insert's field "
    "versions with one executemany `insert(FieldVersion)` took a single device's push from "
    "10.5 to 1.8 ms per change on SQLite (probe, not applied: server code). On PostgreSQL "
    "each of those statements is also a round trip to the database, hence the lower rate.",
    "Latency is close to the whole run for most requests: all 50 pushes enter the server "
    "at once, run interleaved in its thread pool (40 threads) under one GIL, so each takes "
    "nearly as long as all of them together. A small limit on concurrent applies (a "
    "semaphore of 2-4) would keep throughput and let early requests finish early; more "
    "uvicorn workers would help PostgreSQL (SQLite serialises writers anyway).",
    "The run shared this 2-core machine with other jobs (test suites, a PyInstaller "
    "build); the rates are indicative, not a capacity figure.",
]


class PostgresUnavailable(Exception):
    pass


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, initialised PostgreSQL database, dropped afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(f"{PG_HOST}/postgres", autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: skip
        raise PostgresUnavailable(f"no PostgreSQL on 127.0.0.1:5432 ({type(exc).__name__})") from None
    name = f"tapis_bench_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(f"{PG_HOST}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(backend: str, db_url: str, folder: Path, per_device: int) -> Result:
    init(db_url, demo=True)
    officers = regency_officers(db_url)
    with server_process(db_url, log=folder.parent / f"{backend}-server.log") as url:
        say(f"{backend}: setting up {DEVICES} devices with {2 * per_device} changes each "
            "(not timed)")
        devices = [device(folder / f"device-{i:02}", url, officers[i % len(officers)],
                          per_device, seed=SEED + i) for i in range(DEVICES)]
        try:
            changes = sum(outbox.counts(d.store).pending for d in devices)
            say(f"{backend}: {DEVICES} devices push {changes:,} changes at once")
            seconds = push_all_at_once(devices)
            failed = [d.error for d in devices if d.error is not None]
            if failed:
                raise RuntimeError(f"{len(failed)} device(s) failed, first: {failed[0]!r}")
            left = sum(outbox.counts(d.store).pending for d in devices)
            if left:
                raise RuntimeError(f"{left} changes still pending after the push")
            # Counted at the server: a push that outlives the client's read
            # timeout is resent by urllib3 and answered as duplicates, though the
            # first attempt applied it.
            applied = applied_at_server(db_url, [d.client.device_id for d in devices])
            resent = sum(d.duplicates for d in devices)
            latencies = [ms for d in devices for ms in d.latencies]
            say(f"{backend}: {applied:,} applied in {seconds:.1f} s "
                f"({applied / seconds:,.0f} changes/s)")
            return Result(backend, DEVICES, changes, applied, seconds, latencies, resent)
        finally:
            for d in devices:
                d.client.close()
                d.store.close()


def applied_at_server(db_url: str, device_ids: list[str]) -> int:
    database = Database(db_url)
    try:
        with database.session() as session:
            return int(session.scalar(select(func.count()).select_from(AppliedChange).where(
                AppliedChange.device_id.in_(device_ids))) or 0)
    finally:
        database.dispose()


def regency_officers(db_url: str) -> list[tuple[str, str]]:
    """(username, regency) of every regency officer of the demo accounts."""
    database = Database(db_url)
    try:
        with database.session() as session:
            return [(u, r) for u, r in session.execute(
                select(Officer.username, Officer.regency_code)
                .where(Officer.role == "officer").order_by(Officer.username)).all()]
    finally:
        database.dispose()


def device(folder: Path, url: str, officer: tuple[str, str], per_device: int,
           seed: int) -> Device:
    """A laptop store signed in as ``officer``, its queue filled."""
    username, regency = officer
    store = open_store(folder)
    client = SyncClient(url, device_id=store.device_id,
                        schema=migrate.head_revision(), device_key=device_key(store))
    signed_in = client.login(username, DEMO_PASSWORD, device_name=folder.name).officer
    store.set_officer(signed_in.id)
    actor = Actor(signed_in.id, store.device_id, signed_in.regency_code)
    places = [place for place in _places(store) if place.regency_code == regency]
    factory = DemoFactory(places, seed=seed, today=date.today())
    for start in range(0, per_device, UNIT):
        count = min(UNIT, per_device - start)
        businesses = records.save_batch(store, actor, "business",
                                        [(factory.business(), False) for _ in range(count)])
        records.save_batch(store, actor, "umkm_survey",
                           [(factory.survey(b["id"]), False) for b in businesses])
    return Device(store, client)


def push_all_at_once(devices: list[Device]) -> float:
    """Every device pushes its queue in its own thread; seconds from the
    start signal until the last one is done."""
    start = threading.Barrier(len(devices) + 1)

    def push(d: Device) -> None:
        timed = d.client.push

        def push_timed(request: p.PushRequest) -> p.PushResponse:
            began = time.perf_counter()
            try:
                return timed(request)
            finally:
                d.latencies.append((time.perf_counter() - began) * 1000)

        d.client.push = push_timed  # type: ignore[method-assign]
        try:
            start.wait()
            engine = SyncEngine(d.store, d.client)
            engine.push_all()
            d.applied = engine.summary.pushed
            d.duplicates = engine.summary.duplicates
            if engine.summary.parked:
                raise RuntimeError(f"parked: {engine.summary.parked[:2]}")
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            d.error = exc

    threads = [threading.Thread(target=push, args=(d,), name=f"device-{i}")
               for i, d in enumerate(devices)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began
