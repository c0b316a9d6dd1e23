"""Field values on the wire: exactly as the laptop's SQLite stores them.

The change log captures raw column values (dates as 'YYYY-MM-DD', stamps as
ISO-8601 'Z' text, booleans 0/1, lists as JSON text), so the laptop sends
them untouched and applies pulled ones untouched. The server converts them
to Python values by column type with :func:`to_python` before writing, and
refuses values that do not fit the column.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, Table, Text

from ..models.types import JSONList, UTCDateTime, format_utc, parse_utc


class WireError(ValueError):
    """A field value that does not fit its column; names the field."""

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field}: expected {expected}")
        self.field = field
        self.expected = expected


def to_python(table: Table, fields: dict[str, Any]) -> dict[str, Any]:
    """Wire values converted for ``table``'s columns; unknown columns refused."""
    converted = {}
    for name, value in fields.items():
        column = table.columns.get(name)
        if column is None:
            raise WireError(name, "a column of " + table.name)
        converted[name] = None if value is None else _convert(name, column.type, value)
        if converted[name] is None and not column.nullable:
            raise WireError(name, "a value (the column may not be empty)")
    return converted


def _convert(name: str, column_type: Any, value: Any) -> Any:
    try:
        if isinstance(column_type, JSONList):
            parsed = json.loads(value) if isinstance(value, str) else value
            if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
                raise WireError(name, "a JSON list of codes")
            return parsed
        if isinstance(column_type, UTCDateTime):
            return parse_utc(_str(value))
        if isinstance(column_type, Boolean):
            if value in (0, 1) and not isinstance(value, float):
                return bool(value)
            raise WireError(name, "0 or 1")
        if isinstance(column_type, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise WireError(name, "an integer")
            return value
        if isinstance(column_type, Float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise WireError(name, "a number")
            return float(value)
        if isinstance(column_type, Date):
            return date.fromisoformat(_str(value))
        if isinstance(column_type, (String, Text)):
            text = _str(value)
            length = getattr(column_type, "length", None)
            if length is not None and len(text) > length:
                raise WireError(name, f"text of at most {length} characters")
            return text
    except WireError:
        raise
    except (ValueError, TypeError):
        raise WireError(name, f"a value of type {type(column_type).__name__}") from None
    raise WireError(name, f"a supported type, not {type(column_type).__name__}")


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def to_wire(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """Python values of ``table``'s columns in the laptop's storage form."""
    return {name: _to_wire(table.columns[name].type, value) for name, value in values.items()}


def _to_wire(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, JSONList):
        return json.dumps(list(value), separators=(",", ":"), ensure_ascii=False)
    if isinstance(column_type, UTCDateTime):
        return format_utc(value)
    if isinstance(column_type, Boolean):
        return 1 if value else 0
    if isinstance(column_type, Date):
        return value.isoformat()
    return value
