"""An office copy of Tapis carrying field officers' bundles to the server.

Importing verifies and decrypts the bundle here first (a damaged copy on a
stick is refused at the desk, while the officer is still there), copies it
into ``relay/`` in the data folder and records it once per bundle id. The
next sync forwards every waiting bundle (``forward_all``, called by the
SyncEngine) and marks it forwarded with the server's counts. Importing a
bundle twice is one entry; forwarding one twice, or one whose changes also
arrived over the network, is harmless because the server applies each
(device, seq) once.

Nothing a bundle says becomes a path (docs/SECURITY.md): the copy in
``relay/`` is named by the SHA-256 of the file's bytes, the ids of its
header must be UUIDs before they are kept, and a name read back from the
table must be a plain file name inside ``relay/``.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..models.types import utc_now
from ..store import migrate
from ..store.local_tables import RelayedBundle
from ..store.store import Store
from . import bundle_keys
from .. import protocol as p
from ..protocol import bundle
from .client import ServerRefused, SyncClient

RELAY_DIR = "relay"
WAITING, FORWARDED, REFUSED = "waiting", "forwarded", "refused"
#: Refusals about the caller, not the bundle: stop, keep the bundle waiting.
_FATAL = {p.ErrorCode.UNAUTHENTICATED, p.ErrorCode.TOKEN_EXPIRED, p.ErrorCode.DEVICE_REVOKED,
          p.ErrorCode.ACCOUNT_DEACTIVATED,
          p.ErrorCode.UPGRADE_REQUIRED}


@dataclass(frozen=True, slots=True)
class Relayed:
    """A relayed bundle as the GUI lists it: plain data."""

    bundle_id: str
    device_id: str
    regency_code: str | None
    first_seq: int
    last_seq: int
    changes: int
    photos: int
    size_bytes: int
    created_at: str
    state: str  # waiting|forwarded|refused
    message: str
    newly_imported: bool = False


def relay_dir(store: Store) -> Path:
    return store.data_dir / RELAY_DIR


def import_bundle(store: Store, path: Path) -> Relayed:
    """Verify, decrypt and queue a bundle for the server; the same bundle
    again returns its existing entry. Raises :class:`bundle.BundleError`
    (bilingual) for a damaged, foreign, or too new file."""
    data = Path(path).read_bytes()
    header = bundle.read_header(data, migrate.revisions())
    key = bundle_keys.key_for(store, header.key_id)
    if key is None:
        raise bundle.unknown_key(header)
    bundle.open_bundle(data, key, migrate.revisions())  # the whole file checked before it is accepted
    _check_ids(header)
    with store.read() as session:
        known = session.get(RelayedBundle, header.bundle_id)
        if known is not None:
            return _relayed(known)
    name = f"{bundle.content_hash(data)}{bundle.SUFFIX}"  # never a name the bundle chose
    _copy(data, _inside(store, name))
    with store.write() as session:
        row = session.get(RelayedBundle, header.bundle_id)
        if row is None:
            row = RelayedBundle(
                bundle_id=header.bundle_id, sha256=bundle.content_hash(data), file_name=name,
                device_id=header.device_id, officer_id=header.officer_id,
                regency_code=header.regency_code, first_seq=header.first_seq,
                last_seq=header.last_seq, changes=header.changes, photos=header.photos,
                size_bytes=len(data), created_at=header.created_at, imported_at=utc_now(),
                state=WAITING, message="")
            session.add(row)
            return _relayed(row, new=True)
        return _relayed(row)


def list_relayed(store: Store) -> list[Relayed]:
    """Every bundle imported here, the waiting ones first, oldest first."""
    with store.read() as session:
        rows = session.scalars(select(RelayedBundle).order_by(
            RelayedBundle.state != WAITING, RelayedBundle.imported_at)).all()
        return [_relayed(r) for r in rows]


@dataclass
class ForwardReport:
    forwarded: int = 0
    refused: int = 0
    still_waiting: int = 0
    applied: int = 0
    duplicates: int = 0


def forward_all(store: Store, client: SyncClient, *,
                resilient: Callable[[Callable[[int], Any]], Any] | None = None) -> ForwardReport:
    """Send every waiting bundle, each device's in seq order. A bundle the
    server refuses for good is marked refused with its message; one that
    starts past what the server has (an earlier bundle is missing) keeps
    waiting, as does everything when the link or the sign-in fails."""
    run = resilient or (lambda call: call(0))
    report = ForwardReport()
    with store.read() as session:
        waiting = session.execute(
            select(RelayedBundle.bundle_id, RelayedBundle.file_name)
            .where(RelayedBundle.state == WAITING)
            .order_by(RelayedBundle.device_id, RelayedBundle.first_seq)).all()
    for row in waiting:
        try:
            data = _inside(store, row.file_name).read_bytes()
        except (bundle.BundleError, OSError) as exc:
            message = exc.message_en if isinstance(exc, bundle.BundleError) else "file missing"
            _mark(store, row.bundle_id, REFUSED, message)
            report.refused += 1
            continue
        try:
            result = run(lambda _size, body=data: client.upload_bundle(body))
        except ServerRefused as exc:
            if exc.body.code in _FATAL:
                raise
            gap = exc.body.code == p.ErrorCode.SEQUENCE_GAP
            _mark(store, row.bundle_id, WAITING if gap else REFUSED,
                  f"{exc.body.message_id} / {exc.body.message_en}")
            report.still_waiting += gap
            report.refused += not gap
            continue
        report.forwarded += 1
        report.applied += result.applied
        report.duplicates += result.duplicates
        _mark(store, row.bundle_id, FORWARDED, _summary(result))
        _inside(store, row.file_name).unlink(missing_ok=True)
    return report


def _summary(result: p.BundleResult) -> str:
    text = (f"diterapkan {result.applied}, sudah ada {result.duplicates}, "
            f"foto {result.photos_stored}"
            f" / applied {result.applied}, already there {result.duplicates}, "
            f"photos {result.photos_stored}")
    for rejected in result.rejected[:20]:  # the officer of the office tells the field officer
        text += f"\n#{rejected.seq}: {rejected.message_id} / {rejected.message_en}"
    return text


def _mark(store: Store, bundle_id: str, state: str, message: str) -> None:
    with store.write() as session:
        row = session.get(RelayedBundle, bundle_id)
        if row is not None:
            row.state, row.message = state, message
            if state == FORWARDED:
                row.forwarded_at = utc_now()


#: The content hash (or, for copies imported before, the bundle's UUID) and the suffix.
_FILE_NAME = re.compile(r"([0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
                        + re.escape(bundle.SUFFIX))


def _check_ids(header: bundle.BundleHeader) -> None:
    """The header's ids are UUIDs (they name table rows and, once, files)."""
    for value in (header.bundle_id, header.device_id, header.officer_id):
        if value is None:
            continue
        try:
            if str(uuid.UUID(value)) != value.lower() or len(value) != 36:
                raise ValueError
        except ValueError:
            raise bundle.not_a_bundle("id di kepala bukan UUID / an id in the header is not "
                                      "a UUID") from None


def _inside(store: Store, name: str) -> Path:
    """``relay/<name>`` for a name this module made; anything else is refused."""
    if not _FILE_NAME.fullmatch(name):
        raise bundle.not_a_bundle("nama berkas relai tidak sah / not a relay file name")
    return relay_dir(store) / name


def _copy(data: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)


def _relayed(row: RelayedBundle, *, new: bool = False) -> Relayed:
    return Relayed(bundle_id=row.bundle_id, device_id=row.device_id, regency_code=row.regency_code,
                   first_seq=row.first_seq, last_seq=row.last_seq, changes=row.changes,
                   photos=row.photos, size_bytes=row.size_bytes, created_at=row.created_at,
                   state=row.state, message=row.message, newly_imported=new)
