"""Runs one sync on the network lane and speaks Qt for it.

The sync itself is services.sync_run, the same run the command line makes;
this adapter only gives it a ``cancelled`` flag the GUI can set and turns
its progress callback into a signal (emitted from the worker, delivered
queued on the GUI thread). The worker gets plain data taken before it
starts (the store, the officer's account); it never touches a widget.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from ..services.sync_run import sync_signed_in
from ..sync.account import Account
from .context import AppContext
from .tasks import NET, Op


class SyncJob(QObject):
    """One sync in flight: start it, watch ``progress``, cancel it."""

    progress = Signal(object)  # engine.Progress, queued to the GUI thread

    def __init__(self, ctx: AppContext, account: Account, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account = account
        self._cancel = threading.Event()

    def start(self) -> Op:
        return self.ctx.run(sync_signed_in, self.ctx.store, self.account, lane=NET, owner=self,
                            on_progress=self.progress.emit, cancelled=self._cancel.is_set)

    def cancel(self) -> None:
        """Stop at the next safe point (between requests); what was sent stays sent."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()
