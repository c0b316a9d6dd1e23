"""A fake Tapis server on loopback that answers what a test scripts: slow
bytes, huge bodies, an HTML page, redirects, a cursor that never moves,
``Retry-After: 100000``, changes with injected column names.

It speaks just enough of the protocol for ``python -m desktop_app sync`` to
get to the step under attack (health, sign-in, signing key, push, the three
pull scopes, the set-aside report); a test replaces one route's answer with
its own function. Every request is recorded (method, path, headers, body)
so a test can see where the password went. Standard library only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parents[2]
OFFICER_ID = "0190a0a0-0000-7000-8000-0000000000aa"
#: Regency of the scripted officer (Kota Bandar Lampung, in the shipped reference set).
REGENCY = "18.71"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class Reply:
    """What the handler writes; a route function gets (request, reply)."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self.handler = handler

    def json(self, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.raw(json.dumps(payload).encode(), status, "application/json", headers)

    def raw(self, body: bytes, status: int = 200, content_type: str = "application/json",
            headers: dict[str, str] | None = None) -> None:
        h = self.handler
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)

    def empty(self, status: int = 204, headers: dict[str, str] | None = None) -> None:
        h = self.handler
        h.send_response(status)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Content-Length", "0")
        h.end_headers()

    def dribble(self, body: bytes, every: float, *, headers_too: bool = False) -> None:
        """``body`` one byte at a time, ``every`` seconds apart (slow-loris in reverse)."""
        h = self.handler
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        data = head + body if headers_too else body
        if not headers_too:
            h.wfile.write(head)
        try:
            for i in range(len(data)):
                h.wfile.write(data[i:i + 1])
                h.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the laptop gave up: that is the point
        h.close_connection = True

    def stream(self, chunks: Iterator[bytes]) -> None:
        """A chunked answer of unbounded length, until the laptop hangs up."""
        h = self.handler
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        try:
            for chunk in chunks:
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            h.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        h.close_connection = True


Route = Callable[[Seen, Reply], None]


@dataclass
class Script:
    """The answers; ``routes`` maps 'METHOD /path' (no /v1, no query) to a route."""

    routes: dict[str, Route] = field(default_factory=dict)
    pages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def count(self, method: str, path: str) -> int:
        return sum(1 for s in self.seen if s.method == method and s.path == path)


class HostileServer:
    def __init__(self, script: Script) -> None:
        self.script = script
        handler = type("Handler", (_Handler,), {"script": script})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name="hostile-server")

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    script: Script
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        seen = Seen(self.command, url.path.removeprefix("/v1"), parse_qs(url.query),
                    dict(self.headers.items()), self.rfile.read(length) if length else b"")
        self.script.seen.append(seen)
        reply = Reply(self)
        route = self.script.routes.get(f"{seen.method} {seen.path}") or _default(seen)
        route(seen, reply)


def _default(seen: Seen) -> Route:
    if seen.path == "/health":
        return lambda _s, r: r.json({"status": "ok"})
    if seen.path == "/auth/login":
        return lambda _s, r: r.json(login_answer())
    if seen.path == "/auth/challenge":
        return lambda _s, r: r.json({"nonce": "bm9uY2Vub25jZW5vbmNlbm9uY2Vub25jZW5vbmNlMDA",
                                     "expires_at": "2099-01-01T00:00:00Z"})
    if seen.path.startswith("/devices/"):
        return lambda _s, r: r.empty(204)
    if seen.path == "/pull":
        return pull_pages
    return lambda _s, r: r.json({"code": "not_found", "message_id": "tidak ada",
                                 "message_en": "not here"}, 404)


def login_answer(regency: str = REGENCY) -> dict[str, Any]:
    return {"token": "hostile-token", "expires_at": "2099-01-01T00:00:00Z",
            "server_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "officer": {"id": OFFICER_ID, "username": "petugas", "full_name": "Petugas Uji",
                        "role": "officer", "regency_code": regency},
            "bundle_keys": []}


def pull_pages(seen: Seen, reply: Reply) -> None:
    """The scripted pages of a scope, one per cursor (index = cursor);
    past them an empty last page (the reference scope's cursor starts at the
    shipped set's ordinal, so its scripted page is the first one asked for)."""
    script: Script = reply.handler.script  # type: ignore[attr-defined]
    scope = seen.query.get("scope", ["own"])[0]
    cursor = int(seen.query.get("cursor", ["0"])[0])
    pages = script.pages.get(scope, [])
    if scope == "reference" and pages and script.count("GET", "/pull") <= 1:
        reply.json(pages[0])
        return
    if cursor >= len(pages):
        reply.json(page(scope, [], cursor, has_more=False))
        return
    reply.json(pages[cursor])


def page(scope: str, changes: list[dict[str, Any]], next_cursor: int, *,
         has_more: bool = False) -> dict[str, Any]:
    return {"scope": scope, "changes": changes, "next_cursor": next_cursor, "has_more": has_more,
            "checksum": None, "row_count": None}


def change(seq: int, table: str, fields: dict[str, Any], *, op: str = "insert",
           row_id: str | None = None) -> dict[str, Any]:
    return {"server_seq": seq, "table": table, "row_id": row_id or str(uuid.uuid4()), "op": op,
            "fields": fields, "hlc": 1, "device_id": str(uuid.uuid4()), "officer_id": OFFICER_ID}


def business_fields(name: str = "Warung Uji", **extra: Any) -> dict[str, Any]:
    """A complete, valid business row as the server sends it."""
    return {"name": name, "owner_name": "Siti Aminah", "owner_nik": "1871014101900001",
            "phone": "", "address": "Jl. Uji 1", "village": "", "regency_code": REGENCY,
            "district_code": None, "village_code": None, "kbli_section": None,
            "created_at": "2026-11-20T01:02:03.000Z", "updated_at": "2026-11-20T01:02:03.000Z",
            "created_by": OFFICER_ID, "officer_id": OFFICER_ID,
            "device_id": "0190a0a0-0000-7000-8000-0000000000dd", "deleted_at": None, **extra}


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run_sync(data_dir: Path, server_url: str, *, deadline: float | None = None,
             timeout: float = 60.0, password: str = "rahasia-uji-2026",
             extra_env: dict[str, str] | None = None) -> CliRun:
    """``python -m desktop_app sync`` against ``server_url`` in a subprocess,
    with the client's overall deadline set to ``deadline`` seconds (the
    shipped value is minutes). A sync still running at ``timeout`` is killed
    and reported with return code -9 (today's code, waiting forever)."""
    code = ("import sys; import desktop_app.sync.client as c\n"
            + (f"c.REQUEST_DEADLINE = {deadline!r}\n" if deadline is not None else "")
            + "from desktop_app.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    args = [sys.executable, "-c", code, "--data-dir", str(data_dir), "sync", "--server",
            server_url, "--user", "petugas", "--password", password]
    env = {**os.environ, **(extra_env or {})}
    started = time.monotonic()
    try:
        done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                              env=env)
    except subprocess.TimeoutExpired as exc:
        return CliRun(-9, _text(exc.stdout), _text(exc.stderr), time.monotonic() - started)
    return CliRun(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value or ""


@contextmanager
def hostile(script: Script | None = None) -> Iterator[HostileServer]:
    with HostileServer(script or Script()) as server:
        yield server
