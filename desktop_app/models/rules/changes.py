"""The rules every synced change must keep, wherever it was made.

A change to a synced row (an insert, an update or a tombstone) reaches the
provincial server from a laptop's push or from a sync bundle; it is checked
here with the rules the laptop's own forms keep (services/fields.py and the
kind rules use the same lengths, ranges and identity-number rules), so a
forged or damaged change is refused with the field and the reason and
nothing of it is stored. The laptop may check what it pulls with the same
function. No store, no Qt, no server: values in, :class:`Problem` out.

What is checked, for every kind:

* ids are UUIDs (the row's, the writer stamps, a visit's entity, a
  correction's predecessor, an attachment's owner);
* each value has its column's type: text (within its length, no NUL), whole
  numbers within range (counts 0..COUNT_MAX, rupiah 0..MONEY_MAX), finite
  numbers (no NaN, no Infinity), dates, UTC stamps, 0/1, lists of codes;
* an insert holds every required column, and a required text is not blank;
  an update does not empty one;
* region codes: the regency is one of Lampung's and one the writer may write,
  the district lies in that regency, the village in that district;
* identity numbers: a NIK and a KK number keep their structure, a NIB is
  13 digits; codes (business sector, cooperative type, aid round, channels,
  payment methods, capital access) are on their reference lists; a visit's
  status, share and choices are ones the forms offer.

Warnings (a NIK of another regency, a KK date that is not a date) are not
refusals: people move and cards are old; the officer saw them when saving.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, partial
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, Table, Text, select
from sqlalchemy.orm import Session

from ..base import STAMP_FIELDS
from ..lengths import COUNT_MAX, MONEY_MAX, max_length
from ..reference import (
    AidRound, CapitalAccess, CooperativeType, DigitalChannel, KbliSection, PaymentMethod,
    ReferenceVersion, Region,
)
from ..types import JSONList, Money, UTCDateTime
from ..visits import LocationSource, PandemicImpact, VisitStatus
from .applicant import document_problems
from .eligibility import CheckItem, CheckOutcome
from .kk import check_kk
from .nib import check_nib
from .nik import check_nik
from .problems import Problem

#: Fields holding a row id (UUID) besides ``id`` and the foreign keys to synced rows.
_UUID_FIELDS = frozenset({"created_by", "officer_id", "device_id", "owner_id",
                          "assigned_officer_id"})
_REGION_FIELDS = frozenset({"regency_code", "district_code", "village_code"})
_CHECK_OUTCOMES = tuple(o.value for o in CheckOutcome)
_CHECK_FIELDS = tuple(f"check_{item.value}" for item in CheckItem)
_NIK_FIELDS = {"business": "owner_nik", "aid_applicant": "nik"}
#: The tables whose whole numbers are form entries (counts, rupiah); an
#: attachment's byte size is not a count.
_FORM_TABLES = frozenset({"business", "cooperative", "aid_applicant", "umkm_survey",
                          "cooperative_audit", "aid_verification"})


@dataclass(frozen=True, slots=True)
class ChangeCodes:
    """The reference codes the change rules consult (read with :func:`read_codes`)."""

    regencies: frozenset[str]
    district_parent: Mapping[str, str]
    village_parent: Mapping[str, str]
    kbli: frozenset[str]
    cooperative_types: frozenset[str]
    rounds: frozenset[str]
    channels: frozenset[str]
    payments: frozenset[str]
    capital_access: frozenset[str]


_cache: dict[tuple[str, str | None], ChangeCodes] = {}


def read_codes(session: Session) -> ChangeCodes:
    """The codes of the reference version loaded in ``session``'s database
    (kept per database and version: ~3,000 regions are read once)."""
    version = session.scalar(select(ReferenceVersion.version)
                             .where(ReferenceVersion.dataset == "reference"))
    key = (str(session.get_bind().url), version)
    if key not in _cache:
        regions = session.execute(select(Region.code, Region.level, Region.parent_code)).all()
        _cache[key] = ChangeCodes(
            regencies=frozenset(c for c, level, _ in regions if level == "regency"),
            district_parent={c: p for c, level, p in regions if level == "district"},
            village_parent={c: p for c, level, p in regions if level == "village"},
            kbli=frozenset(session.scalars(select(KbliSection.code))),
            cooperative_types=frozenset(session.scalars(select(CooperativeType.code))),
            rounds=frozenset(session.scalars(select(AidRound.code))),
            channels=frozenset(session.scalars(select(DigitalChannel.code))),
            payments=frozenset(session.scalars(select(PaymentMethod.code))),
            capital_access=frozenset(session.scalars(select(CapitalAccess.code))))
    return _cache[key]


def is_uuid(value: Any) -> bool:
    """A UUID in its canonical text form (36 characters, lower case)."""
    return isinstance(value, str) and _CANONICAL_UUID.fullmatch(value) is not None


#: What ``str(uuid.UUID(...))`` prints: checked on every id of every change.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def change_problems(table: Table, op: str, row_id: str, values: Mapping[str, Any],
                    stored: Mapping[str, Any] | None, *, codes: ChangeCodes, today: date,
                    regencies: frozenset[str] | None = None) -> list[Problem]:
    """Every rule a change to ``table`` breaks (errors only; empty when it may
    be applied).

    ``values`` are the change's fields as Python values of their columns
    (protocol.wire.to_python), ``stored`` the row as it is now (None for a new
    row), ``regencies`` the regencies the writer may write (None: all).
    """
    found: list[Problem] = []
    if not is_uuid(row_id):
        found.append(_problem("id", "id.uuid", "Id data harus UUID.", "The record id must be a UUID."))
    for name, value in values.items():
        column = table.columns.get(name)
        if column is None:
            found.append(_problem(name, "field.unknown",
                                  f"Isian '{name}' bukan kolom {table.name}.",
                                  f"'{name}' is not a field of {table.name}."))
            continue
        found += _value_problems(table, column, value)
    if op == "delete" or found:
        return found
    row = {**(stored or {}), **values}
    creating = stored is None
    found += _required(table, row, values, creating=creating)
    rules = _domain(table.name, row, codes, today, regencies)
    if creating:
        return found + rules
    touched = set(values)
    return found + [p for p in rules if p.field in touched
                    or (p.field in _REGION_FIELDS and touched & _REGION_FIELDS)]


def _value_problems(table: Table, column: Any, value: Any) -> list[Problem]:
    if value is None:
        return []
    key = (table.name, column.name)
    check = _CHECKS.get(key)
    if check is None:
        check = _CHECKS[key] = _value_check(table, column)
    return check(value)


ValueCheck = Callable[[Any], list[Problem]]
#: Each column's check, chosen once by its name and type: the server checks
#: every field of every change it ingests, and choosing per value was a
#: large share of that work (issue 17's profile).
_CHECKS: dict[tuple[str, str], ValueCheck] = {}


def _value_check(table: Table, column: Any) -> ValueCheck:
    """The check of one column's (non-empty) values."""
    name, kind = column.name, column.type
    if name == "id" or name in _UUID_FIELDS or _points_to_synced_row(column):
        return lambda value: [] if is_uuid(value) else [
            _problem(name, "id.uuid", f"Isian '{name}' harus UUID.", f"'{name}' must be a UUID.")]
    if isinstance(kind, JSONList):
        return lambda value: [] if (isinstance(value, list) and len(value) <= 50 and all(
            isinstance(v, str) and len(v) <= 40 for v in value)) else [
            _type(name, "daftar kode", "a list of codes")]
    if isinstance(kind, UTCDateTime):
        return lambda value: [] if isinstance(value, datetime) else [
            _type(name, "waktu UTC", "a UTC time")]
    if isinstance(kind, Boolean):
        return lambda value: [] if isinstance(value, bool) else [_type(name, "0 atau 1", "0 or 1")]
    if isinstance(kind, Integer):
        return _whole_number_check(name, MONEY_MAX if isinstance(kind, Money) else COUNT_MAX,
                                   ranged=table.name in _FORM_TABLES)
    if isinstance(kind, Float):
        return partial(_number_problems, name)
    if isinstance(kind, Date):
        return lambda value: [] if isinstance(value, date) and not isinstance(value, datetime) \
            else [_type(name, "tanggal", "a date")]
    if isinstance(kind, (String, Text)):
        return partial(_text_problems, name, max_length(column))
    return lambda value: []


