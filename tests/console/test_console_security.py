"""The console's sessions, CSRF protection, security headers and NIK
hygiene, through HTTP against a server on loopback (no browser needed):
cookies are HttpOnly and SameSite; a session lives in the database, ends at
sign-out, when idle, and when its officer is deactivated; every POST
without the session's token is refused and does nothing; a NIK never
appears in an address, a redirect or a log line."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from desktop_app.models.types import utc_now
from server.console.tables import ConsoleSession
from server.setup import DEMO_PASSWORD
from server.tables import Conflict, Officer
from tests.support.console import (
    ADMIN, HOME, OFFICER, SUPERVISOR, console_world,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    with console_world(tmp_path_factory.mktemp("console-security")) as w:
        yield w


def client(world) -> httpx.Client:  # type: ignore[no-untyped-def]
    return httpx.Client(base_url=world.url, follow_redirects=False, timeout=20)


def signed_in(world, username: str = SUPERVISOR) -> tuple[httpx.Client, str]:  # type: ignore[no-untyped-def]
    c = client(world)
    c.get("/console/sign-in")
    answer = c.post("/console/sign-in", data={"csrf": c.cookies["tapis_console_pre"],
                                              "username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 303 and answer.headers["location"] == "/console/dashboard"
    page = c.get("/console/dashboard")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return c, token


def test_cookies_are_httponly_and_samesite_and_sessions_live_in_the_database(world) -> None:  # type: ignore[no-untyped-def]
    c = client(world)
    c.get("/console/sign-in")
    answer = c.post("/console/sign-in", data={"csrf": c.cookies["tapis_console_pre"],
                                              "username": SUPERVISOR, "password": DEMO_PASSWORD})
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("tapis_console="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback; behind TLS it is set (next test)
    value = cookie.split(";")[0].split("=", 1)[1]
    with world.server.database.session() as session:
        rows = session.scalars(select(ConsoleSession.token_hash)).all()
    assert value not in rows  # only its digest is stored
    assert len(rows) >= 1


def test_behind_tls_the_cookie_is_secure(world) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from server.app import create_app

    app = create_app(world.server.database)
    with TestClient(app, base_url="https://console.example") as tls:
        tls.get("/console/sign-in")
        answer = tls.post("/console/sign-in", follow_redirects=False, data={
            "csrf": tls.cookies["tapis_console_pre"], "username": SUPERVISOR,
            "password": DEMO_PASSWORD})
        cookie = next(h for h in answer.headers.get_list("set-cookie")
                      if h.startswith("tapis_console="))
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_security_headers_on_every_console_answer(world) -> None:  # type: ignore[no-untyped-def]
    c, _token = signed_in(world)
    for path in ("/", "/console/sign-in", "/console/dashboard", "/console/records/businesses",
                 "/console/records/nothing"):
        answer = c.get(path)
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, path
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    assert c.get("/console/dashboard").headers["cache-control"] == "no-store"
    assert c.get("/health").headers["x-content-type-options"] == "nosniff"


def test_a_post_without_the_sessions_token_is_refused_and_does_nothing(world) -> None:  # type: ignore[no-untyped-def]
    c, token = signed_in(world)
    conflict = world.conflicts[3]
    for form in ({"choice": "kept"}, {"choice": "kept", "csrf": "forged"},
                 {"choice": "kept", "csrf": token + "x"}):
        assert c.post(f"/console/conflicts/{conflict}", data=form).status_code == 403
    # the right token from another origin is refused too
    assert c.post(f"/console/conflicts/{conflict}", data={"choice": "kept", "csrf": token},
                  headers={"Origin": "http://evil.example"}).status_code == 403
    with world.server.database.session() as session:
        assert session.get(Conflict, conflict).status == "open"
    # sign-out and the language switch need it as well
    assert c.post("/console/sign-out", data={}).status_code == 403
    assert c.get("/console/dashboard").status_code == 200
    # and the sign-in form carries its own (double-submit) token
    fresh = client(world)
    assert fresh.post("/console/sign-in", data={"username": SUPERVISOR,
                                                "password": DEMO_PASSWORD}).status_code == 403


def test_another_sessions_token_does_not_pass(world) -> None:  # type: ignore[no-untyped-def]
    c1, token1 = signed_in(world)
    c2, token2 = signed_in(world)
    assert token1 != token2
    assert c2.post("/console/sign-out", data={"csrf": token1}).status_code == 403


def test_sign_out_ends_the_session_for_good(world) -> None:  # type: ignore[no-untyped-def]
    c, token = signed_in(world)
    cookie = c.cookies["tapis_console"]
    assert c.post("/console/sign-out", data={"csrf": token}).status_code == 303
    replay = client(world)
    replay.cookies.set("tapis_console", cookie)
    answer = replay.get("/console/dashboard")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/console/sign-in")


def test_an_idle_or_expired_session_ends(world) -> None:  # type: ignore[no-untyped-def]
    c, _token = signed_in(world)
    with world.server.database.session() as session:
        session.execute(update(ConsoleSession).where(ConsoleSession.ended_at.is_(None))
                        .values(last_seen_at=utc_now() - timedelta(minutes=31)))
    answer = c.get("/console/dashboard")
    assert answer.status_code == 303 and "expired=1" in answer.headers["location"]
    c, _token = signed_in(world)
    with world.server.database.session() as session:
        session.execute(update(ConsoleSession).where(ConsoleSession.ended_at.is_(None))
                        .values(expires_at=utc_now() - timedelta(seconds=1)))
    assert c.get("/console/dashboard").status_code == 303


def test_a_deactivated_officers_session_ends_at_once(world) -> None:  # type: ignore[no-untyped-def]
    c, _token = signed_in(world, OFFICER)
    with world.server.database.session() as session:
        session.execute(update(Officer).where(Officer.username == OFFICER).values(active=False))
    try:
        assert c.get("/console/dashboard").status_code == 303
        fresh = client(world)
        fresh.get("/console/sign-in")
        refused = fresh.post("/console/sign-in", data={
            "csrf": fresh.cookies["tapis_console_pre"], "username": OFFICER,
            "password": DEMO_PASSWORD})
        assert refused.status_code in (401, 403)
    finally:
        with world.server.database.session() as session:
            session.execute(update(Officer).where(Officer.username == OFFICER).values(active=True))


def test_a_nik_never_reaches_an_address_or_a_log(world, caplog) -> None:  # type: ignore[no-untyped-def]
    _id, nik, name, _r = world.business(HOME)
    caplog.set_level(logging.DEBUG)
    for username in (SUPERVISOR, ADMIN):
        c, token = signed_in(world, username)
        answer = c.post("/console/records/businesses", data={"csrf": token, "q": nik})
        assert answer.status_code == 200  # answered in place: no redirect carrying it
        assert "location" not in answer.headers
        assert name in answer.text
        links = re.findall(r'(?:href|action|src)="([^"]*)"', answer.text)
        assert links and not any(nik in link for link in links)
        # a NIK typed into an address is not searched, nor echoed
        leaked = c.get("/console/records/businesses", params={"q": nik})
        assert nik not in leaked.text
        exported = c.post("/console/export/businesses", data={"csrf": token, "q": nik})
        assert exported.status_code == 200
        assert nik not in exported.headers.get("content-disposition", "")
    # the server's side of the log (the test's own HTTP client logs the
    # address it was told to probe, above, and is not the server)
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert all(nik not in r.getMessage() and nik not in str(r.args) for r in server_side)


def test_a_wrong_password_is_a_page_not_a_session(world) -> None:  # type: ignore[no-untyped-def]
    c = client(world)
    c.get("/console/sign-in")
    answer = c.post("/console/sign-in", data={"csrf": c.cookies["tapis_console_pre"],
                                              "username": SUPERVISOR, "password": "wrong"})
    assert answer.status_code in (401, 429)
    assert "tapis_console=" not in " ".join(answer.headers.get_list("set-cookie"))


def test_the_console_shares_the_apis_lockout(world) -> None:  # type: ignore[no-untyped-def]
    """Wrong passwords typed in the console count where the API's do
    (server/sign_in.py): at the account's limit the page says it is locked
    and for how long, even for the right password."""
    from server import sign_in

    username = world.data.usernames["18.72"][0]
    c = client(world)
    c.get("/console/sign-in")
    pre = c.cookies["tapis_console_pre"]
    for _ in range(sign_in.DEFAULT_LIMITS.account_failures):
        assert c.post("/console/sign-in", data={"csrf": pre, "username": username,
                                                "password": "wrong-guess"}).status_code == 401
    locked = c.post("/console/sign-in", data={"csrf": pre, "username": username,
                                              "password": "province-data-2026"})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Terlalu banyak percobaan" in locked.text
    with world.server.database.session() as session:
        assert sign_in.unlock_officer(session, username)
    opened = c.post("/console/sign-in", data={"csrf": pre, "username": username,
                                              "password": "province-data-2026"})
    assert opened.status_code == 303


def test_changing_ones_password_checks_the_current_one_and_ends_other_sessions(world) -> None:  # type: ignore[no-untyped-def]
    username = world.data.usernames["18.72"][1]
    old, new = "province-data-2026", "kopi-robusta-lampung-7"
    first, token = signed_in_as(world, username, old)
    second, _ = signed_in_as(world, username, old)
    refused = first.post("/console/password", data={
        "csrf": token, "current_password": "not-it", "new_password": new, "repeat_password": new})
    assert refused.status_code == 422 and "Kata sandi sekarang salah" in refused.text
    mismatch = first.post("/console/password", data={
        "csrf": token, "current_password": old, "new_password": new, "repeat_password": new + "x"})
    assert mismatch.status_code == 422
    assert first.post("/console/password", data={"current_password": old, "new_password": new,
                                                  "repeat_password": new}).status_code == 403
    changed = first.post("/console/password", data={
        "csrf": token, "current_password": old, "new_password": new, "repeat_password": new})
    assert changed.status_code == 303
    assert first.get("/console/dashboard").status_code == 200  # this session goes on
    assert second.get("/console/dashboard").status_code == 303  # the other one ended
    signed_in_as(world, username, new)
    fresh = client(world)
    fresh.get("/console/sign-in")
    assert fresh.post("/console/sign-in", data={"csrf": fresh.cookies["tapis_console_pre"],
                                                "username": username,
                                                "password": old}).status_code == 401


def signed_in_as(world, username: str, password: str) -> tuple[httpx.Client, str]:  # type: ignore[no-untyped-def]
    c = client(world)
    c.get("/console/sign-in")
    answer = c.post("/console/sign-in", data={"csrf": c.cookies["tapis_console_pre"],
                                              "username": username, "password": password})
    assert answer.status_code == 303, answer.text[:500]
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/console/dashboard").text).group(1)
    return c, token
