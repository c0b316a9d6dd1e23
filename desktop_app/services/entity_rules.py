"""Rules special to businesses, cooperatives and aid applicants.

Each function takes the record's values as they will be after the save
(stored values overlaid with the new ones) and returns its Problems.
"""

from __future__ import annotations

import re
from typing import Any

from ..models.rules.applicant import document_problems, round_problems
from ..models.rules.kk import check_kk
from ..models.rules.nib import check_nib
from ..models.rules.nik import check_nik
from ..models.rules.problems import Problem
from ..models.rules.villages import village_problems
from .duplicates import applicant_duplicates, business_duplicates
from .checks import code_in, date_problems, problem, region_problems
from .reference import ReferenceCodes
from .rules_context import RuleContext

_PHONE = re.compile(r"^\+?[0-9][0-9 -]{6,18}[0-9]$")


def _placed(values: dict[str, Any], codes: ReferenceCodes) -> list[Problem]:
    found = region_problems(values, codes.regencies, codes.district_parent)
    return found or village_problems(values, codes.village_parent)


def placed_derived(values: dict[str, Any], ctx: RuleContext) -> dict[str, Any]:
    """The village's name follows its code, so lists, search and exports
    read the name from the list; a record without a code keeps the name
    typed before the list existed."""
    name = ctx.codes.village_names.get(values.get("village_code") or "")
    return {"village": name} if name else {}


def _phone(values: dict[str, Any]) -> list[Problem]:
    phone = values.get("phone") or ""
    if not phone or _PHONE.match(phone):
        return []
    return [problem("phone", "phone.format",
                    "Nomor telepon hanya berisi angka (boleh diawali +), 8 sampai 20 digit.",
                    "A phone number holds only digits (a leading + allowed), 8 to 20 digits.")]


def _nik(field: str, values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    value = values.get(field)
    if not value:
        return []  # 'required' is reported by the generic checks
    return check_nik(value, field=field, today=ctx.today, place_regency=values.get("regency_code"))


def business_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = _placed(values, ctx.codes) + _phone(values) + _nik("owner_nik", values, ctx)
    found += check_nib(values.get("nib") or None, field="nib")
    found += code_in("kbli_section", values.get("kbli_section"), ctx.codes.kbli)
    found += business_duplicates(ctx.session, values)
    year = values.get("year_started")
    if year is not None and not 1900 <= year <= ctx.today.year:
        found.append(problem("year_started", "year.range",
                             f"Tahun mulai usaha harus antara 1900 dan {ctx.today.year}.",
                             f"Year started must be between 1900 and {ctx.today.year}."))
    return found


def cooperative_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = _placed(values, ctx.codes)
    found += code_in("cooperative_type", values.get("cooperative_type"), ctx.codes.cooperative_types)
    found += date_problems("legal_entity_date", values.get("legal_entity_date"), today=ctx.today)
    return found


def applicant_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = _placed(values, ctx.codes) + _phone(values) + _nik("nik", values, ctx)
    found += check_kk(values.get("kk_number") or None, today=ctx.today, nik=values.get("nik"))
    found += code_in("kbli_section", values.get("kbli_section"), ctx.codes.kbli)
    found += round_problems(values, ctx.codes.rounds)
    found += document_problems(values)
    found += applicant_duplicates(ctx.session, values)
    return found
