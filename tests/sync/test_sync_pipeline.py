"""The pipelined push: the next batch goes up while the server applies the
last, never more than the window out, and every change is applied once,
even when the later batch reaches the server first."""

from __future__ import annotations

import threading
import time
from datetime import date

from sqlalchemy import func, select

from desktop_app import protocol as p
from desktop_app.sync.client import ServerRefused
from desktop_app.sync.engine import PUSH_WINDOW, SyncEngine
from server.tables import AppliedChange
from tests.support.laptops import Laptop, regency_factory

KOTA = "18.71"


def fill(laptop: Laptop, n: int) -> None:
    factory = regency_factory(laptop.store, KOTA, seed=5, today=date(2026, 11, 23))
    for _ in range(n):
        shop = laptop.save("business", factory.business())
        laptop.save("umkm_survey", factory.survey(shop["id"]))


def applied(server, device_id: str) -> tuple[int, int]:
    with server.database.session() as session:
        mine = AppliedChange.device_id == device_id
        total = session.scalar(select(func.count()).select_from(AppliedChange).where(mine))
        distinct = session.scalar(select(func.count(func.distinct(AppliedChange.device_seq)))
                                  .where(mine))
        return int(total or 0), int(distinct or 0)


def test_batches_overlap_within_the_window_and_apply_once(sync_server, tmp_path):
    laptop = Laptop(tmp_path / "a", sync_server.url, "petugas.bandarlampung")
    try:
        fill(laptop, 12)
        sent = laptop.client.push
        out, most, lock = 0, 0, threading.Lock()

        def counted(request: p.PushRequest) -> p.PushResponse:
            nonlocal out, most
            with lock:
                out += 1
                most = max(most, out)
            try:
                time.sleep(0.2)  # a slow link: the next batch is already on its way
                return sent(request)
            finally:
                with lock:
                    out -= 1

        laptop.client.push = counted  # type: ignore[method-assign]
        engine = SyncEngine(laptop.store, laptop.client, batch_bytes=4 * 1024)
        engine.push_all()
        assert most == PUSH_WINDOW  # the window, never more
        assert laptop.pending() == 0 and not engine.summary.parked
        assert engine.summary.pushed == 24
        assert applied(sync_server, laptop.store.device_id) == (24, 24)
    finally:
        laptop.close()


def test_a_later_batch_that_arrives_first_waits_for_its_predecessor(sync_server, tmp_path):
    """The first batch is held back on the laptop's side, so the second
    reaches the server first: the server lets it wait instead of answering
    409, and both apply once, in order."""
    laptop = Laptop(tmp_path / "b", sync_server.url, "petugas.bandarlampung")
    try:
        fill(laptop, 8)
        sent = laptop.client.push
        first: list[int] = []
        refused: list[str] = []

        def late_first(request: p.PushRequest) -> p.PushResponse:
            if not first:
                first.append(request.changes[0].seq)
                time.sleep(1.0)
            try:
                return sent(request)
            except ServerRefused as exc:
                refused.append(exc.body.code)
                raise

        laptop.client.push = late_first  # type: ignore[method-assign]
        engine = SyncEngine(laptop.store, laptop.client, batch_bytes=6 * 1024)
        engine.push_all()
        assert first == [1]
        assert refused == []  # no 409 sequence_gap: the second waited at the server
        assert laptop.pending() == 0 and not engine.summary.parked
        assert engine.summary.pushed == 16 and engine.summary.duplicates == 0
        assert applied(sync_server, laptop.store.device_id) == (16, 16)
    finally:
        laptop.close()