def _whole_number_check(name: str, upper: int, *, ranged: bool) -> ValueCheck:
    def check(value: Any) -> list[Problem]:
        if isinstance(value, bool) or not isinstance(value, int):
            return [_type(name, "bilangan bulat", "a whole number")]
        if ranged and not 0 <= value <= upper:
            return [_problem(name, "field.range",
                             f"Isian '{name}' harus bilangan bulat dari 0 sampai {upper}.",
                             f"'{name}' must be a whole number from 0 to {upper}.")]
        return []
    return check


def _number_problems(name: str, value: Any) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [_type(name, "angka", "a number")]
    if not math.isfinite(value):
        return [_problem(name, "number.finite",
                         f"Isian '{name}' harus angka biasa (bukan NaN atau tak hingga).",
                         f"'{name}' must be an ordinary number (not NaN or infinity).")]
    return []


def _text_problems(name: str, longest: int | None, value: Any) -> list[Problem]:
    if not isinstance(value, str):
        return [_type(name, "teks", "text")]
    if longest is not None and len(value) > longest:
        return [_problem(name, "field.too_long",
                         f"Isian '{name}' terlalu panjang: paling banyak {longest} karakter.",
                         f"'{name}' is too long: at most {longest} characters.")]
    if "\x00" in value:
        return [_type(name, "teks tanpa karakter NUL", "text without NUL characters")]
    return []


