"""The form's logic without its widgets: the controller with a fake view, a
real store and a worker lane the test drains. What opens, what an edit
implies, when a check and an autosave happen, what saving, finalising,
correcting and leaving do."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_app.models import LocationSource, VisitStatus
from desktop_app.services import records, snapshots
from desktop_app.services.context import Actor
from desktop_app.services.errors import InvalidState, NotFound
from desktop_app.store import Store, open_store
from desktop_app.ui.form_controller import (
    AUTOSAVE_DELAY_MS, CHECK_DELAY_MS, FormController, Notice, Question,
)
from tests.services.services_forms import (
    applicant_form, business_form, cooperative_form, survey_form,
)
from tests.support.form_view import FakeView, Lane

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def actor(store: Store) -> Actor:
    return Actor(officer_id=OFFICER, device_id=store.device_id, regency_code="18.71")


class Form:
    """A form opened on the store: its controller, its fake view, its lane."""

    def __init__(self, store: Store, actor: Actor, kind: str, record_id: str | None = None,
                 answer: bool = True, **initial: Any) -> None:
        self.store, self.view, self.lane = store, FakeView(kind, answer), Lane()
        self.controller = FormController(self.view, kind, store=store, actor=actor,
                                         run=self.lane.run, record_id=record_id, initial=initial)
        self.view.controller = self.controller
        self.controller.open()
        self.lane.drain()

    def type(self, name: str, value: Any) -> None:
        self.view.type(name, value)

    def pause(self) -> None:
        """Typing stops: the check and the autosave run, their results come back."""
        self.view.pause()
        self.lane.drain()

    def check_only(self) -> None:
        """A short pause: the live check runs, the autosave is still due."""
        next(t for t in self.view.timers if t.msecs == CHECK_DELAY_MS).fire()
        self.lane.drain()

    def do(self, action: str) -> None:
        getattr(self.controller, action)()
        self.lane.drain()


def a_business(store: Store, actor: Actor, **overrides: Any) -> str:
    return records.save(store, actor, "business", business_form(**overrides)).record["id"]


def a_draft_survey(store: Store, actor: Actor, **overrides: Any) -> str:
    form = survey_form(a_business(store, actor), visit_date=date.today(), **overrides)
    return records.save(store, actor, "umkm_survey", form).record["id"]


def test_a_new_visit_opens_for_its_entity_with_todays_date(store, actor) -> None:
    """The visited business is named, the visit date is today, the cursor is in the first field."""
    business_id = a_business(store, actor)
    form = Form(store, actor, "umkm_survey", business_id=business_id)
    view = form.view
    assert not form.controller.loading and not form.controller.dirty
    assert view.parent_title == "Kopi Robusta Siti"
    assert view.values["visit_date"] == date.today()
    assert view.focused == view.names[0]
    assert view.state is not None and view.state.name == "Kopi Robusta Siti"
    assert view.state.can_save and view.state.can_finalise
    assert not view.state.can_delete and not view.state.can_correct and not view.state.can_report
    assert view.photos == []  # a photo needs a saved record
    assert view.result is not None  # the first check ran on opening
    assert form.controller.values()["business_id"] == business_id


def test_a_new_entity_starts_in_the_officers_regency(store, actor) -> None:
    """A new business is in the officer's regency, with that regency's districts offered."""
    form = Form(store, actor, "business")
    assert form.view.values["regency_code"] == "18.71"
    assert form.view.districts_for[-1] == "18.71"
    assert form.view.state is not None and form.view.state.name == ""


def test_typing_marks_the_form_and_schedules_a_check_and_an_autosave(store, actor) -> None:
    """Each edit: 'not saved', the check 250 ms and the autosave a second after typing stops."""
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    assert sorted(t.msecs for t in form.view.timers) == sorted([CHECK_DELAY_MS, AUTOSAVE_DELAY_MS])
    assert not form.view.scheduled
    form.type("online_sales_share", 140)
    assert form.controller.dirty and form.view.saved_note == "not saved"
    assert all(timer.active for timer in form.view.timers)
    form.pause()
    problem = form.view.problems["online_sales_share"]
    assert problem is not None and problem.severity == "error"
    form.type("online_sales_share", 40)
    form.type("capital", 45_000_000)
    form.pause()
    assert form.view.problems["online_sales_share"] is None
    assert form.view.result is not None and form.view.result[0]["size_class"] == "mikro"


def test_edits_while_opening_or_on_a_finalised_record_change_nothing(store, actor) -> None:
    """An editor echo during loading, or any edit on a frozen record, is not an edit."""
    draft = a_draft_survey(store, actor)
    records.finalise(store, actor, "umkm_survey", draft)
    form = Form(store, actor, "umkm_survey", record_id=draft)
    assert form.controller.read_only and form.view.notice is Notice.FINALISED
    form.type("needs", "Oven baru")
    assert not form.controller.dirty and not form.view.scheduled
    assert form.view.focused is None  # nothing to type in


def test_typing_a_position_marks_it_typed_and_a_photo_fills_only_an_empty_one(store, actor) -> None:
    """A typed latitude is the officer's; a photo's GPS fills the location only while it is empty."""
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    form.controller.location_from_photo(-5.4, 105.3)
    assert form.view.values["latitude"] == "-5.400000"
    assert form.view.values["location_source"] == LocationSource.EXIF
    assert form.controller.dirty and form.view.scheduled
    form.type("latitude", "-5.39")
    assert form.view.values["location_source"] == LocationSource.TYPED
    form.controller.location_from_photo(-6.2, 106.8)
    assert form.view.values["latitude"] == "-5.39"  # kept


def test_a_new_form_is_autosaved_as_a_snapshot(store, actor) -> None:
    """A half-typed new survey, valid or not, is kept as a snapshot, never as a record."""
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    form.type("online_sales_share", 250)  # breaks a rule: cannot be a record
    form.type("needs", "Modal untuk oven")
    form.pause()
    [kept] = snapshots.of_officer(store, OFFICER)
    assert kept.values["needs"] == "Modal untuk oven" and kept.record_id is None
    assert form.controller.record_id is None and form.controller.dirty
    form.type("online_sales_share", 25)  # now valid: a new form still waits for Save
    form.pause()
    assert form.controller.record_id is None
    assert snapshots.of_officer(store, OFFICER)[0].values["online_sales_share"] == 25


def test_an_existing_clean_draft_is_autosaved_as_the_record(store, actor) -> None:
    """Nothing wrong with it: the autosave writes the draft itself, quietly, and drops the snapshot."""
    draft = a_draft_survey(store, actor)
    form = Form(store, actor, "umkm_survey", record_id=draft)
    form.type("needs", "Etalase")
    form.pause()
    assert records.get(store, "umkm_survey", draft)["needs"] == "Etalase"
    assert not form.controller.dirty and form.view.saved_note.startswith("saved")
    assert snapshots.of_officer(store, OFFICER) == []
    assert form.view.changed == ["umkm_survey"]
    assert form.lane.ran.count("keep_form") == 1  # one job, one unit of work


def test_a_draft_with_a_broken_rule_is_kept_aside_and_offered_back(store, actor) -> None:
    """Entries that break a rule are kept as a snapshot, the record stays as it was, and the
    next opening of the record offers them back."""
    draft = a_draft_survey(store, actor)
    form = Form(store, actor, "umkm_survey", record_id=draft)
    form.type("online_sales_share", 250)
    form.type("needs", "Modal untuk oven")
    form.pause()
    assert records.get(store, "umkm_survey", draft)["online_sales_share"] == 0
    [kept] = snapshots.of_officer(store, OFFICER)
    assert kept.record_id == draft and kept.values["online_sales_share"] == 250
    assert form.controller.dirty and form.view.problems["online_sales_share"] is not None

    again = Form(store, actor, "umkm_survey", record_id=draft)
    assert again.view.values["needs"] == "Modal untuk oven"
    assert again.controller.dirty and again.view.notice is Notice.RECOVERED


def test_saving_a_new_record_makes_it_and_offers_what_a_saved_record_has(store, actor) -> None:
    """Saved: photos can be added, it can be deleted, the lists refresh."""
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    form.type("capital", 45_000_000)
    form.do("save")
    record_id = form.controller.record_id
    assert record_id is not None and records.get(store, "umkm_survey", record_id)["capital"] == 45_000_000
    assert not form.controller.dirty and not form.view.scheduled
    assert form.view.photos == [(record_id, True)]
    assert form.view.state is not None and form.view.state.can_delete
    assert form.view.changed == ["umkm_survey"]


def test_a_refused_save_names_the_fields_and_writes_nothing(store, actor) -> None:
    """Rules broken: the fields are marked, the banner says so, no record is made."""
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    form.type("online_sales_share", 140)
    form.do("save")
    assert form.controller.record_id is None
    assert form.view.problems["online_sales_share"] is not None
    assert form.view.notice is Notice.NOT_SAVED
    assert form.controller.dirty


def test_a_photo_on_a_new_record_saves_it_first(store, actor) -> None:
    """'Add photo' on an unsaved form: the record is saved, then the file is asked for."""
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    form.do("save_for_photo")
    assert form.controller.record_id is not None and form.view.photo_picks == 1


def test_finalising_waits_until_nothing_stops_it(store, actor) -> None:
    """No size basis: not finalised and no question asked; then asked, declined, asked, done."""
    draft = a_draft_survey(store, actor, capital=None, turnover_monthly=None)
    form = Form(store, actor, "umkm_survey", record_id=draft)
    form.do("finalise")
    assert form.view.questions == [] and form.view.notice is Notice.NOT_FINAL_YET
    assert form.view.problems["turnover_annual"] is not None  # the figure that decides first

    form.type("capital", 45_000_000)
    form.pause()
    form.view.answer = False
    form.do("finalise")
    assert form.view.questions == [Question.FINALISE] and not form.controller.read_only

    form.view.answer = True
    form.do("finalise")
    assert form.controller.read_only
    stored = records.get(store, "umkm_survey", draft)
    assert stored["status"] == VisitStatus.FINALISED and stored["capital"] == 45_000_000
    assert form.view.notice is Notice.FINALISED
    assert form.view.state is not None and form.view.state.can_correct
    assert not form.view.state.can_save and not form.view.state.can_delete
    assert form.view.photos[-1] == (draft, False)


def test_a_correction_opens_in_place_and_the_replaced_record_says_so(store, actor) -> None:
    """Correct…: a new draft opens in the form's place; the old one reads 'replaced', no second correction."""
    draft = a_draft_survey(store, actor)
    records.finalise(store, actor, "umkm_survey", draft)
    form = Form(store, actor, "umkm_survey", record_id=draft)
    form.do("correct")
    [(kind, correction, _initial)] = form.view.opened
    assert kind == "umkm_survey" and correction != draft
    assert records.get(store, "umkm_survey", correction)["supersedes_id"] == draft

    old = Form(store, actor, "umkm_survey", record_id=draft)
    assert old.view.notice is Notice.SUPERSEDED
    assert old.view.state is not None and not old.view.state.can_correct


