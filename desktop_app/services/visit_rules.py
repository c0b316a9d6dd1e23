"""Rules and derived values of the three visit records.

Derived values (size class, health score and category, verdict) are computed
on every save, so the form shows them live, and stored with the record as
they were at the visit.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..models import (
    AidApplicant, Business, Cooperative, CooperativeAudit, LocationSource, PandemicImpact,
)
from ..models.rules import health, plausibility
from ..models.rules.eligibility import (
    CheckItem, CheckOutcome, RoundRules, VerdictKind, eligibility_verdict,
)
from ..models.rules.problems import Problem
from ..models.rules.size_class import classify
from .checks import (
    EARLIEST_VISIT, choice_problems, codes_in, date_problems, location_problems,
    not_more_than, percent_problems, problem,
)
from .labels import label
from .rules_context import RuleContext

PANDEMIC_IMPACTS = tuple(impact.value for impact in PandemicImpact)
LOCATION_SOURCES = tuple(source.value for source in LocationSource)
OUTCOMES = tuple(o.value for o in CheckOutcome)
CHECK_FIELDS = {f"check_{item.value}": item for item in CheckItem}


def common_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = date_problems("visit_date", values.get("visit_date"), today=ctx.today,
                          earliest=EARLIEST_VISIT)
    found += location_problems(values)
    found += choice_problems("location_source", values.get("location_source"), LOCATION_SOURCES)
    return found


def parent_problems(field: str, model: type, values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    """The visited entity exists and is not deleted."""
    parent_id = values.get(field)
    if not parent_id:
        return []
    parent = ctx.session.get(model, parent_id)
    if parent is None or parent.deleted_at is not None:
        return [problem(field, "parent.missing",
                        f"{label(field)} yang dikunjungi tidak ditemukan atau sudah dihapus. "
                        "Pilih dari daftar.",
                        f"The {label(field, 'en').lower()} visited does not exist or was deleted. "
                        "Pick one from the list.")]
    return []


def survey_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = common_problems(values, ctx) + parent_problems("business_id", Business, values, ctx)
    found += codes_in("digital_channels", values.get("digital_channels"), ctx.codes.channels)
    found += codes_in("payment_methods", values.get("payment_methods"), ctx.codes.payments)
    found += codes_in("capital_access", values.get("capital_access"), ctx.codes.capital_access)
    found += percent_problems("online_sales_share", values.get("online_sales_share"))
    found += choice_problems("pandemic_impact", values.get("pandemic_impact"), PANDEMIC_IMPACTS)
    found += plausibility.survey_problems(values)  # contradictions, unlikely figures, women workers
    return found


def survey_derived(values: dict[str, Any], ctx: RuleContext) -> dict[str, Any]:
    """Size class by annual sales, else by their estimate from the monthly
    turnover, else by capital (PP 7/2021 Art. 35), and which one decided."""
    found = classify(annual_sales=values.get("turnover_annual"),
                     monthly_turnover=values.get("turnover_monthly"), capital=values.get("capital"))
    if found is None:
        return {"size_class": "", "size_class_basis": ""}
    return {"size_class": found.size_class.value, "size_class_basis": found.basis.value}


def survey_final_problems(values: dict[str, Any]) -> list[Problem]:
    if values.get("size_class"):
        return []
    return [problem("turnover_annual", "final.size_basis",
                    "Isi hasil penjualan tahunan, omzet per bulan, atau modal usaha sebelum "
                    "finalisasi: skala usaha dihitung dari salah satunya.",
                    "Fill in annual sales, monthly turnover or capital before finalising: the "
                    "size class is derived from one of them.")]


#: What an audit that names no method used (the column's default).
DEFAULT_METHOD: str = CooperativeAudit.__table__.c.health_method.default.arg


def audit_method(values: dict[str, Any]) -> str:
    """The audit's health method code; one that names none used the default."""
    return values.get("health_method") or DEFAULT_METHOD


