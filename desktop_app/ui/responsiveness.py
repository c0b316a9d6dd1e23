"""Measuring whether the GUI thread stays free.

A timer on the GUI thread ticks every few milliseconds; the longest gap
between two ticks is how long the officer would have seen a frozen window.
Tests run it around long work (a sync, a search over many rows) to prove
the work really is off the GUI thread and does not starve it of the GIL.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
import time

from PySide6.QtCore import QObject, Qt, QTimer


class StallMonitor(QObject):
    """``start()``, do the work while the event loop runs, ``stop()``, read ``worst_gap_ms``."""

    def __init__(self, interval_ms: int = 10, parent: QObject | None = None, *,
                 report_over_ms: float = 30.0) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.report_over_ms = report_over_ms
        #: (ms since start, gap in ms) of every gap over report_over_ms, to find the culprit
        self.stalls: list[tuple[float, float]] = []
        self._started = 0.0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.worst_gap_ms = 0.0
        self.ticks = 0
        self._last: float | None = None

    def start(self) -> None:
        self.worst_gap_ms, self.ticks, self.stalls = 0.0, 0, []
        self._last = self._started = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        """Stop ticking; the gap up to now counts too. Returns ``worst_gap_ms``."""
        if self.timer.isActive():
            self._tick()
            self.timer.stop()
        self._last = None
        return self.worst_gap_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            gap = (now - self._last) * 1000
            self.worst_gap_ms = max(self.worst_gap_ms, gap)
            if gap > self.report_over_ms:
                self.stalls.append(((now - self._started) * 1000, gap))
        self._last = now
        self.ticks += 1


def freeze_startup_objects() -> None:
    """Keep the garbage collector from freezing the window during long work.

    A full (generation 2) collection walks every tracked object and holds
    the GIL while it does; with Qt, SQLAlchemy and the models loaded that is
    over 100 ms, and a worker allocating thousands of rows (a sync, an
    import) triggers one at any moment, stalling the GUI thread. Objects
    alive after start-up live as long as the application, so they are moved
    out of the collector's way once (gc.freeze); later collections walk only
    what was made since. Call after the main window is built.
    """
    gc.collect()
    gc.freeze()


#: How long a worker thread may hold the GIL before it must offer it (CPython's
#: default is 5 ms). Each cell the table view paints calls into Python and
#: needs the GIL; while a worker turns rows into dicts, every one of those
#: calls could wait a full interval, and a repaint of 200 cells stalled for
#: 40-75 ms. At 0.5 ms the worker yields more often and the window stays
#: under 50 ms; the worker loses a few per cent of its speed.
SWITCH_INTERVAL_S = 0.0005


#: Collect the youngest generation after 10,000 new objects instead of 700.
#: A list keeps its 40 most recent pages (8,000 rows) alive, so collections
#: found little garbage and ran often; each on a worker holds the GIL
#: (gen-2 ones 25 ms). Scrolling 100,000 rows: worst gap 50-60 ms -> 37-42 ms.
GC_THRESHOLD = (10_000, 50, 100)


def keep_gui_responsive() -> Callable[[], None]:
    """What the application does once its window is up: move start-up objects
    out of the collector's way, collect less often, and make worker threads
    share the GIL often. Returns a function that puts it all back (tests)."""
    interval, threshold = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    gc.set_threshold(*GC_THRESHOLD)
    freeze_startup_objects()

    def restore() -> None:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)

    return restore
