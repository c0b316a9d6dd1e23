"""What every console page shares: the templates, the request's unit of
work and visitor, forms and their CSRF token, refusals as pages, and the
security headers.

Requests go: security headers on every answer (middleware); a page that
needs a visitor reads the session cookie inside the request's one
transaction (a stale or missing one redirects to the sign-in page); every
POST carries the session's CSRF token in its body (checked before anything
is done) and, when the browser sends one, an Origin of this server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException

from .. import xlsx
from ..body import read_body
from ..errors import ApiError
from .i18n import translate
from .sessions import COOKIE, LANGUAGES, PRE_COOKIE, Visitor, csrf_ok, resume

HERE = Path(__file__).resolve().parent
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"),
                        autoescape=select_autoescape(["html"]), trim_blocks=True,
                        lstrip_blocks=True)
FORM_LIMIT = 256 * 1024
LANGUAGE_COOKIE = "tapis_lang"

#: The console's Content-Security-Policy: nothing but this server's own files,
#: no inline script or style, never inside a frame.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SignInNeeded(Exception):
    """No live session: the browser goes to the sign-in page."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("sign-in needed")
        self.expired = expired


class Refusal(Exception):
    """A page answered with a refusal (403 forbidden, 404 not found, 400 bad form)."""

    def __init__(self, status: int, key: str, message: str | None = None) -> None:
        super().__init__(key)
        self.status, self.key, self.message = status, key, message


@dataclass
class Form:
    """A urlencoded body: each name's values, in order."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        return found[0] if found else default

    def getlist(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def single(self) -> dict[str, str]:
        return {k: v[0] for k, v in self.values.items() if v}


async def read_form(request: Request) -> Form:
    if request.method != "POST":
        return Form()
    raw = await read_body(request, FORM_LIMIT)
    form = Form()
    for key, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        form.values.setdefault(key, []).append(value)
    return form


#: An uploaded spreadsheet's whole request: the workbook's own limit
#: (server/xlsx.py) and room for the form around it.
UPLOAD_LIMIT = xlsx.MAX_FILE + 64 * 1024


@dataclass
class Upload:
    """A multipart form with one file: its other fields and the file's bytes."""

    form: Form
    data: bytes


async def read_upload(request: Request) -> Upload:
    """The form of a spreadsheet upload, read within :data:`UPLOAD_LIMIT`
    before it is parsed (python-multipart, through Starlette), so neither a
    huge body nor a file spooled to disk gets past the limit."""
    if request.method != "POST":
        return Upload(Form(), b"")
    try:
        raw = await read_body(request, UPLOAD_LIMIT)
    except ApiError:
        raise Refusal(413, "file_too_large") from None
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        body, sent = (b"" if sent else raw), True
        return {"type": "http.request", "body": body, "more_body": False}

    form, data = Form(), b""
    try:
        async with Request(request.scope, replay).form(max_files=1, max_fields=16) as parsed:
            for key, value in parsed.multi_items():
                if isinstance(value, str):
                    form.values.setdefault(key, []).append(value)
                elif key == "file":
                    data = await value.read()
    except (HTTPException, ValueError):
        raise Refusal(400, "file_unreadable") from None
    return Upload(form, data)


def unit_of_work(request: Request) -> Iterator[Session]:
    with request.app.state.db.session() as session:
        yield session


Db = Annotated[Session, Depends(unit_of_work, scope="function")]
Posted = Annotated[Form, Depends(read_form)]
Uploaded = Annotated[Upload, Depends(read_upload)]


def language_of(request: Request, visitor: Visitor | None = None) -> str:
    if visitor is not None:
        return visitor.language
    lang = request.cookies.get(LANGUAGE_COOKIE, "id")
    return lang if lang in LANGUAGES else "id"


def current_visitor(request: Request, session: Session) -> Visitor:
    """The signed-in visitor, or SignInNeeded."""
    visitor = resume(session, request.cookies.get(COOKIE))
    if visitor is None:
        raise SignInNeeded(expired=COOKIE in request.cookies)
    request.state.visitor = visitor
    return visitor


