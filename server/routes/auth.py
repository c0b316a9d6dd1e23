"""Signing in and out: a bearer token for an officer on a proven device; the
officer's own password change (a one-time password replaced).

Sign-in is async on purpose: its Argon2 check waits for one of a few slots
(server/sign_in.py) without holding a worker thread, and its short database
steps run in the thread pool, each its own transaction, none spanning the
hash. A flood of sign-ins therefore neither holds a database lock nor
starves the threads that serve pushes and pulls.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request

from desktop_app.models.types import format_utc, utc_now
from desktop_app import protocol as p

from .. import accounts, auth, bundle_keys, errors, sign_in
from ..account_state import sign_in_refusal
from ..audit import Action, Actor, record
from ..db import Database
from ..dependencies import (
    AUTHENTICATED, ERROR_RESPONSES, Caller, Token, UnitOfWork, database, json_body,
)
from ..tables import Device, Officer

router = APIRouter(prefix=f"{p.API_PREFIX}/auth", tags=["auth"],
                   responses={**ERROR_RESPONSES, 429: {"model": p.ErrorBody}, 503: {"model": p.ErrorBody}})
LoginBody = Annotated[p.LoginRequest, json_body(p.LoginRequest, 16 * 1024)]
PasswordBody = Annotated[p.PasswordChangeRequest, json_body(p.PasswordChangeRequest, 16 * 1024)]
ChallengeBody = Annotated[p.ChallengeRequest, json_body(p.ChallengeRequest, 1024)]
Db = Annotated[Database, Depends(database)]


def check_login_version(x_tapis_protocol: Annotated[int | None, Header()] = None) -> None:
    """Signing in needs the device proof (protocol 2): an older laptop is told
    to upgrade here, while its existing token keeps syncing elsewhere."""
    if x_tapis_protocol is None or x_tapis_protocol < p.MIN_LOGIN_PROTOCOL_VERSION:
        raise errors.ApiError(
            426, p.ErrorCode.UPGRADE_REQUIRED,
            "Versi Tapis di laptop ini terlalu lama untuk masuk. Pasang versi terbaru; data "
            "yang belum terkirim tetap aman.",
            "This laptop's Tapis is too old to sign in. Install the latest version; unsent "
            "records stay safe.", {"min_protocol": p.MIN_LOGIN_PROTOCOL_VERSION})


LOGIN_VERSIONED = [Depends(check_login_version)]


def _address(request: Request) -> str:
    return sign_in.client_address(request.client.host if request.client else None,
                                  request.headers.get("x-forwarded-for"))


@router.post("/challenge", dependencies=LOGIN_VERSIONED, response_model=p.ChallengeResponse)
async def challenge(body: ChallengeBody, request: Request, db: Db) -> p.ChallengeResponse:
    """A single-use nonce (five minutes) the device signs to sign in."""
    nonce, expires = await sign_in.run_step(_challenge, db, body.device_id, _address(request))
    return p.ChallengeResponse(nonce=nonce, expires_at=format_utc(expires))


def _challenge(db: Database, device_id: str, address: str) -> tuple[str, datetime]:
    with db.session() as session:
        sign_in.refuse_locked_address(session, address)
        return auth.new_challenge(session, device_id, address)


@router.post("/login", dependencies=LOGIN_VERSIONED, response_model=p.LoginResponse)
async def login(body: LoginBody, request: Request, db: Db) -> p.LoginResponse:
    """A token, the officer as the server knows them, and the regency's bundle keys.

    Each step is its own transaction (not the request's unit of work): a
    refused sign-in is still written to the audit log after it rolls back."""
    address = _address(request)
    proofs: list[auth.DeviceProof] = []
    try:
        officer = await sign_in.sign_in_with_password_async(  # the proof before any hash
            db, username=body.username, password=body.password, client_address=address,
            device_id=body.device_id,
            check=lambda session: proofs.append(auth.check_device_proof(session, body)))
        return await sign_in.run_step(_issue, db, body, officer.id, proofs[0], address)
    except errors.ApiError as exc:
        await sign_in.run_step(_refused, db, Action.SIGN_IN, body.username,
                                       body.device_id, address, exc)
        raise


@router.post("/password", dependencies=LOGIN_VERSIONED, status_code=204)
async def change_password(body: PasswordBody, request: Request, db: Db) -> None:
    """The officer replaces their password (the one-time password of a new
    account or a reset, or simply an old one): current password, new password.
    Gives no token: the laptop signs in with the new password next. The
    current password is checked through the same throttle as a sign-in."""
    address = _address(request)
    try:
        officer = await sign_in.sign_in_with_password_async(
            db, username=body.username, password=body.password, client_address=address,
            device_id=body.device_id)
        await sign_in.run_step(_change_password, db, body, officer.id, address)
    except errors.ApiError as exc:
        await sign_in.run_step(_refused, db, Action.PASSWORD_CHANGE, body.username,
                                       body.device_id, address, exc)
        raise


def _change_password(db: Database, body: p.PasswordChangeRequest, officer_id: str,
                     address: str) -> None:
    with db.session() as session:
        officer = session.get(Officer, officer_id)
        if officer is None or not officer.active:
            raise accounts.account_deactivated()
        accounts.change_password(session, officer, body.new_password,
                                 current_password=body.password, device_id=body.device_id,
                                 address=address)


def _issue(db: Database, body: p.LoginRequest, officer_id: str,
           proof: auth.DeviceProof, address: str) -> p.LoginResponse:
    with db.session() as session:
        officer = session.get(Officer, officer_id)
        if officer is None:
            raise errors.unauthenticated()
        refusal = sign_in_refusal(officer, session.get(Device, body.device_id))
        if refusal is not None:  # deactivated (perhaps during the hash), or a one-time password
            raise refusal
        token, expires = auth.issue_token(session, officer, proof, body.device_name)
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


def _refused(db: Database, action: Action, username: str, device_id: str, address: str | None,
             exc: errors.ApiError) -> None:
    """A refused attempt (wrong password, locked, busy, device proof, deactivated),
    in a transaction of its own. A one-time password to replace is not a
    failure (the sign-in goes on with a new password)."""
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
