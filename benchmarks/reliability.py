"""Reliability: a soak of many devices through cutting links, SIGKILLs of a
syncing laptop, bad input, and the NIK-free logs — with the books balanced.

``python -m benchmarks reliability`` (or ``python -m benchmarks.reliability
[--devices N] [--minutes M]``; ``TAPIS_RELIABILITY_MINUTES`` /
``TAPIS_RELIABILITY_DEVICES`` do the same through ``python -m benchmarks``)
runs, against one sync server in its own process (SQLite):

1. **Soak**: N simulated devices (default 20) in two regencies, each a real
   store and the real :class:`SyncEngine` behind its own link emulator (random
   byte-count cuts, periodic 'flaky' drops, blank spots where the link goes
   offline), making and editing records for M minutes (default 10): new
   businesses and surveys, edits of their own and of each other's businesses,
   finalising and deleting drafts, and edits of cooperatives shared by every
   officer of the regency (descriptive fields, and now and then an audit field
   so a supervisor's conflict is raised too). The server's RSS is sampled
   every few seconds. At the end links heal, every device syncs to the end,
   and the books are checked: per device, every change it logged is applied
   at the server exactly once (lost = logged but not applied, duplicated =
   applied rows minus distinct change ids), and every device's rows of its
   regency equal the server's.
2. **Kills**: a laptop process that saves and syncs in a loop is SIGKILLed at
   random points, aimed at saves, pushes in flight, push acknowledgements and
   pull pages being applied (:func:`crash_campaign`, also run by
   tests/reliability/test_reliability_crash_sync.py).
3. **Bad input**: a bounded loop of malformed, oversized and hostile requests;
   none may get a 5xx.
4. **Logs**: every log file (each device's ``logs/tapis.log*``, with SQL
   statements and their parameters logged, and the server's stderr) grepped
   for every NIK in the data.

It writes docs/RELIABILITY.md (whole) and returns the 'reliability' section
of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import queue
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "RELIABILITY.md"
NAME = "reliability"
DEFAULT_DEVICES = 20
DEFAULT_MINUTES = 10.0
TODAY = date(2026, 11, 23)
PASSWORD = "tapis-demo-2026"
#: Two regencies with an officer and a supervisor account each (server/setup.py).
ACCOUNTS = {"18.71": ("petugas.bandarlampung", "supervisor.bandarlampung"),
            "18.06": ("petugas.tanggamus", "supervisor.tanggamus")}
SHARED_COOPERATIVES = 6  # per regency, edited by every device of the regency
NIK_COLUMNS = {"business": ("owner_nik",), "aid_applicant": ("nik",)}


# --- the server, in its own process ------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process in KiB (psutil if installed, else /proc)."""
    try:
        import psutil  # type: ignore[import-not-found]

        return int(psutil.Process(pid).memory_info().rss // 1024)
    except ImportError:
        pass
    except Exception:  # noqa: BLE001 - the process is gone
        return None
    try:
        match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None
    return int(match.group(1)) if match else None


@dataclass
class ServerProcess:
    """``python -m server run`` over a SQLite file (initialised here), its
    stderr in ``log``, its RSS sampled every ``sample_every`` seconds."""

    db_path: Path
    log: Path
    sample_every: float = 2.0
    process: subprocess.Popen[bytes] | None = None
    url: str = ""
    port: int = 0
    rss: list[tuple[float, int]] = field(default_factory=list)

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def start(self, *, initialised: bool = False) -> ServerProcess:
        if not initialised:
            from server.setup import init

            init(self.db_url, demo=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._out = open(self.log, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "run", "--db", self.db_url, "--port", str(self.port)],
            cwd=ROOT, stdout=self._out, stderr=self._out)
        from .common import wait_until_healthy

        wait_until_healthy(self.url, self.process)
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._sampler = threading.Thread(target=self._sample, name="rss-sampler", daemon=True)
        self._sampler.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            value = rss_kib(self.process.pid) if self.process else None  # type: ignore[union-attr]
            if value is not None:
                self.rss.append((time.monotonic() - self._t0, value))
            self._stop.wait(self.sample_every)

    def stop(self) -> None:
        if self.process is None:
            return
        self._stop.set()
        self._sampler.join(timeout=5)
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()
        self.process = None

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@dataclass
class Memory:
    start_mib: float
    peak_mib: float
    end_mib: float
    slope_mib_per_min: float  # least squares over the last half of the samples
    samples: int


def memory_of(samples: list[tuple[float, int]]) -> Memory:
    if not samples:
        return Memory(0, 0, 0, 0, 0)
    mib = [(t, k / 1024) for t, k in samples]
    half = mib[len(mib) // 2:]
    slope = 0.0
    if len(half) >= 3:
        mean_t = sum(t for t, _ in half) / len(half)
        mean_v = sum(v for _, v in half) / len(half)
        var = sum((t - mean_t) ** 2 for t, _ in half)
        if var > 0:
            slope = sum((t - mean_t) * (v - mean_v) for t, v in half) / var * 60
    return Memory(mib[0][1], max(v for _, v in mib), mib[-1][1], slope, len(mib))


# --- shared helpers ----------------------------------------------------------------------


def regency_factory(store: Any, regency: str, seed: int) -> Any:
    """Demo records placed only in ``regency`` (an officer's writes elsewhere
    are rejected by the server, rightly)."""
    from desktop_app.services.demo import _places
    from desktop_app.services.demo_data import DemoFactory

    places = [p for p in _places(store) if p.regency_code == regency]
    return DemoFactory(places, seed=seed, today=TODAY)


def sign_in(client: Any, username: str, tries: int = 60) -> Any:
    """Sign in through a link that may cut the request (bounded)."""
    from desktop_app.sync.client import SyncError

    last: Exception | None = None
    for _ in range(tries):
        try:
            return client.login(username, PASSWORD, device_name=username)
        except SyncError as exc:
            last = exc
            time.sleep(0.05)
    raise RuntimeError(f"could not sign in as {username}: {last}")


def server_rows(db_url: str, table: str, regency: str | None) -> dict[str, dict[str, Any]]:
    """A table's rows as the server holds them, in wire form (what a laptop stores)."""
    from sqlalchemy import select

    from desktop_app.models import Base
    from desktop_app.protocol.wire import to_wire
    from server.db import Database

    t = Base.metadata.tables[table]
    database = Database(db_url)
    try:
        with database.session() as session:
            query = select(t) if regency is None else select(t).where(t.c.regency_code == regency)
            return {r["id"]: to_wire(t, dict(r)) for r in session.execute(query).mappings()}
    finally:
        database.dispose()


def laptop_rows(db_path: Path, table: str, regency: str | None) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["id"]: dict(r) for r in conn.execute(f'SELECT * FROM "{table}"')}
    conn.close()
    return {k: v for k, v in rows.items() if regency is None or v.get("regency_code") == regency}


def regional_tables() -> list[str]:
    from desktop_app.models import Base, synced_tables

    return [t for t in synced_tables() if "regency_code" in Base.metadata.tables[t].c]


def differences(db_path: Path, db_url: str, regency: str) -> list[str]:
    """Where a laptop's rows of ``regency`` differ from the server's (empty: converged)."""
    found = []
    for table in regional_tables():
        server, laptop = server_rows(db_url, table, regency), laptop_rows(db_path, table, regency)
        if set(server) != set(laptop):
            found.append(f"{table}: {len(set(server) - set(laptop))} rows only on the server, "
                         f"{len(set(laptop) - set(server))} only on the laptop")
            continue
        for row_id, row in laptop.items():
            bad = sorted(f for f, v in row.items() if server[row_id].get(f) != v)
            if bad:
                found.append(f"{table} {row_id}: {', '.join(bad)}")
    return found


@dataclass
class Books:
    """One device's changes against the server's applied-change log."""

    recorded: int = 0
    applied: int = 0
    distinct: int = 0
    lost: int = 0
    duplicated: int = 0
    foreign: int = 0  # applied under this device's id but never logged by it
    pending: int = 0
    parked: int = 0


def books(db_path: Path, server_db: Path) -> Books:
    with sqlite3.connect(db_path) as conn:
        device = conn.execute("SELECT device_id FROM local_state WHERE id = 1").fetchone()[0]
        local = dict(conn.execute("SELECT change_id, push_state FROM change_log").fetchall())
    conn.close()
    with sqlite3.connect(server_db) as conn:
        applied = [r[0] for r in conn.execute(
            "SELECT change_id FROM applied_change WHERE device_id = ?", (device,))]
        seqs = [r[0] for r in conn.execute(
            "SELECT device_seq FROM applied_change WHERE device_id = ?", (device,))]
    conn.close()
    distinct = set(applied)
    states = Counter(local.values())
    return Books(recorded=len(local), applied=len(applied), distinct=len(distinct),
                 lost=len(set(local) - distinct),
                 duplicated=max(len(applied) - len(distinct), len(seqs) - len(set(seqs))),
                 foreign=len(distinct - set(local)), pending=states.get("pending", 0),
                 parked=states.get("parked", 0))


def niks_in(db_path: Path) -> set[str]:
    found: set[str] = set()
    with sqlite3.connect(db_path) as conn:
        for table, columns in NIK_COLUMNS.items():
            for column in columns:
                found |= {r[0] for r in conn.execute(f'SELECT "{column}" FROM "{table}"') if r[0]}
    conn.close()
    return found


def niks_in_logs(niks: set[str], files: list[Path]) -> dict[str, int]:
    """How many times any of ``niks`` appears in each file (only files with hits)."""
    hits: dict[str, int] = {}
    digits = re.compile(r"\d{16}")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        count = sum(1 for m in digits.finditer(text) if m.group(0) in niks)
        count += sum(text.count(n) for n in niks if len(n) != 16)
        if count:
            hits[str(path)] = count
    return hits


def log_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and (
        ".log" in p.name or p.name.endswith(".err")))


