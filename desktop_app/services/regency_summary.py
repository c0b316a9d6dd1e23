"""The one-page summary of a regency: how much was done and what it found.

Counts of current visit records (not deleted, not replaced by a
correction) in the regency and period, by what the office plans with:
size classes (who is micro, who is growing), health categories of the
audited cooperatives, aid verdicts, and the share of surveyed businesses
selling through at least one digital channel. Plain data, no Qt; the
charts are drawn in ui/reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import func, select

from ..models import AidVerification, CooperativeAudit, UmkmSurvey
from ..models.rules.eligibility import VerdictKind
from ..models.rules.health import HealthCategory
from ..models.rules.size_class import Basis, SizeClass
from ..store import Store
from .exports import visit_filters
from .office_reports import OfficeReport, office_report_in
from .report_filter import ReportFilter, check_filter, describe, regency_name


@dataclass(frozen=True, slots=True)
class RegencySummary:
    regency_code: str
    regency_name: str
    filter_lines: list[tuple[str, str]]
    surveys: int
    audits: int
    verifications: int
    size_classes: list[tuple[str, int]]  # label, count; every class, zeros included
    size_bases: list[tuple[str, int]]  # which figure decided the classes above, label, count
    health_categories: list[tuple[str, int]]
    verdicts: list[tuple[str, int]]
    digital_adopters: int  # surveys with at least one digital channel
    generated_at: datetime
    #: naik kelas, each digital channel, exports, active cooperatives and RAT
    #: (services/office_reports.py), over the regency's standing records
    office: OfficeReport | None = None

    @property
    def digital_share(self) -> float | None:
        return self.digital_adopters / self.surveys if self.surveys else None


def regency_summary(store: Store, regency_code: str, flt: ReportFilter = ReportFilter(), *,
                    now: datetime | None = None) -> RegencySummary:
    """The summary of ``regency_code`` over the period and status of ``flt``."""
    flt = ReportFilter(regency_code, flt.date_from, flt.date_to, flt.status)
    check_filter(store, flt)
    with store.read() as session:
        def grouped(model: Any, column: Any) -> dict[str, int]:
            rows = session.execute(select(column, func.count()).where(*visit_filters(model, flt))
                                   .group_by(column)).all()
            return {code or "": count for code, count in rows}

        sizes = grouped(UmkmSurvey, UmkmSurvey.size_class)
        bases = grouped(UmkmSurvey, UmkmSurvey.size_class_basis)
        health = grouped(CooperativeAudit, CooperativeAudit.health_category)
        verdicts = grouped(AidVerification, AidVerification.verdict)
        office = office_report_in(session, regency_code, since=flt.date_from)
        digital = session.scalar(select(func.count()).where(
            *visit_filters(UmkmSurvey, flt), UmkmSurvey.digital_channels.not_in(["[]", ""]),
            UmkmSurvey.digital_channels.is_not(None))) or 0
    return RegencySummary(
        regency_code=regency_code, regency_name=regency_name(store, regency_code) or regency_code,
        filter_lines=describe(store, flt), surveys=sum(sizes.values()),
        audits=sum(health.values()), verifications=sum(verdicts.values()),
        size_classes=_counted(SizeClass, sizes, "Belum dihitung"),
        size_bases=_counted(Basis, bases, "Belum dihitung"),
        health_categories=_counted(HealthCategory, health, "Belum dinilai"),
        verdicts=_counted(VerdictKind, verdicts, "Belum diputuskan"),
        digital_adopters=int(digital), generated_at=now or datetime.now(timezone.utc),
        office=office)


def _counted(codes: type[Enum], counts: dict[str, int], rest_label: str) -> list[tuple[str, int]]:
    """Every category of ``codes`` by its Indonesian name (zeros included),
    then one line for records without one (drafts not yet complete), so the
    lines add up to the total."""
    lines = [(member.label_id, counts.get(member.value, 0)) for member in codes]  # type: ignore[attr-defined]
    rest = sum(n for code, n in counts.items() if code not in {m.value for m in codes})
    return lines + ([(rest_label, rest)] if rest else [])
