"""The list of benchmarks. A new one is a module with ``run(options) ->
Section`` (see :mod:`benchmarks.common`) and one line here."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Benchmark:
    name: str
    summary: str
    module: str  # imported only when the benchmark runs

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


BENCHMARKS: list[Benchmark] = [
    Benchmark("store", "saves, first pages of lists and full-text search on a big store",
              "benchmarks.store"),
    Benchmark("sync-push", "pushing 10,000 survey records over 64 and 256 kbit/s links, "
              "against one POST per record", "benchmarks.sync_push"),
    Benchmark("sync-ingest", "50 devices pushing at once to a loopback server: changes "
              "applied per second on SQLite and PostgreSQL", "benchmarks.sync_ingest"),
    Benchmark("morning", "300 devices × 500 changes at once on PostgreSQL, 1-4 server workers "
              "and two instances on one database", "benchmarks.morning"),
    Benchmark("gui", "starting the application on 100,000 records: first window, first list "
              "page, scrolling and search", "benchmarks.gui"),
    Benchmark("console", "the web console's record tables, record pages and dashboard over "
              "200,000 businesses and 400,000 visits on PostgreSQL", "benchmarks.console"),
    Benchmark("login-flood", "40 parallel wrong sign-ins while four officers push and pull: "
              "their sync time against normal, on SQLite and PostgreSQL", "benchmarks.login_flood"),
    Benchmark("province-pull", "a regency's first pull at 256 kbit/s against its floor, the "
              "admin's whole-province pull (time, memory, disk) and a pull while 50 devices "
              "push, over 200,000 businesses and 400,000 visits on PostgreSQL",
              "benchmarks.province_pull"),
    Benchmark("soak-province", "a server worker's memory over a 10-minute soak of laptops "
              "pushing and pulling against province-sized PostgreSQL data (slope < 1 MiB/min)",
              "benchmarks.soak_province"),
    Benchmark("reliability", "20 devices × 10 min through cutting links, SIGKILLs, bad input, NIK-free logs (docs/RELIABILITY.md)", "benchmarks.reliability"),
]


def by_name(name: str) -> Benchmark:
    for benchmark in BENCHMARKS:
        if benchmark.name == name:
            return benchmark
    raise KeyError(name)