def audit_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Health entries may come as a mapping from the form; the column holds JSON."""
    raw = data.get("aspect_scores")
    if raw is None or isinstance(raw, str):
        return {}
    try:
        return {"aspect_scores": json.dumps(health.parse_entries(raw), sort_keys=True)}
    except (ValueError, TypeError, ArithmeticError):
        return {"aspect_scores": "?"}  # reported by audit_problems


def audit_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = common_problems(values, ctx) + parent_problems("cooperative_id", Cooperative, values, ctx)
    found += date_problems("rat_date", values.get("rat_date"), today=ctx.today)
    if values.get("rat_held") and values.get("rat_date") is None:
        found.append(problem("rat_date", "rat.date_missing",
                             "RAT dinyatakan dilaksanakan: isi tanggal RAT.",
                             "The RAT is marked as held: fill in its date."))
    found += not_more_than("loans_overdue", values.get("loans_overdue"),
                           "loans_outstanding", values.get("loans_outstanding"))
    found += health.entry_problems(audit_method(values), values.get("aspect_scores"),
                                   ctx.codes.health_methods)
    found += plausibility.audit_problems(values)
    return found


def audit_derived(values: dict[str, Any], ctx: RuleContext) -> dict[str, Any]:
    """Health score and category, under the audit's method, once every
    aspect (or indicator) is entered."""
    entries = health.parse_entries(values.get("aspect_scores"))
    stored = json.dumps(entries, sort_keys=True) if entries else ""
    method = ctx.codes.health_methods.get(audit_method(values))
    if method is None or set(entries) != set(method.entry_keys):
        return {"aspect_scores": stored, "health_score": None, "health_category": ""}
    result = method.assess({k: Decimal(v) for k, v in entries.items()})
    return {"aspect_scores": stored, "health_score": float(result.total),
            "health_category": result.category.value}


def audit_final_problems(values: dict[str, Any], is_savings_loan: bool) -> list[Problem]:
    if not is_savings_loan or values.get("health_category"):
        return []
    return [problem("aspect_scores", "final.health_incomplete",
                    "Koperasi simpan pinjam: lengkapi semua nilai penilaian kesehatan menurut "
                    "metodenya sebelum finalisasi.",
                    "Savings-and-loan cooperative: fill in every health assessment entry of its "
                    "method before finalising.")]


def verification_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = common_problems(values, ctx)
    found += parent_problems("applicant_id", AidApplicant, values, ctx)
    for field in CHECK_FIELDS:
        found += choice_problems(field, values.get(field), OUTCOMES)
    if not found and values.get("applicant_id") and applicant_round(values, ctx) is None:
        found.append(problem("applicant_id", "round.unknown",
                             "Tahap bantuan pemohon tidak dikenal, jadi syarat dan nilai bantuannya "
                             "tidak diketahui. Perbaiki tahap bantuan pada data pemohon dahulu.",
                             "The applicant's aid round is not known, so its rules and amount are "
                             "not either. Correct the round on the applicant's record first."))
    return found


def applicant_round(values: dict[str, Any], ctx: RuleContext) -> RoundRules | None:
    """The rules of the round the verified applicant belongs to."""
    applicant = ctx.session.get(AidApplicant, values.get("applicant_id"))
    if applicant is None:
        return None
    return ctx.codes.rounds.get(applicant.aid_round)


def _verdict(values: dict[str, Any], ctx: RuleContext) -> Any:
    outcomes = {item: values.get(field) or "unchecked" for field, item in CHECK_FIELDS.items()}
    if any(o not in OUTCOMES for o in outcomes.values()):
        return None
    rules = applicant_round(values, ctx)
    if rules is None:
        return None
    return eligibility_verdict(outcomes, rules)


def verification_derived(values: dict[str, Any], ctx: RuleContext) -> dict[str, Any]:
    """The verdict under the rules of the applicant's round."""
    verdict = _verdict(values, ctx)
    if verdict is None:
        return {}
    return {"verdict": verdict.verdict.value,
            "verdict_reason": verdict.reason_id}  # the proposal list is in Indonesian


def verdict_for_screen(values: dict[str, Any], ctx: RuleContext) -> dict[str, Any]:
    """What the form shows beside the stored verdict: its reason in English
    (the stored reason is Indonesian, as the proposal list needs it), and the
    round and its amount."""
    verdict = _verdict(values, ctx)
    if verdict is None:
        return {}
    rules = applicant_round(values, ctx)
    assert rules is not None
    return {"verdict_reason_en": verdict.reason_en, "round_name_id": rules.name_id,
            "round_name_en": rules.name_en, "round_amount": rules.amount}


def verification_final_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    """An applicant found eligible is proposed with the KK number (the
    proposal layout of the BPUM guideline), so it must be on the record."""
    if values.get("verdict") != VerdictKind.ELIGIBLE.value:
        return []
    applicant = ctx.session.get(AidApplicant, values.get("applicant_id"))
    if applicant is not None and applicant.kk_number:
        return []
    return [problem("applicant_id", "final.kk_missing",
                    "Pemohon layak diusulkan: isi nomor KK pada data pemohon sebelum finalisasi.",
                    "The applicant is eligible and will be proposed: fill in the KK number on the "
                    "applicant's record before finalising.")]