class DeviceLog:
    """A device's own rotating log (as desktop_app.logs.configure makes it,
    NIK filter included) that takes only records from that device's thread,
    so simulated devices sharing a process still each get their file."""

    def __init__(self, data_dir: Path) -> None:
        from desktop_app.logs import BACKUPS, FORMAT, LOG_FILE, MAX_BYTES, RedactNik, log_dir

        folder = log_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        self.handler = RotatingFileHandler(folder / LOG_FILE, maxBytes=MAX_BYTES,
                                           backupCount=BACKUPS, encoding="utf-8")
        self.handler.setFormatter(logging.Formatter(FORMAT))
        self.thread: int | None = None
        # The thread filter runs first: redaction rewrites the record in place.
        self.handler.addFilter(lambda record: record.thread == self.thread)
        self.handler.addFilter(RedactNik())
        logging.getLogger().addHandler(self.handler)

    def close(self) -> None:
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()


@contextmanager
def verbose_logging() -> Iterator[None]:
    """Log SQL statements with their parameters (NIKs included) and every
    HTTP request: the worst case for the NIK filter."""
    root, sql = logging.getLogger(), logging.getLogger("sqlalchemy.engine")
    old = (root.level, sql.level)
    root.setLevel(logging.DEBUG)
    sql.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.setLevel(old[0])
        sql.setLevel(old[1])


# --- the soak ----------------------------------------------------------------------------


@dataclass
class SoakConfig:
    devices: int = DEFAULT_DEVICES
    seconds: float = DEFAULT_MINUTES * 60
    seed: int = 20261123
    think: tuple[float, float] = (0.5, 2.5)  # seconds between an officer's actions
    sync_every: tuple[float, float] = (4.0, 12.0)  # seconds between sync attempts
    rtt_ms: float = 200.0
    bps: int | None = 512_000
    blank_spots: bool = True  # links go offline now and then
    blank_every: float = 4.0  # seconds between blank spots (across all devices)
    blank_for: tuple[float, float] = (1.0, 8.0)
    log_sql: bool = True
    max_steps: int = 100_000  # per device: every loop bounded


