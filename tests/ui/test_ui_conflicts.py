"""The supervisor's conflicts page: two laptops disagree on an audit field,
the supervisor sees both values with who and when, and settles."""

from __future__ import annotations

from collections.abc import Iterator
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton
from sqlalchemy import select

from desktop_app.services import records
from desktop_app.sync import account
from desktop_app.sync.engine import SyncEngine
from desktop_app.ui.conflicts import ConflictsPage, create
from desktop_app.ui.context import AppContext
from server.tables import Conflict
from tests.support.laptops import Laptop
from tests.support.servers import RunningServer
from tests.support.sync_gui import (  # noqa: F401 - fixtures
    copied_server, english, make_laptop, server, sign_in,
)

pytestmark = pytest.mark.usefixtures("english")

TANGGAMUS = "18.06"


def sync(ctx: AppContext) -> None:
    assert ctx.account is not None
    client = account.signed_in_client(ctx.store, ctx.account)
    try:
        SyncEngine(ctx.store, client).run()
    finally:
        client.close()


def server_conflicts(server: RunningServer) -> list[Conflict]:
    with server.database.session() as session:
        return list(session.scalars(select(Conflict).where(Conflict.status != "auto")))


@pytest.fixture
def disagreement(server: RunningServer, make_laptop, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """An officer counts 95 male members, the supervisor's laptop 120: one open conflict.
    Yields the supervisor's laptop."""
    officer = Laptop(tmp_path / "officer", server.url, "petugas.tanggamus")
    ctx = make_laptop("supervisor", server.url)
    sign_in(ctx, server.url, "supervisor.tanggamus", "739150")
    coop = officer.save("cooperative", {"name": "KSP Sejahtera Bersama",
                                        "cooperative_type": "simpan_pinjam",
                                        "regency_code": TANGGAMUS, "members_male": 80,
                                        "members_female": 40})
    officer.sync()
    sync(ctx)
    officer.save("cooperative", {"members_male": 95}, coop["id"])
    records.save(ctx.store, ctx.actor, "cooperative", {"members_male": 120}, record_id=coop["id"])
    officer.sync()
    sync(ctx)
    assert [c.status for c in server_conflicts(server)] == ["open"]
    yield ctx
    officer.close()


def open_page(qtbot, ctx: AppContext) -> ConflictsPage:  # type: ignore[no-untyped-def]
    page = create(ctx, None)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitUntil(lambda: not page.busy, timeout=15_000)
    return page


def test_the_supervisor_sees_both_values_and_keeps_the_other_one(
        qtbot, disagreement: AppContext, server: RunningServer) -> None:  # type: ignore[no-untyped-def]
    """Both counts side by side, with who wrote them; 'Keep this value' settles.
    The home page's card counts what the conflicts page read."""
    counted: list[int] = []
    disagreement.events.conflicts_counted.connect(counted.append)
    page = open_page(qtbot, disagreement)
    conflicts = page.findChild(QListWidget, "conflictList")
    assert conflicts.count() == 1
    assert counted[-1] == 1
    assert "KSP Sejahtera Bersama" in conflicts.item(0).text()
    assert "Male members" in conflicts.item(0).text()
    assert page.findChild(QLabel, "keepKeptValue").text() == "95"
    assert page.findChild(QLabel, "keepOtherValue").text() == "120"
    assert "supervisor.tanggamus" in page.other_who.text() and "WIB" in page.other_who.text()
    assert "WIB" in page.kept_who.text()

    qtbot.mouseClick(page.findChild(QPushButton, "keepOther"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy and "No open conflicts" in page.status_label.text(),
                    timeout=15_000)
    assert "Settled" in page.status_label.text()
    assert counted[-1] == 0
    [settled] = server_conflicts(server)
    assert settled.status == "settled"
    sync(disagreement)
    cooperative = next(iter(_cooperatives(disagreement)))
    assert cooperative["members_male"] == 120


def test_the_supervisor_types_the_right_value(
        qtbot, disagreement: AppContext, server: RunningServer) -> None:  # type: ignore[no-untyped-def]
    """Neither count is right: the supervisor types 110 and presses Enter."""
    page = open_page(qtbot, disagreement)
    typed = page.findChild(QLineEdit, "conflictNewValue")
    qtbot.keyClicks(typed, "11O")  # a letter O instead of a zero: refused at the field
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    assert "not a valid value" in page.detail_error.text()
    typed.clear()
    qtbot.keyClicks(typed, "110")
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy and ("No open conflicts" in page.status_label.text()
                                               or page.detail_error.text() != ""),
                    timeout=15_000)
    assert "No open conflicts" in page.status_label.text(), page.detail_error.text()
    sync(disagreement)
    assert next(iter(_cooperatives(disagreement)))["members_male"] == 110


def test_without_a_connection_the_page_says_so_and_stays_usable(
        qtbot, make_laptop, sqlite_server_template: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The list lives on the server: no signal gives a clear sentence, not an empty list."""
    with copied_server(sqlite_server_template, tmp_path / "server") as running:
        ctx = make_laptop("supervisor", running.url)
        sign_in(ctx, running.url, "supervisor.tanggamus", "739150")
    page = open_page(qtbot, ctx)
    assert "no connection" in page.status_label.text()
    assert page.findChild(QListWidget, "conflictList").count() == 0
    assert page.reload_button.isEnabled()


def test_an_officer_is_not_offered_the_page(qtbot, make_laptop, server) -> None:  # type: ignore[no-untyped-def]
    """Settling is the supervisor's job; an officer's page asks the server nothing."""
    ctx = make_laptop("officer", server.url)
    sign_in(ctx, server.url, "petugas.tanggamus")
    page = open_page(qtbot, ctx)
    assert "Only a supervisor" in page.status_label.text()


def _cooperatives(ctx: AppContext) -> list[dict[str, object]]:
    with sqlite3.connect(ctx.store.db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM cooperative")]
