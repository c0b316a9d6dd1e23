"""Item 15 of issue 16: a language (or officer) switch leaves nothing of the
old window connected. With a form open, the dashboard built and the sync bar
running, switching language twice and then announcing changes and a sync on
the application's signal hub prints no 'already deleted' traceback: every
connection to ``ctx.events`` belongs to a living widget."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from desktop_app.ui.app import TapisApp
from tests.support.gui import drain, officer

pytestmark = pytest.mark.usefixtures("indonesian")


def _flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def test_switching_language_twice_leaves_no_old_window_connected(
        qtbot, ctx, modal_dialogs, capfd, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    old_hook = sys.excepthook
    sys.excepthook = lambda kind, value, tb: errors.append(f"{kind.__name__}: {value}")
    try:
        tapis = TapisApp(ctx.store)
        tapis.ctx.account = officer()
        window = tapis.show_window()
        window.show_page("dashboard")
        page = window.show_page("business")
        qtbot.waitUntil(lambda: page.list is not None)
        page.list.new_button.click()
        qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
        for name in ("home", "umkm_survey", "sync", "reports", "dashboard"):
            window.show_page(name)
        drain(qtbot, tapis.ctx)
        modal_dialogs.answer = True
        for code in ("en", "id"):
            before = tapis.window
            before._choose_language(code)
            qtbot.waitUntil(lambda: tapis.window is not before)  # noqa: B023
            _flush_deletes()
            tapis.window.show_page("dashboard")
            drain(qtbot, tapis.ctx)
        # everything the hub announces reaches only the living window
        tapis.ctx.events.records_changed.emit("business")
        tapis.ctx.events.sync_finished.emit(None)
        tapis.ctx.events.account_changed.emit(tapis.ctx.account)
        tapis.ctx.events.conflicts_counted.emit(0)
        qtbot.wait(700)  # the dashboard's and the sync bar's timers
        drain(qtbot, tapis.ctx)
        tapis.window.close()
        tapis.ctx.runner.wait()
    finally:
        sys.excepthook = old_hook
    out, err = capfd.readouterr()
    said = out + err + caplog.text + "\n".join(errors)
    assert "already deleted" not in said
    assert "Traceback" not in said
    assert not errors