@dataclass
class SoakResult:
    devices: int = 0
    seconds: float = 0.0
    created: Counter[str] = field(default_factory=Counter)
    edited: Counter[str] = field(default_factory=Counter)
    actions_refused: int = 0
    syncs: int = 0
    syncs_cut: int = 0
    changes_pushed: int = 0
    duplicates_resent: int = 0
    conflicts: int = 0
    conflicts_open: int = 0
    conflicts_auto: int = 0
    cuts_by_bytes: int = 0
    drops: int = 0
    blank_spots: int = 0
    cuts_offline: int = 0
    cut_requests: int = 0
    settle_rounds: int = 0
    books: dict[str, Books] = field(default_factory=dict)
    differences: dict[str, list[str]] = field(default_factory=dict)
    nik_count: int = 0
    log_files: int = 0
    log_bytes: int = 0
    nik_hits: dict[str, int] = field(default_factory=dict)
    memory: Memory | None = None
    server_changes: int = 0

    @property
    def recorded(self) -> int:
        return sum(b.recorded for b in self.books.values())

    @property
    def lost(self) -> int:
        return sum(b.lost for b in self.books.values())

    @property
    def duplicated(self) -> int:
        return sum(b.duplicated for b in self.books.values())

    @property
    def parked(self) -> int:
        return sum(b.parked for b in self.books.values())

    @property
    def converged(self) -> bool:
        return not any(self.differences.values())

    @property
    def cuts(self) -> int:
        return self.cuts_by_bytes + self.drops + self.cuts_offline


class SoakDevice:
    """One officer's laptop in the soak: a store, a link, the sync engine."""

    def __init__(self, n: int, folder: Path, server_port: int, regency: str, username: str,
                 config: SoakConfig, rng: random.Random) -> None:
        from benchmarks.linkemu import CutPolicy, LinkEmulator, LinkProfile
        from desktop_app.services.context import Actor
        from desktop_app.store import migrate, open_store
        from desktop_app.sync.client import SyncClient, make_retry

        self.n, self.folder, self.regency, self.username = n, folder, regency, username
        self.rng = random.Random(rng.randrange(1 << 30))
        self.store = open_store(folder)
        self.log = DeviceLog(folder)
        flaky = n % 2 == 0
        profile = LinkProfile.symmetric(
            "flaky" if flaky else "cutting", config.bps, config.rtt_ms,
            drop_every_s=self.rng.uniform(8.0, 20.0) if flaky else None)
        policy = CutPolicy.random(3_000, 60_000) if not flaky else CutPolicy.random(20_000, 200_000)
        self.link = LinkEmulator(("127.0.0.1", server_port), profile, cut_policy=policy,
                                 seed=self.rng.randrange(1 << 30)).start()
        self.client = SyncClient(f"http://127.0.0.1:{self.link.port}", device_id=self.store.device_id,
                                 schema=migrate.head_revision(),
                                 retry=make_retry(total=2, backoff=0.05, cap=0.5),
                                 timeout=(3.0, 15.0))
        officer = sign_in(self.client, username).officer
        self.store.set_officer(officer.id)
        self.actor = Actor(officer.id, self.store.device_id, regency)
        self.factory = regency_factory(self.store, regency, self.rng.randrange(1 << 30))
        self.result = SoakResult()
        self.blank_spots = 0

    # -- what an officer does ----------------------------------------------------------

    def step(self) -> None:
        from desktop_app.services.errors import InvalidState, NotFound, ReadOnly, ValidationFailed

        roll = self.rng.random()
        try:
            if roll < 0.30:
                self._new_business()
            elif roll < 0.45:
                self._edit_business()
            elif roll < 0.70:
                self._edit_cooperative(audit=self.rng.random() < 0.12)
            elif roll < 0.82:
                self._finalise_draft()
            elif roll < 0.88:
                self._delete_draft()
            else:
                self._new_business(survey=False)
        except (ValidationFailed, ReadOnly, NotFound, InvalidState):
            self.result.actions_refused += 1

    def _new_business(self, survey: bool = True) -> None:
        from desktop_app.services import records

        shop = records.save(self.store, self.actor, "business", self.factory.business(),
                            today=TODAY).record
        self.result.created["business"] += 1
        if survey:
            records.save(self.store, self.actor, "umkm_survey", self.factory.survey(shop["id"]),
                         today=TODAY)
            self.result.created["umkm_survey"] += 1

    def _pick(self, sql: str, *params: object) -> str | None:
        with sqlite3.connect(self.store.db_path) as conn:
            ids = [r[0] for r in conn.execute(sql, params)]
        conn.close()
        return self.rng.choice(ids) if ids else None

    def _edit_business(self) -> None:
        from desktop_app.services import records

        row_id = self._pick("SELECT id FROM business WHERE regency_code = ? AND deleted_at IS NULL",
                            self.regency)
        if row_id is None:
            return
        data = self.rng.choice([
            {"name": f"{self.rng.choice(('Keripik', 'Kopi', 'Warung', 'Toko'))} "
                     f"{self.rng.choice(('Ani', 'Budi', 'Sari', 'Made', 'Wayan'))} {self.n}"},
            {"phone": f"08{self.rng.randrange(10**9, 10**10)}"},
            {"address": f"Jl. Raden Intan {self.rng.randrange(1, 300)}"},
        ])
        records.save(self.store, self.actor, "business", data, record_id=row_id, today=TODAY)
        self.result.edited["business"] += 1

    def _edit_cooperative(self, *, audit: bool) -> None:
        from desktop_app.services import records

        row_id = self._pick("SELECT id FROM cooperative WHERE regency_code = ? AND deleted_at IS NULL",
                            self.regency)
        if row_id is None:
            return
        if audit:
            data: dict[str, Any] = {"members_male": self.rng.randrange(10, 400)}
        else:
            data = self.rng.choice([
                {"chair_name": f"{self.rng.choice(('Suparman', 'Siti Aminah', 'Wayan'))} "
                               f"{self.rng.choice(('Saputra', 'Hidayat', 'Rahayu'))}"},
                {"village": self.rng.choice(("Sukarame", "Way Halim", "Rajabasa", "Pagar Dewa"))},
                {"address": f"Jl. Koperasi {self.rng.randrange(1, 99)} (perangkat {self.n})"},
            ])
        records.save(self.store, self.actor, "cooperative", data, record_id=row_id, today=TODAY)
        self.result.edited["cooperative"] += 1

    def _own_draft(self) -> str | None:
        return self._pick("SELECT id FROM umkm_survey WHERE device_id = ? AND status = 'draft' "
                          "AND deleted_at IS NULL", self.store.device_id)

    def _finalise_draft(self) -> None:
        from desktop_app.services import records

        row_id = self._own_draft()
        if row_id is not None:
            records.finalise(self.store, self.actor, "umkm_survey", row_id, today=TODAY)
            self.result.edited["umkm_survey finalised"] += 1

    def _delete_draft(self) -> None:
        from desktop_app.services import records

        row_id = self._own_draft()
        if row_id is not None:
            records.delete(self.store, self.actor, "umkm_survey", row_id)
            self.result.edited["umkm_survey deleted"] += 1

    # -- sync ------------------------------------------------------------------------------

    def sync(self) -> Any:
        from desktop_app.sync.client import SyncError
        from desktop_app.sync.engine import SyncEngine

        self.result.syncs += 1
        try:
            summary = SyncEngine(self.store, self.client, batch_bytes=64 * 1024).run()
        except SyncError:
            self.result.syncs_cut += 1
            return None
        self.result.changes_pushed += summary.pushed
        self.result.duplicates_resent += summary.duplicates
        self.result.conflicts += summary.conflicts
        self.result.cut_requests += summary.cut_requests
        return summary

    def heal(self) -> None:
        from benchmarks.linkemu import CutPolicy

        self.link.set_cut_policy(CutPolicy.none())
        self.link.set_profile("perfect")
        self.link.go_online()

    def close(self) -> None:
        self.client.close()
        self.link.stop()
        self.store.close()
        self.log.close()


