"""Column types that behave the same on the laptop (SQLite) and the province
(PostgreSQL).

SQLite keeps no time zone, so a plain DateTime would hand back naive values;
the sync protocol compares stamps from many laptops, so every timestamp is
stored in UTC and comes back aware. Lists (digital channels, payment methods)
are stored as JSON text so that one survey stays one row and one change.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import BigInteger, Dialect, String, Text
from sqlalchemy.types import TypeDecorator

#: Whole rupiah. BigInteger: turnover of a menengah business passes 2^31.
Money = BigInteger


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp, stored as ISO-8601 text ending in 'Z'.

    Text rather than a native type so that the value in the change log, on the
    wire and in the table is the same string, and sorts as time.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass an aware UTC datetime")
        return format_utc(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return parse_utc(value) if value is not None else None


def format_utc(value: datetime) -> str:
    """ISO-8601 UTC with milliseconds, e.g. 2026-11-23T10:30:00.123Z."""
    # isoformat, not strftime: a tenth of the time, and the server formats
    # every stamp of every change it ingests and serves.
    utc = value if value.tzinfo is timezone.utc else value.astimezone(timezone.utc)
    return utc.isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_utc(value: str) -> datetime:
    """The inverse of :func:`format_utc`; also accepts '+00:00' offsets."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def utc_now() -> datetime:
    """Now, aware, in UTC: the only way the models read the clock."""
    return datetime.now(timezone.utc)


#: One encoder for every list of codes: ``json.dumps`` with arguments builds
#: a new encoder per call, and the server writes three lists per survey.
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact_json(codes: Any) -> str:
    """A list of codes as compact JSON text, as the laptop stores it."""
    return _COMPACT.encode(list(codes))


class JSONList(TypeDecorator[list]):
    """A list of short codes stored as compact JSON text ('["qris","tunai"]')."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return compact_json(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[Any] | None:
        return json.loads(value) if value is not None else None
