"""An entity's story: every visit with its correction chain, and what
changed, by whom and when, old value to new, NIKs masked."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from services_forms import NIK_SITI, OFFICER, TODAY, all_aspects, audit_form, survey_form

from desktop_app.models.types import utc_now
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.history import entity_history, hlc_time
from desktop_app.store import Store
from desktop_app.store.local_tables import OfficerAccount


def test_visits_newest_first_with_the_correction_chain(store: Store, actor: Actor, save: Any,
                                                       business_id: str) -> None:
    """A corrected survey points to its correction and back; the draft shows as a draft."""
    first = save("umkm_survey", survey_form(business_id, visit_date=date(2026, 10, 1))).record["id"]
    records.finalise(store, actor, "umkm_survey", first, today=TODAY)
    fix = records.supersede(store, actor, "umkm_survey", first, {"visit_date": date(2026, 10, 2)},
                            today=TODAY).record["id"]

    history = entity_history(store, "business", business_id)

    assert history.title == "Kopi Robusta Siti"
    assert [(v.record_id, v.status_text) for v in history.visits] == [(fix, "Draf"), (first, "Final")]
    assert history.visits[0].supersedes_id == first and history.visits[1].superseded_by == fix
    assert history.visits[1].result_text == "Usaha Mikro"
    assert entity_history(store, "business", business_id, language="en").visits[1].status_text == "Finalised"


def test_an_update_shows_old_and_new_with_labels(store: Store, save: Any, business_id: str) -> None:
    """Changing the phone shows 'Nomor telepon: 081234567890 → 0811111111' by the officer who did it."""
    with store.write() as session:
        session.add(OfficerAccount(officer_id=OFFICER, username="petugas", full_name="Andi Saputra",
                                   role="officer", regency_code="18.71", pin_hash="x", server_url="u"))
    save("business", {"phone": "0811111111", "year_started": 2019}, record_id=business_id)
    newest = entity_history(store, "business", business_id).changes[0]
    assert newest.op == "update" and newest.officer_name == "Andi Saputra"
    shown = {c.label: (c.old, c.new) for c in newest.changes}
    assert shown == {"Nomor telepon": ("081234567890", "0811111111"), "Tahun mulai usaha": ("—", "2019")}
    assert abs((newest.when - utc_now()).total_seconds()) < 60


def test_nik_is_masked_in_every_change(store: Store, save: Any, business_id: str) -> None:
    """The owner's NIK appears only masked, on creation and when corrected."""
    save("business", {"owner_nik": "1871011503850007"}, record_id=business_id)
    history = entity_history(store, "business", business_id)
    text = repr(history)
    assert NIK_SITI not in text and "1871011503850007" not in text
    nik = [c for line in history.changes for c in line.changes if c.field == "owner_nik"]
    assert [(c.old, c.new) for c in nik] == [(None, "1871********0001"),
                                             ("1871********0001", "1871********0007")][::-1]


def test_visit_changes_are_formatted_for_people(store: Store, actor: Actor, save: Any,
                                                cooperative_id: str) -> None:
    """An audit's money, dates, yes/no and health category read as the office writes them."""
    audit = save("cooperative_audit", audit_form(cooperative_id, aspect_scores=all_aspects())).record["id"]
    records.finalise(store, actor, "cooperative_audit", audit, today=TODAY)
    history = entity_history(store, "cooperative", cooperative_id)
    created = next(c for c in history.changes if c.kind == "cooperative_audit" and c.op == "insert")
    shown = {c.field: c.new for c in created.changes}
    assert shown["own_capital"] == "Rp 800.000.000"
    assert shown["rat_date"] == "14 Maret 2026"
    assert shown["rat_held"] == "Ya"
    assert shown["health_category"] == "Sehat"
    assert "Permodalan 15,00" in shown["aspect_scores"]
    finalised = history.changes[0]
    assert [(c.field, c.old, c.new) for c in finalised.changes] == [("status", "Draf", "Final")]
    assert history.visits[0].result_text == "Sehat (100,00)"
    english = entity_history(store, "cooperative", cooperative_id, language="en")
    created = next(c for c in english.changes if c.kind == "cooperative_audit" and c.op == "insert")
    shown = {c.field: c.new for c in created.changes}
    assert shown["own_capital"] == "Rp 800,000,000"  # English separators throughout
    assert "15.00" in shown["aspect_scores"] and english.visits[0].result_text.endswith("(100.00)")


def test_a_deleted_draft_visit_shows_as_deleted(store: Store, actor: Actor, save: Any,
                                                business_id: str) -> None:
    """Deleting a draft survey is a line of its own; the visit list no longer holds it."""
    draft = save("umkm_survey", survey_form(business_id)).record["id"]
    records.delete(store, actor, "umkm_survey", draft)
    history = entity_history(store, "business", business_id)
    assert history.visits == ()
    assert [c.op for c in history.changes if c.row_id == draft] == ["delete", "insert"]


def test_visits_are_refused(store: Store) -> None:
    """History is asked of an entity, not of a visit."""
    with pytest.raises(ValueError):
        entity_history(store, "umkm_survey", "x")


def test_hlc_time_reads_the_millisecond_part() -> None:
    """A clock stamp's upper bits are the wall clock in milliseconds."""
    moment = datetime(2026, 11, 23, 7, 30, tzinfo=timezone.utc)
    assert hlc_time((int(moment.timestamp() * 1000) << 16) + 5) == moment
