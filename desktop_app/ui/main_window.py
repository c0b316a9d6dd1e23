"""The main window: navigation on the left, one page at a time, the sync bar
always at the bottom.

Pages are built the first time they are opened (the window is usable before
any list has been read) and keep their state when the officer moves away
and back. Each page module offers ``create(ctx, window) -> QWidget``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QVBoxLayout,
    QWidget,
)

from .. import __version__
from . import i18n
from .context import AppContext
from .settings import GEOMETRY, LANGUAGE
from .sync_bar import SyncBar
from .i18n import QT_TRANSLATE_NOOP, tr

log = logging.getLogger(__name__)


#: Where a word may break with nothing shown (U+200B).
ZERO_WIDTH_SPACE = "\u200b"


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # English source text, translated in the 'pages' context
    module: str  # desktop_app.ui.<module>.create(ctx, window)
    supervisors_only: bool = False
    section: bool = False  # a heading in the navigation, not a page


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", QT_TRANSLATE_NOOP("pages", "Home"), "home"),
    PageSpec("jobs", QT_TRANSLATE_NOOP("pages", "FIELD WORK"), "", section=True),
    PageSpec("umkm_survey", QT_TRANSLATE_NOOP("pages", "UMKM surveys"), "job_pages:surveys"),
    PageSpec("cooperative_audit", QT_TRANSLATE_NOOP("pages", "Cooperative audits"), "job_pages:audits"),
    PageSpec("aid_verification", QT_TRANSLATE_NOOP("pages", "Aid verifications"),
             "job_pages:verifications"),
    PageSpec("registers", QT_TRANSLATE_NOOP("pages", "REGISTERS"), "", section=True),
    PageSpec("business", QT_TRANSLATE_NOOP("pages", "Businesses"), "job_pages:businesses"),
    PageSpec("cooperative", QT_TRANSLATE_NOOP("pages", "Cooperatives"), "job_pages:cooperatives"),
    PageSpec("aid_applicant", QT_TRANSLATE_NOOP("pages", "Aid applicants"), "job_pages:applicants"),
    PageSpec("office", QT_TRANSLATE_NOOP("pages", "OFFICE"), "", section=True),
    PageSpec("dashboard", QT_TRANSLATE_NOOP("pages", "Dashboard"), "dashboard"),
    PageSpec("conflicts", QT_TRANSLATE_NOOP("pages", "Conflicts"), "conflicts", supervisors_only=True),
    PageSpec("approvals", QT_TRANSLATE_NOOP("pages", "Aid approvals"), "approvals_page",
             supervisors_only=True),
    PageSpec("reports", QT_TRANSLATE_NOOP("pages", "Reports and exports"), "reports_page"),
    PageSpec("sync", QT_TRANSLATE_NOOP("pages", "Sync and refused changes"), "sync_page"),
    PageSpec("backups", QT_TRANSLATE_NOOP("pages", "Backups"), "backups_page"),
)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, on_language: Callable[[str], None] | None = None,
                 app: Any = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.app = app  # the TapisApp: switching officer, restoring a backup
        self.on_language = on_language
        self.closing_done = False
        self.setWindowTitle(tr("Tapis — Cooperative and UMKM records, Lampung"))
        self.setMinimumSize(QSize(1024, 600))
        self.pages: dict[str, QWidget] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(self.nav_width())
        self.stack = QStackedWidget()
        self.sync_bar = SyncBar(ctx, self)
        self._build_navigation()
        body = QWidget()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        self.who = QLabel(self._who_text())
        self.who.setObjectName("who")
        self.who.setWordWrap(True)
        self.who.setFixedWidth(self.nav_width())
        side.addWidget(self.who)
        side.addWidget(self.nav, 1)
        row.addLayout(side)
        row.addWidget(self.stack, 1)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        if ctx.practice:
            self.practice_banner = QLabel(tr(
                "PRACTICE WORKSPACE — example records on this laptop only. Nothing here is ever "
                "sent to the server. To work for real: File → Switch officer."))
            self.practice_banner.setObjectName("practiceBanner")
            self.practice_banner.setWordWrap(True)
            column.addWidget(self.practice_banner)
            self.setWindowTitle(tr("[PRACTICE] ") + self.windowTitle())
        column.addLayout(row, 1)
        column.addWidget(self.sync_bar)
        self.setCentralWidget(body)
        self._build_menu()
        self.nav.currentItemChanged.connect(self._nav_changed)
        geometry = ctx.settings.get(GEOMETRY)
        if not (geometry and not geometry.isEmpty() and self.restoreGeometry(geometry)
                and self._fits_screen()):
            self.fit_to_screen()
        self.show_page("home")
        if ctx.account is not None and ctx.account.is_supervisor:
            # The conflicts live on the server: after the first sync the page is
            # built in the background, reads them, and the home card shows the count.
            ctx.events.listen(self, ctx.events.sync_finished, self._count_conflicts)

    def _area(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()  # the screen less its taskbar and panels

    def _fits_screen(self) -> bool:
        """A remembered place still on this screen (not on a monitor since unplugged)."""
        return self.isMaximized() or self._area().contains(self.geometry())

    def fit_to_screen(self) -> None:
        """The first start: the whole window, title bar and sync bar included,
        inside the screen's available area (above a taskbar). On a laptop
        screen (1366x768 and smaller) that is a maximised window; on a large
        one a 1366x768 window in the middle."""
        area = self._area()
        self.setMinimumSize(QSize(min(1024, area.width()), min(600, area.height() - 40)))
        frame = 40  # a title bar and borders, before the window manager tells
        if area.width() < 1366 + 16 or area.height() < 768 + frame:
            self.resize(area.width(), area.height() - frame)
            self.move(area.topLeft())
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.resize(1366, 768)
            self.move(area.center() - self.rect().center())

    def nav_width(self) -> int:
        """Wide enough for 'Laporan dan ekspor' in the officer's font size."""
        return max(210, self.fontMetrics().horizontalAdvance("M") * 15)

    def _who_text(self) -> str:
        account = self.ctx.account
        if account is None:
            return "Tapis"
        if self.ctx.practice:
            return f"{account.full_name}\n" + tr("practice workspace")
        # A long username (petugas.bandarlampung) has no space to wrap at: a
        # zero-width space after each dot lets it break there at a large font
        # instead of being cut at the navigation's edge.
        return f"{account.full_name}\n{account.username.replace('.', '.' + ZERO_WIDTH_SPACE)}"

    def _count_conflicts(self, _summary: object) -> None:
        if "conflicts" not in self.pages:
            self._page("conflicts")

    def sync_now(self) -> None:
        """Start a sync (the home page's 'changes not yet sent' card offers it)."""
        self.sync_bar.sync_now()

    # --- navigation --------------------------------------------------------------

    def _build_navigation(self) -> None:
        supervisor = bool(self.ctx.account and self.ctx.account.is_supervisor)
        for spec in PAGES:
            if spec.supervisors_only and not supervisor:
                continue
            item = QListWidgetItem(QCoreApplication.translate("pages", spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            if spec.section:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                font = item.font()
                font.setPointSizeF(font.pointSizeF() * 0.85)
                font.setBold(True)
                item.setFont(font)
            height = self.fontMetrics().height()
            item.setSizeHint(QSize(0, int(height * (2.0 if spec.section else 1.9))))
            self.nav.addItem(item)

    def show_page(self, key: str) -> QWidget:
        """Open a page by key, building it the first time."""
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                if self.nav.currentRow() != row:
                    self.nav.setCurrentRow(row)  # _nav_changed builds and shows it
                break
        page = self._page(key)
        self.stack.setCurrentWidget(page)
        return page

    def open_record(self, kind: str, record_id: str | None, **initial: object) -> None:
        """Show a record's form on its job page (a new one when record_id is None)."""
        page = self.show_page(kind)
        page.open_record(record_id, **initial)  # type: ignore[attr-defined]

    def _nav_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        key = current.data(Qt.ItemDataRole.UserRole)
        self.stack.setCurrentWidget(self._page(key))

    def _page(self, key: str) -> QWidget:
        if key not in self.pages:
            spec = next(s for s in PAGES if s.key == key)
            module_name, _, factory = spec.module.partition(":")
            module = importlib.import_module(f"{__package__}.{module_name}")
            page = getattr(module, factory or "create")(self.ctx, self)
            page.setObjectName(f"page-{key}")
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    # --- menu ----------------------------------------------------------------------

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        switch = QAction(tr("&Switch officer…"), self)
        switch.triggered.connect(self._switch_officer)
        file_menu.addAction(switch)
        again = QAction(tr("Sign in again with the &password…"), self)
        again.triggered.connect(self._sign_in_again)
        file_menu.addAction(again)
        file_menu.addSeparator()
        quit_action = QAction(tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self._build_work_menu()
        view_menu = self.menuBar().addMenu(tr("&View"))
        language_menu = view_menu.addMenu(tr("&Language"))
        group = QActionGroup(self)
        self.language_actions: list[QAction] = []
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == i18n.language())
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self._choose_language(c))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions.append(action)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        about = QAction(tr("&About Tapis"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self.file_menu = file_menu

    def _build_work_menu(self) -> None:
        """The shortcuts an office worker expects, each shown beside its menu
        entry: Ctrl+N a new record, Ctrl+F the search, F5 sync now, and
        Alt+1, Alt+2... the pages in the navigation's order."""
        records_menu = self.menuBar().addMenu(tr("&Records"))
        new = QAction(tr("&New record"), self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(self.new_record)
        find = QAction(tr("&Search the list"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.find)
        sync = QAction(tr("S&ync now"), self)
        sync.setShortcut(QKeySequence(Qt.Key.Key_F5))
        sync.triggered.connect(self.sync_now)
        for action in (new, find, sync):
            records_menu.addAction(action)
        go_menu = self.menuBar().addMenu(tr("&Go"))
        self.page_actions: dict[str, QAction] = {}
        number = 0
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            if not item.flags() & Qt.ItemFlag.ItemIsSelectable:
                continue  # a heading
            number += 1
            key = item.data(Qt.ItemDataRole.UserRole)
            action = QAction(item.text(), self)
            if number <= 10:
                action.setShortcut(QKeySequence(f"Alt+{number % 10}"))
            action.triggered.connect(lambda _checked=False, k=key: self.go_to(k))
            go_menu.addAction(action)
            self.page_actions[key] = action

    def go_to(self, key: str) -> None:
        """A page from the keyboard: it opens, and the focus goes into it."""
        page = self.show_page(key)
        target = getattr(page, "form", None) or getattr(page, "list", None)
        if target is not None and page.currentWidget() is target:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if hasattr(target, "table"):
                target.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.nav.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _job_page(self) -> Any:
        page = self.stack.currentWidget()
        return page if hasattr(page, "open_record") and hasattr(page, "list") else None

    def new_record(self) -> None:
        """Ctrl+N: a new record of the page shown (the surveys page asks which
        business, as its button does); elsewhere, a new business."""
        page = self._job_page()
        if page is None:
            page = self.show_page("business")
        page.open_record(None)

    def find(self) -> None:
        """Ctrl+F: the list of the page shown, its search box selected."""
        page = self._job_page()
        if page is None or page.list is None:
            return
        if page.form is not None and page.currentWidget() is page.form:
            page.form.leave()
        if page.currentWidget() is page.list:
            page.list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            page.list.search.selectAll()

    def _switch_officer(self) -> None:
        if self.app is not None and self.confirm_closing_forms(switching_officer=True):
            self.app.switch_officer()

    # --- open forms across a language or officer switch -----------------------------

    def open_forms(self) -> list[tuple[str, str | None, dict[str, Any]]]:
        """The forms open now (kind, record id, what they were opened with,
        the draft they keep their entries under), so that a window rebuilt in
        another language opens them again with what was typed."""
        found = []
        for page in self.pages.values():
            form = getattr(page, "form", None)
            if form is None or form.loading:
                continue
            initial = dict(form.controller.initial)
            if form.record_id is None:
                initial["draft_key"] = form.controller.snapshot_key
            found.append((form.kind.name, form.record_id, initial))
        return found

    def current_page(self) -> str | None:
        return next((key for key, page in self.pages.items()
                     if page is self.stack.currentWidget()), None)

    def confirm_closing_forms(self, *, switching_officer: bool) -> bool:
        """A switch that closes forms with unsaved entries asks first; the
        entries are kept either way (as the record or its draft)."""
        unsaved = [form for page in self.pages.values()
                   if (form := getattr(page, "form", None)) is not None
                   and form.dirty and not form.read_only]
        if not unsaved:
            return True
        from .dialogs import ask

        names = ", ".join(form.title.text() for form in unsaved)
        if switching_officer:
            text = tr("{forms} has changes not saved yet. They are kept on this laptop as your "
                      "draft: after you sign in again, open it from Home (Recovered work).")
        else:
            text = tr("{forms} has changes not saved yet. The window is rebuilt in the other "
                      "language and the form opens again with what you typed.")
        return ask(self, tr("Close the open form?"), text.format(forms=names),
                   tr("Keep the draft and switch"), tr("Stay here"))

    def _sign_in_again(self) -> None:
        from .sign_in import ask_sign_in

        if ask_sign_in(self.ctx, self, online=True):
            self.sync_bar.refresh()

    def _choose_language(self, code: str) -> None:
        if code == i18n.language():
            return
        if not self.confirm_closing_forms(switching_officer=False):
            for action in self.language_actions:
                action.setChecked(action.data() == i18n.language())
            return
        self.ctx.settings.set(LANGUAGE, code)
        if self.on_language is not None:
            self.on_language(code)  # the application rebuilds the window in that language

    def _about(self) -> None:
        from .dialogs import inform

        inform(self, tr("About Tapis"),
               tr("Tapis {version}\nDinas Koperasi dan UKM Provinsi Lampung\nData folder: {path}")
               .format(version=__version__, path=self.ctx.data_dir))

    def shut_down(self) -> bool:
        """Let every page keep what was typed, stop the sync bar, remember the
        window's place. False when a page asks to stay open."""
        if self.closing_done:
            return True
        for page in self.pages.values():
            leave = getattr(page, "can_leave", None)
            if leave is not None and not leave():
                return False
        self.ctx.settings.set(GEOMETRY, self.saveGeometry())
        self.sync_bar.shutdown()
        self.ctx.events.forget(self)  # nothing announced from now on reaches this window
        self.closing_done = True
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.shut_down():
            event.ignore()
            return
        super().closeEvent(event)

