"""The FastAPI application: thin routes over auth, ingest and pull.

Every /v1 route checks the protocol version first (426 for a client that is
too old) and the bearer token second; bodies are read within a limit and
validated with the shared protocol models.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DataError

from desktop_app.models.types import format_utc, utc_now
from desktop_app import protocol as p
from desktop_app.protocol.bundle import MAX_BUNDLE_BYTES

from . import auth, bundle_keys, bundles, conflicts as settling, errors, ingest
from . import pull as pulling
from .body import read_body
from .db import Database
from .tables import Conflict


def check_version(x_tapis_protocol: Annotated[int | None, Header()] = None) -> None:
    """426 for a client older than the oldest protocol still accepted."""
    if x_tapis_protocol is None or x_tapis_protocol < p.MIN_PROTOCOL_VERSION:
        raise errors.ApiError(
            426, p.ErrorCode.UPGRADE_REQUIRED,
            "Versi Tapis di laptop ini terlalu lama. Pasang versi terbaru; data yang "
            "belum terkirim tetap aman.",
            "This laptop's Tapis is too old. Install the latest version; unsent records "
            "stay safe.", {"min_protocol": p.MIN_PROTOCOL_VERSION})


def principal(request: Request,
              authorization: Annotated[str | None, Header()] = None) -> auth.Principal:
    """The caller behind the bearer token (401/403 otherwise)."""
    token = authorization[7:] if authorization and authorization.startswith("Bearer ") else None
    with request.app.state.db.session() as session:
        return auth.authenticate(session, token)


Versioned = Depends(check_version)
Caller = Annotated[auth.Principal, Depends(principal)]


def create_app(database: Database) -> FastAPI:
    app = FastAPI(title="Tapis sync server", version=str(p.PROTOCOL_VERSION),
                  description="Provincial sync server for Tapis field records. See docs/PROTOCOL.md.")
    app.state.db = database
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    _install_handlers(app)
    from . import attachments  # here, not at the top: it imports Caller from this module
    app.include_router(attachments.router)

    @app.get("/health")
    def health() -> dict[str, object]:
        return {"status": "ok", "protocol": p.PROTOCOL_VERSION, "server_time": format_utc(utc_now())}

    @app.post(f"{p.API_PREFIX}/auth/login", dependencies=[Versioned],
              response_model=p.LoginResponse, responses=_ERRORS)
    async def login(request: Request) -> p.LoginResponse:
        body = _parse(p.LoginRequest, await read_body(request, 16 * 1024))
        return await run_in_threadpool(_login, database, body)

    @app.post(f"{p.API_PREFIX}/auth/logout", dependencies=[Versioned], status_code=204,
              responses=_ERRORS)
    def logout(caller: Caller, authorization: Annotated[str, Header()]) -> None:
        with database.session() as session:
            auth.sign_out(session, authorization[7:])

    @app.post(f"{p.API_PREFIX}/devices/{{device_id}}/revoke", dependencies=[Versioned],
              status_code=204, responses=_ERRORS)
    def revoke(device_id: str, caller: Caller) -> None:
        with database.session() as session:
            auth.revoke_device(session, caller, device_id)

    @app.post(f"{p.API_PREFIX}/devices/{{device_id}}/signing-key", dependencies=[Versioned],
              status_code=204, responses=_ERRORS)
    async def signing_key(device_id: str, request: Request, caller: Caller) -> None:
        """The device's own Ed25519 public key, which its sync bundles must carry."""
        body = _parse(p.SigningKeyRequest, await read_body(request, 4 * 1024))
        await run_in_threadpool(bundles.register_signing_key, database, caller, device_id, body)

    @app.post(f"{p.API_PREFIX}/push", dependencies=[Versioned], response_model=p.PushResponse,
              responses=_ERRORS)
    async def push(request: Request, caller: Caller) -> p.PushResponse:
        body = _parse(p.PushRequest, await read_body(request))
        return await run_in_threadpool(_push, database, caller, body)

    @app.post(f"{p.API_PREFIX}/bundles", dependencies=[Versioned], response_model=p.BundleResult,
              responses=_ERRORS)
    async def receive_bundle(request: Request, caller: Caller) -> p.BundleResult:
        """A sync bundle file as the body (application/octet-stream)."""
        raw = await read_body(request, MAX_BUNDLE_BYTES)
        return await run_in_threadpool(bundles.receive, database, caller, raw)

    @app.get(f"{p.API_PREFIX}/pull", dependencies=[Versioned], response_model=p.PullResponse,
             responses=_ERRORS)
    def pull(caller: Caller, scope: p.Scope = p.Scope.REGENCY,
             cursor: Annotated[int, Query(ge=0, le=2 ** 63 - 1)] = 0,
             limit: Annotated[int, Query(ge=1, le=pulling.MAX_PAGE)] = 500) -> p.PullResponse:
        with database.session() as session:
            return pulling.pull(session, caller, scope, cursor, limit)

    @app.get(f"{p.API_PREFIX}/conflicts", dependencies=[Versioned],
             response_model=list[p.ConflictInfo], responses=_ERRORS)
    def conflicts(caller: Caller, status: str = "open") -> list[p.ConflictInfo]:
        if caller.role == p.Role.OFFICER:
            raise errors.forbidden("melihat konflik (khusus supervisor)",
                                   "viewing conflicts (supervisors only)")
        query = select(Conflict).where(Conflict.status == status).order_by(Conflict.id).limit(500)
        if caller.role != p.Role.ADMIN:
            query = query.where(Conflict.regency_code == caller.regency_code)
        with database.session() as session:
            return [_conflict_info(c) for c in session.scalars(query)]

    @app.post(f"{p.API_PREFIX}/conflicts/{{conflict_id}}/settle", dependencies=[Versioned],
              response_model=p.ConflictInfo, responses=_ERRORS)
    async def settle(conflict_id: str, request: Request, caller: Caller) -> p.ConflictInfo:
        body = _parse(p.SettleRequest, await read_body(request, 64 * 1024))
        return await run_in_threadpool(_settle, database, caller, conflict_id, body)

    return app


