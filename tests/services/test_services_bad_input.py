"""Bad input writes nothing: every refused save names the field and the rule,
says so in Indonesian and English without repeating the NIK, and leaves every
synced table and the change log as they were."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from services_forms import (
    NIK_RAHMAT, NIK_SITI, TODAY, applicant_form, audit_form, business_form, cooperative_form,
    survey_form, verification_form,
)

from desktop_app.models import uuid7
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.errors import ValidationFailed
from desktop_app.store import Store

Counts = Callable[[], dict[str, int]]
DROP = object()  # the form leaves this field out
MISSING = "<an id that was never saved>"
TOMBSTONED = "<the id of a deleted entity>"
TOMORROW = TODAY + timedelta(days=1)
PARENT = {"umkm_survey": ("business", "business_id"),
          "cooperative_audit": ("cooperative", "cooperative_id"),
          "aid_verification": ("aid_applicant", "applicant_id")}

BAD_INPUTS = [
    # kind, overrides, field, rule
    ("business", {"name": DROP}, "name", "field.required"),
    ("business", {"owner_nik": DROP}, "owner_nik", "field.required"),
    ("business", {"name": "Toko " + "x" * 200}, "name", "field.too_long"),
    ("business", {"favourite_colour": "biru"}, "favourite_colour", "field.unknown"),
    ("business", {"regency_code": "18.99", "district_code": None}, "regency_code", "code.unknown"),
    ("business", {"district_code": "18.72.01"}, "district_code", "region.district_outside"),
    ("business", {"owner_nik": "187101410190001"}, "owner_nik", "nik.length"),
    ("business", {"owner_nik": "1871014113900001"}, "owner_nik", "nik.birth_date"),
    ("business", {"owner_nik": "1871014101900000"}, "owner_nik", "nik.serial"),
    ("business", {"owner_nik": "18710141019000o1"}, "owner_nik", "nik.digits"),
    ("business", {"nib": "123456789012"}, "nib", "nib.length"),
    ("business", {"year_started": "abc"}, "year_started", "field.type"),
    ("business", {"kbli_section": "Z"}, "kbli_section", "code.unknown"),
    ("business", {"phone": "telp 0812"}, "phone", "phone.format"),
    ("cooperative", {"cooperative_type": DROP}, "cooperative_type", "field.required"),
    ("cooperative", {"cooperative_type": "arisan"}, "cooperative_type", "code.unknown"),
    ("cooperative", {"members_male": -5}, "members_male", "field.range"),
    ("cooperative", {"members_female": "banyak"}, "members_female", "field.type"),
    ("cooperative", {"legal_entity_date": TOMORROW}, "legal_entity_date", "date.future"),
    ("cooperative", {"legal_entity_date": datetime(2001, 5, 2, tzinfo=timezone.utc)},
     "legal_entity_date", "field.type"),
    ("cooperative", {"is_active": "mungkin"}, "is_active", "field.type"),
    ("aid_applicant", {"nik": "187101150385007"}, "nik", "nik.length"),
    ("aid_applicant", {"nik": "1871011513850007"}, "nik", "nik.birth_date"),
    ("aid_applicant", {"aid_round": DROP}, "aid_round", "field.required"),
    ("aid_applicant", {"district_code": "18.01.04"}, "district_code", "region.district_outside"),
    ("umkm_survey", {"capital": "abc"}, "capital", "field.type"),
    ("umkm_survey", {"capital": -1}, "capital", "field.range"),
    ("umkm_survey", {"capital": "-1.000"}, "capital", "field.range"),
    ("umkm_survey", {"turnover_monthly": 1500000.5}, "turnover_monthly", "field.type"),
    ("umkm_survey", {"visit_date": TOMORROW}, "visit_date", "date.future"),
    ("umkm_survey", {"visit_date": "kemarin"}, "visit_date", "field.type"),
    ("umkm_survey", {"visit_date": DROP}, "visit_date", "field.required"),
    ("umkm_survey", {"latitude": -6.2, "longitude": 106.8}, "latitude",
     "location.outside_lampung"),  # Jakarta
    ("umkm_survey", {"latitude": 5.38, "longitude": 105.26}, "latitude",
     "location.outside_lampung"),  # minus sign forgotten
    ("umkm_survey", {"longitude": None}, "longitude", "location.incomplete"),
    ("umkm_survey", {"workers_women": 4}, "workers_women", "amount.exceeds"),
    ("umkm_survey", {"digital_channels": ["shopee", "friendster"]}, "digital_channels",
     "code.unknown"),
    ("umkm_survey", {"digital_channels": "shopee"}, "digital_channels", "field.type"),
    ("umkm_survey", {"online_sales_share": 120}, "online_sales_share", "percent.range"),
    ("umkm_survey", {"pandemic_impact": "parah"}, "pandemic_impact", "choice.unknown"),
    ("umkm_survey", {"business_id": DROP}, "business_id", "field.required"),
    ("umkm_survey", {"business_id": MISSING}, "business_id", "parent.missing"),
    ("umkm_survey", {"business_id": TOMBSTONED}, "business_id", "parent.missing"),
    ("umkm_survey", {"status": "finalised", "size_class": "mikro"}, "size_class", "field.unknown"),
    ("cooperative_audit", {"loans_overdue": 1_300_000_000}, "loans_overdue", "amount.exceeds"),
    ("cooperative_audit", {"rat_date": None}, "rat_date", "rat.date_missing"),
    ("cooperative_audit", {"rat_date": TOMORROW}, "rat_date", "date.future"),
    ("cooperative_audit", {"own_capital": "Rp 1,5 M"}, "own_capital", "field.type"),
    ("cooperative_audit", {"aspect_scores": {"permodalan": 16}}, "aspect_scores",
     "health.aspect_range"),
    ("cooperative_audit", {"aspect_scores": {"likuidity": 5}}, "aspect_scores",
     "health.aspect_unknown"),
    ("cooperative_audit", {"aspect_scores": {"permodalan": "baik"}}, "aspect_scores",
     "health.aspect_format"),
    ("cooperative_audit", {"aspect_scores": "12.5"}, "aspect_scores", "health.aspect_format"),
    ("cooperative_audit", {"aspect_scores": "[15, 25]"}, "aspect_scores", "health.aspect_format"),
    ("cooperative_audit", {"aspect_scores": {"permodalan": "NaN"}}, "aspect_scores",
     "health.aspect_format"),
    ("cooperative_audit", {"aspect_scores": {"likuiditas": float("nan")}}, "aspect_scores",
     "health.aspect_format"),
    ("cooperative_audit", {"cooperative_id": MISSING}, "cooperative_id", "parent.missing"),
    ("cooperative_audit", {"cooperative_id": TOMBSTONED}, "cooperative_id", "parent.missing"),
    ("aid_verification", {"check_valid_nik": "maybe"}, "check_valid_nik", "choice.unknown"),
    ("aid_verification", {"check_no_bank_credit": "ya"}, "check_no_bank_credit",
     "choice.unknown"),
    ("aid_verification", {"location_source": "gps"}, "location_source", "choice.unknown"),
    ("aid_verification", {"visit_date": date(1999, 12, 31)}, "visit_date", "date.too_early"),
    ("aid_verification", {"applicant_id": MISSING}, "applicant_id", "parent.missing"),
    ("aid_verification", {"applicant_id": TOMBSTONED}, "applicant_id", "parent.missing"),
]

_ENTITY_FORMS = {"business": business_form, "cooperative": cooperative_form,
                 "aid_applicant": applicant_form}
_VISIT_FORMS = {"umkm_survey": survey_form, "cooperative_audit": audit_form,
                "aid_verification": verification_form}


@pytest.fixture
def form_for(store: Store, actor: Actor) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    """A valid form of the kind with the overrides applied; a visit's entity is saved first."""

    def entity(kind: str, **fields: Any) -> str:
        return records.save(store, actor, kind, _ENTITY_FORMS[kind](**fields), today=TODAY).record["id"]

    def build(kind: str, overrides: dict[str, Any]) -> dict[str, Any]:
        if kind in _ENTITY_FORMS:
            form = _ENTITY_FORMS[kind]()
        else:
            parent_kind, parent_field = PARENT[kind]
            form = _VISIT_FORMS[kind](entity(parent_kind))
            if overrides.get(parent_field) == TOMBSTONED:
                gone = entity(parent_kind, village="Rajabasa")
                records.delete(store, actor, parent_kind, gone)
                overrides = {**overrides, parent_field: gone}
            elif overrides.get(parent_field) == MISSING:
                overrides = {**overrides, parent_field: uuid7()}
        form.update(overrides)
        return {k: v for k, v in form.items() if v is not DROP}

    return build


