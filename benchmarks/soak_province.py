"""A server's memory over a soak at province scale (issue 17): does a
worker process's RSS stay flat while laptops push and pull against a
PostgreSQL database that holds the whole province?

A fresh PostgreSQL database (``soak_province_*``, dropped after) gets the
schema, the reference data and the demo accounts, then the province
(benchmarks/province_data.py: 200,000 businesses, 5,600 cooperatives,
20,000 aid applicants and 400,000 visits with their change log; ``--records
N`` scales it to N businesses for a quick run). ``python -m server run
--workers W`` (default 2) serves it on loopback. The soak harness
(tests/support/soak.py) then runs D simulated laptops (default 6) in two
regencies, each a real store and the real sync engine behind a link that
only delays (20 ms, no cuts: this soak is about the server under steady
load, the fault soak is ``reliability``). Each regency's first pull (about
40,000 rows at full size) is made once by a template laptop; every laptop
starts from a copy of it restored as a new device (store/restore.py), then
makes and edits records and syncs
every 4-12 s for ``--minutes`` (default 10). Every 5 s each worker's RSS is
read from /proc; from the end of the warm-up (every laptop's first pull
done, plus a minute) to the end of the soak (before the settling syncs) the
slope of each worker's RSS is fitted by least squares, in MiB/min. The limit is 1 MiB/min per worker: 10 MiB an hour, a worker that
would need a restart within days. At the end the links' books are drawn up
(every change applied exactly once, every laptop equal to the server).

Bounded: the soak stops at ``--minutes``; its settling sync is bounded
(tests/support/soak.py), and the whole run is given up after
``--minutes`` + 40 minutes (data generation included) by an alarm.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from argparse import Namespace
from pathlib import Path
from types import FrameType

from server.setup import init
from tests.support.accounting import memory_of, slope_per_minute
from tests.support.server_process import ServerProcess
from tests.support.soak import SoakConfig, soak

from .common import Measure, Section, create_database, drop_database, say
from .province_data import generate, scaled

NAME = "soak-province"
DEFAULT_MINUTES = 10.0
DEFAULT_DEVICES = 6
DEFAULT_WORKERS = 2
SAMPLE_EVERY_S = 5.0
#: After every laptop's first pull: one more minute before the fit starts.
WARM_UP_AFTER_FIRST_PULLS_S = 60.0
SLOPE_LIMIT_MIB_PER_MIN = 1.0
#: The whole run (generation, soak, books) is given up after the soak's
#: length plus this: the lead's re-measurement always ends.
OVERRUN_S = 40 * 60


def _first(value: object, default: int) -> int:
    """``--workers`` is a list for other benchmarks ('1,2,4'): the first."""
    if value in (None, ""):
        return default
    return int(str(value).split(",")[0])


def _give_up(_signum: int, _frame: FrameType | None) -> None:
    raise TimeoutError("soak-province: the run passed its time limit and was given up")


def run(options: Namespace) -> Section:
    minutes = float(getattr(options, "minutes", None) or DEFAULT_MINUTES)
    devices = int(getattr(options, "devices", None) or DEFAULT_DEVICES)
    workers = _first(getattr(options, "workers", None), DEFAULT_WORKERS)
    records = getattr(options, "records", None)
    size = scaled(records, fewer_officers=True)
    full = records is None and minutes >= DEFAULT_MINUTES
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="tapis-soak-province-"))
    name = create_database("soak_province")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    previous = signal.signal(signal.SIGALRM, _give_up)
    signal.alarm(int(minutes * 60 + OVERRUN_S))
    try:
        say(f"init {name}")
        init(url, demo=True)
        began = time.monotonic()
        say(f"generating {size.businesses:,} businesses, {size.cooperatives:,} cooperatives, "
            f"{size.surveys + size.audits + size.verifications:,} visits")
        data = generate(url, size)
        generated_s = time.monotonic() - began
        say(f"generated {data.counts} in {generated_s:.0f} s")
        server = ServerProcess(url, workdir / "server.err", sample_every=SAMPLE_EVERY_S,
                               workers=workers, env={"TAPIS_BLOB_DIR": str(workdir / "blobs")})
        with server.start(initialised=True):
            say(f"soak: {devices} laptops for {minutes:g} min against {workers} worker(s), "
                f"load average {os.getloadavg()[0]:.1f}")
            config = SoakConfig(devices=devices, seconds=minutes * 60, seed=20261201,
                                rtt_ms=20.0, bps=None, blank_spots=False, log_sql=False,
                                cuts=False, warm_stores=True)
            result = soak(workdir / "soak", server, config, progress=say)
            load_during = os.getloadavg()
        warm_until = result.first_syncs_done - server.sampled_since + WARM_UP_AFTER_FIRST_PULLS_S
        # The fit ends where the laptops stopped: the settling syncs and the
        # books after it are no load, and a flat tail would flatter the slope.
        soak_end = result.ended - server.sampled_since
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        drop_database(name)
        shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()

    # The workers that served the whole soak (a worker uvicorn restarted would show as two).
    series = {pid: s for pid, s in server.worker_rss.items() if s}
    fitted_minutes = max(0.0, soak_end - warm_until) / 60
    figures: list[Measure] = []
    slopes = []
    for n, (pid, samples) in enumerate(sorted(series.items()), start=1):
        mib = [(t, k / 1024) for t, k in samples]
        fitted = [(t, v) for t, v in mib if warm_until <= t <= soak_end]
        slope = slope_per_minute(fitted)
        slopes.append(slope)
        at_warm = fitted[0][1] if fitted else mib[0][1]
        figures += [
            Measure(f"worker {n}: RSS start {mib[0][1]:.1f}, after warm-up {at_warm:.1f}, "
                    f"peak {max(v for _, v in mib):.1f}, at the soak's end",
                    fitted[-1][1] if fitted else mib[-1][1], "MiB", digits=1),
            Measure(f"worker {n}: RSS slope after warm-up ({len(fitted)} samples)", slope,
                    "MiB/min", target=SLOPE_LIMIT_MIB_PER_MIN, digits=2),
        ]
    total = memory_of([(t, k) for t, k in server.rss if t <= soak_end], since=warm_until)
    figures += [
        Measure("minutes fitted (after warm-up)", fitted_minutes, "min", digits=1),
        Measure("changes logged by the laptops", result.recorded, "", digits=0),
        Measure("changes pulled by the laptops", result.pulled, "", digits=0),
        Measure("syncs", result.syncs, "", digits=0),
        Measure("changes lost", result.lost, "", target=0, digits=0),
        Measure("changes duplicated", result.duplicated, "", target=0, digits=0),
        Measure("laptops not converged", sum(1 for d in result.differences.values() if d), "",
                target=0, digits=0),
        Measure("all workers' RSS slope after warm-up", total.slope_mib_per_min, "MiB/min",
                digits=2),
    ]
    if not series:
        figures.append(Measure("worker RSS samples", 0, "", target=1, better="higher", digits=0))
    load_text = (f"load average (1 min) {load_before[0]:.1f} before, {load_during[0]:.1f} at the "
                 f"end of the soak, {load_after[0]:.1f} after (5 min: {load_before[1]:.1f} / "
                 f"{load_during[1]:.1f} / {load_after[1]:.1f})")
    say(load_text)
    command = "python -m benchmarks soak-province" + (
        f" --records {records}" if records else "") + (
        f" --minutes {minutes:g}" if minutes != DEFAULT_MINUTES else "") + (
        f" --devices {devices}" if devices != DEFAULT_DEVICES else "") + (
        f" --workers {workers}" if workers != DEFAULT_WORKERS else "")
    return Section(
        name=NAME,
        title="Server memory over a soak at province scale (PostgreSQL, several workers)",
        command=command,
        setup=(f"PostgreSQL 127.0.0.1, a fresh database filled by benchmarks/province_data.py "
               f"({generated_s:.0f} s): {size.businesses:,} businesses, {size.cooperatives:,} "
               f"cooperatives, {size.applicants:,} aid applicants, {size.surveys:,} surveys, "
               f"{size.audits:,} audits and {size.verifications:,} verifications, each with its "
               f"change-log row. `python -m server run --workers {workers}` serves it; {devices} "
               f"simulated laptops in two regencies (real stores, the real sync engine, a 20 ms "
               f"link without cuts) start from a copy of a laptop that made the regency's "
               f"first pull (restored as a new device), then make and edit records and "
               f"sync every 4-12 s for {minutes:g} minutes. Each worker's RSS is read every "
               f"{SAMPLE_EVERY_S:g} s; the slope is fitted by least squares from the end of the "
               f"warm-up (every laptop's first pull, plus {WARM_UP_AFTER_FIRST_PULLS_S:g} s) to "
               f"the end of the soak (the settling syncs and the books left out). "
               f"Limit: under {SLOPE_LIMIT_MIB_PER_MIN:g} MiB/min per worker."),
        figures=figures,
        notes=[f"Measured on the machine as it was: {load_text}; 2 cores shared with other work.",
               "A slope is noise-bound over a short fit: a quick run (--minutes 3) says little; "
               "the limit is meant for the 10-minute run."],
        full_size=full,
    )
