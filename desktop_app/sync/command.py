"""``python -m desktop_app sync``: one sync from the command line.

The same engine the GUI runs on its worker; here progress goes to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..store import migrate, open_store
from .bundle_keys import remember_keys
from .client import SyncClient, SyncError
from .engine import Progress, SyncEngine

EXIT_DONE, EXIT_WAITING, EXIT_PARKED = 0, 1, 3


def run_sync(data_dir: Path, server: str, user: str, password: str) -> int:
    store = open_store(data_dir)
    client = SyncClient(server, device_id=store.device_id, schema=migrate.head_revision())
    try:
        answer = client.login(user, password, device_name="tapis-cli")
        store.set_officer(answer.officer.id)
        remember_keys(store, answer)
        summary = SyncEngine(store, client, on_progress=_print_progress).run()
    except SyncError as exc:
        print(f"\nsync stopped: {exc.message_en}\nsinkronisasi berhenti: {exc.message_id}",
              file=sys.stderr)
        return EXIT_WAITING
    finally:
        client.close()
        store.close()
    print(file=sys.stderr)
    print(f"pushed {summary.pushed} (duplicates {summary.duplicates}), conflicts {summary.conflicts}, "
          f"pulled {summary.pulled}, requests {summary.requests}, sent {summary.bytes_sent} B, "
          f"received {summary.bytes_received} B")
    for message in summary.parked[:10]:
        print(f"parked: {message}")
    print(f"left to send: {summary.pending_left}, parked: {summary.parked_total}")
    if summary.pending_left:
        return EXIT_WAITING
    return EXIT_PARKED if summary.parked_total else EXIT_DONE


def _print_progress(progress: Progress) -> None:
    print(f"\r{progress.phase}: {progress.done}/{progress.total} "
          f"({progress.bytes_sent} B up, {progress.bytes_received} B down)",
          end="", file=sys.stderr, flush=True)
