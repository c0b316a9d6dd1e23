"""Photos on a survey draft: a phone photo is listed as a thumbnail and
brings its GPS position to an empty location; a position outside Lampung is
named at the field; a file that is not a photo is refused in plain words."""

from __future__ import annotations


import pytest

from desktop_app.services import photos, records
from desktop_app.ui import i18n
from desktop_app.ui.job_pages import JobPage
from desktop_app.ui.record_form import RecordForm
from tests.services.services_forms import business_form, survey_form
from tests.support.photos import LAMPUNG, make_photo

JAKARTA = (-6.1754, 106.8272)


pytestmark = pytest.mark.usefixtures("indonesian")


def survey_draft(qtbot, ctx) -> RecordForm:  # type: ignore[no-untyped-def]
    """A saved survey draft with no location yet, open in its form."""
    business_id = records.save(ctx.store, ctx.actor, "business", business_form()).record["id"]
    draft = records.save(ctx.store, ctx.actor, "umkm_survey", survey_form(
        business_id, latitude=None, longitude=None, location_source=None)).record["id"]
    page = JobPage(ctx, window=None, kind="umkm_survey")
    qtbot.addWidget(page)
    page.show()
    page.open_record(draft)
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    form = page.form
    assert form.rows["latitude"].editor.value() == ""
    assert form.photos.add_button.isEnabled() and not form.photos.list.isVisibleTo(form.photos)
    return form


def test_a_phone_photo_fills_an_empty_location(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Thumbnail listed, latitude and longitude from EXIF, source 'exif'."""
    form = survey_draft(qtbot, ctx)
    form.photos.add_files([str(make_photo(tmp_path / "IMG_0001.jpg", (1200, 900)))])
    qtbot.waitUntil(lambda: form.photos.list.count() == 1)
    assert form.photos.list.isVisibleTo(form.photos) and not form.photos.empty.isVisibleTo(form.photos)
    assert not form.photos.list.item(0).icon().isNull()
    assert float(form.rows["latitude"].editor.value()) == pytest.approx(LAMPUNG[0], abs=1e-4)
    assert float(form.rows["longitude"].editor.value()) == pytest.approx(LAMPUNG[1], abs=1e-4)
    assert form.rows["location_source"].editor.value() == "exif"
    qtbot.waitUntil(lambda: form.photos.add_button.isEnabled())
    assert len(photos.photos_of(ctx.store, "umkm_survey", form.record_id)) == 1

    form.save_button.click()
    qtbot.waitUntil(lambda: not form.dirty)
    saved = records.get(ctx.store, "umkm_survey", form.record_id)
    assert saved["location_source"] == "exif"
    assert saved["latitude"] == pytest.approx(LAMPUNG[0], abs=1e-4)


def test_a_photo_taken_outside_lampung_is_flagged_at_the_location(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A photo from Jakarta: the position is filled, and the field says it is not in Lampung."""
    form = survey_draft(qtbot, ctx)
    form.photos.add_files([str(make_photo(tmp_path / "jakarta.jpg", (800, 600), gps=JAKARTA))])
    qtbot.waitUntil(lambda: form.photos.list.count() == 1)
    message = form.rows["latitude"].message
    qtbot.waitUntil(message.isVisible)
    assert "luar Provinsi Lampung" in message.text()
    assert form.rows["location_source"].editor.value() == "exif"


def test_a_file_that_is_not_a_photo_is_refused_clearly(qtbot, ctx, tmp_path, modal_dialogs) -> None:  # type: ignore[no-untyped-def]
    """The officer reads what is wrong and what to choose; nothing is attached."""
    modal_dialogs.allow_errors = True
    form = survey_draft(qtbot, ctx)
    notes = tmp_path / "catatan.jpg"
    notes.write_text("bukan foto", encoding="utf-8")
    form.photos.add_files([str(notes)])
    qtbot.waitUntil(lambda: bool(modal_dialogs.errors))
    qtbot.waitUntil(lambda: form.photos.add_button.isEnabled())
    shown = i18n.message_of(modal_dialogs.errors[0])
    assert shown == "Berkas ini bukan foto yang dapat dibaca. Pilih berkas JPEG atau PNG."
    assert photos.photos_of(ctx.store, "umkm_survey", form.record_id) == []
    assert form.photos.list.count() == 0 and form.rows["latitude"].editor.value() == ""
