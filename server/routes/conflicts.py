"""Conflicts for supervisors: the open ones of their regency, and settling one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from desktop_app import protocol as p

from .. import conflicts
from ..audit import Action, Actor, record
from ..dependencies import AUTHENTICATED, ERROR_RESPONSES, Caller, UnitOfWork, json_body

router = APIRouter(prefix=f"{p.API_PREFIX}/conflicts", tags=["conflicts"],
                   dependencies=AUTHENTICATED, responses=ERROR_RESPONSES)
SettleBody = Annotated[p.SettleRequest, json_body(p.SettleRequest, 64 * 1024)]


@router.get("", response_model=list[p.ConflictInfo])
def listing(caller: Caller, session: UnitOfWork, status: str = "open") -> list[p.ConflictInfo]:
    return [conflicts.info(c) for c in conflicts.listed(session, caller, status)]


@router.post("/{conflict_id}/settle", response_model=p.ConflictInfo)
def settle(conflict_id: str, body: SettleBody, caller: Caller,
           session: UnitOfWork) -> p.ConflictInfo:
    settled = conflicts.settle(session, caller, conflict_id, body.value)
    record(session, Action.CONFLICT_SETTLE, actor=Actor.of_principal(session, caller),
           target_type="conflict", target_id=settled.id, regency_code=settled.regency_code,
           detail={"table": settled.table_name, "row_id": settled.row_id, "field": settled.field})
    return conflicts.info(settled)
