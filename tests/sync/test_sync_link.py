"""The push over the links of a blank spot (issue 17), through the link
emulator to a real server on 127.0.0.1:

- a link that cuts every connection after 10-20 KB: the push converges,
  within twice the time of the same link uncut, each change applied once;
- a link that goes silent while the laptop waits for an answer: noticed in
  the stall window (20 s shipped), not after minutes;
- a server that takes longer than the stall window to apply a batch, on a
  link that works: the laptop waits for it (its ``/health`` answers)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from benchmarks.linkemu import CutPolicy, LinkEmulator, LinkProfile
from desktop_app.services import demo
from desktop_app.services.context import Actor
from desktop_app.store import migrate, open_store, outbox
from desktop_app.sync import client as client_module
from desktop_app.sync.client import Offline, SyncClient, SyncError
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import AdaptiveSize, SyncEngine
from server import ingest
from server.tables import AppliedChange
from tests.support.laptops import sign_in_through
from tests.support.servers import running_server

RECORDS = 2000
#: The issue's link, as measured from outside: every connection cut after
#: 10-20 KB (both directions counted), at a rural 256 kbit/s with 100 ms RTT.
CUTS = CutPolicy.random(10_000, 20_000)
LINK = LinkProfile.symmetric("256k-100ms", 256_000, 100.0)
#: Issue 17 asks for twice the time of the same link uncut, and the bytes
#: show why it holds. Before: 2.65x in time, 2.11x in bytes (a request began
#: on a connection the link had half used up; the size learned from the
#: last cut only; every sync began with three 256 KB batches). Now, quiet
#: machine, five seeds: 1.41-1.54x in time, 1.4-1.5x in bytes. The test runs
#: in the serial timing pass (marker ``timing``): under a loaded machine
#: the emulator's pacing, not the push, sets the time.
BYTES_WITHIN = 2.0
TIME_WITHIN = 2.0
MAX_SYNCS = 40  # bounded: each is one push_all; a push that gives up resumes in the next


def _server(tmp_path: Path, template: Path, tag: str) -> Path:
    copy = tmp_path / f"{tag}.sqlite3"
    shutil.copyfile(template, copy)
    return copy


def _laptop(folder: Path, url: str) -> tuple[object, SyncClient]:
    store = open_store(folder)
    client = SyncClient(url, device_id=store.device_id, device_key=device_key(store),
                        schema=migrate.head_revision())
    return store, client


def _push_through(tmp_path: Path, template: Path, tag: str,
                  cuts: CutPolicy | None) -> tuple[float, int, int, int, int]:
    """Fill a laptop with the same demo records, push them through the link;
    (seconds, changes logged, changes applied at the server, cuts, bytes up)."""
    with running_server(f"sqlite:///{_server(tmp_path, template, tag)}",
                        initialised=True) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with LinkEmulator(("127.0.0.1", port), LINK, seed=20261201) as link:
            store, client = _laptop(tmp_path / tag, f"http://127.0.0.1:{link.port}")
            try:
                officer = sign_in_through(client, "admin.provinsi").officer.id
                store.set_officer(officer)
                demo.fill(store, Actor(officer, store.device_id), RECORDS, seed=7,
                          today=date(2026, 11, 23), batch=5)
                # Cut from here on, the kept-alive sign-in connection too.
                link.set_cut_policy(cuts)
                link.cut_all()
                link.stats.reset()
                started = time.monotonic()
                for _sync in range(MAX_SYNCS):
                    try:
                        SyncEngine(store, client).push_all()
                    except SyncError:
                        continue
                    if outbox.counts(store).pending == 0:
                        break
                seconds = time.monotonic() - started
                cut, sent = link.stats.cuts, link.stats.bytes_up
            finally:
                client.close()
        with sqlite3.connect(store.db_path) as conn:  # type: ignore[attr-defined]
            logged = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
        store.close()  # type: ignore[attr-defined]
        with server.database.session() as session:
            applied = session.scalar(select(func.count()).select_from(AppliedChange))
        return seconds, logged, int(applied or 0), cut, sent


@pytest.mark.slow
@pytest.mark.timing
@pytest.mark.timeout(240)
def test_push_converges_on_a_link_cut_every_10_to_20_kb(tmp_path, sqlite_server_template):
    """Before: after one batch got through the size doubled straight back to
    256 KB (about 27 KB of gzip, which cannot pass) and urllib3 sent it six
    times at that size (~37 s); half the changes after 420 s. Now: a cut
    request goes back to the engine at once, which remembers the sizes that
    were cut and grows only up to below the smallest; once the link has cut,
    each push goes on a connection of its own (sync/client.py)."""
    uncut, logged, applied, _, uncut_bytes = _push_through(tmp_path, sqlite_server_template,
                                                           "uncut", None)
    assert applied == logged
    cut, logged, applied, cuts, cut_bytes = _push_through(tmp_path, sqlite_server_template,
                                                          "cut", CUTS)
    assert cuts >= 3, f"the link cut only {cuts} times"
    assert applied == logged, f"{applied} of {logged} changes applied"  # once each, all
    print(f"cut link {cut:.1f} s ({cuts} cuts, {cut_bytes:,} B up), uncut {uncut:.1f} s "
          f"({uncut_bytes:,} B up): {cut / uncut:.2f}x in time, "
          f"{cut_bytes / uncut_bytes:.2f}x in bytes")
    assert cut_bytes <= BYTES_WITHIN * uncut_bytes, (cut_bytes, uncut_bytes)
    assert cut <= TIME_WITHIN * uncut, f"cut link {cut:.1f} s, uncut {uncut:.1f} s"


def test_adaptive_size_settles_below_the_smallest_size_recently_cut():
    """The size never grows back to one that was cut while the cut is
    remembered; one lucky request at a larger size does not lift it; after
    enough requests in a row get through, it probes higher, slowly."""
    size = AdaptiveSize(256 * 1024, minimum=2 * 1024, start=64 * 1024)
    assert size.value == 64 * 1024  # a sync starts below the largest size
    size.grow()
    assert size.value == 128 * 1024  # and doubles while no cut is known
    size.shrink()  # 128 KB cut
    assert (size.value, size.ceiling) == (64 * 1024, 128 * 1024)
    seen = []
    for _ in range(AdaptiveSize.FORGET_AFTER - 1):
        size.grow()
        seen.append(size.value)
    assert max(seen) == 112 * 1024 and seen == sorted(seen)  # 7/8 of the cut, never it
    size.shrink(112 * 1024)  # a size it carried, cut: an eighth off, not half
    assert (size.value, size.ceiling) == (98 * 1024, 112 * 1024)
    size.shrink(200 * 1024)  # a larger cut later does not raise the ceiling
    assert size.ceiling == 112 * 1024 and size.value == 49 * 1024
    for _ in range(AdaptiveSize.FORGET_AFTER - 1):
        size.grow()
    assert size.value == 98 * 1024  # 7/8 of the smallest cut remembered
    size.grow()  # the sixteenth in a row: the smallest cut is forgotten
    assert size.ceiling == 128 * 1024
    for _ in range(3 * AdaptiveSize.FORGET_AFTER):
        size.grow()
    assert size.ceiling is None and size.value == 256 * 1024  # the link got better
    tiny = AdaptiveSize(500, minimum=10)
    for _ in range(20):
        tiny.shrink()
    assert tiny.value == 10
    tiny.grow()
    assert tiny.value == 10  # the floor, below nothing


# --- stalls ---------------------------------------------------------------------------------


@pytest.fixture
def slow_apply(monkeypatch):
    """The server takes ``delay[0]`` seconds to apply each push."""
    delay = [0.0]
    apply = ingest.apply_push

    def slowly(*args, **kwargs):
        time.sleep(delay[0])
        return apply(*args, **kwargs)

    monkeypatch.setattr(ingest, "apply_push", slowly)
    return delay


@contextmanager
def _laptop_behind_link(tmp_path: Path, template: Path, tag: str,
                        profile: LinkProfile | str = "perfect") -> Iterator[tuple[Any, Any, Any, Any]]:
    """A server on a copy of the template, a link emulator before it and a
    laptop behind the link with one officer's 20 records: (server, link,
    store, client). The client is closed after; the store is the caller's."""
    with running_server(f"sqlite:///{_server(tmp_path, template, tag)}",
                        initialised=True) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with LinkEmulator(("127.0.0.1", port), profile) as link:
            store, client = _laptop(tmp_path / "laptop", f"http://127.0.0.1:{link.port}")
            try:
                _one_record(store, client)
                yield server, link, store, client
            finally:
                client.close()


