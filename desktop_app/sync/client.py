"""The HTTP side of sync: requests with urllib3's Retry, gzip, the headers.

Network errors and 5xx answers retry with capped exponential backoff and
jitter (urllib3 Retry), POSTs included: every request here is safe to repeat
(pushes are idempotent by device sequence). Any other refusal comes back as
:class:`ServerRefused` with the server's bilingual message.

The laptop trusts no answer (docs/SECURITY.md, a hostile network or
server): every request has one overall deadline, retries and waits
included (not a timeout per read, which a server dribbling one byte at a
time never trips); an answer is read streamed and cut at
:data:`MAX_ANSWER_BYTES` after decompression; a ``Retry-After`` is obeyed
up to :data:`MAX_RETRY_AFTER` seconds; no redirect is ever followed (the
requests carry the password or the token, and a captive portal redirects);
an answer that is not Tapis's JSON (a hotspot's HTML page, a wrong shape)
is a :class:`BadAnswer` with a bilingual message, never a traceback.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import json
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (ConnectTimeoutError, MaxRetryError, NewConnectionError,
                                ProtocolError, ReadTimeoutError)
from urllib3.util.wait import wait_for_read
from urllib3.util.retry import Retry

from .. import thread_guard
from .. import protocol as p
from ..models.errors import TapisError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

#: (connect, read) seconds. The read timeout is the *stall window*
#: (docs/PROTOCOL.md, 'Stalled links'): once an answer has begun, that long
#: with no byte arriving is a stalled link; before it begins, the server may
#: be working, so each half of it in silence asks ``GET /health`` on a fresh
#: connection, and only a probe that gets no answer either ends the wait.
#: While the body goes up, urllib3 gives each send the connect timeout.
TIMEOUT = (10.0, 20.0)
#: The stall window shipped (the read timeout above), for the docs and tests.
STALL_SECONDS = TIMEOUT[1]
#: Requests whose size the engine adapts (push batch, pull page, photo
#: chunk): a cut one is not retried as it is by urllib3 but handed back at
#: once, so the engine can send it again smaller (engine.AdaptiveSize).
SIZED_REQUESTS = (("POST", "/push"), ("GET", "/pull"), ("PATCH", "/attachments/"))
#: One request, retries and Retry-After waits included, ends by this many
#: seconds: a 1 MiB pull page at 64 kbit/s takes ~130 s.
REQUEST_DEADLINE = 180.0
#: Largest answer read (after decompression); the server's pull pages are
#: cut at 1 MiB of JSON, a photo chunk is 512 KiB.
MAX_ANSWER_BYTES = 8 * 1024 * 1024
#: Most changes accepted in one pull page.
MAX_PAGE_CHANGES = 5000
#: Longest Retry-After obeyed, in seconds (a longer one is cut to this).
MAX_RETRY_AFTER = 120

M = TypeVar("M", bound=BaseModel)


class SyncError(TapisError):
    """Sync could not finish; ``message_id``/``message_en`` say why."""

    reason = "sync_failed"


class Offline(SyncError):
    reason = "offline"
    #: True when the link carried nothing: no connection could be made
    #: (refused, no route, connect timeout) or it stalled (docs/PROTOCOL.md,
    #: 'Stalled links'); False for a request cut on the way.
    dead = False

    def __init__(self, detail: str) -> None:
        super().__init__(f"Server tidak dapat dihubungi ({detail}). Data tetap aman; coba lagi nanti.",
                         f"The server cannot be reached ({detail}). Data is safe; try again later.")


class TooSlow(SyncError):
    """One request took longer than its overall deadline."""

    reason = "too_slow"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Server menjawab terlalu lambat (lebih dari {seconds:.0f} detik untuk satu "
                         "permintaan). Data tetap aman; coba lagi nanti atau di jaringan lain.",
                         f"The server answers too slowly (more than {seconds:.0f} s for one "
                         "request). Data is safe; try again later or on another network.")


class BadAnswer(SyncError):
    """An answer that is not Tapis's: HTML, a wrong shape, too large, a redirect."""

    reason = "bad_answer"


