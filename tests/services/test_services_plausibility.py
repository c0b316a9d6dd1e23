"""Impossible answers are errors, unlikely ones warnings that still save:
checked through the services the forms use, on a real store."""

from __future__ import annotations

from typing import Any

import pytest
from services_forms import audit_form, business_form, cooperative_form, survey_form

from desktop_app.models.rules.plausibility import audit_problems, survey_problems
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.errors import ValidationFailed
from desktop_app.store import Store


def rules(problems: list[Any]) -> set[tuple[str, str, str]]:
    return {(p.field, p.rule, p.severity) for p in problems}


@pytest.mark.parametrize(("values", "expected"), [
    ({"capital": 0, "turnover_monthly": 0}, ("capital", "plausible.all_zero", "warning")),
    ({"turnover_monthly": 15_000_000, "turnover_annual": 9_000_000},
     ("turnover_annual", "plausible.annual_below_month", "warning")),
    ({"capital_access": ["kur", "none"]}, ("capital_access", "contradiction.no_access", "error")),
    ({"exports": False, "export_destinations": "Malaysia"},
     ("export_destinations", "contradiction.no_exports", "error")),
    ({"workers_paid": 1, "workers_unpaid": 2, "workers_women": 4},
     ("workers_women", "amount.exceeds", "error")),
])
def test_survey_answers(values: dict[str, Any], expected: tuple[str, str, str]) -> None:
    assert expected in rules(survey_problems(values))


def test_women_count_against_paid_and_unpaid_workers_and_say_so() -> None:
    assert survey_problems({"workers_paid": 1, "workers_unpaid": 2, "workers_women": 3}) == []
    (found,) = survey_problems({"workers_paid": 1, "workers_unpaid": 2, "workers_women": 4})
    assert "dibayar dan tidak dibayar (3)" in found.id and "paid and unpaid" in found.en


def test_plausible_answers_raise_nothing() -> None:
    assert survey_problems({"capital": 50_000_000, "turnover_monthly": 15_000_000,
                            "turnover_annual": 180_000_000, "capital_access": ["kur"],
                            "exports": True, "export_destinations": "Malaysia"}) == []
    assert audit_problems({"assets": 1_500_000_000, "surplus": 50_000_000,
                           "business_volume": 900_000_000}) == []


@pytest.mark.parametrize(("values", "expected"), [
    ({"assets": 0}, ("assets", "plausible.no_assets", "warning")),
    ({"surplus": 90, "business_volume": 80}, ("surplus", "plausible.surplus_above_volume", "warning")),
])
def test_audit_answers(values: dict[str, Any], expected: tuple[str, str, str]) -> None:
    assert expected in rules(audit_problems(values))


def test_a_warning_saves_and_is_returned_an_error_does_not(store: Store, actor: Actor) -> None:
    business = records.save(store, actor, "business", business_form()).record["id"]
    saved = records.save(store, actor, "umkm_survey", survey_form(
        business, capital=0, turnover_monthly=0, turnover_annual=None))
    assert ("capital", "plausible.all_zero", "warning") in rules(saved.warnings)
    with pytest.raises(ValidationFailed) as refused:
        records.save(store, actor, "umkm_survey", survey_form(
            business, exports=False, export_destinations="Malaysia"))
    assert ("export_destinations", "contradiction.no_exports", "error") in rules(
        refused.value.problems)
    cooperative = records.save(store, actor, "cooperative", cooperative_form()).record["id"]
    audit = records.save(store, actor, "cooperative_audit", audit_form(cooperative, assets=0))
    assert ("assets", "plausible.no_assets", "warning") in rules(audit.warnings)
