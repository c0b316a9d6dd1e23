"""The sync messages, defined once for the client and the server.

Both sides import these models: the server validates every request body
with them, the client builds its requests from them and validates the
answers. docs/PROTOCOL.md describes the same shapes for a third party.

Versioning: every request carries ``X-Tapis-Protocol`` (this module's
:data:`PROTOCOL_VERSION`) and ``X-Tapis-Schema`` (the client's database
revision). A server answers a client older than its
:data:`MIN_PROTOCOL_VERSION` with 426 and an :class:`ErrorBody` whose code
is ``upgrade_required``; the client keeps its queue and tells the officer.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 2
MIN_PROTOCOL_VERSION = 1
#: Signing in needs version 2 (the device proof): an older laptop is told to
#: upgrade at sign-in (426), while the tokens it holds keep syncing.
MIN_LOGIN_PROTOCOL_VERSION = 2
PROTOCOL_HEADER = "X-Tapis-Protocol"
SCHEMA_HEADER = "X-Tapis-Schema"
DEVICE_HEADER = "X-Tapis-Device"
API_PREFIX = "/v1"

#: Largest request body the server reads (after decompression for pushes).
MAX_BODY_BYTES = 4 * 1024 * 1024
#: Largest attachment chunk the server accepts in one request.
MAX_CHUNK_BYTES = 512 * 1024


class Strict(BaseModel):
    """Unknown keys are refused, so a typo is a 422, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class ErrorCode(StrEnum):
    UPGRADE_REQUIRED = "upgrade_required"
    UNAUTHENTICATED = "unauthenticated"
    TOKEN_EXPIRED = "token_expired"
    DEVICE_REVOKED = "device_revoked"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    TOO_LARGE = "too_large"
    SEQUENCE_GAP = "sequence_gap"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    DEVICE_PROOF_REQUIRED = "device_proof_required"
    DEVICE_PROOF_INVALID = "device_proof_invalid"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    #: Sign-in with a one-time password (new account, reset): the laptop asks
    #: for a new password and sends it to POST /v1/auth/password.
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    #: The account was deactivated by the office: the laptop says so in words
    #: and keeps the unsent work for another officer of the regency.
    ACCOUNT_DEACTIVATED = "account_deactivated"


class ErrorBody(Strict):
    """Every 4xx answer: a code for programs and a sentence per language."""

    code: ErrorCode
    message_id: str
    message_en: str
    detail: dict[str, Any] = Field(default_factory=dict)


# --- sign-in -----------------------------------------------------------------


#: What a device signs to prove it holds its key (docs/PROTOCOL.md, 'Device proof').
DEVICE_PROOF_CONTEXT = "tapis-login-v1"
#: How long a sign-in challenge's nonce may be used (once).
CHALLENGE_LIFETIME_SECONDS = 300


def device_proof_message(nonce: str, device_id: str, username: str) -> bytes:
    """The bytes a device signs with its Ed25519 key to sign in."""
    return "\n".join((DEVICE_PROOF_CONTEXT, nonce, device_id, username)).encode()


class ChallengeRequest(Strict):
    """``POST /v1/auth/challenge``: a nonce for the next sign-in on this device."""

    device_id: str = Field(min_length=36, max_length=36)


class ChallengeResponse(Strict):
    nonce: str  # urlsafe base64 of 32 random bytes, single use
    expires_at: str  # ISO-8601 UTC, five minutes on


class LoginRequest(Strict):
    """A sign-in. ``nonce`` comes from ``/auth/challenge``; ``device_key`` is
    the device's raw Ed25519 public key (urlsafe base64), sent at least on the
    device's first sign-in (it is then registered with the device, first
    come); ``device_proof`` is the signature of :func:`device_proof_message`
    by that key (urlsafe base64). A device whose key is registered cannot be
    signed in on without it."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=36, max_length=36)
    device_name: str = Field(default="", max_length=100)
    nonce: str | None = Field(default=None, min_length=1, max_length=64)
    device_key: str | None = Field(default=None, min_length=1, max_length=64)
    device_proof: str | None = Field(default=None, min_length=1, max_length=128)


class PasswordChangeRequest(Strict):
    """``POST /v1/auth/password`` (no token): the officer's current password
    (the one-time password of a new account or a reset) and the new one.
    204 on success; then the laptop signs in with the new password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=36, max_length=36)


class OfficerInfo(Strict):
    id: str
    username: str
    full_name: str
    role: Role
    regency_code: str | None  # None for a provincial admin


class BundleKey(Strict):
    """A regency's key for sync bundles (AES-256-GCM, base64): an officer
    gets their regency's keys, the provincial admin every key. ``regency_code``
    None is the province's own key (bundles made on an admin's laptop)."""

    key_id: str = Field(min_length=1, max_length=40)
    regency_code: str | None
    key: str  # base64 of 32 bytes


class LoginResponse(Strict):
    token: str
    expires_at: str  # ISO-8601 UTC
    officer: OfficerInfo
    server_time: str  # ISO-8601 UTC, lets the client see how wrong its clock is
    bundle_keys: list[BundleKey] = Field(default_factory=list)


