"""The reference codes a form's values are checked against.

Small (a few hundred rows) and changed only as a versioned set, so they are
cached per database and reference version: a unit of work reads one version
row instead of six tables, and a newly loaded set is picked up at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    CapitalAccess, CooperativeType, DigitalChannel, KbliSection, PaymentMethod, ReferenceVersion,
    Region,
)


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