def page_visitor(request: Request, session: Session, *, allow_password_change: bool = False
                 ) -> Visitor:
    """The visitor of a page; one who must change a one-time password goes
    to that form first, whatever they asked for."""
    visitor = current_visitor(request, session)
    if visitor.must_change_password and not allow_password_change:
        raise Redirect("/console/password")
    return visitor


class Redirect(Exception):
    def __init__(self, to: str) -> None:
        super().__init__(to)
        self.to = to


def check_post(request: Request, form: Form, expected_csrf: str | None) -> None:
    """A POST's CSRF token and origin, or a 403 refusal."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise Refusal(403, "csrf_failed")
    if not csrf_ok(expected_csrf, form.get("csrf")):
        raise Refusal(403, "csrf_failed")


def url(path: str, **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(clean) if clean else "")


def render(request: Request, template: str, *, visitor: Visitor | None = None, status: int = 200,
           **context: Any) -> HTMLResponse:
    language = language_of(request, visitor)
    t = partial(translate, language=language)
    page = TEMPLATES.get_template(template).render(
        t=t, lang=language, visitor=visitor, csrf=visitor.csrf if visitor else "",
        path=request.url.path, url=url, nav=navigation(visitor), **context)
    response = HTMLResponse(page, status_code=status)
    return response


def navigation(visitor: Visitor | None) -> list[tuple[str, str]]:
    """(path, label key) of the menu the visitor's role gets."""
    if visitor is None:
        return []
    items = [("/console/dashboard", "dashboard"), ("/console/records/businesses", "records")]
    if visitor.is_supervisor:
        items.append(("/console/conflicts", "conflicts"))
        items += [("/console/officers", "officers"), ("/console/devices", "devices"),
                  ("/console/assignments", "assignments"), ("/console/audit", "audit_log")]
    items.append(("/console/password", "change_password"))
    return items


def secure_request(request: Request) -> bool:
    """Behind TLS: the scheme uvicorn reports (it honours X-Forwarded-Proto
    from the proxy it trusts, see docs/DEPLOY.md)."""
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, *,
               max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                        samesite="strict" if name == COOKIE else "lax",
                        secure=secure_request(request))


class SecurityHeaders:
    """The security headers of every answer, added as it starts (a plain
    ASGI middleware: Starlette's ``@app.middleware("http")`` passes every
    request and answer body through extra streams and tasks, which cost the
    sync pushes a share of the server's time, issue 17)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                _add_security_headers(MutableHeaders(scope=message), path, secure=secure)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _add_security_headers(headers: MutableHeaders, path: str, *, secure: bool) -> None:
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if path == "/" or path.startswith("/console"):
        headers["Content-Security-Policy"] = CSP
        headers["X-Frame-Options"] = "DENY"
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not path.startswith("/console/static"):
            headers["Cache-Control"] = "no-store"
    if secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


def install_security(app: Any) -> None:
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(SignInNeeded)
    async def to_sign_in(request: Request, exc: SignInNeeded) -> Response:
        target = "/console/sign-in" + ("?expired=1" if exc.expired else "")
        response = RedirectResponse(target, status_code=303)
        if exc.expired:
            response.delete_cookie(COOKIE, path="/")
        return response

    @app.exception_handler(Redirect)
    async def redirect(_request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.to, status_code=303)

    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal) -> Response:
        visitor = getattr(request.state, "visitor", None)
        return render(request, "error.html", visitor=visitor, status=exc.status,
                      message_key=exc.key, message=exc.message)


__all__ = ["PRE_COOKIE", "CSP", "Db", "Posted", "Form", "Refusal", "Redirect", "SignInNeeded",
           "render", "page_visitor", "current_visitor", "check_post", "url", "set_cookie",
           "install_security", "language_of", "Uploaded", "Upload"]