def not_tapis(what_id: str, what_en: str) -> BadAnswer:
    return BadAnswer(f"Jawaban ini bukan dari server Tapis ({what_id}). Jaringan hotspot mungkin "
                     "meminta masuk lewat peramban dulu, atau alamat server salah. Data tetap aman.",
                     f"This answer is not from a Tapis server ({what_en}). A hotspot may want a "
                     "sign-in in the browser first, or the server address is wrong. Data is safe.")


class ServerRefused(SyncError):
    """A 4xx from the server with its ErrorBody."""

    def __init__(self, status: int, body: p.ErrorBody) -> None:
        super().__init__(body.message_id, body.message_en, reason=body.code.value)
        self.status = status
        self.body = body


class _DeadlinePassed(Exception):
    """Raised inside urllib3 (not an HTTPError, so requests lets it through)."""


class _Clock:
    """One request's deadline: when it ends, whether it has passed."""

    def __init__(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds
        self.expired = False
        self.done = False
        self.timer: threading.Timer | None = None


class _Deadline:
    """Each request's overall deadline: past it, the sockets of this client
    are shut down (a blocked read returns at once) and no retry starts. The
    pipelined push sends from two threads at once, so each thread holds its
    own request's clock (one shared clock let the second request's start
    replace the first's, whose deadline then never came)."""

    def __init__(self) -> None:
        self.connections: weakref.WeakSet[HTTPConnection] = weakref.WeakSet()
        #: Set while SyncClient.interrupted ends the requests in flight.
        self.interrupted = False
        #: Asked when an answer is slow to begin (the server's /health).
        self.probe_url: str | None = None
        #: When a byte of an answer last arrived, on any thread (monotonic):
        #: a pipelined push hears its other answers and needs no probe.
        self.heard = 0.0
        #: Set once a sized request was cut on its way (a link that drops
        #: connections after so many bytes, issue 17): from then on each sized
        #: request goes on a connection that has carried nothing yet, so a
        #: request never starts on a connection the link has half used up
        #: and the engine's size learns what one connection carries.
        self.cutting = False
        self._local = threading.local()

    @property
    def _clock(self) -> _Clock | None:
        return getattr(self._local, "clock", None)

    @property
    def until(self) -> float | None:
        clock = self._clock
        return None if clock is None else clock.until

    @property
    def expired(self) -> bool:
        clock = self._clock
        return clock is not None and clock.expired

    def track(self, connection: HTTPConnection) -> None:
        self.connections.add(connection)
        if self.expired:
            self._shut(connection)

    def sending(self, sized: bool) -> None:
        """This thread's next request is a sized one (or not)."""
        self._local.sized = sized

    def wants_fresh(self) -> bool:
        """This thread's request should go on a connection of its own."""
        return self.cutting and getattr(self._local, "sized", False)

    def start(self, seconds: float) -> None:
        clock = _Clock(seconds)
        clock.timer = threading.Timer(seconds, self.expire, args=(clock,))
        clock.timer.daemon = True
        self._local.clock = clock
        clock.timer.start()

    def stop(self) -> None:
        clock = self._clock
        if clock is not None:
            clock.done = True
            if clock.timer is not None:
                clock.timer.cancel()
        self._local.clock = None

    def remaining(self) -> float:
        until = self.until
        return float("inf") if until is None else until - time.monotonic()

    def check(self, wait: float = 0.0) -> None:
        if self.expired or wait >= self.remaining():
            raise _DeadlinePassed()

    def expire(self, clock: _Clock) -> None:
        """A request's deadline passed: shut every socket of this client (a
        request beside it on another thread ends too, and is sent again)."""
        if clock.done:
            return  # a late timer of a request that has ended
        clock.expired = True
        for connection in list(self.connections):
            self._shut(connection)

    @staticmethod
    def _shut(connection: HTTPConnection) -> None:
        sock = getattr(connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Retry(Retry):
    """urllib3's Retry that never retries or waits past the deadline. A 429
    (sign-in locked for minutes) is the officer's to see, never waited out in
    silence; a 503's Retry-After (server busy) still is."""

    RETRY_AFTER_STATUS_CODES = frozenset({503})
    deadline: _Deadline | None = None

    def new(self, **kw: Any) -> _Retry:
        fresh = super().new(**kw)
        fresh.deadline = self.deadline
        return fresh

    def increment(self, method: str | None = None, url: str | None = None, *args: Any,
                  **kwargs: Any) -> _Retry:
        if self.deadline is not None:
            self.deadline.check()
        error = kwargs.get("error")
        if error is not None and self.deadline is not None and self.deadline.interrupted:
            raise MaxRetryError(kwargs.get("_pool"), url or "", error) from error
        if error is not None and _sized(method, url) and not self._is_connection_error(error) \
                and not _stale_keep_alive(error):
            # A sized request cut on the way: resending the same bytes would meet
            # the same cut; the engine sends it again smaller (issue 17).
            if self.deadline is not None:
                self.deadline.cutting = True
            raise MaxRetryError(kwargs.get("_pool"), url or "", error) from error
        return super().increment(method, url, *args, **kwargs)  # type: ignore[return-value]

    def sleep(self, response: Any = None) -> None:
        wait = (self.get_retry_after(response) if response is not None else None) \
            or self.get_backoff_time()
        if self.deadline is not None:
            self.deadline.check(wait)
        super().sleep(response)


def _sized(method: str | None, url: str | None) -> bool:
    path = (url or "").split("?", 1)[0]
    return any(method == m and (p.API_PREFIX + route) in path for m, route in SIZED_REQUESTS)


def _stale_keep_alive(error: Exception) -> bool:
    """A kept-alive connection the server had closed (a clean close before
    any answer): nothing about the link or the size; urllib3 retries it."""
    cause = error.args[1] if isinstance(error, ProtocolError) and len(error.args) > 1 else None
    return isinstance(cause, http.client.RemoteDisconnected)


def _guarded(retry: Retry, deadline: _Deadline) -> _Retry:
    guarded = _Retry.__new__(_Retry)
    guarded.__dict__.update(retry.__dict__)
    if not isinstance(retry, _Retry):  # a test's own Retry keeps its status codes
        guarded.RETRY_AFTER_STATUS_CODES = type(retry).RETRY_AFTER_STATUS_CODES  # type: ignore[misc]
    guarded.retry_after_max = min(getattr(retry, "retry_after_max", MAX_RETRY_AFTER), MAX_RETRY_AFTER)
    guarded.deadline = deadline
    return guarded


class _Adapter(HTTPAdapter):
    """Connections whose sockets the deadline can shut."""

    def __init__(self, deadline: _Deadline, **kwargs: Any) -> None:
        self.deadline = deadline
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _pool_class(HTTPConnectionPool, HTTPConnection, self.deadline),
            "https": _pool_class(HTTPSConnectionPool, HTTPSConnection, self.deadline)}


def _pool_class(pool: type[HTTPConnectionPool], connection: type[HTTPConnection],
                deadline: _Deadline) -> type[HTTPConnectionPool]:
    def connect(self: HTTPConnection) -> None:
        connection.connect(self)
        self.answered = 0  # type: ignore[attr-defined]  # answers this connection carried
        deadline.track(self)

    def getresponse(self: HTTPConnection) -> Any:
        _await_answer(self, deadline)
        self.answered = getattr(self, "answered", 0) + 1  # type: ignore[attr-defined]
        return connection.getresponse(self)

    def get_conn(self: HTTPConnectionPool, timeout: float | None = None) -> Any:
        conn = pool._get_conn(self, timeout)
        if getattr(conn, "answered", 0) and deadline.wants_fresh():
            conn.close()  # reconnects on its request, with the link's full allowance
        return conn

    tracked = type(f"Tracked{connection.__name__}", (connection,),
                   {"connect": connect, "getresponse": getresponse})
    return type(f"Tracked{pool.__name__}", (pool,), {"ConnectionCls": tracked,
                                                     "_get_conn": get_conn})


def _await_answer(connection: HTTPConnection, deadline: _Deadline) -> None:
    """Wait for the first byte of the answer, the request sent whole: in
    silence the server may be applying a big batch (or waiting for its
    predecessor), or the link may have died. Every half stall window of
    silence a ``GET /health`` on a fresh connection tells the two apart: it
    answers, the server is there and the link carries bytes, so the wait goes
    on (up to the overall deadline); it does not, the link is stalled and the
    request ends now (``TimeoutError``, urllib3's read timeout) instead of
    after minutes."""
    sock, window = connection.sock, connection.timeout
    if sock is None or not isinstance(window, (int, float)) or window <= 0:
        return
    half = window / 2
    for _probe in range(100_000):  # bounded by the overall deadline in practice
        if deadline.expired or wait_for_read(sock, timeout=half):
            deadline.heard = time.monotonic()
            return  # an answer (or a close) is there: http.client reads it
        if time.monotonic() - deadline.heard < half:
            continue  # another answer of this client came meanwhile: the link is alive
        scheme = "https" if isinstance(connection, HTTPSConnection) else "http"
        probe = deadline.probe_url or f"{scheme}://{connection.host}:{connection.port}/health"
        if not _alive(probe, half):
            raise TimeoutError(f"no byte for {window:g} s and the server does not answer")


def _alive(url: str, seconds: float) -> bool:
    """Any answer to ``GET /health`` within ``seconds`` on a new connection:
    the link carries bytes both ways (what the probe asks; a reverse proxy's
    404 says so too)."""
    try:
        with requests.get(url, timeout=(seconds, seconds), allow_redirects=False,
                          stream=True):
            return True
    except requests.RequestException:
        return False


def make_retry(total: int = 6, backoff: float = 0.5, cap: float = 30.0, connect: int = 3) -> Retry:
    """Capped exponential backoff with jitter. Connection refusals give up
    sooner (no server there: the officer is told within seconds, and the next
    sync tries again); cut reads and 5xx get the full count."""
    return _Retry(total=total, connect=min(connect, total), read=total, status=total, other=0,
                 backoff_factor=backoff, backoff_max=cap, backoff_jitter=backoff,
                 status_forcelist=(500, 502, 503, 504), allowed_methods=None,
                 raise_on_status=False, respect_retry_after_header=True,
                 retry_after_max=MAX_RETRY_AFTER)


def model(kind: type[M], data: Any) -> M:
    """``data`` read as ``kind``; a wrong shape is a :class:`BadAnswer`."""
    try:
        return kind.model_validate(data)
    except ValidationError:
        raise not_tapis("bentuk jawaban salah", "the answer has the wrong shape") from None


class SyncClient:
    """One server, one device; holds the bearer token after sign-in."""

    def __init__(self, base_url: str, *, device_id: str, schema: str,
                 retry: Retry | None = None, timeout: tuple[float, float] = TIMEOUT,
                 deadline: float | None = None,
                 device_key: Ed25519PrivateKey | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        #: The device's Ed25519 key (sync/device_signing.py): it proves this
        #: laptop at sign-in (docs/PROTOCOL.md, 'Device proof').
        self.device_key = device_key
        self.timeout = timeout
        #: Seconds one request may take in all (read at each request, so a
        #: test may shorten the module's value).
        self.deadline = deadline
        self.token: str | None = None
        self._deadline = _Deadline()
        self._deadline.probe_url = self.base_url + "/health"
        self.http = requests.Session()
        adapter = _Adapter(self._deadline, max_retries=_guarded(retry or make_retry(), self._deadline))
        self.http.mount("http://", adapter)
        self.http.mount("https://", adapter)
        self.http.headers.update({p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION),
                                  p.SCHEMA_HEADER: schema, p.DEVICE_HEADER: device_id})
        self.bytes_sent = 0
        self.bytes_received = 0
        self.requests = 0

    def login(self, username: str, password: str, device_name: str = "") -> p.LoginResponse:
        """Sign in with the device's proof: a fresh challenge signed by its key.
        A proof refused as used (the answer to a first try was lost on the link
        and the request resent) is tried once more with a new challenge."""
        for attempt in (1, 2):
            body = p.LoginRequest(username=username, password=password,
                                  device_id=self.device_id, device_name=device_name,
                                  **self._device_proof(username))
            try:
                raw = self._call("POST", "/auth/login", body.model_dump(exclude_none=True))
            except ServerRefused as exc:
                if attempt == 1 and exc.body.code == p.ErrorCode.DEVICE_PROOF_INVALID:
                    continue
                raise
            answer = model(p.LoginResponse, raw)
            self.token = answer.token
            return answer
        raise AssertionError("unreachable")

    def _device_proof(self, username: str) -> dict[str, str]:
        if self.device_key is None:
            return {}
        nonce = model(p.ChallengeResponse, self._call(
            "POST", "/auth/challenge", p.ChallengeRequest(device_id=self.device_id).model_dump()
        )).nonce
        signature = self.device_key.sign(p.device_proof_message(nonce, self.device_id, username))
        public = self.device_key.public_key().public_bytes_raw()
        return {"nonce": nonce, "device_key": base64.urlsafe_b64encode(public).decode(),
                "device_proof": base64.urlsafe_b64encode(signature).decode()}

    def change_password(self, username: str, password: str, new_password: str) -> None:
        """Replace the password (a one-time password of a new account or a
        reset): 204, no token; sign in with the new password next."""
        body = p.PasswordChangeRequest(username=username, password=password,
                                       new_password=new_password, device_id=self.device_id)
        self._call("POST", "/auth/password", body.model_dump())

    def assignments(self) -> p.AssignmentsResponse:
        """The signed-in officer's open assignments, whole."""
        return model(p.AssignmentsResponse, self._call("GET", "/assignments"))

    def push(self, request: p.PushRequest) -> p.PushResponse:
        # Level 9: ~5 % fewer bytes than 6 on a 256 KB batch of changes for ~2 ms
        # more CPU; at 64 kbit/s that saves ~0.8 s of link time per batch.
        raw = gzip.compress(request.model_dump_json().encode(), compresslevel=9)
        return model(p.PushResponse, self._call("POST", "/push", raw=raw))

    def pull(self, scope: p.Scope, cursor: int, limit: int = 500,
             exclude: p.Scope | None = None) -> p.PullResponse:
        """One page; a page that is too long, or that says more follows
        without moving the cursor (a loop), is a :class:`BadAnswer`.
        ``exclude`` (``regency``, with scope ``own``) asks the server to
        leave out what that other scope sends (docs/PROTOCOL.md, "Pull")."""
        params: dict[str, Any] = {"scope": scope.value, "cursor": cursor, "limit": limit}
        if exclude is not None:
            params["exclude"] = exclude.value
        data = self._call("GET", "/pull", params=params)
        if isinstance(data, dict) and isinstance(data.get("changes"), list) \
                and len(data["changes"]) > MAX_PAGE_CHANGES:  # before validating a million of them
            raise not_tapis(f"lebih dari {MAX_PAGE_CHANGES} perubahan dalam satu halaman",
                            f"more than {MAX_PAGE_CHANGES} changes in one page")
        page = model(p.PullResponse, data)
        if page.has_more and page.next_cursor <= cursor:
            raise not_tapis("posisi tarik tidak maju", "the pull position does not move on")
        if not 0 <= page.next_cursor < 2**63:
            raise not_tapis("posisi tarik di luar batas", "a pull position out of range")
        return page

    def upload_bundle(self, data: bytes) -> p.BundleResult:
        """Send one sync bundle file as it is (desktop_app/protocol/bundle.py);
        the server verifies, decrypts and applies it once."""
        return model(p.BundleResult, _json(self._send(
            "POST", "/bundles", raw=data, headers={"Content-Type": "application/octet-stream"})))

    def register_signing_key(self, public_key: str) -> None:
        """Register this device's Ed25519 public key (base64) for its bundles."""
        self._call("POST", f"/devices/{self.device_id}/signing-key",
                   p.SigningKeyRequest(public_key=public_key).model_dump())

    def report_set_aside(self, items: list[dict[str, str]]) -> None:
        """Tell the server which pulled changes this laptop set aside
        (desktop_app/store/inbox.py), at most 500 at a time."""
        self._call("POST", f"/devices/{self.device_id}/set-aside", {"items": items})

    def conflicts(self, status: str = "open") -> list[p.ConflictInfo]:
        """Conflicts of the caller's regency (supervisors and admins only)."""
        data = self._call("GET", "/conflicts", params={"status": status})
        if not isinstance(data, list):
            raise not_tapis("bentuk jawaban salah", "the answer has the wrong shape")
        return [model(p.ConflictInfo, c) for c in data]

    def settle(self, conflict_id: str, value: object) -> p.ConflictInfo:
        """Settle an open conflict with ``value`` (wire form: one of the two
        values shown, or a new one)."""
        return model(p.ConflictInfo, self._call("POST", f"/conflicts/{conflict_id}/settle",
                                                {"value": value}))

    # --- attachments: tus-style resumable upload (server/routes/attachments.py) -

    def upload_status(self, sha256: str) -> p.UploadOffset | None:
        """Where the server's upload of this photo stands; None if it has none."""
        response = self._send("HEAD", f"/attachments/{sha256}", allow=(404,))  # HEAD: no body
        return None if response.status_code == 404 else _offset_from_headers(sha256, response)

    def upload_start(self, sha256: str, length: int) -> p.UploadOffset:
        """Create the upload, or learn where an existing one stands (idempotent)."""
        return model(p.UploadOffset, _json(self._send(
            "POST", "/attachments/", headers={"Upload-Length": str(length),
                                              "X-Tapis-Sha256": sha256})))

    def upload_chunk(self, sha256: str, offset: int, chunk: bytes) -> p.UploadOffset:
        """Append ``chunk`` at ``offset``. A 409 (the server holds another
        offset) comes back as :class:`ServerRefused` with ``detail['offset']``."""
        return model(p.UploadOffset, _json(self._send(
            "PATCH", f"/attachments/{sha256}", raw=chunk,
            headers={"Upload-Offset": str(offset),
                     "Content-Type": "application/offset+octet-stream"})))

    def download_attachment(self, sha256: str) -> bytes:
        """The photo's bytes from the server, checked against their hash."""
        data = self._send("GET", f"/attachments/{sha256}").content
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SyncError("Foto yang diterima rusak; coba lagi nanti.",
                            "The photo received is damaged; try again later.")
        return data

    @contextmanager
    def interrupted(self) -> Iterator[None]:
        """Within: this client's requests in flight end now as :class:`Offline`
        (their sockets are shut, and urllib3 does not send them again). The
        pipelined push uses it when a batch is cut: the batch sent after it
        would otherwise wait at the server for a predecessor that never came
        (up to 20 s) before its 409."""
        self._deadline.interrupted = True
        try:
            for connection in list(self._deadline.connections):
                _Deadline._shut(connection)
            yield
        finally:
            self._deadline.interrupted = False

    def close(self) -> None:
        self._deadline.stop()
        self.http.close()

    def _call(self, method: str, path: str, payload: Any = None, *, raw: bytes | None = None,
              params: dict[str, Any] | None = None) -> Any:
        headers: dict[str, str] = {}
        data = raw
        if payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            headers.update({"Content-Type": "application/json", "Content-Encoding": "gzip"})
        response = self._send(method, path, raw=data, params=params, headers=headers)
        return _json(response) if response.content else None

    def _send(self, method: str, path: str, *, raw: bytes | None = None,
              params: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None,
              allow: tuple[int, ...] = ()) -> requests.Response:
        """One request with the token, counted, within its deadline; never
        redirected; a 4xx/5xx not in ``allow`` is raised as a SyncError."""
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        seconds = self.deadline if self.deadline is not None else REQUEST_DEADLINE
        self._deadline.sending(_sized(method, p.API_PREFIX + path))
        self._deadline.start(seconds)
        try:
            with thread_guard.blocking("network"):
                response = self.http.request(method, self.base_url + p.API_PREFIX + path,
                                             data=raw, params=params, headers=headers,
                                             timeout=self.timeout, allow_redirects=False,
                                             stream=True)
                response._content = self._read(response)  # type: ignore[attr-defined]
        except _DeadlinePassed:
            raise TooSlow(seconds) from None
        except requests.RequestException as exc:
            if self._deadline.expired:
                raise TooSlow(seconds) from None
            offline = Offline(type(exc).__name__)
            offline.dead = _dead_link(exc)
            raise offline from None
        finally:
            self._deadline.stop()
        self.requests += 1
        self.bytes_sent += len(raw or b"")
        self.bytes_received += len(response.content)
        if 300 <= response.status_code < 400:
            raise not_tapis(f"pengalihan {response.status_code} ke alamat lain",
                            f"a {response.status_code} redirect to another address")
        if response.status_code >= 400 and response.status_code not in allow:
            raise _refusal(response)
        return response

    def _read(self, response: requests.Response) -> bytes:
        """The whole answer, streamed, at most :data:`MAX_ANSWER_BYTES` once
        decompressed; past the deadline the read stops."""
        try:
            declared = int(response.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_ANSWER_BYTES:
            response.close()
            raise _too_large()
        chunks, total = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                total += len(chunk)
                if total > MAX_ANSWER_BYTES:
                    raise _too_large()
                chunks.append(chunk)
                self._deadline.heard = time.monotonic()
                self._deadline.check()
        finally:
            response.close()
        return b"".join(chunks)


def _dead_link(exc: requests.RequestException) -> bool:
    """No connection was made, or the link stalled (read timeout)."""
    if isinstance(exc, (requests.ConnectTimeout, requests.ReadTimeout)):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError, ReadTimeoutError))


def _too_large() -> BadAnswer:
    mib = MAX_ANSWER_BYTES // (1024 * 1024)
    return not_tapis(f"jawaban lebih dari {mib} MiB", f"an answer over {mib} MiB")


def _json(response: requests.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:  # an HTML page (captive portal), or bytes that are not JSON
        raise not_tapis("bukan JSON", "not JSON") from None


def _offset_from_headers(sha256: str, response: requests.Response) -> p.UploadOffset:
    headers = response.headers
    try:
        return p.UploadOffset(sha256=sha256, offset=int(headers["Upload-Offset"]),
                              length=int(headers["Upload-Length"]),
                              complete=headers.get("X-Tapis-Upload-Complete") == "1")
    except (KeyError, ValueError):
        raise not_tapis("kepala unggahan salah", "wrong upload headers") from None


def _refusal(response: requests.Response) -> SyncError:
    try:
        return ServerRefused(response.status_code, p.ErrorBody.model_validate(response.json()))
    except (ValueError, TypeError):
        return SyncError(f"Server menjawab {response.status_code}. Coba lagi nanti.",
                         f"The server answered {response.status_code}. Try again later.")
