"""Issue 11 item 7: the laptop trusts no answer. ``python -m desktop_app sync``
runs against a fake server on loopback that answers as a hostile network or
a captive portal would; each attack ends the sync within its bounds with a
bilingual sentence, never a traceback, and the store check still passes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.store import open_store
from desktop_app.store.check import run as check_store
from desktop_app.models import synced_tables
from tests.support.hostile_server import (
    CliRun, Script, change, hostile, page, run_sync,
)

#: The overall deadline the sync gets in these tests (minutes when shipped).
DEADLINE = 3.0
PASSWORD = "rahasia-uji-2026"


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    data = tmp_path / "laptop"
    open_store(data).close()
    return data


def stopped_cleanly(done: CliRun, *english: str) -> None:
    """Exit 1 with a sentence in both languages and no traceback."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert "sync stopped:" in done.stderr and "sinkronisasi berhenti:" in done.stderr
    for words in english:
        assert words in done.stderr, done.stderr


def store_is_sound(data: Path) -> None:
    store = open_store(data)
    try:
        with store.raw() as connection:
            report = check_store(connection, synced_tables())
    finally:
        store.close()
    assert report.ok, report.faults


def test_a_cursor_that_does_not_move_is_an_error_not_a_loop(laptop):
    """has_more with the same cursor again: one clear stop, not 1,328 requests a minute."""
    script = Script(pages={"regency": [page("regency", [], 0, has_more=True)]})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, deadline=DEADLINE, timeout=40)
    stopped_cleanly(done, "does not move on")
    assert script.count("GET", "/pull") <= 5
    store_is_sound(laptop)


def test_a_retry_after_of_100000_seconds_is_not_obeyed(laptop):
    """503 with Retry-After: 100000 on every pull: the wait is capped (120 s, and
    never past the request's deadline), the sync stops with a message."""
    script = Script(routes={"GET /pull": lambda _s, r: r.json(
        {"code": "invalid", "message_id": "sibuk", "message_en": "busy"}, 503,
        headers={"Retry-After": "100000"})})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, deadline=DEADLINE, timeout=40)
    stopped_cleanly(done, "try again later")
    assert done.seconds < 30


def test_a_server_dribbling_one_byte_at_a_time_meets_the_overall_deadline(laptop):
    """A valid page sent one byte every 0.4 s (each read well within its own
    timeout): the request ends at its overall deadline, not after 60 s."""
    body = json.dumps(page("regency", [], 1)).encode()
    script = Script(routes={"GET /pull": lambda _s, r: r.dribble(body, 0.4)})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, deadline=DEADLINE, timeout=40)
    stopped_cleanly(done, "answers too slowly")
    assert done.seconds < 25


def test_headers_dribbled_one_byte_at_a_time_meet_the_deadline_too(laptop):
    """Even the status line and headers arriving byte by byte do not hold the sync."""
    body = b'{"status": "ok"}'
    script = Script(routes={"POST /auth/login": lambda _s, r: r.dribble(body, 0.4, headers_too=True)})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, deadline=DEADLINE, timeout=60)
    stopped_cleanly(done, "answers too slowly")
    assert done.seconds < 25


def test_a_huge_answer_is_cut_at_8_mib_without_reading_it_all(laptop):
    """256 MiB offered as one pull answer: the laptop stops reading past 8 MiB."""
    sent = []

    def chunks() -> Iterator[bytes]:
        yield b'{"scope": "regency", "changes": ['
        for _ in range(256):
            sent.append(1)
            yield b" " * (1024 * 1024)

    script = Script(routes={"GET /pull": lambda _s, r: r.stream(chunks())})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, timeout=60)
    stopped_cleanly(done, "over 8 MiB")
    assert len(sent) < 64, f"{len(sent)} MiB were taken from the server"


def test_a_declared_huge_answer_is_not_read_at_all(laptop):
    """A Content-Length of 1 GiB is refused before a byte of the body is read."""
    def huge(_seen, reply) -> None:
        h = reply.handler
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(1024 ** 3))
        h.end_headers()
        try:
            for _ in range(64):
                h.wfile.write(b" " * (1024 * 1024))
        except OSError:
            pass
        h.close_connection = True

    with hostile(Script(routes={"GET /pull": huge})) as server:
        done = run_sync(laptop, server.url, timeout=60)
    stopped_cleanly(done, "over 8 MiB")


def test_a_captive_portal_page_is_a_clear_message(laptop):
    """A hotspot answers the sign-in with its HTML page: the officer reads what
    is going on, in both languages."""
    html = b"<!doctype html><html><body>Masuk ke WiFi Desa</body></html>"
    script = Script(routes={"POST /auth/login": lambda _s, r: r.raw(html, 200, "text/html")})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, timeout=40)
    stopped_cleanly(done, "not from a Tapis server", "hotspot")


def test_a_pull_answer_of_the_wrong_shape_is_a_clear_message(laptop):
    """JSON, but not a pull page."""
    script = Script(routes={"GET /pull": lambda _s, r: r.json({"hello": "world"})})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, timeout=40)
    stopped_cleanly(done, "wrong shape")
    store_is_sound(laptop)


def test_a_307_on_sign_in_does_not_send_the_password_anywhere(laptop):
    """The sign-in is redirected to another host with a 307 (which keeps the
    body): the laptop does not follow, so the password goes nowhere else."""
    elsewhere = Script()
    with hostile(elsewhere) as thief:
        script = Script(routes={"POST /auth/login": lambda _s, r: r.empty(
            307, {"Location": f"{thief.url}/v1/auth/login"})})
        with hostile(script) as server:
            done = run_sync(laptop, server.url, timeout=40, password=PASSWORD)
    stopped_cleanly(done, "redirect")
    assert not elsewhere.seen, "the redirect was followed"
    assert all(PASSWORD.encode() not in s.body for s in elsewhere.seen)


def test_a_redirect_with_the_token_is_not_followed(laptop):
    """A pull redirected elsewhere would carry the bearer token there: not followed."""
    elsewhere = Script()
    with hostile(elsewhere) as thief:
        script = Script(routes={"GET /pull": lambda _s, r: r.empty(
            302, {"Location": f"{thief.url}/v1/pull"})})
        with hostile(script) as server:
            done = run_sync(laptop, server.url, timeout=40)
    stopped_cleanly(done, "redirect")
    assert not any("Authorization" in s.headers for s in elsewhere.seen)


def test_a_page_of_more_than_5000_changes_is_refused(laptop):
    """5,001 changes in one page: refused whole, nothing stored, the cursor stays."""
    many = [change(i + 1, "business", {"name": "x"}, op="update") for i in range(5001)]
    script = Script(pages={"regency": [page("regency", many, 5001)]})
    with hostile(script) as server:
        done = run_sync(laptop, server.url, timeout=60)
    stopped_cleanly(done, "more than 5000 changes")
    with sqlite3.connect(laptop / "tapis.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM sync_cursor WHERE scope = 'regency'"
                            ).fetchone()[0] == 0
    store_is_sound(laptop)
