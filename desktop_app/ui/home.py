"""The home page: what is waiting for the officer, as big cards that open
the work they name.

The officer's first screen of the day, often read in a car or a village
hall: few words, big numbers, every line a button. The summary is read on
the DB lane (services.home) and the cards rebuilt from it; a write or a
sync anywhere asks for a fresh read, coalesced so a batch of saves reads
once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from ..services import formats
from ..services.home import HomeSummary, Waiting, WaitingRecord, home_summary
from ..services.kinds import kind_of
from . import i18n
from .context import AppContext
from . import dialogs
from . import numbers

#: Coalesce a burst of records_changed signals into one read.
REFRESH_DELAY_MS = 300


class Window(Protocol):
    def show_page(self, key: str) -> Any: ...
    def open_record(self, kind: str, record_id: str | None, **initial: object) -> None: ...


def kind_label(kind: str) -> str:
    return i18n.pick(*kind_of(kind).labels)


CARD_STYLE = """
QFrame#card { background: palette(base); border: 1px solid palette(mid); border-radius: 10px; }
QLabel#card-title { font-weight: 600; }
QLabel#card-number { font-weight: 700; color: #8a3b12; }
QLabel#card-note { color: palette(placeholder-text); }
QLabel#card-line, QLabel#card-link { padding: 5px 8px; border-radius: 6px; }
QLabel#card-line:hover, QLabel#card-line:focus, QLabel#card-link:hover, QLabel#card-link:focus {
    background: #f3e9dc; }
