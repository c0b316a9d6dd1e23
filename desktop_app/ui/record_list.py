"""A list of records with its filters and a search box that searches as the
officer types.

Typing restarts a short timer; when it fires, the model starts a new query
on the DB lane. The list never waits: rows not read yet show an ellipsis.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ..models import VisitStatus
from ..services import formats, listing
from ..services.choices import Choices
from ..services.kinds import kind_of
from .context import AppContext
from .i18n import message_of, pick, tr
from .records_model import RecordsModel

SEARCH_DELAY_MS = 200
#: Column widths in average characters: the whole row fits 1366 pixels.
COLUMN_CHARS = {"title": 32, "nik": 20, "village": 18, "district_code": 18, "regency_code": 22,
                "visit_date": 19, "status": 8, "result": 18, "updated_at": 26}


class RecordList(QWidget):
    #: open a record (its id), or start a new one (None)
    open_record = Signal(object)

    def __init__(self, ctx: AppContext, kind: str, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.choices = ctx, kind_of(kind), choices
        self.model = RecordsModel(ctx, kind, self.kind.is_visit, choices)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self._build()
        self.model.total_known.connect(self._count)
        self.model.load_failed.connect(self._failed)
        ctx.events.records_changed.connect(self._changed_elsewhere)
        ctx.events.sync_finished.connect(lambda _summary: self.model.reload())
        self.apply_filter()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        top = QHBoxLayout()
        title = QLabel(pick(*self.kind.labels))
        title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("Search by name, village or a whole NIK…"))
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self._open_first)
        self.new_button = QPushButton(self._new_text())
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(lambda: self.open_record.emit(None))
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        layout.addLayout(self._filters())
        self.table = QTableView()
        self.table.setObjectName("records")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)  # one line per row: cheaper to paint, steadier to read
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, spec in enumerate(self.model.columns):
            self.table.setColumnWidth(column, self.table.fontMetrics().averageCharWidth()
                                      * COLUMN_CHARS.get(spec.key, 18))
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        self.count.setObjectName("count")
        layout.addWidget(self.count)

    def _new_text(self) -> str:
        return {"umkm_survey": tr("New survey…"), "cooperative_audit": tr("New audit…"),
                "aid_verification": tr("New verification…"), "business": tr("New business"),
                "cooperative": tr("New cooperative"), "aid_applicant": tr("New applicant")}[self.kind.name]

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.regency = QComboBox()
        self.regency.setObjectName("filterRegency")
        self.regency.addItem(tr("All of Lampung"), "")
        for code, name, _ in self.choices.regencies:
            self.regency.addItem(name, code)
        own = self.ctx.actor.regency_code
        if own:
            self.regency.setCurrentIndex(max(0, self.regency.findData(own)))
        self.district = QComboBox()
        self.district.setObjectName("filterDistrict")
        self.district.setMinimumContentsLength(16)
        self._fill_districts()
        self.village = QLineEdit()
        self.village.setObjectName("filterVillage")
        self.village.setPlaceholderText(tr("Village"))
        self.village.setMaximumWidth(200)
        self.status = QComboBox()
        self.status.setObjectName("filterStatus")
        self.status.addItem(tr("Any status"), "")
        for status in VisitStatus:
            self.status.addItem(pick(status.label_id, status.label_en), status.value)
        if not self.kind.is_visit:
            self.status.hide()  # not setVisible(True): unparented yet, it would open as a window
        self.mine = QCheckBox(tr("Only mine"))
        self.mine.setObjectName("filterMine")
        self.regency.currentIndexChanged.connect(self._regency_changed)
        self.district.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.village.textChanged.connect(lambda _t: self.search_timer.start())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.mine.toggled.connect(lambda _c: self.apply_filter())
        for label, widget in ((tr("Regency/city"), self.regency), (tr("District"), self.district)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(self.village)
        row.addWidget(self.status)
        row.addWidget(self.mine)
        row.addStretch(1)
        return row

    def _fill_districts(self) -> None:
        self.district.blockSignals(True)
        self.district.clear()
        self.district.addItem(tr("All districts"), "")
        for code, name, _ in self.choices.districts.get(self.regency.currentData() or "", ()):
            self.district.addItem(name, code)
        self.district.setEnabled(bool(self.regency.currentData()))
        self.district.blockSignals(False)

    def _regency_changed(self) -> None:
        self._fill_districts()
        self.apply_filter()

    def current_filter(self) -> listing.ListFilter:
        return listing.ListFilter(
            regency_code=self.regency.currentData() or None,
            district_code=self.district.currentData() or None,
            village=self.village.text().strip() or None,
            status=(self.status.currentData() or None) if self.kind.is_visit else None,
            officer_id=self.ctx.actor.officer_id if self.mine.isChecked() else None,
            text=self.search.text().strip() or None,
        )

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.count.setText(tr("Searching…"))
        self.model.set_filter(self.current_filter())

    def _count(self, total: int) -> None:
        text = QCoreApplication.translate("RecordList", "%n record(s)", "", total)
        self.count.setText(text.replace(str(total), formats.number(total)))

    def _failed(self, error: BaseException) -> None:
        self.count.setText(tr("The list could not be read: {reason}").format(reason=message_of(error)))

    def _changed_elsewhere(self, kind: str) -> None:
        if kind in (self.kind.name, self.kind.parent_kind):
            self.model.reload()

    def _activated(self, index: QModelIndex) -> None:
        record_id = self.model.record_id(index.row())
        if record_id:
            self.open_record.emit(record_id)

    def _open_first(self) -> None:
        if self.model.rowCount() and self.model.record_id(0):
            self.table.setFocus()
            self.table.selectRow(0)
