"""The HTTP side of sync: requests with urllib3's Retry, gzip, the headers.

Network errors and 5xx answers retry with capped exponential backoff and
jitter (urllib3 Retry), POSTs included: every request here is safe to repeat
(pushes are idempotent by device sequence). Any other refusal comes back as
:class:`ServerRefused` with the server's bilingual message.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import thread_guard
from .. import protocol as p
from ..models.errors import TapisError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

#: (connect, read) seconds; a 64 kbit/s link moves a 256 KB batch in ~40 s.
TIMEOUT = (10.0, 120.0)


class SyncError(TapisError):
    """Sync could not finish; ``message_id``/``message_en`` say why."""

    reason = "sync_failed"


class Offline(SyncError):
    reason = "offline"

    def __init__(self, detail: str) -> None:
        super().__init__(f"Server tidak dapat dihubungi ({detail}). Data tetap aman; coba lagi nanti.",
                         f"The server cannot be reached ({detail}). Data is safe; try again later.")


class ServerRefused(SyncError):
    """A 4xx from the server with its ErrorBody."""

    def __init__(self, status: int, body: p.ErrorBody) -> None:
        super().__init__(body.message_id, body.message_en, reason=body.code.value)
        self.status = status
        self.body = body


class _Retry(Retry):
    """A 429 (sign-in locked for minutes) is the officer's to see, never waited
    out in silence; a 503's Retry-After (server busy) still is."""

    RETRY_AFTER_STATUS_CODES = frozenset({503})


def make_retry(total: int = 6, backoff: float = 0.5, cap: float = 30.0, connect: int = 3) -> Retry:
    """Capped exponential backoff with jitter. Connection refusals give up
    sooner (no server there: the officer is told within seconds, and the next
    sync tries again); cut reads and 5xx get the full count."""
    return _Retry(total=total, connect=min(connect, total), read=total, status=total, other=0,
                 backoff_factor=backoff, backoff_max=cap, backoff_jitter=backoff,
                 status_forcelist=(500, 502, 503, 504), allowed_methods=None,
                 raise_on_status=False, respect_retry_after_header=True)