def _one_record(store, client) -> None:
    officer = sign_in_through(client, "admin.provinsi").officer.id
    store.set_officer(officer)
    demo.fill(store, Actor(officer, store.device_id), 20, seed=3, today=date(2026, 11, 23))


@pytest.mark.timeout(60)
def test_a_silent_link_is_noticed_in_the_stall_window(tmp_path, sqlite_server_template,
                                                     slow_apply):
    """The push is sent whole, then the link goes silent (nothing reset):
    before, the laptop waited for the 120 s read timeout, and urllib3 then
    sent it again; now the wait ends within the shipped stall window (20 s:
    silence, a ``/health`` probe that gets no answer)."""
    with _laptop_behind_link(tmp_path, sqlite_server_template, "s") as (_, link, store, client):
        slow_apply[0] = 2.0  # the body is up long before the server answers
        threading.Timer(1.0, link.go_silent).start()
        started = time.monotonic()
        with pytest.raises(Offline):
            SyncEngine(store, client, push_window=1)._push_next(256 * 1024)
        waited = time.monotonic() - started
        link.go_loud()
    assert outbox.counts(store).pending > 0  # still pending: sent again next time
    store.close()
    assert waited <= 20 + 5, waited  # the stall window, and the probe's own round trip
    assert client_module.STALL_SECONDS <= 20