def test_leaving_saves_a_clean_form_and_asks_about_a_broken_one(store, actor) -> None:
    """Clean: saved, then back. Broken: asked; 'stay' stays; 'leave' keeps the entries aside."""
    draft = a_draft_survey(store, actor)
    form = Form(store, actor, "umkm_survey", record_id=draft)
    form.do("leave")
    assert form.view.went_back == 1 and form.lane.ran == ["open_form", "check"]  # nothing to save

    form.type("needs", "Etalase kaca")
    form.check_only()
    form.do("leave")
    assert form.view.went_back == 2 and form.view.questions == []
    assert records.get(store, "umkm_survey", draft)["needs"] == "Etalase kaca"
    assert not form.view.scheduled  # the save stopped the autosave that was due

    form.type("online_sales_share", 250)
    form.pause()
    form.type("online_sales_share", 251)
    form.view.answer = False
    form.do("leave")
    assert form.view.questions == [Question.LEAVE_UNSAVED] and form.view.went_back == 2
    form.view.answer = True
    form.do("leave")
    assert form.view.went_back == 3
    [kept] = snapshots.of_officer(store, OFFICER)
    assert kept.values["online_sales_share"] == 251


def test_a_business_with_visits_is_not_deleted_and_one_without_is(store, actor) -> None:
    """Delete asks; the service's refusal is shown; a business without visits goes, and the form with it."""
    visited = records.get(store, "umkm_survey", a_draft_survey(store, actor))["business_id"]
    form = Form(store, actor, "business", record_id=visited)
    form.do("delete")
    assert form.view.questions == [Question.DELETE]
    assert [type(e) for e in form.view.errors] == [InvalidState] and form.view.went_back == 0

    lonely = a_business(store, actor, name="Warung Sepi", owner_nik="1871011503850007")
    form = Form(store, actor, "business", record_id=lonely)
    form.do("delete")
    assert form.view.went_back == 1 and form.view.changed == ["business"]
    with pytest.raises(NotFound):
        records.get(store, "business", lonely)


