"""The reference codes a form's values are checked against.

Small (a few hundred rows) and read-mostly: read once per unit of work from
the same session, so a check never sees a half-loaded reference set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CapitalAccess, CooperativeType, DigitalChannel, KbliSection, PaymentMethod, Region


@dataclass(frozen=True, slots=True)
class ReferenceCodes:
    regencies: frozenset[str]
    district_parent: dict[str, str]
    kbli: frozenset[str]
    channels: frozenset[str]
    payments: frozenset[str]
    capital_access: frozenset[str]
    cooperative_types: frozenset[str]
    savings_loan_types: frozenset[str]


def load_codes(session: Session) -> ReferenceCodes:
    regions = session.execute(select(Region.code, Region.level, Region.parent_code)).all()
    types = session.execute(select(CooperativeType.code, CooperativeType.is_savings_loan)).all()
    return ReferenceCodes(
        regencies=frozenset(c for c, level, _ in regions if level == "regency"),
        district_parent={c: p for c, level, p in regions if level == "district"},
        kbli=frozenset(session.scalars(select(KbliSection.code))),
        channels=frozenset(session.scalars(select(DigitalChannel.code))),
        payments=frozenset(session.scalars(select(PaymentMethod.code))),
        capital_access=frozenset(session.scalars(select(CapitalAccess.code))),
        cooperative_types=frozenset(c for c, _ in types),
        savings_loan_types=frozenset(c for c, loan in types if loan),
    )
