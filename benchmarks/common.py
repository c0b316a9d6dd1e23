"""What every benchmark shares: timing, figures with targets, the machine
description, the table on stdout and the sections of docs/PERFORMANCE.md."""

from __future__ import annotations

import gc
import math
import os
import platform
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".cache"
DOC = ROOT / "docs" / "PERFORMANCE.md"
DOC_HEAD = """# Performance

Measured figures of Tapis against its targets. Each section below is written
by one benchmark (`python -m benchmarks NAME`, from the repository root with
the project's virtual environment) and replaced whole when it runs again;
`python -m benchmarks` runs them all. Do not edit between the markers by hand.
"""


@dataclass
class Timing:
    samples: list[float]  # wall-clock milliseconds per call
    full_gcs: int  # Python's generation-2 collections that ran inside the timed calls


def time_ms(call: Callable[[], object], runs: int, *, warmup: int = 0) -> Timing:
    """Time ``runs`` calls (after ``warmup`` uncounted ones), garbage
    collector left on as in the application, its full collections counted."""
    for _ in range(warmup):
        call()
    full = 0

    def count(phase: str, info: dict[str, int]) -> None:
        nonlocal full
        if phase == "start" and info["generation"] == 2:
            full += 1

    samples = []
    gc.callbacks.append(count)
    try:
        for _ in range(runs):
            start = time.perf_counter_ns()
            call()
            samples.append((time.perf_counter_ns() - start) / 1e6)
    finally:
        gc.callbacks.remove(count)
    return Timing(samples, full)


def say(message: str) -> None:
    """A timestamped progress line on stderr, so long runs show where they are."""
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least p % at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Figure:
    """One measured quantity: its samples and the target its p99 must meet."""

    name: str
    timing: Timing
    target_ms: float

    @property
    def samples(self) -> list[float]:
        return self.timing.samples

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)

    @property
    def passed(self) -> bool:
        return self.p99 < self.target_ms


@dataclass
class Measure:
    """One measured quantity that is not a latency distribution (bytes per
    record, a ratio, a rate), with an optional target it must not exceed
    (``better="lower"``) or must reach (``better="higher"``)."""

    name: str
    value: float
    unit: str = ""
    target: float | None = None
    better: Literal["lower", "higher"] = "lower"
    digits: int = 2

    @property
    def passed(self) -> bool:
        if self.target is None:
            return True
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    def shown(self, value: float) -> str:
        return f"{value:,.{self.digits}f}"


@dataclass
class Section:
    """What a benchmark hands back: one section of the report. ``figures``
    may mix timing :class:`Figure` rows and :class:`Measure` rows; each kind
    gets its own table."""

    name: str
    title: str
    command: str
    setup: str  # how the data was made, in a sentence or two
    figures: list[Figure | Measure]
    notes: list[str] = field(default_factory=list)
    full_size: bool = True  # False for a quick run (e.g. fewer records): kept out of the doc

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.figures)


def table(section: Section) -> str:
    """The figures as Markdown tables (readable on a terminal too): one for
    timing figures, one for measures, whichever the section has."""
    timings = [f for f in section.figures if isinstance(f, Figure)]
    measures = [f for f in section.figures if isinstance(f, Measure)]
    tables = []
    if timings:
        rows = [("Figure", "n", "median ms", "p99 ms", "max ms", "full GCs", "target (p99)",
                 "result")]
        for f in timings:
            rows.append((f.name, str(len(f.samples)), f"{f.median:.2f}", f"{f.p99:.2f}",
                         f"{max(f.samples):.2f}", str(f.timing.full_gcs), f"< {f.target_ms:g} ms",
                         "pass" if f.passed else "FAIL"))
        tables.append(_grid(rows))
    if measures:
        rows = [("Measure", "value", "unit", "target", "result")]
        for m in measures:
            target = "-" if m.target is None else (
                ("≤ " if m.better == "lower" else "≥ ") + m.shown(m.target))
            rows.append((m.name, m.shown(m.value), m.unit, target,
                         "-" if m.target is None else ("pass" if m.passed else "FAIL")))
        tables.append(_grid(rows, right=(1,)))
    return "\n\n".join(tables)


def _grid(rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.rjust(w) if i in right else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """CPU, cores, RAM, OS, Python and SQLite of this machine."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram = "unknown"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    os_name = platform.platform()
    try:
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]*)', Path("/etc/os-release").read_text(), re.M)
        if pretty:
            os_name = f"{pretty.group(1)} (kernel {platform.release()})"
    except OSError:
        pass
    return {"CPU": cpu, "Cores": str(os.cpu_count()), "RAM": ram, "OS": os_name,
            "Python": platform.python_version(), "SQLite": sqlite3.sqlite_version,
            "Load average at the end (1/5/15 min)": load_average()}


def _ticks(pid: str) -> tuple[int, int] | None:
    """(parent pid, user + system clock ticks) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[11]) + int(fields[12])


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants alive
    now: a server's master and its workers."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _ticks(entry.name)
            if found is not None:
                table[int(entry.name)] = found
    total, wanted = 0, {pid}
    changed = True
    while changed:  # bounded by the number of processes
        changed = False
        for child, (parent, _ticks_) in table.items():
            if parent in wanted and child not in wanted:
                wanted.add(child)
                changed = True
    total = sum(table[p][1] for p in wanted if p in table)
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(database: str) -> float:
    """CPU time of the PostgreSQL backends serving ``database`` (their
    process titles name it), alive now."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            found = _ticks(entry.name)
            total += found[1] if found else 0
    return total / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): on a shared machine the
    figures are read beside it."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def markdown(section: Section, when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    info = machine()
    verdict = ("all figures meet their targets" if section.passed else
               "some figures miss their targets: " +
               ", ".join(f.name for f in section.figures if not f.passed))
    parts = [
        f"<!-- bench:{section.name}:start -->",
        f"## {section.title}",
        "",
        f"Reproduce: `{section.command}`",
        "",
        section.setup,
        "",
        f"- Date: {when.strftime('%Y-%m-%d %H:%M UTC')}",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        table(section),
        "",
        f"Result: {verdict}." + _targets_note(section),
    ]
    if section.notes:
        parts += ["", *[f"- {note}" for note in section.notes]]
    parts.append(f"<!-- bench:{section.name}:end -->")
    return "\n".join(parts) + "\n"


def _targets_note(section: Section) -> str:
    kinds = {type(f) for f in section.figures}
    if kinds == {Figure}:
        return " Targets apply to the p99."
    return " Timing targets apply to the p99." if Figure in kinds else ""


def write_section(section: Section, doc: Path = DOC) -> None:
    """Replace this benchmark's section of the document (or add it at the end)."""
    block = markdown(section)
    text = doc.read_text(encoding="utf-8") if doc.exists() else DOC_HEAD
    pattern = re.compile(rf"<!-- bench:{re.escape(section.name)}:start -->.*?"
                         rf"<!-- bench:{re.escape(section.name)}:end -->\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


#: The benchmarks' PostgreSQL (trust authentication on loopback).
PG_HOST = "postgresql://postgres@127.0.0.1:5432"


def create_database(prefix: str) -> str:
    """A fresh, uniquely named PostgreSQL database; its name."""
    import uuid

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG_HOST}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    """Drop a benchmark's database, closing what still uses it."""
    import psycopg

    with psycopg.connect(f"{PG_HOST}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
