"""The sync page: the changes the server refused, each with its reason and
what the officer can do (open the record to correct it), and the history
of sync attempts. Both are read on the DB lane and refreshed after a sync."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..services import formats, sync_review
from ..services.labels import label
from ..services.sync_review import Attempt, RefusedChange
from .context import AppContext
from .home import kind_label
from .i18n import language, pick, tr
from . import numbers


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext, window: Any) -> None:
        super().__init__()
        self.ctx, self.window = ctx, window
        self.refused: list[RefusedChange] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        title = QLabel(tr("Sync: refused changes and history"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.refused_note = QLabel()
        self.refused_note.setObjectName("refusedNote")
        self.refused_note.setWordWrap(True)
        layout.addWidget(self.refused_note)
        self.refused_table = self._table("refusedChanges", [
            tr("Record"), tr("Kind"), tr("Fields"), tr("Why the server refused it"),
            tr("What you can do")])
        self.refused_table.itemActivated.connect(lambda _item: self.open_selected())
        layout.addWidget(self.refused_table, 3)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(tr("&Open the record to correct it"))
        self.open_button.setObjectName("openRefused")
        self.open_button.clicked.connect(self.open_selected)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        history = QLabel(tr("Sync history"))
        history.setObjectName("sectionTitle")
        history.setStyleSheet("font-weight: 600; margin-top: 8px;")
        layout.addWidget(history)
        self.history_table = self._table("syncHistory", [
            tr("Started"), tr("Result"), tr("Sent"), tr("Received"), tr("Note")])
        layout.addWidget(self.history_table, 2)
        ctx.events.listen(self, ctx.events.sync_finished, lambda _summary: self.refresh())
        self.refresh()

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(True)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                     | Qt.AlignmentFlag.AlignVCenter)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if name == "refusedChanges":  # the reason and the advice share what is left, wrapped
            for column in (3, 4):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)
        return table

    def refresh(self) -> None:
        self.ctx.run(_read, self.ctx.store, owner=self).success(self._show)

    def _show(self, found: tuple[list[RefusedChange], int, list[Attempt]]) -> None:
        self.refused, total, attempts = found
        if total:
            self.refused_note.setText(tr(
                "{count} changes were refused by the server. They are kept on this laptop and "
                "not sent again as they are; each line says why and what you can do.").format(
                count=numbers.number(total)))
        else:
            self.refused_note.setText(tr("The server has refused none of your changes."))
        table = self.refused_table
        table.setRowCount(len(self.refused))
        for row, change in enumerate(self.refused):
            cells = (change.title or tr("(untitled)"),
                     kind_label(change.kind) if change.kind else tr("Photo or other data"),
                     ", ".join(label(f, language()) for f in change.fields[:4])
                     + (" …" if len(change.fields) > 4 else ""),
                     pick(change.reason_id, change.reason_en),
                     sync_review.advice(change, language()))
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeRowsToContents()
        if self.refused:
            table.selectRow(0)
        self.open_button.setEnabled(any(c.can_open for c in self.refused))
        history = self.history_table
        history.setRowCount(len(attempts))
        for row, attempt in enumerate(attempts):
            cells = (formats.local_time(attempt.started_at, language()),
                     tr("Completed") if attempt.ok else tr("Failed"),
                     numbers.number(attempt.pushed), numbers.number(attempt.pulled),
                     attempt.message)
            for column, text in enumerate(cells):
                history.setItem(row, column, QTableWidgetItem(text))

    def open_selected(self) -> None:
        row = self.refused_table.currentRow()
        if 0 <= row < len(self.refused) and self.refused[row].can_open and self.window is not None:
            change = self.refused[row]
            self.window.open_record(change.kind, change.record_id)


def _read(store: Any) -> tuple[list[RefusedChange], int, list[Attempt]]:
    refused, total = sync_review.refused_changes(store)
    return refused, total, sync_review.sync_history(store)


def create(ctx: AppContext, window: Any) -> QWidget:
    return SyncPage(ctx, window)
