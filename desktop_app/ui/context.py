"""What every screen needs, handed down explicitly (no globals).

The store, the signed-in officer, the worker lanes, the settings, and one
application-level signal hub: after a write, ``events.records_changed``
names the kind that changed so each view refreshes only what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..services.context import Actor
from ..store.store import Store
from ..sync.account import Account
from .settings import Settings
from .tasks import DB, Op, Runner


class AppEvents(QObject):
    #: a record kind ('umkm_survey', 'business', ...) changed in the store
    records_changed = Signal(str)
    #: a sync finished (its SyncSummary, or None when it failed)
    sync_finished = Signal(object)
    #: the officer signed in (Account) or out (None)
    account_changed = Signal(object)
    #: the open conflicts of the supervisor's regency were counted on the server
    conflicts_counted = Signal(int)


@dataclass
class AppContext:
    store: Store
    data_dir: Path
    settings: Settings
    runner: Runner = field(default_factory=Runner)
    events: AppEvents = field(default_factory=AppEvents)
    account: Account | None = None
    #: the practice workspace (demo data, never synced): see services.practice
    practice: bool = False

    @property
    def actor(self) -> Actor:
        """Who writes: the signed-in officer on this laptop's device."""
        officer = self.account.officer_id if self.account else "00000000-0000-0000-0000-000000000000"
        regency = self.account.regency_code if self.account else None
        return Actor(officer, self.store.device_id, regency)

    def run(self, fn: Callable[..., Any], *args: Any, lane: str = DB, owner: QObject | None = None,
            **kwargs: Any) -> Op:
        """Run ``fn(*args)`` on a worker lane; callbacks come back on the GUI thread."""
        return self.runner.run(fn, *args, lane=lane, owner=owner, **kwargs)

    def changed(self, kind: str) -> None:
        self.events.records_changed.emit(kind)