def _points_to_synced_row(column: Any) -> bool:
    return any(fk.column.name == "id" and "created_by" in fk.column.table.columns
               for fk in column.foreign_keys)


@cache
def _not_nullable(table: Table) -> tuple[Any, ...]:
    """The columns (but the id) that may not be empty: :func:`_required` runs
    for every change the server ingests."""
    return tuple(c for c in table.columns if not c.nullable and c.name != "id")


def _required(table: Table, row: Mapping[str, Any], values: Mapping[str, Any], *,
              creating: bool) -> list[Problem]:
    """An insert holds every column that has no default (the server fills
    the defaults the laptop uses); no change empties a column that may not
    be empty, nor blanks a required text (one without a default)."""
    found = []
    for column in _not_nullable(table):
        name = column.name
        if not creating and name not in values:
            continue
        if name not in row:
            missing = column.default is None
        else:
            value = row[name]
            missing = value is None or (isinstance(value, str) and not value.strip()
                                        and column.default is None)
        if missing:
            found.append(_problem(name, "field.required",
                                  f"Isian '{name}' wajib diisi.", f"'{name}' is required."))
    return found


def _domain(table: str, row: Mapping[str, Any], codes: ChangeCodes, today: date,
            regencies: frozenset[str] | None) -> list[Problem]:
    found = _regions(row, codes, regencies) if "regency_code" in row else []
    nik_field = _NIK_FIELDS.get(table)
    if nik_field and row.get(nik_field):
        found += [p for p in check_nik(row[nik_field], field=nik_field, today=today)
                  if p.severity == "error"]
    if table == "business":
        found += check_nib(row.get("nib") or None)
    if table == "aid_applicant":
        found += [p for p in check_kk(row.get("kk_number") or None, today=today)
                  if p.severity == "error"]
        found += _code("aid_round", row.get("aid_round"), codes.rounds)
        found += document_problems(row)
    if table in ("business", "aid_applicant"):
        found += _code("kbli_section", row.get("kbli_section"), codes.kbli)
    if table == "cooperative":
        found += _code("cooperative_type", row.get("cooperative_type"), codes.cooperative_types)
    if "status" in row and table != "attachment":
        found += _choice("status", row.get("status"), [s.value for s in VisitStatus])
        found += _choice("location_source", row.get("location_source"),
                         [s.value for s in LocationSource])
    if table == "umkm_survey":
        found += _codes("digital_channels", row.get("digital_channels"), codes.channels)
        found += _codes("payment_methods", row.get("payment_methods"), codes.payments)
        found += _codes("capital_access", row.get("capital_access"), codes.capital_access)
        found += _choice("pandemic_impact", row.get("pandemic_impact"),
                         [s.value for s in PandemicImpact])
        share = row.get("online_sales_share")
        if isinstance(share, int) and not 0 <= share <= 100:
            found.append(_problem("online_sales_share", "percent.range",
                                  "Isian 'online_sales_share' harus antara 0 dan 100.",
                                  "'online_sales_share' must be between 0 and 100."))
    if table == "aid_verification":
        for name in _CHECK_FIELDS:
            found += _choice(name, row.get(name), _CHECK_OUTCOMES)
    for name, low, high in (("latitude", -90.0, 90.0), ("longitude", -180.0, 180.0)):
        value = row.get(name)
        if isinstance(value, float) and math.isfinite(value) and not low <= value <= high:
            found.append(_problem(name, "location.range",
                                  f"Isian '{name}' harus antara {low} dan {high}.",
                                  f"'{name}' must be between {low} and {high}."))
    return found


