"""A list of records with its filters and a search box that searches as the
officer types.

Typing restarts a short timer; when it fires, the model starts a new query
on the DB lane. The list never waits: rows not read yet show an ellipsis.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
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
from . import numbers

SEARCH_DELAY_MS = 200
#: Free text columns: the widest text measured, in characters (longer names
#: end in '…'); the name column takes the rest of the row, at least its minimum.
TEXT_CHARS = {"title": 28, "village": 20, "district_code": 22}
NIK_SAMPLE = "1871********0001"


def column_samples(kind: str, column: str, choices: Choices, language: str) -> list[str]:
    """The widest texts a column shows: every month's date, every code's
    name (every regency, status, result), a masked NIK. A column is as wide
    as its widest sample or its header, so no date loses its year and no
    header is cut."""
    from datetime import date, datetime, timezone

    if column == "visit_date":
        return [formats.long_date(date(2026, month, 28), language) for month in range(1, 13)]
    if column == "updated_at":
        return [formats.local_time(datetime(2026, month, 28, 16, 59, tzinfo=timezone.utc), language)
                for month in range(1, 13)]
    if column == "nik":
        return [NIK_SAMPLE]
    field = (kind_of(kind).result_field or "") if column == "result" else column
    if column in ("regency_code", "status", "result"):
        return [pick(name_id, name_en) if language == "id" else name_en
                for _code, name_id, name_en in choices.options(field)] if field else []
    return ["Koperasi Simpan Pinjam Sejahtera Bersama Makmur"[:TEXT_CHARS.get(column, 18)]]


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
        ctx.events.listen(self, ctx.events.records_changed, self._changed_elsewhere)
        ctx.events.listen(self, ctx.events.sync_finished, lambda _summary: self.model.reload())
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
        self.size_columns()
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        self.count.setObjectName("count")
        layout.addWidget(self.count)

    def size_columns(self) -> None:
        """Each column as wide as its widest text and its header (with room
        for the sort arrow); the name column takes what is left, never less
        than its minimum, and elides a long name with '…'."""
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        cells, heads = self.table.fontMetrics(), header.fontMetrics()
        padding = cells.averageCharWidth() * 2 + 12
        arrow = heads.height() + 8  # the sort indicator beside the header's text
        language = "en" if pick("id", "en") == "en" else "id"
        self.title_column, self.title_minimum = -1, 0
        for column, spec in enumerate(self.model.columns):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            wanted = max([heads.horizontalAdvance(title) + arrow + padding]
                         + [cells.horizontalAdvance(text) + padding
                            for text in column_samples(self.kind.name, spec.key, self.choices,
                                                       language)])
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, wanted)
            if spec.key == "title":
                self.title_column, self.title_minimum = column, wanted
        self._fit_title()

    def _fit_title(self) -> None:
        """The name column takes the row's free width, at least its minimum
        (beyond that the table scrolls sideways rather than cut a column)."""
        if self.title_column < 0:
            return
        others = sum(self.table.columnWidth(c) for c in range(self.model.columnCount())
                     if c != self.title_column)
        free = self.table.viewport().width() - others - 2
        self.table.setColumnWidth(self.title_column, max(self.title_minimum, free))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_filters()
        QTimer.singleShot(0, self, self._fit_title)  # after the table has its new size

    def _new_text(self) -> str:
        return {"umkm_survey": tr("New survey…"), "cooperative_audit": tr("New audit…"),
                "aid_verification": tr("New verification…"), "business": tr("New business"),
                "cooperative": tr("New cooperative"), "aid_applicant": tr("New applicant")}[self.kind.name]

    def _filters(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        row, self.second_row = QHBoxLayout(), QHBoxLayout()
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
        self.village.setAccessibleName(tr("Village"))
        metrics = self.village.fontMetrics()  # in characters, so a larger font keeps the word whole
        self.village.setMinimumWidth(metrics.horizontalAdvance(tr("Village"))
                                     + 4 * metrics.averageCharWidth())
        self.village.setMaximumWidth(24 * metrics.averageCharWidth())
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
        self.filter_captions: list[QLabel] = []
        for label, widget in ((tr("Regency/city"), self.regency), (tr("District"), self.district)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            widget.setAccessibleName(label)
            widget.setToolTip(label)
            self.filter_captions.append(caption)
            row.addWidget(caption)
            row.addWidget(widget)
        row.addWidget(self.village)
        # The status and 'only mine' go to a second row when one is too narrow.
        self.more_filters = QWidget()
        more = QHBoxLayout(self.more_filters)
        more.setContentsMargins(0, 0, 0, 0)
        more.addWidget(self.status)
        more.addWidget(self.mine)
        row.addWidget(self.more_filters)
        row.addStretch(1)
        self.second_row.addStretch(1)
        self.filter_row = row
        rows.addLayout(row)
        rows.addLayout(self.second_row)
        return rows

    def _fit_filters(self) -> None:
        """In a narrow window or at a large font no filter is squeezed past
        its text: the status and 'only mine' move to a second row, and if the
        first is still too narrow, the captions before the regency and
        district filters give way (each filter keeps its name as its tooltip
        and accessible name, and its own text says what it holds)."""
        spacing = self.filter_row.spacing()
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()

        def width(widgets: list[QWidget]) -> int:
            return sum(w.sizeHint().width() + spacing for w in widgets)

        first = width([self.regency, self.district, self.village])
        more = width([self.more_filters])
        captions = width(list(self.filter_captions))
        wrap = first + more > room
        target = self.second_row if wrap else self.filter_row
        if self.more_filters.parentWidget() is not None and target.indexOf(self.more_filters) < 0:
            (self.filter_row if wrap else self.second_row).removeWidget(self.more_filters)
            target.insertWidget(target.count() - 1, self.more_filters)  # before the stretch
        fits = first + captions + (0 if wrap else more) <= room
        for caption in self.filter_captions:
            caption.setVisible(fits)

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
        self.count.setText(text.replace(str(total), numbers.number(total)))

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
