"""Pulling the province's data onto laptops (issue 17, "Province-sized data").

A fresh PostgreSQL database (``province_pull_*``, dropped after) gets the
schema, the reference data and the demo accounts, then the province
(benchmarks/province_data.py: 200,000 businesses, 5,600 cooperatives,
20,000 aid applicants, 400,000 visits and a change-log row for each). A real
server process (``python -m server run``) serves it on loopback, and new
laptop stores pull it with the real :class:`SyncEngine`:

(a) a regency officer's first pull through the link emulator at 256 kbit/s
    each way / 300 ms RTT, against its floor (bytes on the wire at the link
    rate plus one round trip per request), and its bytes per record;
(b) the provincial admin's whole-province pull on loopback, in its own
    process: time, peak memory (max RSS) of that laptop process, size of its
    store on disk;
(c) a regency pull on loopback while 50 devices push at once: each page's
    latency, against the same pull on a quiet server.

``--records N`` scales the province to N businesses (and the rest in
proportion) for a quick run; the documented command is the full size.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from argparse import Namespace
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.store import migrate, open_store
from desktop_app.store.store import DB_NAME
from desktop_app.sync.client import SyncClient
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import SyncEngine
from server.setup import DEMO_PASSWORD, init
from tests.support.server_process import server_process

from .common import (
    CACHE, Measure, Section, create_database, drop_database, load_average, percentile, say,
)
from .linkemu import LinkEmulator, LinkProfile
from .province_data import Size, generate, scaled

NAME = "province-pull"
DATA_PASSWORD = "province-data-2026"  # province_data.generate's officers
ADMIN = "admin.provinsi"
#: The regency pulled in (a) and (c): Kota Bandar Lampung, then Tanggamus.
REGENCY, QUIET_REGENCY, BUSY_REGENCY = "18.71", "18.06", "18.02"
LINK = LinkProfile.symmetric("256k", 256_000, 300.0)
RATIO_TARGET = 1.25
#: An ordinary laptop (8 GB): the whole-province pull must stay far below.
PEAK_MEMORY_TARGET_MIB = 1024.0
#: A page that waits longer than the server's keep-alive looks like a stall.
STALL_TARGET_MS = 5000.0
PUSH_DEVICES = 50
PUSH_PER_DEVICE = 200  # businesses (and as many surveys) per pushing device
#: Bounds, so a run always ends: the admin's pull (s) at full size.
ADMIN_TIMEOUT = 3 * 3600


@dataclass
class Pull:
    records: int
    seconds: float
    requests: int
    bytes_up: int
    bytes_down: int
    refetched: list[str]
    pages_ms: list[float] = field(default_factory=list)
    pages_at: list[float] = field(default_factory=list)  # each page request's start (time.time())

    def floor(self, link: LinkProfile) -> float:
        """Seconds the link needs at least: bytes each way at its rate plus
        one round trip per request."""
        assert link.up_bps is not None and link.down_bps is not None
        return (self.bytes_up * 8 / link.up_bps + self.bytes_down * 8 / link.down_bps
                + self.requests * link.rtt_ms / 1000)


def regency_rows(url: str, regency: str | None) -> int:
    """Rows of the synced tables the server holds for ``regency`` (None: all)."""
    from sqlalchemy import create_engine, func, select

    from server.tables import AppliedChange

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = select(func.count(func.distinct(AppliedChange.row_id)))
            if regency is not None:
                query = query.where(AppliedChange.regency_code == regency)
            return int(conn.scalar(query) or 0)
    finally:
        engine.dispose()


def laptop_rows(store_dir: Path) -> int:
    import sqlite3

    with sqlite3.connect(store_dir / DB_NAME) as conn:
        return int(conn.execute("SELECT count(*) FROM sync_row_version").fetchone()[0])


def new_laptop(folder: Path, url: str, username: str, password: str
               ) -> tuple[object, SyncClient]:
    store = open_store(folder)
    client = SyncClient(url, device_id=store.device_id, schema=migrate.head_revision(),
                        device_key=device_key(store))
    officer = client.login(username, password, device_name=folder.name).officer
    store.set_officer(officer.id)
    return store, client


def timed_pull(store: object, client: SyncClient) -> Pull:
    """The engine's pull of every scope; each page's request timed."""
    pages: list[float] = []
    started: list[float] = []
    plain = client.pull

    def pull(scope, cursor, limit=500, exclude=None):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        started.append(time.time())  # wall clock: compared with another process's
        try:
            return plain(scope, cursor, limit=limit, exclude=exclude)
        finally:
            pages.append((time.perf_counter() - began) * 1000)

    client.pull = pull  # type: ignore[method-assign]
    requests, sent, received = client.requests, client.bytes_sent, client.bytes_received
    engine = SyncEngine(store, client)  # type: ignore[arg-type]
    began = time.perf_counter()
    engine.pull_all()
    seconds = time.perf_counter() - began
    client.pull = plain  # type: ignore[method-assign]
    return Pull(engine.summary.pulled, seconds, client.requests - requests,
                client.bytes_sent - sent, client.bytes_received - received,
                engine.summary.refetched_scopes, pages, started)


# --- the laptop, in its own process ---------------------------------------------------------


def laptop_child() -> None:
    """Run in its own process (``python -c``): a first pull onto a new laptop
    store; prints one JSON line with what it cost. Its own process, so its
    peak memory is its own and its work never holds the GIL the link
    emulator paces bytes with (a laptop's CPU does not slow the network)."""
    import resource

    url, folder, username, password = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    store, client = new_laptop(folder, url, username, password)
    print(json.dumps({"signed_in": True}), flush=True)
    sys.stdin.readline()  # the parent resets the link's counters, then says go
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        pulled = timed_pull(store, client)
    finally:
        client.close()
        store.close()  # type: ignore[attr-defined]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"records": pulled.records, "seconds": pulled.seconds,
                      "requests": pulled.requests, "bytes_down": pulled.bytes_down,
                      "refetched": pulled.refetched, "rss_before_kib": before,
                      "rss_peak_kib": peak, "pages_ms": pulled.pages_ms,
                      "pages_at": pulled.pages_at}), flush=True)


