"""A debug check that the GUI thread never waits on the database or the
network.

The GUI sends every query and request to a worker lane; this module proves
it. Once :func:`watch` names the GUI thread, each database connection taken
and each HTTP request made *on that thread* is timed and recorded, and one
longer than :data:`LIMIT_MS` is logged with the place that made it. Tests
watch the GUI thread through a search, a scroll and a sync and require no
such call at all. No Qt here: the store and the sync client call
:func:`blocking` around their work.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: A call on the GUI thread longer than this freezes the window visibly.
LIMIT_MS = 50.0


@dataclass(frozen=True)
class Call:
    what: str  # 'database' or 'network'
    ms: float
    where: str  # the innermost frames of the application that made it


_state: dict[str, object] = {"thread": None}
calls: list[Call] = []


def watch(thread_id: int | None = None) -> None:
    """Record database and network use on this thread (default: the caller's)."""
    _state["thread"] = threading.get_ident() if thread_id is None else thread_id
    calls.clear()


def stop() -> list[Call]:
    """Stop watching; the calls recorded since :func:`watch`."""
    _state["thread"] = None
    recorded = list(calls)
    calls.clear()
    return recorded


def watched() -> bool:
    return _state["thread"] == threading.get_ident()


@contextmanager
def blocking(what: str) -> Iterator[None]:
    """Time the enclosed call when it runs on the watched thread."""
    if not watched():
        yield
        return
    began = time.perf_counter()
    try:
        yield
    finally:
        ms = (time.perf_counter() - began) * 1000
        call = Call(what, ms, _where())
        calls.append(call)
        if ms > LIMIT_MS:
            log.warning("%s call of %.0f ms on the GUI thread at %s", what, ms, call.where)


def _where() -> str:
    frames = [f for f in traceback.extract_stack()[:-3] if "desktop_app" in f.filename
              and "thread_guard" not in f.filename]
    return " <- ".join(f"{f.filename.rsplit('desktop_app', 1)[-1]}:{f.lineno} {f.name}"
                       for f in reversed(frames[-4:]))