@pytest.mark.timeout(60)
def test_a_slow_server_on_a_live_link_is_waited_for(tmp_path, sqlite_server_template,
                                                    slow_apply):
    """The server takes 4 s to apply a batch, twice the stall window given
    here: the laptop's probes find it there, so it waits and the push goes
    through once (before: a read timeout, sent again six times, given up)."""
    live = LinkProfile.symmetric("l", None, 100.0)
    with _laptop_behind_link(tmp_path, sqlite_server_template, "w", live) as (
            server, _, store, client):
        client.timeout = (2.0, 2.0)
        slow_apply[0] = 4.0
        engine = SyncEngine(store, client, push_window=1)
        engine.push_all()
        with server.database.session() as session:
            applied = session.scalar(select(func.count()).select_from(AppliedChange))
    assert outbox.counts(store).pending == 0
    assert engine.summary.cut_requests == 0 and engine.summary.pushed > 0
    assert applied == engine.summary.pushed
    store.close()


# --- connections on a cutting link ------------------------------------------------------------


@pytest.mark.timeout(60)
def test_once_the_link_has_cut_each_push_goes_on_a_connection_of_its_own(
        tmp_path, sqlite_server_template):
    """A link that drops connections after so many bytes: a push that began
    on a connection earlier requests had half used up would be cut for what
    came before it. Until a cut, pushes share a kept-alive connection; after
    one, each goes on a new connection (and other requests still share)."""
    with _laptop_behind_link(tmp_path, sqlite_server_template, "c") as (_, link, store, client):
        engine = SyncEngine(store, client, push_window=1)
        opened = link.stats.connections
        for _ in range(3):
            assert engine._push_next(2 * 1024)
        assert link.stats.connections - opened <= 1  # kept alive
        link.set_cut_policy(CutPolicy.after(1_000, direction="up"))
        link.cut_all()
        with pytest.raises(Offline):
            engine._push_next(256 * 1024)
        link.set_cut_policy(None)
        opened = link.stats.connections
        for _ in range(3):
            assert engine._push_next(2 * 1024)
        assert link.stats.connections - opened == 3  # one each
        opened = link.stats.connections
        client.assignments()
        client.assignments()
        assert link.stats.connections - opened <= 1  # not a sized request: kept alive
    store.close()