class SyncClient:
    """One server, one device; holds the bearer token after sign-in."""

    def __init__(self, base_url: str, *, device_id: str, schema: str,
                 retry: Retry | None = None, timeout: tuple[float, float] = TIMEOUT,
                 device_key: Ed25519PrivateKey | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        #: The device's Ed25519 key (sync/device_signing.py): it proves this
        #: laptop at sign-in (docs/PROTOCOL.md, 'Device proof').
        self.device_key = device_key
        self.timeout = timeout
        self.token: str | None = None
        self.http = requests.Session()
        adapter = HTTPAdapter(max_retries=retry or make_retry())
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
            answer = p.LoginResponse.model_validate(raw)
            self.token = answer.token
            return answer
        raise AssertionError("unreachable")

    def _device_proof(self, username: str) -> dict[str, str]:
        if self.device_key is None:
            return {}
        nonce = p.ChallengeResponse.model_validate(self._call(
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
        return p.AssignmentsResponse.model_validate(self._call("GET", "/assignments"))

    def push(self, request: p.PushRequest) -> p.PushResponse:
        # Level 9: ~5 % fewer bytes than 6 on a 256 KB batch of changes for ~2 ms
        # more CPU; at 64 kbit/s that saves ~0.8 s of link time per batch.
        raw = gzip.compress(request.model_dump_json().encode(), compresslevel=9)
        return p.PushResponse.model_validate(self._call("POST", "/push", raw=raw))

    def pull(self, scope: p.Scope, cursor: int, limit: int = 500) -> p.PullResponse:
        return p.PullResponse.model_validate(
            self._call("GET", "/pull", params={"scope": scope.value, "cursor": cursor, "limit": limit}))

    def upload_bundle(self, data: bytes) -> p.BundleResult:
        """Send one sync bundle file as it is (desktop_app/protocol/bundle.py);
        the server verifies, decrypts and applies it once."""
        return p.BundleResult.model_validate(self._send(
            "POST", "/bundles", raw=data,
            headers={"Content-Type": "application/octet-stream"}).json())

    def register_signing_key(self, public_key: str) -> None:
        """Register this device's Ed25519 public key (base64) for its bundles."""
        self._call("POST", f"/devices/{self.device_id}/signing-key",
                   p.SigningKeyRequest(public_key=public_key).model_dump())

    def conflicts(self, status: str = "open") -> list[p.ConflictInfo]:
        """Conflicts of the caller's regency (supervisors and admins only)."""
        return [p.ConflictInfo.model_validate(c)
                for c in self._call("GET", "/conflicts", params={"status": status})]

    def settle(self, conflict_id: str, value: object) -> p.ConflictInfo:
        """Settle an open conflict with ``value`` (wire form: one of the two
        values shown, or a new one)."""
        return p.ConflictInfo.model_validate(
            self._call("POST", f"/conflicts/{conflict_id}/settle", {"value": value}))

    # --- attachments: tus-style resumable upload (server/routes/attachments.py) -

    def upload_status(self, sha256: str) -> p.UploadOffset | None:
        """Where the server's upload of this photo stands; None if it has none."""
        response = self._send("HEAD", f"/attachments/{sha256}", allow=(404,))  # HEAD: no body
        return None if response.status_code == 404 else _offset_from_headers(sha256, response)

    def upload_start(self, sha256: str, length: int) -> p.UploadOffset:
        """Create the upload, or learn where an existing one stands (idempotent)."""
        return p.UploadOffset.model_validate(self._send(
            "POST", "/attachments/", headers={"Upload-Length": str(length),
                                              "X-Tapis-Sha256": sha256}).json())

    def upload_chunk(self, sha256: str, offset: int, chunk: bytes) -> p.UploadOffset:
        """Append ``chunk`` at ``offset``. A 409 (the server holds another
        offset) comes back as :class:`ServerRefused` with ``detail['offset']``."""
        return p.UploadOffset.model_validate(self._send(
            "PATCH", f"/attachments/{sha256}", raw=chunk,
            headers={"Upload-Offset": str(offset),
                     "Content-Type": "application/offset+octet-stream"}).json())

    def download_attachment(self, sha256: str) -> bytes:
        """The photo's bytes from the server, checked against their hash."""
        data = self._send("GET", f"/attachments/{sha256}").content
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SyncError("Foto yang diterima rusak; coba lagi nanti.",
                            "The photo received is damaged; try again later.")
        return data

    def close(self) -> None:
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
        return response.json() if response.content else None

    def _send(self, method: str, path: str, *, raw: bytes | None = None,
              params: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None,
              allow: tuple[int, ...] = ()) -> requests.Response:
        """One request with the token, counted; a 4xx/5xx not in ``allow`` is
        raised as a SyncError."""
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            with thread_guard.blocking("network"):
                response = self.http.request(method, self.base_url + p.API_PREFIX + path,
                                             data=raw, params=params, headers=headers,
                                             timeout=self.timeout)
        except requests.RequestException as exc:
            raise Offline(type(exc).__name__) from None
        self.requests += 1
        self.bytes_sent += len(raw or b"")
        self.bytes_received += len(response.content)
        if response.status_code >= 400 and response.status_code not in allow:
            raise _refusal(response)
        return response


def _offset_from_headers(sha256: str, response: requests.Response) -> p.UploadOffset:
    headers = response.headers
    return p.UploadOffset(sha256=sha256, offset=int(headers["Upload-Offset"]),
                          length=int(headers["Upload-Length"]),
                          complete=headers.get("X-Tapis-Upload-Complete") == "1")


def _refusal(response: requests.Response) -> SyncError:
    try:
        return ServerRefused(response.status_code, p.ErrorBody.model_validate(response.json()))
    except (ValueError, TypeError):
        return SyncError(f"Server menjawab {response.status_code}. Coba lagi nanti.",
                         f"The server answered {response.status_code}. Try again later.")