def _regions(row: Mapping[str, Any], codes: ChangeCodes,
             regencies: frozenset[str] | None) -> list[Problem]:
    regency, district, village = (row.get("regency_code"), row.get("district_code"),
                                  row.get("village_code"))
    if regency not in codes.regencies:
        return [_problem("regency_code", "region.regency",
                         "Kode kabupaten/kota bukan salah satu dari 15 kabupaten/kota Lampung.",
                         "The regency code is not one of Lampung's 15 regencies/cities.")]
    if regencies is not None and regency not in regencies:
        return [_problem("regency_code", "region.outside_scope",
                         "Data ini di luar wilayah kerja Anda.",
                         "This record is outside your regency.")]
    if district and codes.district_parent.get(district) != regency:
        return [_problem("district_code", "region.district_outside",
                         "Kecamatan tidak termasuk kabupaten/kota data ini.",
                         "The district is not in the record's regency/city.")]
    if village and (not district or codes.village_parent.get(village) != district):
        return [_problem("village_code", "village.outside_district",
                         "Desa/kelurahan tidak termasuk kecamatan data ini.",
                         "The village is not in the record's district.")]
    return []


def _code(field: str, value: Any, allowed: frozenset[str]) -> list[Problem]:
    if value in (None, "") or value in allowed:
        return []
    return [_problem(field, "code.unknown", f"Isian '{field}': kode tidak ada dalam daftar.",
                     f"'{field}': the code is not on the list.")]


def _codes(field: str, values: Any, allowed: frozenset[str]) -> list[Problem]:
    if not values or set(values) <= allowed:
        return []
    return _code(field, "?", frozenset())


def _choice(field: str, value: Any, choices: Any) -> list[Problem]:
    if value in (None, "") or value in choices:
        return []
    return [_problem(field, "choice.unknown",
                     f"Isian '{field}' harus salah satu dari: {', '.join(choices)}.",
                     f"'{field}' must be one of: {', '.join(choices)}.")]


def _type(field: str, what_id: str, what_en: str) -> Problem:
    return _problem(field, "field.type", f"Isian '{field}' harus berupa {what_id}.",
                    f"'{field}' must be {what_en}.")


def _problem(field: str, rule: str, id_: str, en: str) -> Problem:
    return Problem(field, rule, id_, en)


__all__ = ["STAMP_FIELDS", "ChangeCodes", "change_problems", "is_uuid", "read_codes"]
