"""What a form may send for each field, read off the model's columns.

The column already knows its type, length and whether it may be empty; this
module turns that into coercion and the generic checks (required, type,
length, range) so that the kind-specific rules in validation.py only say what
is special about a field.
"""

from __future__ import annotations

import re

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapper

from ..models import SYSTEM_FIELDS
from ..models.lengths import COUNT_MAX, MONEY_MAX, max_length
from ..models.rules.problems import Problem
from ..models.types import JSONList, Money
from .labels import label


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: str  # text|int|money|bool|date|float|list
    required: bool
    max_length: int | None = None
    nullable: bool = False  # an empty entry is stored as NULL (e.g. an optional code)
    default: Any = None  # what an emptied optional field stores when the column cannot be NULL


def specs_for(mapper: Mapper[Any], derived: frozenset[str]) -> dict[str, FieldSpec]:
    """The editable fields of a model: every column but system and derived ones."""
    specs = {}
    for column in mapper.columns:
        if column.key in SYSTEM_FIELDS or column.key in derived:
            continue
        specs[column.key] = FieldSpec(
            name=column.key,
            kind=_kind_of(column.type),
            required=not column.nullable and column.default is None,
            max_length=max_length(column),
            nullable=bool(column.nullable),
            default=_scalar_default(column),
        )
    return specs


def _scalar_default(column: Any) -> Any:
    default = getattr(column.default, "arg", None)
    return None if callable(default) else default


def _kind_of(column_type: Any) -> str:
    if isinstance(column_type, JSONList):
        return "list"
    if isinstance(column_type, Money):
        return "money"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, Float):
        return "float"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, (String, Text)):
        return "text"
    raise TypeError(f"no form kind for column type {column_type!r}")


def coerce(specs: Mapping[str, FieldSpec], data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Values converted to their column's Python type, and what could not be.

    Forms send text; the command line and tests send Python values. Both are
    accepted: '1.250.000' and 1250000 are the same rupiah amount.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in data.items():
        spec = specs.get(name)
        if spec is None:
            problems.append(_unknown_field(name))
            continue
        try:
            values[name] = _COERCE[spec.kind](raw)
            if values[name] == "" and spec.nullable:
                values[name] = None  # an empty combo box means 'none', not the code ''
            if values[name] is None and not spec.nullable and spec.default is not None:
                values[name] = spec.default  # an emptied optional count is its default, not NULL
        except (TypeError, ValueError):
            problems.append(_wrong_type(spec))
    return values, problems


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError
    return raw.strip()


def _int(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or isinstance(raw, float):
        raise TypeError
    if isinstance(raw, str):
        cleaned = raw.strip().removeprefix("Rp").strip().replace(".", "").replace(" ", "")
        if not cleaned.lstrip("-").isdigit():
            raise ValueError
        return int(cleaned)
    return int(raw)


def _bool(raw: Any) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    if raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in _BOOL_WORDS:
        return _BOOL_WORDS[raw.strip().lower()]
    raise ValueError


_BOOL_WORDS = {"ya": True, "yes": True, "true": True, "1": True,
               "tidak": False, "no": False, "false": False, "0": False}


def _date(raw: Any) -> date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        raise TypeError  # a timestamp is not a date; refuse rather than compare and fail
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if found:  # as an officer writes it: 15/03/2027
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(text)
    raise TypeError


def _float(raw: Any) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise TypeError
    if isinstance(raw, str):
        return float(raw.strip().replace(",", "."))
    return float(raw)


def _list(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str) or not all(isinstance(item, str) for item in raw):
        raise TypeError
    return sorted(set(raw))


_COERCE = {"text": _text, "int": _int, "money": _int, "bool": _bool, "date": _date,
           "float": _float, "list": _list}


def generic_problems(specs: Mapping[str, FieldSpec], values: Mapping[str, Any],
                     *, creating: bool) -> list[Problem]:
    """Required fields present (when creating), lengths and ranges kept."""
    problems = []
    for spec in specs.values():
        if spec.name not in values:
            if creating and spec.required:
                problems.append(_required(spec))
            continue
        value = values[spec.name]
        if value is None or value == "":
            if spec.required:
                problems.append(_required(spec))
            continue
        problems.extend(_range_problems(spec, value))
    return problems


def _range_problems(spec: FieldSpec, value: Any) -> list[Problem]:
    if spec.kind == "text" and spec.max_length and len(value) > spec.max_length:
        return [Problem(spec.name, "field.too_long",
                        f"Isian '{label(spec.name)}' terlalu panjang: paling banyak {spec.max_length} "
                        "karakter. Singkatkan isian.",
                        f"'{label(spec.name, 'en')}' is too long: at most {spec.max_length} characters. "
                        "Shorten it.")]
    if spec.kind in ("int", "money"):
        upper = MONEY_MAX if spec.kind == "money" else COUNT_MAX
        if not 0 <= value <= upper:
            return [Problem(spec.name, "field.range",
                            f"Isian '{label(spec.name)}' harus bilangan bulat dari 0 sampai {upper:,}."
                            .replace(",", ".") + " Periksa angkanya.",
                            f"'{label(spec.name, 'en')}' must be a whole number from 0 to {upper:,}. "
                            "Check the figure.")]
    return []


def _required(spec: FieldSpec) -> Problem:
    return Problem(spec.name, "field.required",
                   f"Isian '{label(spec.name)}' wajib diisi. Lengkapi isian ini.",
                   f"'{label(spec.name, 'en')}' is required. Fill it in.")


def _wrong_type(spec: FieldSpec) -> Problem:
    what_id, what_en = _KIND_WORDS[spec.kind]
    return Problem(spec.name, "field.type",
                   f"Isian '{label(spec.name)}' harus berupa {what_id}. Perbaiki isiannya.",
                   f"'{label(spec.name, 'en')}' must be {what_en}. Correct the entry.")


def _unknown_field(name: str) -> Problem:
    return Problem(name, "field.unknown",
                   f"Isian '{label(name)}' tidak dikenal untuk data ini dan tidak disimpan. "
                   "Hapus isian tersebut.",
                   f"'{label(name, 'en')}' is not a field of this record and was not saved. Remove it.")


_KIND_WORDS = {
    "text": ("teks", "text"),
    "int": ("bilangan bulat", "a whole number"),
    "money": ("jumlah rupiah tanpa desimal", "a whole rupiah amount"),
    "bool": ("ya atau tidak", "yes or no"),
    "date": ("tanggal yang ada (HH/BB/TTTT)", "a real date (DD/MM/YYYY)"),
    "float": ("angka", "a number"),
    "list": ("daftar kode", "a list of codes"),
}
