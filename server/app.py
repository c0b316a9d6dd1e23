"""The FastAPI application: the routers of server/routes/, assembled.

Each /v1 route checks the protocol version first (426 for a client that is
too old), reads its body within a limit and validates it with the shared
protocol models, then works in one unit of work whose first step is the
bearer token check (server/dependencies.py). Refusals are ``ApiError``s,
turned here into the protocol's ErrorBody.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.requests import ClientDisconnect

from desktop_app import protocol as p

from . import console, errors
from .db import Database
from .routes import ROUTERS


def create_app(database: Database) -> FastAPI:
    app = FastAPI(title="Tapis sync server", version=str(p.PROTOCOL_VERSION),
                  description="Provincial sync server for Tapis field records. See docs/PROTOCOL.md.")
    app.state.db = database
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    _install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    console.install(app)  # the web console at / and /console (server/console)
    return app


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ClientDisconnect)
    async def client_gone(_request: Request, _exc: ClientDisconnect) -> Response:
        """The link was cut mid-request: nothing was applied; the client resends."""
        return Response(status_code=499)

    @app.exception_handler(errors.ApiError)
    async def api_error(_request: Request, exc: errors.ApiError) -> JSONResponse:
        return JSONResponse(exc.body.model_dump(mode="json"), status_code=exc.status,
                            headers=exc.headers or None)

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
