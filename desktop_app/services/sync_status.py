"""What the sync bar says: what waits, when the last sync worked, and the
record of each attempt.

Plain functions over the store so the bar's questions run on the database
lane and can be tested without Qt. History is kept so an officer (or the
office on the phone) can tell "never synced" from "failed this morning".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..models.types import utc_now
from ..store import outbox
from ..store.local_tables import SyncHistory
from ..store.store import Store

#: History lines kept; older ones are dropped when a new one is written.
HISTORY_KEPT = 500


@dataclass(frozen=True, slots=True)
class Waiting:
    """Changes and photos not yet at the province."""

    records: int
    parked: int
    photos: int

    @property
    def anything(self) -> bool:
        return bool(self.records or self.photos)


@dataclass(frozen=True, slots=True)
class Status:
    waiting: Waiting
    last_success: datetime | None
    last_attempt: SyncAttempt | None


@dataclass(frozen=True, slots=True)
class SyncAttempt:
    started_at: datetime
    finished_at: datetime
    ok: bool
    pushed: int
    pulled: int
    message: str


def waiting(store: Store) -> Waiting:
    """Records (change-log entries) and photos this laptop still has to send."""
    queue = outbox.counts(store)
    return Waiting(records=queue.pending, parked=queue.parked,
                   photos=len(_photos_waiting(store)))


def last_success(store: Store) -> datetime | None:
    """When a sync last finished without error (UTC), None if never."""
    with store.read() as session:
        return session.scalar(select(func.max(SyncHistory.finished_at)).where(SyncHistory.ok == 1))


def last_attempt(store: Store) -> SyncAttempt | None:
    with store.read() as session:
        row = session.scalar(select(SyncHistory).order_by(SyncHistory.id.desc()).limit(1))
        return None if row is None else _attempt(row)


def status(store: Store) -> Status:
    """Everything the bar shows, read in one trip to the database lane."""
    return Status(waiting(store), last_success(store), last_attempt(store))


def record_sync(store: Store, *, started_at: datetime, ok: bool, pushed: int = 0,
                pulled: int = 0, message: str = "", finished_at: datetime | None = None) -> None:
    """One line per attempt, failed ones included (their message says why;
    it must never hold a NIK, a password or a PIN)."""
    with store.write() as session:
        session.add(SyncHistory(started_at=started_at, finished_at=finished_at or utc_now(),
                                ok=int(ok), pushed=pushed, pulled=pulled, message=message[:2000]))
        session.flush()
        newest = session.scalar(select(func.max(SyncHistory.id))) or 0
        if newest > HISTORY_KEPT:
            session.query(SyncHistory).filter(SyncHistory.id <= newest - HISTORY_KEPT).delete()


def history(store: Store, limit: int = 50) -> list[SyncAttempt]:
    """The latest attempts, newest first."""
    with store.read() as session:
        rows = session.scalars(select(SyncHistory).order_by(SyncHistory.id.desc()).limit(limit))
        return [_attempt(r) for r in rows]


def _attempt(row: SyncHistory) -> SyncAttempt:
    return SyncAttempt(row.started_at, row.finished_at, bool(row.ok), row.pushed, row.pulled,
                       row.message)


def _photos_waiting(store: Store) -> list[object]:
    from ..sync import attachments  # the HTTP client behind it loads when first needed

    return attachments.pending(store)

