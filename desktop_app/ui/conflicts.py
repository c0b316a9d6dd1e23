"""Conflicts page (supervisors): two officers changed the same audit field
offline; the server kept the first value and holds the other for a person
to choose.

The list comes from the server (network lane), so the page says plainly
when there is no connection instead of showing an empty list as if all
were settled. Settling sends one request and reloads the list; the
laptops get the chosen value on their next sync.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QProgressBar, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from ..models.errors import TapisError
from ..services import conflicts, formats
from ..services.conflicts import ConflictView
from ..sync.client import Offline
from . import i18n
from .context import AppContext
from .tasks import NET
from . import numbers

log = logging.getLogger(__name__)


class ConflictsPage(QWidget):
    """The open conflicts of the supervisor's regency, and settling them one by one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.views: list[ConflictView] = []
        self.busy = False
        self._note = ""  # what the last settle did, said again after the reload
        self._build()
        ctx.events.listen(self, ctx.events.sync_finished, lambda _summary: self.reload())
        self.reload()

    # --- layout ------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("Conflicts"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        intro = QLabel(self.tr("Two officers changed the same field without a connection. The "
                               "server kept the first value; choose which one is right, or type "
                               "the right value. Every laptop gets your choice at its next sync."))
        intro.setWordWrap(True)
        self.reload_button = QPushButton(self.tr("&Refresh"))
        self.reload_button.setObjectName("conflictsReload")
        self.reload_button.clicked.connect(self.reload)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumSize(120, 10)
        self.busy_bar.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("conflictsStatus")
        self.status_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.busy_bar)
        top.addWidget(self.reload_button)
        self.list = QListWidget()
        self.list.setObjectName("conflictList")
        self.list.setMinimumWidth(240)
        self.list.currentRowChanged.connect(self._show_current)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 700])
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(intro)
        column.addWidget(self.status_label)
        column.addWidget(splitter, 1)

    def _build_detail(self) -> QWidget:
        self.detail = QFrame()
        self.detail.setObjectName("conflictDetail")
        self.record_label = QLabel()
        self.record_label.setObjectName("conflictRecord")
        self.record_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.record_label.setWordWrap(True)
        self.field_label = QLabel()
        self.field_label.setWordWrap(True)
        kept_box, self.kept_value, self.kept_who, self.keep_kept = self._side(
            self.tr("Value kept on the server"), "keepKept")
        other_box, self.other_value, self.other_who, self.keep_other = self._side(
            self.tr("The other officer's value"), "keepOther")
        self.keep_kept.clicked.connect(lambda: self._settle_with(self.current().info.kept_value))
        self.keep_other.clicked.connect(lambda: self._settle_with(self.current().info.other_value))
        sides = QHBoxLayout()
        sides.addWidget(kept_box, 1)
        sides.addWidget(other_box, 1)
        self.new_value = QLineEdit()
        self.new_value.setObjectName("conflictNewValue")
        self.new_value.setPlaceholderText(self.tr("Neither: type the right value"))
        self.new_value.returnPressed.connect(self._settle_typed)
        self.save_new = QPushButton(self.tr("&Use this value"))
        self.save_new.setObjectName("useTyped")
        self.save_new.clicked.connect(self._settle_typed)
        typed = QHBoxLayout()
        typed.addWidget(self.new_value, 1)
        typed.addWidget(self.save_new)
        self.detail_error = QLabel()
        self.detail_error.setObjectName("conflictError")
        self.detail_error.setWordWrap(True)
        self.detail_error.setStyleSheet("color: #a3441b;")
        column = QVBoxLayout(self.detail)
        column.addWidget(self.record_label)
        column.addWidget(self.field_label)
        column.addLayout(sides)
        column.addLayout(typed)
        column.addWidget(self.detail_error)
        column.addStretch(1)
        self.detail.setEnabled(False)
        return self.detail

    def _side(self, title: str, name: str) -> tuple[QGroupBox, QLabel, QLabel, QPushButton]:
        box = QGroupBox(title)
        value = QLabel()
        value.setObjectName(f"{name}Value")
        value.setStyleSheet("font-size: 14pt;")
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        who = QLabel()
        who.setWordWrap(True)
        button = QPushButton(self.tr("Keep this value"))
        button.setObjectName(name)
        grid = QGridLayout(box)
        grid.addWidget(value, 0, 0)
        grid.addWidget(who, 1, 0)
        grid.addWidget(button, 2, 0, Qt.AlignmentFlag.AlignLeft)
        return box, value, who, button

    # --- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        account = self.ctx.account
        if self.busy:
            return
        if account is None or not account.is_supervisor:
            self._say(self.tr("Only a supervisor can settle conflicts."))
            return
        self._set_busy(True)
        self._say(self.tr("Asking the server for open conflicts…"))
        self.ctx.run(conflicts.load, self.ctx.store, account, lane=NET, owner=self) \
            .success(self._loaded).failure(self._load_failed) \
            .finally_(lambda: self._set_busy(False))

    def _loaded(self, views: list[ConflictView]) -> None:
        selected = self.current().info.id if self.current() else None
        self.views = views
        self.ctx.events.conflicts_counted.emit(len(views))  # the home page's card
        self.list.blockSignals(True)
        self.list.clear()
        for view in views:
            item = QListWidgetItem(self._item_text(view))
            item.setData(Qt.ItemDataRole.UserRole, view.info.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        note, self._note = self._note, ""
        if views:
            self._say(note + self.tr("Open conflicts: {count}.").format(
                count=numbers.number(len(views))))
            ids = [v.info.id for v in views]
            self.list.setCurrentRow(ids.index(selected) if selected in ids else 0)
            self._show_current(self.list.currentRow())
        else:
            self._say(note + self.tr("No open conflicts. Nothing to settle."))
            self._show_current(-1)

    def _load_failed(self, error: BaseException) -> None:
        if isinstance(error, Offline):
            text = self.tr("The conflicts are on the server and there is no connection now. "
                           "Try again when there is a signal; nothing is lost meanwhile.")
        else:
            text = i18n.message_of(error)
            if not isinstance(error, TapisError):
                log.error("loading conflicts failed", exc_info=(type(error), error, error.__traceback__))
        self._say(text, warning=True)

    # --- the selected conflict -----------------------------------------------------------

    def current(self) -> ConflictView | None:
        row = self.list.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _item_text(self, view: ConflictView) -> str:
        record = view.record_title or i18n.pick(*view.kind_label)
        return f"{record}\n{i18n.pick(*view.field_label)}"

    def _show_current(self, _row: int) -> None:
        view = self.current()
        self.detail_error.clear()
        self.new_value.clear()
        self.detail.setEnabled(view is not None and not self.busy)
        if view is None:
            for label in (self.record_label, self.field_label, self.kept_value, self.kept_who,
                          self.other_value, self.other_who):
                label.clear()
            return
        kind = i18n.pick(*view.kind_label)
        self.record_label.setText(f"{view.record_title} ({kind})" if view.record_title else kind)
        self.field_label.setText(self.tr("Field: {field}").format(field=i18n.pick(*view.field_label)))
        self.kept_value.setText(self._value(view.info.kept_value, view))
        self.other_value.setText(self._value(view.info.other_value, view))
        self.kept_who.setText(self._who(view.kept_by, view.kept_at))
        self.other_who.setText(self._who(view.other_by, view.other_at))

    def _value(self, value: Any, view: ConflictView) -> str:
        return conflicts.show_value(value, view.field_kind, empty=self.tr("(empty)"),
                                    yes=self.tr("Yes"), no=self.tr("No"),
                                    language=i18n.language())

    def _who(self, officer: str | None, when: Any) -> str:
        return self.tr("by {officer}, {when}").format(
            officer=officer or self.tr("an officer of the regency"),
            when=formats.local_time(when, i18n.language()))

    # --- settling ---------------------------------------------------------------------------

    def _settle_typed(self) -> None:
        view = self.current()
        if view is None:
            return
        self.detail_error.clear()
        try:
            value = conflicts.parse_value(self.new_value.text(), view.field_kind)
        except ValueError:
            self.detail_error.setText(self.tr("That is not a valid value for this field."))
            self.new_value.setFocus()
            return
        if value is None:
            self.detail_error.setText(self.tr("Type the right value first."))
            self.new_value.setFocus()
            return
        self._settle_with(value)

    def _settle_with(self, value: Any) -> None:
        view = self.current()
        account = self.ctx.account
        if view is None or account is None or self.busy:
            return
        self.detail_error.clear()
        self._set_busy(True)
        self.ctx.run(conflicts.settle, self.ctx.store, account, view.info.id, value,
                     lane=NET, owner=self) \
            .success(self._settled).failure(self._settle_failed) \
            .finally_(self._settle_ended)

    def _settled(self, _info: Any) -> None:
        self._note = self.tr("Settled; the laptops get the chosen value at their next sync.") + " "

    def _settle_failed(self, error: BaseException) -> None:
        if isinstance(error, Offline):
            text = self.tr("No connection: the choice was not sent. Try again when there is a "
                           "signal.")
        else:
            text = i18n.message_of(error)
        self.detail_error.setText(text)

    def _settle_ended(self) -> None:
        self._set_busy(False)
        if not self.detail_error.text():
            self.reload()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.reload_button.setEnabled(not busy)
        self.detail.setEnabled(not busy and self.current() is not None)

    def _say(self, text: str, *, warning: bool = False) -> None:
        self.status_label.setStyleSheet("color: #a3441b;" if warning else "")
        self.status_label.setText(text)


def create(ctx: AppContext, window: QWidget) -> QWidget:
    """The main window's page factory."""
    return ConflictsPage(ctx, window)
