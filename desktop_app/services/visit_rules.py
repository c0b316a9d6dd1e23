"""Rules and derived values of the three visit records.

Derived values (size class, health score and category, verdict) are computed
on every save, so the form shows them live, and stored with the record as
they were at the visit.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..models import AidApplicant, Business, Cooperative, LocationSource, PandemicImpact
from ..models.rules.eligibility import CheckItem, CheckOutcome, eligibility_verdict
from ..models.rules.health import ASPECTS, health_score
from ..models.rules.problems import Problem
from ..models.rules.size_class import size_class
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
    workers = (values.get("workers_paid") or 0) + (values.get("workers_unpaid") or 0)
    found += not_more_than("workers_women", values.get("workers_women"), "workers_paid", workers)
    return found


def survey_derived(values: dict[str, Any]) -> dict[str, Any]:
    """Size class by capital, else by annual sales (PP 7/2021 Art. 35);
    annual sales fall back to twelve months of the monthly turnover."""
    annual = values.get("turnover_annual")
    if annual is None and values.get("turnover_monthly") is not None:
        annual = values["turnover_monthly"] * 12
    if values.get("capital") is None and annual is None:
        return {"size_class": ""}
    return {"size_class": size_class(capital=values.get("capital"), annual_sales=annual).value}


def survey_final_problems(values: dict[str, Any]) -> list[Problem]:
    if values.get("size_class"):
        return []
    return [problem("capital", "final.size_basis",
                    "Isi modal usaha atau hasil penjualan sebelum finalisasi: skala usaha "
                    "dihitung dari salah satunya.",
                    "Fill in capital or annual sales before finalising: the size class is "
                    "derived from one of them.")]


def parse_aspects(raw: Any) -> dict[str, str]:
    """Aspect scores from a mapping or its JSON text, as decimal strings."""
    if raw in (None, ""):
        return {}
    mapping = json.loads(raw) if isinstance(raw, str) else dict(raw)
    if not isinstance(mapping, dict):
        raise TypeError("aspect scores must be a mapping of aspect to score")
    return {str(k): str(Decimal(str(v))) for k, v in mapping.items()}


def audit_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Aspect scores may come as a mapping from the form; the column holds JSON."""
    raw = data.get("aspect_scores")
    if raw is None or isinstance(raw, str):
        return {}
    try:
        return {"aspect_scores": json.dumps(parse_aspects(raw), sort_keys=True)}
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
    found += _aspect_problems(values.get("aspect_scores"))
    return found


def _aspect_problems(raw: Any) -> list[Problem]:
    try:
        scores = parse_aspects(raw)
        if not all(Decimal(v).is_finite() for v in scores.values()):
            raise ValueError("NaN or infinite score")  # NaN cannot be compared below
    except (ValueError, TypeError, ArithmeticError):
        return [problem("aspect_scores", "health.aspect_format",
                        "Skor aspek harus berupa angka per aspek.",
                        "Aspect scores must be a number per aspect.")]
    for aspect in ASPECTS:
        score = scores.get(aspect.key)
        if score is not None and not 0 <= Decimal(score) <= aspect.weight:
            return [problem("aspect_scores", "health.aspect_range",
                            f"Skor aspek {aspect.label_id} harus antara 0 dan {aspect.weight}.",
                            f"The {aspect.label_en} aspect score must be between 0 and "
                            f"{aspect.weight}.")]
    unknown = sorted(set(scores) - {a.key for a in ASPECTS})
    if unknown:
        return [problem("aspect_scores", "health.aspect_unknown",
                        f"Aspek tidak dikenal: {', '.join(unknown)}.",
                        f"Unknown aspect(s): {', '.join(unknown)}.")]
    return []


def audit_derived(values: dict[str, Any]) -> dict[str, Any]:
    """Health score and category once all seven aspects are scored
    (Perdep KUKM 06/2016)."""
    scores = parse_aspects(values.get("aspect_scores"))
    stored = json.dumps(scores, sort_keys=True) if scores else ""
    if len(scores) < len(ASPECTS):
        return {"aspect_scores": stored, "health_score": None, "health_category": ""}
    result = health_score({k: Decimal(v) for k, v in scores.items()})
    return {"aspect_scores": stored, "health_score": float(result.total),
            "health_category": result.category.value}


def audit_final_problems(values: dict[str, Any], is_savings_loan: bool) -> list[Problem]:
    if not is_savings_loan or values.get("health_category"):
        return []
    return [problem("aspect_scores", "final.health_incomplete",
                    "Koperasi simpan pinjam: nilai ketujuh aspek kesehatan sebelum finalisasi.",
                    "Savings-and-loan cooperative: score all seven health aspects before "
                    "finalising.")]


def verification_problems(values: dict[str, Any], ctx: RuleContext) -> list[Problem]:
    found = common_problems(values, ctx)
    found += parent_problems("applicant_id", AidApplicant, values, ctx)
    for field in CHECK_FIELDS:
        found += choice_problems(field, values.get(field), OUTCOMES)
    return found


def verification_derived(values: dict[str, Any]) -> dict[str, Any]:
    outcomes = {item: values.get(field) or "unchecked" for field, item in CHECK_FIELDS.items()}
    if any(o not in OUTCOMES for o in outcomes.values()):
        return {}
    verdict = eligibility_verdict(outcomes)
    return {"verdict": verdict.verdict.value,
            "verdict_reason": verdict.reason_id}  # the proposal list is in Indonesian


def verdict_in_english(values: dict[str, Any]) -> dict[str, Any]:
    """The verdict's reason in English, for the screen only (the stored
    reason is Indonesian, as the proposal list needs it)."""
    outcomes = {item: values.get(field) or "unchecked" for field, item in CHECK_FIELDS.items()}
    if any(o not in OUTCOMES for o in outcomes.values()):
        return {}
    return {"verdict_reason_en": eligibility_verdict(outcomes).reason_en}

