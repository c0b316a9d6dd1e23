"""The web console of the provincial server (issue 14): pages rendered on
the server with Jinja2 for the regency and provincial offices, in Bahasa
Indonesia with English as an option, on the same accounts, roles, regency
scope and use cases as the sync API. No build step: templates/ and static/
(vendored CSS and a few lines of script) are served as they are.

Opening the server's address gives the sign-in page.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .web import HERE, install_security


def install(app: FastAPI) -> None:
    """Mount the console on ``app``: its routes, static files, security
    headers and the handlers of its refusals."""
    from . import admin, routes

    install_security(app)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
    app.include_router(routes.router)
    app.include_router(admin.router)
