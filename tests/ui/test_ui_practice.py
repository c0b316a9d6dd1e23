"""'Coba dengan data latihan': from the sign-in screen, without any server,
into a separate practice folder with example records, marked as practice
on every screen and never synced; the real data folder stays untouched."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from desktop_app.services import listing, practice
from desktop_app.store import open_store
from desktop_app.ui.app import TapisApp
from desktop_app.ui.main_window import PAGES
from desktop_app.ui.sign_in import SignInDialog

pytestmark = pytest.mark.usefixtures("indonesian")


def test_practice_from_the_sign_in_screen_reaches_every_page(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(practice, "RECORDS", 40)
    real = open_store(tmp_path / "data")
    tapis = TapisApp(real)
    dialogs: list[SignInDialog] = []

    def press_practice() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog) or dialog.busy:
            from PySide6.QtCore import QTimer
            QTimer.singleShot(20, press_practice)
            return
        dialogs.append(dialog)
        button = dialog.findChild(QPushButton, "practiceButton")
        assert button.isVisible() and button.text().replace("&", "") == "Coba dengan data latihan"
        button.click()

    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, press_practice)
    assert tapis.sign_in()
    ctx = tapis.ctx
    assert ctx.practice and ctx.account.username == "latihan" and not ctx.account.has_token
    assert ctx.data_dir == tmp_path / "data" / "latihan" and practice.is_practice(ctx.data_dir)
    total = listing.list_records(ctx.store, "business", listing.ListFilter()).total
    assert total > 0
    window = tapis.show_window()
    qtbot.addWidget(window)
    assert "[LATIHAN]" in window.windowTitle()
    assert window.practice_banner.isVisible() and "LATIHAN" in window.practice_banner.text()
    for spec in PAGES:
        if spec.section or spec.supervisors_only:
            continue
        page = window.show_page(spec.key)
        assert window.stack.currentWidget() is page
    assert not window.sync_bar.sync_button.isEnabled()
    assert "Latihan" in window.sync_bar.state_label.text()
    window.sync_bar.sync_now()
    assert window.sync_bar.job is None and "tidak pernah dikirim" in window.sync_bar.message_label.text()
    window.close()
    tapis.close()
    with_real = open_store(tmp_path / "data")
    try:  # the real folder holds no practice record
        assert listing.list_records(with_real, "business", listing.ListFilter()).total == 0
    finally:
        with_real.close()
