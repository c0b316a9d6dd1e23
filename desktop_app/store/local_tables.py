"""Tables that exist only on the laptop: the change log and the local state.

They are never synced as rows; the change log is what sync sends.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..models.base import NAMING
from ..models.types import UTCDateTime


class LocalBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PushState:
    """Where a change-log entry is on its way to the server."""

    PENDING = "pending"
    SENT = "sent"
    PARKED = "parked"  # refused by the server (4xx); waits for the officer


class ChangeLog(LocalBase):
    """One captured write: which row, which fields, when (HLC) and by whom.

    ``seq`` is the device's own order of changes: the push sends entries in
    ``seq`` order, and the server uses (device, seq) to apply each once.
    ``txn`` groups the entries of one local transaction so a push never splits
    them. Entries are written only by the triggers in change_capture.py.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_pending", "push_state", "seq"),
        Index("ix_change_log_row", "table_name", "row_id"),
        # AUTOINCREMENT: a seq is never reused, even after old entries are pruned,
        # because the server dedups on (device, seq).
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    txn: Mapped[int] = mapped_column(BigInteger)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))  # insert|update|delete
    fields: Mapped[str] = mapped_column(Text)  # JSON object of the changed fields
    hlc: Mapped[int] = mapped_column(BigInteger)
    device_id: Mapped[str] = mapped_column(String(36))
    officer_id: Mapped[str | None] = mapped_column(String(36))
    push_state: Mapped[str] = mapped_column(String(8), default=PushState.PENDING)
    pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    push_error: Mapped[str | None] = mapped_column(Text, default=None)


class LocalState(LocalBase):
    """The single row (id = 1) the triggers read and write.

    ``hlc`` is the last hybrid-logical-clock stamp issued or seen; ``txn`` is
    bumped at the start of every write unit of work; ``applying`` is set to 1
    only inside the transaction that applies pulled changes, so those writes
    are not logged again.
    """

    __tablename__ = "local_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    officer_id: Mapped[str | None] = mapped_column(String(36), default=None)
    hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    txn: Mapped[int] = mapped_column(BigInteger, default=0)
    applying: Mapped[int] = mapped_column(Integer, default=0)


class SyncCursor(LocalBase):
    """How far this laptop has pulled each scope from the server."""

    __tablename__ = "sync_cursor"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncRowVersion(LocalBase):
    """The server sequence of each row's last pulled change, per scope: the
    version an officer's next edit starts from (``base_seq``), and what the
    scope checksum is computed over."""

    __tablename__ = "sync_row_version"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    server_seq: Mapped[int] = mapped_column(BigInteger)


class UploadState(LocalBase):
    """Which attachment files the server has confirmed complete, so a sync
    does not ask again about photos already safely at the province. The
    server's offset is never cached here: a resumed upload always asks it."""

    __tablename__ = "upload_state"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    complete: Mapped[int] = mapped_column(Integer, default=0)


class OfficerAccount(LocalBase):
    """An officer who has signed in on this laptop at least once online.

    Several officers may share one laptop; each unlocks it offline with a PIN,
    kept only as a slow salted hash (scrypt). The server token lets the sync
    run without asking for the password again until it expires.
    """

    __tablename__ = "officer_account"

    officer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    regency_code: Mapped[str | None] = mapped_column(String(5), default=None)
    pin_hash: Mapped[str] = mapped_column(Text)
    server_url: Mapped[str] = mapped_column(Text)
    token: Mapped[str | None] = mapped_column(Text, default=None)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    last_signed_in: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: When the server said the account was deactivated: the officer is told
    #: so in words; their unsent work stays for another officer to send.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class FormSnapshot(LocalBase):
    """What a form held a moment ago, saved as the officer types.

    A form may be incomplete or invalid, so it cannot always be saved as a
    record; its snapshot can, so a crash or a flat battery loses nothing. The
    snapshot goes when the record is saved or the officer discards it.
    """

    __tablename__ = "form_snapshot"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # kind:record id or kind:new:uuid
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36), default=None)
    officer_id: Mapped[str | None] = mapped_column(String(36), default=None)
    values: Mapped[str] = mapped_column(Text)  # JSON of the form's raw entries
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncHistory(LocalBase):
    """One line per sync attempt, so the home screen can say when the last
    successful one was and the officer can see what happened."""

    __tablename__ = "sync_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ok: Mapped[int] = mapped_column(Integer)
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")


class BundleKeyRow(LocalBase):
    """A regency's sync-bundle key as the server issued it at sign-in
    (desktop_app/sync/bundle_keys.py). ``for_export`` marks the key this
    laptop's signed-in officer seals bundles with; the others let an office
    copy open bundles of the regencies it serves. Kept beside the records
    they protect: whoever holds this file holds the NIKs anyway."""

    __tablename__ = "bundle_key"

    key_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    regency_code: Mapped[str | None] = mapped_column(String(16), default=None)
    secret: Mapped[str] = mapped_column(Text)  # base64 of 32 bytes
    for_export: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RelayedBundle(LocalBase):
    """A bundle imported at an office copy, waiting to be forwarded to the
    server by the next sync (desktop_app/sync/relay.py). One row per bundle
    id, so importing the same file twice is one entry."""

    __tablename__ = "bundle_relay"

    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str] = mapped_column(String(36))
    officer_id: Mapped[str | None] = mapped_column(String(36), default=None)
    regency_code: Mapped[str | None] = mapped_column(String(16), default=None)
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    changes: Mapped[int] = mapped_column(Integer)
    photos: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[str] = mapped_column(String(32))  # as the exporting laptop wrote it
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(10), default="waiting")  # waiting|forwarded|refused
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    message: Mapped[str] = mapped_column(Text, default="")


class DeviceSigningKey(LocalBase):
    """The single row (id = 1): this laptop's Ed25519 key pair, made on first
    need, with which it signs its bundles. ``registered_at`` is set once the
    server has the public key (desktop_app/sync/device_signing.py)."""

    __tablename__ = "device_signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    private_key: Mapped[str] = mapped_column(Text)  # base64 of the 32-byte seed
    public_key: Mapped[str] = mapped_column(String(44))
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class AssignmentRow(LocalBase):
    """A visit the office gave to an officer who signs in here (pulled from
    GET /v1/assignments, replaced whole at each sync): Home's cards list
    them, overdue first. Never pushed."""

    __tablename__ = "assignment"
    __table_args__ = (Index("ix_assignment_officer_due", "officer_id", "due_date"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))  # survey|audit|verification
    target_table: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    due_date: Mapped[date | None] = mapped_column(Date(), default=None)
    plan_year: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    pulled_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SetAsideChange(LocalBase):
    """A pulled change this laptop could not apply (desktop_app/store/inbox.py):
    an unknown table or column, a value that does not fit, an incomplete new
    row. Kept with its reason (the field and the rule, never the value) for
    the officer to see, and reported to the server once (``reported_at``)."""

    __tablename__ = "set_aside_change"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(16))
    server_seq: Mapped[int] = mapped_column(BigInteger)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(40))
    reason_id: Mapped[str] = mapped_column(String(500))
    reason_en: Mapped[str] = mapped_column(String(500))
    set_aside_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class VaultKey(LocalBase):
    """The single row (id = 1): how this laptop's device secrets key is kept
    (desktop_app/store/vault.py): ``dpapi`` (the key itself, protected by
    Windows for this Windows account) or ``file`` (a key file beside the
    database, for development machines without DPAPI)."""

    __tablename__ = "vault_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protection: Mapped[str] = mapped_column(String(8))
    wrapped: Mapped[str | None] = mapped_column(Text, default=None)  # base64 of the DPAPI blob
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
