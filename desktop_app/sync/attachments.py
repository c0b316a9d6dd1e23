"""Uploading photo bytes after the records, resuming where a cut stopped.

The attachment rows travel with the records (push); their bytes follow here,
because the server accepts bytes only for a hash a pushed row refers to. For
each photo this laptop holds that the server has not confirmed complete, the
server is asked where its upload stands (HEAD, else POST) and chunks go from
*that* offset: after a cut, even one in the middle of a chunk, the next sync
asks again and continues from what actually arrived, never from 0 and never
from what this laptop thinks it sent. A 409 says the server holds another
offset; the loop simply continues from it.

Only "complete" is remembered locally (table ``upload_state``), so a photo
already safe at the province costs no request on later syncs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from ..store.local_tables import UploadState
from ..store.store import Store
from .. import protocol as p
from .client import ServerRefused, SyncClient, SyncError
from ..protocol.hashing import file_sha256

DEFAULT_CHUNK_BYTES = 256 * 1024
#: Refusals that concern the officer or the device, not one photo: stop the sync.
_FATAL = {p.ErrorCode.UNAUTHENTICATED, p.ErrorCode.TOKEN_EXPIRED, p.ErrorCode.DEVICE_REVOKED,
          p.ErrorCode.ACCOUNT_DEACTIVATED,
          p.ErrorCode.UPGRADE_REQUIRED}
_ATTEMPTS = 2  # a photo damaged on the way (422) is sent once more from the start

Progress = Callable[[int, int], None]  # (bytes done, bytes in total)
#: Runs one request given a size: the engine's wrapper retries a cut request
#: with a smaller size (see engine.SyncEngine._resilient).
Resilient = Callable[[Callable[[int], Any]], Any]
MIN_CHUNK_BYTES = 2 * 1024


@dataclass
class UploadReport:
    """What one upload pass did; ``skipped`` holds the server's or our reason."""

    completed: int = 0
    already_there: int = 0
    bytes_sent: int = 0
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _File:
    sha256: str
    path: Path
    size: int


_HASH = re.compile(r"[0-9a-f]{64}")


def local_file(store: Store, sha256: str) -> Path:
    """The photo file by its hash; the same rule as services.photos.photo_path
    (sync does not import services; a test keeps the two equal). A hash is
    64 hex digits, never a path: a pulled row naming ``../x`` points at no
    file (docs/SECURITY.md)."""
    if not _HASH.fullmatch(sha256):
        return store.attachment_dir / "not-a-hash.invalid"
    return store.attachment_dir / f"{sha256}.jpg"


def pending(store: Store) -> list[_File]:
    """Photos of live attachment rows whose file is on this laptop and not yet
    confirmed complete at the server. Rows pulled from other laptops, whose
    file is not here, are not ours to upload."""
    with store.read() as session:
        hashes = session.execute(text(
            "SELECT DISTINCT a.sha256 FROM attachment a LEFT JOIN upload_state u"
            " ON u.sha256 = a.sha256 WHERE a.deleted_at IS NULL AND COALESCE(u.complete, 0) = 0"
            " ORDER BY a.sha256")).scalars().all()
    paths = {sha: local_file(store, sha) for sha in hashes}
    return [_File(sha, path, path.stat().st_size) for sha, path in paths.items() if path.is_file()]


def upload_all(store: Store, client: SyncClient, *, chunk_bytes: int | None = None,
               progress: Progress | None = None,
               check: Callable[[], None] = lambda: None,
               resilient: Resilient | None = None) -> UploadReport:
    """Upload every pending photo; ``check`` raises to stop between chunks.

    A photo the server refuses (e.g. its record was parked as outside the
    officer's regency) is skipped with the reason; refusals about the
    officer or device stop the pass, as network errors do.
    """
    chunk = chunk_bytes or DEFAULT_CHUNK_BYTES
    return _upload_files(store, client, pending(store), resilient or (lambda call: call(chunk)),
                         progress or (lambda _done, _total: None), check)


def _upload_files(store: Store, client: SyncClient, files: list[_File], chunk: Resilient,
                  progress: Progress, check: Callable[[], None]) -> UploadReport:
    report, total, settled = UploadReport(), sum(f.size for f in files), 0
    for item in files:
        check()
        if file_sha256(item.path) != item.sha256:
            report.skipped[item.sha256] = "local file damaged (hash mismatch)"
            settled += item.size
            continue
        try:
            sent = _upload_one(client, item, chunk, lambda at: progress(settled + at, total), check)
        except ServerRefused as exc:
            if exc.body.code in _FATAL:
                raise
            report.skipped[item.sha256] = f"{exc.body.message_id} / {exc.body.message_en}"
        else:
            _mark_complete(store, item.sha256)
            report.bytes_sent += sent
            report.completed += 1 if sent else 0
            report.already_there += 0 if sent else 1
        settled += item.size
        progress(settled, total)
    return report


def _upload_one(client: SyncClient, item: _File, chunk: Resilient, at: Callable[[int], None],
                check: Callable[[], None]) -> int:
    """Bring one upload to complete; returns the bytes this call sent."""
    sent = 0
    for attempt in range(_ATTEMPTS):
        state = chunk(lambda _size: client.upload_status(item.sha256)
                      or client.upload_start(item.sha256, item.size))
        try:
            sent += _send_from(client, item, state, chunk, at, check)
            return sent
        except ServerRefused as exc:
            damaged = exc.status == 422 and exc.body.detail.get("sha256") == item.sha256
            if not damaged or attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _send_from(client: SyncClient, item: _File, state: p.UploadOffset, chunk: Resilient,
               at: Callable[[int], None], check: Callable[[], None]) -> int:
    """PATCH from the server's offset until complete, following any 409."""
    sent, offset = 0, state.offset
    budget = item.size // MIN_CHUNK_BYTES + 10  # bounded: every round moves on or learns the offset
    with open(item.path, "rb") as handle:
        while not state.complete:
            if budget == 0:
                raise SyncError("Unggahan foto tidak maju; coba lagi nanti.",
                                "The photo upload made no progress; try again later.")
            budget -= 1
            check()

            def send(size: int, at_offset: int = offset) -> tuple[p.UploadOffset, int]:
                handle.seek(at_offset)
                data = handle.read(size)
                return client.upload_chunk(item.sha256, at_offset, data), len(data)

            try:
                state, length = chunk(send)
            except ServerRefused as exc:
                if exc.status != 409 or "offset" not in exc.body.detail:
                    raise
                offset = int(exc.body.detail["offset"])  # the server's truth, whichever way
                continue
            sent += length
            offset = state.offset
            at(offset)
    return sent


def _mark_complete(store: Store, sha256: str) -> None:
    with store.write() as session:
        session.merge(UploadState(sha256=sha256, complete=1))


