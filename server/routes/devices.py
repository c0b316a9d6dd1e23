"""A device's standing: revoked by an admin or supervisor, its signing key registered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from desktop_app import protocol as p

from .. import auth
from ..dependencies import AUTHENTICATED, ERROR_RESPONSES, Caller, UnitOfWork, json_body

router = APIRouter(prefix=f"{p.API_PREFIX}/devices", tags=["devices"],
                   dependencies=AUTHENTICATED, responses=ERROR_RESPONSES)
SigningKeyBody = Annotated[p.SigningKeyRequest, json_body(p.SigningKeyRequest, 4 * 1024)]


@router.post("/{device_id}/revoke", status_code=204)
def revoke(device_id: str, caller: Caller, session: UnitOfWork) -> None:
    auth.revoke_device(session, caller, device_id)


@router.post("/{device_id}/signing-key", status_code=204)
def signing_key(device_id: str, body: SigningKeyBody, caller: Caller,
                session: UnitOfWork) -> None:
    """Confirms the device key proven at sign-in (its sync bundles carry it); any other is 409."""
    auth.register_signing_key(session, caller, device_id, body)
