"""The morning: 300 officers' laptops come back into signal at once, 500
changes each, on PostgreSQL, across 1-4 worker processes and two instances.

What is measured is the server side: every device's push requests are made
before timing from real laptop change logs (one real store per regency
officer, filled with ``records.save_batch`` as ``demo.fill`` does, its
change log read back as the engine sends it), given fresh ids per device
(rows, changes, the parents they refer to) so 300 devices push 150,000
distinct changes, cut into 256 KB batches of whole transactions and gzip'd
as the client sends them. Devices and tokens are made in the database
before timing (sign-in is not what a morning waits on). At a start signal
every device sends its batches one after another in its own thread, to one
instance or spread over two (odd devices to the second), each instance
``python -m server run --workers N`` on its own port over one PostgreSQL
database. A 503 (the server's queue is full) is waited out as its
Retry-After says, as the client does. The run is bounded: a fixed number of
requests, each retried at most a few times.

Checked after each run: every change applied exactly once (the server's
``applied_change`` holds each (device, seq) once and all of them).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from argparse import Namespace
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.services.context import Actor
from desktop_app.services.demo import _places
from desktop_app.services.demo_data import DemoFactory
from desktop_app.store import open_store
from server.db import Database
from server.tables import AppliedChange
from tests.support.server_process import ServerProcess

from .common import (
    CACHE, Measure, Section, load_average, percentile, postgres_cpu_seconds, say,
    tree_cpu_seconds,
)
from .push_bodies import (
    device_bodies, fill_surveys, prepare_database, push_device, queued_changes,
)
from .sync_ingest import PostgresUnavailable, postgres_database

NAME = "morning"
DEVICES = 300
CHANGES = 500  # per device: 250 businesses and their 250 surveys
UNIT = 50  # records per unit of work (txn), as demo.fill
SEED = 43
TARGET_SECONDS = 60.0
#: Stands for the officer in the cached change logs; replaced by the real id.
PLACEHOLDER_OFFICER = "00000000-0000-7000-8000-0000000000{:02d}"


@dataclass
class Config:
    workers: int
    instances: int

    @property
    def label(self) -> str:
        return (f"{self.instances} instances × {self.workers} workers" if self.instances > 1
                else f"1 instance × {self.workers} worker{'s' if self.workers > 1 else ''}")


@dataclass
class Run:
    config: Config
    changes: int
    applied: int
    seconds: float
    latencies: list[float]
    busy: int  # 503 answers waited out
    server_cpu: float
    db_cpu: float
    load: str
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.applied / self.seconds


def templates(per_device: int) -> dict[str, list[dict]]:
    """One change log per regency officer (cached): ``per_device`` changes
    of records in that regency, as the laptop's engine would send them."""
    CACHE.mkdir(exist_ok=True)
    cached = CACHE / f"morning-templates-{per_device}-{SEED}.json"
    if cached.exists():
        return json.loads(cached.read_text())  # type: ignore[no-any-return]
    result: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="morning-", dir=CACHE) as folder:
        store0 = open_store(Path(folder) / "probe")
        regencies = sorted({pl.regency_code for pl in _places(store0)})
        store0.close()
        for index, regency in enumerate(regencies):
            store = open_store(Path(folder) / regency)
            officer = PLACEHOLDER_OFFICER.format(index)
            store.set_officer(officer)
            actor = Actor(officer, store.device_id, regency)
            places = [pl for pl in _places(store) if pl.regency_code == regency]
            factory = DemoFactory(places, seed=SEED + index, today=date(2026, 11, 23))
            fill_surveys(store, actor, factory, per_device // 2, UNIT)
            result[regency] = queued_changes(store)
            store.close()
    cached.write_text(json.dumps(result))
    return result


def measure(config: Config, template_db: str, plans: list[tuple[str, str, list[bytes]]],
            folder: Path) -> Run:
    with postgres_database(template=template_db) as url:
        database = url.rsplit("/", 1)[1]
        devices = prepare_database(url, [plan[0] for plan in plans])
        work = [(devices[i][1], plans[i][2](devices[i][0], devices[i][2])) for i in range(len(plans))]
        servers = [ServerProcess(url, folder / f"{config.label}-{n}.log",
                                 workers=config.workers).start(initialised=True)
                   for n in range(config.instances)]
        try:
            latencies: list[float] = []
            busy: list[int] = []
            errors: list[str] = []
            changes = sum(len(plans[i][1]) for i in range(len(plans)))
            cpu0 = sum(tree_cpu_seconds(s.process.pid) for s in servers if s.process)
            db0 = postgres_cpu_seconds(database)
            start = threading.Barrier(len(work) + 1)

            def one(i: int) -> None:
                token, bodies = work[i]
                start.wait()
                push_device(servers[i % len(servers)].url, token, bodies, latencies, busy,
                            errors)

            threads = [threading.Thread(target=one, args=(i,)) for i in range(len(work))]
            for thread in threads:
                thread.start()
            say(f"{config.label}: {len(work)} devices push {changes:,} changes at once")
            start.wait()
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - began
            server_cpu = sum(tree_cpu_seconds(s.process.pid) for s in servers if s.process) - cpu0
            db_cpu = postgres_cpu_seconds(database) - db0
            load = load_average()
        finally:
            for server in servers:
                server.stop()
        applied, distinct = applied_exactly_once(url, [d[0] for d in devices])
        if distinct != applied:
            errors.append(f"{applied - distinct} changes applied twice")
        say(f"{config.label}: {applied:,} applied in {seconds:.1f} s ({applied / seconds:,.0f}/s),"
            f" load {load}")
        return Run(config, changes, applied, seconds, latencies, len(busy), server_cpu, db_cpu,
                   load, errors)


def applied_exactly_once(url: str, device_ids: list[str]) -> tuple[int, int]:
    database = Database(url)
    try:
        with database.session() as session:
            mine = AppliedChange.device_id.in_(device_ids)
            total = session.scalar(select(func.count()).select_from(AppliedChange).where(mine))
            pairs = session.scalar(select(func.count()).select_from(
                select(AppliedChange.device_id, AppliedChange.device_seq).where(mine)
                .distinct().subquery()))
            return int(total or 0), int(pairs or 0)
    finally:
        database.dispose()


def configs(options: Namespace) -> list[Config]:
    workers = [int(w) for w in (getattr(options, "workers", None) or "1,2,3,4").split(",")]
    chosen = [Config(w, 1) for w in workers]
    two = min(workers, key=lambda w: abs(w - 2))
    return chosen + [Config(two, 2)]


def run(options: Namespace) -> Section:
    devices = getattr(options, "devices", None) or DEVICES
    per_device = options.records or CHANGES
    runs: list[Run] = []
    skipped: list[str] = []
    say(f"change logs of 15 regency laptops, {per_device} changes each (cached after the first run)")
    logs = templates(per_device)
    regencies = sorted(logs)
    with tempfile.TemporaryDirectory(prefix="morning-", dir=CACHE) as folder:
        try:
            with postgres_database(demo=True) as template_url:
                template_db = template_url.rsplit("/", 1)[1]  # copied per run (no connections)
                plans = []
                for i in range(devices):
                    regency_index = i % len(regencies)
                    log = logs[regencies[regency_index]]
                    placeholder = PLACEHOLDER_OFFICER.format(regency_index)
                    plans.append((regencies[regency_index], log,
                                  lambda device_id, officer_id, log=log, ph=placeholder:
                                  device_bodies(log, device_id, officer_id, ph)))
                for config in configs(options):
                    runs.append(measure(config, template_db, plans, Path(folder)))
        except PostgresUnavailable as exc:
            skipped.append(f"skipped: {exc}")
    figures: list[Measure] = []
    for r in runs:
        label = r.config.label
        figures += [
            Measure(f"{label}: wall time for {r.applied:,} changes", r.seconds, "s",
                    target=TARGET_SECONDS if devices == DEVICES and per_device == CHANGES
                    else None, digits=1),
            Measure(f"{label}: changes applied per second", r.rate, "changes/s", digits=0),
            Measure(f"{label}: push latency p50", statistics.median(r.latencies), "ms", digits=0),
            Measure(f"{label}: push latency p99", percentile(r.latencies, 99), "ms", digits=0),
            Measure(f"{label}: answered 503 busy (waited out)", r.busy, "", digits=0),
            Measure(f"{label}: server CPU per change", 1000 * r.server_cpu / max(1, r.applied),
                    "ms", digits=2),
            Measure(f"{label}: database CPU per change", 1000 * r.db_cpu / max(1, r.applied),
                    "ms", digits=2),
            Measure(f"{label}: changes applied twice or lost", abs(r.changes - r.applied)
                    + sum("twice" in e for e in r.errors), "", target=0, digits=0),
        ]
    notes = skipped + [f"{r.config.label}: load average at the end {r.load}; "
                       + (f"errors: {r.errors[:3]}" if r.errors else "no request failed")
                       for r in runs]
    command = "python -m benchmarks morning" + (
        f" --devices {devices}" if devices != DEVICES else "") + (
        f" --records {per_device}" if per_device != CHANGES else "") + (
        f" --workers {options.workers}" if getattr(options, "workers", None) else "")
    return Section(
        name=NAME,
        title=f"The morning: {devices} devices × {per_device} changes on PostgreSQL",
        command=command,
        setup=(__doc__ or "").split("\n\n", 1)[1].replace("\n", " ").strip(),
        figures=figures,  # type: ignore[arg-type]
        notes=notes,
        full_size=devices == DEVICES and per_device == CHANGES,
    )
