"""Runs one sync on the network lane and speaks Qt for it.

The engine knows no Qt; this adapter gives it a ``cancelled`` flag the GUI
can set and turns its progress callback into a signal (emitted from the
worker, delivered queued on the GUI thread). Everything the worker needs is
plain data taken before it starts; it never touches a widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from .. import thread_guard
from ..models.types import utc_now
from ..services import sync_status
from ..store.store import Store
from ..sync import account as accounts
from ..sync.account import Account

if TYPE_CHECKING:  # requests, pydantic and the engine load on the network lane, not at start
    from ..sync.client import SyncClient
    from ..sync.engine import Progress, SyncSummary
from .context import AppContext
from .tasks import NET, Op

log = logging.getLogger(__name__)

#: Seconds the health probe waits: a link that cannot answer /health in
#: this time cannot carry a sync either.
PROBE_TIMEOUT = (3.0, 5.0)
#: HTTP statuses that mean the token is no good any more.
TOKEN_REFUSED = (401,)


ClientFor = Callable[[Store, Account], "SyncClient"]


def probe(server_url: str) -> bool:
    """True when the server answers GET /health quickly (no token needed)."""
    import requests

    try:
        with thread_guard.blocking("network"):
            response = requests.get(server_url.rstrip("/") + "/health", timeout=PROBE_TIMEOUT)
    except requests.RequestException:
        return False
    return response.status_code == 200


def run_sync(store: Store, account: Account, *, on_progress: Callable[[Progress], None],
             cancelled: Callable[[], bool],
             client_for: ClientFor = accounts.signed_in_client) -> SyncSummary:
    """One sync, recorded in the history whatever its outcome (worker thread)."""
    from ..sync.client import Offline, ServerRefused
    from ..sync.engine import SyncEngine

    started = utc_now()
    try:
        if not probe(account.server_url):
            # Seconds instead of the engine's half-minute of retries when
            # there is plainly no server: the officer is told at once.
            raise Offline("no answer")
        client = client_for(store, account)
        try:
            summary = SyncEngine(store, client, on_progress=on_progress, cancelled=cancelled).run()
        finally:
            client.close()
    except ServerRefused as exc:
        if exc.status in TOKEN_REFUSED:
            accounts.forget_token(store, account.officer_id)
        _record_failure(store, started, exc)
        raise
    except Exception as exc:
        _record_failure(store, started, exc)
        raise
    sync_status.record_sync(store, started_at=started, ok=True, pushed=summary.pushed,
                            pulled=summary.pulled,
                            message=f"{len(summary.parked)} parked" if summary.parked else "")
    return summary


def _record_failure(store: Store, started: datetime, error: BaseException) -> None:
    message = getattr(error, "message_en", None) or type(error).__name__
    try:
        sync_status.record_sync(store, started_at=started, ok=False, message=message)
    except Exception:  # the history is a courtesy; never hide the real error behind it
        log.exception("could not record the failed sync")


class SyncJob(QObject):
    """One sync in flight: start it, watch ``progress``, cancel it."""

    progress = Signal(object)  # engine.Progress, queued to the GUI thread

    def __init__(self, ctx: AppContext, account: Account, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account = account
        self._cancel = threading.Event()

    def start(self) -> Op:
        return self.ctx.run(run_sync, self.ctx.store, self.account, lane=NET, owner=self,
                            on_progress=self.progress.emit, cancelled=self._cancel.is_set)

    def cancel(self) -> None:
        """Stop at the next safe point (between requests); what was sent stays sent."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()
