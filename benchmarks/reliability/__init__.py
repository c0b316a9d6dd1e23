"""Reliability: a soak of many devices through cutting links, SIGKILLs of a
syncing laptop, bad input, and the NIK-free logs — with the books balanced.

``python -m benchmarks reliability`` (or ``python -m benchmarks.reliability
[--devices N] [--minutes M] [--kills K]``; ``TAPIS_RELIABILITY_MINUTES`` /
``TAPIS_RELIABILITY_DEVICES`` / ``TAPIS_RELIABILITY_KILLS`` do the same through
``python -m benchmarks``) runs, against one sync server in its own process
(SQLite; ``--backends postgresql --workers 2`` or TAPIS_RELIABILITY_BACKEND /
TAPIS_RELIABILITY_WORKERS: ``python -m server run --workers 2`` on a fresh
PostgreSQL database):

1. **Soak** (tests/support/soak.py): N simulated devices (default 20) in two
   regencies, each a real store and the real sync engine behind its own link
   emulator, making and editing records for M minutes (default 10), the
   server's RSS sampled; at the end the links heal, every device syncs to
   the end, and the books are checked (tests/support/accounting.py): every
   change applied at the server exactly once, every device's rows of its
   regency equal to the server's.
2. **Kills** (tests/support/crash_campaign.py): a laptop process that saves
   and syncs in a loop, SIGKILLed at random points aimed at saves, pushes in
   flight, push acknowledgements and pull pages being applied.
3. **Bad input** (fuzz.py): a bounded loop of malformed, oversized and
   hostile requests; none may get a 5xx.
4. **Logs**: every log file grepped for every NIK in the data.

The campaigns are test harnesses, shared with tests/reliability/, so they
live in tests/support/; this package holds the benchmark's own parts: the
run at its size (benchmark.py), the bad input (fuzz.py) and the report
writer (report.py: docs/RELIABILITY.md whole, and the 'reliability' section
of docs/PERFORMANCE.md through benchmarks.common).
"""

from __future__ import annotations

from typing import Any


def run(options: Any) -> Any:
    """The benchmark, as benchmarks/registry.py calls it (imported only when it runs)."""
    from .benchmark import run as run_benchmark

    return run_benchmark(options)
