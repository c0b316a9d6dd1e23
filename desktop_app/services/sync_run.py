"""One sync run, the same for the window's *Sync now* and for
``python -m desktop_app sync``.

A quick GET /health first (seconds, instead of the engine's half-minute of
retries when there is plainly no server), then a signed-in client, the
engine's push, photos and pull, and a line in the sync history whatever the
outcome, so "never synced" and "failed this morning" can be told apart. A
token the server no longer accepts is forgotten, so the next sync asks for
the password instead of failing again and again. Progress and cancelling
are callbacks: the window turns them into signals, the command line prints.
No Qt here; the engine's HTTP stack loads when the first sync runs, not at
start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from .. import thread_guard
from ..models.errors import TapisError
from ..models.types import utc_now
from ..store.store import Store
from ..sync import account as accounts
from ..sync.account import Account
from . import sync_status

if TYPE_CHECKING:
    from ..sync.client import SyncClient
    from ..sync.engine import Progress, SyncSummary

log = logging.getLogger(__name__)

#: Seconds the health probe waits: a link that cannot answer /health in
#: this time cannot carry a sync either.
PROBE_TIMEOUT = (3.0, 5.0)
#: HTTP statuses that mean the token is no good any more.
TOKEN_REFUSED = (401,)

Connect = Callable[[], "SyncClient"]
ClientFor = Callable[[Store, Account], "SyncClient"]
OnProgress = Callable[["Progress"], None]


def probe(server_url: str) -> bool:
    """True when the server answers GET /health quickly (no token needed)."""
    import requests

    try:
        with thread_guard.blocking("network"):
            # Not redirected, body not read: a hotspot's page is not our server.
            with requests.get(server_url.rstrip("/") + "/health", timeout=PROBE_TIMEOUT,
                              allow_redirects=False, stream=True) as response:
                return response.status_code == 200
    except requests.RequestException:
        return False


def sync_signed_in(store: Store, account: Account, *, on_progress: OnProgress | None = None,
                   cancelled: Callable[[], bool] = lambda: False,
                   client_for: ClientFor = accounts.signed_in_client) -> SyncSummary:
    """The window's sync, with the token the officer's last online sign-in left."""
    return run_sync(store, account.server_url, lambda: client_for(store, account),
                    token_of=account.officer_id, on_progress=on_progress, cancelled=cancelled)


def sync_with_password(store: Store, server_url: str, username: str, password: str, *,
                       on_progress: OnProgress | None = None) -> SyncSummary:
    """The command line's sync: sign in with the password first. The officer
    who signed in writes on this laptop from then on, and the bundle keys
    the answer carries are kept (as after any online sign-in)."""

    def connect() -> SyncClient:
        from ..store import migrate
        from ..sync.bundle_keys import remember_keys
        from ..sync.client import SyncClient
        from ..sync.device_signing import device_key

        client = SyncClient(server_url, device_id=store.device_id, schema=migrate.head_revision(),
                            device_key=device_key(store))
        try:
            answer = client.login(username, password, device_name="tapis-cli")
            store.set_officer(answer.officer.id)
            remember_keys(store, answer)
        except BaseException:
            client.close()
            raise
        return client

    return run_sync(store, server_url, connect, on_progress=on_progress)


def run_sync(store: Store, server_url: str, connect: Connect, *, token_of: str | None = None,
             on_progress: OnProgress | None = None,
             cancelled: Callable[[], bool] = lambda: False) -> SyncSummary:
    """Probe, connect, sync, and record the attempt in the history whatever
    its outcome (worker thread). ``token_of``: the officer whose stored
    token ``connect`` uses, forgotten when the server refuses it."""
    from ..sync import engine  # the engine, requests and pydantic load with the first sync
    from ..sync.client import Offline, ServerRefused

    started = utc_now()
    try:
        if not probe(server_url):
            # Told at once, not after the retries; the address, not an English word, in the message.
            raise Offline(server_url)
        client = connect()
        try:
            summary = engine.SyncEngine(store, client, on_progress=on_progress,
                                        cancelled=cancelled).run()
        finally:
            client.close()
    except ServerRefused as exc:
        if exc.body.code == "account_deactivated" and token_of is not None:
            accounts.mark_deactivated(store, officer_id=token_of)  # said in words; work kept
        elif exc.status in TOKEN_REFUSED and token_of is not None:
            accounts.forget_token(store, token_of)
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
    message = error.message_en if isinstance(error, TapisError) else type(error).__name__
    try:
        sync_status.record_sync(store, started_at=started, ok=False, message=message)
    except Exception:  # the history is a courtesy; never hide the real error behind it
        log.exception("could not record the failed sync")
