"""The form's use cases, each one unit of work: opening reads all a form
shows at once; saving writes the record and drops its snapshot together;
keeping (autosave) never loses what was typed; several photos attach
together or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from services_forms import TODAY, VISIT_DAY, survey_form

from desktop_app.services import forms, photos, records, snapshots
from desktop_app.services.errors import NotFound, ReadOnly, ValidationFailed
from tests.support.photos import make_photo

KEY = "umkm_survey:new:token"


def test_opening_a_visit_reads_it_its_entity_and_its_kept_entries(store, actor, save,
                                                                   business_id) -> None:
    """One read: the survey, the business's name, the snapshot, 'not replaced'."""
    survey = save("umkm_survey", survey_form(business_id)).record
    key = snapshots.key_for("umkm_survey", survey["id"], "unused")
    snapshots.keep(store, key, "umkm_survey", survey["id"], actor.officer_id, {"needs": "Oven"})
    opened = forms.open_form(store, "umkm_survey", record_id=survey["id"], parent_id=None,
                             snapshot_key=key)
    assert opened.record is not None and opened.record["id"] == survey["id"]
    assert opened.parent_title == "Kopi Robusta Siti"
    assert opened.snapshot is not None and opened.snapshot.values == {"needs": "Oven"}
    assert opened.superseded is False


def test_opening_a_new_visit_names_the_entity_it_is_about(store, business_id) -> None:
    """A new survey: no record, the business named from the id the page gave."""
    opened = forms.open_form(store, "umkm_survey", record_id=None, parent_id=business_id,
                             snapshot_key=KEY)
    assert opened == forms.Opened(None, "Kopi Robusta Siti", None, False)


def test_opening_a_deleted_record_is_refused(store, actor, business_id) -> None:
    """A record deleted meanwhile (on this laptop or by a pull) is named as gone."""
    records.delete(store, actor, "business", business_id)
    with pytest.raises(NotFound):
        forms.open_form(store, "business", record_id=business_id, parent_id=None, snapshot_key=KEY)


def test_saving_writes_the_record_and_drops_its_snapshot_in_one_transaction(
        store, actor, business_id, log) -> None:
    """One call: the record written (logged once), the form's snapshot gone."""
    snapshots.keep(store, KEY, "umkm_survey", None, actor.officer_id, {"needs": "Oven"})
    saved = forms.save_form(store, actor, "umkm_survey", survey_form(business_id),
                            record_id=None, snapshot_key=KEY, today=TODAY)
    assert records.get(store, "umkm_survey", saved.record["id"])["visit_date"] == VISIT_DAY
    assert snapshots.find(store, KEY) is None
    entries = [e for e in log() if e["row_id"] == saved.record["id"]]
    assert len(entries) == 1


def test_a_refused_save_keeps_the_snapshot_and_writes_nothing(store, actor, business_id,
                                                              counts) -> None:
    """Rules broken: ValidationFailed, the record count and the snapshot as they were."""
    snapshots.keep(store, KEY, "umkm_survey", None, actor.officer_id, {"needs": "Oven"})
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        forms.save_form(store, actor, "umkm_survey",
                        survey_form(business_id, online_sales_share=140),
                        record_id=None, snapshot_key=KEY, today=TODAY)
    assert refused.value.for_field("online_sales_share")
    assert counts() == before
    assert snapshots.find(store, KEY) is not None


def test_keeping_entries_that_break_a_rule_keeps_them_as_the_snapshot(
        store, actor, save, business_id, counts) -> None:
    """Autosave of a broken draft: the record untouched, the entries in the snapshot, the refusal said."""
    draft = save("umkm_survey", survey_form(business_id)).record
    key = snapshots.key_for("umkm_survey", draft["id"], "unused")
    before = counts()
    kept = forms.keep_form(store, actor, "umkm_survey", {"online_sales_share": 250},
                           record_id=draft["id"], snapshot_key=key, save=True, today=TODAY)
    assert kept.saved is None and isinstance(kept.refused, ValidationFailed)
    assert counts() == before  # no record change, no change-log entry
    snapshot = snapshots.find(store, key)
    assert snapshot is not None and snapshot.values == {"online_sales_share": 250}


