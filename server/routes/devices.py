"""A device's standing: revoked by an admin or supervisor, its signing key registered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from desktop_app import protocol as p

from .. import auth
from ..audit import Action, Actor, record
from ..tables import Device, Officer
from ..dependencies import AUTHENTICATED, ERROR_RESPONSES, Caller, UnitOfWork, json_body

router = APIRouter(prefix=f"{p.API_PREFIX}/devices", tags=["devices"],
                   dependencies=AUTHENTICATED, responses=ERROR_RESPONSES)
SigningKeyBody = Annotated[p.SigningKeyRequest, json_body(p.SigningKeyRequest, 4 * 1024)]


@router.post("/{device_id}/revoke", status_code=204)
def revoke(device_id: str, caller: Caller, session: UnitOfWork) -> None:
    auth.revoke_device(session, caller, device_id)
    device = session.get(Device, device_id)
    owner = session.get(Officer, device.registered_by) if device else None
    record(session, Action.DEVICE_REVOKE, actor=Actor.of_principal(session, caller),
           target_type="device", target_id=device_id,
           regency_code=owner.regency_code if owner else None)


@router.post("/{device_id}/signing-key", status_code=204)
def signing_key(device_id: str, body: SigningKeyBody, caller: Caller,
                session: UnitOfWork) -> None:
    """Confirms the device key proven at sign-in (its sync bundles carry it); any other is 409."""
    auth.register_signing_key(session, caller, device_id, body)