def laptop_pull(folder: Path, url: str, username: str, password: str, timeout: float,
                before_go: object = None) -> dict:  # type: ignore[type-arg]
    """A first pull in a laptop process of its own; ``before_go()`` runs once
    it has signed in (not counted), before the pull starts."""
    child = subprocess.Popen(
        [sys.executable, "-c", "from benchmarks.province_pull import laptop_child; laptop_child()",
         url, str(folder), username, password], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert child.stdin is not None and child.stdout is not None
        ready = child.stdout.readline()
        if not ready.strip():
            raise RuntimeError(f"the laptop did not sign in: {child.communicate(timeout=30)[1][-2000:]}")
        if callable(before_go):
            before_go()
        out, err = child.communicate("go\n", timeout=timeout)
    except BaseException:
        child.kill()
        child.wait()
        raise
    if child.returncode != 0:
        raise RuntimeError(f"the laptop's pull failed: {err[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["disk_bytes"] = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    result["laptop_rows"] = laptop_rows(folder)
    return result


# --- (a) a regency's first pull over 256 kbit/s ---------------------------------------------


def regency_over_link(work: Path, url: str, username: str, timeout: float
                      ) -> tuple[Pull, int, dict]:  # type: ignore[type-arg]
    port = int(url.rsplit(":", 1)[1])
    with LinkEmulator(("127.0.0.1", port), LINK, seed=17) as emulator:
        result = laptop_pull(work / "regency-laptop", emulator.url_for("/"), username,
                             DATA_PASSWORD, timeout, before_go=emulator.stats.reset)
        stats = emulator.stats.snapshot()
    # The wire as the emulator saw it (headers, gzip bodies), not the JSON.
    pulled = Pull(result["records"], result["seconds"], result["requests"], stats.bytes_up,
                  stats.bytes_down, result["refetched"], result["pages_ms"], result["pages_at"])
    return pulled, stats.connections, result


# --- (b) the provincial admin's whole province ----------------------------------------------


def admin_pull(work: Path, url: str, timeout: float) -> dict:  # type: ignore[type-arg]
    result = laptop_pull(work / "admin-laptop", url, ADMIN, DEMO_PASSWORD, timeout)
    pages = result.pop("pages_ms")
    result.pop("pages_at")
    result["page_p50_ms"] = percentile(pages, 50) if pages else 0.0
    return result


# --- (c) a pull while 50 devices push ----------------------------------------------------------


def as_pull(result: dict) -> Pull:  # type: ignore[type-arg]
    return Pull(result["records"], result["seconds"], result["requests"], 0,
                result["bytes_down"], result["refetched"], result["pages_ms"], result["pages_at"])


def pull_under_pushes(work: Path, url: str, db_url: str, username_quiet: str,
                      username_busy: str, per_device: int, timeout: float
                      ) -> tuple[Pull, Pull, float, list[float]]:
    """The same kind of pull (a regency's first, on loopback, the laptop in
    its own process) on a quiet server, then while PUSH_DEVICES devices push
    at once; returns both pulls, the seconds the pushes took and the
    latencies of the busy pull's pages that started while they ran."""
    from .sync_ingest import device, push_all_at_once, regency_officers

    quiet = as_pull(laptop_pull(work / "quiet-laptop", url, username_quiet, DATA_PASSWORD,
                                timeout))
    officers = regency_officers(db_url)
    officers = [o for o in officers if o[0].startswith("petugas.")] or officers
    say(f"(c) setting up {PUSH_DEVICES} pushing devices, {2 * per_device} changes each "
        "(not timed)")
    devices = [device(work / f"pusher-{i:02}", url, officers[i % len(officers)],
                      per_device, seed=300 + i) for i in range(PUSH_DEVICES)]
    pushing: dict[str, float] = {}

    def push() -> None:
        pushing["start"] = time.time()
        pushing["seconds"] = push_all_at_once(devices)
        pushing["end"] = time.time()

    pusher = threading.Thread(target=push, name="pushers")

    def start_pushes() -> None:
        pusher.start()
        time.sleep(1.0)  # the pushes are under way when the pull starts

    try:
        busy = as_pull(laptop_pull(work / "busy-laptop", url, username_busy, DATA_PASSWORD,
                                   timeout, before_go=start_pushes))
        pusher.join(timeout=1800)
        failed = [d.error for d in devices if d.error is not None]
        if failed:
            raise RuntimeError(f"{len(failed)} pushing device(s) failed: {failed[0]!r}")
        end = pushing.get("end", float("inf"))
        during = [ms for at, ms in zip(busy.pages_at, busy.pages_ms) if at <= end]
        return quiet, busy, pushing.get("seconds", 0.0), during
    finally:
        if pusher.is_alive():
            pusher.join(timeout=600)
        for d in devices:
            d.client.close()
            d.store.close()


# --- the run -------------------------------------------------------------------------------


def run(options: Namespace) -> Section:
    size = scaled(options.records)
    full = size == Size()
    loads = [load_average()]
    name = create_database("province_pull")
    db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    CACHE.mkdir(exist_ok=True)
    try:
        say(f"init {name}")
        init(db_url, demo=True)
        visits = size.surveys + size.audits + size.verifications
        say(f"generating {size.businesses:,} businesses, {size.cooperatives:,} cooperatives, "
            f"{visits:,} visits")
        started = time.perf_counter()
        data = generate(db_url, size)
        say(f"generated {data.counts} in {time.perf_counter() - started:.0f} s")
        regency_total = regency_rows(db_url, REGENCY)
        province_total = regency_rows(db_url, None)
        with tempfile.TemporaryDirectory(prefix="province-pull-", dir=CACHE) as folder, \
                server_process(db_url) as url:
            work = Path(folder)
            say(f"(a) {REGENCY}: {regency_total:,} records through {LINK.name}")
            regency, connections, _ = regency_over_link(
                work, url, data.usernames[REGENCY][0],
                ADMIN_TIMEOUT * max(0.05, size.businesses / 200_000))
            loads.append(load_average())
            say(f"(a) {regency.records:,} in {regency.seconds:.1f} s, floor "
                f"{regency.floor(LINK):.1f} s, {regency.requests} requests")
            say(f"(b) the admin's whole province: {province_total:,} records, own process")
            admin = admin_pull(work, url, ADMIN_TIMEOUT * max(0.05, size.businesses / 200_000))
            loads.append(load_average())
            say(f"(b) {admin['records']:,} in {admin['seconds']:.0f} s, peak "
                f"{admin['rss_peak_kib'] / 1024:.0f} MiB")
            say(f"(c) {QUIET_REGENCY} quiet, then {BUSY_REGENCY} while {PUSH_DEVICES} devices push")
            per_device = PUSH_PER_DEVICE if full else max(
                20, int(PUSH_PER_DEVICE * size.businesses / Size().businesses))
            quiet, busy, push_seconds, busy_pages = pull_under_pushes(
                work, url, db_url, data.usernames[QUIET_REGENCY][0],
                data.usernames[BUSY_REGENCY][0], per_device,
                ADMIN_TIMEOUT * max(0.05, size.businesses / 200_000))
            loads.append(load_average())
    finally:
        drop_database(name)
    problems = []
    if regency.records != regency_total or regency.refetched:
        problems.append(f"(a) pulled {regency.records:,} of {regency_total:,}, "
                        f"refetched {regency.refetched}")
    if admin["records"] != province_total or admin["laptop_rows"] != province_total \
            or admin["refetched"]:
        problems.append(f"(b) pulled {admin['records']:,} of {province_total:,} "
                        f"({admin['laptop_rows']:,} on the laptop), refetched {admin['refetched']}")
    if problems:
        raise RuntimeError("; ".join(problems))
    floor = regency.floor(LINK)
    per_record = (regency.bytes_up + regency.bytes_down) / max(1, regency.records)
    if not busy_pages:
        raise RuntimeError("(c) no page of the pull ran while the devices pushed")
    label = f"{LINK.up_bps // 1000} kbit/s, {LINK.rtt_ms:g} ms RTT"
    figures: list[Measure] = [
        Measure(f"(a) regency {REGENCY}, first pull: records", regency.records, "", digits=0),
        Measure(f"(a) bytes on the wire per record ({label})", per_record, "B", digits=0),
        Measure("(a) requests", regency.requests, "", digits=0),
        Measure("(a) wall time", regency.seconds, "s", digits=1),
        Measure("(a) floor: bytes ÷ link rate + requests × RTT", floor, "s", digits=1),
        Measure("(a) measured ÷ floor", regency.seconds / floor, "×", RATIO_TARGET),
        Measure("(b) whole province (admin): records", admin["records"], "", digits=0),
        Measure("(b) wall time on loopback", admin["seconds"], "s", digits=0),
        Measure("(b) records applied per second", admin["records"] / admin["seconds"], "/s",
                digits=0),
        Measure("(b) peak memory of the laptop process (max RSS)",
                admin["rss_peak_kib"] / 1024, "MiB", PEAK_MEMORY_TARGET_MIB, digits=0),
        Measure("(b) laptop store on disk", admin["disk_bytes"] / 2**20, "MiB", digits=0),
        Measure("(b) the same records at 256 kbit/s: link time at (a)'s bytes per record",
                admin["records"] * per_record * 8 / LINK.down_bps / 60, "min", digits=0),
        Measure(f"(c) quiet pull, page latency p50 ({len(quiet.pages_ms)} pages)",
                percentile(quiet.pages_ms, 50), "ms", digits=0),
        Measure("(c) quiet pull, page latency max", max(quiet.pages_ms), "ms", digits=0),
        Measure(f"(c) pull during {PUSH_DEVICES} pushing devices, page latency p50 "
                f"({len(busy_pages)} pages during the pushes)",
                percentile(busy_pages, 50), "ms", digits=0),
        Measure("(c) pull during the pushes, page latency max", max(busy_pages), "ms",
                STALL_TARGET_MS, digits=0),
    ]
    command = "python -m benchmarks province-pull" + (
        f" --records {size.businesses}" if not full else "")
    notes = [
        f"Load average (1/5/15 min) before, after (a), (b) and (c): {'; '.join(loads)}.",
        f"(a) {regency.requests} requests, {connections} new connection(s) after the sign-in's; "
        f"page requests p50 {percentile(regency.pages_ms, 50):.0f} ms, max "
        f"{max(regency.pages_ms):.0f} ms; {regency.bytes_up:,} B up, {regency.bytes_down:,} B down "
        "(the emulator's count: HTTP headers and gzip bodies).",
        f"(b) {admin['requests']} requests; the decompressed JSON was {admin['bytes_down']:,} B; "
        f"max RSS once signed in, before the pull {admin['rss_before_kib'] / 1024:.0f} MiB "
        "(the imports and the store); "
        f"page request p50 {admin['page_p50_ms']:.0f} ms.",
        f"(c) the {PUSH_DEVICES} devices pushed {PUSH_DEVICES * per_device * 2:,} changes "
        f"in {push_seconds:.1f} s; the busy pull took {busy.seconds:.1f} s "
        f"({busy.records:,} records) against {quiet.seconds:.1f} s quiet ({quiet.records:,}).",
    ] + FINDINGS
    return Section(
        name=NAME,
        title="Province-sized pulls: a regency's first pull, the whole province, a pull during pushes",
        command=command,
        setup=(
            f"A fresh PostgreSQL database holds the province ({size.businesses:,} businesses, "
            f"{size.cooperatives:,} cooperatives, {size.applicants:,} aid applicants, "
            f"{visits:,} visits, a change-log row each: `benchmarks/province_data.py`), served "
            "by `python -m server run` (one process) on loopback. New laptop stores pull with "
            "`SyncEngine.pull_all` (regency and own scopes; the own scope with "
            "`exclude=regency`; one page fetched ahead while the last is applied), each "
            "laptop in a process of its own (its memory its own; its CPU never delays the "
            "emulator's pacing). "
            f"(a) A {REGENCY} officer's first pull through `benchmarks.linkemu` at "
            f"{label} each way; **floor = bytes up ÷ up rate + bytes down ÷ down rate + "
            f"requests × RTT**; target ≤ {RATIO_TARGET}× the floor. "
            f"(b) The provincial admin's whole-province pull on loopback in its own process; "
            f"peak memory is that process's max RSS, target under {PEAK_MEMORY_TARGET_MIB:.0f} "
            "MiB (an ordinary 8 GB laptop). "
            f"(c) A {QUIET_REGENCY} officer's first pull on a quiet server, then a "
            f"{BUSY_REGENCY} officer's while {PUSH_DEVICES} devices (demo accounts) push "
            f"{per_device} businesses and {per_device} surveys each at once; each "
            f"page request is timed; target: no page during the pushes over "
            f"{STALL_TARGET_MS / 1000:g} s (a stall: the server's keep-alive)."),
        figures=figures,  # type: ignore[arg-type]
        notes=notes,
        full_size=full,
    )


FINDINGS: list[str] = [
    "Before issue 17's pull work an officer's first pull downloaded every row twice "
    "(the 'own' scope sent again what 'regency' had sent: 187 B per record instead of "
    "94); now 'own' is asked with exclude=regency (docs/PROTOCOL.md) and each change "
    "travels once.",
    "(a) The pull is link-bound: page n+1 is on the wire while the store applies page n "
    "(one page ahead; the cursor moves only with an applied page). What is left above "
    "the floor is the server's time per page between the request and its first byte "
    "(query, serialising 1,000 changes, gzip level 9), which cannot overlap the link "
    "since the next cursor is known only from the page, plus the last page's apply and "
    "the two scope checksums. Pages are sized to the link (what arrived in 3.5 s, at "
    "most 1,000 changes), far from the 20 s stall window, and the whole pull keeps the "
    "sign-in's kept-alive connection.",
    "(b) Applying pulled rows was the limit: 3.5 ms a row through the ORM (a savepoint, "
    "a pending-field query, a clock update and a row-version upsert each), ~40 min for "
    "the province before the link; now the store writes on its driver connection with "
    "those per page. Memory stays flat: pages are dropped once applied and both "
    "checksums are streamed in byte order from the database, never sorted in memory. "
    "The province over a 256 kbit/s link is about half an hour of link time alone (the "
    "figure above): an admin laptop is better given its first pull on the office network.",
]