@pytest.mark.parametrize(("kind", "overrides", "field", "rule"), BAD_INPUTS,
                         ids=[f"{k}-{r}-{f}" for k, _, f, r in BAD_INPUTS])
def test_bad_input_is_refused_and_writes_nothing(
        store: Store, actor: Actor, counts: Counts, form_for: Callable[..., dict[str, Any]],
        kind: str, overrides: dict[str, Any], field: str, rule: str) -> None:
    """The officer gets the fault at the right field, in both languages, and nothing is saved."""
    form = form_for(kind, overrides)
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        records.save(store, actor, kind, form, today=TODAY)
    assert counts() == before
    problems = refused.value.for_field(field)
    assert rule in [p.rule for p in problems], refused.value.problems
    assert all(p.severity == "error" for p in refused.value.problems)
    for problem in problems:
        assert problem.id.strip() and problem.en.strip() and problem.id != problem.en
    said = " ".join([refused.value.message_id, refused.value.message_en]
                    + [p.id + p.en for p in refused.value.problems])
    for nik in {NIK_SITI, NIK_RAHMAT, form.get("owner_nik"), form.get("nik")} - {None}:
        assert nik not in said


def test_bad_update_keeps_the_stored_business(store: Store, actor: Actor, counts: Counts,
                                              business_id: str) -> None:
    """A wrong NIK typed while editing is refused; the stored record is untouched."""
    stored = records.get(store, "business", business_id)
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        records.save(store, actor, "business", {"owner_nik": "1871014101900000", "name": "Baru"},
                     record_id=business_id, today=TODAY)
    assert [p.rule for p in refused.value.problems] == ["nik.serial"]
    assert counts() == before
    assert records.get(store, "business", business_id) == stored


