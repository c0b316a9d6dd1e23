"""One editor per field kind, all with the same small interface.

``value()`` returns what the services accept (text as typed, a list of
codes, None for empty), ``set_value()`` takes a stored value, ``changed``
fires on every edit. The services coerce and check; an editor only makes
typing pleasant (dots in rupiah as you type, a calendar, check lists).
An editor whose choices depend on another field (the districts of the
regency, the villages of the district, the entries of the health method)
is told that field's value through ``follow()``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget, QComboBox, QCompleter, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QToolButton, QWidget,
)

from ..models.rules.health import ASPECT_SUM, HealthMethod
from ..services.choices import YES_NO, Choices
from ..services.fields import FieldSpec
from .i18n import language, pick, tr
from . import numbers

EMPTY_DATE = QDate(1900, 1, 1)


class Editor(QObject):
    changed = Signal()
    #: a key the field does not take was typed (a letter in a rupiah amount):
    #: the form says so at the field, instead of dropping it silently
    refused = Signal(str)

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only)

    def follow(self, value: Any) -> None:
        """The field this one depends on is now ``value`` (see form_layouts.FOLLOWS)."""

    def stops(self) -> list[QWidget]:
        """The widgets the cursor stops at in this field (Enter moves between them)."""
        return [self.widget]

    def set_key_filter(self, key_filter: QObject, field: str) -> None:
        """The form's Enter handling (and its notice that the field was
        left), on every widget of this field that receives keys (an editable
        list's text box, a date's text)."""
        self._key_filter, self._field = key_filter, field
        for stop in self.stops():
            for widget in (stop, *stop.findChildren(QWidget)):
                widget.setProperty("tapisField", field)
                widget.installEventFilter(key_filter)


class TextEditor(Editor):
    def __init__(self, max_length: int | None = None) -> None:
        edit = QLineEdit()
        if max_length:
            edit.setMaxLength(max_length + 1)  # one over, so the rule's message can say so
        super().__init__(edit)
        edit.textEdited.connect(self.changed)

    def value(self) -> Any:
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)


class NumberEditor(TextEditor):
    """Whole numbers; digits only, so a stray letter never reaches the rules."""

    def __init__(self, decimals: bool = False) -> None:
        super().__init__()
        pattern = r"-?\d{0,3}([.,]\d{0,8})?" if decimals else r"\d{0,9}"
        self.widget.setValidator(QRegularExpressionValidator(pattern))
        self.widget.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.widget.inputRejected.connect(lambda: self.refused.emit(
            tr("Only a number goes here (digits{point}); what was just typed was not taken.")
            .format(point=tr(", a comma for decimals") if decimals else "")))


class MoneyEditor(Editor):
    """Rupiah with thousands separators added as the officer types: 1.250.000
    (in English 1,250,000)."""

    def __init__(self) -> None:
        edit = QLineEdit()
        edit.setValidator(QRegularExpressionValidator(r"[\d.,]{0,22}"))
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setPlaceholderText("Rp")
        super().__init__(edit)
        edit.textEdited.connect(self._regroup)
        edit.inputRejected.connect(lambda: self.refused.emit(
            tr("A rupiah amount is digits only (the dots come by themselves); the letter or sign "
               "just typed was not taken.")))

    def _regroup(self, text: str) -> None:
        digits = re.sub(r"\D", "", text)  # rupiah are whole: '.' and ',' only group
        grouped = numbers.number(int(digits)) if digits else ""
        if grouped != text:
            from_end = len(text) - self.widget.cursorPosition()
            self.widget.setText(grouped)
            self.widget.setCursorPosition(max(0, len(grouped) - from_end))
        self.changed.emit()

    def value(self) -> Any:
        digits = re.sub(r"\D", "", self.widget.text())
        return digits or None

    def set_value(self, value: Any) -> None:
        self.widget.setText("" if value in (None, "") else numbers.number(int(value)))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)


class MultiLineEditor(Editor):
    def __init__(self) -> None:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        super().__init__(edit)
        edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        return self.widget.toPlainText()

    def set_value(self, value: Any) -> None:
        self.widget.setPlainText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)


class ChoiceEditor(Editor):
    """A code from a list; the first entry means 'none chosen' unless the
    list has its own empty entry."""

    def __init__(self, options: tuple[tuple[str, str, str], ...], *, with_empty: bool = True) -> None:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(18)
        super().__init__(combo)
        self.set_options(options, with_empty=with_empty)
        combo.activated.connect(lambda _i: self.changed.emit())

    def set_options(self, options: tuple[tuple[str, str, str], ...], *, with_empty: bool = True) -> None:
        combo: QComboBox = self.widget
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if with_empty and not any(code == "" for code, _, _ in options):
            combo.addItem("—", "")
        for code, name_id, name_en in options:
            shown = pick(name_id, name_en)
            combo.addItem(shown if code in ("", shown) or len(code) > 6 else f"{shown}", code)
        self._select(current)
        combo.blockSignals(False)

    def _select(self, code: Any) -> None:
        combo: QComboBox = self.widget
        at = combo.findData("" if code is None else str(code))
        combo.setCurrentIndex(max(at, 0))

    def value(self) -> Any:
        return self.widget.currentData() or ""

    def set_value(self, value: Any) -> None:
        self._select(value)


class FollowingChoiceEditor(ChoiceEditor):
    """A code from the options within another field's value: the districts
    of the chosen regency, the villages of the chosen district."""

    def __init__(self, field: str, choices: Choices) -> None:
        self.field, self.choices = field, choices
        super().__init__(())

    def follow(self, value: Any) -> None:
        self.set_options(self.choices.options_within(self.field, value or None))


class SearchableChoiceEditor(FollowingChoiceEditor):
    """A long list (a district's villages) the officer narrows by typing any
    part of the name; the choice is still a code from the list. Typed text
    that names no entry is sent as it is, so the rules say it is not on the
    list and nothing typed is lost."""

    def __init__(self, field: str, choices: Choices) -> None:
        super().__init__(field, choices)
        combo: QComboBox = self.widget
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.setCompleter(completer)
        completer.activated[str].connect(self._picked)
        combo.lineEdit().textEdited.connect(lambda _t: self.changed.emit())

    def set_options(self, options: tuple[tuple[str, str, str], ...], *, with_empty: bool = True) -> None:
        super().set_options(options, with_empty=with_empty)
        combo: QComboBox = self.widget
        if combo.count() and combo.itemData(0) == "":
            combo.setItemText(0, "")  # an empty field to type into, not a '—' to type after
            if combo.currentIndex() == 0:
                combo.setEditText("")

    def _picked(self, text: str) -> None:
        combo: QComboBox = self.widget
        combo.setCurrentIndex(max(combo.findText(text), 0))
        self.changed.emit()

    def value(self) -> Any:
        combo: QComboBox = self.widget
        typed = combo.currentText().strip()
        if not typed:
            return ""
        at = combo.findText(typed, Qt.MatchFlag.MatchFixedString)  # case-insensitive whole name
        return combo.itemData(at) if at >= 0 else typed

    def set_value(self, value: Any) -> None:
        self._select(value)
        self.widget.lineEdit().setPlaceholderText("")

    def set_placeholder(self, text: str) -> None:
        """A hint in the empty field: the name typed before the list existed."""
        self.widget.lineEdit().setPlaceholderText(text)

    def set_read_only(self, read_only: bool) -> None:
        self.widget.lineEdit().setReadOnly(read_only)
        self.widget.setEnabled(not read_only)


class YesNoEditor(ChoiceEditor):
    def __init__(self) -> None:
        super().__init__(YES_NO, with_empty=False)

    def value(self) -> Any:
        code = self.widget.currentData()
        return None if code in (None, "") else code == "1"

    def set_value(self, value: Any) -> None:
        self._select("" if value is None else ("1" if value else "0"))


class DateEditor(Editor):
    """A date typed as a person types it: the digits 15032027 become
    15/03/2027 as they are typed (the slashes come by themselves), or
    15/3/2027 with one's own slashes; empty is empty. It is one text box, so
    Ctrl+A, Backspace and Tab behave as in any other field (Tab leaves the
    date, it does not step through day, month and year). The calendar
    (the button, F4 or Alt+Down) opens at the date shown, or today.

    A text that is no date is sent as typed, so the rules name the field and
    nothing typed is lost."""

    def __init__(self) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setObjectName("dateText")
        self.edit.setPlaceholderText(tr("DD/MM/YYYY"))
        self.edit.setValidator(QRegularExpressionValidator(r"[0-9/.\-]{0,10}"))
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        self.button = QToolButton()
        self.button.setObjectName("calendarButton")
        self.button.setText("▾")
        self.button.setToolTip(tr("Choose on a calendar (F4)"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the next field
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addStretch(1)
        box.setFocusProxy(self.edit)
        super().__init__(box)
        self.calendar: QCalendarWidget | None = None
        self.edit.textEdited.connect(self._typed)
        self.edit.inputRejected.connect(lambda: self.refused.emit(
            tr("A date is typed as digits: 15032027 or 15/03/2027.")))
        self.edit.installEventFilter(self)
        self.button.clicked.connect(self.open_calendar)

    def stops(self) -> list[QWidget]:
        return [self.edit]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and (event.key() == Qt.Key.Key_F4
                     or (event.key() == Qt.Key.Key_Down
                         and event.modifiers() & Qt.KeyboardModifier.AltModifier))):
            self.open_calendar()
            return True
        return False

    def _typed(self, text: str) -> None:
        """Digits typed without slashes get them: 1503 -> 15/03, 15032027 -> 15/03/2027."""
        digits = text.replace("/", "")
        slashes = [i for i, c in enumerate(text) if c == "/"]
        if digits.isdigit() and slashes in ([], [2], [2, 5]):
            digits = digits[:8]
            shaped = digits[:2] + ("/" + digits[2:4] if len(digits) > 2 else "") + (
                "/" + digits[4:] if len(digits) > 4 else "")
            if shaped != text:
                at_end = self.edit.cursorPosition() >= len(text)
                self.edit.setText(shaped)
                if at_end:
                    self.edit.setCursorPosition(len(shaped))
        self.changed.emit()

    def open_calendar(self) -> None:
        if not self.edit.isEnabled() or self.edit.isReadOnly():
            return
        calendar = QCalendarWidget(self.widget)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setObjectName("datePopup")
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        shown = parse_date(self.edit.text()) or date.today()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.activated.connect(lambda chosen: self._chosen(calendar, chosen))
        calendar.clicked.connect(lambda chosen: self._chosen(calendar, chosen))
        calendar.move(self.widget.mapToGlobal(self.widget.rect().bottomLeft()))
        self.calendar = calendar
        calendar.show()
        calendar.setFocus()

    def _chosen(self, calendar: QCalendarWidget, chosen: QDate) -> None:
        self.edit.setText(chosen.toString("dd/MM/yyyy"))
        calendar.close()
        self.calendar = None
        self.edit.setFocus()
        self.changed.emit()

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return None
        parsed = parse_date(text)
        return parsed.isoformat() if parsed is not None else text

    def set_value(self, value: Any) -> None:
        if isinstance(value, str) and value:
            value = date.fromisoformat(value)
        self.edit.setText(f"{value:%d/%m/%Y}" if value else "")

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)


_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_date(text: str) -> date | None:
    """A date as officers write it: 15/03/2027, 15-3-2027, 15.03.2027,
    15032027, or 2027-03-15; None for anything else (31/02 included)."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{8}", text):
            return date(int(text[4:]), int(text[2:4]), int(text[:2]))
        found = _DATE.match(text)
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None
    return None


