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
from typing import Any

from sqlalchemy import func, select

from ..models import AidVerification, CooperativeAudit, UmkmSurvey
from ..models.rules.health import HealthCategory
from ..models.rules.size_class import SizeClass
from ..store import Store
from .exports import visit_filters
from .report_filter import ReportFilter, check_filter, describe, regency_name
from .report_labels import VERDICTS, health_label, size_class_label


@dataclass(frozen=True, slots=True)
class RegencySummary:
    regency_code: str
    regency_name: str
    filter_lines: list[tuple[str, str]]
    surveys: int
    audits: int
    verifications: int
    size_classes: list[tuple[str, int]]  # label, count; every class, zeros included
    health_categories: list[tuple[str, int]]
    verdicts: list[tuple[str, int]]
    digital_adopters: int  # surveys with at least one digital channel
    generated_at: datetime

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
        health = grouped(CooperativeAudit, CooperativeAudit.health_category)
        verdicts = grouped(AidVerification, AidVerification.verdict)
        digital = session.scalar(select(func.count()).where(
            *visit_filters(UmkmSurvey, flt), UmkmSurvey.digital_channels.not_in(["[]", ""]),
            UmkmSurvey.digital_channels.is_not(None))) or 0
    return RegencySummary(
        regency_code=regency_code, regency_name=regency_name(store, regency_code) or regency_code,
        filter_lines=describe(store, flt), surveys=sum(sizes.values()),
        audits=sum(health.values()), verifications=sum(verdicts.values()),
        size_classes=_with_rest([(size_class_label(c.value), sizes.get(c.value, 0)) for c in SizeClass],
                                sizes, {c.value for c in SizeClass}, "Belum dihitung"),
        health_categories=_with_rest(
            [(health_label(c.value), health.get(c.value, 0)) for c in HealthCategory],
            health, {c.value for c in HealthCategory}, "Belum dinilai"),
        verdicts=_with_rest([(label, verdicts.get(code, 0)) for code, label in VERDICTS.items()],
                            verdicts, set(VERDICTS), "Belum diputuskan"),
        digital_adopters=int(digital), generated_at=now or datetime.now(timezone.utc))


def _with_rest(lines: list[tuple[str, int]], counts: dict[str, int], known: set[str],
               rest_label: str) -> list[tuple[str, int]]:
    """The known categories, then one line for records without one (drafts
    not yet complete), so the lines add up to the total."""
    rest = sum(n for code, n in counts.items() if code not in known)
    return lines + ([(rest_label, rest)] if rest else [])