def seed_cooperatives(server_url: str, folder: Path, regency: str, count: int, seed: int) -> None:
    """The cooperatives every officer of the regency will edit, made and
    pushed by the regency's supervisor before the soak."""
    from desktop_app.services import records
    from desktop_app.services.context import Actor
    from desktop_app.store import migrate, open_store
    from desktop_app.sync.client import SyncClient
    from desktop_app.sync.engine import SyncEngine

    store = open_store(folder)
    client = SyncClient(server_url, device_id=store.device_id, schema=migrate.head_revision())
    officer = sign_in(client, ACCOUNTS[regency][1]).officer
    store.set_officer(officer.id)
    actor = Actor(officer.id, store.device_id, regency)
    factory = regency_factory(store, regency, seed)
    records.save_batch(store, actor, "cooperative", [(factory.cooperative(), False)
                                                     for _ in range(count)], today=TODAY)
    SyncEngine(store, client).run()
    client.close()
    store.close()


def soak(workdir: Path, server: ServerProcess, config: SoakConfig,
         progress: Any = None) -> SoakResult:
    """Run the soak against a started server; returns the counts and the books."""
    rng = random.Random(config.seed)
    regencies = list(ACCOUNTS)
    for i, regency in enumerate(regencies):
        seed_cooperatives(server.url, workdir / f"seed-{regency}", regency, SHARED_COOPERATIVES,
                          config.seed + i)
    devices = []
    for n in range(config.devices):
        regency = regencies[n % len(regencies)]
        username = ACCOUNTS[regency][(n // len(regencies)) % 2]
        devices.append(SoakDevice(n, workdir / f"device-{n:02d}", server.port, regency, username,
                                  config, rng))
    result = SoakResult(devices=config.devices, seconds=config.seconds)
    start = time.monotonic()
    deadline = start + config.seconds
    failures: list[BaseException] = []

    def officer(device: SoakDevice) -> None:
        device.log.thread = threading.get_ident()
        next_sync = time.monotonic() + device.rng.uniform(0, config.sync_every[1])
        try:
            device.sync()  # pull the shared cooperatives first
            for _ in range(config.max_steps):
                now = time.monotonic()
                if now >= deadline:
                    break
                device.step()
                if now >= next_sync:
                    device.sync()
                    next_sync = time.monotonic() + device.rng.uniform(*config.sync_every)
                time.sleep(min(device.rng.uniform(*config.think), max(0.0, deadline - now)))
        except BaseException as exc:  # noqa: BLE001 - reported after the run
            failures.append(exc)
            raise

    def blank_spots(stop: threading.Event) -> None:
        """Now and then one device rides through a blank spot: its link goes offline."""
        for _ in range(100_000):
            if stop.wait(rng.uniform(0.5, 1.5) * config.blank_every):
                return
            device = rng.choice(devices)
            device.link.go_offline()
            device.blank_spots += 1
            if stop.wait(rng.uniform(*config.blank_for)):
                device.link.go_online()
                return
            device.link.go_online()

    stop = threading.Event()
    chaos = threading.Thread(target=blank_spots, args=(stop,), daemon=True)
    with verbose_logging() if config.log_sql else _nothing():
        threads = [threading.Thread(target=officer, args=(d,), name=f"device-{d.n}", daemon=True)
                   for d in devices]
        for thread in threads:
            thread.start()
        if config.blank_spots:
            chaos.start()
        last_report = start
        while any(t.is_alive() for t in threads):
            for thread in threads:
                thread.join(timeout=1.0)
            if progress and time.monotonic() - last_report > 30:
                last_report = time.monotonic()
                progress(f"soak: {last_report - start:.0f}/{config.seconds:.0f} s, "
                         f"{sum(d.result.syncs for d in devices)} syncs, "
                         f"{sum(d.link.stats.cuts for d in devices)} cuts, "
                         f"server RSS {server.rss[-1][1] / 1024 if server.rss else 0:.0f} MiB")
        stop.set()
        if chaos.is_alive():
            chaos.join(timeout=20)
        if failures:
            raise RuntimeError(f"a device failed: {failures[0]!r}") from failures[0]
        # The links heal; every device syncs until nothing moves (bounded).
        for device in devices:
            device.heal()
        for round_ in range(1, 16):
            moved = 0
            for device in devices:
                device.log.thread = threading.get_ident()
                summary = device.sync()
                moved += 1 if summary is None else (summary.pushed + summary.duplicates +
                                                    summary.pulled + summary.pending_left)
            result.settle_rounds = round_
            if moved == 0:
                break
    for device in devices:
        r = device.result
        result.created.update(r.created)
        result.edited.update(r.edited)
        for name in ("actions_refused", "syncs", "syncs_cut", "changes_pushed",
                     "duplicates_resent", "conflicts", "cut_requests"):
            setattr(result, name, getattr(result, name) + getattr(r, name))
        stats = device.link.stats.snapshot()
        result.cuts_by_bytes += stats.cuts_by_bytes
        result.drops += stats.cuts_by_drop
        result.cuts_offline += stats.cuts_by_offline + stats.refused
        result.blank_spots += device.blank_spots
        result.books[device.folder.name] = books(device.store.db_path, server.db_path)
        result.differences[device.folder.name] = differences(device.store.db_path, server.db_url,
                                                             device.regency)
    niks: set[str] = set()
    for device in devices:
        niks |= niks_in(device.store.db_path)
        device.close()
    niks |= niks_in(server.db_path)
    with sqlite3.connect(server.db_path) as conn:
        statuses = dict(conn.execute("SELECT status, count(*) FROM conflict GROUP BY status"))
        result.server_changes = conn.execute("SELECT count(*) FROM applied_change").fetchone()[0]
    conn.close()
    result.conflicts_open = statuses.get("open", 0)
    result.conflicts_auto = statuses.get("auto", 0)
    files = log_files(workdir) + [server.log]
    result.nik_count = len(niks)
    result.log_files = len(files)
    result.log_bytes = sum(p.stat().st_size for p in files)
    result.nik_hits = niks_in_logs(niks, files)
    result.memory = memory_of(server.rss)
    return result


@contextmanager
def _nothing() -> Iterator[None]:
    yield


# --- kills of a syncing laptop -------------------------------------------------------------

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
            [sys.executable, "-m", "benchmarks.reliability", "worker", str(data_dir), url,
             username, str(seed)] + (["--log-sql"] if log_sql else []), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
            text=True, cwd=ROOT)
    return process, _Lines(process.stdout)


def crash_campaign(workdir: Path, server: ServerProcess, *, kills: int, seed: int,
                   prefill: int = 300, feed: tuple[int, int] = (20, 60),
                   regency: str = "18.71") -> CrashResult:
    """SIGKILL a saving-and-syncing laptop ``kills`` times, aimed at saves,
    pushes, acknowledgements and pull pages; then restart it, sync to the end
    and balance its books. The harness does not assert: the caller does."""
    from desktop_app.models import synced_tables
    from desktop_app.services import records
    from desktop_app.services.context import Actor
    from desktop_app.store import check, migrate, open_store
    from desktop_app.sync.client import SyncClient
    from desktop_app.sync.engine import SyncEngine

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
                               schema=migrate.head_revision())
    officer = sign_in(feeder_client, feeder_name).officer
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
    client = SyncClient(server.url, device_id=store.device_id, schema=migrate.head_revision())
    sign_in(client, username)
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
    result.books = books(data_dir / "tapis.sqlite3", server.db_path)
    result.differences = differences(data_dir / "tapis.sqlite3", server.db_url, regency)
    result.seconds = time.monotonic() - started
    return result


