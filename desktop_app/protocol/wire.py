"""Field values on the wire: exactly as the laptop's SQLite stores them.

The change log captures raw column values (dates as 'YYYY-MM-DD', stamps as
ISO-8601 'Z' text, booleans 0/1, lists as JSON text), so the laptop sends
them untouched and applies pulled ones untouched. The server converts them
to Python values by column type with :func:`to_python` before writing, and
refuses values that do not fit the column.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, Table, Text

from ..models.types import JSONList, UTCDateTime, compact_json, format_utc, parse_utc


class WireError(ValueError):
    """A field value that does not fit its column; names the field."""

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field}: expected {expected}")
        self.field = field
        self.expected = expected


def to_python(table: Table, fields: dict[str, Any]) -> dict[str, Any]:
    """Wire values converted for ``table``'s columns; unknown columns refused."""
    columns = _columns(table)
    converted = {}
    for name, value in fields.items():
        column = columns.get(name)
        if column is None:
            raise WireError(name, "a column of " + table.name)
        convert, to_wire_form, nullable = column
        converted[name] = None if value is None else convert(name, value)
        if converted[name] is None and not nullable:
            raise WireError(name, "a value (the column may not be empty)")
    return converted


def to_wire(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """Python values of ``table``'s columns in the laptop's storage form."""
    columns = _columns(table)
    return {name: None if value is None else columns[name][1](value)
            for name, value in values.items()}


Converter = Callable[[str, Any], Any]
#: Per column: wire -> Python, Python -> wire, nullable.
_Column = tuple[Converter, Callable[[Any], Any], bool]
_TABLES: dict[Table, dict[str, _Column]] = {}


def _columns(table: Table) -> dict[str, _Column]:
    """Each column's converters, chosen by its type once per table: the
    server converts every field of every change it ingests, and the type
    tests made per value were a tenth of its work (issue 17's profile)."""
    known = _TABLES.get(table)
    if known is None:
        known = _TABLES[table] = {
            column.name: (_converter(column.type), _wire_form(column.type), bool(column.nullable))
            for column in table.columns}
    return known


def _converter(column_type: Any) -> Converter:
    """The function turning a wire value (not None) into ``column_type``'s Python value."""
    if isinstance(column_type, JSONList):
        convert: Callable[[Any], Any] = _json_list
    elif isinstance(column_type, UTCDateTime):
        def convert(value: Any) -> Any:
            return parse_utc(_str(value))
    elif isinstance(column_type, Boolean):
        convert = _boolean
    elif isinstance(column_type, Integer):
        convert = _integer
    elif isinstance(column_type, Float):
        convert = _number
    elif isinstance(column_type, Date):
        def convert(value: Any) -> Any:
            return date.fromisoformat(_str(value))
    elif isinstance(column_type, (String, Text)):
        convert = _text(getattr(column_type, "length", None))
    else:
        def unsupported(name: str, _value: Any) -> Any:
            raise WireError(name, f"a supported type, not {type(column_type).__name__}")
        return unsupported
    fallback = f"a value of type {type(column_type).__name__}"

    def converted(name: str, value: Any) -> Any:
        try:
            return convert(value)
        except _Unfit as exc:
            raise WireError(name, exc.expected) from None
        except (ValueError, TypeError):
            raise WireError(name, fallback) from None
    return converted


class _Unfit(Exception):
    """A value of the wrong kind for its column (the converter's own words)."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def _json_list(value: Any) -> list[str]:
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
        raise _Unfit("a JSON list of codes")
    return parsed


def _boolean(value: Any) -> bool:
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    raise _Unfit("0 or 1")


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Unfit("an integer")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Unfit("a number")
    return float(value)


def _text(length: int | None) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        checked = _str(value)
        if length is not None and len(checked) > length:
            raise _Unfit(f"text of at most {length} characters")
        return checked
    return text


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _wire_form(column_type: Any) -> Callable[[Any], Any]:
    """The function turning a Python value (not None) into its storage form."""
    if isinstance(column_type, JSONList):
        return compact_json
    if isinstance(column_type, UTCDateTime):
        return format_utc
    if isinstance(column_type, Boolean):
        return lambda value: 1 if value else 0
    if isinstance(column_type, Date):
        return lambda value: value.isoformat()
    return lambda value: value
