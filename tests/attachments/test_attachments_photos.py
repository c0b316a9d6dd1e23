"""attach_photo on the laptop: reduced, oriented, stripped, located, stored
once by content, and refused (writing nothing) for bad input."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from photo_helpers import business
from PIL import ExifTags, Image

from desktop_app.services import photos, records
from desktop_app.services.errors import NotFound, ReadOnly, ValidationFailed
from desktop_app.sync import attachments
from tests.support.photos import LAMPUNG, make_photo


def counts(store) -> tuple[int, int, list[str]]:  # type: ignore[no-untyped-def]
    """(attachment rows, change-log entries, files in the attachment folder)."""
    with sqlite3.connect(store.db_path) as conn:
        rows = conn.execute("SELECT count(*) FROM attachment").fetchone()[0]
        log = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    folder = store.attachment_dir
    return rows, log, sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_large_photo_is_reduced_oriented_stripped_and_located(store, actor, draft, tmp_path):
    """A 4000x3000 phone photo turned by EXIF becomes a 1200x1600 JPEG without
    metadata; its date and GPS come back to the form."""
    source = make_photo(tmp_path / "IMG_0001.jpg")
    result = photos.attach_photo(store, actor, "umkm_survey", draft["id"], source, caption="Depan")
    path = Path(result["path"])
    data = path.read_bytes()
    assert path == photos.photo_path(store, result["sha256"]) and path.name == f"{result['sha256']}.jpg"
    assert hashlib.sha256(data).hexdigest() == result["sha256"]
    assert result["size_bytes"] == len(data) < source.stat().st_size // 3
    with Image.open(path) as reduced:
        assert reduced.size == (1200, 1600) == (result["width"], result["height"])
        assert reduced.format == "JPEG" and len(reduced.getexif()) == 0
        assert "comment" not in reduced.info and "exif" not in reduced.info
    assert result["latitude"] == pytest.approx(LAMPUNG[0], abs=1e-4)
    assert result["longitude"] == pytest.approx(LAMPUNG[1], abs=1e-4)
    assert result["taken_at"] == datetime(2026, 11, 20, 2, 15, tzinfo=timezone.utc)  # 09:15 WIB
    [listed] = photos.photos_of(store, "umkm_survey", draft["id"])
    assert (listed["id"], listed["caption"], listed["owner_table"]) == (result["id"], "Depan", "umkm_survey")
    with sqlite3.connect(store.db_path) as conn:
        assert conn.execute("SELECT op FROM change_log WHERE table_name = 'attachment'").fetchall() == [("insert",)]


def test_max_side_and_quality_are_configurable(store, actor, draft, tmp_path):
    """A smaller max_side and lower quality give a smaller photo."""
    source = make_photo(tmp_path / "a.jpg", orientation=1)
    small = photos.attach_photo(store, actor, "umkm_survey", draft["id"], source, max_side=800,
                                quality=50)
    large = photos.attach_photo(store, actor, "umkm_survey", draft["id"], source)
    assert (small["width"], small["height"]) == (800, 600)
    assert (large["width"], large["height"]) == (1600, 1200)
    assert small["size_bytes"] < large["size_bytes"] // 2


def test_same_photo_attached_twice_is_stored_once(store, actor, draft, tmp_path):
    """Attaching one photo again to the same record changes nothing; to another
    record it adds a row but no second file."""
    source = make_photo(tmp_path / "a.jpg")
    first = photos.attach_photo(store, actor, "umkm_survey", draft["id"], source)
    before = counts(store)
    again = photos.attach_photo(store, actor, "umkm_survey", draft["id"], source)
    assert again["id"] == first["id"] and counts(store) == before
    shop = records.get(store, "umkm_survey", draft["id"])["business_id"]
    other = photos.attach_photo(store, actor, "business", shop, source)
    rows, _log, files = counts(store)
    assert other["sha256"] == first["sha256"] and other["id"] != first["id"]
    assert rows == 2 and files == [f"{first['sha256']}.jpg"]


def test_not_an_image_is_refused_and_writes_nothing(store, actor, draft, tmp_path):
    """A text file renamed .jpg is a ValidationFailed on 'photo', in both languages."""
    fake = tmp_path / "foto.jpg"
    fake.write_text("ini bukan foto")
    before = counts(store)
    with pytest.raises(ValidationFailed) as refused:
        photos.attach_photo(store, actor, "umkm_survey", draft["id"], fake)
    [problem] = refused.value.for_field("photo")
    assert problem.rule == "photo.unreadable" and "foto" in problem.id and "photo" in problem.en
    with pytest.raises(ValidationFailed):
        photos.attach_photo(store, actor, "umkm_survey", draft["id"], tmp_path / "missing.jpg")
    assert counts(store) == before


def test_finalised_visit_refuses_photos_and_writes_nothing(store, actor, draft, tmp_path):
    """A finalised survey is frozen: ReadOnly, no row, no file."""
    records.finalise(store, actor, "umkm_survey", draft["id"])
    before = counts(store)
    with pytest.raises(ReadOnly):
        photos.attach_photo(store, actor, "umkm_survey", draft["id"], make_photo(tmp_path / "a.jpg"))
    assert counts(store) == before


def test_unknown_or_deleted_owner_is_refused(store, actor, tmp_path):
    """No such record, or a deleted one: NotFound and nothing written."""
    shop = records.save(store, actor, "business", business()).record
    records.delete(store, actor, "business", shop["id"])
    source = make_photo(tmp_path / "a.jpg")
    before = counts(store)
    for owner in ("0190a1b2-0000-7000-8000-00000000dead", shop["id"]):
        with pytest.raises(NotFound):
            photos.attach_photo(store, actor, "business", owner, source)
    assert counts(store) == before


@pytest.mark.parametrize("gps", [
    None,
    {ExifTags.GPS.GPSLatitude: (1.0, 2.0), ExifTags.GPS.GPSLongitude: (1.0,)},
    {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (5.0, 25.0, 45.0)},
    {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (95.0, 0.0, 0.0),
     ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (105.0, 0.0, 0.0)},
    {ExifTags.GPS.GPSLatitude: (0.0, 0.0, 0.0), ExifTags.GPS.GPSLongitude: (0.0, 0.0, 0.0)},
], ids=["none", "garbled", "latitude-only", "out-of-range", "null-island"])
def test_missing_or_garbled_gps_gives_no_location(store, actor, draft, tmp_path, gps):
    """Odd GPS never refuses a photo; it just gives no location."""
    source = make_photo(tmp_path / "a.jpg", size=(800, 600), gps=gps, taken="not a date")
    result = photos.attach_photo(store, actor, "umkm_survey", draft["id"], source)
    assert (result["latitude"], result["longitude"], result["taken_at"]) == (None, None, None)


def test_transparent_png_becomes_a_jpeg(store, actor, draft, tmp_path):
    """A PNG screenshot with transparency is stored as a JPEG on white."""
    source = tmp_path / "scan.png"
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(source)
    result = photos.attach_photo(store, actor, "umkm_survey", draft["id"], source)
    with Image.open(result["path"]) as image:
        assert image.format == "JPEG" and image.getpixel((10, 10)) == (255, 255, 255)


def test_photo_path_is_the_rule_sync_uploads_from(store):
    """The service and the sync agree where a photo lives; a bad hash is refused."""
    sha = "a" * 64
    assert photos.photo_path(store, sha) == attachments.local_file(store, sha)
    with pytest.raises(ValueError):
        photos.photo_path(store, "../../etc/passwd")


def test_caption_too_long_is_refused(store, actor, draft, tmp_path):
    """A caption past 200 characters names the 'caption' field."""
    with pytest.raises(ValidationFailed) as refused:
        photos.attach_photo(store, actor, "umkm_survey", draft["id"], make_photo(tmp_path / "a.jpg"),
                            caption="x" * 201)
    assert refused.value.for_field("caption")
