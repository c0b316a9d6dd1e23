"""The sign-in dialog when the office has just made the account (or reset its
password): the server asks for a new password, the dialog shows two new
fields, and the officer is in once it is replaced. A deactivated account is
told in words at the PIN."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from desktop_app.ui.sign_in import SignInDialog
from server.__main__ import main as server_main
from tests.support.sync_gui import (  # noqa: F401 - fixtures
    PIN, english, make_laptop, server,
)

pytestmark = pytest.mark.usefixtures("english")


def field(dialog: SignInDialog, name: str) -> QLineEdit:
    return dialog.findChild(QLineEdit, name)


def test_a_one_time_password_is_replaced_in_the_dialog(qtbot, make_laptop, server, capsys) -> None:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert server_main(["officers", "add", "petugas.anyar", "--name", "Petugas Anyar",
                        "--regency", "18.09", "--db", server.db_url]) == 0
    one_time = re.search(r"one-time password for petugas.anyar: (\S+)",
                         capsys.readouterr().out).group(1)
    ctx = make_laptop("laptop", server.url)
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    new_password, again = field(dialog, "newPasswordEdit"), field(dialog, "newPasswordAgainEdit")
    assert not new_password.isVisible() and not again.isVisible()
    qtbot.keyClicks(field(dialog, "usernameEdit"), "petugas.anyar")
    qtbot.keyClicks(field(dialog, "passwordEdit"), one_time)
    qtbot.keyClicks(field(dialog, "newPinEdit"), PIN)
    qtbot.keyClicks(field(dialog, "newPinAgainEdit"), PIN)
    qtbot.mouseClick(dialog.findChild(QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: new_password.isVisible() and not dialog.busy, timeout=20_000)
    error = dialog.findChild(QLabel, "onlineError")
    assert "one-time password" in error.text() and ctx.account is None
    assert field(dialog, "passwordEdit").text() == one_time  # kept for the change

    qtbot.keyClicks(new_password, "Sawah-Hijau-2026")
    qtbot.keyClicks(again, "Sawah-Hijau-2027")
    qtbot.mouseClick(dialog.findChild(QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "differ" in error.text(), timeout=5_000)
    again.clear()
    qtbot.keyClicks(again, "Sawah-Hijau-2026")
    qtbot.keyClick(again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result() == SignInDialog.DialogCode.Accepted, timeout=20_000)
    assert ctx.account is not None and ctx.account.username == "petugas.anyar"

    capsys.readouterr()
    assert server_main(["officers", "deactivate", "petugas.anyar", "--keep-devices",
                        "--db", server.db_url]) == 0
    from desktop_app.services.sync_run import sync_signed_in
    from desktop_app.sync.client import ServerRefused

    with pytest.raises(ServerRefused):
        sync_signed_in(ctx.store, ctx.account)
    ctx.account = None
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    qtbot.keyClicks(field(dialog, "pinEdit"), PIN)
    qtbot.keyClick(field(dialog, "pinEdit"), Qt.Key.Key_Return)
    unlock_error = dialog.findChild(QLabel, "unlockError")
    qtbot.waitUntil(lambda: unlock_error.isVisible(), timeout=10_000)
    assert "deactivated" in unlock_error.text() and "another officer" in unlock_error.text()
    assert ctx.account is None
