"""Thread-safe counters of what went through the link and what was broken."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StatsSnapshot:
    bytes_up: int
    bytes_down: int
    connections: int
    active: int
    refused: int
    cuts: int
    cuts_by_bytes: int
    cuts_by_drop: int
    cuts_by_offline: int
    upstream_errors: int
    cut_budgets: tuple[int, ...]


@dataclass
class LinkStats:
    """Live counters; the emulator thread writes, any thread may read.

    ``bytes_up``/``bytes_down`` count bytes *delivered* (client -> server and
    server -> client). Cuts are counted by cause: ``cuts_by_bytes`` (the
    cut policy's byte budget), ``cuts_by_drop`` (link-wide drops: the
    periodic timer or ``cut_all()``), ``cuts_by_offline`` (open connections
    reset by ``go_offline()``). ``refused`` counts connections turned away
    while offline. ``cut_budgets`` lists the byte budget drawn for each
    connection that had one, in accept order (for reproducibility checks).
    """

    bytes_up: int = 0
    bytes_down: int = 0
    connections: int = 0
    active: int = 0
    refused: int = 0
    cuts_by_bytes: int = 0
    cuts_by_drop: int = 0
    cuts_by_offline: int = 0
    upstream_errors: int = 0
    cut_budgets: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def cuts(self) -> int:
        return self.cuts_by_bytes + self.cuts_by_drop + self.cuts_by_offline

    def add(self, **increments: int) -> None:
        with self._lock:
            for name, value in increments.items():
                setattr(self, name, getattr(self, name) + value)

    def record_budget(self, budget: int) -> None:
        with self._lock:
            self.cut_budgets.append(budget)

    def snapshot(self) -> StatsSnapshot:
        with self._lock:
            return StatsSnapshot(self.bytes_up, self.bytes_down, self.connections, self.active,
                                 self.refused, self.cuts, self.cuts_by_bytes, self.cuts_by_drop,
                                 self.cuts_by_offline, self.upstream_errors,
                                 tuple(self.cut_budgets))

    def reset(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = self.connections = self.refused = 0
            self.cuts_by_bytes = self.cuts_by_drop = self.cuts_by_offline = 0
            self.upstream_errors = 0
            self.cut_budgets.clear()
