"""A page per record kind: its list, and a record's form in its place.

Each page reads the reference lists once (on the DB lane) before it builds
its filters and forms, and shows 'Loading…' until then.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QStackedWidget,
    QVBoxLayout, QWidget,
)

from ..services import choices as choice_lists
from ..services import listing
from ..services.choices import Choices
from ..services.kinds import kind_of
from . import dialogs
from .context import AppContext
from .i18n import in_sentence, pick, tr
from .record_form import RecordForm
from .record_list import RecordList


class JobPage(QStackedWidget):
    def __init__(self, ctx: AppContext, window: Any, kind: str) -> None:
        super().__init__()
        self.ctx, self.window, self.kind = ctx, window, kind_of(kind)
        self.choices: Choices | None = None
        self.list: RecordList | None = None
        self.form: RecordForm | None = None
        self.waiting: tuple[str | None, dict[str, Any]] | None = None
        self.loading = QLabel(tr("Loading…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.loading)
        ctx.run(choice_lists.load_choices, ctx.store, owner=self).success(self._ready).failure(
            lambda error: dialogs.show_error(self, error))

    def _ready(self, choices: Choices) -> None:
        self.choices = choices
        self.list = RecordList(self.ctx, self.kind.name, choices)
        self.list.open_record.connect(lambda record_id: self.open_record(record_id))
        self.addWidget(self.list)
        self.setCurrentWidget(self.list)
        if self.waiting is not None:
            record_id, initial = self.waiting
            self.waiting = None
            self.open_record(record_id, **initial)

    def open_record(self, record_id: str | None, **initial: Any) -> None:
        """Show a record's form; a new visit first asks which entity is visited."""
        if self.choices is None:
            self.waiting = (record_id, initial)
            return
        parent_field = self.kind.parent_field
        if record_id is None and parent_field and not initial.get(parent_field):
            picker = EntityPicker(self.ctx, self.kind.parent_kind or "", self)
            picked = picker.choose()
            if picker.create_new and self.window is not None:
                # The business (cooperative, applicant) is not registered yet: its form
                # opens, with the name typed in the search; its 'New survey' follows.
                parent = kind_of(self.kind.parent_kind or "")
                typed = picker.search.text().strip()
                self.window.open_record(parent.name, None,
                                        **({parent.title_field: typed} if typed else {}))
                return
            if picked is None:
                return
            initial[parent_field] = picked
        if self.form is not None and not self._close_form():
            return
        self.form = RecordForm(self.ctx, self.kind.name, self.choices, record_id, initial)
        self.form.closed.connect(self._back_to_list)
        self.form.open_other.connect(self._open_other)
        self.addWidget(self.form)
        self.setCurrentWidget(self.form)

    def _open_other(self, kind: str, record_id: str | None, initial: dict[str, Any]) -> None:
        if kind == self.kind.name:
            QTimer.singleShot(0, lambda: self.open_record(record_id, **initial))
        else:
            self.window.open_record(kind, record_id, **initial)

    def _close_form(self) -> bool:
        form, self.form = self.form, None
        if form is not None:
            form.can_leave()
            self.removeWidget(form)
            form.deleteLater()
        return True

    def _back_to_list(self) -> None:
        self._close_form()
        if self.list is not None:
            self.setCurrentWidget(self.list)

    def can_leave(self) -> bool:
        return self.form.can_leave() if self.form is not None else True


class EntityPicker(QDialog):
    """Which business, cooperative or applicant is visited: search as you type."""

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind_of(kind)
        self.setWindowTitle(tr("Choose: {what}").format(what=pick(*self.kind.labels)))
        self.resize(560, 440)
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText(tr("Type a name, village or a whole NIK…"))
        self.results = QListWidget()
        self.results.setObjectName("pickerResults")
        self.results.itemActivated.connect(lambda _item: self.accept())
        self.empty = QLabel()
        self.empty.setObjectName("pickerEmpty")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.create_new = False
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(
            tr("&New {what}…").format(what=pick(*self.kind.labels)),
            QDialogButtonBox.ButtonRole.ActionRole)
        self.create_button.setObjectName("pickerCreate")
        self.create_button.clicked.connect(self._create)
        buttons.addButton(tr("Choose"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self._search)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self.accept)
        self.generation = 0
        self._search()

    def _search(self) -> None:
        self.generation += 1
        generation = self.generation
        flt = listing.ListFilter(regency_code=self.ctx.actor.regency_code,
                                 text=self.search.text().strip() or None)
        self.ctx.run(listing.list_records, self.ctx.store, self.kind.name, flt, limit=50,
                     owner=self).success(lambda page: self._show(generation, page))

    def _show(self, generation: int, page: listing.Page) -> None:
        if generation != self.generation:
            return
        self.results.clear()
        for row in page.rows:
            text = f"{row['title']} — {row.get('village') or ''}"
            if row.get("nik"):
                text += f" — {row['nik']}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        what = in_sentence(pick(*self.kind.labels))
        typed = self.search.text().strip()
        if page.rows:
            self.empty.hide()
        elif typed:
            self.empty.setText(tr("No {what} matches \"{typed}\". Check the spelling, or register "
                                  "a new one with \"New {what}…\".").format(what=what, typed=typed))
            self.empty.show()
        else:
            self.empty.setText(tr("No {what} is registered in your regency yet. Register one "
                                  "with \"New {what}…\".").format(what=what))
            self.empty.show()

    def _create(self) -> None:
        self.create_new = True
        self.reject()

    def choose(self) -> str | None:
        """The entity chosen; None when cancelled or when the officer asked to
        register a new one (``create_new``)."""
        if self.exec() != QDialog.DialogCode.Accepted or self.results.currentItem() is None:
            return None
        return self.results.currentItem().data(Qt.ItemDataRole.UserRole)


def surveys(ctx: AppContext, window: Any) -> JobPage:
    return JobPage(ctx, window, "umkm_survey")


def audits(ctx: AppContext, window: Any) -> JobPage:
    return JobPage(ctx, window, "cooperative_audit")


def verifications(ctx: AppContext, window: Any) -> JobPage:
    return JobPage(ctx, window, "aid_verification")


def businesses(ctx: AppContext, window: Any) -> JobPage:
    return JobPage(ctx, window, "business")


def cooperatives(ctx: AppContext, window: Any) -> JobPage:
    return JobPage(ctx, window, "cooperative")


def applicants(ctx: AppContext, window: Any) -> JobPage:
    return JobPage(ctx, window, "aid_applicant")