def feed_range(feed: tuple[int, int]) -> tuple[int, int]:
    return feed[0], max(feed[0] + 1, feed[1])


def worker(argv: list[str]) -> int:
    """The laptop that gets killed: saves and edits records and syncs, in a
    loop, printing markers (flushed) the harness aims its kills at."""
    data_dir, url, username, seed = Path(argv[0]), argv[1], argv[2], int(argv[3])
    from sqlalchemy import event

    from desktop_app import logs
    from desktop_app.services import records
    from desktop_app.services.context import Actor
    from desktop_app.services.errors import InvalidState, NotFound, ReadOnly, ValidationFailed
    from desktop_app.store import inbox, migrate, open_store, outbox
    from desktop_app.sync.client import SyncClient, SyncError
    from desktop_app.sync.engine import SyncEngine

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
    client = SyncClient(url, device_id=store.device_id, schema=migrate.head_revision())
    client.push = marked("push", client.push)  # type: ignore[method-assign]
    token_file = data_dir / "token.json"
    try:
        saved = json.loads(token_file.read_text())
        client.token, officer_id, regency = saved["token"], saved["officer"], saved["regency"]
    except (OSError, ValueError, KeyError):
        officer = sign_in(client, username).officer
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


# --- bad input -------------------------------------------------------------------------------


@dataclass
class FuzzResult:
    tried: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)