def test_keeping_a_clean_draft_saves_it_and_drops_the_snapshot(store, actor, save,
                                                               business_id) -> None:
    """Autosave of a draft with nothing wrong: the record itself, no snapshot left."""
    draft = save("umkm_survey", survey_form(business_id)).record
    key = snapshots.key_for("umkm_survey", draft["id"], "unused")
    snapshots.keep(store, key, "umkm_survey", draft["id"], actor.officer_id, {"needs": "x"})
    kept = forms.keep_form(store, actor, "umkm_survey", {"needs": "Etalase"},
                           record_id=draft["id"], snapshot_key=key, save=True, today=TODAY)
    assert kept.saved is not None and kept.refused is None
    assert records.get(store, "umkm_survey", draft["id"])["needs"] == "Etalase"
    assert snapshots.find(store, key) is None


def test_keeping_a_finalised_records_entries_never_loses_them(store, actor, save,
                                                              business_id) -> None:
    """The record was finalised meanwhile (another window, a pull): the entries stay as a snapshot."""
    draft = save("umkm_survey", survey_form(business_id)).record
    records.finalise(store, actor, "umkm_survey", draft["id"], today=TODAY)
    key = snapshots.key_for("umkm_survey", draft["id"], "unused")
    kept = forms.keep_form(store, actor, "umkm_survey", {"needs": "Etalase"},
                           record_id=draft["id"], snapshot_key=key, save=True, today=TODAY)
    assert kept.saved is None and isinstance(kept.refused, ReadOnly)
    snapshot = snapshots.find(store, key)
    assert snapshot is not None and snapshot.values == {"needs": "Etalase"}


def test_without_save_the_entries_are_only_kept(store, actor, business_id, counts) -> None:
    """A new form's autosave: a snapshot, never a record."""
    before = counts()
    kept = forms.keep_form(store, actor, "umkm_survey", survey_form(business_id),
                           record_id=None, snapshot_key=KEY, save=False)
    assert kept == forms.Kept(None, None)
    assert counts() == before and snapshots.find(store, KEY) is not None


def draft_survey(save: Any, business_id: str) -> str:
    return save("umkm_survey", survey_form(business_id)).record["id"]


def test_several_photos_attach_in_one_unit_of_work(store, actor, save, business_id, shell,
                                                   tmp_path: Path) -> None:
    """Three photos: three attachments whose change-log entries share one transaction."""
    survey = draft_survey(save, business_id)
    files = [make_photo(tmp_path / f"IMG_{n}.jpg", (800, 600), seed=n) for n in range(3)]
    attached = photos.attach_photos(store, actor, "umkm_survey", survey, files)
    assert len({a["sha256"] for a in attached}) == 3
    assert len(photos.photos_of(store, "umkm_survey", survey)) == 3
    txns = {r[0] for r in shell.execute(
        "SELECT txn FROM change_log WHERE table_name = 'attachment'").fetchall()}
    assert len(txns) == 1


def test_one_file_that_is_not_a_photo_attaches_none(store, actor, save, business_id,
                                                   tmp_path: Path) -> None:
    """A good photo and a text file: refused, naming the file's problem; nothing attached."""
    survey = draft_survey(save, business_id)
    good = make_photo(tmp_path / "IMG_1.jpg", (800, 600))
    notes = tmp_path / "catatan.jpg"
    notes.write_text("bukan foto", encoding="utf-8")
    with pytest.raises(ValidationFailed) as refused:
        photos.attach_photos(store, actor, "umkm_survey", survey, [good, notes])
    assert [p.rule for p in refused.value.problems] == ["photo.unreadable"]
    assert photos.photos_of(store, "umkm_survey", survey) == []
