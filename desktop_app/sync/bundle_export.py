"""Exporting this laptop's unsent work to one bundle file.

Every pending change goes in, in seq order and whole transactions (the
outbox's own batches), with the photos the server has not confirmed. The
exported changes stay pending here: when the laptop next gets a signal it
pushes them again and the server counts them as duplicates, so whichever
route arrives first applies each change, and the other changes nothing.
Each export carries everything still unsent, so the latest bundle alone is
enough; an earlier one imported later only adds duplicates.

A laptop weeks without a signal may hold more than one bundle may carry
(the server refuses more than ``MAX_BUNDLE_CHANGES`` changes or
``MAX_JSON_BYTES`` of them, a guard against bombs): the export is then cut
into parts of whole transactions, ``name.tapisbundle``, ``name-2.tapisbundle``
and so on, which the server (and an office's relay) takes in order; a part
sent before the one it follows is answered with which part to send first.
The photos go with the last part.
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
class BundlePart:
    path: Path
    header: bundle.BundleHeader
    size_bytes: int


@dataclass(frozen=True, slots=True)
class ExportResult:
    #: The files written, in the order they must be imported (usually one).
    parts: tuple[BundlePart, ...]
    #: Photos left out because the bundle reached its size limit; they go
    #: with the next bundle or sync.
    photos_left: int

    @property
    def path(self) -> Path:
        """The first (usually the only) file."""
        return self.parts[0].path

    @property
    def header(self) -> bundle.BundleHeader:
        """The first (usually the only) part's header."""
        return self.parts[0].header

    @property
    def changes(self) -> int:
        return sum(part.header.changes for part in self.parts)

    @property
    def photos(self) -> int:
        return sum(part.header.photos for part in self.parts)

    @property
    def size_bytes(self) -> int:
        return sum(part.size_bytes for part in self.parts)


#: A part's changes as JSON stay this far under the server's limit (the
#: document's own keys and separators come on top of the changes').
_JSON_MARGIN = 1024 * 1024


def export_bundle(store: Store, path: Path, *, max_bytes: int = bundle.MAX_BUNDLE_BYTES,
                  max_changes: int = bundle.MAX_BUNDLE_CHANGES,
                  max_json: int = bundle.MAX_JSON_BYTES) -> ExportResult:
    """Write the bundle to ``path``, or its parts beside it when the unsent
    work passes one bundle's limits (each file via ``.partial``, then
    renamed, so a pulled stick never holds half a bundle under the real name)."""
    key_id, regency, key = bundle_keys.export_key(store)
    signer = device_signing.signing_key(store)
    parts = split_parts(pending_changes(store), max_changes=max_changes,
                        max_json=max_json - _JSON_MARGIN)
    last_size = sum(len(c.model_dump_json()) for c in parts[-1]) if parts else 0
    photos, left = _photos(store, budget=max_bytes - last_size)
    if not parts and not photos:
        raise bundle.BundleError("nothing_to_send",
                                 "Tidak ada perubahan atau foto yang belum terkirim; tidak perlu "
                                 "bundel.",
                                 "There are no unsent changes or photos; no bundle is needed.")
    parts = parts or [[]]
    officer = _officer(store)
    written = []
    for number, changes in enumerate(parts, start=1):
        header, data = bundle.seal(
            key_id=key_id, key=key, signer=signer, schema_revision=migrate.head_revision(),
            device_id=store.device_id, officer_id=officer, regency_code=regency,
            created_at=format_utc(utc_now()), changes=changes,
            photos=photos if number == len(parts) else [])
        target = part_path(Path(path), number)
        _write_atomically(target, data)
        written.append(BundlePart(target, header, len(data)))
    return ExportResult(tuple(written), left)


def part_path(path: Path, number: int) -> Path:
    """Part ``number``'s file: the chosen name for the first, then
    ``name-2.tapisbundle``, ``name-3.tapisbundle``…"""
    if number == 1:
        return path
    return path.with_name(f"{path.name.removesuffix(bundle.SUFFIX)}-{number}{bundle.SUFFIX}")


def split_parts(changes: list[p.Change], *, max_changes: int,
                max_json: int) -> list[list[p.Change]]:
    """The changes cut into parts of whole transactions, each within
    ``max_changes`` changes and ``max_json`` bytes of JSON (a transaction
    larger than a part on its own goes alone, and the server says why)."""
    parts: list[list[p.Change]] = []
    current: list[p.Change] = []
    size = 0
    for txn in _transactions(changes):
        txn_size = sum(len(c.model_dump_json()) + 1 for c in txn)
        if current and (len(current) + len(txn) > max_changes or size + txn_size > max_json):
            parts.append(current)
            current, size = [], 0
        current += txn
        size += txn_size
    if current:
        parts.append(current)
    return parts


def _transactions(changes: list[p.Change]) -> list[list[p.Change]]:
    grouped: list[list[p.Change]] = []
    for change in changes:
        if grouped and grouped[-1][-1].txn == change.txn:
            grouped[-1].append(change)
        else:
            grouped.append([change])
    return grouped


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
