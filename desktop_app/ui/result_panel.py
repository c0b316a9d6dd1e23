"""The result a visit record comes to, shown live beside its form: the size
class of a survey, the health score and category of an audit, the verdict
of a verification with its reason; and what still stops finalising."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout

from ..models.rules.problems import Problem
from ..services import formats
from ..services.choices import Choices
from .i18n import language, pick, tr


class ResultPanel(QGroupBox):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.setObjectName("resultPanel")
        titles = {"umkm_survey": tr("Size class (PP 7/2021)"),
                  "cooperative_audit": tr("Cooperative health (Perdep 06/2016)"),
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
            size = derived.get("size_class")
            self.headline.setText(choices.text("size_class", size, lang) if size else "—")
            self.detail.setText(tr("From capital (excluding land and buildings), or from annual "
                                   "sales when capital is not known.") if size else
                                tr("Fill in capital or turnover to see the size class."))
        elif self.kind == "cooperative_audit":
            score = derived.get("health_score")
            category = derived.get("health_category")
            if score is not None:
                self.headline.setText(tr("{score} of 100 — {category}").format(
                    score=formats.number(score, 2), category=choices.text("health_category", category, lang)))
                self.detail.setText(tr("The total of the seven aspect scores, each up to its weight."))
            else:
                self.headline.setText("—")
                self.detail.setText(tr("Score all seven aspects to see the health score and category."))
        elif self.kind == "aid_verification":
            verdict = derived.get("verdict")
            self.headline.setText(choices.text("verdict", verdict, lang) if verdict else "—")
            self.headline.setProperty("verdict", verdict or "")
            reason = pick(derived.get("verdict_reason", ""), derived.get("verdict_reason_en", ""))
            self.detail.setText(reason or derived.get("verdict_reason", ""))
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)
        if final_problems:
            lines = "\n".join("• " + pick(p.id, p.en) for p in final_problems)
            self.pending.setText(tr("Before finalising:") + "\n" + lines)
            self.pending.show()
        else:
            self.pending.hide()
        self._fit()

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
