"""What the routes depend on: the protocol version, the database, one unit
of work per request, the caller, and bodies read within their limits.

The order a request goes through, for every /v1 route:

1. the protocol version (426 for a client that is too old), then a bearer
   token being present at all (401), neither touching the database;
2. the body, read within its limit and validated with the protocol's
   models, *before* any transaction begins: a slow link streaming a body
   never holds a database lock or a pooled connection;
3. the unit of work: one transaction for the whole request, committed
   before the answer is sent (``scope="function"``), rolled back on any
   error; the token is checked inside it, so the caller acts in the same
   transaction that proved who they are.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app import protocol as p

from . import attachments, auth, errors
from .body import read_body
from .db import Database

M = TypeVar("M", bound=p.Strict)

#: The refusals every /v1 route may answer with (for the OpenAPI description).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": p.ErrorBody} for status in (401, 403, 404, 409, 413, 422, 426)}


def check_version(x_tapis_protocol: Annotated[int | None, Header()] = None) -> None:
    """426 for a client older than the oldest protocol still accepted."""
    if x_tapis_protocol is None or x_tapis_protocol < p.MIN_PROTOCOL_VERSION:
        raise errors.ApiError(
            426, p.ErrorCode.UPGRADE_REQUIRED,
            "Versi Tapis di laptop ini terlalu lama. Pasang versi terbaru; data yang "
            "belum terkirim tetap aman.",
            "This laptop's Tapis is too old. Install the latest version; unsent records "
            "stay safe.", {"min_protocol": p.MIN_PROTOCOL_VERSION})


def bearer_token(authorization: Annotated[str | None, Header()] = None) -> str:
    """The bearer token as sent (401 when there is none); checked by :func:`principal`."""
    token = authorization[7:] if authorization and authorization.startswith("Bearer ") else None
    if not token:
        raise errors.unauthenticated()
    return token


def database(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def unit_of_work(db: Annotated[Database, Depends(database)]) -> Iterator[Session]:
    """The request's one transaction: commit on success, roll back on any error."""
    with db.session() as session:
        yield session


def blobs(db: Annotated[Database, Depends(database)]) -> attachments.Blobs:
    return attachments.Blobs(db.blob_dir)


#: How long a push waits for its turn before a 503 with Retry-After.
INGEST_WAIT_SECONDS = float(os.environ.get("TAPIS_INGEST_WAIT", "60"))


def ingest_slot(db: Annotated[Database, Depends(database)]) -> Iterator[None]:
    """A turn to apply a push (``Database.ingest_slots``: one on SQLite, a
    few on PostgreSQL); taken before the unit of work, given back after its
    commit."""
    if not db.ingest_slots.acquire(timeout=INGEST_WAIT_SECONDS):
        raise errors.busy(retry_after=5)
    try:
        yield
    finally:
        db.ingest_slots.release()


#: A pipelined client sends batch n+1 while batch n is still applied: n+1
#: waits (before its turn and before any transaction) until n is settled,
#: at most this long; then it goes on (and gets 409 sequence_gap if n never
#: came). The waiting is on the event loop, never in a worker thread; it
#: looks at the database when its device's previous push in this process
#: ends, or once a second (a predecessor applied by another process).
#: Bounded: at most ``_ORDER_WAITERS`` requests wait at once, and only for a
#: batch that starts at most ``_ORDER_AHEAD`` entries past the settled ones.
ORDER_WAIT_SECONDS = float(os.environ.get("TAPIS_ORDER_WAIT", "20"))
_ORDER_AHEAD = 20_000
_ORDER_WAITERS = 64
_waiting = 0
#: Pushes finished in this process, per device (moves wake the device's waiters).
_done: dict[str, int] = {}


def push_finished(device_id: str) -> None:
    """Called after a push's transaction ended."""
    _done[device_id] = _done.get(device_id, 0) + 1
    if len(_done) > 10_000:  # bounded: counts only need to move
        _done.clear()


def _last_seq(db: Database, device_id: str) -> int | None:
    from .tables import Device

    with db.reading() as session:  # no write lock taken on SQLite
        return session.scalar(select(Device.last_seq).where(Device.id == device_id))


async def wait_for_predecessor(db: Database, device_id: str, first_seq: int) -> None:
    """Wait (bounded, on the event loop) until the device's changes before
    ``first_seq`` are settled."""
    global _waiting
    if _waiting >= _ORDER_WAITERS:
        return
    _waiting += 1
    try:
        deadline = time.monotonic() + ORDER_WAIT_SECONDS
        while True:
            seen = _done.get(device_id, 0)
            last = await run_in_threadpool(_last_seq, db, device_id)
            if last is None or last + 1 >= first_seq or first_seq - last > _ORDER_AHEAD:
                return
            looked = time.monotonic()
            while _done.get(device_id, 0) == seen and time.monotonic() - looked < 1.0:
                if time.monotonic() > deadline:
                    return
                await asyncio.sleep(0.02)
    finally:
        _waiting -= 1


#: How long a push waits for its turn before a 503 with Retry-After.
INGEST_WAIT_SECONDS = float(os.environ.get("TAPIS_INGEST_WAIT", "60"))


async def ingest_slot(db: Annotated[Database, Depends(database)]) -> AsyncIterator[None]:
    """A turn to apply a push (``Database.ingest_slots``: one on SQLite, a
    few on PostgreSQL); taken before the unit of work, given back after its
    commit. Waiting for a turn happens on the event loop: a queue of pushes
    never holds the worker threads that the pushes being applied need to
    commit (with 300 devices at once it did, and nothing moved)."""
    slots = db.push_slots()
    try:
        await asyncio.wait_for(slots.acquire(), timeout=INGEST_WAIT_SECONDS)
    except asyncio.TimeoutError:
        raise errors.busy(retry_after=5) from None
    try:
        yield
    finally:
        slots.release()


UnitOfWork = Annotated[Session, Depends(unit_of_work, scope="function")]
IngestSlot = Annotated[None, Depends(ingest_slot, scope="function")]
Token = Annotated[str, Depends(bearer_token)]
Blobs = Annotated[attachments.Blobs, Depends(blobs)]


def principal(session: UnitOfWork, token: Token) -> auth.Principal:
    """The caller behind the bearer token (401/403 otherwise), in the request's transaction."""
    return auth.authenticate(session, token)


Caller = Annotated[auth.Principal, Depends(principal)]
#: Every /v1 route: the protocol version first.
VERSIONED = [Depends(check_version)]
#: Every /v1 route that needs a caller: the version, then a token being there, before any body.
AUTHENTICATED = [Depends(check_version), Depends(bearer_token)]


def json_body(model: type[M], limit: int = p.MAX_BODY_BYTES) -> Any:
    """A dependency: the body read within ``limit`` and validated as ``model``."""
    async def read(request: Request) -> M:
        return parse(model, await read_body(request, limit))
    read.__name__ = f"{model.__name__}_body"
    return Depends(read)


def raw_body(limit: int) -> Any:
    """A dependency: the body's bytes, read within ``limit``."""
    async def read(request: Request) -> bytes:
        return await read_body(request, limit)
    return Depends(read)


def parse(model: type[M], raw: bytes) -> M:
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ())) or "body"
        raise errors.invalid(f"Isi kiriman tidak sah pada '{where}'.",
                             f"The request body is invalid at '{where}': {first.get('msg', '')}.",
                             field=where) from None
