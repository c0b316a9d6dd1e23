"""Signing in and out: a bearer token for an officer on a proven device.

Sign-in is async on purpose: its Argon2 check waits for one of a few slots
(server/sign_in.py) without holding a worker thread, and its short database
steps run in the thread pool, each its own transaction, none spanning the
hash. A flood of sign-ins therefore neither holds a database lock nor
starves the threads that serve pushes and pulls.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Header, Request

from desktop_app.models.types import format_utc, utc_now
from desktop_app import protocol as p

from .. import auth, bundle_keys, errors, sign_in
from ..db import Database
from ..dependencies import (
    AUTHENTICATED, ERROR_RESPONSES, Caller, Token, UnitOfWork, database, json_body,
)
from ..tables import Officer

router = APIRouter(prefix=f"{p.API_PREFIX}/auth", tags=["auth"],
                   responses={**ERROR_RESPONSES, 429: {"model": p.ErrorBody}, 503: {"model": p.ErrorBody}})
LoginBody = Annotated[p.LoginRequest, json_body(p.LoginRequest, 16 * 1024)]
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
def challenge(body: ChallengeBody, request: Request, session: UnitOfWork) -> p.ChallengeResponse:
    """A single-use nonce (five minutes) the device signs to sign in."""
    nonce, expires = auth.new_challenge(session, body.device_id, _address(request))
    return p.ChallengeResponse(nonce=nonce, expires_at=format_utc(expires))


@router.post("/login", dependencies=LOGIN_VERSIONED, response_model=p.LoginResponse)
async def login(body: LoginBody, request: Request, db: Db) -> p.LoginResponse:
    """A token, the officer as the server knows them, and the regency's bundle keys."""
    address = _address(request)
    proof = await anyio.to_thread.run_sync(_check_proof, db, body)
    officer = await sign_in.sign_in_with_password_async(
        db, username=body.username, password=body.password, client_address=address,
        device_id=body.device_id)
    return await anyio.to_thread.run_sync(_issue, db, body, officer.id, proof)


def _check_proof(db: Database, body: p.LoginRequest) -> auth.DeviceProof:
    with db.session() as session:  # the nonce is used up even when the proof fails
        try:
            return auth.check_device_proof(session, body)
        except errors.ApiError as refusal:
            failed = refusal
    raise failed


def _issue(db: Database, body: p.LoginRequest, officer_id: str,
           proof: auth.DeviceProof) -> p.LoginResponse:
    with db.session() as session:
        officer = session.get(Officer, officer_id)
        if officer is None or not officer.active:  # deactivated during the hash
            raise errors.unauthenticated()
        token, expires = auth.issue_token(session, officer, proof, body.device_name)
        info = p.OfficerInfo(id=officer.id, username=officer.username,
                             full_name=officer.full_name, role=p.Role(officer.role),
                             regency_code=officer.regency_code)
        keys = bundle_keys.issue(session, officer)
    return p.LoginResponse(token=token, expires_at=format_utc(expires), officer=info,
                           server_time=format_utc(utc_now()), bundle_keys=keys)


@router.post("/logout", dependencies=AUTHENTICATED, status_code=204)
def logout(caller: Caller, token: Token, session: UnitOfWork) -> None:
    auth.sign_out(session, token)
