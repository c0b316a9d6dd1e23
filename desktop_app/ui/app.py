"""Starting the GUI: the QApplication, the store, sign-in, the main window.

:class:`TapisApp` owns what outlives one window: the store and the context.
A language change or a restored backup rebuilds the window (and, for a
restore, reopens the store) instead of patching every widget in place.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import startup_checks, thread_guard
from ..resources import resources_dir
from ..store import migrate, open_store
from ..store.store import Store
from . import i18n
from .context import AppContext
from .main_window import MainWindow
from .responsiveness import keep_gui_responsive
from .settings import LANGUAGE, Settings
from ..sync.account import Account
from .sign_in import ask_sign_in
from .style import STYLE

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """The woven-tapis icon (resources/icons/tapis.png); empty if missing."""
    return QIcon(str(resources_dir() / "icons" / "tapis.png"))


def refuse_to_start(message: str) -> int:
    """Tell the officer why Tapis cannot start (a dialog, never a traceback); exit code 1."""
    log.error("cannot start: %s", message.replace("\n", " "))
    QMessageBox.critical(None, "Tapis", message)
    return 1


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Tapis")
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")  # the same look on every Windows version and in screenshots
    app.setStyleSheet(STYLE)
    return app


#: Modules the first list or form needs, imported on a worker while the
#: officer types the PIN, so the first click on a job shows its list at once.
WARM_MODULES = ("desktop_app.ui.job_pages", "desktop_app.ui.dashboard", "desktop_app.services.home",
                "desktop_app.services.records", "desktop_app.services.photos")


def warm_up(store: Store) -> None:
    """Import the screens' modules and read the reference lists (DB lane)."""
    import importlib

    from ..services.choices import load_choices

    for name in WARM_MODULES:
        importlib.import_module(name)
    load_choices(store)


class TapisApp:
    """The running application: one store, one context, one window at a time."""

    def __init__(self, store: Store) -> None:
        self.ctx = AppContext(store=store, data_dir=store.data_dir, settings=Settings(store.data_dir))
        i18n.install(self.ctx.settings.get(LANGUAGE))
        self.window: MainWindow | None = None
        self.real_store: Store | None = None  # kept aside while the practice workspace is open
        self.ctx.run(warm_up, store)

    def sign_in(self) -> bool:
        return ask_sign_in(self.ctx, practice=None if self.ctx.practice else self.enter_practice)

    def enter_practice(self) -> Account:
        """Swap to the practice workspace (its own data folder, filled with
        example records the first time) and sign in as its practice officer.
        The real store is closed meanwhile, so no practice record can reach it."""
        from ..services import practice

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.ctx.runner.wait()
            real = self.ctx.store
            store, officer = practice.open_practice(real.data_dir)
        finally:
            QApplication.restoreOverrideCursor()
        self.real_store = real
        self.ctx.store, self.ctx.data_dir = store, store.data_dir
        self.ctx.settings = Settings(store.data_dir)
        self.ctx.practice = True
        account = Account(officer_id=officer.officer_id, username=officer.username,
                          full_name=officer.full_name, role="officer",
                          regency_code=officer.regency_code, server_url="", has_token=False)
        self.ctx.account = account
        self.ctx.events.account_changed.emit(account)
        return account

    def leave_practice(self) -> None:
        """Back to the real data folder (the practice one stays for next time)."""
        if self.real_store is None:
            return
        self.ctx.runner.wait()
        practice_store, self.ctx.store = self.ctx.store, self.real_store
        self.real_store = None
        practice_store.close()
        self.ctx.data_dir = self.ctx.store.data_dir
        self.ctx.settings = Settings(self.ctx.data_dir)
        self.ctx.practice = False

    def show_window(self) -> MainWindow:
        self.window = MainWindow(self.ctx, on_language=self.change_language, app=self)
        self.window.show()
        return self.window

    def change_language(self, code: str) -> None:
        """Rebuild the window in the other language (after the current event)."""
        i18n.install(code)
        QTimer.singleShot(0, self._rebuild)

    def _rebuild(self) -> None:
        """The window again in the new language, on the page it showed, with
        the forms that were open opened again (their entries were kept as
        drafts by shut_down, on the same lane that reads them back)."""
        old = self.window
        reopen, page = [], None
        if old is not None:
            reopen, page = old.open_forms(), old.current_page()
            old.shut_down()
            old.hide()
            old.deleteLater()
        window = self.show_window()
        for kind, record_id, initial in reopen:
            window.open_record(kind, record_id, **initial)
        if page is not None:
            window.show_page(page)

    def switch_officer(self) -> None:
        """Another officer takes the laptop: the window closes, sign-in asks who."""
        old = self.window
        if old is not None and not old.shut_down():
            return
        self.window = None
        if old is not None:
            old.hide()
            old.deleteLater()
        self.ctx.account = None
        self.leave_practice()
        if self.sign_in():
            self.show_window()
        else:
            QApplication.quit()

    def restored(self, store: Store) -> None:
        """A backup was restored: the new store is a new device; sign in again."""
        self.ctx.store = store
        self.ctx.data_dir = store.data_dir
        self.switch_officer()

    def close(self) -> None:
        self.ctx.runner.wait(10_000)
        self.ctx.store.close()
        if self.real_store is not None:
            self.real_store.close()


def run_gui(data_dir: Path) -> int:
    app = make_application()
    problem = startup_checks.startup_problem(data_dir)  # data folder writable, database not newer
    if problem is not None:
        return refuse_to_start(problem)
    try:
        store = open_store(data_dir)
    except migrate.DatabaseTooNew as exc:
        return refuse_to_start(str(exc))
    except Exception as exc:  # a locked or damaged file, a full disk: say so, details in the log
        log.exception("opening the store failed")
        return refuse_to_start(startup_checks.open_failed_message(data_dir, exc))
    tapis = TapisApp(store)
    try:
        if not tapis.sign_in():
            return 0
        tapis.show_window()
        keep_gui_responsive()
        thread_guard.watch()  # a database or network call on this thread over 50 ms is logged
        return app.exec()
    finally:
        tapis.close()


def scaled_font(app: QApplication, factor: float) -> None:
    """Scale the application's font (the officer's 150 % setting, in screenshots)."""
    font = QFont(app.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    app.setFont(font)
