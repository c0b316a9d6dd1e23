"""The console's pages: sign-in and out, password, language, dashboard,
record tables and pages, photos, exports and conflicts. (Accounts, devices,
assignments and the audit log: admin.py.)"""

from __future__ import annotations

import re
import threading
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.models import RECORD_KINDS, VisitStatus, code_label
from desktop_app.models.dashboard import figures
from desktop_app.models.rules.size_class import SizeClass
from desktop_app.protocol import ErrorCode, Role
from desktop_app.protocol.clock import stamp_time
from desktop_app.sheets.labels import health_label, size_class_label, verdict_label

from .. import accounts, audit, conflicts, errors
from ..account_state import sign_in_refusal
from ..audit import Action, Actor
from ..db import Database
from ..sign_in import client_address, sign_in_with_password
from ..tables import Conflict, Officer
from . import charts, detail, exports, records, sessions
from .i18n import translate
from .sessions import COOKIE, LANGUAGES, PRE_COOKIE
from .web import (
    LANGUAGE_COOKIE, Db, Posted, Redirect, Refusal, check_post, current_visitor, language_of,
    page_visitor, render, set_cookie, url,
)

router = APIRouter(include_in_schema=False)
WIB = timezone(timedelta(hours=7), "WIB")


# -- signing in ------------------------------------------------------------

def verify_password(db: Database, *, username: str, password: str,
                    client_address: str) -> Officer:
    """The one place the console checks a password: the API's throttled
    sign-in (server/sign_in.py: lockout per account and address, Argon2
    outside any transaction); raises its ApiError (401, 429, 503)."""
    return sign_in_with_password(db, username=username, password=password,
                                 client_address=client_address)


@router.get("/")
def root() -> Response:
    return RedirectResponse("/console/", status_code=303)


@router.get("/console")
@router.get("/console/")
def home(request: Request, session: Db) -> Response:
    if sessions.resume(session, request.cookies.get(COOKIE)) is None:
        return sign_in_page(request, session)
    return RedirectResponse("/console/dashboard", status_code=303)


@router.get("/console/sign-in")
def sign_in_page(request: Request, session: Db, lang: str | None = None,
                 expired: str | None = None, out: str | None = None) -> Response:
    import secrets

    language = lang if lang in LANGUAGES else language_of(request)
    token = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(32)
    request.cookies[LANGUAGE_COOKIE] = language
    response = render(request, "sign_in.html", pre_csrf=token,
                      notice="session_ended" if expired else "signed_out" if out else None)
    set_cookie(response, request, PRE_COOKIE, token, max_age=3600)
    if lang in LANGUAGES:
        set_cookie(response, request, LANGUAGE_COOKIE, lang, max_age=365 * 86400)
    return response


@router.post("/console/sign-in")
def sign_in(request: Request, form: Posted) -> Response:
    """No transaction is open while the password is checked (sign_in.py)."""
    check_post(request, form, request.cookies.get(PRE_COOKIE))
    db: Database = request.app.state.db
    username = form.get("username").strip()[:64]
    address = client_address(request.client.host if request.client else None,
                             request.headers.get("x-forwarded-for"))
    try:
        officer = verify_password(db, username=username, password=form.get("password")[:256],
                                  client_address=address)
        refusal = sign_in_refusal(officer)
        if refusal is not None and refusal.body.code != ErrorCode.PASSWORD_CHANGE_REQUIRED:
            raise refusal  # deactivated meanwhile, or a one-time password past its week
    except errors.ApiError as exc:
        _record_sign_in(db, username, address, exc)
        language = language_of(request)
        message = exc.body.message_en if language == "en" else exc.body.message_id
        response = render(request, "sign_in.html", status=exc.status, error=message,
                          pre_csrf=request.cookies.get(PRE_COOKIE), username=username)
        retry = exc.body.detail.get("retry_after") if exc.body.detail else None
        if retry:
            response.headers["Retry-After"] = str(retry)
        return response
    with db.session() as session:
        token = sessions.start(session, officer, language=language_of(request), address=address)
        audit.record(session, Action.SIGN_IN, actor=Actor.of_officer(officer, address=address),
                     target_type="officer", target_id=officer.username,
                     regency_code=officer.regency_code, detail={"via": "console"})
    response = RedirectResponse("/console/dashboard", status_code=303)
    set_cookie(response, request, COOKIE, token)  # a session cookie: gone with the browser
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


