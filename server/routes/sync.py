"""Push and pull: the change log up, the applied changes of a scope down."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from desktop_app import protocol as p

from .. import ingest
from .. import pull as pulling
from ..db import Database
from ..dependencies import (
    AUTHENTICATED, ERROR_RESPONSES, Caller, IngestSlot, UnitOfWork, database, json_body,
    push_finished, wait_for_predecessor,
)

router = APIRouter(prefix=p.API_PREFIX, tags=["sync"], dependencies=AUTHENTICATED,
                   responses=ERROR_RESPONSES)
PushBody = Annotated[p.PushRequest, json_body(p.PushRequest)]


async def in_order(body: PushBody, db: Annotated[Database, Depends(database)],
                   pipelined: Annotated[str | None, Header(alias=p.PIPELINE_HEADER)] = None,
                   ) -> AsyncIterator[None]:
    """A pipelined batch waits for the one before it (server/dependencies.py);
    entered first, so it ends last: after the push's commit, its device's
    waiters in this process are woken."""
    if pipelined == "1" and body.changes:
        await wait_for_predecessor(db, body.device_id, min(c.seq for c in body.changes))
    try:
        yield
    finally:
        push_finished(body.device_id)


InOrder = Annotated[None, Depends(in_order, scope="function")]


@router.post("/push", response_model=p.PushResponse)
def push(body: PushBody, _order: InOrder, _turn: IngestSlot, caller: Caller,
         session: UnitOfWork) -> p.PushResponse:
    return ingest.apply_push(session, caller, body.device_id, body.changes)


@router.get("/pull", response_model=p.PullResponse)
def pull(caller: Caller, session: UnitOfWork, scope: p.Scope = p.Scope.REGENCY,
         cursor: Annotated[int, Query(ge=0, le=2 ** 63 - 1)] = 0,
         limit: Annotated[int, Query(ge=1, le=pulling.MAX_PAGE)] = 500,
         exclude: p.Scope | None = None) -> Response:
    """``exclude=regency`` with ``scope=own``: only what 'regency' does not
    send (docs/PROTOCOL.md, "Pull"); an older laptop leaves it out. The page
    goes out as serialised once (server/pull.py), not validated again."""
    return Response(pulling.pull_json(session, caller, scope, cursor, limit, exclude),
                    media_type="application/json")
