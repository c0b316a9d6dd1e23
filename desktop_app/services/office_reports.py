"""The figures the office asks about (no Qt): businesses moving up a size
class between successive surveys ('naik kelas') per regency and year, the
adoption of each digital channel, export activity, and active cooperatives
with the RAT held. Read by the dashboard, the regency summary PDF and the
command line.

Which records count is the dashboard's rule (services/dashboard.py):
finalised visits, not deleted, not replaced by a finalised correction; per
business its latest such survey for adoption and exports, and every
successive pair of such surveys for naik kelas (the year is the later
survey's).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Cooperative, DigitalChannel, UmkmSurvey
from ..models.rules.naik_kelas import step
from ..store import Store
from ..models.dashboard import _scope  # the dashboard's own rule of which visits stand


@dataclass(frozen=True, slots=True)
class NaikKelas:
    regency_code: str
    year: int
    pairs: int  # successive surveys of one business, both classed
    up: int
    down: int
    same: int
    basis_changed: int  # of the pairs, classed by different figures


@dataclass(frozen=True)
class OfficeReport:
    regency_code: str | None
    naik_kelas: tuple[NaikKelas, ...]
    surveyed: int  # businesses with a standing survey (latest each)
    channels: tuple[tuple[str, str, int], ...]  # code, name, businesses using it
    exporters: int
    destinations: tuple[tuple[str, int], ...]  # most named first
    cooperatives: int
    active_cooperatives: int
    rat_held: int  # active cooperatives that held the RAT for the last financial year
    extra: dict[str, Any] = field(default_factory=dict)


def office_report(store: Store, regency_code: str | None = None, *,
                  since: date | None = None) -> OfficeReport:
    with store.read() as session:
        return office_report_in(session, regency_code, since=since)


def office_report_in(session: Session, regency_code: str | None = None, *,
                     since: date | None = None) -> OfficeReport:
    surveys = session.execute(
        select(UmkmSurvey.business_id, UmkmSurvey.regency_code, UmkmSurvey.visit_date,
               UmkmSurvey.id, UmkmSurvey.size_class, UmkmSurvey.size_class_basis,
               UmkmSurvey.digital_channels, UmkmSurvey.exports, UmkmSurvey.export_destinations)
        .where(*_scope(UmkmSurvey, regency_code))
        .order_by(UmkmSurvey.business_id, UmkmSurvey.visit_date, UmkmSurvey.id)).all()
    by_business: dict[str, list[Any]] = {}
    for row in surveys:
        by_business.setdefault(row.business_id, []).append(row)
    moves: dict[tuple[str, int], list[int]] = {}
    bases: Counter[tuple[str, int]] = Counter()
    latest = []
    for rows in by_business.values():
        latest.append(rows[-1])
        for before, after in zip(rows, rows[1:]):
            moved = step(before.size_class, after.size_class)
            if moved is None or (since and after.visit_date < since):
                continue
            key = (after.regency_code, after.visit_date.year)
            moves.setdefault(key, []).append(moved)
            if before.size_class_basis != after.size_class_basis:
                bases[key] += 1
    naik = tuple(NaikKelas(regency, year, len(m), sum(1 for x in m if x > 0),
                           sum(1 for x in m if x < 0), sum(1 for x in m if x == 0),
                           bases[(regency, year)])
                 for (regency, year), m in sorted(moves.items()))
    used: Counter[str] = Counter()
    destinations: Counter[str] = Counter()
    exporters = 0
    for row in latest:
        used.update(set(_codes(row.digital_channels)))
        if row.exports:
            exporters += 1
            destinations.update(_places(row.export_destinations))
    names = dict(session.execute(select(DigitalChannel.code, DigitalChannel.name)).all())
    channels = tuple((code, name, used.get(code, 0)) for code, name in sorted(
        names.items(), key=lambda item: (-used.get(item[0], 0), item[1])))
    coops = select(Cooperative.is_active, Cooperative.rat_last_year).where(
        Cooperative.deleted_at.is_(None))
    if regency_code:
        coops = coops.where(Cooperative.regency_code == regency_code)
    flags = session.execute(coops).all()
    return OfficeReport(
        regency_code=regency_code, naik_kelas=naik, surveyed=len(latest), channels=channels,
        exporters=exporters, destinations=tuple(destinations.most_common()),
        cooperatives=len(flags), active_cooperatives=sum(1 for a, _ in flags if a),
        rat_held=sum(1 for a, r in flags if a and r))


def _codes(raw: Any) -> list[str]:
    if isinstance(raw, list):
        return raw
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _places(text: str | None) -> set[str]:
    """'Malaysia, Singapura; jepang' -> {'Malaysia', 'Singapura', 'Jepang'}."""
    return {part.strip().title() for part in re.split(r"[,;/]| dan ", text or "") if part.strip()}