def test_an_entity_starts_its_visit_and_shows_its_history(store, actor) -> None:
    """'New survey' on a business opens a survey about it; History is the business's story."""
    business_id = a_business(store, actor)
    form = Form(store, actor, "business", record_id=business_id)
    assert form.view.state is not None and form.view.state.can_start_visit
    form.controller.start_visit()
    assert form.view.opened == [("umkm_survey", None, {"business_id": business_id})]
    assert form.controller.history_of() == ("business", business_id)
    survey = Form(store, actor, "umkm_survey", business_id=business_id)
    assert survey.controller.history_of() == ("business", business_id)
    assert Form(store, actor, "business").controller.history_of() is None


def test_the_regency_decides_the_districts_offered(store, actor) -> None:
    """Choosing another regency offers its districts."""
    form = Form(store, actor, "business")
    form.type("regency_code", "18.09")
    assert form.view.districts_for[-1] == "18.09"


def test_the_window_closing_keeps_a_dirty_form_without_asking(store, actor) -> None:
    """Closing the window: the entries are kept as a snapshot, no question."""
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    form.type("online_sales_share", 250)
    assert form.controller.can_leave()
    form.lane.drain()
    assert form.view.questions == []
    assert snapshots.of_officer(store, OFFICER)[0].values["online_sales_share"] == 250


