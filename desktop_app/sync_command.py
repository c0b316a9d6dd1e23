"""``python -m desktop_app sync``: one sync from the command line.

The same run as the window's *Sync now* (services.sync_run: probe, sync,
a line in the sync history), signed in with the password; progress goes to
stderr, the summary to stdout. Whatever happens, the officer reads a
sentence in Indonesian and English, never a traceback: an unexpected fault
is logged by its kind and place only (its message may hold a record's
values, such as a NIK or a name, from a SQL statement's parameters).
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sync.engine import Progress

EXIT_DONE, EXIT_WAITING, EXIT_PARKED = 0, 1, 3
log = logging.getLogger(__name__)


def run_sync(data_dir: Path, server: str, user: str, password: str) -> int:
    from .services.sync_run import sync_with_password
    from .store import open_store
    from .models.errors import TapisError

    store = open_store(data_dir)
    try:
        summary = sync_with_password(store, server, user, password, on_progress=_print_progress)
    except TapisError as exc:  # the sync's own refusals, the vault's, an account's
        log.info("sync stopped: %s", exc.reason)
        print(f"\nsync stopped: {exc.message_en}\nsinkronisasi berhenti: {exc.message_id}",
              file=sys.stderr)
        return EXIT_WAITING
    except Exception as exc:  # noqa: BLE001 - the command line never shows a traceback
        log.error("sync failed: %s\n%s", type(exc).__name__, where(exc))
        print(f"\nsync stopped: an unexpected fault ({type(exc).__name__}); nothing sent or "
              "received was lost; details are in the log\n"
              f"sinkronisasi berhenti: kesalahan tak terduga ({type(exc).__name__}); tidak ada "
              "data yang hilang; rinciannya ada di log", file=sys.stderr)
        return EXIT_WAITING
    finally:
        store.close()
    print(file=sys.stderr)
    print(f"pushed {summary.pushed} (duplicates {summary.duplicates}), conflicts {summary.conflicts}, "
          f"pulled {summary.pulled}, requests {summary.requests}, sent {summary.bytes_sent} B, "
          f"received {summary.bytes_received} B")
    for message in summary.parked[:10]:
        print(f"parked: {message}")
    if summary.set_aside:
        print(f"set aside (could not be applied here, reported to the server): "
              f"{summary.set_aside}")
    print(f"left to send: {summary.pending_left}, parked: {summary.parked_total}")
    if summary.pending_left:
        return EXIT_WAITING
    return EXIT_PARKED if summary.parked_total else EXIT_DONE


def _print_progress(progress: Progress) -> None:
    print(f"\r{progress.phase}: {progress.done}/{progress.total} "
          f"({progress.bytes_sent} B up, {progress.bytes_received} B down)",
          end="", file=sys.stderr, flush=True)


def where(exc: BaseException) -> str:
    """The places an exception passed through (file, line, function), without
    its message or any value: safe to log."""
    frames = traceback.extract_tb(exc.__traceback__)
    return "".join(f"  {Path(f.filename).name}:{f.lineno} in {f.name}\n" for f in frames[-12:])