# --- push --------------------------------------------------------------------

Op = Literal["insert", "update", "delete"]


class Change(Strict):
    """One change-log entry as it travels. ``seq`` is the device's own
    sequence: the server applies each (device, seq) once. ``base_seq`` is the
    server sequence of the row as the device last saw it (0 if never), the
    version the officer started from, against which fields are merged."""

    seq: int = Field(ge=1)
    change_id: str = Field(min_length=36, max_length=36)
    txn: int = Field(ge=0)
    table: str = Field(max_length=40)
    row_id: str = Field(min_length=36, max_length=36)
    op: Op
    fields: dict[str, Any]
    hlc: int = Field(ge=0)
    officer_id: str | None = None
    base_seq: int = Field(default=0, ge=0)


class PushRequest(Strict):
    device_id: str = Field(min_length=36, max_length=36)
    changes: list[Change] = Field(max_length=5000)


class Rejected(Strict):
    """A change the server will never apply (out of scope, invalid): the
    client parks it with this message for the officer to see."""

    seq: int
    code: ErrorCode
    message_id: str
    message_en: str


class PushResponse(Strict):
    """``acked_through``: every seq up to here is settled at the server
    (applied, already applied before, or rejected as listed)."""

    acked_through: int
    applied: int
    duplicates: int
    conflicts: int
    rejected: list[Rejected] = Field(default_factory=list)


class SequenceGap(Strict):
    """Detail of a 409 ``sequence_gap``: resend from ``expected_seq``."""

    expected_seq: int


# --- pull --------------------------------------------------------------------


class Scope(StrEnum):
    REFERENCE = "reference"
    REGENCY = "regency"
    OWN = "own"


class ServerChange(Strict):
    """A change as the server applied it (after merging): pulled changes are
    applied locally without being logged again."""

    server_seq: int
    table: str
    row_id: str
    op: Op
    fields: dict[str, Any]
    hlc: int
    device_id: str
    officer_id: str | None


class PullResponse(Strict):
    scope: Scope
    changes: list[ServerChange]
    next_cursor: int
    has_more: bool
    #: SHA-256 over (table, row_id, server_seq of the row's last change) of every
    #: live row in scope, in order; present on the last page only.
    checksum: str | None = None
    row_count: int | None = None


# --- attachments (tus-style resumable upload) ---------------------------------


class UploadOffset(Strict):
    sha256: str = Field(min_length=64, max_length=64)
    offset: int
    length: int
    complete: bool


# --- sync bundles (protocol/bundle.py) -----------------------------------------


class SigningKeyRequest(Strict):
    """``POST /v1/devices/{device_id}/signing-key``: the device's Ed25519
    public key (base64 of 32 bytes); its bundles must carry its signature.
    Since protocol 2 the key is registered at sign-in (the device key); this
    route only confirms that same key and refuses any other."""

    public_key: str = Field(min_length=44, max_length=44)


class SetAsideItem(Strict):
    """A pulled change a laptop could not apply and set aside: ``change_id``
    is the scope and the server sequence (``regency:1234``), ``entity`` the
    table and row id, ``reason`` the laptop's reason (a field and a rule,
    never a value)."""

    change_id: str = Field(min_length=1, max_length=40)
    entity: str = Field(max_length=80)
    reason: str = Field(max_length=500)


class SetAsideReport(Strict):
    """``POST /v1/devices/{device_id}/set-aside`` (the caller's own device): 204."""

    items: list[SetAsideItem] = Field(min_length=1, max_length=500)


class BundleResult(Strict):
    """What ``POST /v1/bundles`` did with one bundle: the changes settled as
    a push from the bundle's device (``applied`` + ``duplicates`` + rejected),
    and its photos stored as completed uploads."""

    bundle_id: str
    device_id: str
    first_seq: int
    last_seq: int
    acked_through: int
    applied: int
    duplicates: int
    conflicts: int
    rejected: list[Rejected] = Field(default_factory=list)
    photos_stored: int = 0
    photos_known: int = 0
    photos_skipped: int = 0


# --- conflicts ---------------------------------------------------------------


class ConflictInfo(Strict):
    id: str
    table: str
    row_id: str
    field: str
    kept_value: Any
    other_value: Any
    kept_officer_id: str | None
    other_officer_id: str | None
    kept_hlc: int
    other_hlc: int
    status: Literal["open", "settled", "auto"]
    regency_code: str | None


class SettleRequest(Strict):
    value: Any


# --- assignments ----------------------------------------------------------------


class AssignmentInfo(Strict):
    """A visit given to the signed-in officer: ``kind`` survey|audit|verification
    of the record ``target_table``/``target_id`` (business, cooperative,
    aid_applicant), due by ``due_date`` (ISO date or None)."""

    id: str
    kind: str
    target_table: str
    target_id: str
    due_date: str | None = None
    plan_year: int | None = None
    note: str = ""
    assigned_at: str


class AssignmentsResponse(Strict):
    """``GET /v1/assignments``: every open assignment of the caller, whole
    (the laptop replaces its copy with it)."""

    officer_id: str
    server_time: str
    assignments: list[AssignmentInfo] = Field(default_factory=list)