def fuzz(url: str, *, examples: int, seed: int) -> FuzzResult:
    """Malformed, hostile and oversize requests; the answer must never be a
    5xx (the full property-based campaign is tests/server/test_server_fuzz.py)."""
    import requests

    from desktop_app import protocol as p

    rng = random.Random(seed)
    session = requests.Session()
    headers = {p.PROTOCOL_HEADER: "1"}
    login = session.post(f"{url}/v1/auth/login", headers=headers, timeout=10, json={
        "username": "petugas.bandarlampung", "password": PASSWORD,
        "device_id": "0190a1b2-0000-7000-8000-00000000f022", "device_name": "fuzz"}).json()
    auth = {**headers, "Authorization": f"Bearer {login['token']}"}
    result = FuzzResult()
    scalars: list[Any] = [None, True, 0, -1, 2 ** 63, 2 ** 80, 1.5e308, "", "\x00", "x" * 300,
                          "2026-13-45", "18.06", [], {}, [1, [2]], {"a": {"b": None}}]
    columns = ["name", "owner_nik", "regency_code", "members_male", "visit_date", "id",
               "deleted_at", "status", "latitude", "zz"]

    def change(seq: int) -> dict[str, Any]:
        base = {"seq": seq, "change_id": f"{rng.getrandbits(128):032x}", "txn": 1,
                "table": rng.choice(["business", "cooperative", "umkm_survey", "officer", "x"]),
                "row_id": f"0190a1b2-0000-7000-8000-{rng.getrandbits(48):012x}",
                "op": rng.choice(["insert", "update", "delete", "drop"]),
                "fields": {rng.choice(columns): rng.choice(scalars) for _ in range(rng.randrange(4))},
                "hlc": rng.choice([0, 1, 2 ** 62, 2 ** 63 - 1]), "officer_id": None, "base_seq": 0}
        if rng.random() < 0.3:
            base[rng.choice(list(base))] = rng.choice(scalars)
        return base

    for i in range(examples):
        kind = i % 6
        try:
            if kind == 0:  # structurally odd pushes
                body = {"device_id": rng.choice([login.get("officer", {}).get("id", ""), "x",
                                                 "0190a1b2-0000-7000-8000-00000000f022"]),
                        "changes": [change(rng.randrange(1, 5)) for _ in range(rng.randrange(4))]}
                r = session.post(f"{url}/v1/push", headers=auth, data=gzip.compress(
                    json.dumps(body).encode()), timeout=30)
                r.headers["_kind"] = "push"
            elif kind == 1:  # random bytes as a push, gzip'd or not
                raw = rng.randbytes(rng.randrange(0, 2000))
                h = {**auth, "Content-Type": "application/json"}
                if rng.random() < 0.5:
                    h["Content-Encoding"] = "gzip"
                r = session.post(f"{url}/v1/push", headers=h, data=raw, timeout=30)
            elif kind == 2:  # odd sign-ins
                r = session.post(f"{url}/v1/auth/login", headers=headers, timeout=30, json={
                    "username": rng.choice(scalars), "password": rng.choice(scalars),
                    "device_id": rng.choice(scalars), "device_name": rng.choice(scalars)})
            elif kind == 3:  # odd pulls
                r = session.get(f"{url}/v1/pull", headers=auth, timeout=30, params={
                    "scope": rng.choice(["regency", "own", "reference", "all", ""]),
                    "cursor": rng.choice(["-1", "0", "9" * 30, "x", str(2 ** 63 - 1)]),
                    "limit": rng.choice(["0", "1", "1001", "abc", "500"])})
            elif kind == 4:  # oversize, declared or gzip-bombed
                if rng.random() < 0.5:
                    raw = gzip.compress(b"[" + b"0," * (3 * 1024 * 1024) + b"0]")
                    r = session.post(f"{url}/v1/push", timeout=30, data=raw, headers={
                        **auth, "Content-Type": "application/json", "Content-Encoding": "gzip"})
                else:
                    r = session.post(f"{url}/v1/push", timeout=30, data=b"{" * (5 * 1024 * 1024),
                                     headers={**auth, "Content-Type": "application/json"})
            else:  # tokens and headers that are wrong
                h = rng.choice([{}, {p.PROTOCOL_HEADER: "0"}, {**headers, "Authorization": "Bearer x"},
                                {**headers, "Authorization": "Basic " + "a" * 5000},
                                {p.PROTOCOL_HEADER: "ü"}])
                r = session.get(f"{url}/v1/pull", headers=h, timeout=30)
        except requests.RequestException as exc:  # a refusal mid-upload closes the socket
            result.tried += 1
            result.by_status[0] += 1
            if not isinstance(exc, requests.ConnectionError):
                result.server_errors.append(f"{kind}: {exc!r}")
            continue
        result.tried += 1
        result.by_status[r.status_code] += 1
        if r.status_code >= 500:
            result.server_errors.append(f"{kind}: {r.status_code} {r.text[:200]}")
    session.close()
    return result


# --- the benchmark -------------------------------------------------------------------------


CI_CAMPAIGNS = [
    ("tests/reliability/test_reliability_crash_sync.py",
     "≥ 30 SIGKILLs of a laptop that saves and syncs, aimed at save transactions, pushes in "
     "flight, push acknowledgements and pull pages being applied; after a restart: "
     "`integrity_check` ok, the store's own check passes, every change it logged applied at the "
     "server exactly once, every record it reported saved present, its rows equal the server's"),
    ("tests/reliability/test_reliability_soak.py",
     "a short soak (6 devices, ~25 s) through links cut at random byte counts, dropped "
     "periodically and taken offline; shared cooperatives edited by several: lost 0, "
     "duplicated 0, every device converges; then every log file (SQL parameters logged) and the "
     "server's stderr grepped for every NIK in the data: none found"),
    ("tests/reliability/test_reliability_clock_skew.py",
     "laptops whose clocks are a year behind and a year ahead (SQLite's clock replaced on their "
     "connections): an edit made after pulling beats the pulled one, concurrent edits resolve "
     "by (hlc, device) whichever pushes first, the loser kept as a conflict, all converge"),
    ("tests/sync/test_sync_faults.py",
     "2,000 records and 12 photos through a link cut 200+ times at random byte counts: every "
     "change applied once, photos byte-identical"),
    ("tests/crash/test_crash_sigkill.py",
     "60 SIGKILLs while creating, migrating, opening (backup) and saving: nothing reported "
     "saved is lost, no half-written batch"),
    ("tests/server/test_server_fuzz.py",
     "property-based pushes, sign-ins, pulls and conflict requests (hypothesis, 150 examples "
     "each): never a 5xx, every refusal a well-formed error body"),
    ("tests/server/test_server_bad_input.py",
     "malformed bodies, unknown tables, values that do not fit, oversize bodies (declared, "
     "chunked, gzip bombs) refused with 413 as soon as the limit is passed, corrupt gzip, "
     "old protocol"),
    ("tests/server/test_server_auth.py",
     "passwords stored only as argon2id hashes, tokens only as SHA-256; signed-out, unknown "
     "and expired tokens refused; a revoked device loses every token and cannot sign in"),
    ("tests/server/test_server_scope.py",
     "an officer's token cannot read or write another regency; conflicts listed and settled "
     "only within the caller's regency"),
    ("tests/server/test_server_push_sequence.py",
     "sequence gaps, resent and overlapping batches, a change arriving under a new seq: each "
     "applied once"),
    ("tests/cli/test_cli_logs.py", "the NIK filter of the log file"),
]


