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

import shiboken6
from PySide6.QtCore import QObject, Signal, SignalInstance

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

    def listen(self, owner: QObject, signal: SignalInstance, slot: Callable[..., Any]) -> None:
        """Connect ``slot`` to one of these signals for as long as ``owner``
        (the widget the slot works on) lives. The hub outlives every window
        (a language or officer switch builds a new one), and a lambda or a
        method of a plain object is never disconnected by Qt: without this,
        the next announcement reaches a deleted widget ('already deleted').
        The connection goes when the owner is destroyed, or earlier with
        :meth:`forget` (a window being closed forgets all of its own)."""
        signal.connect(slot)
        self._owned.append((owner, signal, slot))
        owner.destroyed.connect(lambda *_: self._drop(lambda o: o is owner))

    def forget(self, window: QObject) -> None:
        """Disconnect every slot owned by ``window`` or a widget inside it."""
        def inside(owner: QObject) -> bool:
            while owner is not None:
                if owner is window:
                    return True
                owner = owner.parent() if shiboken6.isValid(owner) else None
            return False

        self._drop(inside)

    def _drop(self, which: Callable[[QObject], bool]) -> None:
        kept = []
        for owner, signal, slot in self._owned:
            if (not shiboken6.isValid(owner)) or which(owner):
                receiver = getattr(slot, "__self__", None)
                if isinstance(receiver, QObject) and not shiboken6.isValid(receiver):
                    continue  # a deleted widget's own method: Qt disconnected it
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError, SystemError):  # already gone with its receiver
                    pass
            else:
                kept.append((owner, signal, slot))
        self._owned = kept

    def __init__(self) -> None:
        super().__init__()
        self._owned: list[tuple[QObject, SignalInstance, Callable[..., Any]]] = []


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