def test_clearing_a_required_field_on_update_is_refused(store: Store, actor: Actor, counts: Counts,
                                                        business_id: str) -> None:
    """Emptying the business name while editing is refused at 'name'."""
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        records.save(store, actor, "business", {"name": None}, record_id=business_id, today=TODAY)
    assert [p.rule for p in refused.value.for_field("name")] == ["field.required"]
    assert counts() == before


def test_save_batch_is_all_or_nothing(store: Store, actor: Actor, counts: Counts) -> None:
    """An import of three businesses with one bad NIK saves none of them."""
    items = [(business_form(name="Keripik Pisang Ratna"), False),
             (business_form(name="Kain Tapis Dewi"), False),
             (business_form(name="Gula Aren Rina", owner_nik="1871014101900000"), False)]
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        records.save_batch(store, actor, "business", items, today=TODAY)
    assert [p.field for p in refused.value.problems] == ["owner_nik"]
    assert counts() == before


def test_save_batch_refuses_a_visit_that_cannot_be_finalised(
        store: Store, actor: Actor, counts: Counts, business_id: str) -> None:
    """One survey asked to be finalised without capital or sales sinks the whole batch."""
    items = [(survey_form(business_id), True),
             (survey_form(business_id, capital=None, turnover_monthly=None), True)]
    before = counts()
    with pytest.raises(ValidationFailed):
        records.save_batch(store, actor, "umkm_survey", items, today=TODAY)
    assert counts() == before


def test_save_batch_saves_and_finalises_good_items(store: Store, actor: Actor, counts: Counts,
                                                   business_id: str) -> None:
    """A clean batch saves every item, finalising those asked."""
    items = [(survey_form(business_id), True), (survey_form(business_id), False)]
    saved = records.save_batch(store, actor, "umkm_survey", items, today=TODAY)
    assert [s["status"] for s in saved] == ["finalised", "draft"]
    assert counts()["umkm_survey"] == 2


def test_emptied_optional_numbers_store_their_default_not_null(store, actor) -> None:  # type: ignore[no-untyped-def]
    """A form sends '' for a count the officer cleared; the column cannot be
    NULL, so the save must store the default instead of failing in SQLite."""
    from services_forms import business_form, survey_form

    from desktop_app.services import records

    business = records.save(store, actor, "business", business_form()).record["id"]
    survey = records.save(store, actor, "umkm_survey", survey_form(business, workers_paid="3")).record
    again = records.save(store, actor, "umkm_survey", {"workers_paid": "", "workers_unpaid": "",
                                                       "workers_women": "", "exports": None},
                         record_id=survey["id"]).record
    assert again["workers_paid"] == 0 and again["exports"] is False
