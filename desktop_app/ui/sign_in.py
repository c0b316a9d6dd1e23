"""Who is working on this laptop: offline PIN unlock, or the first sign-in online.

Most mornings there is no signal, so the dialog opens on the officers who
have signed in here before and asks only for a PIN (checked on the database
lane: scrypt is slow on purpose). The first time on a laptop, or after the
server refused the token, the officer signs in with the password over the
network lane and chooses a PIN. Errors appear in the dialog, next to the
field they concern, in the screen's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QProgressBar, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from ..models.errors import TapisError
from ..sync import account as accounts
from ..sync.account import Account, AccountError, PasswordChangeRequired
from .context import AppContext
from .i18n import message_of
from .settings import LAST_USERNAME, SERVER_URL
from .tasks import DB, NET

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #a3441b;"
FIELD_ERROR_STYLE = "border: 1px solid #a3441b;"


class SignInDialog(QDialog):
    """Unlock with a PIN (offline), or sign in with the password (online)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, online: bool = False,
                 username: str = "", practice: Callable[[], Account] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.practice = practice
        self.account: Account | None = None
        self.busy = False
        self._next_field: QLineEdit | None = None
        self.setWindowTitle(self.tr("Tapis — sign in"))
        self.setMinimumWidth(460)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_unlock())
        self.pages.addWidget(self._build_online())
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("signInBusy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(8)
        self.busy_bar.hide()
        column = QVBoxLayout(self)
        heading = QLabel(self.tr("Dinas Koperasi dan UKM Provinsi Lampung"))
        heading.setStyleSheet("font-weight: bold;")
        column.addWidget(heading)
        column.addWidget(self.pages, 1)
        column.addWidget(self.busy_bar)
        self.practice_button = QPushButton(self.tr("Try it with &practice data"))
        self.practice_button.setObjectName("practiceButton")
        self.practice_button.setAutoDefault(False)
        self.practice_button.setToolTip(self.tr(
            "A separate practice workspace with example records: no server, no password, and "
            "nothing in it is ever sent."))
        self.practice_button.clicked.connect(self.open_practice)
        self.practice_button.setVisible(practice is not None)
        column.addWidget(self.practice_button)
        self.known: list[Account] = []
        self._preferred = username or str(ctx.settings.get(LAST_USERNAME))
        self._start_online = online
        self.show_online(username)
        self._set_busy(True)  # until we know who has signed in here before
        ctx.run(accounts.known_accounts, ctx.store, lane=DB, owner=self) \
            .success(self._known_loaded).finally_(lambda: self._set_busy(False))

    def _known_loaded(self, known: list[Account]) -> None:
        self.known = known
        self._fill_known(self._preferred)
        if self._start_online or not known:
            self.show_online()
        else:
            self.show_unlock()

    # --- the PIN page -----------------------------------------------------------------

    def _build_unlock(self) -> QWidget:
        page = QWidget()
        page.setObjectName("unlockPage")
        self.officer_list = QListWidget()
        self.officer_list.setObjectName("officerList")
        self.officer_list.setMinimumHeight(90)
        self.pin_edit = _secret("pinEdit")
        self.unlock_error = _error_label("unlockError")
        self.unlock_button = QPushButton(self.tr("&Open"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self.submit_unlock)
        self.first_button = QPushButton(self.tr("&First sign-in on this laptop…"))
        self.first_button.setObjectName("firstSignInButton")
        self.first_button.setAutoDefault(False)
        self.first_button.clicked.connect(lambda: self.show_online())
        prompt = QLabel(self.tr("Choose your name and type your PIN. No connection is needed."))
        prompt.setWordWrap(True)
        form = QFormLayout()
        officer_label = QLabel(self.tr("&Officer"))
        officer_label.setBuddy(self.officer_list)
        pin_label = QLabel(self.tr("&PIN"))
        pin_label.setBuddy(self.pin_edit)
        form.addRow(officer_label, self.officer_list)
        form.addRow(pin_label, self.pin_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.first_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(prompt)
        column.addLayout(form)
        column.addWidget(self.unlock_error)
        column.addStretch(1)
        column.addLayout(buttons)
        self.officer_list.itemDoubleClicked.connect(lambda _item: self._focus(self.pin_edit))
        return page

    def _fill_known(self, preferred: str) -> None:
        self.officer_list.clear()
        for known in self.known:
            item = QListWidgetItem(f"{known.full_name}  ({known.username})")
            item.setData(Qt.ItemDataRole.UserRole, known.username)
            self.officer_list.addItem(item)
            if known.username == preferred:
                self.officer_list.setCurrentItem(item)
        if self.officer_list.currentRow() < 0 and self.officer_list.count():
            self.officer_list.setCurrentRow(0)

    def show_unlock(self) -> None:
        self.pages.setCurrentIndex(0)
        self.unlock_button.setDefault(True)
        self.online_button.setDefault(False)
        self._focus(self.pin_edit)

    def submit_unlock(self) -> None:
        item = self.officer_list.currentItem()
        if self.busy or item is None:
            return
        pin = self.pin_edit.text()
        if not pin:
            self._field_error(self.unlock_error, self.pin_edit, self.tr("Type your PIN."))
            return
        self._set_busy(True)
        self.ctx.run(accounts.unlock, self.ctx.store, item.data(Qt.ItemDataRole.UserRole), pin,
                     lane=DB, owner=self) \
            .success(self._signed_in).failure(self._unlock_failed) \
            .finally_(lambda: self._set_busy(False))

    def _unlock_failed(self, error: BaseException) -> None:
        self.pin_edit.clear()
        self._field_error(self.unlock_error, self.pin_edit, message_of(error))

    # --- the password page ----------------------------------------------------------------

    def _build_online(self) -> QWidget:
        page = QWidget()
        page.setObjectName("onlinePage")
        self.server_edit = _plain("serverEdit", str(self.ctx.settings.get(SERVER_URL)))
        self.username_edit = _plain("usernameEdit")
        self.password_edit = _secret("passwordEdit")
        self.new_pin_edit = _secret("newPinEdit")
        self.new_pin_again_edit = _secret("newPinAgainEdit")
        self.online_error = _error_label("onlineError")
        prompt = QLabel(self.tr("The first time on this laptop you need a connection: sign in with "
                                "your password and choose a PIN of 6 to 12 digits for the days "
                                "without signal."))
        prompt.setWordWrap(True)
        # A one-time password (a new account, a reset) must be replaced: these
        # two rows appear when the server says so (_ask_new_password).
        self.new_password_edit = _secret("newPasswordEdit")
        self.new_password_again_edit = _secret("newPasswordAgainEdit")
        form = QFormLayout()
        self.online_form = form
        for text, field in ((self.tr("&Server address"), self.server_edit),
                            (self.tr("&Username"), self.username_edit),
                            (self.tr("Pass&word"), self.password_edit),
                            (self.tr("New passwo&rd"), self.new_password_edit),
                            (self.tr("New password ag&ain"), self.new_password_again_edit),
                            (self.tr("&New PIN"), self.new_pin_edit),
                            (self.tr("PIN a&gain"), self.new_pin_again_edit)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self._show_new_password(False)
        self.online_button = QPushButton(self.tr("&Sign in"))
        self.online_button.setObjectName("signInButton")
        self.online_button.clicked.connect(self.submit_online)
        self.back_button = QPushButton(self.tr("&Back to PIN"))
        self.back_button.setObjectName("backButton")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.show_unlock)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.online_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(prompt)
        column.addLayout(form)
        column.addWidget(self.online_error)
        column.addStretch(1)
        column.addLayout(buttons)
        return page

    def show_online(self, username: str = "") -> None:
        self.pages.setCurrentIndex(1)
        self.back_button.setVisible(bool(self.known))
        self.unlock_button.setDefault(False)
        self.online_button.setDefault(True)
        if username:
            self.username_edit.setText(username)
        self._focus(self.password_edit if self.username_edit.text() else self.username_edit)

    def submit_online(self) -> None:
        if self.busy:
            return
        self._clear_errors()
        server, username = self.server_edit.text().strip(), self.username_edit.text().strip()
        pin, again = self.new_pin_edit.text(), self.new_pin_again_edit.text()
        empty = next((f for f in (self.server_edit, self.username_edit, self.password_edit,
                                  self.new_pin_edit) if not f.text().strip()), None)
        if empty is not None:
            self._field_error(self.online_error, empty, self.tr("Fill in this field."))
            return
        problem = accounts.pin_problem(pin)
        if problem is not None:
            self._field_error(self.online_error, self.new_pin_edit, message_of(problem))
            return
        if pin != again:
            self._field_error(self.online_error, self.new_pin_again_edit,
                              self.tr("The two PINs differ. Type the same PIN twice."))
            return
        self._set_busy(True)
        if self.new_password_edit.isVisibleTo(self):
            new_password = self.new_password_edit.text()
            problem = accounts.new_password_problem(new_password, self.new_password_again_edit.text(),
                                                    self.password_edit.text(), username)
            if problem is not None:
                self._set_busy(False)
                self._field_error(self.online_error, self.new_password_edit, message_of(problem))
                return
            call = self.ctx.run(accounts.sign_in_with_new_password, self.ctx.store, server,
                                username, self.password_edit.text(), new_password, pin,
                                lane=NET, owner=self)
        else:
            call = self.ctx.run(accounts.sign_in_online, self.ctx.store, server, username,
                                self.password_edit.text(), pin, lane=NET, owner=self)
        call.success(self._signed_in_online).failure(self._online_failed) \
            .finally_(lambda: self._set_busy(False))

    def _show_new_password(self, shown: bool) -> None:
        for field in (self.new_password_edit, self.new_password_again_edit):
            self.online_form.setRowVisible(field, shown)

    def _signed_in_online(self, account: Account) -> None:
        self.ctx.settings.set(SERVER_URL, account.server_url)
        self._signed_in(account)

    def _online_failed(self, error: BaseException) -> None:
        from ..sync.client import Offline, ServerRefused  # loaded by the sign-in that failed

        if isinstance(error, PasswordChangeRequired):
            self._show_new_password(True)  # the server's words say why and how long
            field = self.new_password_edit
        elif isinstance(error, Offline):
            field = self.server_edit
        elif isinstance(error, ServerRefused) and error.status in (401, 403):
            field = self.password_edit
            self.password_edit.clear()
        elif isinstance(error, AccountError):
            field = self.new_pin_edit
        else:
            field = None
            if not isinstance(error, TapisError):
                log.error("sign-in failed", exc_info=(type(error), error, error.__traceback__))
        self._field_error(self.online_error, field, message_of(error))

    # --- shared -------------------------------------------------------------------------

    def _signed_in(self, account: Account) -> None:
        self.account = account
        self.ctx.account = account
        self.ctx.settings.set(LAST_USERNAME, account.username)
        self.ctx.events.account_changed.emit(account)
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        """While busy the fields are disabled, and a disabled field cannot
        hold the focus; so the field the officer is to type into next is
        given the focus again once they are enabled (what is typed after a
        refused sign-in lands in a field, never nowhere)."""
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.pages.setEnabled(not busy)
        if not busy:
            self._focus(self._next_field or self._first_field())

    def _first_field(self) -> QLineEdit:
        if self.pages.currentIndex() == 0:
            return self.pin_edit
        return self.password_edit if self.username_edit.text() else self.username_edit

    def _focus(self, field: QLineEdit) -> None:
        """The cursor goes to ``field`` now, or as soon as the fields are enabled."""
        self._next_field = field
        if not self.busy:
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            self._next_field = None

    def _clear_errors(self) -> None:
        for label in (self.unlock_error, self.online_error):
            label.clear()
            label.hide()
        for field in self.findChildren(QLineEdit):
            field.setStyleSheet("")

    def _field_error(self, label: QLabel, field: QLineEdit | None, text: str) -> None:
        self._clear_errors()
        label.setText(text)
        label.show()
        if field is not None:
            field.setStyleSheet(FIELD_ERROR_STYLE)
            field.selectAll()
            self._focus(field)

    def open_practice(self) -> None:
        """The practice workspace, signed in as its practice officer."""
        if self.busy or self.practice is None:
            return
        self._set_busy(True)
        try:
            self.account = self.practice()
        finally:
            self._set_busy(False)
        self.accept()

    def reject(self) -> None:
        if not self.busy:  # a sign-in in flight finishes first; its answer is not lost
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.busy:
            return
        super().keyPressEvent(event)


def ask_sign_in(ctx: AppContext, parent: QWidget | None = None, *, online: bool = False,
                practice: Callable[[], Account] | None = None) -> bool:
    """Show the sign-in dialog; True when an officer is signed in (ctx.account set).

    The application calls this before showing the main window, and the sync
    bar when the server asks for the password again.
    """
    username = ctx.account.username if online and ctx.account else ""
    dialog = SignInDialog(ctx, parent, online=online, username=username, practice=practice)
    return dialog.exec() == QDialog.DialogCode.Accepted and dialog.account is not None


def _plain(name: str, text: str = "") -> QLineEdit:
    field = QLineEdit(text)
    field.setObjectName(name)
    field.setMinimumWidth(260)
    return field


def _secret(name: str) -> QLineEdit:
    field = _plain(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label
