"""Attachment uploads: the ``upload`` rows and the bytes they describe.

Photos come from villages over links that drop mid-request, so the bytes
arrive in chunks and the ``received`` offset of an ``upload`` row is the
only truth a client resumes from (the HTTP side, tus-style, is
server/routes/attachments.py). A chunk is taken only at exactly that offset,
and the upload becomes complete only when the whole file hashes to the
SHA-256 it is named by; a mismatch throws the upload away, so a corrupted
photo is never served.

Scope: an upload may be started only for a hash that an attachment row the
caller may see refers to (records are pushed before bytes), and is read only
by callers of a regency some live attachment row of that hash belongs to, or
the uploader's regency; the provincial admin sees all. Someone else's hash
is answered as unknown.

Bytes live under :class:`Blobs`: ``incoming/<sha>.part`` while arriving,
``<sha[:2]>/<sha>`` once verified. Each append runs in the request's write
transaction (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so two
appends to the same upload never interleave.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.models import Attachment
from desktop_app.models.types import utc_now
from desktop_app.protocol.hashing import content_hash, file_sha256

from . import errors
from .auth import Principal
from .scope import row_regency
from .tables import Upload

#: A reduced photo is ~300 KB; this leaves room for a document scan, no more.
MAX_UPLOAD_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Blobs:
    """The folder of attachment bytes (``Database.blob_dir``)."""

    root: Path

    def part(self, sha256: str) -> Path:
        return self.root / "incoming" / f"{sha256}.part"

    def final(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def write_at(self, sha256: str, offset: int, chunk: bytes) -> None:
        """Cut anything past ``offset`` (bytes written before a failed commit),
        then append and fsync before the offset is committed."""
        part = self.part(sha256)
        part.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "r+b" if part.exists() else "w+b") as handle:
            handle.truncate(offset)
            handle.seek(offset)
            handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())

    def promote(self, sha256: str) -> bool:
        """Move a whole part file to its final name if it hashes right
        (True); otherwise delete it (False)."""
        part, final = self.part(sha256), self.final(sha256)
        if file_sha256(part) != sha256:
            part.unlink(missing_ok=True)
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, final)
        _fsync_dir(final.parent)
        return True

    def put(self, sha256: str, data: bytes) -> None:
        """Keep bytes that arrived whole (already verified by the caller)."""
        final = self.final(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(final.name + ".bundle")
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
        _fsync_dir(final.parent)
        self.part(sha256).unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class Refusal(Enum):
    """Why an append took nothing, though the request was well formed."""

    OFFSET = "offset"  # not at the server's offset: the client resumes from there
    DAMAGED = "damaged"  # the whole file did not hash to its name: upload discarded


@dataclass(frozen=True)
class Appended:
    upload: Upload
    refusal: Refusal | None = None


def start(session: Session, caller: Principal, sha256: str, length: int) -> tuple[Upload, bool]:
    """Create the upload, or (idempotently) find where an existing one
    stands; True when it was created (or restarted) now.

    An unfinished upload belongs to whoever started it: only they append to
    it. Someone who merely knows a photo's hash (it travels in the records)
    could start its upload first with a wrong length; the photo's owner (the
    officer whose record the photo is attached to) then restarts it as
    theirs instead of being refused for good."""
    if length > MAX_UPLOAD_BYTES:
        raise errors.too_large(MAX_UPLOAD_BYTES)
    regency = _referring_regency(session, caller, sha256)
    upload = session.get(Upload, sha256, with_for_update=True)
    if upload is not None and not upload.complete and upload.started_by != caller.officer_id \
            and _owns(session, caller.officer_id, sha256) \
            and (upload.length != length or not _owns(session, upload.started_by, sha256)):
        _restart(upload, caller, length, regency)
        return upload, True
    if upload is not None and not upload.complete and upload.started_by == caller.officer_id \
            and upload.length != length:
        _restart(upload, caller, length, regency)  # their own, started with another length
        return upload, True
    if upload is not None:
        if upload.length != length:
            raise errors.invalid("Ukuran foto tidak sama dengan unggahan yang sudah ada.",
                                 "The photo's size differs from the existing upload's.",
                                 length=upload.length)
        return upload, False
    upload = Upload(sha256=sha256, length=length, received=0, complete=False,
                    regency_code=regency, started_by=caller.officer_id)
    session.add(upload)
    return upload, True


def _restart(upload: Upload, caller: Principal, length: int, regency: str | None) -> None:
    """From zero, as the caller's: the next append at offset 0 cuts the part file."""
    upload.length, upload.received = length, 0
    upload.started_by, upload.started_at = caller.officer_id, utc_now()
    upload.regency_code = regency


