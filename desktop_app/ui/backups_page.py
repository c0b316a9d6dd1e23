"""Backups: the rolling copies of the database with their dates, a copy
taken now, and a restore after confirmation (the current file is kept aside,
and the restored database becomes a new device so sync carries on)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..services import backups, formats
from . import dialogs
from .context import AppContext
from .i18n import language, pick, tr
from . import numbers


KIND_EN = {"rolling": "Regular backup", "pre-migration": "Before a version update",
           "before-restore": "Before a restore"}


class BackupsPage(QWidget):
    def __init__(self, ctx: AppContext, window: Any) -> None:
        super().__init__()
        self.ctx, self.window = ctx, window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(tr("Backups"))
        title.setObjectName("pageTitle")
        explain = QLabel(tr("Tapis copies the database every 12 hours and before each version "
                            "update, and keeps the newest copies. Restoring puts a copy back; the "
                            "database it replaces is kept in this list. Changes made after the "
                            "copy that were already sent come back with the next sync."))
        explain.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backupList")
        self.table.setHorizontalHeaderLabels([tr("Taken"), tr("Kind"), tr("Size")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        buttons = QHBoxLayout()
        self.take_button = QPushButton(tr("Take a backup now"))
        self.take_button.clicked.connect(self.take)
        self.restore_button = QPushButton(tr("Restore the selected backup…"))
        self.restore_button.setObjectName("primary")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.take_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        self.note = QLabel()
        self.note.setWordWrap(True)
        for widget in (title, explain):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self.entries: list[backups.BackupInfo] = []
        self.refresh()

    def refresh(self) -> None:
        self.ctx.run(backups.list_backups, self.ctx.data_dir, owner=self).success(self._show)

    def _show(self, entries: list[backups.BackupInfo]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            size = f"{numbers.number(entry.size_bytes / (1024 * 1024), 1)} MB"
            for column, text in enumerate((formats.local_time(entry.taken_at, language()),
                                           pick(entry.label_id, KIND_EN[entry.kind]), size)):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if entries:
            self.table.selectRow(0)
        self.restore_button.setEnabled(bool(entries))

    def take(self) -> None:
        self.take_button.setEnabled(False)
        self.ctx.run(backups.take_backup, self.ctx.data_dir, owner=self).success(
            lambda info: (self.note.setText(tr("Backup taken.")), self.refresh())).failure(
            lambda error: dialogs.show_error(self, error)).finally_(
            lambda: self.take_button.setEnabled(True))

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.entries):
            return
        entry = self.entries[row]
        when = formats.local_time(entry.taken_at, language())
        if not dialogs.ask(self, tr("Restore this backup?"),
                           tr("The database goes back to {when}. The current database is kept "
                              "aside in this list, so this can be undone. Work saved after that "
                              "time and never sent stays only in the kept copy. Afterwards, sign "
                              "in again.").format(when=when),
                           tr("Restore"), tr("Cancel")):
            return
        self.restore(entry.path)

    def restore(self, path: Path) -> None:
        """Close the store, restore on the DB lane, reopen, and hand the new
        store to the application (which asks the officer to sign in again)."""
        window = self.window
        if window is not None and not window.shut_down():
            return
        self.restore_button.setEnabled(False)
        self.note.setText(tr("Restoring…"))
        ctx = self.ctx
        ctx.runner.wait()
        ctx.store.close()
        ctx.run(backups.restore_and_reopen, ctx.data_dir, path).success(self._reopened).failure(
            self._restore_failed)  # not even the old database opens: say why

    def _reopened(self, reopened: backups.Reopened) -> None:
        if reopened.error is not None:
            self.ctx.store = reopened.store  # nothing changed: the old file is in place
            self._restore_failed(reopened.error)
            return
        app = getattr(self.window, "app", None)
        if app is not None:
            app.restored(reopened.store)
        else:
            self.ctx.store = reopened.store

    def _restore_failed(self, error: BaseException) -> None:
        self.restore_button.setEnabled(True)
        self.note.setText("")
        dialogs.show_error(self, error)
        if self.window is not None:
            self.window.closing_done = False
            self.window.sync_bar.refresh()


def create(ctx: AppContext, window: Any) -> BackupsPage:
    return BackupsPage(ctx, window)
