"""One editor per field kind, all with the same small interface.

``value()`` returns what the services accept (text as typed, a list of
codes, None for empty), ``set_value()`` takes a stored value, ``changed``
fires on every edit. The services coerce and check; an editor only makes
typing pleasant (dots in rupiah as you type, a calendar, check lists).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QGridLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QWidget,
)

from ..models.rules.health import ASPECTS
from ..services import formats
from ..services.choices import YES_NO, Choices
from ..services.fields import FieldSpec
from .i18n import language, pick

EMPTY_DATE = QDate(1900, 1, 1)


class Editor(QObject):
    changed = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only)


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


class MoneyEditor(Editor):
    """Rupiah with thousands dots added as the officer types: 1.250.000."""

    def __init__(self) -> None:
        edit = QLineEdit()
        edit.setValidator(QRegularExpressionValidator(r"[\d.]{0,22}"))
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setPlaceholderText("Rp")
        super().__init__(edit)
        edit.textEdited.connect(self._regroup)

    def _regroup(self, text: str) -> None:
        digits = text.replace(".", "")
        grouped = formats.number(int(digits)) if digits else ""
        if grouped != text:
            from_end = len(text) - self.widget.cursorPosition()
            self.widget.setText(grouped)
            self.widget.setCursorPosition(max(0, len(grouped) - from_end))
        self.changed.emit()

    def value(self) -> Any:
        digits = self.widget.text().replace(".", "")
        return digits or None

    def set_value(self, value: Any) -> None:
        self.widget.setText("" if value in (None, "") else formats.number(int(value)))

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


class YesNoEditor(ChoiceEditor):
    def __init__(self) -> None:
        super().__init__(YES_NO, with_empty=False)

    def value(self) -> Any:
        code = self.widget.currentData()
        return None if code in (None, "") else code == "1"

    def set_value(self, value: Any) -> None:
        self._select("" if value is None else ("1" if value else "0"))


class DateEditor(Editor):
    """A date with a calendar; the earliest date stands for 'not filled in'."""

    def __init__(self) -> None:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(EMPTY_DATE)
        edit.setSpecialValueText(" ")
        edit.setDate(EMPTY_DATE)
        super().__init__(edit)
        edit.dateChanged.connect(lambda _d: self.changed.emit())

    def value(self) -> Any:
        chosen = self.widget.date()
        return None if chosen == EMPTY_DATE else chosen.toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        self.widget.blockSignals(True)
        if isinstance(value, str) and value:
            value = date.fromisoformat(value)
        self.widget.setDate(QDate(value.year, value.month, value.day) if value else EMPTY_DATE)
        self.widget.blockSignals(False)


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


class AspectScoresEditor(Editor):
    """The seven health aspects of Perdep KUKM 06/2016: the assessor's score
    for each, next to its weight (the maximum)."""

    def __init__(self) -> None:
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        self.inputs: dict[str, QLineEdit] = {}
        for row, aspect in enumerate(ASPECTS):
            name = QLabel(pick(aspect.label_id, aspect.label_en))
            score = QLineEdit()
            score.setObjectName(f"aspect-{aspect.key}")
            score.setValidator(QRegularExpressionValidator(r"\d{0,2}([.,]\d{0,2})?"))
            score.setAlignment(Qt.AlignmentFlag.AlignRight)
            score.setMaximumWidth(90)
            weight = QLabel(f"/ {aspect.weight}")
            grid.addWidget(name, row, 0)
            grid.addWidget(score, row, 1)
            grid.addWidget(weight, row, 2)
            self.inputs[aspect.key] = score
        grid.setColumnStretch(0, 1)
        super().__init__(panel)
        for score in self.inputs.values():
            score.textEdited.connect(lambda _t: self.changed.emit())

    def value(self) -> Any:
        filled = {key: edit.text().replace(",", ".") for key, edit in self.inputs.items()
                  if edit.text().strip()}
        return filled or None

    def set_value(self, value: Any) -> None:
        scores = json.loads(value) if isinstance(value, str) and value else (value or {})
        for key, edit in self.inputs.items():
            shown = scores.get(key, "")
            edit.setText(str(shown).replace(".", ",") if language() == "id" else str(shown))

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.inputs.values():
            edit.setReadOnly(read_only)


def editor_for(spec: FieldSpec, choices: Choices, *, multiline: bool, coded: bool) -> Editor:
    """The editor a field gets, from its column kind and its role in the form."""
    if spec.name == "aspect_scores":
        return AspectScoresEditor()
    if spec.kind == "list":
        return CheckListEditor(choices.options(spec.name))
    if coded:
        return ChoiceEditor(choices.options(spec.name))
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