QLabel#card-link { font-weight: 600; color: palette(link); }
"""


class CardLine(QLabel):
    """A line that opens something: wraps at any font size (a button's text
    does not), takes the focus with Tab and opens with Enter or Space."""

    clicked = Signal()

    def __init__(self, text: str, link: bool) -> None:
        super().__init__(text)
        self.setObjectName("card-link" if link else "card-line")
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

    def click(self) -> None:
        self.clicked.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)


class Card(QFrame):
    """A titled box with a big number and clickable lines."""

    def __init__(self, key: str, title: str, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setProperty("card_key", key)
        # equal columns whatever the lines say; long lines are split by the page
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(16, 14, 16, 14)
        self.column.setSpacing(4)
        head = QHBoxLayout()
        title_label = QLabel(title)
        title_label.setObjectName("card-title")
        title_label.setWordWrap(True)
        big = QLabel(number)
        big.setObjectName("card-number")
        font = QFont(big.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        big.setFont(font)
        head.addWidget(title_label, 1)
        head.addWidget(big, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.column.addLayout(head)

    def note(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("card-note")
        label.setWordWrap(True)
        self.column.addWidget(label)
        return label

    def line(self, text: str, target: str, action: Callable[[], None], *, link: bool = False) -> CardLine:
        line = CardLine(text, link)
        line.setProperty("target", target)
        line.clicked.connect(action)
        self.column.addWidget(line)
        return line


class HomePage(QWidget):
    def __init__(self, ctx: AppContext, window: Window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.window = ctx, window
        self.summary: HomeSummary | None = None
        self.loading = False
        self.stale = False
        self.open_conflicts: int | None = None
        self.placed_columns = 0
        self.setStyleSheet(CARD_STYLE)
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QLabel(self.tr("Reading what is waiting…"))
        self.status.setObjectName("card-note")
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(14)
        for column in range(3):
            self.grid.setColumnStretch(column, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self.timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self.timer.timeout.connect(self.refresh)
        ctx.events.listen(self, ctx.events.records_changed, self.refresh_soon)
        ctx.events.listen(self, ctx.events.sync_finished, self._sync_finished)
        ctx.events.listen(self, ctx.events.conflicts_counted, self.set_open_conflicts)
        ctx.events.listen(self, ctx.events.account_changed, self.refresh_soon)
        self._greet()
        self.refresh()

    # --- loading -----------------------------------------------------------------

    def refresh_soon(self, *_args: object) -> None:
        self.timer.start()

    def refresh(self) -> None:
        """Read the summary on the DB lane; a refresh asked meanwhile runs after it."""
        if self.loading:
            self.stale = True
            return
        self.loading, self.stale = True, False
        account = self.ctx.account
        officer = account.officer_id if account else self.ctx.actor.officer_id
        regency = account.regency_code if account else None
        (self.ctx.run(home_summary, self.ctx.store, officer, regency, owner=self)
         .success(self._show).failure(self._failed).finally_(self._loaded))

    def _loaded(self) -> None:
        self.loading = False
        if self.stale:
            self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Could not read what is waiting."))
        dialogs.show_error(self, error)

    def _sync_finished(self, summary: object) -> None:
        conflicts = getattr(summary, "conflicts", None)
        if isinstance(conflicts, int) and conflicts:
            self.open_conflicts = (self.open_conflicts or 0) + conflicts
        self.refresh_soon()

    def set_open_conflicts(self, count: int | None) -> None:
        """The conflicts page tells the home page how many are open (they live on the server)."""
        self.open_conflicts = count
        if self.summary is not None:
            self._show(self.summary)

    # --- showing -----------------------------------------------------------------

    def _greet(self) -> None:
        account = self.ctx.account
        name = account.full_name if account else ""
        self.heading.setText(self.tr("Hello, {name}").format(name=name) if name
                             else self.tr("What is waiting"))

    def _show(self, summary: HomeSummary) -> None:
        self.summary = summary
        self._greet()
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        cards = [self._drafts_card(summary), self._assigned_card(summary.assigned_visits),
                 self._audits_card(summary.audits_due), self._outbox_card(summary)]
        if self.ctx.account and self.ctx.account.is_supervisor:
            cards.append(self._conflicts_card())
        if summary.recovered:
            cards.insert(0, self._recovered_card(summary))
        columns = self.placed_columns = self.columns()
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        for index, card in enumerate(cards):
            self.grid.addWidget(card, index // columns, index % columns, Qt.AlignmentFlag.AlignTop)
        self.grid.setRowStretch((len(cards) - 1) // columns + 1, 1)
        self.status.setText(self.tr("Click a line to open it."))

    def _drafts_card(self, summary: HomeSummary) -> Card:
        card = Card("drafts", self.tr("Drafts to finish"), numbers.number(summary.draft_total))
        if not summary.draft_total:
            card.note(self.tr("No drafts. Everything you started is finalised."))
        newest = sorted((r for w in summary.drafts.values() for r in w.first),
                        key=lambda r: (r.day is not None, r.day), reverse=True)[:5]
        for record in newest:
            day = formats.long_date(record.day, i18n.language())
            card.line(f"{record.title}\n{kind_label(record.kind)} · {day}", f"record:{record.kind}:{record.record_id}",
                      self._opener(record.kind, record.record_id))
        for kind, waiting in summary.drafts.items():
            if waiting.total:
                card.line(self.tr("All drafts: {kind} ({count})").format(
                    kind=kind_label(kind), count=numbers.number(waiting.total)),
                    f"page:{kind}", self._page(kind), link=True)
        return card

    #: The visit an assigned record starts, and the form field naming the record.
    VISIT_OF = {"aid_applicant": ("aid_verification", "applicant_id"),
                "business": ("umkm_survey", "business_id"),
                "cooperative": ("cooperative_audit", "cooperative_id")}

    def _due_text(self, record: WaitingRecord) -> str:
        if record.due is None:
            return ""
        day = formats.long_date(record.due, i18n.language())
        return (self.tr("OVERDUE since {date}") if record.overdue
                else self.tr("due {date}")).format(date=day)

    def _assigned_card(self, waiting: Waiting) -> Card:
        card = Card("assigned", self.tr("Visits assigned to you"), numbers.number(waiting.total))
        if not waiting.total:
            card.note(self.tr("No visits are waiting for you. You may still record any visit."))
        for record in waiting.first:
            visit, field = self.VISIT_OF.get(record.kind, ("aid_verification", "applicant_id"))
            text = "\n".join(t for t in (record.title, f"{kind_label(visit)} · {record.place}",
                                         self._due_text(record)) if t)
            card.line(text, f"new:{visit}:{record.record_id}",
                      self._new_visit(visit, **{field: record.record_id}))
        if waiting.total:
            card.line(self.tr("All aid applicants"), "page:aid_applicant", self._page("aid_applicant"),
                      link=True)
        return card

    def _audits_card(self, waiting: Waiting) -> Card:
        planned = self.summary is not None and self.summary.audits_planned
        card = Card("audits", self.tr("Cooperatives due for audit") if planned
                    else self.tr("Cooperatives due for audit this year"),
                    numbers.number(waiting.total))
        if not waiting.total:
            card.note(self.tr("Every cooperative of your audit plan has been audited.") if planned
                      else self.tr("Every cooperative of your regency has been audited this year."))
        for record in waiting.first:
            last = (self.tr("last audit {date}").format(date=formats.long_date(record.day, i18n.language()))
                    if record.day else self.tr("never audited"))
            text = "\n".join(t for t in (record.title, record.place, self._due_text(record) or last) if t)
            card.line(text, f"new:cooperative_audit:{record.record_id}",
                      self._new_visit("cooperative_audit", cooperative_id=record.record_id))
        if waiting.total:
            card.line(self.tr("All cooperatives"), "page:cooperative", self._page("cooperative"), link=True)
        return card

    def _outbox_card(self, summary: HomeSummary) -> Card:
        card = Card("outbox", self.tr("Changes not yet sent"), numbers.number(summary.pending_changes))
        if self.ctx.practice:
            card.note(self.tr("Practice workspace: these changes stay on this laptop and are "
                              "never sent."))
            return card
        if summary.pending_changes:
            card.note(self.tr("They are safe on this laptop and go to the province at the next sync."))
        else:
            card.note(self.tr("Everything has reached the province."))
        if summary.parked_changes:
            card.note(self.tr("{count} changes were refused by the server and wait for you.").format(
                count=numbers.number(summary.parked_changes)))
        if summary.last_success is not None:
            card.note(self.tr("Last successful sync: {time}").format(
                time=formats.local_time(summary.last_success.finished_at, i18n.language())))
        else:
            card.note(self.tr("This laptop has not synced yet."))
        if summary.parked_changes:
            card.line(self.tr("See the refused changes and what to do"), "page:sync",
                      self._page("sync"), link=True)
        card.line(self.tr("Sync history"), "page:sync-history", self._page("sync"), link=True)
        attempt = summary.last_attempt
        if attempt is not None and not attempt.ok:
            card.note(self.tr("The last attempt failed: {time}").format(
                time=formats.local_time(attempt.finished_at, i18n.language())))
        sync_now = getattr(self.window, "sync_now", None)
        if callable(sync_now) and (summary.pending_changes or summary.last_success is None):
            card.line(self.tr("Sync now"), "sync", sync_now, link=True)
        return card

    def _conflicts_card(self) -> Card:
        count = self.open_conflicts
        card = Card("conflicts", self.tr("Conflicts to settle"),
                    numbers.number(count) if count is not None else "–")
        card.note(self.tr("Two officers changed the same field; choose the value that stays."))
        card.line(self.tr("Open the conflicts"), "page:conflicts", self._page("conflicts"), link=True)
        return card

    def _recovered_card(self, summary: HomeSummary) -> Card:
        card = Card("recovered", self.tr("Recovered work"), numbers.number(len(summary.recovered)))
        card.note(self.tr("Forms that were open when Tapis stopped. Open one to continue or discard it."))
        for form in summary.recovered[:5]:
            title = form.title or self.tr("(untitled)")
            saved = formats.local_time(form.saved_at, i18n.language())
            text = f"{title}\n{kind_label(form.kind)} · {saved}"
            if form.record_id:
                card.line(text, f"record:{form.kind}:{form.record_id}", self._opener(form.kind, form.record_id))
            else:  # a new record's draft: its form opens again with what was typed
                initial: dict[str, object] = {"draft_key": form.key}
                parent_field = kind_of(form.kind).parent_field
                if parent_field and form.parent_id:
                    initial[parent_field] = form.parent_id
                card.line(text, f"draft:{form.key}", self._new_visit(form.kind, **initial))
        return card

    # --- actions -----------------------------------------------------------------

    def _opener(self, kind: str, record_id: str) -> Callable[[], None]:
        return lambda: self.window.open_record(kind, record_id)

    def _new_visit(self, kind: str, **initial: object) -> Callable[[], None]:
        return lambda: self.window.open_record(kind, None, **initial)

    def _page(self, key: str) -> Callable[[], None]:
        return lambda: self.window.show_page(key)

    def lines(self) -> list[CardLine]:
        """Every clickable line, for tests and keyboard users."""
        return [b for b in self.findChildren(CardLine) if b.property("target")]

    def columns(self) -> int:
        """Three columns, fewer when a large font would squeeze the cards."""
        wanted = self.fontMetrics().averageCharWidth() * 50
        return max(1, min(3, self.width() // max(wanted, 1)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.summary is not None and self.columns() != self.placed_columns:
            self._show(self.summary)


def create(ctx: AppContext, window: Window) -> QWidget:
    return HomePage(ctx, window)


__all__ = ["HomePage", "WaitingRecord", "create"]
