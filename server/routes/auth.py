"""Signing in and out: a bearer token for an officer on a device."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from desktop_app.models.types import format_utc, utc_now
from desktop_app import protocol as p

from .. import auth, bundle_keys
from ..dependencies import (
    AUTHENTICATED, ERROR_RESPONSES, VERSIONED, Caller, Token, UnitOfWork, json_body,
)

router = APIRouter(prefix=f"{p.API_PREFIX}/auth", tags=["auth"], responses=ERROR_RESPONSES)
LoginBody = Annotated[p.LoginRequest, json_body(p.LoginRequest, 16 * 1024)]


@router.post("/login", dependencies=VERSIONED, response_model=p.LoginResponse)
def login(body: LoginBody, session: UnitOfWork) -> p.LoginResponse:
    """A token, the officer as the server knows them, and the regency's bundle keys."""
    token, expires, officer = auth.sign_in(
        session, username=body.username, password=body.password,
        device_id=body.device_id, device_name=body.device_name)
    info = p.OfficerInfo(id=officer.id, username=officer.username, full_name=officer.full_name,
                         role=p.Role(officer.role), regency_code=officer.regency_code)
    keys = bundle_keys.issue(session, officer)
    return p.LoginResponse(token=token, expires_at=format_utc(expires), officer=info,
                           server_time=format_utc(utc_now()), bundle_keys=keys)


@router.post("/logout", dependencies=AUTHENTICATED, status_code=204)
def logout(caller: Caller, token: Token, session: UnitOfWork) -> None:
    auth.sign_out(session, token)
