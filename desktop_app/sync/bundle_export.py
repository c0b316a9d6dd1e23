"""Exporting this laptop's unsent work to one bundle file.

Every pending change goes in, in seq order and whole transactions (the
outbox's own batches), with the photos the server has not confirmed. The
exported changes stay pending here: when the laptop next gets a signal it
pushes them again and the server counts them as duplicates, so whichever
route arrives first applies each change, and the other changes nothing.
Each export carries everything still unsent, so the latest bundle alone is
enough; an earlier one imported later only adds duplicates.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from ..models.types import format_utc, utc_now
from ..store import migrate, outbox
from ..store.store import Store
from . import attachments, bundle_keys, device_signing
from .. import protocol as p
from ..protocol import bundle
from ..protocol.hashing import file_sha256


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    header: bundle.BundleHeader
    size_bytes: int
    #: Photos left out because the bundle reached its size limit; they go
    #: with the next bundle or sync.
    photos_left: int


def export_bundle(store: Store, path: Path, *,
                  max_bytes: int = bundle.MAX_BUNDLE_BYTES) -> ExportResult:
    """Write the bundle to ``path`` (via ``path.partial``, then renamed, so a
    pulled stick never holds half a bundle under the real name)."""
    key_id, regency, key = bundle_keys.export_key(store)
    signer = device_signing.signing_key(store)
    changes = pending_changes(store)
    photos, left = _photos(store, budget=max_bytes - sum(len(c.model_dump_json()) for c in changes))
    if not changes and not photos:
        raise bundle.BundleError("nothing_to_send",
                                 "Tidak ada perubahan atau foto yang belum terkirim; tidak perlu "
                                 "bundel.",
                                 "There are no unsent changes or photos; no bundle is needed.")
    header, data = bundle.seal(
        key_id=key_id, key=key, signer=signer, schema_revision=migrate.head_revision(),
        device_id=store.device_id, officer_id=_officer(store), regency_code=regency,
        created_at=format_utc(utc_now()), changes=changes, photos=photos)
    _write_atomically(Path(path), data)
    return ExportResult(Path(path), header, len(data), left)


def pending_changes(store: Store) -> list[p.Change]:
    """Every pending change in seq order, read with the push's own batching
    (whole transactions, the same base_seq)."""
    changes: list[p.Change] = []
    after = 0
    while batch := outbox.next_batch(store, max_bytes=16 * 1024 * 1024, after=after):
        changes += [p.Change(seq=o.seq, change_id=o.change_id, txn=o.txn, table=o.table,
                             row_id=o.row_id, op=o.op, fields=o.fields,  # type: ignore[arg-type]
                             hlc=o.hlc, officer_id=o.officer_id, base_seq=o.base_seq)
                    for o in batch]
        after = batch[-1].seq
    return changes


def _photos(store: Store, *, budget: int) -> tuple[list[bundle.Photo], int]:
    """Unconfirmed photos whose files are whole, as many as fit in ``budget``."""
    chosen, left = [], 0
    for item in attachments.pending(store):
        if item.size > budget:
            left += 1
            continue
        if file_sha256(item.path) != item.sha256:
            continue  # a damaged file is not sent by any route (see attachments.py)
        chosen.append(bundle.Photo(item.sha256, item.path.read_bytes()))
        budget -= item.size
    return chosen, left


def _officer(store: Store) -> str | None:
    with store.read() as session:
        return session.execute(text("SELECT officer_id FROM local_state WHERE id = 1")).scalar()


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
