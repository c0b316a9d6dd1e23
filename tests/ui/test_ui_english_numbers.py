"""Issue 16 item 14: in English the screens write numbers the English way
(1,200,000, not 1.200.000), in Indonesian the Indonesian way; the verdict
says ASN as the checklist does; the checklist is answered Ya / Tidak like
the form's other yes-no questions."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.models.rules.eligibility import CheckItem, eligibility_verdict
from desktop_app.services import labels
from desktop_app.ui import i18n
from desktop_app.ui.editors import MoneyEditor
from tests.ui.test_ui_verification_form import open_verification


@pytest.mark.parametrize(("code", "shown", "stored"), [("en", "1,200,000", "2,500,000"),
                                                      ("id", "1.200.000", "2.500.000")])
def test_a_money_field_groups_in_the_screens_language(qtbot, indonesian, code, shown, stored) -> None:  # type: ignore[no-untyped-def]
    i18n.install(code)
    editor = MoneyEditor()
    qtbot.addWidget(editor.widget)
    editor.widget.show()
    editor.widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.widget)
    qtbot.keyClicks(QApplication.focusWidget(), "1200000")
    assert editor.widget.text() == shown
    assert editor.value() == "1200000"
    editor.set_value(2_500_000)
    assert editor.widget.text() == stored


def test_the_verdict_says_asn_as_the_checklist_does() -> None:
    failed = eligibility_verdict({item: ("not_met" if item is CheckItem.NOT_CIVIL_SERVANT else "met")
                                  for item in CheckItem})
    assert "ASN" in failed.reason_id and "PNS" not in failed.reason_id
    assert "ASN" in labels.label("check_not_civil_servant", "id")


def test_the_checklist_is_answered_ya_or_tidak(qtbot, ctx, indonesian) -> None:  # type: ignore[no-untyped-def]
    form = open_verification(qtbot, ctx)
    check = form.rows["check_not_civil_servant"].editor.widget
    yes_no = form.rows["business_exists"].editor.widget
    answers = {check.itemText(i) for i in range(check.count())}
    assert {"Ya", "Tidak"} <= answers and not any("emenuhi" in a for a in answers)
    assert {"Ya", "Tidak"} <= {yes_no.itemText(i) for i in range(yes_no.count())}
