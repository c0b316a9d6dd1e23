"""The form of one record: sections of fields, live checks, derived values,
photos, and the draft → finalised path.

Nothing typed is lost: a second after the officer stops typing, the form's
entries go to a local snapshot (services.snapshots), valid or not; an
existing draft is also saved as the record. A reopened form offers its
snapshot back. Every check and save runs on the DB lane; the GUI thread
only shows what comes back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QFileDialog, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from ..models import PARENT_FIELDS
from ..models.rules.problems import Problem
from ..services import formats, records, snapshots
from ..services.audit_report import audit_report
from ..services.choices import Choices
from ..services.errors import ValidationFailed
from ..services.kinds import kind_of
from ..services.labels import label
from . import dialogs
from .context import AppContext
from .editors import ChoiceEditor, Editor, editor_for
from .form_layouts import CODED, LAYOUTS, MULTILINE
from .i18n import language, pick, tr
from .photos import PhotoStrip
from .reports.audit_pdf import write_audit_pdf
from .result_panel import ResultPanel

CHECK_DELAY_MS = 250
SNAPSHOT_DELAY_MS = 1000
VISIT_OF = {"business": "umkm_survey", "cooperative": "cooperative_audit",
            "aid_applicant": "aid_verification"}


@dataclass(frozen=True)
class Loaded:
    """What the form needs to open, read in one go on the DB lane."""

    record: dict[str, Any] | None
    parent_title: str
    snapshot: snapshots.Snapshot | None
    superseded: bool


def load(ctx: AppContext, kind_name: str, record_id: str | None, parent_id: str | None,
         snapshot_key: str) -> Loaded:
    kind = kind_of(kind_name)
    record = records.get(ctx.store, kind_name, record_id) if record_id else None
    parent_title = ""
    if kind.is_visit:
        parent = (record or {}).get(kind.parent_field or "") or parent_id
        if parent:
            parent_kind = kind_of(kind.parent_kind or "")
            parent_title = records.get(ctx.store, parent_kind.name, parent)[parent_kind.title_field]
    superseded = bool(record_id and kind.is_visit and records.is_superseded(ctx.store, kind_name, record_id))
    return Loaded(record, parent_title, snapshots.find(ctx.store, snapshot_key), superseded)


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

    def show_problem(self, problem: Problem | None) -> None:
        if problem is None:
            self.message.hide()
            self.editor.widget.setProperty("problem", "")
        else:
            self.message.setText(pick(problem.id, problem.en))
            severity = "error" if problem.severity == "error" else "warning"
            self.message.setProperty("severity", severity)
            self.editor.widget.setProperty("problem", severity)
            self.message.show()
        for widget in (self.message, self.editor.widget):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class EnterAdvances(QObject):
    """Enter in a one-line field moves to the next field, as on paper forms."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and isinstance(watched, (QLineEdit, QComboBox, QAbstractSpinBox))):
            watched.nextInFocusChain().setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False


