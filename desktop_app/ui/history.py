"""The history of a business, cooperative or applicant: its visits with
their corrections, and what changed, who changed it and when.

A widget the forms can embed (``HistoryView``) and a dialog around it
(``show_history``). The story is read on the DB lane by
services.history, which hands over text already masked: no NIK reaches
this module whole.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QSplitter, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from ..services import formats
from ..services.history import ChangeLine, EntityHistory, VisitLine, entity_history
from ..services.kinds import kind_of
from . import i18n
from .context import AppContext
from . import dialogs


def officer_text(ctx: AppContext, officer_id: str | None, name: str | None) -> str:
    """The officer's name when this laptop knows it, else a short id to tell officers apart."""
    if name:
        return name
    if ctx.account and officer_id == ctx.account.officer_id:
        return ctx.account.full_name
    if not officer_id:
        return QCoreApplication.translate("HistoryView", "unknown officer")
    return QCoreApplication.translate("HistoryView", "officer …{id}").format(id=officer_id[-4:])


def what_text(line: ChangeLine) -> str:
    kind = i18n.pick(*kind_of(line.kind).labels)
    if line.op == "insert":
        return QCoreApplication.translate("HistoryView", "{kind} created").format(kind=kind)
    if line.op == "delete":
        return QCoreApplication.translate("HistoryView", "{kind} deleted").format(kind=kind)
    return QCoreApplication.translate("HistoryView", "{kind} changed").format(kind=kind)


class HistoryView(QWidget):
    """Visits above, changes below; double-clicking a visit asks to open it."""

    #: (kind, record id) of a visit the officer wants to open
    open_requested = Signal(str, str)

    def __init__(self, ctx: AppContext, kind: str, entity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.entity_id = ctx, kind, entity_id
        self.history: EntityHistory | None = None
        self.title = QLabel(self.tr("Reading the history…"))
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.visits = self._tree([self.tr("Visit date"), self.tr("Visit"), self.tr("Officer"),
                                  self.tr("Status"), self.tr("Result"), self.tr("Correction")])
        self.visits.itemActivated.connect(self._activated)
        self.changes = self._tree([self.tr("When (WIB)"), self.tr("Field"), self.tr("Before"),
                                   self.tr("After")])
        split = QSplitter(Qt.Orientation.Vertical)
        for label, tree in ((self.tr("Visits"), self.visits),
                            (self.tr("Changes recorded on this laptop"), self.changes)):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 6, 0, 0)
            heading = QLabel(label)
            heading.setStyleSheet("font-weight: 600;")
            column.addWidget(heading)
            column.addWidget(tree, 1)
            split.addWidget(box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        ctx.events.listen(self, ctx.events.records_changed, self._records_changed)
        self.refresh()

    def _tree(self, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setHeaderLabels(headers)
        tree.setAlternatingRowColors(True)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(False)
        tree.setWordWrap(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        tree.header().setStretchLastSection(True)
        return tree

    def _records_changed(self, _kind: str) -> None:
        if self.isVisible():  # a closed dialog is kept by its parent; it need not read
            self.refresh()

    def refresh(self) -> None:
        (self.ctx.run(entity_history, self.ctx.store, self.kind, self.entity_id,
                      language=i18n.language(), owner=self)
         .success(self._show).failure(lambda e: dialogs.show_error(self, e)))

    def _show(self, history: EntityHistory) -> None:
        self.history = history
        kind = i18n.pick(*kind_of(history.kind).labels)
        self.title.setText(self.tr("History of {kind}: {title}").format(kind=kind, title=history.title))
        self.visits.clear()
        dates = {v.record_id: v.visit_date for v in history.visits}
        for visit in history.visits:
            self.visits.addTopLevelItem(self._visit_item(visit, dates))
        if not history.visits:
            self.visits.addTopLevelItem(QTreeWidgetItem([self.tr("No visits yet.")]))
        self.changes.clear()
        for line in history.changes:
            self.changes.addTopLevelItem(self._change_item(line))
        if not history.changes:
            self.changes.addTopLevelItem(QTreeWidgetItem([self.tr("No changes recorded on this laptop.")]))
        self.changes.expandAll()

    def _visit_item(self, visit: VisitLine, dates: dict[str, Any]) -> QTreeWidgetItem:
        language = i18n.language()
        correction = ""
        if visit.superseded_by:
            correction = self.tr("corrected by the record of {date}").format(
                date=formats.long_date(dates.get(visit.superseded_by), language))
        elif visit.supersedes_id:
            correction = self.tr("corrects the record of {date}").format(
                date=formats.long_date(dates.get(visit.supersedes_id), language))
        item = QTreeWidgetItem([formats.long_date(visit.visit_date, language),
                                i18n.pick(*kind_of(visit.kind).labels),
                                officer_text(self.ctx, visit.officer_id, visit.officer_name),
                                visit.status_text, visit.result_text, correction])
        item.setData(0, Qt.ItemDataRole.UserRole, (visit.kind, visit.record_id))
        return item

    def _change_item(self, line: ChangeLine) -> QTreeWidgetItem:
        who = officer_text(self.ctx, line.officer_id, line.officer_name)
        head = QTreeWidgetItem([formats.local_time(line.when, i18n.language()).removesuffix(" WIB"),
                                f"{what_text(line)} — {who}"])
        font = QFont(head.font(0))
        font.setBold(True)
        for column in range(2):
            head.setFont(column, font)
        head.setFirstColumnSpanned(False)
        for change in line.changes:
            child = QTreeWidgetItem(["", change.label, change.old if change.old is not None else "", change.new])
            for column in (2, 3):
                child.setToolTip(column, child.text(column))  # long findings are elided in the column
            head.addChild(child)
        return head

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if target:
            self.open_requested.emit(*target)


class HistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, kind: str, entity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History"))
        self.resize(1000, 620)
        self.view = HistoryView(ctx, kind, entity_id, self)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)


def show_history(ctx: AppContext, kind: str, entity_id: str, parent: QWidget | None = None) -> HistoryDialog:
    """Open the history of an entity beside the form; a double-clicked visit
    opens in the main window when there is one."""
    dialog = HistoryDialog(ctx, kind, entity_id, parent)
    window = parent.window() if parent is not None else None
    opener = getattr(window, "open_record", None)
    if callable(opener):
        dialog.view.open_requested.connect(lambda k, rid: (dialog.accept(), opener(k, rid)))
    dialog.show()
    return dialog
