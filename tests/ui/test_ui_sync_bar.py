"""The sync bar as the officer sees it: what waits, Sync now, no signal,
Cancel, a refused sign-in, and a window that never freezes."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.services import records, sync_status
from desktop_app.store import vault
from desktop_app.ui.context import AppContext
from desktop_app.ui.responsiveness import StallMonitor, keep_gui_responsive
from desktop_app.ui.sync_bar import SyncBar
from desktop_app import thread_guard
from desktop_app.sync import engine as sync_engine
from desktop_app.sync.engine import SyncEngine
from server.tables import AppliedChange
from tests.support.sync_gui import (  # noqa: F401 - fixtures
    copied_server, english, make_laptop, server, server_process, sign_in,
)

pytestmark = pytest.mark.usefixtures("english")

PESAWARAN = "18.09"


def business(number: int) -> dict[str, object]:
    return {"name": f"Keripik Pisang {number}", "owner_name": "Ani Rahayu",
            "owner_nik": "1809014506900001", "regency_code": PESAWARAN,
            "district_code": "18.09.01", "village": "Gedong Tataan"}


def save_businesses(ctx: AppContext, count: int, *, one_by_one: bool = True) -> None:
    """One save per record as the form does, or one import transaction
    (which a push never splits)."""
    if one_by_one:
        for number in range(count):
            records.save(ctx.store, ctx.actor, "business", business(number))
    else:
        records.save_batch(ctx.store, ctx.actor, "business",
                           [(business(n), False) for n in range(count)])


def make_bar(qtbot, ctx: AppContext) -> SyncBar:  # type: ignore[no-untyped-def]
    bar = SyncBar(ctx)
    qtbot.addWidget(bar)
    bar.resize(1366, bar.sizeHint().height())
    bar.show()
    qtbot.waitUntil(lambda: bar.status is not None and bar.online is not None, timeout=15_000)
    return bar


def click(qtbot, bar: SyncBar, name: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    qtbot.mouseClick(bar.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def server_changes(server) -> int:  # type: ignore[no-untyped-def]
    with server.database.session() as session:
        return session.query(AppliedChange).count()


def test_sync_now_sends_what_waits_and_the_bar_says_when(qtbot, make_laptop, server) -> None:  # type: ignore[no-untyped-def]
    """Three businesses saved offline; one click and the bar shows nothing waiting
    and the time of the sync."""
    ctx = make_laptop("laptop", server.url)
    sign_in(ctx, server.url)
    save_businesses(ctx, 3)
    finished: list[object] = []
    ctx.events.sync_finished.connect(finished.append)
    bar = make_bar(qtbot, ctx)
    assert bar.online is True
    assert "3 records" in bar.waiting_label.text() and "never" in bar.last_label.text()

    click(qtbot, bar, "syncNow")
    qtbot.waitUntil(lambda: not bar.syncing and "Nothing waiting" in bar.waiting_label.text(),
                    timeout=30_000)
    assert "never" not in bar.last_label.text() and "WIB" in bar.last_label.text()
    assert "3 sent" in bar.message_label.text()
    assert len(finished) == 1 and finished[0].pushed == 3
    assert server_changes(server) >= 3
    [attempt] = sync_status.history(ctx.store)
    assert attempt.ok and attempt.pushed == 3


@pytest.mark.timing
def test_without_a_server_the_bar_says_offline_and_the_window_stays_free(
        qtbot, make_laptop, sqlite_server_template: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Signal lost: the bar says so within seconds, the records wait safely,
    and the GUI thread never stalls while the sync tries."""
    with copied_server(sqlite_server_template, tmp_path / "server") as running:
        ctx = make_laptop("laptop", running.url)
        sign_in(ctx, running.url)
    save_businesses(ctx, 2)
    bar = make_bar(qtbot, ctx)
    assert bar.online is False and "Offline" in bar.state_label.text()

    monitor = StallMonitor(10)
    monitor.start()
    thread_guard.watch()
    click(qtbot, bar, "syncNow")
    qtbot.waitUntil(lambda: not bar.syncing, timeout=15_000)
    assert thread_guard.stop() == []  # the unanswered requests waited on the network lane
    monitor.stop()
    assert "cannot be reached" in bar.message_label.text()
    assert "2 records" in bar.waiting_label.text() and "never" in bar.last_label.text()
    assert monitor.worst_gap_ms < 50, monitor.worst_gap_ms
    assert bar.probe_interval_ms() > 60_000  # backing off while offline
    [attempt] = sync_status.history(ctx.store)
    assert not attempt.ok and "cannot be reached" in attempt.message