def _record_sign_in(db: Database, username: str, address: str, exc: errors.ApiError) -> None:
    """A refused console sign-in in the audit log, as the API records its own."""
    with db.session() as session:
        officer = session.scalar(select(Officer).where(Officer.username == username))
        audit.record(session, Action.SIGN_IN,
                     actor=Actor.of_officer(officer, address=address) if officer else None,
                     actor_label=None if officer else f"unknown:{username[:60]}",
                     outcome="refused", target_type="officer", target_id=username[:64],
                     regency_code=officer.regency_code if officer else None, address=address,
                     detail={"code": exc.body.code.value, "via": "console"})


def console_actor(request: Request, visitor: sessions.Visitor) -> Actor:
    """The visitor as the audit log and the provincial service name an actor."""
    return Actor(label=visitor.username, role=visitor.role, regency_code=visitor.regency_code,
                 officer_id=visitor.officer_id, device_id=None,
                 address=client_address(request.client.host if request.client else None,
                                        request.headers.get("x-forwarded-for")))


@router.post("/console/sign-out")
def sign_out(request: Request, form: Posted, session: Db) -> Response:
    visitor = current_visitor(request, session)
    check_post(request, form, visitor.csrf)
    sessions.end(session, request.cookies.get(COOKIE))
    audit.record(session, Action.SIGN_OUT, actor=console_actor(request, visitor),
                 target_type="officer", target_id=visitor.username,
                 regency_code=visitor.regency_code, detail={"via": "console"})
    response = RedirectResponse("/console/sign-in?out=1", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/console/language")
def set_language(request: Request, form: Posted, session: Db) -> Response:
    visitor = current_visitor(request, session)
    check_post(request, form, visitor.csrf)
    language = form.get("language")
    if language in LANGUAGES:
        row = session.get(sessions.ConsoleSession, visitor.token_hash)
        if row is not None:
            row.language = language
    back = form.get("back")
    target = back if back.startswith("/console/") and "//" not in back else "/console/dashboard"
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        set_cookie(response, request, LANGUAGE_COOKIE, language, max_age=365 * 86400)
    return response


@router.get("/console/password")
def password_page(request: Request, session: Db, done: str | None = None) -> Response:
    visitor = page_visitor(request, session, allow_password_change=True)
    return render(request, "password.html", visitor=visitor, done=bool(done))


@router.post("/console/password")
def change_password(request: Request, form: Posted) -> Response:
    """The current password is checked like a sign-in (throttled, outside any
    transaction); then the new one is set and every other session ends."""
    db: Database = request.app.state.db
    with db.session() as session:
        visitor = page_visitor(request, session, allow_password_change=True)
        check_post(request, form, visitor.csrf)
    new, again = form.get("new_password")[:256], form.get("repeat_password")[:256]
    address = client_address(request.client.host if request.client else None,
                             request.headers.get("x-forwarded-for"))
    error = None
    if new != again:
        error = "password_mismatch"
    else:
        try:
            verify_password(db, username=visitor.username,
                            password=form.get("current_password")[:256], client_address=address)
        except errors.ApiError as exc:
            error = "password_wrong" if exc.status == 401 else None
            if error is None:
                return render(request, "password.html", visitor=visitor, status=exc.status,
                              message=exc.body.message_en if visitor.language == "en"
                              else exc.body.message_id)
    if error:
        return render(request, "password.html", visitor=visitor, error=error, status=422)
    try:
        with db.session() as session:
            officer = session.get(Officer, visitor.officer_id)
            assert officer is not None
            accounts.change_password(session, officer, new, address=address)  # its rules, its audit line
            sessions.end_all_of(session, officer.id, keep=request.cookies.get(COOKIE))
    except errors.ApiError as exc:
        return render(request, "password.html", visitor=visitor, status=exc.status,
                      message=exc.body.message_en if visitor.language == "en"
                      else exc.body.message_id)
    return RedirectResponse("/console/password?done=1", status_code=303)


# -- dashboard -----------------------------------------------------------

#: The dashboard's figures are counts over every finalised visit of the
#: province (300,000 surveys: seconds on PostgreSQL), so each worker keeps
#: the last ones it computed per regency for a few minutes; the page says
#: when they were computed. Nothing another worker needs: each computes its own.
FIGURES_FOR = 300.0
_figures: dict[tuple[str | None, date], tuple[float, datetime, Any]] = {}
_figures_lock = threading.Lock()


def cached_figures(session: Session, regency: str | None) -> tuple[Any, datetime]:
    today = date.today()
    now = time.monotonic()
    with _figures_lock:
        hit = _figures.get((regency, today))
    if hit is not None and now - hit[0] < FIGURES_FOR:
        return hit[2], hit[1]
    computed = figures(session, regency, today=today)
    stamp = datetime.now(timezone.utc)
    with _figures_lock:
        # Bounded: one entry per regency (and the province) for today only;
        # yesterday's would otherwise stay in every worker for as long as it runs.
        for key in [k for k in _figures if k[1] != today]:
            del _figures[key]
        _figures[(regency, today)] = (now, stamp, computed)
    return computed, stamp


@router.get("/console/dashboard")
def dashboard(request: Request, session: Db, regency: str | None = None) -> Response:
    visitor = page_visitor(request, session)
    if not visitor.is_admin:
        if regency and regency != visitor.regency_code:
            raise Refusal(403, "forbidden_regency")
        regency = visitor.regency_code
    regencies = records.regencies(session)
    if regency and regency not in dict(regencies):
        raise Refusal(404, "not_found")
    figs, computed_at = cached_figures(session, regency or None)
    lang = visitor.language
    month_names = ("Jan", "Feb", "Mar", "Apr", "Mei" if lang == "id" else "May", "Jun", "Jul",
                   "Agu" if lang == "id" else "Aug", "Sep", "Okt" if lang == "id" else "Oct",
                   "Nov", "Des" if lang == "id" else "Dec")
    def t(key: str) -> str:
        return translate(key, lang)

    not_classed = t("not_classed")
    chart_months = charts.both(charts.columns, [(f"{month_names[m.month - 1]} {m:%y}", n)
                                   for m, n in figs.surveys_by_month], title=t("surveys_by_month"))
    chart_regencies = charts.both(charts.hbars, [(r.name, r.count) for r in figs.surveys_by_regency],
                                   title=t("surveys_by_regency"))
    chart_sizes = charts.both(charts.hbars, [(code_label(SizeClass, c, lang) or not_classed, n)
                                for c, n in figs.size_classes.items()], title=t("size_classes"))
    chart_health = charts.both(charts.hbars, [(health_label(c) or not_classed, n)
                                 for c, n in figs.health_categories.items()],
                                title=t("health_categories"))
    chart_verdicts = charts.both(charts.hbars, [(verdict_label(c) or not_classed, n)
                                   for c, n in figs.verdicts.items()], title=t("verdicts"))
    return render(request, "dashboard.html", visitor=visitor, figs=figs, regency=regency,
                  regencies=regencies, chart_months=chart_months, chart_regencies=chart_regencies,
                  chart_sizes=chart_sizes, chart_health=chart_health, chart_verdicts=chart_verdicts,
                  computed_at=computed_at.astimezone(WIB).strftime("%H:%M WIB"))


# -- records -------------------------------------------------------------

def _kind(slug: str) -> records.RecordKind:
    kind = records.KIND_OF_SLUG.get(slug)
    if kind is None:
        raise Refusal(404, "page_not_found")
    return RECORD_KINDS[kind]


def _filters(params: dict[str, str], visitor: sessions.Visitor, kind: records.RecordKind
             ) -> records.Filters:
    try:
        return records.read_filters(params, visitor, kind)
    except records.FilterError as exc:
        raise Refusal(403 if exc.key == "forbidden_regency" else 400, exc.key) from None


@router.get("/console/records")
def records_home() -> Response:
    return RedirectResponse("/console/records/businesses", status_code=303)


@router.get("/console/records/{slug}")
def record_table(slug: str, request: Request, session: Db) -> Response:
    visitor = page_visitor(request, session)
    kind = _kind(slug)
    params = dict(request.query_params)
    params.pop("nik", None)  # a NIK is searched by POST only
    return _table(request, session, visitor, kind, _filters(params, visitor, kind))


@router.post("/console/records/{slug}")
def record_search(slug: str, request: Request, form: Posted, session: Db) -> Response:
    """The search form: a NIK is searched here, in the body, and the answer
    is the page itself (no redirect, so the NIK never reaches an address);
    any other search goes back to the table's address."""
    visitor = page_visitor(request, session)
    check_post(request, form, visitor.csrf)
    kind = _kind(slug)
    params = form.single()
    params.pop("csrf", None)
    term = params.get("q", "").strip()
    if not records.NIK_SHAPE.match(term):
        flt = _filters(params, visitor, kind)
        raise Redirect(url(f"/console/records/{slug}", **flt.query_params(after=None, before=None)))
    params["nik"], params["q"] = term, ""
    flt = _filters(params, visitor, kind)
    return _table(request, session, visitor, kind, flt)


def _table(request: Request, session: Db, visitor: sessions.Visitor, kind: records.RecordKind,
           flt: records.Filters) -> Response:
    try:
        page = records.page(session, visitor, kind, flt)
    except records.FilterError as exc:
        raise Refusal(400, exc.key) from None
    lang = visitor.language
    for row in page.rows:
        if kind.is_visit:
            row.status = code_label(VisitStatus, row.status, lang)
            label = {"size_class": size_class_label, "health_category": health_label,
                     "verdict": verdict_label}.get(kind.result_field or "")
            row.result = label(row.result) if label else row.result
    return render(request, "records.html", visitor=visitor, kind=kind, slug=records.SLUGS[kind.name],
                  kinds=[(records.SLUGS[k.name], k.label_en if lang == "en" else k.label_id)
                         for k in RECORD_KINDS.values()],
                  flt=flt, page=page, regencies=records.regencies(session),
                  districts=records.children(session, flt.regency),
                  villages=records.children(session, flt.district),
                  officers=records.officers_in_scope(session, visitor),
                  statuses=records.status_choices(kind),
                  sorts=records.VISIT_SORTS if kind.is_visit else records.ENTITY_SORTS,
                  nik_search=bool(flt.nik), cap=records.cap_of(flt))


@router.get("/console/records/{slug}/{record_id}")
def record_page(slug: str, record_id: str, request: Request, session: Db) -> Response:
    visitor = page_visitor(request, session)
    kind = _kind(slug)
    try:
        found = detail.load(session, visitor, kind, record_id[:36], visitor.language)
    except detail.Refused as exc:
        raise Refusal(exc.status, exc.key) from None
    return render(request, "record.html", visitor=visitor, d=found)


@router.get("/console/photos/{attachment_id}")
def photo(attachment_id: str, request: Request, session: Db) -> Response:
    visitor = page_visitor(request, session)
    try:
        att = detail.photo(session, visitor, attachment_id[:36])
    except detail.Refused as exc:
        raise Refusal(exc.status, exc.key) from None
    from ..attachments import Blobs

    path = Blobs(request.app.state.db.blob_dir).final(att.sha256)
    if not re.fullmatch(r"[0-9a-f]{64}", att.sha256) or not path.is_file():
        raise Refusal(404, "photo_missing")
    media = att.media_type if att.media_type in ("image/jpeg", "image/png", "image/webp") \
        else "application/octet-stream"
    return Response(path.read_bytes(), media_type=media,
                    headers={"Cache-Control": "private, max-age=3600"})


@router.post("/console/export/{slug}")
def export(slug: str, request: Request, form: Posted, session: Db) -> Response:
    visitor = page_visitor(request, session)
    check_post(request, form, visitor.csrf)
    if not visitor.is_supervisor:
        raise Refusal(403, "export_denied")
    kind = _kind(slug)
    params = form.single()
    params.pop("csrf", None)
    term = params.get("q", "").strip()
    if records.NIK_SHAPE.match(term):
        params["nik"], params["q"] = term, ""
    flt = _filters(params, visitor, kind)
    data, count, name = exports.write(session, kind, flt)
    audit.record(session, Action.EXPORT, actor=console_actor(request, visitor),
                 target_type=kind.name, regency_code=flt.regency,
                 detail={"rows": count, "filtered": bool(flt.query_params() or flt.nik),
                         "via": "console"})
    return Response(data, media_type="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- conflicts -----------------------------------------------------------

@router.get("/console/conflicts")
def conflicts_page(request: Request, session: Db, done: str | None = None) -> Response:
    visitor = page_visitor(request, session)
    if not visitor.is_supervisor:
        raise Refusal(403, "supervisors_only")
    listed = conflicts.listed(session, visitor.principal, "open")
    names = records.officer_names(session)
    lang = visitor.language
    items = []
    for c in listed:
        kind = RECORD_KINDS.get(c.table_name)
        full = detail.sees_full_nik(visitor)
        items.append({
            "id": c.id, "kind": (kind.label_en if lang == "en" else kind.label_id) if kind else c.table_name,
            "slug": records.SLUGS.get(c.table_name, ""), "row_id": c.row_id,
            "field": detail.field_label(c.field, lang),
            "kept": detail.show_value(c.field, c.kept_value, lang, full_nik=full),
            "other": detail.show_value(c.field, c.other_value, lang, full_nik=full),
            "kept_raw": "" if c.kept_value is None else str(c.kept_value),
            "other_raw": "" if c.other_value is None else str(c.other_value),
            "kept_by": names.get(c.kept_officer_id or "", "—"),
            "other_by": names.get(c.other_officer_id or "", "—"),
            "kept_at": stamp_time(c.kept_hlc).strftime("%Y-%m-%d %H:%M UTC"),
            "other_at": stamp_time(c.other_hlc).strftime("%Y-%m-%d %H:%M UTC"),
        })
    return render(request, "conflicts.html", visitor=visitor, items=items, done=bool(done))


@router.post("/console/conflicts/{conflict_id}")
def settle(conflict_id: str, request: Request, form: Posted, session: Db) -> Response:
    """Keep either value or type another: the API's rules (server/conflicts.py)."""
    visitor = page_visitor(request, session)
    check_post(request, form, visitor.csrf)
    if not visitor.is_supervisor:
        raise Refusal(403, "supervisors_only")
    conflict = session.get(Conflict, conflict_id[:36])
    if conflict is None:
        raise Refusal(404, "not_found")
    choice = form.get("choice")
    if choice == "kept":
        value = conflict.kept_value
    elif choice == "other":
        value = conflict.other_value
    else:
        value = form.get("value")
    try:
        settled = conflicts.settle(session, visitor.principal, conflict.id, value)
    except errors.ApiError as exc:
        raise Refusal(exc.status, "error", exc.body.message_en if visitor.language == "en"
                      else exc.body.message_id) from None
    audit.record(session, Action.CONFLICT_SETTLE, actor=console_actor(request, visitor),
                 target_type="conflict", target_id=settled.id, regency_code=settled.regency_code,
                 detail={"table": settled.table_name, "row_id": settled.row_id,
                         "field": settled.field, "via": "console"})
    return RedirectResponse("/console/conflicts?done=1", status_code=303)
