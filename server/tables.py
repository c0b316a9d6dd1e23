"""Tables only the server has: accounts, devices, tokens, the applied-change
log, per-field versions, conflicts and attachment uploads.

The record tables themselves are the shared models (desktop_app.models);
these sit beside them in the same database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from datetime import date

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop_app.models.base import NAMING
from desktop_app.models.ids import uuid7
from desktop_app.models.types import UTCDateTime, utc_now


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Officer(ServerBase):
    """An account. Officers and supervisors belong to one regency; a
    provincial admin has none and sees all."""

    __tablename__ = "officer"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))  # officer|supervisor|admin
    regency_code: Mapped[str | None] = mapped_column(String(16), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    #: Set by a new account or a reset: the password is a one-time password
    #: that must be replaced at the next sign-in (POST /v1/auth/password).
    must_change_password: Mapped[bool] = mapped_column(default=False)
    #: A one-time password stops working after this moment (ask for a new reset).
    one_time_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: The office's contact details and staff number (NIP); optional.
    nip: Mapped[str | None] = mapped_column(String(30), default=None)
    phone: Mapped[str | None] = mapped_column(String(30), default=None)
    email: Mapped[str | None] = mapped_column(String(120), default=None)


class Device(ServerBase):
    """A laptop, known by the id its database made at creation."""

    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    registered_by: Mapped[str] = mapped_column(ForeignKey("officer.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: Highest seq of this device settled here; the next push must start at +1.
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The device's Ed25519 public key (base64): its sync bundles must be
    #: signed with it, so no one else of the regency can write in its name.
    signing_key: Mapped[str | None] = mapped_column(String(44), default=None)


class Token(ServerBase):
    """A bearer token, stored only as its SHA-256: a leaked table reveals no
    usable token."""

    __tablename__ = "token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officer.id"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class AppliedChange(ServerBase):
    """Every change as applied (after merging), in server order.

    ``server_seq`` is the pull cursor. ``regency_code`` and ``owner_officer_id``
    scope what each officer may pull. A device's own (device_id, seq) pair is
    unique, which is what makes a resent batch harmless.
    """

    __tablename__ = "applied_change"
    __table_args__ = (
        Index("ix_applied_change_regency", "regency_code", "server_seq"),
        Index("ix_applied_change_owner", "owner_officer_id", "server_seq"),
        Index("ix_applied_change_row", "table_name", "row_id"),
    )

    server_seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    device_id: Mapped[str] = mapped_column(String(36))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    hlc: Mapped[int] = mapped_column(BigInteger)
    officer_id: Mapped[str | None] = mapped_column(String(36))
    owner_officer_id: Mapped[str | None] = mapped_column(String(36))
    regency_code: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class FieldVersion(ServerBase):
    """Who last set each field of each row, and when: what a merge compares."""

    __tablename__ = "field_version"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    hlc: Mapped[int] = mapped_column(BigInteger)
    device_id: Mapped[str] = mapped_column(String(36))
    officer_id: Mapped[str | None] = mapped_column(String(36))
    server_seq: Mapped[int] = mapped_column(BigInteger)


class Conflict(ServerBase):
    """Two officers set the same field from the same starting version.

    'auto': a descriptive field, settled by the later clock stamp; the loser
    is kept here. 'open': an audit or verification field, both values kept
    until a supervisor settles it ('settled').
    """

    __tablename__ = "conflict"
    __table_args__ = (Index("ix_conflict_regency_status", "regency_code", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    kept_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    other_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_officer_id: Mapped[str | None] = mapped_column(String(36))
    other_officer_id: Mapped[str | None] = mapped_column(String(36))
    kept_hlc: Mapped[int] = mapped_column(BigInteger)
    other_hlc: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(8))
    regency_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    settled_by: Mapped[str | None] = mapped_column(String(36), default=None)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class Upload(ServerBase):
    """An attachment's bytes arriving in chunks; ``received`` is the offset a
    resumed upload continues from."""

    __tablename__ = "upload"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    length: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(default=False)
    regency_code: Mapped[str | None] = mapped_column(String(16))
    started_by: Mapped[str] = mapped_column(String(36))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class BundleKey(ServerBase):
    """A regency's key for sync bundles (AES-256-GCM). Handed at sign-in to
    the regency's officers (all keys to the admin); ``regency_code`` None is
    the province's own key. Ids end in a generation (``18.71-1``) so a key
    can be replaced while bundles sealed with the old one still open."""

    __tablename__ = "bundle_key"

    key_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    regency_code: Mapped[str | None] = mapped_column(String(16), index=True)
    secret: Mapped[str] = mapped_column(String(64))  # base64 of 32 random bytes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class RejectedChange(ServerBase):
    """A change refused for good, remembered by (device, seq). When the same
    change comes again (a batch resent because its answer was lost, or the
    network push after a sync bundle carried it) the device is told the
    reason again instead of 'duplicate', so the officer still sees it."""

    __tablename__ = "rejected_change"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[str] = mapped_column(String(500))
    message_en: Mapped[str] = mapped_column(String(500))
    rejected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class LoginChallenge(ServerBase):
    """A nonce handed out by ``POST /v1/auth/challenge``: one sign-in on its
    device may use it, once, within five minutes. Kept as its SHA-256, in the
    database so that every worker sees it used."""

    __tablename__ = "login_challenge"

    nonce_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SignInThrottle(ServerBase):
    """Failed sign-ins counted per account (``scope`` 'account', the username
    as typed) and per client address ('address'), in the database so every
    worker counts together (server/sign_in.py). ``locked_until`` set: no
    password is even checked for that subject until then."""

    __tablename__ = "sign_in_throttle"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    subject: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class AuditEvent(ServerBase):
    """One line of the append-only audit log (server/audit.py): who did
    what, when, from which device or address. Never a NIK. Triggers made by
    s0009 refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_action_at", "action", "at"),
        Index("ix_audit_event_actor_at", "actor_officer_id", "at"),
        Index("ix_audit_event_regency_at", "regency_code", "at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(12), default="ok")  # ok|refused|failed
    #: The officer who acted; None for the machine operator (CLI) or an
    #: unknown username (a failed sign-in).
    actor_officer_id: Mapped[str | None] = mapped_column(String(36), default=None)
    #: A readable name of who acted: a username, ``operator:root@host``.
    actor: Mapped[str] = mapped_column(String(120))
    device_id: Mapped[str | None] = mapped_column(String(36), default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)
    target_type: Mapped[str | None] = mapped_column(String(24), default=None)
    target_id: Mapped[str | None] = mapped_column(String(64), default=None)
    #: The regency the event concerns (supervisors read their own regency's).
    regency_code: Mapped[str | None] = mapped_column(String(16), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Assignment(ServerBase):
    """A visit given to an officer: a business to survey, a cooperative to
    audit (the year's audit plan) or an aid applicant to verify. The laptop
    pulls its officer's open assignments (GET /v1/assignments)."""

    __tablename__ = "assignment"
    __table_args__ = (
        Index("ix_assignment_officer_status", "officer_id", "status"),
        Index("ix_assignment_target", "target_table", "target_id"),
        Index("ix_assignment_regency_status", "regency_code", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    #: survey|audit|verification
    kind: Mapped[str] = mapped_column(String(16))
    #: business|cooperative|aid_applicant
    target_table: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(36))
    officer_id: Mapped[str] = mapped_column(ForeignKey("officer.id"))
    regency_code: Mapped[str | None] = mapped_column(String(16))
    due_date: Mapped[date | None] = mapped_column(Date(), default=None)
    plan_year: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(String(500), default="")
    #: open|done|cancelled
    status: Mapped[str] = mapped_column(String(12), default="open")
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    #: The day it was given: a visit dated on or after it fulfils it.
    assigned_on: Mapped[date] = mapped_column(Date())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class SetAsideReport(ServerBase):
    """A pulled change a laptop could not apply and set aside, as it reported
    it (server/routes/set_aside.py): one row per (device, change), so an
    officer's report sent twice is one entry; the province sees which rows
    a regency's laptops do not hold and why."""

    __tablename__ = "set_aside_report"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    change_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    officer_id: Mapped[str] = mapped_column(String(36), index=True)
    entity: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(500))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

# --- aid rounds (server/rounds.py, server/duplicates.py; migration s0011_aid) ---


class ReferenceEdit(ServerBase):
    """A reference row the province changed on the server (an aid round, a
    quota), under the reference version (as an ordinal) it was changed in."""

    __tablename__ = "reference_edit"
    __table_args__ = (Index("ix_reference_edit_ordinal", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ordinal: Mapped[int] = mapped_column(BigInteger)
    table_name: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(80))
    edited_by: Mapped[str] = mapped_column(String(64))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class BusinessMerge(ServerBase):
    """A business found to be a duplicate of another: its surveys now point
    at the kept one, it is a tombstone, and this row says where it went."""

    __tablename__ = "business_merge"
    __table_args__ = (Index("ix_business_merge_kept", "kept_id"),)

    merged_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kept_id: Mapped[str] = mapped_column(String(36))
    merged_by: Mapped[str] = mapped_column(String(64))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    visits_moved: Mapped[int] = mapped_column(Integer, default=0)
