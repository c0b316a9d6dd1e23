"""The approval chain's queue on the laptop (services/approvals.py): a
regency office's supervisor sees its officers' finalised verdicts waiting
for the regency and approves or returns them with a note; the provincial
admin sees what the regencies approved and accepts or returns it. Each step
is a record that syncs (or travels in a bundle). Self-contained: a table,
a note and two buttons; every text through ``pick`` (Indonesian, English).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..models.codes import code_label
from ..models.rules.approval import Level, Stage
from ..models.rules.eligibility import VerdictKind
from ..services import approvals
from . import i18n
from .context import AppContext
from .i18n import pick


class ApprovalsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        account = ctx.account
        self.role = account.role if account else None
        self.level = Level.PROVINCE if self.role == "admin" else Level.REGENCY
        self.regency = None if self.role == "admin" else (account.regency_code if account else None)
        self.items: list[approvals.QueueItem] = []
        self._build()
        ctx.events.records_changed.connect(lambda _kind: self.reload())
        self.reload()

    def _build(self) -> None:
        column = QVBoxLayout(self)
        title = QLabel(pick("Persetujuan bantuan", "Aid approvals"))
        title.setObjectName("pageTitle")
        column.addWidget(title)
        self.counts = QLabel()
        self.counts.setObjectName("approvalCounts")
        self.counts.setWordWrap(True)
        column.addWidget(self.counts)
        self.round = QComboBox()
        self.round.setObjectName("approvalRound")
        self.round.currentIndexChanged.connect(lambda _i: self.reload())
        column.addWidget(self.round)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("approvalQueue")
        self.table.setHorizontalHeaderLabels([
            pick("Nama", "Name"), "NIK", pick("Kabupaten/kota", "Regency"),
            pick("Hasil verifikasi", "Verdict"), pick("Catatan terakhir", "Last note")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)
        self.note = QLineEdit()
        self.note.setObjectName("approvalNote")
        self.note.setPlaceholderText(pick("Catatan (wajib untuk mengembalikan)",
                                          "Note (needed to return)"))
        column.addWidget(self.note)
        buttons = QHBoxLayout()
        forward = "accept" if self.level == Level.PROVINCE else "approve"
        self.forward = QPushButton(pick("Terima", "Accept") if forward == "accept"
                                   else pick("Setujui", "Approve"))
        self.forward.setObjectName("approvalForward")
        self.forward.clicked.connect(lambda: self._decide(forward))
        self.back = QPushButton(pick("Kembalikan", "Return"))
        self.back.setObjectName("approvalReturn")
        self.back.clicked.connect(lambda: self._decide("return"))
        buttons.addWidget(self.forward)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.message = QLabel()
        self.message.setObjectName("approvalMessage")
        self.message.setWordWrap(True)
        column.addWidget(self.message)
        self.round.blockSignals(True)
        self.round.addItem(pick("Semua tahap bantuan", "Every aid round"), None)
        for code, name in approvals.round_names(self.ctx.store).items():
            self.round.addItem(name, code)
        self.round.blockSignals(False)

    def reload(self) -> None:
        code = self.round.currentData()
        self.ctx.run(_load, self.ctx.store, self.level, code, self.regency, owner=self) \
            .success(self._loaded)

    def _loaded(self, loaded: tuple[list[approvals.QueueItem], dict[Stage, int]]) -> None:
        self.items, counts = loaded
        self.counts.setText(" · ".join(f"{pick(stage.label_id, stage.label_en)}: {n}"
                                       for stage, n in counts.items()))
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            verdict = code_label(VerdictKind, item.verdict, i18n.language())
            for column, text in enumerate((item.full_name, item.masked_nik, item.regency_code,
                                           verdict, item.last_note)):
                cell = QTableWidgetItem(text)
                cell.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, cell)
        if self.items and not self.table.selectedItems():
            self.table.selectRow(0)

    def _decide(self, action: str) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        self.ctx.run(approvals.decide, self.ctx.store, self.ctx.actor, self.role,
                     item.verification_id, self.level.value, action, self.note.text(),
                     owner=self).success(lambda _r: self._done()).failure(self._refused)

    def _done(self) -> None:
        self.note.clear()
        self.message.setText(pick("Tersimpan; terkirim pada sinkronisasi berikutnya.",
                                  "Saved; it goes with the next sync."))
        self.ctx.changed("aid_decision")

    def _refused(self, error: BaseException) -> None:
        problems = getattr(error, "problems", None)
        self.message.setText(pick(problems[0].id, problems[0].en) if problems
                             else i18n.message_of(error))


def _load(store: Any, level: Level, round_code: str | None, regency: str | None
          ) -> tuple[list[approvals.QueueItem], dict[Stage, int]]:
    return (approvals.queue(store, level.value, round_code=round_code, regency_code=regency),
            approvals.counts(store, round_code=round_code, regency_code=regency))


def create(ctx: AppContext, window: Any) -> ApprovalsPage:
    return ApprovalsPage(ctx)