def _owns(session: Session, officer_id: str, sha256: str) -> bool:
    """Whether the officer made a live attachment row of this photo."""
    table = Attachment.__table__
    return session.scalar(select(table.c.id).where(
        table.c.sha256 == sha256, table.c.created_by == officer_id,
        table.c.deleted_at.is_(None)).limit(1)) is not None


def append(session: Session, blobs: Blobs, caller: Principal, sha256: str, offset: int,
           chunk: bytes) -> Appended:
    """Append one chunk at the server's offset; verify the hash at the end.
    A damaged whole is deleted in this transaction, which still commits:
    the next attempt starts a fresh upload."""
    upload = visible(session, caller, sha256, lock=True)
    if upload.complete:
        return Appended(upload)
    if upload.started_by != caller.officer_id:
        raise errors.forbidden("menambah unggahan foto yang dimulai petugas lain (mulai ulang "
                               "unggahan bila foto ini milik Anda)",
                               "appending to a photo upload another officer started (start the "
                               "upload again if the photo is yours)")
    part = blobs.part(sha256)
    on_disk = part.stat().st_size if part.exists() else 0
    if on_disk < upload.received:  # the file lost bytes the table counted: say so
        upload.received = on_disk
    if offset != upload.received:
        return Appended(upload, Refusal.OFFSET)
    if offset + len(chunk) > upload.length:
        raise errors.invalid("Bagian foto melewati ukuran yang dinyatakan.",
                             "The chunk goes past the declared length.", length=upload.length)
    blobs.write_at(sha256, offset, chunk)
    upload.received = offset + len(chunk)
    if upload.received == upload.length:
        if not blobs.promote(sha256):
            session.delete(upload)
            return Appended(upload, Refusal.DAMAGED)
        upload.complete = True
    return Appended(upload)


def downloadable(session: Session, blobs: Blobs, caller: Principal,
                 sha256: str) -> tuple[Path, str]:
    """The verified file and its media type, for another laptop of the regency."""
    upload = visible(session, caller, sha256)
    media_type = session.scalar(select(Attachment.media_type)
                                .where(Attachment.sha256 == sha256).limit(1))
    if not upload.complete or not blobs.final(sha256).exists():
        raise errors.not_found("foto (belum selesai diunggah)", "photo (upload not complete)")
    return blobs.final(sha256), media_type or "application/octet-stream"


def visible(session: Session, caller: Principal, sha256: str, *, lock: bool = False) -> Upload:
    """The upload, if this caller may know of it (404 otherwise)."""
    upload = session.get(Upload, sha256, with_for_update=lock)
    if upload is None or not (caller.may_see_regency(upload.regency_code)
                              or _referring_regency(session, caller, sha256, quiet=True)):
        raise errors.not_found("unggahan foto", "photo upload")
    return upload


def store_verified(session: Session, blobs: Blobs, caller: Principal, sha256: str,
                   data: bytes) -> str:
    """Keep a photo that arrived whole (in a sync bundle) as a completed
    upload, under the same scope rule as a chunked one. Returns 'stored',
    'known' (already complete here) or 'skipped' (no attachment row the
    caller may see refers to it, or the bytes do not hash to the name)."""
    upload = session.get(Upload, sha256, with_for_update=True)
    if upload is not None and upload.complete:
        return "known"
    regency = _referring_regency(session, caller, sha256, quiet=True)
    if regency is None or content_hash(data) != sha256:
        return "skipped"
    blobs.put(sha256, data)
    if upload is None:
        upload = Upload(sha256=sha256, regency_code=regency, started_by=caller.officer_id)
        session.add(upload)
    upload.length = upload.received = len(data)
    upload.complete = True
    return "stored"


def _referring_regency(session: Session, caller: Principal, sha256: str,
                       *, quiet: bool = False) -> str | None:
    """The regency of a live attachment row with this hash that the caller may
    see; 403 (or None when ``quiet``) when there is none."""
    table = Attachment.__table__
    rows = session.execute(select(table).where(table.c.sha256 == sha256,
                                               table.c.deleted_at.is_(None))).mappings()
    for row in rows:
        regency = row_regency(session, table, dict(row), {})  # type: ignore[arg-type]
        if caller.may_see_regency(regency):
            return regency or caller.regency_code
    if quiet:
        return None
    raise errors.forbidden("mengunggah foto yang tidak terlampir pada data di wilayah Anda",
                           "uploading a photo not attached to a record in your regency")
