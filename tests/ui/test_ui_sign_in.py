"""The sign-in dialog as an officer uses it: first sign-in online, then the PIN."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton

from desktop_app.ui.settings import LAST_USERNAME
from desktop_app.ui.sign_in import SignInDialog
from tests.support.servers import DEMO_PASSWORD
from tests.support.sync_gui import (  # noqa: F401 - fixtures
    PIN, copied_server, english, make_laptop, screens_in, server,
)

pytestmark = pytest.mark.usefixtures("english")


def field(dialog: SignInDialog, name: str) -> QLineEdit:
    return dialog.findChild(QLineEdit, name)


def open_dialog(qtbot, ctx) -> SignInDialog:  # type: ignore[no-untyped-def]
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    return dialog


def first_sign_in(qtbot, dialog: SignInDialog, username: str, pin: str = PIN) -> None:  # type: ignore[no-untyped-def]
    assert dialog.pages.currentWidget().objectName() == "onlinePage"
    qtbot.keyClicks(field(dialog, "usernameEdit"), username)
    qtbot.keyClicks(field(dialog, "passwordEdit"), DEMO_PASSWORD)
    qtbot.keyClicks(field(dialog, "newPinEdit"), pin)
    qtbot.keyClicks(field(dialog, "newPinAgainEdit"), pin)
    qtbot.keyClick(field(dialog, "newPinAgainEdit"), Qt.Key.Key_Return)  # Enter submits


def test_first_sign_in_online_then_the_pin_opens_the_laptop_with_the_server_stopped(
        qtbot, make_laptop, sqlite_server_template: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The officer signs in once with a connection; the next day, without
    one, the PIN is enough."""
    with copied_server(sqlite_server_template, tmp_path / "server") as running:
        ctx = make_laptop("laptop", running.url)
        changed: list[object] = []
        ctx.events.account_changed.connect(changed.append)
        dialog = open_dialog(qtbot, ctx)
        first_sign_in(qtbot, dialog, "petugas.pesawaran")
        qtbot.waitUntil(lambda: dialog.result() == SignInDialog.DialogCode.Accepted, timeout=20_000)
    assert ctx.account is not None and ctx.account.username == "petugas.pesawaran"
    assert changed == [ctx.account]
    assert ctx.settings.get(LAST_USERNAME) == "petugas.pesawaran"

    ctx.account = None  # the next morning, no server anywhere
    dialog = open_dialog(qtbot, ctx)
    assert dialog.pages.currentWidget().objectName() == "unlockPage"
    officers = dialog.findChild(QListWidget, "officerList")
    assert "petugas.pesawaran" in officers.currentItem().text()
    qtbot.keyClicks(field(dialog, "pinEdit"), PIN)
    qtbot.keyClick(field(dialog, "pinEdit"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result() == SignInDialog.DialogCode.Accepted, timeout=10_000)
    assert ctx.account is not None and ctx.account.regency_code == "18.09"


def test_a_wrong_pin_says_how_many_tries_are_left(qtbot, make_laptop, server) -> None:  # type: ignore[no-untyped-def]
    """A wrong PIN is refused in the dialog, in Indonesian, and the officer can try again."""
    ctx = make_laptop("laptop", server.url)
    dialog = open_dialog(qtbot, ctx)
    first_sign_in(qtbot, dialog, "petugas.pesawaran")
    qtbot.waitUntil(lambda: ctx.account is not None, timeout=20_000)

    with screens_in("id"):
        dialog = open_dialog(qtbot, ctx)
        qtbot.keyClicks(field(dialog, "pinEdit"), "111333")
        qtbot.mouseClick(dialog.findChild(QPushButton, "unlockButton"), Qt.MouseButton.LeftButton)
        error = dialog.findChild(QLabel, "unlockError")
        qtbot.waitUntil(lambda: error.isVisible(), timeout=10_000)
    assert "PIN salah" in error.text() and "4" in error.text()
    assert field(dialog, "pinEdit").text() == ""  # cleared for the next try
    assert dialog.isVisible() and dialog.result() != SignInDialog.DialogCode.Accepted


def test_a_wrong_password_and_an_unreachable_server_are_said_in_the_dialog(
        qtbot, make_laptop, server) -> None:  # type: ignore[no-untyped-def]
    """Nothing freezes and nothing is lost: the officer reads why and fixes it."""
    ctx = make_laptop("laptop", server.url)
    dialog = open_dialog(qtbot, ctx)
    qtbot.keyClicks(field(dialog, "usernameEdit"), "petugas.pesawaran")
    qtbot.keyClicks(field(dialog, "passwordEdit"), "not-the-password")
    qtbot.keyClicks(field(dialog, "newPinEdit"), PIN)
    qtbot.keyClicks(field(dialog, "newPinAgainEdit"), PIN)
    qtbot.mouseClick(dialog.findChild(QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    error = dialog.findChild(QLabel, "onlineError")
    qtbot.waitUntil(lambda: error.isVisible() and not dialog.busy, timeout=20_000)
    assert error.text() and field(dialog, "passwordEdit").text() == ""
    assert ctx.account is None

    server_edit = field(dialog, "serverEdit")
    server_edit.clear()
    qtbot.keyClicks(server_edit, "http://127.0.0.1:9")  # nothing listens there
    qtbot.keyClicks(field(dialog, "passwordEdit"), DEMO_PASSWORD)
    qtbot.keyClick(field(dialog, "passwordEdit"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy and "reached" in error.text(), timeout=30_000)
    assert ctx.account is None


def test_pins_that_differ_or_are_weak_are_refused_before_the_network(qtbot, make_laptop) -> None:  # type: ignore[no-untyped-def]
    """The PIN is checked at its field, without a round trip over a slow link."""
    ctx = make_laptop("laptop", "http://127.0.0.1:9")
    dialog = open_dialog(qtbot, ctx)
    qtbot.keyClicks(field(dialog, "usernameEdit"), "petugas.pesawaran")
    qtbot.keyClicks(field(dialog, "passwordEdit"), DEMO_PASSWORD)
    qtbot.keyClicks(field(dialog, "newPinEdit"), "123456")
    qtbot.keyClicks(field(dialog, "newPinAgainEdit"), "123456")
    qtbot.keyClick(field(dialog, "newPinAgainEdit"), Qt.Key.Key_Return)
    error = dialog.findChild(QLabel, "onlineError")
    assert not dialog.busy and "easy to guess" in error.text()
    assert field(dialog, "newPinEdit").hasFocus()

    field(dialog, "newPinEdit").clear()
    qtbot.keyClicks(field(dialog, "newPinEdit"), PIN)
    field(dialog, "newPinAgainEdit").clear()
    qtbot.keyClicks(field(dialog, "newPinAgainEdit"), "480614")
    qtbot.keyClick(field(dialog, "newPinAgainEdit"), Qt.Key.Key_Return)
    assert "differ" in error.text() and field(dialog, "newPinAgainEdit").hasFocus()
