"""A table model over a list of records that never holds them all.

The view asks for rows; the model answers from pages of 200 read on the DB
lane (services.listing) and keeps the most recent 40 pages. A row whose page
has not arrived shows an ellipsis and asks for it once; when the page comes
back the rows update in place. A new filter, sort or search starts a new
generation, so a late page from an older query is dropped, not shown.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal

from ..models import record_kind
from ..services import formats, listing
from ..services.choices import Choices
from ..store.store import Store
from .context import AppContext
from .i18n import QT_TRANSLATE_NOOP, language
from . import numbers

PAGE_SIZE = 200
TEXTS = "_texts"  # the row's display texts, one per column, made on the worker
KEEP_PAGES = 40
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str  # a key of the listing's row dicts
    header: str  # English source, context 'columns'
    kind: str = "text"  # text|date|moment|code|nik
    sortable: bool = True


ENTITY_COLUMNS = (
    Column("title", QT_TRANSLATE_NOOP("columns", "Name")),
    Column("village", QT_TRANSLATE_NOOP("columns", "Village")),
    Column("district_code", QT_TRANSLATE_NOOP("columns", "District"), "code"),
    Column("regency_code", QT_TRANSLATE_NOOP("columns", "Regency/city"), "code"),
    Column("updated_at", QT_TRANSLATE_NOOP("columns", "Last changed"), "moment"),
)
NIK_COLUMN = Column("nik", QT_TRANSLATE_NOOP("columns", "NIK"), "nik", sortable=False)
VISIT_COLUMNS = (
    Column("visit_date", QT_TRANSLATE_NOOP("columns", "Visit date"), "date"),
    Column("title", QT_TRANSLATE_NOOP("columns", "Visited")),
    Column("village", QT_TRANSLATE_NOOP("columns", "Village")),
    Column("status", QT_TRANSLATE_NOOP("columns", "Status"), "code"),
    Column("result", QT_TRANSLATE_NOOP("columns", "Result"), "code"),
    Column("regency_code", QT_TRANSLATE_NOOP("columns", "Regency/city"), "code", sortable=False),
    Column("updated_at", QT_TRANSLATE_NOOP("columns", "Last changed"), "moment"),
)


def columns_for(kind: str, is_visit: bool) -> tuple[Column, ...]:
    if is_visit:
        return VISIT_COLUMNS
    if record_kind(kind).nik_field:
        return ENTITY_COLUMNS[:1] + (NIK_COLUMN,) + ENTITY_COLUMNS[1:]
    return ENTITY_COLUMNS


@dataclass(frozen=True)
class Query:
    filter: listing.ListFilter = listing.ListFilter()
    sort: str | None = None
    descending: bool = False


@dataclass(frozen=True)
class PageRequest:
    """One page to read, as plain data taken on the GUI thread: the worker
    never reads the model, which the GUI thread may be changing meanwhile."""

    kind: str
    query: Query
    columns: tuple[Column, ...]
    choices: Choices | None
    language: str
    number: int
    with_total: bool


def read_page(store: Store, request: PageRequest) -> listing.Page:
    """One page, with each row's texts formatted here on the worker: the
    view asks for every visible cell on each repaint, and formatting dates
    and codes there cost ~20 ms a frame on the GUI thread."""
    q = request.query
    page = listing.list_records(store, request.kind, q.filter, offset=request.number * PAGE_SIZE,
                                limit=PAGE_SIZE, sort=q.sort, descending=q.descending,
                                with_total=request.with_total)
    for row in page.rows:
        row[TEXTS] = [cell_text(request, column, row) for column in request.columns]
    return page


def cell_text(request: PageRequest, column: Column, row: dict[str, Any]) -> str:
    """What one cell shows, in the request's language."""
    value = row.get(column.key)
    if value is None or value == "":
        return ""
    if column.kind == "date" and isinstance(value, date):
        return formats.long_date(value, request.language)
    if column.kind == "moment" and isinstance(value, datetime):
        return formats.local_time(value, request.language)
    if column.kind == "code" and request.choices is not None:
        code_field = (record_kind(request.kind).result_field or "") if column.key == "result" \
            else column.key
        return request.choices.text(code_field, value, request.language)
    return str(value)


class RecordsModel(QAbstractTableModel):
    #: the total for the current query arrived (count of matching records)
    total_known = Signal(int)
    #: a page failed to load (the error), so the page can say so
    load_failed = Signal(object)

    def __init__(self, ctx: AppContext, kind: str, is_visit: bool, choices: Choices | None = None) -> None:
        super().__init__()
        self.ctx, self.kind = ctx, kind
        self.columns = columns_for(kind, is_visit)
        self.choices = choices
        self.query = Query()
        self.generation = 0
        self.ready_generation = -1  # the generation whose count and first page have arrived
        self.total = 0
        self.pages: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        self.asked: set[int] = set()

    # --- the query -------------------------------------------------------------

    def set_filter(self, flt: listing.ListFilter) -> None:
        self.reload(replace(self.query, filter=flt))

    def reload(self, query: Query | None = None) -> None:
        """Start over: count and first page for ``query`` (or the current one)."""
        self.query = query or self.query
        self.generation += 1
        self.asked = {0}
        generation = self.generation
        self.ctx.run(read_page, self.ctx.store, self._request(0, with_total=True), owner=self).success(
            lambda page: self._first_page(generation, page)).failure(self.load_failed.emit)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].key
        if not self.columns[column].sortable:
            return
        self.reload(replace(self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    def _request(self, number: int, *, with_total: bool = False) -> PageRequest:
        return PageRequest(self.kind, self.query, self.columns, self.choices, language(), number,
                           with_total)

    def _first_page(self, generation: int, page: listing.Page) -> None:
        if generation != self.generation:
            return
        self.beginResetModel()
        self.total = page.total
        self.pages.clear()
        self.pages[0] = page.rows
        self.ready_generation = generation
        self.endResetModel()
        self.total_known.emit(self.total)

    def _fetch(self, number: int) -> None:
        if number in self.asked:
            return
        self.asked.add(number)
        generation = self.generation
        self.ctx.run(read_page, self.ctx.store, self._request(number), owner=self).success(
            lambda page: self._arrived(generation, number, page)).failure(self.load_failed.emit)

    def _arrived(self, generation: int, number: int, page: listing.Page) -> None:
        if generation != self.generation:
            return
        self.pages[number] = page.rows
        self.pages.move_to_end(number)
        while len(self.pages) > KEEP_PAGES:
            dropped, _ = self.pages.popitem(last=False)
            self.asked.discard(dropped)
        first = number * PAGE_SIZE
        last = min(first + len(page.rows), self.total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    # --- rows --------------------------------------------------------------------

    def row_dict(self, row: int) -> dict[str, Any] | None:
        """The listing's row, or None while its page is on its way."""
        rows = self.pages.get(row // PAGE_SIZE)
        if rows is None:
            return None
        offset = row % PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def record_id(self, row: int) -> str | None:
        found = self.row_dict(row)
        return found["id"] if found else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("columns", self.columns[section].header)
        return numbers.number(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole and role != Qt.ItemDataRole.UserRole:
            return None  # the view asks for a dozen roles per cell; answer the rest at once
        found = self.row_dict(index.row())
        if found is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._fetch(index.row() // PAGE_SIZE)
                return "…"
            return None
        if role == Qt.ItemDataRole.UserRole:
            return found["id"]
        return found[TEXTS][index.column()]
