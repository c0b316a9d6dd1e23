"""Attachment bytes over HTTP: a tus-style resumable upload, and the download.

HEAD tells where an upload stands, POST creates it, PATCH appends only at
exactly the server's offset (else 409 with the offset), and the last chunk
completes it only if the whole file hashes to its name (else 422 and the
upload is discarded). Every answer carries ``Upload-Offset``,
``Upload-Length`` and ``X-Tapis-Upload-Complete``. The uploads themselves
(rows, bytes, scope) are server/attachments.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from fastapi.responses import FileResponse, JSONResponse

from desktop_app import protocol as p

from .. import attachments
from ..dependencies import AUTHENTICATED, Blobs, Caller, UnitOfWork, raw_body
from ..tables import Upload

COMPLETE_HEADER = "X-Tapis-Upload-Complete"

router = APIRouter(prefix=f"{p.API_PREFIX}/attachments", tags=["attachments"],
                   dependencies=AUTHENTICATED,
                   responses={s: {"model": p.ErrorBody} for s in (401, 403, 404, 409, 413, 422)})
Sha = Annotated[str, Path(pattern="^[0-9a-f]{64}$")]
Chunk = Annotated[bytes, raw_body(p.MAX_CHUNK_BYTES)]


@router.head("/{sha256}")
def status(sha256: Sha, caller: Caller, session: UnitOfWork) -> Response:
    """200 with Upload-Offset/Upload-Length, or 404 when unknown (to this caller)."""
    upload = attachments.visible(session, caller, sha256)
    return Response(status_code=200, headers=_headers(upload))


@router.post("/", status_code=201, response_model=p.UploadOffset)
def start(response: Response, caller: Caller, session: UnitOfWork,
          upload_length: Annotated[int, Header(ge=1)],
          x_tapis_sha256: Annotated[str, Header(pattern="^[0-9a-f]{64}$")]) -> p.UploadOffset:
    """Create the upload, or (idempotently) answer where an existing one stands."""
    upload, created = attachments.start(session, caller, x_tapis_sha256, upload_length)
    if not created:
        response.status_code = 200
    response.headers.update(_headers(upload))
    return _state(upload)


@router.patch("/{sha256}", response_model=p.UploadOffset)
def append(sha256: Sha, chunk: Chunk, caller: Caller, session: UnitOfWork, blobs: Blobs,
           upload_offset: Annotated[int, Header(ge=0)]) -> Response:
    """Append one chunk at the server's offset; verify the hash at the end."""
    done = attachments.append(session, blobs, caller, sha256, upload_offset, chunk)
    if done.refusal is attachments.Refusal.OFFSET:
        return _offset_conflict(done.upload)
    if done.refusal is attachments.Refusal.DAMAGED:
        body = p.ErrorBody(
            code=p.ErrorCode.INVALID,
            message_id="Foto rusak dalam perjalanan (SHA-256 tidak cocok); unggahan dibuang, "
                       "kirim ulang.",
            message_en="The photo was damaged on the way (SHA-256 mismatch); the upload was "
                       "discarded, send it again.", detail={"sha256": sha256})
        return JSONResponse(body.model_dump(mode="json"), status_code=422)
    return JSONResponse(_state(done.upload).model_dump(mode="json"), headers=_headers(done.upload))


@router.get("/{sha256}")
def download(sha256: Sha, caller: Caller, session: UnitOfWork, blobs: Blobs) -> FileResponse:
    """The verified bytes, for another laptop of the same regency."""
    path, media_type = attachments.downloadable(session, blobs, caller, sha256)
    return FileResponse(path, media_type=media_type,
                        headers={"Cache-Control": "private, max-age=31536000, immutable"})


def _offset_conflict(upload: Upload) -> JSONResponse:
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
