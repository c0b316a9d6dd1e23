"""``POST /v1/devices/{device_id}/set-aside``: a laptop reports the pulled
changes it could not apply and set aside (desktop_app/store/inbox.py).

Only the device's own token may report for it; each (device, change) is
kept once, the first report winning, so a report resent after a cut link
adds nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from sqlalchemy import select

from desktop_app import protocol as p

from .. import errors
from ..dependencies import AUTHENTICATED, ERROR_RESPONSES, Caller, UnitOfWork, json_body
from ..tables import SetAsideReport

router = APIRouter(prefix=f"{p.API_PREFIX}/devices", tags=["devices"],
                   dependencies=AUTHENTICATED, responses=ERROR_RESPONSES)
ReportBody = Annotated[p.SetAsideReport, json_body(p.SetAsideReport, 512 * 1024)]


@router.post("/{device_id}/set-aside", status_code=204)
def set_aside(device_id: str, body: ReportBody, caller: Caller, session: UnitOfWork) -> None:
    if device_id != caller.device_id:
        raise errors.forbidden("melapor atas nama perangkat lain", "reporting for another device")
    wanted = {item.change_id: item for item in body.items}
    known = set(session.scalars(select(SetAsideReport.change_id).where(
        SetAsideReport.device_id == device_id, SetAsideReport.change_id.in_(list(wanted)))))
    for change_id, item in wanted.items():
        if change_id not in known:
            session.add(SetAsideReport(device_id=device_id, change_id=change_id,
                                       officer_id=caller.officer_id, entity=item.entity,
                                       reason=item.reason))