class CheckListEditor(Editor):
    """Several codes from a list (digital channels, payment methods...)."""

    def __init__(self, options: tuple[tuple[str, str, str], ...]) -> None:
        box = QListWidget()
        for code, name_id, name_en in options:
            item = QListWidgetItem(pick(name_id, name_en))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            box.addItem(item)
        rows = min(max(len(options), 2), 6)
        box.setFixedHeight(box.sizeHintForRow(0) * rows + 8 if options else 40)
        super().__init__(box)
        box.itemChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> Any:
        box: QListWidget = self.widget
        return sorted(box.item(i).data(Qt.ItemDataRole.UserRole) for i in range(box.count())
                      if box.item(i).checkState() == Qt.CheckState.Checked)

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        box: QListWidget = self.widget
        box.blockSignals(True)
        for i in range(box.count()):
            item = box.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen
                               else Qt.CheckState.Unchecked)
        box.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        box: QListWidget = self.widget
        for i in range(box.count()):
            item = box.item(i)
            flags = item.flags()
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled if read_only else flags | Qt.ItemFlag.ItemIsEnabled)


class HealthEntriesEditor(Editor):
    """The assessor's entries under the audit's health method: for Perdep
    06/2016 a score per aspect next to its weight (the maximum); for
    Permenkop 9/2020 a compliance ratio (%) per indicator, grouped by aspect,
    with the 1-4 score it earns shown as it is typed. The rows follow the
    method chosen; entries of another method are kept while the form is
    open, so switching back loses nothing."""

    def __init__(self, methods: dict[str, HealthMethod]) -> None:
        panel = QWidget()
        self.grid = QGridLayout(panel)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setColumnStretch(0, 1)
        self.methods = methods
        self.method: HealthMethod | None = None
        self.inputs: dict[str, QLineEdit] = {}
        self.scores: dict[str, QLabel] = {}
        self._kept: dict[str, str] = {}
        self._read_only = False
        super().__init__(panel)

    def follow(self, value: Any) -> None:
        method = self.methods.get(value or "")
        if method is self.method:
            return
        self._kept.update(self._typed())
        self.method = method
        self._build()
        self.changed.emit()

    def _build(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.inputs, self.scores = {}, {}
        if self.method is None:
            return
        if self.method.scoring == ASPECT_SUM:
            for row, aspect in enumerate(self.method.aspects):
                self._entry_row(row, aspect.key, pick(aspect.label_id, aspect.label_en),
                                f"/ {_plain(aspect.weight)}", r"\d{0,2}([.,]\d{0,2})?")
            return
        row = 0
        for aspect in self.method.aspects:
            header = QLabel(f"<b>{pick(aspect.label_id, aspect.label_en)}</b> "
                            + tr("(weight {weight})").format(weight=_plain(aspect.weight)))
            self.grid.addWidget(header, row, 0, 1, 3)
            row += 1
            for indicator in (i for i in self.method.indicators if i.aspect == aspect.key):
                self._entry_row(row, indicator.key, pick(indicator.label_id, indicator.label_en),
                                "%", r"\d{0,3}([.,]\d{0,2})?")
                score = QLabel()
                score.setObjectName(f"indicator-score-{indicator.key}")
                self.grid.addWidget(score, row, 3)
                self.scores[indicator.key] = score
                row += 1
        self._show_scores()

    def _entry_row(self, row: int, key: str, name: str, unit: str, pattern: str) -> None:
        edit = QLineEdit()
        edit.setObjectName(f"aspect-{key}")
        edit.setValidator(QRegularExpressionValidator(pattern))
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setMaximumWidth(90)
        edit.setReadOnly(self._read_only)
        shown = self._kept.get(key, "")
        edit.setText(shown.replace(".", ",") if language() == "id" else shown)
        edit.textEdited.connect(lambda _t: (self._show_scores(), self.changed.emit()))
        self.grid.addWidget(QLabel(name), row, 0)
        self.grid.addWidget(edit, row, 1)
        self.grid.addWidget(QLabel(unit), row, 2)
        self.inputs[key] = edit
        key_filter = getattr(self, "_key_filter", None)
        if key_filter is not None:
            edit.setProperty("tapisField", self._field)
            edit.installEventFilter(key_filter)

    def stops(self) -> list[QWidget]:
        return list(self.inputs.values())

    def _show_scores(self) -> None:
        """Each indicator's 1-4 score beside its ratio, from the method's bands."""
        if self.method is None:
            return
        for key, label in self.scores.items():
            try:
                score = self.method.indicator_score(float(self.inputs[key].text().replace(",", ".")))
                label.setText(tr("score {score}").format(score=score))
            except ValueError:
                label.setText("")

    def _typed(self) -> dict[str, str]:
        return {key: edit.text().replace(",", ".") for key, edit in self.inputs.items()
                if edit.text().strip()}

    def value(self) -> Any:
        return self._typed() or None

    def set_value(self, value: Any) -> None:
        entries = json.loads(value) if isinstance(value, str) and value else (value or {})
        self._kept = {str(k): str(v) for k, v in entries.items()}
        for key, edit in self.inputs.items():
            shown = self._kept.get(key, "")
            edit.setText(shown.replace(".", ",") if language() == "id" else shown)
        self._show_scores()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for edit in self.inputs.values():
            edit.setReadOnly(read_only)


def _plain(value: Any) -> str:
    """A weight as the office writes it: 15, 2,5."""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",") if language() == "id" else text


def editor_for(spec: FieldSpec, choices: Choices, *, multiline: bool, coded: bool,
               follows: bool = False, searchable: bool = False,
               with_empty: bool = True) -> Editor:
    """The editor a field gets, from its column kind and its role in the form."""
    if spec.name == "aspect_scores":
        return HealthEntriesEditor(choices.health_methods)
    if spec.kind == "list":
        return CheckListEditor(choices.options(spec.name))
    if searchable:
        return SearchableChoiceEditor(spec.name, choices)
    if follows:
        return FollowingChoiceEditor(spec.name, choices)
    if coded:
        return ChoiceEditor(choices.options(spec.name), with_empty=with_empty)
    if spec.kind == "money":
        return MoneyEditor()
    if spec.kind == "int":
        return NumberEditor()
    if spec.kind == "float":
        return NumberEditor(decimals=True)
    if spec.kind == "bool":
        return YesNoEditor()
    if spec.kind == "date":
        return DateEditor()
    if multiline:
        return MultiLineEditor()
    return TextEditor(spec.max_length)
