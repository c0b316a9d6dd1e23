"""The form of one record: sections of fields, live checks, derived values,
photos, and the draft → finalised path.

This is the view: it builds the widgets, shows what it is told and words
it in the screen's language. What to do (when to check and autosave, what
an edit implies, what the buttons offer, finalise and leave rules) is
decided by its controller, ui/form_controller.py, which holds no Qt and is
tested without it. Nothing typed is lost: a second after the officer stops
typing the entries are kept (as the record, or as a snapshot when they
break rules), and a reopened form offers a snapshot back. Every check and
save runs on the DB lane; the GUI thread only shows what comes back.
"""

from __future__ import annotations

import html
import re

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QFileDialog, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from ..models import PARENT_FIELDS
from ..models.rules.problems import Problem
from ..services import formats
from ..services.audit_report import audit_report
from ..services.choices import Choices
from ..services.forms import FOLLOWS
from ..services.kinds import kind_of
from ..services.labels import label
from ..services.records import Checked
from ..store.store import Store
from . import dialogs
from .context import AppContext
from .editors import Editor, SearchableChoiceEditor, editor_for
from .form_controller import FormController, FormState, Notice, Question
from .form_layouts import CODED, LAYOUTS, MULTILINE, NO_EMPTY, SEARCHABLE
from .i18n import in_sentence, language, pick, tr
from .photos import PhotoStrip
from .reports.audit_pdf import write_audit_pdf
from .result_panel import ResultPanel


class FieldRow:
    """An editor with its label and the message under it."""

    def __init__(self, name: str, editor: Editor, required: bool) -> None:
        self.name, self.editor = name, editor
        self.label = QLabel(label(name, language()) + (" *" if required else ""))
        self.label.setBuddy(editor.widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName(f"message-{name}")
        self.message.hide()
        self.box = QWidget()
        column = QVBoxLayout(self.box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor.widget)
        column.addWidget(self.message)
        editor.widget.setObjectName(f"field-{name}")
        editor.refused.connect(self.show_refused)

    def show_refused(self, text: str) -> None:
        """A key the field does not take: said at the field until the next check."""
        self.message.setText(text)
        self.message.setProperty("severity", "warning")
        self.message.show()
        _repolish(self.message)

    def show_problem(self, problem: Problem | None) -> None:
        if problem is None:
            self.message.hide()
            self.editor.widget.setProperty("problem", "")
        else:
            text = pick(problem.id, problem.en)
            if problem.record is not None:  # a likely duplicate: its record one click away
                kind, record_id = problem.record
                text = (f"{html.escape(text)} <a href=\"{kind}:{record_id}\">"
                        f"{html.escape(pick('Buka data yang ada', 'Open the existing record'))}</a>")
            self.message.setTextFormat(Qt.TextFormat.RichText if problem.record is not None
                                       else Qt.TextFormat.PlainText)
            self.message.setText(text)
            severity = "error" if problem.severity == "error" else "warning"
            self.message.setProperty("severity", severity)
            self.editor.widget.setProperty("problem", severity)
            self.message.show()
        for widget in (self.message, self.editor.widget):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class ElidedLabel(QLabel):
    """One line that ends in '…' when it does not fit (a long cooperative's
    name in the form's title), the whole text in its tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def shown(self) -> str:
        """What the label paints now."""
        return super().text()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                                      max(0, self.width())))


class EnterAdvances(QObject):
    """Enter moves to the next field, as on a paper form; a field several
    lines long keeps Enter for its new lines.

    The next field is the next *editor* of the form, in the form's order,
    that is shown and can be typed into: never a label, a message under a
    field or a button, so what is typed after Enter always lands in a field
    (Qt's focus chain holds every widget, labels included)."""

    def __init__(self, form: RecordForm) -> None:
        super().__init__(form)
        self.form = form

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusOut:
            # Looked at after the event (never while widgets are being torn down).
            name = watched.property("tapisField")
            if name:
                QTimer.singleShot(0, self, partial(self.form.field_left, str(name)))
            return False
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier)
                and isinstance(watched, QWidget) and not isinstance(watched, QPlainTextEdit)):
            self.form.focus_next_stop(watched)
            return True
        return False


