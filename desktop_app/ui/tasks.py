"""Work off the GUI thread: one helper for the whole GUI.

``run_op(fn, *args).success(on_ok).failure(on_error)`` runs ``fn`` on a
worker and calls back on the GUI thread. Two lanes, each a pool of one
thread: ``db`` for the store (SQLite writes are serial anyway, and one
worker keeps them in the order the officer made them) and ``net`` for the
server, so a slow link never holds up a search. Workers get plain data
(ids, dicts, dataclasses), never widgets or ORM objects; callbacks whose
owner widget is gone are dropped instead of touching a deleted object.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

DB = "db"
NET = "net"
#: An operation slower than this on a worker is logged, to find slow queries.
SLOW_OP_SECONDS = 0.5


class Op:
    """A handle to chain callbacks on; they run on the GUI thread."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 owner: QObject | None) -> None:
        self.fn, self.args, self.kwargs, self.owner = fn, args, kwargs, owner
        self._success: list[Callable[[Any], None]] = []
        self._failure: list[Callable[[BaseException], None]] = []
        self._finally: list[Callable[[], None]] = []
        self.done = False

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._success.append(callback)
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._failure.append(callback)
        return self

    def finally_(self, callback: Callable[[], None]) -> Op:
        self._finally.append(callback)
        return self

    def deliver(self, result: Any, error: BaseException | None) -> None:
        self.done = True
        if self.owner is not None and not shiboken6.isValid(self.owner):
            return  # the page that asked is gone; nothing left to update
        try:
            if error is None:
                for callback in self._success:
                    callback(result)
            elif self._failure:
                for failed in self._failure:
                    failed(error)
            else:
                log.error("background operation %s failed", _name(self.fn),
                          exc_info=(type(error), error, error.__traceback__))
        finally:
            for callback in self._finally:
                callback()


class _Relay(QObject):
    """Lives on the GUI thread and keeps every operation in flight; a worker
    emits only the operation's key, queued to it.

    The operation (its owner widget, its callbacks, which hold widgets too)
    never reaches a worker thread: were a worker to drop the last reference
    to a widget with no parent, Python would free it there, and a QWidget
    deleted off the GUI thread takes the process down.
    """

    finished = Signal(object, object, object)  # key, result, error

    def __init__(self) -> None:
        super().__init__()
        self.in_flight: dict[int, Op] = {}
        self.finished.connect(self._deliver)

    @Slot(object, object, object)
    def _deliver(self, key: int, result: Any, error: BaseException | None) -> None:
        self.in_flight.pop(key).deliver(result, error)


class _Job(QRunnable):
    """What a worker holds: the function, its plain-data arguments, a key."""

    def __init__(self, key: int, op: Op, relay: _Relay) -> None:
        super().__init__()
        self.key, self.relay = key, relay
        self.fn, self.args, self.kwargs = op.fn, op.args, op.kwargs

    def run(self) -> None:
        started = time.perf_counter()
        result: Any = None
        error: BaseException | None = None
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # handed to the GUI thread, never lost in the pool
            error = exc
        took = time.perf_counter() - started
        if took > SLOW_OP_SECONDS:
            log.info("slow background operation %s: %.0f ms", _name(self.fn), took * 1000)
        self.relay.finished.emit(self.key, result, error)


class Runner:
    """The worker lanes. One per application; tests wait on it with :meth:`wait`."""

    def __init__(self) -> None:
        self.relay = _Relay()
        self.keys = itertools.count()
        self.pools: dict[str, QThreadPool] = {}
        for lane in (DB, NET):
            pool = QThreadPool()
            pool.setMaxThreadCount(1)
            self.pools[lane] = pool

    def run(self, fn: Callable[..., Any], *args: Any, lane: str = DB, owner: QObject | None = None,
            **kwargs: Any) -> Op:
        op = Op(fn, args, kwargs, owner)
        key = next(self.keys)
        self.relay.in_flight[key] = op
        self.pools[lane].start(_Job(key, op, self.relay))
        return op

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until both lanes are idle (tests and shutdown only)."""
        deadline = time.monotonic() + msecs / 1000
        ok = True
        for pool in self.pools.values():
            left = max(0, int((deadline - time.monotonic()) * 1000))
            ok = pool.waitForDone(left) and ok
        return ok


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", repr(fn))
