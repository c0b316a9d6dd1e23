"""Photos of visits: reduced on the laptop, stored by content, attached to a record.

A phone photo is 3-8 MB; the link from a village may move 64 kbit/s. So the
photo is reduced before it is stored at all (orientation applied, longest
side capped, JPEG re-encoded, every other bit of metadata dropped: a photo
of someone's home carries no GPS trail out of the laptop), and only the
reduced bytes are named by their SHA-256, stored once however often they are
attached, and uploaded. The date and place the camera wrote are read first
and handed back, so the form can offer "location from photo".
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Attachment, VisitStatus
from ..models.rules.problems import Problem
from ..store import Store
from .context import Actor
from .errors import NotFound, ReadOnly, ValidationFailed
from .kinds import Kind, kind_of
from .records import to_dict

MEDIA_TYPE = "image/jpeg"
#: Lampung keeps WIB; a camera that wrote no offset was set to local time.
WIB = timezone(timedelta(hours=7))
_SHA = re.compile(r"^[0-9a-f]{64}$")
_CAPTION_MAX = 200


@dataclass(frozen=True, slots=True)
class Reduced:
    """A photo as it will be stored, and what its camera said."""

    data: bytes
    width: int
    height: int
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None


def attach_photo(store: Store, actor: Actor, owner_kind: str, owner_id: str, source_path: Path | str,
                 *, caption: str = "", max_side: int = 1600, quality: int = 80) -> dict[str, Any]:
    """Reduce the photo at ``source_path``, store it by content and attach it
    to a record. Returns the attachment row plus ``path``, ``width``,
    ``height``, ``latitude`` and ``longitude`` (None when the photo has none).

    The same photo attached to the same record again returns the existing
    attachment. Refusals (not an image, caption too long, no such record, a
    finalised visit) write nothing.
    """
    return attach_photos(store, actor, owner_kind, owner_id, [source_path], caption=caption,
                         max_side=max_side, quality=quality)[0]


def attach_photos(store: Store, actor: Actor, owner_kind: str, owner_id: str,
                  source_paths: Sequence[Path | str], *, caption: str = "", max_side: int = 1600,
                  quality: int = 80) -> list[dict[str, Any]]:
    """:func:`attach_photo` for several files in one unit of work: every
    photo is reduced first (slow, outside the transaction), then all are
    attached together, or none when one of them is refused."""
    if not 64 <= max_side <= 10_000 or not 1 <= quality <= 95:
        raise ValueError("max_side must be 64..10000 and quality 1..95")
    kind = kind_of(owner_kind)
    if len(caption) > _CAPTION_MAX:
        raise ValidationFailed([_problem("caption", "caption.too_long",
                                         f"Keterangan foto paling panjang {_CAPTION_MAX} karakter.",
                                         f"A photo caption is at most {_CAPTION_MAX} characters.")])
    with store.read() as session:  # refuse early, before the slow decoding
        _attachable(session, kind, owner_id)
    reduced = [reduce_photo(Path(path), max_side=max_side, quality=quality) for path in source_paths]
    with store.write() as session:
        _attachable(session, kind, owner_id)  # again, inside the unit of work
        return [_attach_in(session, store, actor, kind, owner_id, photo, caption)
                for photo in reduced]


def _attach_in(session: Session, store: Store, actor: Actor, kind: Kind, owner_id: str,
               reduced: Reduced, caption: str) -> dict[str, Any]:
    sha256 = hashlib.sha256(reduced.data).hexdigest()
    existing = session.scalar(select(Attachment).where(
        Attachment.owner_table == kind.model.__tablename__, Attachment.owner_id == owner_id,
        Attachment.sha256 == sha256, Attachment.deleted_at.is_(None)))
    path = _write_once(store, sha256, reduced.data)
    row = existing or Attachment(
        owner_table=kind.model.__tablename__, owner_id=owner_id, sha256=sha256,
        media_type=MEDIA_TYPE, size_bytes=len(reduced.data), caption=caption,
        taken_at=reduced.taken_at, created_by=actor.officer_id,
        officer_id=actor.officer_id, device_id=actor.device_id)
    if existing is None:
        session.add(row)
        session.flush()
    return {**to_dict(row), "path": str(path), "width": reduced.width, "height": reduced.height,
            "latitude": reduced.latitude, "longitude": reduced.longitude}


def photos_of(store: Store, owner_kind: str, owner_id: str) -> list[dict[str, Any]]:
    """The live photos of one record, oldest first, each with its local ``path``
    (the file may be missing on a laptop that only pulled the row)."""
    table = kind_of(owner_kind).model.__tablename__
    with store.read() as session:
        rows = session.scalars(select(Attachment).where(
            Attachment.owner_table == table, Attachment.owner_id == owner_id,
            Attachment.deleted_at.is_(None)).order_by(Attachment.created_at, Attachment.id))
        return [{**to_dict(r), "path": str(photo_path(store, r.sha256))} for r in rows]


def photo_path(store: Store, sha256: str) -> Path:
    """Where the photo with this hash lives on this laptop. The name is
    checked, so no caller can make it point outside the attachment folder."""
    if not _SHA.match(sha256):
        raise ValueError("sha256 must be 64 lowercase hex digits")
    return store.attachment_dir / f"{sha256}.jpg"


def reduce_photo(source: Path, *, max_side: int, quality: int) -> Reduced:
    """Decode, orient, shrink and re-encode; any undecodable input is a
    ValidationFailed on 'photo'."""
    try:
        with Image.open(source) as image:
            image.draft("RGB", (max_side, max_side))  # JPEG: decode at a smaller scale, fast
            exif = image.getexif()
            taken_at, latitude, longitude = _taken_at(exif), *_location(exif)
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            rgb = _as_rgb(upright)
            rgb.info = {}  # Pillow would carry a JPEG comment over; drop it with the rest
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=quality, optimize=True)  # no exif=/xmp=/icc_profile=
    except FileNotFoundError:
        raise _not_a_photo("file.missing", "Berkas foto tidak ditemukan.",
                           "The photo file was not found.") from None
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        raise _not_a_photo("photo.unreadable",
                           "Berkas ini bukan foto yang dapat dibaca. Pilih berkas JPEG atau PNG.",
                           "This file is not a readable photo. Choose a JPEG or PNG file.") from None
    return Reduced(out.getvalue(), rgb.width, rgb.height, taken_at, latitude, longitude)


def _attachable(session: Session, kind: Kind, owner_id: str) -> None:
    """The owner must be live; a finalised visit is frozen, photos included."""
    row = session.get(kind.model, owner_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(kind.labels, owner_id)
    if kind.is_visit and row.status == VisitStatus.FINALISED:
        raise ReadOnly(kind.labels, owner_id)


def _write_once(store: Store, sha256: str, data: bytes) -> Path:
    """Write to a temporary name, fsync, rename: a crash leaves either no
    file or the whole file, never half a photo under its hash."""
    path = photo_path(store, sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    if hasattr(os, "O_DIRECTORY"):  # POSIX: make the rename itself durable
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return path


def _as_rgb(image: Image.Image) -> Image.Image:
    """JPEG holds no transparency: put a transparent photo on white."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image if image.mode == "RGB" else image.convert("RGB")


