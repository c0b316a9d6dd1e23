"""Answering pulls: applied changes after a cursor, within a scope.

Scopes: 'reference' is the reference data (regions, sectors, channels…),
sent whole when the server's version is newer than the client's cursor;
'regency' is every change to rows of the caller's regency (all
regencies for the provincial admin); 'own' is every change to rows the
caller created, wherever they are. A laptop pulls both, so a change to a
row the caller created inside their regency is in both: asked with
``exclude=regency``, 'own' leaves out what 'regency' already sends (the
changes whose ``regency_code`` is the caller's; nothing at all for the
admin, whose 'regency' is the province), so each change travels once. An
older laptop does not ask it and gets the whole 'own' scope, as before.
The last page of a scope carries a
checksum of the rows in it, so a client whose copy has drifted refetches
just that scope from cursor 0.
"""

from __future__ import annotations

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from desktop_app.models import Base, ReferenceVersion
from desktop_app.models import reference_data
from desktop_app.protocol import PullResponse, Role, Scope, ServerChange
from desktop_app.protocol.checksum import scope_checksum as digest_of
from desktop_app.protocol.wire import to_wire

from . import errors, rounds
from .auth import Principal
from .tables import AppliedChange

MAX_PAGE = 1000
#: A page's changes stop before their JSON passes this (docs/PROTOCOL.md,
#: "Pull"): a laptop on a village link downloads at most ~1 MiB per request,
#: however large the rows. A page holds at least one change, and a change is
#: bounded by the models' text lengths (~100 KB at most), so a page never
#: exceeds it by more than one change. Room is left for the page's envelope.
MAX_PAGE_BYTES = 1024 * 1024 - 16 * 1024


def _scoped(principal: Principal, scope: Scope,
            exclude: Scope | None = None) -> Select:  # type: ignore[type-arg]
    query = select(AppliedChange)
    if scope == Scope.OWN:
        query = query.where(AppliedChange.owner_officer_id == principal.officer_id)
        if exclude == Scope.REGENCY:
            # Exactly the complement of the regency scope below, change by
            # change: a change with no regency (or another one) stays here.
            if principal.role == Role.ADMIN:
                return query.where(false())
            return query.where((AppliedChange.regency_code != principal.regency_code)
                               | AppliedChange.regency_code.is_(None))
        return query
    if scope == Scope.REGENCY:
        if principal.role == Role.ADMIN:
            return query
        return query.where(AppliedChange.regency_code == principal.regency_code)
    raise errors.invalid("Cakupan tarik data tidak dikenal.", "Unknown pull scope.")


def pull(session: Session, principal: Principal, scope: Scope, cursor: int,
         limit: int, exclude: Scope | None = None) -> PullResponse:
    """One page of ``scope`` after ``cursor``; ``exclude=regency`` (only with
    'own') leaves out the changes the caller's 'regency' scope sends."""
    return PullResponse.model_validate_json(pull_json(session, principal, scope, cursor, limit,
                                                      exclude))


def pull_json(session: Session, principal: Principal, scope: Scope, cursor: int,
              limit: int, exclude: Scope | None = None) -> bytes:
    """The page of :func:`pull` as the JSON the route sends. Each change is
    serialised once, from the log's columns (no ORM object, no validation
    of what the server itself wrote), and that same text both measures the
    page against its byte cap and goes into the answer: a province's pull
    is hundreds of pages, and building, validating and dumping each change
    three times was most of a page's server time."""
    limit = max(1, min(limit, MAX_PAGE))
    if exclude is not None and (scope != Scope.OWN or exclude != Scope.REGENCY):
        raise errors.invalid("Hanya cakupan 'own' yang dapat mengecualikan 'regency'.",
                             "Only the 'own' scope can exclude 'regency'.", field="exclude")
    if scope == Scope.REFERENCE:
        return pull_reference(session, cursor).model_dump_json().encode()
    base = _scoped(principal, scope, exclude)
    columns = (AppliedChange.server_seq, AppliedChange.table_name, AppliedChange.row_id,
               AppliedChange.op, AppliedChange.fields, AppliedChange.hlc,
               AppliedChange.device_id, AppliedChange.officer_id)
    rows = session.execute(base.with_only_columns(*columns)
                           .where(AppliedChange.server_seq > cursor)
                           .order_by(AppliedChange.server_seq).limit(limit + 1)).all()
    has_more = len(rows) > limit
    parts: list[bytes] = []
    size, next_cursor = 0, cursor
    for seq, table, row_id, op, fields, hlc, device_id, officer_id in rows[:limit]:
        text = ServerChange.model_construct(
            server_seq=seq, table=table, row_id=row_id, op=op, fields=fields, hlc=hlc,
            device_id=device_id, officer_id=officer_id).model_dump_json().encode()
        size += len(text) + 1
        if parts and size > MAX_PAGE_BYTES:
            has_more = True  # the rest on the next page
            break
        parts.append(text)
        next_cursor = seq
    checksum = count = None
    if not has_more:
        checksum, count = scope_checksum(session, base)
    envelope = PullResponse.model_construct(
        scope=scope, changes=[], next_cursor=next_cursor, has_more=has_more, checksum=checksum,
        row_count=count).model_dump_json().encode()
    empty = b'"changes":[]'
    assert envelope.count(empty) == 1
    return envelope.replace(empty, b'"changes":[' + b",".join(parts) + b"]")


def scope_checksum(session: Session, base: Select) -> tuple[str, int]:  # type: ignore[type-arg]
    """SHA-256 over 'table:row_id:last server_seq' lines of every row in scope,
    sorted: what the client computes from the versions it has pulled. Sorted
    by the database byte by byte (collation "C" on PostgreSQL, BINARY on
    SQLite: Python's order of the same text) and streamed, so the province's
    ~600,000 rows for the admin are never held in the server's memory."""
    sub = base.subquery()
    collation = "C" if session.get_bind().dialect.name == "postgresql" else "BINARY"
    rows = session.execute(
        select(sub.c.table_name, sub.c.row_id, func.max(sub.c.server_seq))
        .group_by(sub.c.table_name, sub.c.row_id)
        .order_by(sub.c.table_name.collate(collation), sub.c.row_id.collate(collation))
        .execution_options(yield_per=5000))
    return digest_of(((table, row_id, seq) for table, row_id, seq in rows), presorted=True)


def pull_reference(session: Session, cursor: int) -> PullResponse:
    """Every reference row, if the server's set is newer than ``cursor``."""
    version = session.scalar(select(ReferenceVersion.version)
                             .where(ReferenceVersion.dataset == reference_data.DATASET))
    ordinal = reference_data.version_ordinal(version) if version else 0
    if ordinal <= cursor:
        return PullResponse(scope=Scope.REFERENCE, changes=[], next_cursor=cursor, has_more=False)
    if rounds.edits_suffice(session, version, cursor):  # holds the files: only the province's edits
        rows = rounds.edits_since(session, cursor)
    else:
        rows = [(name, dict(row)) for name in reference_data.TABLES
                for row in session.execute(select(Base.metadata.tables[name])).mappings()]
    changes = [ServerChange(server_seq=ordinal, table=name, row_id=str(row["code"]), op="insert",
                            fields=to_wire(Base.metadata.tables[name], row), hlc=0,
                            device_id="server", officer_id=None) for name, row in rows]
    changes.append(ServerChange(server_seq=ordinal, table="reference_version", row_id=version,
                                op="insert", fields={"version": version}, hlc=0,
                                device_id="server", officer_id=None))
    return PullResponse(scope=Scope.REFERENCE, changes=changes, next_cursor=ordinal,
                        has_more=False)
