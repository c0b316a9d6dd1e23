"""Signing in and out: a bearer token for an officer on a device; the
officer's own password change (a one-time password replaced)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from desktop_app.models.types import format_utc, utc_now
from desktop_app import protocol as p

from .. import accounts, auth, bundle_keys, errors
from ..audit import Action, Actor, record
from ..db import Database
from ..dependencies import (
    AUTHENTICATED, ERROR_RESPONSES, VERSIONED, Caller, Token, UnitOfWork, database, json_body,
)

router = APIRouter(prefix=f"{p.API_PREFIX}/auth", tags=["auth"], responses=ERROR_RESPONSES)
LoginBody = Annotated[p.LoginRequest, json_body(p.LoginRequest, 16 * 1024)]
PasswordBody = Annotated[p.PasswordChangeRequest, json_body(p.PasswordChangeRequest, 16 * 1024)]
Db = Annotated[Database, Depends(database)]


def client_address(request: Request) -> str | None:
    """The caller's address as uvicorn sees it (behind a reverse proxy, run
    with --proxy-headers so it is the proxy's X-Forwarded-For)."""
    return request.client.host if request.client else None


@router.post("/login", dependencies=VERSIONED, response_model=p.LoginResponse)
def login(body: LoginBody, db: Db, request: Request) -> p.LoginResponse:
    """A token, the officer as the server knows them, and the regency's bundle keys.

    Its own transactions (not the request's unit of work): a refused
    sign-in is still written to the audit log after the refusal rolls back."""
    address = client_address(request)
    try:
        with db.session() as session:
            token, expires, officer = auth.sign_in(
                session, username=body.username, password=body.password,
                device_id=body.device_id, device_name=body.device_name)
            info = p.OfficerInfo(id=officer.id, username=officer.username,
                                 full_name=officer.full_name, role=p.Role(officer.role),
                                 regency_code=officer.regency_code)
            keys = bundle_keys.issue(session, officer)
            record(session, Action.SIGN_IN, actor=Actor.of_officer(
                officer, device_id=body.device_id, address=address),
                target_type="officer", target_id=officer.username,
                regency_code=officer.regency_code)
            return p.LoginResponse(token=token, expires_at=format_utc(expires), officer=info,
                                   server_time=format_utc(utc_now()), bundle_keys=keys)
    except errors.ApiError as exc:
        _refused(db, Action.SIGN_IN, body.username, body.device_id, address, exc)
        raise


@router.post("/password", dependencies=VERSIONED, status_code=204)
def change_password(body: PasswordBody, db: Db, request: Request) -> None:
    """The officer replaces their password (the one-time password of a new
    account or a reset, or simply an old one): current password, new password.
    Gives no token: the laptop signs in with the new password next."""
    address = client_address(request)
    try:
        with db.session() as session:
            officer = auth.check_credentials(session, body.username, body.password)
            if not officer.active:
                raise accounts.account_deactivated()
            accounts.change_password(session, officer, body.new_password,
                                     device_id=body.device_id, address=address)
    except errors.ApiError as exc:
        _refused(db, Action.PASSWORD_CHANGE, body.username, body.device_id, address, exc)
        raise


def _refused(db: Database, action: Action, username: str, device_id: str, address: str | None,
             exc: errors.ApiError) -> None:
    """A refused attempt, in a transaction of its own. A one-time password to
    replace is not a failure (the sign-in goes on with a new password)."""
    outcome = "refused" if exc.body.code != p.ErrorCode.PASSWORD_CHANGE_REQUIRED else "pending"
    with db.session() as session:
        officer = session.scalar(accounts.select(accounts.Officer)
                                 .where(accounts.Officer.username == username))
        record(session, action, actor=Actor.of_officer(officer, device_id=device_id,
                                                       address=address) if officer else None,
               actor_label=None if officer else f"unknown:{username[:60]}",
               outcome=outcome, target_type="officer", target_id=username[:64],
               regency_code=officer.regency_code if officer else None,
               device_id=device_id, address=address, detail={"code": exc.body.code.value})


@router.post("/logout", dependencies=AUTHENTICATED, status_code=204)
def logout(caller: Caller, token: Token, session: UnitOfWork) -> None:
    auth.sign_out(session, token)
