"""The soak: many simulated laptops in two regencies, each a real store and
the real sync engine behind its own link emulator (random byte-count cuts,
periodic 'flaky' drops, blank spots where the link goes offline), making and
editing records for a while against one server process; then the links heal,
every laptop syncs to the end, and the books are drawn up (accounting.py).

tests/reliability/test_reliability_soak.py runs a short one and asserts;
``python -m benchmarks reliability`` runs the full size and reports.
"""

from __future__ import annotations

import logging
import random
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from benchmarks.linkemu import CutPolicy, LinkEmulator, LinkProfile
from desktop_app.logs import BACKUPS, FORMAT, LOG_FILE, MAX_BYTES, RedactNik, log_dir
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.errors import InvalidState, NotFound, ReadOnly, ValidationFailed
from desktop_app.store import inbox, migrate, open_store, restore
from desktop_app.sync.client import SyncClient, SyncError, make_retry
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import SyncEngine

from .accounting import (
    Books, Memory, books, differences, log_files, memory_of, niks_in, niks_in_logs,
    server_niks, server_query,
)
from .laptops import ACCOUNTS, TODAY, regency_factory, sign_in_through
from .server_process import ServerProcess

DEFAULT_DEVICES = 20
DEFAULT_MINUTES = 10.0
SHARED_COOPERATIVES = 6  # per regency, edited by every device of the regency


class DeviceLog:
    """A device's own rotating log (as desktop_app.logs.configure makes it,
    NIK filter included) that takes only records from that device's thread,
    so simulated devices sharing a process still each get their file."""

    def __init__(self, data_dir: Path) -> None:
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
    #: False: the links only delay (no cuts, no drops): a soak of the server
    #: under steady load (benchmarks/soak_province.py) rather than of the faults.
    cuts: bool = True
    #: True: each regency's first pull is made once, by a template laptop,
    #: and every device of the regency starts from a copy of that store made
    #: a new device (store/restore.py, as a laptop restored from a colleague's
    #: backup): at province scale (40,000 rows a regency) twenty simulated
    #: laptops sharing one Python process would otherwise spend the soak
    #: applying their first pulls.
    warm_stores: bool = False
    #: The devices keep working past ``seconds`` until they have made this
    #: many records together (a loaded machine does less in the same time),
    #: but never past ``seconds * overtime``: a short soak proves something
    #: however busy the machine is, and still ends.
    min_created: int = 0
    overtime: float = 3.0
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
    #: time.monotonic() when every device had finished its first sync (its
    #: first pull of the regency): the end of the warm-up.
    first_syncs_done: float = 0.0
    #: time.monotonic() when the devices stopped working (before the links
    #: healed and the settling syncs): the end of the soak proper.
    ended: float = 0.0
    pulled: int = 0

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
                 config: SoakConfig, rng: random.Random, template: Path | None = None) -> None:
        self.n, self.folder, self.regency, self.username = n, folder, regency, username
        self.rng = random.Random(rng.randrange(1 << 30))
        if template is not None:
            shutil.copytree(template, folder)
        self.store = open_store(folder)
        if template is not None:
            restore.become_new_device(self.store)
            inbox.reset_scope(self.store, "own")  # the template's officer may be another
        self.log = DeviceLog(folder)
        flaky = n % 2 == 0
        profile = LinkProfile.symmetric(
            "flaky" if flaky else "cutting", config.bps, config.rtt_ms,
            drop_every_s=self.rng.uniform(8.0, 20.0) if flaky and config.cuts else None)
        policy = CutPolicy.random(3_000, 60_000) if not flaky else CutPolicy.random(20_000, 200_000)
        if not config.cuts:
            policy = CutPolicy.none()
        self.link = LinkEmulator(("127.0.0.1", server_port), profile, cut_policy=policy,
                                 seed=self.rng.randrange(1 << 30)).start()
        self.client = SyncClient(f"http://127.0.0.1:{self.link.port}", device_id=self.store.device_id,
                                 device_key=device_key(self.store),
                                 schema=migrate.head_revision(),
                                 retry=make_retry(total=2, backoff=0.05, cap=0.5),
                                 timeout=(3.0, 15.0))
        officer = sign_in_through(self.client, username).officer
        self.store.set_officer(officer.id)
        self.actor = Actor(officer.id, self.store.device_id, regency)
        self.factory = regency_factory(self.store, regency, self.rng.randrange(1 << 30))
        self.result = SoakResult()
        self.blank_spots = 0

    # -- what an officer does ----------------------------------------------------------

    def step(self) -> None:
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
        row_id = self._own_draft()
        if row_id is not None:
            records.finalise(self.store, self.actor, "umkm_survey", row_id, today=TODAY)
            self.result.edited["umkm_survey finalised"] += 1

    def _delete_draft(self) -> None:
        row_id = self._own_draft()
        if row_id is not None:
            records.delete(self.store, self.actor, "umkm_survey", row_id)
            self.result.edited["umkm_survey deleted"] += 1

    # -- sync ------------------------------------------------------------------------------

    def sync(self) -> Any:
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
        self.result.pulled += summary.pulled
        return summary

    def heal(self) -> None:
        self.link.set_cut_policy(CutPolicy.none())
        self.link.set_profile("perfect")
        self.link.go_online()

    def close(self) -> None:
        self.client.close()
        self.link.stop()
        self.store.close()
        self.log.close()


