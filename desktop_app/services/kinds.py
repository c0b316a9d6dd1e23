"""The six record kinds the services handle, and what differs between them.

One table of kinds instead of six copies of save/get/list: a kind names its
model, its rules, its derived values and, for a visit, the entity visited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect

from ..models import (
    AidApplicant, AidVerification, Business, Cooperative, CooperativeAudit, UmkmSurvey,
)
from ..models.rules.problems import Problem
from . import entity_rules, visit_rules
from .fields import FieldSpec, specs_for
from .rules_context import RuleContext

Rules = Callable[[dict[str, Any], RuleContext], list[Problem]]
Derive = Callable[[dict[str, Any]], dict[str, Any]]


def _no_derived(values: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    label_id: str
    label_en: str
    rules: Rules
    derive: Derive = _no_derived
    derived_fields: frozenset[str] = frozenset()
    parent_field: str | None = None  # visits: the entity visited
    parent_kind: str | None = None
    title_field: str = "name"
    prepare: Derive = _no_derived  # turns form values into column values before coercion
    specs: dict[str, FieldSpec] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, str]:
        return (self.label_id, self.label_en)

    @property
    def is_visit(self) -> bool:
        return self.parent_field is not None


def _kind(**kwargs: Any) -> Kind:
    kind = Kind(**kwargs)
    specs = specs_for(inspect(kind.model), kind.derived_fields)
    object.__setattr__(kind, "specs", specs)
    return kind


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        _kind(name="business", model=Business, label_id="Usaha (UMKM)", label_en="Business (UMKM)",
              rules=entity_rules.business_problems),
        _kind(name="cooperative", model=Cooperative, label_id="Koperasi", label_en="Cooperative",
              rules=entity_rules.cooperative_problems),
        _kind(name="aid_applicant", model=AidApplicant, label_id="Pemohon bantuan",
              label_en="Aid applicant", rules=entity_rules.applicant_problems,
              title_field="full_name"),
        _kind(name="umkm_survey", model=UmkmSurvey, label_id="Survei UMKM", label_en="UMKM survey",
              rules=visit_rules.survey_problems, derive=visit_rules.survey_derived,
              derived_fields=frozenset({"size_class", "regency_code"}),
              parent_field="business_id", parent_kind="business"),
        _kind(name="cooperative_audit", model=CooperativeAudit, label_id="Audit koperasi",
              label_en="Cooperative audit", rules=visit_rules.audit_problems,
              derive=visit_rules.audit_derived, prepare=visit_rules.audit_prepare,
              derived_fields=frozenset({"health_score", "health_category", "regency_code"}),
              parent_field="cooperative_id", parent_kind="cooperative"),
        _kind(name="aid_verification", model=AidVerification, label_id="Verifikasi bantuan",
              label_en="Aid verification", rules=visit_rules.verification_problems,
              derive=visit_rules.verification_derived,
              derived_fields=frozenset({"verdict", "verdict_reason", "regency_code"}),
              parent_field="applicant_id", parent_kind="aid_applicant"),
    )
}


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown record kind {name!r}; known: {', '.join(KINDS)}") from None
