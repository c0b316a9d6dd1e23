"""Attachment bytes: a tus-style resumable upload, and the download.

Photos come from villages over links that drop mid-request, so the bytes
arrive in chunks and the server's ``received`` offset (table ``upload``) is
the only truth a client resumes from: HEAD tells it, POST creates it, PATCH
appends only at exactly that offset (else 409 with the offset), and the
upload becomes complete only when the whole file hashes to the SHA-256 it is
named by; a mismatch throws the upload away (422), so a corrupted photo is
never served.

Scope: an upload may be started only for a hash that an attachment row the
caller may see refers to (records are pushed before bytes), and is read only
by callers of a regency some live attachment row of that hash belongs to, or
the uploader's regency; the provincial admin sees all. Someone else's hash
answers 404, as if unknown.

Bytes live in ``Database.blob_dir``: ``incoming/<sha>.part`` while arriving,
``<sha[:2]>/<sha>`` once verified. Each PATCH runs in one write transaction
(BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so two PATCHes of the
same upload never interleave.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from desktop_app.models import Attachment
from desktop_app import protocol as p
from desktop_app.protocol.hashing import file_sha256

from . import errors
from .app import Caller, Versioned
from .body import read_body
from .db import Database
from .scope import row_regency
from .tables import Upload

#: A reduced photo is ~300 KB; this leaves room for a document scan, no more.
MAX_UPLOAD_BYTES = 32 * 1024 * 1024
COMPLETE_HEADER = "X-Tapis-Upload-Complete"

router = APIRouter(prefix=f"{p.API_PREFIX}/attachments", tags=["attachments"],
                   dependencies=[Versioned],
                   responses={s: {"model": p.ErrorBody} for s in (401, 403, 404, 409, 413, 422)})
Sha = Annotated[str, Path(pattern="^[0-9a-f]{64}$")]


@router.head("/{sha256}")
def status(sha256: Sha, request: Request, caller: Caller) -> Response:
    """200 with Upload-Offset/Upload-Length, or 404 when unknown (to this caller)."""
    with _db(request).session() as session:
        upload = _visible(session, caller, sha256)
        return Response(status_code=200, headers=_headers(upload))


@router.post("/", status_code=201, response_model=p.UploadOffset)
def start(request: Request, response: Response, caller: Caller,
          upload_length: Annotated[int, Header(ge=1)],
          x_tapis_sha256: Annotated[str, Header(pattern="^[0-9a-f]{64}$")]) -> p.UploadOffset:
    """Create the upload, or (idempotently) answer where an existing one stands."""
    if upload_length > MAX_UPLOAD_BYTES:
        raise errors.too_large(MAX_UPLOAD_BYTES)
    with _db(request).session() as session:
        regency = _referring_regency(session, caller, x_tapis_sha256)
        upload = session.get(Upload, x_tapis_sha256, with_for_update=True)
        if upload is None:
            upload = Upload(sha256=x_tapis_sha256, length=upload_length, received=0, complete=False,
                            regency_code=regency, started_by=caller.officer_id)
            session.add(upload)
        else:
            response.status_code = 200
            if upload.length != upload_length:
                raise errors.invalid("Ukuran foto tidak sama dengan unggahan yang sudah ada.",
                                     "The photo's size differs from the existing upload's.",
                                     length=upload.length)
        response.headers.update(_headers(upload))
        return _state(upload)


@router.patch("/{sha256}", response_model=p.UploadOffset)
async def append(sha256: Sha, request: Request, caller: Caller,
                 upload_offset: Annotated[int, Header(ge=0)]) -> Response:
    """Append one chunk at the server's offset; verify the hash at the end."""
    chunk = await read_body(request, p.MAX_CHUNK_BYTES)
    return await run_in_threadpool(_append, _db(request), caller, sha256, upload_offset, chunk)


@router.get("/{sha256}")
def download(sha256: Sha, request: Request, caller: Caller) -> FileResponse:
    """The verified bytes, for another laptop of the same regency."""
    database = _db(request)
    with database.session() as session:
        upload = _visible(session, caller, sha256)
        media_type = session.scalar(select(Attachment.media_type)
                                    .where(Attachment.sha256 == sha256).limit(1))
    if not upload.complete or not _final(database, sha256).exists():
        raise errors.not_found("foto (belum selesai diunggah)", "photo (upload not complete)")
    return FileResponse(_final(database, sha256), media_type=media_type or "application/octet-stream",
                        headers={"Cache-Control": "private, max-age=31536000, immutable"})


# --- the steps, run in a worker thread -----------------------------------------


