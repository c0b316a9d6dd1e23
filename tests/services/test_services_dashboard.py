"""The dashboard's figures: only the office's record counts (finalised,
current), each business once by its newest survey, per regency or all
Lampung, and quick on a full laptop."""

from __future__ import annotations

from datetime import date
from typing import Any

from services_forms import (
    TODAY, all_aspects, applicant_form, audit_form, business_form, cooperative_form, survey_form,
    verification_form,
)
from test_services_home import explained

from desktop_app.services import demo, records
from desktop_app.services.context import Actor
from desktop_app.services.dashboard import dashboard, regencies
from desktop_app.store import Store


def final(store: Store, actor: Actor, kind: str, data: dict[str, Any]) -> str:
    record_id = records.save(store, actor, kind, data, today=TODAY).record["id"]
    records.finalise(store, actor, kind, record_id, today=TODAY)
    return record_id


def test_only_finalised_current_surveys_count(store: Store, actor: Actor, save: Any) -> None:
    """A draft does not count; a corrected survey counts once, by its correction once finalised."""
    siti = save("business", business_form()).record["id"]
    ratna = save("business", business_form(name="Keripik Ratna", owner_nik="1871015202880003")).record["id"]
    first = final(store, actor, "umkm_survey", survey_form(siti, digital_channels=[]))
    final(store, actor, "umkm_survey", survey_form(ratna, capital=2_000_000_000,
                                                   turnover_monthly=None))
    save("umkm_survey", survey_form(ratna))  # a draft

    figures = dashboard(store, "18.71", today=TODAY)
    assert figures.surveys_done == 2
    assert (figures.surveyed_businesses, figures.digital_businesses) == (2, 1)
    assert figures.digital_share == 0.5
    assert figures.size_classes == {"mikro": 1, "kecil": 1, "menengah": 0, "besar": 0}

    correction = records.supersede(store, actor, "umkm_survey", first,
                                   {"digital_channels": ["shopee"]}, today=TODAY).record["id"]
    assert dashboard(store, "18.71", today=TODAY).digital_businesses == 1  # the draft changes nothing yet
    records.finalise(store, actor, "umkm_survey", correction, today=TODAY)
    figures = dashboard(store, "18.71", today=TODAY)
    assert (figures.surveys_done, figures.digital_businesses) == (2, 2)


def test_a_business_surveyed_twice_is_classed_by_its_newest_survey(store: Store, actor: Actor,
                                                                  business_id: str) -> None:
    """Both surveys are surveys done (one per month); the business is one, of its newest size."""
    final(store, actor, "umkm_survey", survey_form(business_id, visit_date=date(2026, 9, 3)))
    final(store, actor, "umkm_survey", survey_form(business_id, capital=3_000_000_000,
                                                   turnover_monthly=None))
    figures = dashboard(store, "18.71", today=TODAY)
    assert figures.surveys_done == 2
    assert figures.surveyed_businesses == 1
    assert figures.size_classes["kecil"] == 1
    months = dict(figures.surveys_by_month)
    assert len(months) == 12 and min(months) == date(2025, 12, 1) and max(months) == date(2026, 11, 1)
    assert (months[date(2026, 9, 1)], months[date(2026, 11, 1)], months[date(2026, 10, 1)]) == (1, 1, 0)


def test_regency_scope_and_all_lampung(store: Store, actor: Actor, save: Any) -> None:
    """A Metro survey counts for Metro and all Lampung, not for Bandar Lampung."""
    metro = save("business", business_form(regency_code="18.72", district_code="18.72.01",
                                           owner_nik="1872011503850007")).record["id"]
    final(store, actor, "umkm_survey", survey_form(metro))
    assert dashboard(store, "18.71", today=TODAY).surveys_done == 0
    everywhere = dashboard(store, None, today=TODAY)
    assert everywhere.surveys_done == 1
    assert len(everywhere.surveys_by_regency) == 15
    assert [r.count for r in everywhere.surveys_by_regency if r.code == "18.72"] == [1]
    assert [r.name for r in dashboard(store, "18.72", today=TODAY).surveys_by_regency] == ["Kota Metro"]
    assert ("18.71", "Kota Bandar Lampung") in regencies(store)


def test_health_categories_and_verdicts(store: Store, actor: Actor, cooperative_id: str,
                                        applicant_id: str) -> None:
    """A fully scored audit is Sehat; a verification with every check met is eligible."""
    final(store, actor, "cooperative_audit", audit_form(cooperative_id, aspect_scores=all_aspects()))
    final(store, actor, "aid_verification", verification_form(applicant_id))
    figures = dashboard(store, None, today=TODAY)
    assert figures.health_categories["sehat"] == 1 and figures.audited_cooperatives == 1
    assert figures.verdicts == {"eligible": 1, "not_eligible": 0, "incomplete": 0}


def test_empty_store_has_no_share(store: Store) -> None:
    """With nothing surveyed the share is unknown, not zero."""
    figures = dashboard(store, "18.71", today=TODAY)
    assert figures.digital_share is None and figures.surveys_done == 0


def test_one_regency_reads_through_the_region_index(store: Store, actor: Actor) -> None:
    """For one regency, no visit table is read whole (the latest visit of each
    entity is numbered in a subquery, whose rows are scanned, not a table)."""
    demo.fill(store, actor, 300, today=TODAY)
    plans = explained(store, lambda: dashboard(store, "18.71", today=TODAY))
    tables = [p for p in plans if p.startswith("SCAN ") and p != "SCAN region"
              and not p.startswith(("SCAN (subquery", "SCAN anon_"))]
    assert tables == [], plans
    assert any(p.startswith("SEARCH umkm_survey USING INDEX ix_umkm_survey_region_status")
               for p in plans), plans
