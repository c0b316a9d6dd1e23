"""The six record kinds as the services handle them: the models' vocabulary
(``models.kinds``) with the rules, derived values and form fields of each.

One table of kinds instead of six copies of save/get/list: a kind names its
model, its rules, its derived values and, for a visit, the entity visited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import inspect

from ..models import kinds as vocabulary
from ..models.kinds import RecordKind
from ..models.rules.problems import Problem
from . import entity_rules, visit_rules
from .fields import FieldSpec, specs_for
from .rules_context import RuleContext

Rules = Callable[[dict[str, Any], RuleContext], list[Problem]]
Derive = Callable[[dict[str, Any], RuleContext], dict[str, Any]]
Prepare = Callable[[dict[str, Any]], dict[str, Any]]


def _no_derived(values: dict[str, Any], ctx: RuleContext) -> dict[str, Any]:
    return {}


def _no_preparing(values: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, kw_only=True)
class Kind(RecordKind):
    """A record kind with what the services do with it."""

    rules: Rules
    derive: Derive = _no_derived
    derived_fields: frozenset[str] = frozenset()
    prepare: Prepare = _no_preparing  # turns form values into column values before coercion
    specs: dict[str, FieldSpec] = field(default_factory=dict)


def _kind(base: RecordKind, **behaviour: Any) -> Kind:
    named = {f.name: getattr(base, f.name) for f in fields(RecordKind)}
    kind = Kind(**named, **behaviour)
    object.__setattr__(kind, "specs", specs_for(inspect(kind.model), kind.derived_fields))
    return kind


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        _kind(vocabulary.BUSINESS, rules=entity_rules.business_problems,
              derive=entity_rules.placed_derived),
        _kind(vocabulary.COOPERATIVE, rules=entity_rules.cooperative_problems,
              derive=entity_rules.placed_derived),
        _kind(vocabulary.AID_APPLICANT, rules=entity_rules.applicant_problems,
              derive=entity_rules.placed_derived),
        _kind(vocabulary.UMKM_SURVEY, rules=visit_rules.survey_problems,
              derive=visit_rules.survey_derived,
              derived_fields=frozenset({"size_class", "size_class_basis", "regency_code"})),
        _kind(vocabulary.COOPERATIVE_AUDIT, rules=visit_rules.audit_problems,
              derive=visit_rules.audit_derived, prepare=visit_rules.audit_prepare,
              derived_fields=frozenset({"health_score", "health_category", "regency_code"})),
        _kind(vocabulary.AID_VERIFICATION, rules=visit_rules.verification_problems,
              derive=visit_rules.verification_derived,
              derived_fields=frozenset({"verdict", "verdict_reason", "regency_code"})),
    )
}
assert KINDS.keys() == vocabulary.RECORD_KINDS.keys(), "every record kind has its rules"


def kind_of(name: str) -> Kind:
    """The services' kind called ``name``; ValueError naming the known ones otherwise."""
    return KINDS[vocabulary.record_kind(name).name]