class RecordForm(QWidget):
    #: the officer left the form (back to the list)
    closed = Signal()
    #: another record should open in its place (kind, record id or None, initial values)
    open_other = Signal(str, object, object)

    def __init__(self, ctx: AppContext, kind: str, choices: Choices, record_id: str | None = None,
                 initial: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.choices = ctx, kind_of(kind), choices
        self.record_id = record_id
        self.initial = dict(initial or {})
        self.record: dict[str, Any] = {}
        self.draft_token = uuid.uuid4().hex
        self.rows: dict[str, FieldRow] = {}
        self.dirty = False
        self.loading = True
        self.read_only = False
        self.last_check: records.Checked | None = None
        self.enter_filter = EnterAdvances(self)
        self.check_timer = self._single_shot(CHECK_DELAY_MS, self._check)
        self.snapshot_timer = self._single_shot(SNAPSHOT_DELAY_MS, self._autosave)
        self._build()
        self._load()

    # --- building -------------------------------------------------------------------

    def _single_shot(self, msecs: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msecs)
        timer.timeout.connect(slot)
        return timer

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
        body = QHBoxLayout()
        body.setSpacing(12)
        scroll = QScrollArea()
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
        self.photos.location_found.connect(self._location_from_photo)
        self.photos.needs_saved_record.connect(self._save_for_photo)
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
        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        self.visit_button = self._button(self._visit_text(), self._start_visit)
        self.delete_button = self._button(tr("Delete"), self._delete)
        self.correct_button = self._button(tr("Correct…"), self._correct)
        self.save_button = self._button(tr("Save"), self.save)
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.finalise_button = self._button(tr("Finalise…"), self._finalise)
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
                continue
            spec = self.kind.specs[name]
            editor = editor_for(spec, self.choices, multiline=name in MULTILINE, coded=name in CODED)
            row = FieldRow(name, editor, spec.required)
            editor.widget.installEventFilter(self.enter_filter)
            editor.changed.connect(lambda n=name: self._edited(n))
            editor.widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            form.addRow(row.label, row.box)
            self.rows[name] = row
        return box

    # --- loading --------------------------------------------------------------------

    @property
    def snapshot_key(self) -> str:
        return snapshots.key_for(self.kind.name, self.record_id, self.draft_token)

    def _load(self) -> None:
        parent_id = self.initial.get(self.kind.parent_field or "")
        self.ctx.run(load, self.ctx, self.kind.name, self.record_id, parent_id, self.snapshot_key,
                     owner=self).success(self._loaded).failure(self._load_failed)

    def _load_failed(self, error: BaseException) -> None:
        dialogs.show_error(self, error)
        self.closed.emit()

    def _loaded(self, loaded: Loaded) -> None:
        self.record = loaded.record or {}
        values = {**self.record, **self.initial}
        if self.record_id is None and "visit_date" in self.rows and not values.get("visit_date"):
            values["visit_date"] = date.today()
        if self.record_id is None and self.ctx.actor.regency_code and "regency_code" in self.rows:
            values.setdefault("regency_code", self.ctx.actor.regency_code)
        for name, row in self.rows.items():
            if name in values:
                row.editor.set_value(values[name])
        self._districts_for(values.get("regency_code"))
        if "district_code" in values and "district_code" in self.rows:
            self.rows["district_code"].editor.set_value(values["district_code"])
        if hasattr(self, "parent_label"):
            self.parent_label.setText(loaded.parent_title)
        if loaded.snapshot is not None:
            for name, value in loaded.snapshot.values.items():
                if name in self.rows:
                    self.rows[name].editor.set_value(value)
            self.dirty = True
            self._say(tr("Recovered what was typed here on {when} and not saved. Check it and "
                         "save, or go back to discard it.")
                      .format(when=formats.local_time(loaded.snapshot.saved_at, language())), "info")
        self.read_only = (self.record.get("status") == "finalised")
        self._apply_state(loaded.superseded)
        self.loading = False
        if self.record_id:
            self.photos.show_for(self.record_id, editable=not self.read_only)
        self._check()
        first = next(iter(self.rows.values()), None)
        if first is not None and not self.read_only:
            first.editor.widget.setFocus()

    def _apply_state(self, superseded: bool = False) -> None:
        kind_label = pick(*self.kind.labels)
        name = self.record.get(self.kind.title_field) if not self.kind.is_visit else (
            self.parent_label.text() if hasattr(self, "parent_label") else "")
        self.title.setText(f"{kind_label}: {name}" if name else tr("New {kind}").format(kind=kind_label))
        self.title.setToolTip(self.title.text())
        status = self.record.get("status")
        self.status_chip.setVisible(bool(status))
        if status:
            self.status_chip.setText(self.choices.text("status", status, language()))
            self.status_chip.setProperty("status", status)
            self.status_chip.style().unpolish(self.status_chip)
            self.status_chip.style().polish(self.status_chip)
        for row in self.rows.values():
            row.editor.set_read_only(self.read_only)
        exists = self.record_id is not None
        self.save_button.setVisible(not self.read_only)
        self.finalise_button.setVisible(self.kind.is_visit and not self.read_only)
        self.correct_button.setVisible(self.kind.is_visit and self.read_only and not superseded)
        self.delete_button.setVisible(exists and not self.read_only)
        self.report_button.setVisible(exists and self.kind.name == "cooperative_audit")
        self.visit_button.setEnabled(exists)
        self.history_button.setEnabled(exists or self.kind.is_visit)
        if self.read_only:
            self._say(tr("Finalised on {when}: read only. A correction is made as a new record "
                         "that replaces this one (Correct…).")
                      .format(when=formats.local_time(self.record.get("finalised_at"), language()))
                      if not superseded else
                      tr("This record was replaced by a correction; it is kept as it was."), "info")

    # --- editing --------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form sends to the services: every editable field."""
        out = {name: row.editor.value() for name, row in self.rows.items()}
        if self.kind.is_visit and self.record_id is None:
            out[self.kind.parent_field or ""] = self.initial.get(self.kind.parent_field or "")
        return out

    def _edited(self, name: str) -> None:
        if self.loading or self.read_only:
            return
        self.dirty = True
        self.saved_note.setText(tr("Not saved yet"))
        if name == "regency_code":
            self._districts_for(self.rows[name].editor.value())
        if name in ("latitude", "longitude") and "location_source" in self.rows:
            self.rows["location_source"].editor.set_value("typed")
        self.check_timer.start()
        self.snapshot_timer.start()

    def _districts_for(self, regency: str | None) -> None:
        row = self.rows.get("district_code")
        if row is not None and isinstance(row.editor, ChoiceEditor):
            row.editor.set_options(self.choices.districts.get(regency or "", ()))

    def _check(self) -> None:
        self.ctx.run(records.check, self.ctx.store, self.kind.name, self.values(),
                     record_id=self.record_id, owner=self).success(self._checked)

    def _checked(self, checked: records.Checked) -> None:
        """Problems at their fields and the result beside the form; a
        finalised record only shows its result (it was checked when final)."""
        self.last_check = checked
        if not self.read_only:
            self.show_problems(checked.problems)
        self.result.show_result(checked.derived, [] if self.read_only else checked.final_problems,
                                self.choices)

    def show_problems(self, problems: list[Problem]) -> None:
        first: dict[str, Problem] = {}
        for problem in problems:
            if problem.field not in first or (problem.severity == "error"
                                               and first[problem.field].severity != "error"):
                first[problem.field] = problem
        for name, row in self.rows.items():
            row.show_problem(first.get(name))
        elsewhere = [p for f, p in first.items() if f not in self.rows]
        if elsewhere:
            self._say(" ".join(pick(p.id, p.en) for p in elsewhere), "error")

    # --- saving ---------------------------------------------------------------------

    def _autosave(self) -> None:
        """Keep what was typed: always as a snapshot; an existing draft also as
        the record itself when nothing is wrong with it."""
        if not self.dirty or self.read_only:
            return
        values = self.values()
        self.ctx.run(snapshots.keep, self.ctx.store, self.snapshot_key, self.kind.name,
                     self.record_id, self.ctx.actor.officer_id, values, owner=self)
        clean = self.last_check is not None and not self.last_check.errors
        if self.record_id is not None and clean:
            self.save(quiet=True)

    def save(self, quiet: bool = False, then: Callable[[], None] | None = None) -> None:
        if self.read_only:
            return
        self.check_timer.stop()
        self.snapshot_timer.stop()
        values = self.values()
        key = self.snapshot_key
        self.ctx.run(_save_and_forget, self.ctx, self.kind.name, values, self.record_id, key,
                     owner=self).success(lambda saved: self._saved(saved, quiet, then)).failure(
            lambda error: self._save_failed(error, quiet))

    def _saved(self, saved: records.Saved, quiet: bool, then: Callable[[], None] | None) -> None:
        created = self.record_id is None
        self.record = saved.record
        self.record_id = saved.record["id"]
        self.dirty = False
        self.saved_note.setText(tr("Saved {time}").format(
            time=formats.clock_time(saved.record.get("updated_at"), language())))
        if created:
            self.photos.show_for(self.record_id, editable=True)
            self._apply_state()
        if saved.warnings:
            self.show_problems(saved.warnings)
        elif not quiet:
            self.banner.hide()
        self.ctx.changed(self.kind.name)
        if then is not None:
            then()

    def _save_failed(self, error: BaseException, quiet: bool) -> None:
        if isinstance(error, ValidationFailed):
            self.show_problems(error.problems)
            if not quiet:
                self._say(tr("Not saved: correct the fields marked in red. What you typed is "
                             "kept on this laptop."), "error")
            return
        if not quiet:
            dialogs.show_error(self, error)

    def _save_for_photo(self) -> None:
        self.save(then=lambda: self.photos.pick_file())

    def _finalise(self) -> None:
        if self.last_check is not None and (self.last_check.errors or self.last_check.final_problems):
            self.show_problems(self.last_check.problems + self.last_check.final_problems)
            self._say(tr("This record cannot be finalised yet: complete the fields marked."), "error")
            return
        if not dialogs.ask(self, tr("Finalise this record?"),
                           tr("After finalising, this {kind} is read only: its fields, its "
                              "result and its photos can no longer be changed on any laptop. A "
                              "mistake found later is corrected with a new record that replaces "
                              "it, and both are kept.").format(kind=pick(*self.kind.labels).lower()),
                           tr("Finalise"), tr("Keep editing")):
            return
        self.save(then=self._do_finalise)

    def _do_finalise(self) -> None:
        self.ctx.run(records.finalise, self.ctx.store, self.ctx.actor, self.kind.name,
                     self.record_id, owner=self).success(self._finalised).failure(
            lambda error: self._save_failed(error, False))

    def _finalised(self, record: dict[str, Any]) -> None:
        self.record = record
        self.read_only = True
        self._apply_state()
        self.photos.show_for(self.record_id or "", editable=False)
        self.ctx.changed(self.kind.name)

    def _correct(self) -> None:
        if not dialogs.ask(self, tr("Correct this record?"),
                           tr("A new draft with the same values is made; it replaces this record "
                              "when you finalise it. This record stays as it was."),
                           tr("Make a correction"), tr("Cancel")):
            return
        self.ctx.run(records.supersede, self.ctx.store, self.ctx.actor, self.kind.name,
                     self.record_id, owner=self).success(
            lambda saved: (self.ctx.changed(self.kind.name),
                           self.open_other.emit(self.kind.name, saved.record["id"], {}))).failure(
            lambda error: dialogs.show_error(self, error))

    def _delete(self) -> None:
        if not dialogs.ask(self, tr("Delete this record?"),
                           tr("The record disappears from the lists on every laptop after the "
                              "next sync."), tr("Delete"), tr("Keep it")):
            return
        self.ctx.run(records.delete, self.ctx.store, self.ctx.actor, self.kind.name,
                     self.record_id, owner=self).success(
            lambda _none: (self.ctx.changed(self.kind.name), self._discard_and_close())).failure(
            lambda error: dialogs.show_error(self, error))

    # --- leaving --------------------------------------------------------------------

    def leave(self) -> None:
        """Back to the list: save a dirty form first; an invalid one asks."""
        if not self.dirty or self.read_only:
            self.closed.emit()
            return
        if self.last_check is not None and not self.last_check.errors:
            self.save(then=self.closed.emit)
            return
        if dialogs.ask(self, tr("Leave without saving?"),
                       tr("Some fields still have problems, so the record cannot be saved. What "
                          "you typed is kept on this laptop and comes back when you open this "
                          "form again."), tr("Keep it and leave"), tr("Stay here")):
            self._autosave_now()
            self.closed.emit()

    def _autosave_now(self) -> None:
        self.ctx.run(snapshots.keep, self.ctx.store, self.snapshot_key, self.kind.name,
                     self.record_id, self.ctx.actor.officer_id, self.values())

    def _discard_and_close(self) -> None:
        self.ctx.run(snapshots.discard, self.ctx.store, self.snapshot_key)
        self.dirty = False
        self.closed.emit()

    def can_leave(self) -> bool:
        """The window is closing: keep what was typed, never ask twice."""
        if self.dirty and not self.read_only:
            self._autosave_now()
        return True

    # --- other actions ----------------------------------------------------------------

    def _history(self) -> None:
        from .history import show_history

        if self.kind.is_visit:
            parent_id = self.record.get(self.kind.parent_field or "") or self.initial.get(
                self.kind.parent_field or "")
            show_history(self.ctx, self.kind.parent_kind or "", parent_id, self)
        elif self.record_id:
            show_history(self.ctx, self.kind.name, self.record_id, self)

    def choose_report_file(self) -> None:
        """Ask where the audit report goes (a PDF to leave with the cooperative)."""
        name = f"audit-{self.record_id[:8] if self.record_id else ''}-{date.today():%Y%m%d}.pdf"
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
        self.ctx.run(_audit_pdf, self.ctx, self.record_id, path, owner=self).success(
            lambda _pages: self._say(tr("Audit report written to {path}").format(path=path), "info")
        ).failure(lambda error: dialogs.show_error(self, error)).finally_(
            lambda: self.report_button.setEnabled(True))

    def _start_visit(self) -> None:
        visit = kind_of(VISIT_OF[self.kind.name])
        self.open_other.emit(visit.name, None, {visit.parent_field or "": self.record_id})

    def _location_from_photo(self, latitude: float, longitude: float) -> None:
        if "latitude" not in self.rows or self.read_only:
            return
        if self.rows["latitude"].editor.value() or self.rows["longitude"].editor.value():
            return  # a typed location is the officer's; the photo does not overwrite it
        self.rows["latitude"].editor.set_value(f"{latitude:.6f}")
        self.rows["longitude"].editor.set_value(f"{longitude:.6f}")
        self.rows["location_source"].editor.set_value("exif")
        self._edited("latitude_from_photo")

    def _say(self, text: str, severity: str) -> None:
        self.banner.setText(text)
        self.banner.setProperty("severity", severity)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()


def _audit_pdf(ctx: AppContext, record_id: str, out: Path) -> int:
    """The audit report as it is stored now, laid out as a PDF; its page count."""
    return write_audit_pdf(audit_report(ctx.store, record_id), out)


def _save_and_forget(ctx: AppContext, kind: str, values: dict[str, Any], record_id: str | None,
                     snapshot_key: str) -> records.Saved:
    """Save the record, then drop its snapshot (one DB-lane job, in order)."""
    saved = records.save(ctx.store, ctx.actor, kind, values, record_id=record_id)
    snapshots.discard(ctx.store, snapshot_key)
    return saved