def _options_value(options: Any, name: str, env: str, default: float) -> float:
    value = getattr(options, name, None)
    if value is None and os.environ.get(env):
        value = float(os.environ[env])
    return float(default if value is None else value)


def run(options: Any) -> Any:
    from .common import Measure, Section

    devices = int(_options_value(options, "devices", "TAPIS_RELIABILITY_DEVICES", DEFAULT_DEVICES))
    minutes = _options_value(options, "minutes", "TAPIS_RELIABILITY_MINUTES", DEFAULT_MINUTES)
    kills = int(_options_value(options, "kills", "TAPIS_RELIABILITY_KILLS", 60))
    seed = 20261123
    full = devices == DEFAULT_DEVICES and minutes >= DEFAULT_MINUTES
    workdir = Path(tempfile.mkdtemp(prefix="tapis-reliability-"))
    started = datetime.now(timezone.utc)
    say = lambda text: print(text, flush=True)  # noqa: E731
    try:
        say(f"soak: {devices} devices for {minutes:g} min …")
        with ServerProcess(workdir / "server.sqlite3", workdir / "server.err").start() as server:
            result = soak(workdir / "soak", server,
                          SoakConfig(devices=devices, seconds=minutes * 60, seed=seed),
                          progress=say)
            say(f"kills: {kills} SIGKILLs of a syncing laptop …")
            crash = crash_campaign(workdir / "crash", server, kills=kills, seed=seed)
            say("bad input …")
            bad = fuzz(server.url, examples=600, seed=seed)
            # The kills ran with logs on too: the NIK grep covers them.
            files = log_files(workdir)
            niks = niks_in(server.db_path)
        crash_hits = niks_in_logs(niks, files)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    memory = result.memory or Memory(0, 0, 0, 0, 0)
    crash_books = crash.books or Books()
    crash_ok = (crash.integrity == "ok" and not crash.check_faults and crash_books.lost == 0
                and crash_books.duplicated == 0 and not crash.missing_reported
                and not crash.differences)
    write_doc(result, crash, bad, devices=devices, minutes=minutes, full=full, when=started,
              log_hits=crash_hits, crash_ok=crash_ok)
    say(f"wrote {DOC}")
    figures = [
        Measure("devices × minutes", devices * minutes, "device-min", digits=0),
        Measure("changes logged by the devices", result.recorded, "", digits=0),
        Measure("changes lost", result.lost + crash_books.lost, "", target=0, digits=0),
        Measure("changes duplicated", result.duplicated + crash_books.duplicated, "", target=0,
                digits=0),
        Measure("devices not converged", sum(1 for d in result.differences.values() if d), "",
                target=0, digits=0),
        Measure("link cuts, drops and blank-spot resets", result.cuts, "", digits=0),
        Measure("SIGKILLs survived", crash.kills if crash_ok else 0, "", target=crash.kills,
                better="higher", digits=0),
        Measure("bad requests answered 5xx", len(bad.server_errors), f"of {bad.tried}", target=0,
                digits=0),
        Measure("NIKs found in log files", sum(result.nik_hits.values()) + sum(crash_hits.values()),
                "", target=0, digits=0),
        Measure("server RSS peak", memory.peak_mib, "MiB", digits=1),
        Measure("server RSS slope, last half", memory.slope_mib_per_min, "MiB/min", target=1.0,
                digits=2),
    ]
    return Section(
        name=NAME, title="Reliability: soak, kills, bad input",
        command="python -m benchmarks reliability" + ("" if full else
                                                      f"  (run shortened: {devices} devices × "
                                                      f"{minutes:g} min)"),
        setup=(f"{devices} simulated devices in two regencies, each a real store and sync "
               f"engine behind its own cutting link, making and editing records for "
               f"{minutes:g} minutes against one server process (SQLite); then {crash.kills} "
               f"SIGKILLs of a syncing laptop and {bad.tried} bad requests. Details and the "
               f"fault campaigns CI runs: docs/RELIABILITY.md."),
        figures=figures, full_size=full,
        notes=[] if full else [f"shortened run: {devices} devices × {minutes:g} min "
                               f"(default {DEFAULT_DEVICES} × {DEFAULT_MINUTES:g})"])