def test_cancel_stops_the_sync_at_a_safe_point(qtbot, make_laptop, server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The officer must leave: Cancel stops between requests; what was sent
    stays sent and the rest waits for next time."""
    monkeypatch.setattr(sync_engine, "SyncEngine", functools.partial(SyncEngine, batch_bytes=4096))
    ctx = make_laptop("laptop", server.url)
    sign_in(ctx, server.url)
    save_businesses(ctx, 300)
    bar = make_bar(qtbot, ctx)
    click(qtbot, bar, "syncNow")
    assert bar.syncing and bar.cancel_button.isVisible()
    qtbot.waitUntil(lambda: "Sending records" in bar.progress_label.text(), timeout=15_000)
    click(qtbot, bar, "syncCancel")
    qtbot.waitUntil(lambda: not bar.syncing, timeout=15_000)
    assert "cancelled" in bar.message_label.text()
    waiting = sync_status.waiting(ctx.store).records
    assert 0 < waiting < 300
    assert not bar.cancel_button.isVisible() and bar.sync_button.isEnabled()

    click(qtbot, bar, "syncNow")  # the next sync goes on from there
    qtbot.waitUntil(lambda: not bar.syncing and "Nothing waiting" in bar.waiting_label.text(),
                    timeout=60_000)


def test_a_refused_token_is_forgotten_and_the_officer_told_to_sign_in_again(
        qtbot, make_laptop, server) -> None:  # type: ignore[no-untyped-def]
    """The server no longer knows this laptop's token: no endless failing
    syncs, a plain request for the password instead."""
    ctx = make_laptop("laptop", server.url)
    sign_in(ctx, server.url)
    save_businesses(ctx, 1)
    # The token the laptop holds (opened with the PIN, in memory; store/vault.py).
    vault.remember_token(ctx.store, ctx.account.officer_id, "not-a-token")
    bar = make_bar(qtbot, ctx)
    click(qtbot, bar, "syncNow")
    qtbot.waitUntil(lambda: not bar.syncing, timeout=15_000)
    assert "Sign in again" in bar.message_label.text()
    assert ctx.account is not None and not ctx.account.has_token
    with sqlite3.connect(ctx.store.db_path) as conn:
        assert conn.execute("SELECT token FROM officer_account").fetchone()[0] is None
    assert vault.token_in_memory(ctx.store, ctx.account.officer_id) is None


def test_a_connection_appearing_syncs_by_itself(qtbot, make_laptop, server) -> None:  # type: ignore[no-untyped-def]
    """Automatic sync: the probe finds the server and what waits goes up
    without a click; the lists are told to refresh."""
    ctx = make_laptop("laptop", server.url, auto_sync=True)
    sign_in(ctx, server.url)
    save_businesses(ctx, 2)
    changed: list[str] = []
    ctx.events.records_changed.connect(changed.append)
    bar = SyncBar(ctx)
    qtbot.addWidget(bar)
    qtbot.waitUntil(lambda: sync_status.last_success(ctx.store) is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not bar.syncing and "Nothing waiting" in bar.waiting_label.text(),
                    timeout=15_000)
    assert bar.online is True
    assert server_changes(server) >= 2
    assert "business" in changed  # the reference data pulled on the first sync


@pytest.mark.timing
def test_the_window_never_stalls_while_two_thousand_records_sync(
        qtbot, make_laptop, server_process: str) -> None:  # type: ignore[no-untyped-def]
    """A GUI-thread timer ticking every 10 ms never waits more than 50 ms
    while 2,000 records go up; the bar shows records and bytes as they go."""
    ctx = make_laptop("laptop", server_process)
    sign_in(ctx, server_process)
    save_businesses(ctx, 2000)
    bar = make_bar(qtbot, ctx)
    seen: list[str] = []
    restore = keep_gui_responsive()  # as the application does once its window is up
    monitor = StallMonitor(10)
    monitor.start()
    thread_guard.watch()  # every database or network call on this (the GUI) thread is recorded
    click(qtbot, bar, "syncNow")

    def watch() -> bool:
        text = bar.progress_label.text()
        if bar.syncing and text and (not seen or seen[-1] != text):
            seen.append(text)
        return not bar.syncing

    try:
        qtbot.waitUntil(watch, timeout=120_000)
    finally:
        on_gui_thread = thread_guard.stop()
        monitor.stop()
        restore()
    assert on_gui_thread == [], "database or network calls on the GUI thread"
    qtbot.waitUntil(lambda: "Nothing waiting" in bar.waiting_label.text(), timeout=10_000)
    assert any("Sending records" in t and "of 2,000" in t and "sent" in t for t in seen), seen  # English separators in English
    assert monitor.ticks > 10
    assert monitor.worst_gap_ms < 50, \
        f"the GUI thread stalled {monitor.worst_gap_ms:.0f} ms: {monitor.stalls}"