class WarmStore:
    """A laptop of a regency that makes its first pull (the template of
    SoakConfig.warm_stores). Opened in the caller's thread (migrations are
    not thread-safe), pulled in any."""

    def __init__(self, server_url: str, folder: Path, regency: str) -> None:
        self.folder = folder
        self.store = open_store(folder)
        self.client = SyncClient(server_url, device_id=self.store.device_id,
                                 schema=migrate.head_revision(),
                                 device_key=device_key(self.store), timeout=(10.0, 120.0))
        officer = sign_in_through(self.client, ACCOUNTS[regency][0]).officer
        self.store.set_officer(officer.id)
        self.done = False

    def pull(self) -> None:
        SyncEngine(self.store, self.client).run()
        self.client.close()
        self.store.close()
        self.done = True


def seed_cooperatives(server_url: str, folder: Path, regency: str, count: int, seed: int,
                      pull: bool = True) -> None:
    """The cooperatives every officer of the regency will edit, made and
    pushed by the regency's supervisor before the soak (``pull`` False: only
    pushed, the supervisor's laptop never pulls the regency)."""
    store = open_store(folder)
    client = SyncClient(server_url, device_id=store.device_id,
                        schema=migrate.head_revision(), device_key=device_key(store))
    officer = sign_in_through(client, ACCOUNTS[regency][1]).officer
    store.set_officer(officer.id)
    actor = Actor(officer.id, store.device_id, regency)
    factory = regency_factory(store, regency, seed)
    records.save_batch(store, actor, "cooperative", [(factory.cooperative(), False)
                                                     for _ in range(count)], today=TODAY)
    engine = SyncEngine(store, client)
    if pull:
        engine.run()
    else:
        engine.push_all()
    client.close()
    store.close()


def soak(workdir: Path, server: ServerProcess, config: SoakConfig,
         progress: Any = None) -> SoakResult:
    """Run the soak against a started server; returns the counts and the books."""
    rng = random.Random(config.seed)
    started = time.monotonic()
    regencies = list(ACCOUNTS)
    for i, regency in enumerate(regencies):
        seed_cooperatives(server.url, workdir / f"seed-{regency}", regency, SHARED_COOPERATIVES,
                          config.seed + i, pull=not config.warm_stores)
    templates: dict[str, Path] = {}
    if config.warm_stores:
        warm = {r: WarmStore(server.url, workdir / f"template-{r}", r) for r in regencies}
        warming = [threading.Thread(target=w.pull, daemon=True) for w in warm.values()]
        for thread in warming:
            thread.start()
        for thread in warming:
            thread.join()
        if not all(w.done for w in warm.values()):
            raise RuntimeError("a template laptop did not finish its first pull")
        templates = {r: w.folder for r, w in warm.items()}
        if progress:
            progress(f"soak: template laptops pulled their regencies "
                     f"({time.monotonic() - started:.0f} s)")
    devices = []
    for n in range(config.devices):
        regency = regencies[n % len(regencies)]
        username = ACCOUNTS[regency][(n // len(regencies)) % 2]
        devices.append(SoakDevice(n, workdir / f"device-{n:02d}", server.port, regency, username,
                                  config, rng, template=templates.get(regency)))
    result = SoakResult(devices=config.devices, seconds=config.seconds)
    start = time.monotonic()
    deadline = start + config.seconds
    last_call = start + config.seconds * max(1.0, config.overtime)

    def done(now: float) -> bool:
        if now < deadline:
            return False
        made = sum(sum(d.result.created.values()) for d in devices)
        return made >= config.min_created or now >= last_call
    failures: list[BaseException] = []
    first_synced: list[float] = []

    def officer(device: SoakDevice) -> None:
        device.log.thread = threading.get_ident()
        next_sync = time.monotonic() + device.rng.uniform(0, config.sync_every[1])
        try:
            device.sync()  # pull the shared cooperatives first
            first_synced.append(time.monotonic())
            for _ in range(config.max_steps):
                now = time.monotonic()
                if done(now):
                    break
                device.step()
                if now >= next_sync:
                    device.sync()
                    next_sync = time.monotonic() + device.rng.uniform(*config.sync_every)
                time.sleep(min(device.rng.uniform(*config.think), max(0.0, last_call - now)))
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
    with verbose_logging() if config.log_sql else nullcontext():
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
        result.ended = time.monotonic()
        result.first_syncs_done = max(first_synced, default=result.ended)
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
                     "duplicates_resent", "conflicts", "cut_requests", "pulled"):
            setattr(result, name, getattr(result, name) + getattr(r, name))
        stats = device.link.stats.snapshot()
        result.cuts_by_bytes += stats.cuts_by_bytes
        result.drops += stats.cuts_by_drop
        result.cuts_offline += stats.cuts_by_offline + stats.refused
        result.blank_spots += device.blank_spots
        result.books[device.folder.name] = books(device.store.db_path, server.db_url)
        result.differences[device.folder.name] = differences(device.store.db_path, server.db_url,
                                                             device.regency)
    niks: set[str] = set()
    for device in devices:
        niks |= niks_in(device.store.db_path)
        device.close()
    niks |= server_niks(server.db_url)
    statuses = dict(server_query(server.db_url,  # type: ignore[arg-type]
                                 "SELECT status, count(*) FROM conflict GROUP BY status"))
    result.server_changes = server_query(server.db_url, "SELECT count(*) FROM applied_change")[0][0]
    result.conflicts_open = statuses.get("open", 0)
    result.conflicts_auto = statuses.get("auto", 0)
    files = log_files(workdir) + ([server.log] if server.log else [])
    result.nik_count = len(niks)
    result.log_files = len(files)
    result.log_bytes = sum(p.stat().st_size for p in files)
    result.nik_hits = niks_in_logs(niks, files)
    result.memory = memory_of(server.rss)
    return result