def _append(database: Database, caller: Caller, sha256: str, offset: int, chunk: bytes) -> Response:
    refusal: Response | None = None
    with database.session() as session:
        upload = _visible(session, caller, sha256, lock=True)
        if not upload.complete:
            part = _part(database, sha256)
            on_disk = part.stat().st_size if part.exists() else 0
            if on_disk < upload.received:  # the file lost bytes the table counted: say so
                upload.received = on_disk
            if offset != upload.received:
                refusal = _conflict(upload)
            elif offset + len(chunk) > upload.length:
                raise errors.invalid("Bagian foto melewati ukuran yang dinyatakan.",
                                     "The chunk goes past the declared length.", length=upload.length)
            else:
                _write_at(part, offset, chunk)
                upload.received = offset + len(chunk)
                if upload.received == upload.length:
                    refusal = _finish(database, session, upload)
        state, headers = _state(upload), _headers(upload)
    return refusal or JSONResponse(state.model_dump(mode="json"), headers=headers)


def _finish(database: Database, session: Session, upload: Upload) -> Response | None:
    """Promote the part file if it hashes right; otherwise discard the upload."""
    part, final = _part(database, upload.sha256), _final(database, upload.sha256)
    if file_sha256(part) != upload.sha256:
        part.unlink(missing_ok=True)
        session.delete(upload)  # committed: the next attempt starts a fresh upload
        error = errors.invalid(
            "Foto rusak dalam perjalanan (SHA-256 tidak cocok); unggahan dibuang, kirim ulang.",
            "The photo was damaged on the way (SHA-256 mismatch); the upload was discarded, "
            "send it again.", sha256=upload.sha256)
        return JSONResponse(error.body.model_dump(mode="json"), status_code=422)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, final)
    _fsync_dir(final.parent)
    upload.complete = True
    return None


def _write_at(part: FilePath, offset: int, chunk: bytes) -> None:
    """Cut anything past ``offset`` (bytes written before a failed commit),
    then append and fsync before the offset is committed."""
    part.parent.mkdir(parents=True, exist_ok=True)
    with open(part, "r+b" if part.exists() else "w+b") as handle:
        handle.truncate(offset)
        handle.seek(offset)
        handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())


def _visible(session: Session, caller: Caller, sha256: str, *, lock: bool = False) -> Upload:
    upload = session.get(Upload, sha256, with_for_update=lock)
    if upload is None or not (caller.may_see_regency(upload.regency_code)
                              or _referring_regency(session, caller, sha256, quiet=True)):
        raise errors.not_found("unggahan foto", "photo upload")
    return upload


def _referring_regency(session: Session, caller: Caller, sha256: str,
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


def _conflict(upload: Upload) -> JSONResponse:
    body = p.ErrorBody(code=p.ErrorCode.CONFLICT,
                       message_id=f"Posisi unggahan tidak cocok; server sudah menerima "
                                  f"{upload.received} byte. Lanjutkan dari sana.",
                       message_en=f"Upload offset mismatch; the server has {upload.received} "
                                  "bytes. Continue from there.",
                       detail={"offset": upload.received, "length": upload.length})
    return JSONResponse(body.model_dump(mode="json"), status_code=409, headers=_headers(upload))


def _state(upload: Upload) -> p.UploadOffset:
    return p.UploadOffset(sha256=upload.sha256, offset=upload.received, length=upload.length,
                          complete=upload.complete)


def _headers(upload: Upload) -> dict[str, str]:
    return {"Upload-Offset": str(upload.received), "Upload-Length": str(upload.length),
            COMPLETE_HEADER: "1" if upload.complete else "0", "Cache-Control": "no-store"}


def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def _part(database: Database, sha256: str) -> FilePath:
    return database.blob_dir / "incoming" / f"{sha256}.part"


def _final(database: Database, sha256: str) -> FilePath:
    return database.blob_dir / sha256[:2] / sha256




def _fsync_dir(folder: FilePath) -> None:
    if hasattr(os, "O_DIRECTORY"):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def store_verified(database: Database, session: Session, caller: Caller, sha256: str,
                   data: bytes) -> str:
    """Keep a photo that arrived whole (in a sync bundle) as a completed
    upload, under the same scope rule as a chunked one. Returns 'stored',
    'known' (already complete here) or 'skipped' (no attachment row the
    caller may see refers to it, or the bytes do not hash to the name)."""
    upload = session.get(Upload, sha256, with_for_update=True)
    if upload is not None and upload.complete:
        return "known"
    regency = _referring_regency(session, caller, sha256, quiet=True)
    if regency is None or hashlib.sha256(data).hexdigest() != sha256:
        return "skipped"
    final = _final(database, sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(final.name + ".bundle")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _fsync_dir(final.parent)
    _part(database, sha256).unlink(missing_ok=True)
    if upload is None:
        upload = Upload(sha256=sha256, regency_code=regency, started_by=caller.officer_id)
        session.add(upload)
    upload.length = upload.received = len(data)
    upload.complete = True
    return "stored"