class RecordForm(QWidget):
    """The widgets of one record's form, and the view its controller drives."""

    #: the officer left the form (back to the list)
    closed = Signal()
    #: another record should open in its place (kind, record id or None, initial values)
    open_other = Signal(str, object, object)

    def __init__(self, ctx: AppContext, kind: str, choices: Choices, record_id: str | None = None,
                 initial: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.choices = ctx, kind_of(kind), choices
        self.rows: dict[str, FieldRow] = {}
        self.enter_filter = EnterAdvances(self)
        self._build()
        self.controller = FormController(self, kind, store=ctx.store, actor=ctx.actor,
                                         run=partial(ctx.run, owner=self), record_id=record_id,
                                         initial=initial)
        self.controller.open()

    # The controller's state, as the page and the tests read it.
    @property
    def record_id(self) -> str | None:
        return self.controller.record_id

    @property
    def record(self) -> dict[str, Any]:
        return self.controller.record

    @property
    def loading(self) -> bool:
        return self.controller.loading

    @property
    def read_only(self) -> bool:
        return self.controller.read_only

    @property
    def dirty(self) -> bool:
        return self.controller.dirty

    @property
    def last_check(self) -> Checked | None:
        return self.controller.last_check

    # --- building -------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 8)
        outer.setSpacing(8)
        outer.addLayout(self._header())
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.cleared_note = QWidget()  # answers cleared by skip logic, with Undo
        self.cleared_note.setObjectName("clearedNote")
        note_row = QHBoxLayout(self.cleared_note)
        note_row.setContentsMargins(0, 0, 0, 0)
        self.cleared_text = QLabel()
        self.cleared_text.setObjectName("banner")
        self.cleared_text.setProperty("severity", "info")
        self.cleared_text.setWordWrap(True)
        self.undo_clear_button = QPushButton(tr("&Undo"))
        self.undo_clear_button.clicked.connect(lambda: self.controller.undo_clear())
        note_row.addWidget(self.cleared_text, 1)
        note_row.addWidget(self.undo_clear_button)
        self.cleared_note.hide()
        outer.addWidget(self.cleared_note)
        body = QHBoxLayout()
        body.setSpacing(12)
        scroll = QScrollArea()
        self.scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        sections = QWidget()
        column = QVBoxLayout(sections)
        column.setContentsMargins(0, 0, 8, 0)
        for section in LAYOUTS[self.kind.name]:
            column.addWidget(self._section(section.title, section.fields))
        column.addStretch(1)
        scroll.setWidget(sections)
        body.addWidget(scroll, 3)
        side = QVBoxLayout()
        self.result = ResultPanel(self.kind.name)
        side.addWidget(self.result)
        self.photos = PhotoStrip(self.ctx, self.kind.name, self)
        self.photos.location_found.connect(
            lambda latitude, longitude: self.controller.location_from_photo(latitude, longitude))
        self.photos.needs_saved_record.connect(lambda: self.controller.save_for_photo())
        side.addWidget(self.photos, 1)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(max(320, self.fontMetrics().averageCharWidth() * 46))
        body.addWidget(side_box, 2)
        outer.addLayout(body, 1)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back_button = QPushButton(tr("← Back to the list"))
        self.back_button.clicked.connect(self.leave)
        self.title = ElidedLabel()
        self.title.setObjectName("formTitle")
        self.status_chip = QLabel()
        self.status_chip.setObjectName("statusChip")
        self.saved_note = QLabel()
        self.saved_note.setObjectName("savedNote")
        row.addWidget(self.back_button)
        row.addSpacing(8)
        row.addWidget(self.title, 1)
        row.addWidget(self.status_chip)
        row.addWidget(self.saved_note)
        self.history_button = self._button(tr("History"), self._history)
        self.visit_button = self._button(self._visit_text(), lambda: self.controller.start_visit())
        self.delete_button = self._button(tr("Delete"), lambda: self.controller.delete())
        self.correct_button = self._button(tr("Correct…"), lambda: self.controller.correct())
        self.save_button = self._button(tr("Save"), self.save)
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.finalise_button = self._button(tr("Finalise…"), lambda: self.controller.finalise())
        self.finalise_button.setObjectName("primary")
        self.report_button = self._button(tr("Audit report (PDF)…"), self.choose_report_file)
        for button in (self.history_button, self.visit_button, self.report_button,
                       self.delete_button, self.correct_button, self.save_button,
                       self.finalise_button):
            row.addWidget(button)
        hidden = (self.correct_button, self.report_button,
                  self.visit_button if self.kind.is_visit else self.finalise_button)
        for button in hidden:
            button.hide()  # never show() here: the row has no widget yet, and a parentless
            # widget made visible opens as a window of its own (a flash that takes the focus)
        return row

    def _visit_text(self) -> str:
        return {"business": tr("New survey"), "cooperative": tr("New audit"),
                "aid_applicant": tr("New verification")}.get(self.kind.name, "")

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setAutoDefault(False)
        return button

    def _section(self, title: str, names: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(QCoreApplication.translate("sections", title))
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for name in names:
            if name in PARENT_FIELDS:
                self.parent_label = QLabel()
                self.parent_label.setObjectName("parentTitle")
                form.addRow(label(name, language()), self.parent_label)
                self.parent_facts = QLabel()
                self.parent_facts.setObjectName("parentFacts")
                self.parent_facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.parent_facts.hide()
                form.addRow("", self.parent_facts)
                continue
            spec = self.kind.specs[name]
            editor = editor_for(spec, self.choices, multiline=name in MULTILINE, coded=name in CODED,
                                follows=name in FOLLOWS, searchable=name in SEARCHABLE,
                                with_empty=name not in NO_EMPTY)
            row = FieldRow(name, editor, spec.required)
            row.message.linkActivated.connect(self._open_linked)
            editor.set_key_filter(self.enter_filter, name)
            editor.changed.connect(lambda n=name: self.controller.edited(n))
            editor.widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            form.addRow(row.label, row.box)
            self.rows[name] = row
        return box

    # --- what the officer does ------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form sends to the services: every editable field."""
        return self.controller.values()

    def save(self, quiet: bool = False, then: Callable[[], None] | None = None) -> None:
        self.controller.save(quiet, then)

    def leave(self) -> None:
        """Back to the list: save a dirty form first; an invalid one asks."""
        self.controller.leave()

    def can_leave(self) -> bool:
        """The window is closing: keep what was typed, never ask twice."""
        return self.controller.can_leave()

    def _history(self) -> None:
        from .history import show_history

        whose = self.controller.history_of()
        if whose is not None:
            show_history(self.ctx, whose[0], whose[1], self)

    def choose_report_file(self) -> None:
        """Ask where the audit report goes (a PDF to leave with the cooperative)."""
        cooperative = re.sub(r"[^0-9A-Za-z]+", "-", self.controller.parent_title).strip("-").lower()
        name = f"audit-{cooperative or (self.record_id or '')[:8]}-{date.today():%Y-%m-%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the audit report as"),
                                              str(Path.home() / name), "*.pdf")
        if path:
            self.report_to(Path(path))

    def report_to(self, path: Path) -> None:
        """Write the saved audit's report to ``path`` on the DB lane (it reads
        the store and lays out pages, too slow for the GUI thread)."""
        if self.record_id is None:
            return
        self.report_button.setEnabled(False)
        self.ctx.run(_audit_pdf, self.ctx.store, self.record_id, path, owner=self).success(
            lambda _pages: self._banner(tr("Audit report written to {path}").format(path=path),
                                        "info")
        ).failure(lambda error: dialogs.show_error(self, error)).finally_(
            lambda: self.report_button.setEnabled(True))

    # --- the view the controller drives ------------------------------------------------------

    def field_names(self) -> Sequence[str]:
        return tuple(self.rows)

    def value(self, name: str) -> Any:
        return self.rows[name].editor.value()

    def set_value(self, name: str, value: Any) -> None:
        self.rows[name].editor.set_value(value)

    def follow(self, name: str, value: Any) -> None:
        self.rows[name].editor.follow(value)

    def set_parent_title(self, title: str) -> None:
        if hasattr(self, "parent_label"):
            self.parent_label.setText(title)

    def show_parent(self, facts: Sequence[tuple[str, str, str]],
                    field_labels: Mapping[str, tuple[str, str]]) -> None:
        if hasattr(self, "parent_facts") and facts:
            self.parent_facts.setText("\n".join(f"{pick(id_, en)}: {value}"
                                                 for id_, en, value in facts))
            self.parent_facts.show()
        for name, (id_, en) in field_labels.items():
            if name in self.rows:
                self.rows[name].label.setText(pick(id_, en))

    def show_field(self, name: str, shown: bool) -> None:
        row = self.rows[name]
        row.label.setVisible(shown)
        row.box.setVisible(shown)

    def show_cleared(self, names: Sequence[str]) -> None:
        if not names:
            self.cleared_note.hide()
            return
        fields = ", ".join(f"“{label(name, language())}”" for name in names)
        self.cleared_text.setText(tr(
            "The answer to {fields} was cleared: the question no longer applies. Undo brings "
            "it back until you save.").format(fields=fields))
        _repolish(self.cleared_text)
        self.cleared_note.show()

    def show_typed_before(self, name: str, text: str) -> None:
        editor = self.rows[name].editor
        if isinstance(editor, SearchableChoiceEditor):
            editor.set_placeholder(tr("Written before: {village} — pick from the list")
                                   .format(village=text))

    def show_field_problem(self, name: str, problem: Problem | None) -> None:
        self.rows[name].show_problem(problem)

    def show_result(self, derived: dict[str, Any], final_problems: list[Problem]) -> None:
        self.result.show_result(derived, final_problems, self.choices)

    def show_state(self, state: FormState) -> None:
        kind_label = pick(*self.kind.labels)
        self.title.setText(f"{kind_label}: {state.name}" if state.name
                           else tr("New {kind}").format(kind=kind_label))
        self.status_chip.setVisible(bool(state.status))
        if state.status:
            self.status_chip.setText(self.choices.text("status", state.status, language()))
            self.status_chip.setProperty("status", state.status)
            _repolish(self.status_chip)
        for row in self.rows.values():
            row.editor.set_read_only(state.read_only)
        self.save_button.setVisible(state.can_save)
        self.finalise_button.setVisible(state.can_finalise)
        self.correct_button.setVisible(state.can_correct)
        self.delete_button.setVisible(state.can_delete)
        self.report_button.setVisible(state.can_report)
        self.visit_button.setEnabled(state.can_start_visit)
        self.history_button.setEnabled(state.has_history)

    def say(self, notice: Notice, severity: str, *, when: datetime | None = None) -> None:
        self._banner(self._notice_text(notice, when), severity)

    def _notice_text(self, notice: Notice, when: datetime | None) -> str:
        moment = formats.local_time(when, language()) if when is not None else ""
        if notice is Notice.RECOVERED:
            return tr("Recovered what was typed here on {when} and not saved. Check it and "
                      "save, or go back to discard it.").format(when=moment)
        if notice is Notice.FINALISED:
            return tr("Finalised on {when}: read only. A correction is made as a new record "
                      "that replaces this one (Correct…).").format(when=moment)
        if notice is Notice.SUPERSEDED:
            return tr("This record was replaced by a correction; it is kept as it was.")
        if notice is Notice.NOT_SAVED:
            return tr("Not saved: correct the fields marked in red. What you typed is "
                      "kept on this laptop.")
        return tr("This record cannot be finalised yet: complete the fields marked.")

    def say_problems(self, problems: list[Problem]) -> None:
        self._banner(" ".join(pick(p.id, p.en) for p in problems), "error")

    def hide_notice(self) -> None:
        self.banner.hide()

    def show_saved(self, when: datetime | None) -> None:
        self.saved_note.setText(tr("Saved {time}").format(time=formats.clock_time(when, language())))

    def show_unsaved(self) -> None:
        self.saved_note.setText(tr("Not saved yet"))

    def ask(self, question: Question) -> bool:
        if question is Question.FINALISE:
            return dialogs.ask(
                self, tr("Finalise this record?"),
                tr("After finalising, this {kind} is read only: its fields, its result and its "
                   "photos can no longer be changed on any laptop. A mistake found later is "
                   "corrected with a new record that replaces it, and both are kept.").format(
                    kind=in_sentence(pick(*self.kind.labels))),
                tr("Finalise"), tr("Keep editing"))
        if question is Question.CORRECT:
            return dialogs.ask(self, tr("Correct this record?"),
                               tr("A new draft with the same values is made; it replaces this "
                                  "record when you finalise it. This record stays as it was."),
                               tr("Make a correction"), tr("Cancel"))
        if question is Question.SAVE_WITH_WARNINGS:
            unusual = self.controller.warnings_to_confirm()
            return dialogs.ask(
                self, tr("Save these unusual answers?"),
                tr("Some answers are possible but unusual (marked in orange). Check them with "
                   "the respondent; if they are right, save them as they are."),
                tr("Save anyway"), tr("Check again"),
                details="\n".join(f"• {label(p.field, language())}: {pick(p.id, p.en)}"
                                   for p in unusual))
        if question is Question.DELETE:
            return dialogs.ask(self, tr("Delete this record?"),
                               tr("The record disappears from the lists on every laptop after the "
                                  "next sync."), tr("Delete"), tr("Keep it"))
        return dialogs.ask(self, tr("Leave without saving?"),
                           tr("Some fields still have problems, so the record cannot be saved. "
                              "What you typed is kept on this laptop and comes back when you open "
                              "this form again."), tr("Keep it and leave"), tr("Stay here"))

    def show_error(self, error: BaseException) -> None:
        dialogs.show_error(self, error)

    def show_photos(self, record_id: str, *, editable: bool) -> None:
        self.photos.show_for(record_id, editable=editable)

    def pick_photos(self) -> None:
        self.photos.pick_file()

    def focus(self, name: str) -> None:
        self.rows[name].editor.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def stops(self) -> list[QWidget]:
        """Where Enter can move the cursor, in the form's order: each
        field's editors (a health assessment has one per entry) that are
        shown and can be typed into now."""
        return [stop for row in self.rows.values() for stop in row.editor.stops()
                if stop.isVisibleTo(self) and stop.isEnabled()]

    def field_left(self, name: str) -> None:
        """The cursor left a field: the controller shows its problem now."""
        row = self.rows.get(name)
        now = QApplication.focusWidget()
        if row is not None and (now is None or not row.editor.widget.isAncestorOf(now)):
            self.controller.left(name)

    def focus_next_stop(self, current: QWidget) -> None:
        """The cursor moves from ``current`` to the next field; after the
        last field it stays where it is."""
        stops = self.stops()
        at = next((i for i, stop in enumerate(stops)
                   if stop is current or stop.isAncestorOf(current)), None)
        if at is not None and at + 1 < len(stops):
            stops[at + 1].setFocus(Qt.FocusReason.TabFocusReason)
            self.scroll.ensureWidgetVisible(stops[at + 1], 40, 60)  # the next question in view

    def make_timer(self, msecs: int, callback: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msecs)
        timer.timeout.connect(callback)
        return timer

    def records_changed(self, kind: str) -> None:
        self.ctx.changed(kind)

    def open_record(self, kind: str, record_id: str | None, initial: dict[str, Any]) -> None:
        self.open_other.emit(kind, record_id, initial)

    def _open_linked(self, link: str) -> None:
        """A warning's link to an existing record (a likely duplicate)."""
        kind, _, record_id = link.partition(":")
        self.open_record(kind, record_id, {})

    def go_back(self) -> None:
        self.closed.emit()

    def _banner(self, text: str, severity: str) -> None:
        self.banner.setText(text)
        self.banner.setProperty("severity", severity)
        _repolish(self.banner)
        self.banner.show()


def _repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _audit_pdf(store: Store, record_id: str, out: Path) -> int:
    """The audit report as it is stored now, laid out as a PDF; its page count."""
    return write_audit_pdf(audit_report(store, record_id), out)
