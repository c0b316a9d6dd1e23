"""``python -m desktop_app sync``: one sync from the command line.

The same run as the window's *Sync now* (services.sync_run: probe, sync,
a line in the sync history), signed in with the password; progress goes to
stderr, the summary to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sync.engine import Progress

EXIT_DONE, EXIT_WAITING, EXIT_PARKED = 0, 1, 3


def run_sync(data_dir: Path, server: str, user: str, password: str) -> int:
    from .services.sync_run import sync_with_password
    from .store import open_store
    from .sync.client import SyncError

    store = open_store(data_dir)
    try:
        summary = sync_with_password(store, server, user, password, on_progress=_print_progress)
    except SyncError as exc:
        print(f"\nsync stopped: {exc.message_en}\nsinkronisasi berhenti: {exc.message_id}",
              file=sys.stderr)
        return EXIT_WAITING
    finally:
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
