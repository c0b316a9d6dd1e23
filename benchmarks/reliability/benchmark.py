"""The reliability benchmark at a chosen size: the soak, the kills and the
bad input against one server (one process on SQLite by default, or
``--backends postgresql --workers N``), then docs/RELIABILITY.md and the
'reliability' section of docs/PERFORMANCE.md."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tests.support.accounting import Books, Memory, log_files, niks_in_logs, server_niks
from tests.support.crash_campaign import crash_campaign
from tests.support.server_process import ServerProcess
from tests.support.soak import DEFAULT_DEVICES, DEFAULT_MINUTES, SoakConfig, soak

from ..common import Measure, Section
from .fuzz import fuzz
from .report import DOC, write_doc

NAME = "reliability"
#: How often the server's memory is sampled during the soak.
RSS_EVERY_S = 2.0


def _options_value(options: Any, name: str, env: str, default: float) -> float:
    value = getattr(options, name, None)
    if value is None and os.environ.get(env):
        value = float(os.environ[env])
    return float(default if value is None else value)


def _server_choice(options: Any) -> tuple[str, int]:
    """(backend, workers): ``--backends``/``--workers`` (their first value)
    or TAPIS_RELIABILITY_BACKEND / TAPIS_RELIABILITY_WORKERS; default one
    process on SQLite. PostgreSQL runs on a fresh database, dropped after."""
    backend = (getattr(options, "backends", None) or os.environ.get("TAPIS_RELIABILITY_BACKEND")
               or "sqlite").split(",")[0].strip()
    if backend in ("pg", "postgres"):
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise SystemExit(f"reliability: unknown backend {backend!r} (sqlite, postgresql)")
    workers = str(getattr(options, "workers", None) or os.environ.get("TAPIS_RELIABILITY_WORKERS")
                  or ("2" if backend == "postgresql" else "1")).split(",")[0]
    return backend, int(workers)


@contextmanager
def _database(backend: str, workdir: Path) -> Iterator[Path | str]:
    """The server's database: a SQLite file in ``workdir``, or a fresh
    PostgreSQL database on 127.0.0.1:5432 (dropped afterwards)."""
    if backend == "sqlite":
        yield workdir / "server.sqlite3"
        return
    from tests.support.servers import postgres_database

    with postgres_database() as url:
        yield url


def run(options: Any) -> Section:
    backend, workers = _server_choice(options)
    devices = int(_options_value(options, "devices", "TAPIS_RELIABILITY_DEVICES", DEFAULT_DEVICES))
    minutes = _options_value(options, "minutes", "TAPIS_RELIABILITY_MINUTES", DEFAULT_MINUTES)
    kills = int(_options_value(options, "kills", "TAPIS_RELIABILITY_KILLS", 60))
    seed = 20261123
    full = devices == DEFAULT_DEVICES and minutes >= DEFAULT_MINUTES
    workdir = Path(tempfile.mkdtemp(prefix="tapis-reliability-"))
    started = datetime.now(timezone.utc)
    say = lambda text: print(text, flush=True)  # noqa: E731
    try:
        say(f"soak: {devices} devices for {minutes:g} min …")
        with _database(backend, workdir) as database, \
                ServerProcess(database, workdir / "server.err", sample_every=RSS_EVERY_S,
                              workers=workers,
                              env={"TAPIS_BLOB_DIR": str(workdir / "blobs")}).start() as server:
            result = soak(workdir / "soak", server,
                          SoakConfig(devices=devices, seconds=minutes * 60, seed=seed),
                          progress=say)
            say(f"kills: {kills} SIGKILLs of a syncing laptop …")
            crash = crash_campaign(workdir / "crash", server, kills=kills, seed=seed)
            say("bad input …")
            bad = fuzz(server.url, examples=600, seed=seed)
            # The kills ran with logs on too: the NIK grep covers them.
            files = log_files(workdir)
            niks = server_niks(server.db_url)
        crash_hits = niks_in_logs(niks, files)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    memory = result.memory or Memory(0, 0, 0, 0, 0)
    crash_books = crash.books or Books()
    crash_ok = (crash.integrity == "ok" and not crash.check_faults and crash_books.lost == 0
                and crash_books.duplicated == 0 and not crash.missing_reported
                and not crash.differences)
    server_text = ("one server process on SQLite" if backend == "sqlite" else
                   f"`python -m server run --workers {workers}` on a fresh PostgreSQL database "
                   f"(RSS: the workers' total)")
    write_doc(result, crash, bad, devices=devices, minutes=minutes, full=full, when=started,
              log_hits=crash_hits, crash_ok=crash_ok, server=server_text)
    say(f"wrote {DOC}")
    figures = [
        Measure("devices × minutes", devices * minutes, "device-min", digits=0),
        Measure("changes logged by the devices", result.recorded, "", digits=0),
        Measure("changes lost", result.lost + crash_books.lost, "", target=0, digits=0),
        Measure("changes duplicated", result.duplicated + crash_books.duplicated, "", target=0,
                digits=0),
        Measure("devices not converged", sum(1 for d in result.differences.values() if d), "",
                target=0, digits=0),
        Measure("link cuts, drops and blank-spot resets", result.cuts, "", digits=0),
        Measure("SIGKILLs survived", crash.kills if crash_ok else 0, "", target=crash.kills,
                better="higher", digits=0),
        Measure("bad requests answered 5xx", len(bad.server_errors), f"of {bad.tried}", target=0,
                digits=0),
        Measure("NIKs found in log files", sum(result.nik_hits.values()) + sum(crash_hits.values()),
                "", target=0, digits=0),
        Measure("server RSS peak", memory.peak_mib, "MiB", digits=1),
        Measure("server RSS slope, last half", memory.slope_mib_per_min, "MiB/min", target=1.0,
                digits=2),
    ]
    return Section(
        name=NAME, title="Reliability: soak, kills, bad input",
        command="python -m benchmarks reliability" + (
            "" if backend == "sqlite" else f" --backends postgresql --workers {workers}") + (
            "" if full else
                                                      f"  (run shortened: {devices} devices × "
                                                      f"{minutes:g} min)"),
        setup=(f"{devices} simulated devices in two regencies, each a real store and sync "
               f"engine behind its own cutting link, making and editing records for "
               f"{minutes:g} minutes against {server_text}; then {crash.kills} "
               f"SIGKILLs of a syncing laptop and {bad.tried} bad requests. Details and the "
               f"fault campaigns CI runs: docs/RELIABILITY.md."),
        figures=figures, full_size=full,
        notes=[] if full else [f"shortened run: {devices} devices × {minutes:g} min "
                               f"(default {DEFAULT_DEVICES} × {DEFAULT_MINUTES:g})"])
