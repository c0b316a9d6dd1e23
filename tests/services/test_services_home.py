"""The home screen's read: what waits for the officer this morning, theirs
only, and fast enough to refresh after every save."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from services_forms import (
    OFFICER, TODAY, all_aspects, applicant_form, audit_form, business_form, cooperative_form, survey_form,
    verification_form,
)
from sqlalchemy import event

from desktop_app.services import demo, records
from desktop_app.services.context import Actor
from desktop_app.services.home import home_summary
from desktop_app.store import Store
from desktop_app.store.local_tables import FormSnapshot, SyncHistory

OTHER = "0190a1b2-0000-7000-8000-0000000000b2"


def other(store: Store) -> Actor:
    return Actor(officer_id=OTHER, device_id=store.device_id)


def test_drafts_are_the_officers_own_newest_first(store: Store, actor: Actor, save: Any,
                                                  business_id: str) -> None:
    """Two of my drafts show, newest visit first; my finalised survey and a colleague's draft do not."""
    older = save("umkm_survey", survey_form(business_id, visit_date=date(2026, 11, 1))).record["id"]
    newer = save("umkm_survey", survey_form(business_id, visit_date=date(2026, 11, 21))).record["id"]
    final = save("umkm_survey", survey_form(business_id)).record["id"]
    records.finalise(store, actor, "umkm_survey", final, today=TODAY)
    records.save(store, other(store), "umkm_survey", survey_form(business_id), today=TODAY)

    summary = home_summary(store, OFFICER, "18.71", today=TODAY)

    drafts = summary.drafts["umkm_survey"]
    assert drafts.total == 2
    assert [d.record_id for d in drafts.first] == [newer, older]
    assert drafts.first[0].title == "Kopi Robusta Siti"
    assert drafts.first[0].place == "Kedaton, Kota Bandar Lampung"
    assert drafts.first[0].day == date(2026, 11, 21)
    assert summary.drafts["cooperative_audit"].total == 0
    assert summary.draft_total == 2


def test_assigned_applicant_waits_until_a_verification_is_started(store: Store, save: Any) -> None:
    """An applicant sent down to me shows until I start verifying; one sent to a colleague never does."""
    mine = save("aid_applicant", applicant_form(assigned_officer_id=OFFICER)).record["id"]
    save("aid_applicant", applicant_form(full_name="Dewi Lestari", nik="1871014101900001",
                                         assigned_officer_id=OTHER))
    waiting = home_summary(store, OFFICER, "18.71", today=TODAY).assigned_applicants
    assert waiting.total == 1
    assert [(w.kind, w.record_id, w.title) for w in waiting.first] == [("aid_applicant", mine,
                                                                        "Rahmat Hidayat")]

    save("aid_verification", verification_form(mine))
    assert home_summary(store, OFFICER, "18.71", today=TODAY).assigned_applicants.total == 0


def test_cooperatives_due_for_audit_in_my_regency(store: Store, actor: Actor, save: Any) -> None:
    """Never-audited first, then audited last year; audited this year or elsewhere not at all."""
    never = save("cooperative", cooperative_form(name="KSP Never")).record["id"]
    last_year = save("cooperative", cooperative_form(name="KSP Last Year")).record["id"]
    done = save("cooperative", cooperative_form(name="KSP Done")).record["id"]
    save("cooperative", cooperative_form(name="KSP Metro", regency_code="18.72",
                                         district_code="18.72.01"))
    old = save("cooperative_audit", audit_form(last_year, visit_date=date(2025, 6, 2),
                                                aspect_scores=all_aspects())).record["id"]
    records.finalise(store, actor, "cooperative_audit", old, today=TODAY)
    save("cooperative_audit", audit_form(done))

    due = home_summary(store, OFFICER, "18.71", today=TODAY).audits_due
    assert due.total == 2
    assert [(w.record_id, w.day) for w in due.first] == [(never, None), (last_year, date(2025, 6, 2))]
    assert home_summary(store, OFFICER, None, today=TODAY).audits_due.total == 3  # the province


def test_changes_not_yet_sent_and_parked(store: Store, save: Any, shell: Any) -> None:
    """Every save waits in the change log until pushed; a refused change is counted apart."""
    business = save("business", business_form()).record["id"]
    save("business", {"phone": "0811111111"}, record_id=business)
    save("cooperative", cooperative_form())
    summary = home_summary(store, OFFICER, "18.71", today=TODAY)
    assert (summary.pending_changes, summary.parked_changes) == (3, 0)

    shell.execute("UPDATE change_log SET push_state = 'parked' WHERE table_name = 'cooperative'")
    summary = home_summary(store, OFFICER, "18.71", today=TODAY)
    assert (summary.pending_changes, summary.parked_changes) == (2, 1)


def test_last_successful_sync_and_last_attempt(store: Store) -> None:
    """The home page says when a sync last worked, even when the latest attempt failed."""
    assert home_summary(store, OFFICER, "18.71", today=TODAY).last_success is None
    t0 = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
    with store.write() as session:
        session.add(SyncHistory(started_at=t0, finished_at=t0 + timedelta(minutes=1), ok=1,
                                pushed=12, pulled=30))
        session.add(SyncHistory(started_at=t0 + timedelta(hours=5), finished_at=t0 + timedelta(hours=5),
                                ok=0, message="no connection"))
    summary = home_summary(store, OFFICER, "18.71", today=TODAY)
    assert summary.last_success is not None
    assert (summary.last_success.finished_at, summary.last_success.pushed) == (t0 + timedelta(minutes=1), 12)
    assert summary.last_attempt is not None and not summary.last_attempt.ok


def test_recovered_forms_are_mine_and_named_without_nik(store: Store, business_id: str) -> None:
    """A survey form a crash interrupted is named by its business; a colleague's snapshot is not mine."""
    now = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
    with store.write() as session:
        session.add(FormSnapshot(key="umkm_survey:new:1", kind="umkm_survey", officer_id=OFFICER,
                                 values=f'{{"business_id": "{business_id}"}}', saved_at=now))
        session.add(FormSnapshot(key="business:new:2", kind="business", officer_id=OFFICER,
                                 values='{"name": "Gula Aren Ratna", "owner_nik": "1871014101900001"}',
                                 saved_at=now - timedelta(hours=1)))
        session.add(FormSnapshot(key="business:new:3", kind="business", officer_id=OTHER,
                                 values='{"name": "Not mine"}', saved_at=now))
    recovered = home_summary(store, OFFICER, "18.71", today=TODAY).recovered
    assert [(r.key, r.title) for r in recovered] == [("umkm_survey:new:1", "Kopi Robusta Siti"),
                                                    ("business:new:2", "Gula Aren Ratna")]


def test_every_query_uses_an_index_on_the_big_tables(store: Store, actor: Actor) -> None:
    """For a regency's officer no query of the home summary reads a whole table row by row.
    (The provincial admin's 'cooperatives due' reads them all: that is the question.)"""
    regency = "18.71"
    demo.fill(store, actor, 300, today=TODAY)
    plans = explained(store, lambda: home_summary(store, actor.officer_id, regency, today=TODAY))
    small = ("SCAN region", "SCAN form_snapshot", "SCAN sync_history")
    scans = [line for line in plans if line.startswith("SCAN ") and not line.startswith(small)]
    assert scans == [], plans


def explained(store: Store, call: Any) -> list[str]:
    """EXPLAIN QUERY PLAN of every SELECT that ``call`` runs."""
    seen: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", grab)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", grab)
    with store.raw() as connection:
        return [row[3] for statement, params in seen
                for row in connection.execute("EXPLAIN QUERY PLAN " + statement, params)]