def _settle(database: Database, caller: auth.Principal, conflict_id: str,
            body: p.SettleRequest) -> p.ConflictInfo:
    with database.session() as session:
        return _conflict_info(settling.settle(session, caller, conflict_id, body.value))


def _login(database: Database, body: p.LoginRequest) -> p.LoginResponse:
    with database.session() as session:
        token, expires, officer = auth.sign_in(
            session, username=body.username, password=body.password,
            device_id=body.device_id, device_name=body.device_name)
        info = p.OfficerInfo(id=officer.id, username=officer.username,
                             full_name=officer.full_name, role=p.Role(officer.role),
                             regency_code=officer.regency_code)
        keys = bundle_keys.issue(session, officer)
    return p.LoginResponse(token=token, expires_at=format_utc(expires), officer=info,
                           server_time=format_utc(utc_now()), bundle_keys=keys)


def _push(database: Database, caller: auth.Principal, body: p.PushRequest) -> p.PushResponse:
    with database.session() as session:
        return ingest.apply_push(session, caller, body.device_id, body.changes)


def _conflict_info(c: Conflict) -> p.ConflictInfo:
    return p.ConflictInfo(id=c.id, table=c.table_name, row_id=c.row_id, field=c.field,
                          kept_value=c.kept_value, other_value=c.other_value,
                          kept_officer_id=c.kept_officer_id, other_officer_id=c.other_officer_id,
                          kept_hlc=c.kept_hlc, other_hlc=c.other_hlc, status=c.status,
                          regency_code=c.regency_code)


def _parse(model: type[p.Strict], raw: bytes) -> p.Strict:  # type: ignore[return]
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ())) or "body"
        raise errors.invalid(f"Isi kiriman tidak sah pada '{where}'.",
                             f"The request body is invalid at '{where}': {first.get('msg', '')}.",
                             field=where) from None


_ERRORS = {status: {"model": p.ErrorBody} for status in (401, 403, 404, 409, 413, 422, 426)}


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ClientDisconnect)
    async def client_gone(_request: Request, _exc: ClientDisconnect) -> Response:
        """The link was cut mid-request: nothing was applied; the client resends."""
        return Response(status_code=499)

    @app.exception_handler(errors.ApiError)
    async def api_error(_request: Request, exc: errors.ApiError) -> JSONResponse:
        return JSONResponse(exc.body.model_dump(mode="json"), status_code=exc.status)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def unstorable(_request: Request, _exc: Exception) -> JSONResponse:
        """A value the database refuses (a NUL in text on PostgreSQL, an integer
        past 64 bits on SQLite): the request is invalid, not a server error."""
        body = p.ErrorBody(code=p.ErrorCode.INVALID,
                           message_id="Permintaan berisi nilai yang tidak dapat disimpan server.",
                           message_en="The request holds a value the server cannot store.")
        return JSONResponse(body.model_dump(mode="json"), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ())) or "request"
        body = p.ErrorBody(code=p.ErrorCode.INVALID,
                           message_id=f"Permintaan tidak sah pada '{where}'.",
                           message_en=f"The request is invalid at '{where}'.",
                           detail={"field": where})
        return JSONResponse(body.model_dump(mode="json"), status_code=422)