def write_doc(result: SoakResult, crash: CrashResult, bad: FuzzResult, *, devices: int,
              minutes: float, full: bool, when: datetime, log_hits: dict[str, int],
              crash_ok: bool) -> None:
    from .common import machine

    memory = result.memory or Memory(0, 0, 0, 0, 0)
    cb = crash.books or Books()
    command = "python -m benchmarks reliability"
    short = "" if full else (
        f"\n> **Shortened run.** These figures come from `python -m benchmarks.reliability "
        f"--devices {devices} --minutes {minutes:g}`: {devices} devices for {minutes:g} "
        f"minutes instead of the default {DEFAULT_DEVICES} for {DEFAULT_MINUTES:g} minutes "
        f"(time budget of the run). The default command runs the full soak.\n")
    yn = lambda ok: "yes" if ok else "NO"  # noqa: E731
    lines = [
        "# Reliability",
        "",
        "What Tapis survives, measured. This page is written whole by "
        f"`{command}` (`python -m benchmarks.reliability --devices N --minutes M` for another "
        "size); do not edit it by hand. The fault campaigns that run in CI on every change "
        "are listed at the end.",
        short,
        "## Latest run",
        "",
        f"- Command: `{command}`" + ("" if full else
                                     f" — shortened to {devices} devices × {minutes:g} min"),
        f"- Date: {when.strftime('%Y-%m-%d %H:%M UTC')}",
        *[f"- {k}: {v}" for k, v in machine().items()],
        "",
        "### Soak",
        "",
        f"{devices} devices (two regencies, officers and supervisors, several devices per "
        f"account) for {minutes:g} minutes against one server process on SQLite. Each device is "
        "a real store and the real sync engine behind its own link emulator: half cut at random "
        "byte counts (3–60 KB per connection), half 'flaky' (every connection dropped every "
        "8–20 s, plus cuts at 20–200 KB), 512 kbit/s and 200 ms RTT, and a blank spot (link "
        "offline 1–8 s) somewhere every ~4 s. Officers act every 0.5–2.5 s and sync every "
        "4–12 s; six cooperatives per regency are edited by every device of the regency. "
        "At the end the links heal and every device syncs until nothing moves.",
        "",
        "| | |",
        "|---|---|",
        f"| records made | {sum(result.created.values()):,} "
        f"({', '.join(f'{k} {v:,}' for k, v in sorted(result.created.items()))}) |",
        f"| edits | {sum(result.edited.values()):,} "
        f"({', '.join(f'{k} {v:,}' for k, v in sorted(result.edited.items()))}) |",
        f"| actions refused by the rules (e.g. finalising an incomplete draft) | "
        f"{result.actions_refused:,} |",
        f"| changes logged by the devices | {result.recorded:,} |",
        f"| changes pushed (applied at the server) | {result.changes_pushed:,}; "
        f"{result.duplicates_resent:,} resent after a lost answer, ignored as duplicates |",
        f"| applied changes at the server (all devices) | {result.server_changes:,} |",
        f"| syncs | {result.syncs:,}, of which {result.syncs_cut:,} ended by the link "
        f"(resumed by the next) |",
        f"| requests cut and retried smaller | {result.cut_requests:,} |",
        f"| connections cut at a random byte count | {result.cuts_by_bytes:,} |",
        f"| connections dropped by 'flaky' links | {result.drops:,} |",
        f"| blank spots (link offline) | {result.blank_spots:,}, resetting or refusing "
        f"{result.cuts_offline:,} connections |",
        f"| conflicts raised | {result.conflicts:,} (server: {result.conflicts_auto:,} auto, "
        f"{result.conflicts_open:,} open for a supervisor) |",
        f"| entries parked (rejected by the server) | {result.parked:,} |",
        f"| settle rounds after the links healed | {result.settle_rounds} |",
        f"| **lost** | **{result.lost}** |",
        f"| **duplicated** | **{result.duplicated}** |",
        f"| **every device converged to the server** | **{yn(result.converged)}** |",
        f"| server RSS start / peak / end | {memory.start_mib:.1f} / {memory.peak_mib:.1f} / "
        f"{memory.end_mib:.1f} MiB ({memory.samples} samples) |",
        f"| server RSS slope over the last half | {memory.slope_mib_per_min:+.2f} MiB/min |",
        "",
        "Lost = changes a device logged that the server has not applied; duplicated = applied "
        "rows minus distinct change ids (and per-device sequence numbers) at the server; both "
        "counted per device against its own `change_log`. Converged = every row of the "
        "device's regency equal, field by field, to the server's.",
        "",
        "### Kills",
        "",
        f"A laptop process saving, editing and syncing in a loop, killed with SIGKILL "
        f"{crash.kills} times while another officer's laptop kept {crash.fed:,} records "
        "coming for it to pull. Kills aimed at: "
        + ", ".join(f"{k} {v}" for k, v in sorted(crash.aimed.items())) + ". Kills that "
        "landed with the transaction still open (marker printed before COMMIT, no 'done' "
        "after): " + (", ".join(f"{k} {v}" for k, v in sorted(crash.landed_open.items()))
                      or "none") + ".",
        "",
        "| | |",
        "|---|---|",
        f"| kills | {crash.kills} |",
        f"| records reported saved before a kill | {len(crash.saved_reported):,}, missing "
        f"after restart: {len(crash.missing_reported)} |",
        f"| `PRAGMA integrity_check` | {crash.integrity} |",
        f"| store check (change-log invariant, FKs, FTS) | "
        f"{'ok' if not crash.check_faults else '; '.join(crash.check_faults[:5])} |",
        f"| changes logged / applied at the server | {cb.recorded:,} / {cb.applied:,} |",
        f"| **lost** | **{cb.lost}** |",
        f"| **duplicated** | **{cb.duplicated}** |",
        f"| converged with the server | {yn(not crash.differences)} |",
        "",
        "### Bad input",
        "",
        f"{bad.tried} requests: odd and hostile pushes, random bytes (gzip'd or not), odd "
        "sign-ins and pulls, oversize and gzip-bomb bodies, wrong tokens and protocol headers. "
        "Answers: " + ", ".join(f"{'connection closed' if k == 0 else k} × {v}"
                                 for k, v in sorted(bad.by_status.items()))
        + f". **5xx: {len(bad.server_errors)}.**",
        "",
        "### NIKs in logs",
        "",
        f"Every device logged at DEBUG with SQLAlchemy's statements and parameters at INFO "
        f"(the worst case: NIKs go into the log calls), through the application's NIK filter; "
        f"the server logged to stderr through its own. {result.log_files} log files "
        f"({result.log_bytes / 1e6:.1f} MB) grepped for {result.nik_count:,} NIKs in the data: "
        f"**{sum(result.nik_hits.values()) + sum(log_hits.values())} found**.",
        "",
        "## Fault campaigns in CI",
        "",
        "`.ci/run` runs these on every change (the reliability ones in about a minute); the "
        "security checks of the issue (scope, revoked devices, slow hashes, body limits) live "
        "in tests/server/ and are not repeated here.",
        "",
        "| test | what it proves |",
        "|---|---|",
        *[f"| `{name}` | {what} |" for name, what in CI_CAMPAIGNS],
        "",
    ]
    DOC.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["worker"]:
        return worker(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability",
                                     description="The reliability benchmark at a chosen size.")
    parser.add_argument("--devices", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--kills", type=int, default=None)
    parser.add_argument("--docs", choices=("auto", "always", "never"), default="always",
                        help="also write the 'reliability' section of docs/PERFORMANCE.md "
                             "(docs/RELIABILITY.md is always written)")
    options = parser.parse_args(argv)
    from .common import table, write_section

    section = run(options)
    print(table(section), flush=True)
    if options.docs == "always" or (options.docs == "auto" and section.full_size):
        write_section(section)
        print("wrote the 'reliability' section of docs/PERFORMANCE.md")
    return 0 if section.passed else 1


if __name__ == "__main__":
    sys.exit(main())
