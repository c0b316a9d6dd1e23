"""The reference codes a form's values are checked against.

Small (a few thousand rows) and changed only as a versioned set, so they are
cached per database and reference version: a unit of work reads one version
row instead of a dozen tables, and a newly loaded set is picked up at once.
The aid rounds and health methods are built into their rules here
(models.rules.eligibility.RoundRules, models.rules.health.HealthMethod), so
a round or a method the province set up badly fails on loading, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    AidRound, AidRoundQuota, CapitalAccess, CooperativeType, DigitalChannel, HealthAspect,
    HealthBand, HealthIndicator, HealthMethod, KbliSection, PaymentMethod, ReferenceVersion,
    Region,
)
from ..models.rules import health
from ..models.rules.eligibility import RoundRules, round_rules


@dataclass(frozen=True, slots=True)
class ReferenceCodes:
    regencies: frozenset[str]
    district_parent: dict[str, str]
    village_parent: dict[str, str]
    village_names: dict[str, str]
    kbli: frozenset[str]
    channels: frozenset[str]
    payments: frozenset[str]
    capital_access: frozenset[str]
    cooperative_types: frozenset[str]
    savings_loan_types: frozenset[str]
    rounds: dict[str, RoundRules]
    health_methods: dict[str, health.HealthMethod]


_cache: dict[tuple[str, str | None], ReferenceCodes] = {}


def load_codes(session: Session) -> ReferenceCodes:
    """The codes of the loaded reference version (cached)."""
    version = session.scalar(select(ReferenceVersion.version)
                             .where(ReferenceVersion.dataset == "reference"))
    key = (str(session.get_bind().url), version)
    if key not in _cache:
        _cache[key] = _read_codes(session)
    return _cache[key]


def _read_codes(session: Session) -> ReferenceCodes:
    regions = session.execute(select(Region.code, Region.name, Region.level, Region.parent_code)).all()
    types = session.execute(select(CooperativeType.code, CooperativeType.is_savings_loan)).all()
    credit = {code: (name_id, name_en) for code, name_id, name_en in session.execute(
        select(CapitalAccess.code, CapitalAccess.name_id, CapitalAccess.name_en))}
    return ReferenceCodes(
        regencies=frozenset(c for c, _, level, _ in regions if level == "regency"),
        district_parent={c: p for c, _, level, p in regions if level == "district"},
        village_parent={c: p for c, _, level, p in regions if level == "village"},
        village_names={c: n for c, n, level, _ in regions if level == "village"},
        kbli=frozenset(session.scalars(select(KbliSection.code))),
        channels=frozenset(session.scalars(select(DigitalChannel.code))),
        payments=frozenset(session.scalars(select(PaymentMethod.code))),
        capital_access=frozenset(credit),
        cooperative_types=frozenset(c for c, _ in types),
        savings_loan_types=frozenset(c for c, loan in types if loan),
        rounds=read_rounds(session, credit),
        health_methods=read_health_methods(session),
    )


def read_rounds(session: Session, credit_names: dict[str, tuple[str, str]]) -> dict[str, RoundRules]:
    """Every aid round's rules, with its regency quotas."""
    quotas: dict[str, dict[str, int]] = {}
    for quota in session.scalars(select(AidRoundQuota)):
        quotas.setdefault(quota.round_code, {})[quota.regency_code] = quota.quota
    return {row.code: round_rules(_columns(row), credit_names=credit_names,
                                  quotas=quotas.get(row.code, {}))
            for row in session.scalars(select(AidRound).order_by(AidRound.year, AidRound.code))}


def read_health_methods(session: Session) -> dict[str, health.HealthMethod]:
    """Every health assessment method, built from its reference rows."""
    def rows(model: type) -> list[dict[str, object]]:
        return [_columns(r) for r in session.scalars(select(model))]

    methods = sorted(rows(HealthMethod), key=lambda r: int(r["position"]))  # type: ignore[call-overload]
    return health.methods_from_rows(methods, rows(HealthAspect), rows(HealthIndicator),
                                    rows(HealthBand))


def _columns(row: object) -> dict[str, object]:
    return {c.key: getattr(row, c.key) for c in row.__mapper__.columns}  # type: ignore[attr-defined]
