"""Two server instances on one PostgreSQL database, one of them with two
worker processes: laptops spread over them end with the same records, every
change applied exactly once, and a laptop pulling while others push misses
nothing (server_seq values become visible in order across processes)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.store import migrate
from desktop_app.sync.client import SyncClient
from desktop_app.sync.device_signing import device_key
from server.db import Database
from server.tables import AppliedChange, Conflict
from tests.support.laptops import PASSWORD, Laptop, regency_factory, snapshot
from tests.support.server_process import ServerProcess
from tests.support.servers import postgres_available, postgres_database

pytestmark = pytest.mark.postgres

KOTA = "18.71"


@dataclass
class Province:
    db_url: str
    one: str  # instance 1: one worker
    two: str  # instance 2: two workers


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Province]:
    if not postgres_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    logs = tmp_path_factory.mktemp("instances")
    with postgres_database() as url:
        first = ServerProcess(url, logs / "one.log").start()
        try:
            with ServerProcess(url, logs / "two.log", workers=2).start(initialised=True) as second:
                yield Province(url, first.url, second.url)
        finally:
            first.stop()


def count(db_url: str, model: type, *where: object) -> int:
    database = Database(db_url)
    try:
        with database.session() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
    finally:
        database.dispose()


def through(laptop: Laptop, url: str) -> None:
    """Point a laptop at another instance (another address of the same province)."""
    laptop.client.close()
    laptop.client = SyncClient(url, device_id=laptop.store.device_id,
                               device_key=device_key(laptop.store),
                               schema=migrate.head_revision())
    laptop.client.login(laptop.officer.username, PASSWORD, device_name="moved")


def fill(laptop: Laptop, seed: int, n: int) -> None:
    factory = regency_factory(laptop.store, KOTA, seed=seed, today=date(2026, 11, 23))
    for _ in range(n):
        shop = laptop.save("business", factory.business())
        laptop.save("umkm_survey", factory.survey(shop["id"]))


def test_two_instances_on_one_database_give_the_same_result(province: Province,
                                                             tmp_path: Path) -> None:
    """An officer syncs through instance 1, a supervisor through instance 2
    (two workers); they edit one record apart; both end with the same
    records, each change once, the edit's conflict once."""
    a = Laptop(tmp_path / "a", province.one, "petugas.bandarlampung")
    b = Laptop(tmp_path / "b", province.two, "supervisor.bandarlampung")
    try:
        fill(a, seed=71, n=6)
        fill(b, seed=72, n=6)
        for laptop in (a, b, a):
            summary = laptop.sync()
            assert summary.pending_left == 0 and not summary.parked
        assert snapshot(a, KOTA) == snapshot(b, KOTA)
        shop = next(iter(a.rows("business")))
        a.save("business", {"name": "Warung Satu"}, record_id=shop)
        b.save("business", {"name": "Warung Dua"}, record_id=shop)
        # The officer's laptop moves to the other instance mid-way: nothing twice.
        through(a, province.two)
        for laptop in (a, b, a, b):
            summary = laptop.sync()
            assert summary.pending_left == 0 and not summary.parked
        assert snapshot(a, KOTA) == snapshot(b, KOTA)
        devices = [a.store.device_id, b.store.device_id]
        applied = count(province.db_url, AppliedChange, AppliedChange.device_id.in_(devices))
        assert applied == 2 * 12 + 2  # 24 inserts, two edits: each exactly once
        distinct = Database(province.db_url)
        try:
            with distinct.session() as session:
                pairs = session.execute(
                    select(AppliedChange.device_id, AppliedChange.device_seq,
                           func.count()).where(AppliedChange.device_id.in_(devices))
                    .group_by(AppliedChange.device_id, AppliedChange.device_seq)
                    .having(func.count() > 1)).all()
        finally:
            distinct.dispose()
        assert pairs == []
        assert count(province.db_url, Conflict, Conflict.row_id == shop) == 1
    finally:
        a.close()
        b.close()


def test_a_pull_during_concurrent_pushes_through_both_instances_misses_nothing(
        province: Province, tmp_path: Path) -> None:
    """Four laptops push at once, two through each instance (three server
    processes in all), while a supervisor's laptop keeps pulling; once all
    is in, one more pull brings it level: no change was skipped by its
    cursor, none applied twice."""
    pushers = [Laptop(tmp_path / f"p{i}", (province.one, province.two)[i % 2],
                      "petugas.bandarlampung") for i in range(4)]
    watcher = Laptop(tmp_path / "watch", province.two, "supervisor.bandarlampung")
    done = threading.Event()
    errors: list[BaseException] = []
    try:
        for i, laptop in enumerate(pushers):
            fill(laptop, seed=80 + i, n=15)

        def push(laptop: Laptop) -> None:
            try:
                summary = laptop.sync()
                assert summary.pending_left == 0 and not summary.parked
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=push, args=(laptop,)) for laptop in pushers]
        for thread in threads:
            thread.start()
        pulls = 0
        while any(t.is_alive() for t in threads) and pulls < 200:  # bounded
            watcher.sync()
            pulls += 1
        for thread in threads:
            thread.join(timeout=120)
        done.set()
        assert not errors, errors[0]
        watcher.sync()
        server_rows = count(province.db_url, AppliedChange, AppliedChange.device_id.in_(
            [laptop.store.device_id for laptop in pushers]))
        assert server_rows == 4 * 30
        mine = {table: rows for table, rows in snapshot(watcher, KOTA).items()}
        for laptop in pushers:
            for table, rows in snapshot(laptop, KOTA).items():
                for row_id, row in rows.items():
                    assert mine[table].get(row_id) == row, (table, row_id)
    finally:
        for laptop in (*pushers, watcher):
            laptop.close()