def _taken_at(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal, with the camera's offset if it wrote one, else WIB."""
    try:
        ifd = exif.get_ifd(ExifTags.IFD.Exif)
        raw = str(ifd.get(ExifTags.Base.DateTimeOriginal, "")).strip("\x00 ")
        if not raw:
            return None
        local = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
        offset = str(ifd.get(ExifTags.Base.OffsetTimeOriginal, "")).strip("\x00 ")
        zone = _zone(offset) or WIB
        return local.replace(tzinfo=zone).astimezone(timezone.utc)
    except Exception:  # noqa: BLE001 - garbled EXIF means "no date", never a refusal
        return None


def _zone(offset: str) -> timezone | None:
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", offset)
    if not match:
        return None
    sign = 1 if match.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))


def _location(exif: Image.Exif) -> tuple[float | None, float | None]:
    """Decimal degrees from the GPS IFD, or (None, None) for anything
    missing, garbled or out of range."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude],
                             gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except Exception:  # noqa: BLE001 - any odd EXIF means "no location"
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude, longitude) == (0, 0):
        return None, None
    return round(latitude, 7), round(longitude, 7)


def _degrees(value: Any, ref: Any) -> float:
    d, m, s = (float(part) for part in value)
    ref = ref.decode() if isinstance(ref, bytes) else str(ref)
    sign = -1 if ref.strip("\x00 ").upper() in ("S", "W") else 1
    result = sign * (d + m / 60 + s / 3600)
    if result != result:  # NaN from a 0/0 rational
        raise ValueError("not a number")
    return result


def _problem(field: str, rule: str, id: str, en: str) -> Problem:
    return Problem(field=field, rule=rule, id=id, en=en)


def _not_a_photo(rule: str, id: str, en: str) -> ValidationFailed:
    return ValidationFailed([_problem("photo", rule, id, en)])
