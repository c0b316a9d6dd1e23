"""The result a visit record comes to, shown live beside its form: the size
class of a survey with the figure that decided it, the health score and
category of an audit under its method, the verdict of a verification with
its reason, round and amount; and what still stops finalising."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout

from ..models.rules.health import ASPECT_SUM
from ..models.rules.problems import Problem
from ..services.choices import Choices
from .i18n import language, pick, tr
from . import numbers


class ResultPanel(QGroupBox):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.setObjectName("resultPanel")
        titles = {"umkm_survey": tr("Size class (PP 7/2021)"),
                  "cooperative_audit": tr("Cooperative health"),
                  "aid_verification": tr("Verification result")}
        self.setTitle(titles.get(kind, ""))
        if kind not in titles:
            self.hide()  # not setVisible(True): unparented yet, it would open as a window
        layout = QVBoxLayout(self)
        self.headline = QLabel("—")
        self.headline.setObjectName("resultHeadline")
        self.headline.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.pending = QLabel()
        self.pending.setObjectName("resultPending")
        self.pending.setWordWrap(True)
        for widget in (self.headline, self.detail, self.pending):
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            layout.addWidget(widget)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def show_result(self, derived: dict[str, Any], final_problems: list[Problem], choices: Choices) -> None:
        lang = language()
        if self.kind == "umkm_survey":
            self._size(derived, choices, lang)
        elif self.kind == "cooperative_audit":
            self._health(derived, choices, lang)
        elif self.kind == "aid_verification":
            verdict = derived.get("verdict")
            self.headline.setText(choices.text("verdict", verdict, lang) if verdict else "—")
            self.headline.setProperty("verdict", verdict or "")
            reason = pick(derived.get("verdict_reason", ""), derived.get("verdict_reason_en", ""))
            lines = [reason or derived.get("verdict_reason", "")]
            if derived.get("round_amount") is not None:
                lines.append(tr("Round: {round}, {amount} per recipient.").format(
                    round=pick(derived.get("round_name_id", ""), derived.get("round_name_en", "")),
                    amount=numbers.rupiah(derived["round_amount"])))
            self.detail.setText("\n".join(line for line in lines if line))
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)
        if final_problems:
            lines = "\n".join("• " + pick(p.id, p.en) for p in final_problems)
            self.pending.setText(tr("Before finalising:") + "\n" + lines)
            self.pending.show()
        else:
            self.pending.hide()
        self._fit()

    def _size(self, derived: dict[str, Any], choices: Choices, lang: str) -> None:
        """The class, and which figure decided it (PP 7/2021 Art. 35)."""
        size = derived.get("size_class")
        self.headline.setText(choices.text("size_class", size, lang) if size else "—")
        basis = derived.get("size_class_basis")
        if not size:
            self.detail.setText(tr("Fill in annual sales, monthly turnover or capital to see the "
                                   "size class."))
            return
        text = tr("Basis: {basis}.").format(basis=choices.text("size_class_basis", basis, lang))
        if basis == "annual_sales_estimated":
            text += " " + tr("An estimate: fill in the annual sales when the owner knows them.")
        elif basis == "capital":
            text += " " + tr("No sales figure was given; an operating business is classed by "
                             "its annual sales when they are known.")
        self.detail.setText(text)

    def _health(self, derived: dict[str, Any], choices: Choices, lang: str) -> None:
        """Score and category under the audit's method, out of the method's maximum."""
        method = choices.health_methods.get(derived.get("health_method") or "")
        name = pick(method.name_id, method.name_en) if method else ""
        score = derived.get("health_score")
        if score is None or method is None:
            self.headline.setText("—")
            self.detail.setText(tr("{method}: fill in every entry to see the health score and "
                                   "category.").format(method=name) if name else "")
            return
        category = choices.text("health_category", derived.get("health_category"), lang)
        top = numbers.number(float(method.score_range[1]), 0)
        self.headline.setText(tr("{score} of {top} — {category}").format(
            score=numbers.number(score, 2), top=top, category=category))
        how = (tr("The total of the aspect scores, each up to its weight.")
               if method.scoring == ASPECT_SUM else
               tr("Each indicator's compliance ratio scores 1-4; the aspects' mean scores are "
                  "weighed into one score of 1-4."))
        note = "" if method.confirmed else " " + tr("Weights and bands are the province's "
                                                   "reference data, not yet confirmed from the "
                                                   "regulation's text.")
        self.detail.setText(f"{name}. {how}{note}")

    def _fit(self) -> None:
        """Word-wrapped labels in a fixed-width side column: Qt's layouts do
        not ask them how tall they get at that width, so say it here."""
        layout = self.layout()
        if layout is None or not hasattr(self, "pending"):
            return
        margins = layout.contentsMargins()
        width = max(160, self.contentsRect().width() - margins.left() - margins.right())
        for label in (self.headline, self.detail, self.pending):
            label.ensurePolished()  # the style sheet's font first, or the height is a line short
            shown = label.width() if label.width() > 50 else width  # the width it really has
            label.setMinimumHeight(label.heightForWidth(min(shown, width)) if label.text() else 0)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()
