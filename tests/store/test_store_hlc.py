"""Hybrid logical clock: stamps never go backwards, whatever the laptop's
clock does, in Python and inside the capture triggers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from desktop_app.protocol import clock as hlc


def test_next_stamp_is_monotonic_when_the_wall_clock_goes_back():
    """Each stamp exceeds the last even when the clock jumps back or stands still."""
    last, stamps = 0, []
    for now_ms in (1_000, 1_000, 400, 1_200, 5):
        last = hlc.next_stamp(last, now_ms)
        stamps.append(last)
    assert all(a < b for a, b in zip(stamps, stamps[1:]))
    assert stamps[2] == stamps[1] + 1  # clock went back: the counter moves on
    assert stamps[3] == 1_200 << hlc.COUNTER_BITS  # clock caught up: physical time again


def test_observing_a_remote_stamp_puts_the_next_stamp_after_it():
    """After seeing a stamp from a laptop whose clock is ahead, the next local one sorts after."""
    remote = hlc.stamp_of(datetime(2027, 6, 1, tzinfo=timezone.utc), counter=7)
    last = hlc.observe(hlc.stamp_of(datetime(2026, 11, 23, tzinfo=timezone.utc)), remote)
    assert hlc.next_stamp(last, now_ms=0) > remote
    assert hlc.observe(remote + 5, remote) == remote + 5  # never moves back


def test_stamp_time_inverts_stamp_of():
    """The physical part of a stamp reads back as the moment it was made from."""
    moment = datetime(2026, 11, 23, 10, 30, 0, 123_000, tzinfo=timezone.utc)
    assert hlc.stamp_time(hlc.stamp_of(moment, counter=42)) == moment


def test_trigger_stamp_follows_the_wall_clock(store, shell, log, new_business):
    """A logged write gets a stamp whose physical time is now."""
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    new_business()
    stamped = hlc.stamp_time(log()[-1]["hlc"])
    assert before <= stamped <= datetime.now(timezone.utc) + timedelta(seconds=1)


def test_trigger_stamp_passes_a_clock_stored_in_the_future(store, shell, log, new_business):
    """With local_state.hlc a year ahead (a stamp seen earlier), a new write still sorts after it."""
    future = hlc.stamp_of(datetime.now(timezone.utc) + timedelta(days=365))
    shell.execute("UPDATE local_state SET hlc = ? WHERE id = 1", (future,))
    new_business()
    new_business()
    first, second = (e["hlc"] for e in log())
    assert future < first < second
    assert shell.execute("SELECT hlc FROM local_state").fetchone()[0] == second
