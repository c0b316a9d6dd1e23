"""The office's numbers per regency: surveys done, digital adoption, size
classes, cooperative health and aid verdicts, computed from a session on
the shared tables: the laptop's dashboard (desktop_app/services/dashboard.py,
over its store) and the server's console (over the province's database)
show the same figures from this one function, :func:`figures`.

Only the office's record counts: finalised visits, not deleted, and not
replaced by a finalised correction (a correction still in draft leaves the
record it corrects standing, so a number does not dip while someone types).
Per entity, the latest such visit speaks for it: a business surveyed twice is
one business, classed by its newest survey. Every figure is one GROUP BY
over indexed columns, so the page stays quick at 100,000 records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, exists, func, not_, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from .kinds import record_kind
from .reference import Region
from .rules.eligibility import VerdictKind
from .rules.health import HealthCategory
from .rules.size_class import SizeClass
from .visits import AidVerification, CooperativeAudit, UmkmSurvey, VisitStatus

MONTHS_SHOWN = 12
#: What a survey's digital_channels holds when the business sells through none.
NO_CHANNELS = ("[]", "")


@dataclass(frozen=True, slots=True)
class RegencyCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    """The figures for one regency (``regency_code``) or all Lampung (None)."""

    regency_code: str | None
    surveys_by_month: tuple[tuple[date, int], ...]  # first day of the month, oldest first
    surveys_by_regency: tuple[RegencyCount, ...]  # every regency, zeros included
    surveyed_businesses: int
    digital_businesses: int
    size_classes: dict[str, int]  # SizeClass order; '' = not enough figures to class
    health_categories: dict[str, int]  # HealthCategory order; '' = not scored
    verdicts: dict[str, int]  # VerdictKind order

    @property
    def surveys_done(self) -> int:
        return sum(r.count for r in self.surveys_by_regency)

    @property
    def digital_share(self) -> float | None:
        """Share of surveyed businesses selling through at least one digital channel."""
        if not self.surveyed_businesses:
            return None
        return self.digital_businesses / self.surveyed_businesses

    @property
    def audited_cooperatives(self) -> int:
        return sum(self.health_categories.values())

    @property
    def verified_applicants(self) -> int:
        return sum(self.verdicts.values())


def figures(session: Session, regency_code: str | None = None, *,
            today: date | None = None) -> Dashboard:
    """The dashboard's figures for one regency, or for all Lampung when None,
    read in ``session`` (SQLite or PostgreSQL)."""
    today = today or date.today()
    names = dict(session.execute(select(Region.code, Region.name).where(Region.level == "regency")).all())
    by_regency = _count_by(session, UmkmSurvey, UmkmSurvey.regency_code, regency_code, latest=False)
    surveyed, digital = _sizes_and_digital(session, regency_code)
    return Dashboard(
        regency_code=regency_code,
        surveys_by_month=_by_month(session, regency_code, today),
        surveys_by_regency=tuple(RegencyCount(c, n, by_regency.get(c, 0))
                                 for c, n in sorted(names.items())
                                 if regency_code in (None, c)),
        surveyed_businesses=sum(surveyed.values()),
        digital_businesses=digital,
        size_classes=_ordered(surveyed, [s.value for s in SizeClass]),
        health_categories=_ordered(
            _count_by(session, CooperativeAudit, CooperativeAudit.health_category, regency_code),
            [h.value for h in HealthCategory]),
        verdicts=_ordered(_count_by(session, AidVerification, AidVerification.verdict, regency_code),
                          [v.value for v in VerdictKind]),
    )


def _ordered(counts: dict[str, int], order: list[str]) -> dict[str, int]:
    """Every known code in its order (zeros kept, so charts keep their
    colours), then any other code seen, e.g. '' for not yet derived."""
    result = {code: counts.get(code, 0) for code in order}
    result.update({code: n for code, n in sorted(counts.items()) if code not in result})
    return result


def _stands(model: Any) -> ColumnElement[bool]:
    """Finalised, not deleted, not replaced by a finalised correction."""
    newer = aliased(model)
    final = VisitStatus.FINALISED
    return and_(model.status == final, model.deleted_at.is_(None),
                not_(exists().where(newer.supersedes_id == model.id, newer.status == final,
                                    newer.deleted_at.is_(None))))


def _scope(model: Any, regency_code: str | None) -> list[ColumnElement[bool]]:
    where = [_stands(model)]
    if regency_code:
        where.append(model.regency_code == regency_code)
    return where


def _latest(model: Any, regency_code: str | None, *columns: Any) -> Any:
    """``columns`` of each entity's latest standing visit (by visit date, ties
    broken by id, a UUIDv7): a window over the standing visits, numbered per
    entity, of which the first is kept. One sort over the visits, where a
    per-row 'no later visit' test cost a probe per visit (seconds at the
    province's 300,000 surveys on PostgreSQL). A visit sits in its entity's
    regency (the server refuses one that does not), so the regency filter
    may come first."""
    entity = getattr(model, record_kind(model.__tablename__).parent_field or "")
    rank = func.row_number().over(partition_by=entity,
                                  order_by=(model.visit_date.desc(), model.id.desc()))
    ranked = select(*columns, rank.label("rank")).where(*_scope(model, regency_code)).subquery()
    return ranked


def _count_by(session: Session, model: Any, column: Any, regency_code: str | None,
              latest: bool = True) -> dict[str, int]:
    if latest:
        ranked = _latest(model, regency_code, column.label("code"))
        query = (select(ranked.c.code, func.count()).where(ranked.c.rank == 1)
                 .group_by(ranked.c.code))
    else:
        query = select(column, func.count()).where(*_scope(model, regency_code)).group_by(column)
    return {(code or ""): int(n) for code, n in session.execute(query)}


def _sizes_and_digital(session: Session, regency_code: str | None) -> tuple[dict[str, int], int]:
    """Businesses by size class, and how many sell through a digital channel:
    one pass over the latest surveys."""
    channels = type_coerce(UmkmSurvey.digital_channels, String)  # the stored JSON text, not a list
    has_channel = case((and_(channels.is_not(None), channels.not_in(NO_CHANNELS)), 1), else_=0)
    ranked = _latest(UmkmSurvey, regency_code, UmkmSurvey.size_class.label("code"),
                     has_channel.label("digital"))
    rows = session.execute(select(ranked.c.code, func.count(), func.sum(ranked.c.digital))
                           .where(ranked.c.rank == 1).group_by(ranked.c.code))
    sizes, digital = {}, 0
    for code, count, with_channel in rows:
        sizes[code or ""] = int(count)
        digital += int(with_channel or 0)
    return sizes, digital


def _by_month(session: Session, regency_code: str | None, today: date) -> tuple[tuple[date, int], ...]:
    months = _last_months(today, MONTHS_SHOWN)
    month = _year_month(session, UmkmSurvey.visit_date)
    rows = session.execute(select(month, func.count())
                           .where(*_scope(UmkmSurvey, regency_code),
                                  UmkmSurvey.visit_date >= months[0], UmkmSurvey.visit_date <= today)
                           .group_by(month))
    counts = {key: int(n) for key, n in rows}
    return tuple((m, counts.get(f"{m:%Y-%m}", 0)) for m in months)


def _last_months(today: date, count: int) -> list[date]:
    """First days of the ``count`` months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date((i // 12), i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _year_month(session: Session, column: Any) -> Any:
    """'YYYY-MM' of a date column, in the session's SQL dialect."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)
