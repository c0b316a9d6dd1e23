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
]


def by_name(name: str) -> Benchmark:
    for benchmark in BENCHMARKS:
        if benchmark.name == name:
            return benchmark
    raise KeyError(name)