def test_the_controller_needs_no_qt() -> None:
    """Importing the controller loads no Qt module: its logic runs and is tested without one."""
    code = ("import sys, desktop_app.ui.form_controller as c; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert loaded == "[]"


# --- choices that follow another field, and what a form shows of the entity visited ---------


def test_choices_follow_their_field_down_the_chain(store, actor) -> None:
    """A new regency offers its districts and empties the villages; a district
    offers its villages; an audit's method decides the entries it asks for."""
    form = Form(store, actor, "business")
    assert ("village_code", None) in form.view.followed  # no district yet: no villages
    form.view.followed.clear()
    form.type("regency_code", "18.09")
    assert form.view.followed == [("district_code", "18.09"), ("village_code", None)]
    form.view.followed.clear()
    form.type("district_code", "18.09.01")
    assert form.view.followed == [("village_code", "18.09.01")]
    coop = records.save(store, actor, "cooperative", cooperative_form()).record["id"]
    audit = Form(store, actor, "cooperative_audit", cooperative_id=coop)
    audit.type("health_method", "permenkop_9_2020")
    assert audit.view.followed[-1] == ("aspect_scores", "permenkop_9_2020")


def test_a_stored_village_is_shown_after_its_choices(store, actor) -> None:
    """Opening a record: the district's villages are offered before the
    village is shown, so the stored code finds its entry."""
    business = a_business(store, actor, village_code="18.71.01.1003")
    form = Form(store, actor, "business", record_id=business)
    followed = form.view.followed.index(("village_code", "18.71.01"))
    assert form.view.values["village_code"] == "18.71.01.1003"
    assert followed >= 0 and form.view.typed_before == {}


def test_a_village_typed_before_the_list_is_shown_as_a_hint(store, actor) -> None:
    """A record without a village code keeps its typed name, offered as a hint."""
    business = a_business(store, actor, village="Kampung Lama")
    form = Form(store, actor, "business", record_id=business)
    assert form.view.typed_before == {"village_code": "Kampung Lama"}


def test_a_verification_shows_the_applicants_documents_and_the_rounds_words(store, actor) -> None:
    """The NIK and KK grouped by four, the KTP address, the round with its
    amount; the checklist labels as the round words them."""
    applicant = records.save(store, actor, "aid_applicant", applicant_form(
        aid_round="bpum-2020", address="Jl. Kenanga 4")).record["id"]
    form = Form(store, actor, "aid_verification", applicant_id=applicant)
    facts = {en: value for _id, en, value in form.view.parent_facts}
    assert facts["NIK (as on the KTP-el)"] == "1871 0115 0385 0007"
    assert facts["Family card (KK) number"] == "1871 0123 0415 0003"
    assert facts["Address on the KTP"] == "Jl. Kenanga 4"
    assert facts["Aid round"] == "BPUM 2020 — Rp 2.400.000"
    assert "Kredit Bank Lainnya" in form.view.field_labels["check_no_bank_credit"][0]
