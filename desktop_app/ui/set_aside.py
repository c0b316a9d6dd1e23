"""The pulled changes this laptop set aside (desktop_app/store/inbox.py).

A change from the server that this laptop's schema cannot take (an unknown
field, a value that does not fit, an incomplete new row) is set aside, not
applied, and the sync goes on. The officer sees each here with its reason
(the field and the rule, never a value) and whether the server has been
told; the office takes it from there. Read on the database lane.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from ..services import formats
from ..models.types import parse_utc
from ..store import inbox
from . import i18n
from .context import AppContext


class SetAsideView(QWidget):
    """A heading and the list, newest first; empty says so."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.heading = QLabel(self.tr("Changes from the server not applied on this laptop"))
        self.heading.setStyleSheet("font-weight: 600;")
        self.note = QLabel(self.tr("Each was set aside with its reason and reported to the "
                                   "office; the rest of the data synced normally."))
        self.note.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("setAsideList")
        self.tree.setHeaderLabels([self.tr("When (WIB)"), self.tr("Record"), self.tr("Reason"),
                                   self.tr("Reported")])
        self.tree.setRootIsDecorated(False)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.note)
        column.addWidget(self.tree, 1)
        self.ctx.events.listen(self, self.ctx.events.sync_finished, self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        self.ctx.run(inbox.set_aside_list, self.ctx.store, owner=self).success(self.show_items)

    def show_items(self, items: list[inbox.SetAside]) -> None:
        self.tree.clear()
        language = i18n.language()
        for item in items:
            reason = item.reason_id if language == "id" else item.reason_en
            when = formats.local_time(parse_utc(item.set_aside_at), language)
            self.tree.addTopLevelItem(QTreeWidgetItem([
                when, f"{item.table} …{item.row_id[-6:]}", reason,
                self.tr("yes") if item.reported else self.tr("not yet")]))
        if not items:
            self.tree.addTopLevelItem(QTreeWidgetItem(["", "", self.tr("Nothing was set aside."), ""]))


def show_set_aside(ctx: AppContext, parent: QWidget | None = None) -> QDialog:
    """The list in a dialog (from the sync bar's *Set aside…* button)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(dialog.tr("Set-aside changes"))
    dialog.resize(820, 420)
    layout = QVBoxLayout(dialog)
    layout.addWidget(SetAsideView(ctx, dialog), 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.show()
    return dialog
