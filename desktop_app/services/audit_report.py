"""Everything the printed report of one cooperative audit shows, as plain data.

The PDF is left with the cooperative and filed at the office, so it must
stand on its own: who the cooperative is, whether its RAT was held, the
health method the audit used (Perdep 06/2016 or Permenkop 9/2020 with Juknis
15/2021) with each aspect's score against its weight -- and, for the 2020
worksheet, each indicator's compliance ratio and score -- the category and
the bands that gave it (the province's reference data), findings,
recommendations, a photo, the officer and the date. Assembling it here, without Qt, keeps the
rendering (ui/reports) a matter of layout only and lets tests check the
content directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, text

from ..models import Cooperative, CooperativeAudit, CooperativeType, Region
from ..models.rules import health
from ..models.rules.health import ASPECT_SUM, HealthMethod, ratio_percent
from ..store import Store
from .errors import NotFound
from .photos import photos_of
from .reference import load_codes
from ..sheets.labels import health_label, status_label
from .visit_rules import audit_method


@dataclass(frozen=True, slots=True)
class AspectLine:
    label_id: str
    label_en: str
    weight: Decimal
    score: Decimal | None  # None: not scored (a non savings-and-loan cooperative may skip)


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    """One indicator of the 2020 worksheet: its aspect, ratio (%) and 1-4 score."""

    aspect_id: str
    label_id: str
    ratio: Decimal | None
    score: int | None


@dataclass(frozen=True, slots=True)
class MethodInfo:
    """The method an audit used, as the report names it."""

    code: str
    name_id: str
    regulation: str
    scoring: str
    score_max: Decimal
    bands_text: str  # the category bands, in words
    confirmed: bool


@dataclass(frozen=True, slots=True)
class AuditReport:
    record_id: str
    cooperative_name: str
    legal_entity_no: str
    legal_entity_date: date | None
    cooperative_type: str
    address: str
    village: str
    district: str
    regency: str
    chair_name: str
    members_male: int
    members_female: int
    is_active: bool
    visit_date: date
    status: str
    rat_held: bool
    rat_date: date | None
    finances: list[tuple[str, int | None]]
    equity_to_assets: Decimal | None  # modal sendiri / total aset, percent
    method: MethodInfo
    aspects: list[AspectLine]
    indicators: list[IndicatorLine]
    health_score: Decimal | None
    health_category: str  # label, '' when not all aspects are scored
    health_category_code: str
    findings: list[str]
    recommendations: list[str]
    photo_path: Path | None
    photo_caption: str
    officer_name: str
    generated_at: datetime

    @property
    def weights_total(self) -> Decimal:
        return sum((a.weight for a in self.aspects), Decimal(0))


def audit_report(store: Store, record_id: str, *, now: datetime | None = None) -> AuditReport:
    """The report of one audit; :class:`NotFound` when it does not exist or was deleted."""
    with store.read() as session:
        audit = session.get(CooperativeAudit, record_id)
        if audit is None or audit.deleted_at is not None:
            raise NotFound(("audit koperasi", "cooperative audit"), record_id)
        coop = session.get(Cooperative, audit.cooperative_id)
        kind = session.get(CooperativeType, coop.cooperative_type)
        regions = {r.code: r.name for r in session.scalars(select(Region).where(
            Region.code.in_([coop.regency_code, coop.district_code or ""])))}
        officer = _officer_name(session, audit.officer_id)
        methods = load_codes(session).health_methods
        values = _audit_values(audit, methods.get(audit_method({"health_method": audit.health_method})))
        if audit_members_unset(values):
            values.update(members_male=coop.members_male, members_female=coop.members_female)
        identity = dict(
            cooperative_name=coop.name, legal_entity_no=coop.legal_entity_no,
            legal_entity_date=coop.legal_entity_date,
            cooperative_type=kind.name_id if kind else coop.cooperative_type,
            address=coop.address, village=coop.village,
            district=regions.get(coop.district_code or "", ""),
            regency=regions.get(coop.regency_code, coop.regency_code), chair_name=coop.chair_name)
    photo, caption = _photo(store, record_id)
    return AuditReport(record_id=record_id, **identity, **values, photo_path=photo,
                       photo_caption=caption, officer_name=officer,
                       generated_at=now or datetime.now(timezone.utc))


def _audit_values(audit: CooperativeAudit, method: HealthMethod | None) -> dict[str, Any]:
    entries = json.loads(audit.aspect_scores) if audit.aspect_scores else {}
    return dict(
        members_male=audit.members_male, members_female=audit.members_female,
        is_active=audit.is_active, visit_date=audit.visit_date, status=status_label(audit.status),
        rat_held=audit.rat_held, rat_date=audit.rat_date,
        finances=[("Modal sendiri", audit.own_capital), ("Modal luar", audit.external_capital),
                  ("Total aset", audit.assets), ("Volume usaha", audit.business_volume),
                  ("Sisa hasil usaha (SHU)", audit.surplus),
                  ("Pinjaman beredar", audit.loans_outstanding),
                  ("Pinjaman bermasalah", audit.loans_overdue)],
        equity_to_assets=(ratio_percent(audit.own_capital, audit.assets)
                          if audit.own_capital is not None and audit.assets else None),
        **_health_lines(method, audit.health_method, entries),
        health_score=(Decimal(str(audit.health_score)) if audit.health_score is not None else None),
        health_category=health_label(audit.health_category),
        health_category_code=audit.health_category,
        findings=_lines(audit.findings), recommendations=_lines(audit.recommendations))


def _health_lines(method: HealthMethod | None, code: str, entries: dict[str, Any]) -> dict[str, Any]:
    """The method, its aspects with their scores, and (2020 worksheet) the
    indicators with their ratios and scores, from what was entered."""
    if method is None:  # a method the reference data no longer holds
        info = MethodInfo(code, code, "", "", Decimal(0), "", False)
        return {"method": info, "aspects": [], "indicators": []}
    info = MethodInfo(method.code, method.name_id, method.regulation, method.scoring,
                      method.score_range[1], _bands_text(method), method.confirmed)
    aspects, indicators = method.lines({k: Decimal(str(v)) for k, v in entries.items()
                                        if k in method.entry_keys})
    names = {a.key: a.label_id for a in method.aspects}
    return {"method": info,
            "aspects": [AspectLine(a.label_id, a.label_en, a.weight, score) for a, score in aspects],
            "indicators": [IndicatorLine(names[i.aspect], i.label_id,
                                         line.ratio if line else None, line.score if line else None)
                           for i, line in zip(method.indicators, indicators)]}


def _bands_text(method: HealthMethod) -> str:
    """'80 s.d. 100 Sehat; 66 s.d. <80 Cukup Sehat; ...' from the method's bands."""
    top = method.score_range[1]
    parts, upper = [], None
    for band in method.bands:
        label = health.HealthCategory(band.result).label_id
        low = _number(band.floor)
        above = "" if band.inclusive else "di atas "
        if upper is None:
            parts.append(f"{above}{low} s.d. {_number(top)} {label}")
        elif band.floor == 0:
            parts.append(f"<{_number(upper)} {label}")
        else:
            parts.append(f"{above}{low} s.d. <{_number(upper)} {label}")
        upper = band.floor
    return "; ".join(parts)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def audit_members_unset(values: dict[str, Any]) -> bool:
    """An audit that counted no members shows the cooperative's register."""
    return not (values["members_male"] or values["members_female"])


def _lines(raw: str) -> list[str]:
    return [line.strip(" -•\t") for line in (raw or "").splitlines() if line.strip(" -•\t")]


def _photo(store: Store, record_id: str) -> tuple[Path | None, str]:
    """The first attached photo whose file this laptop holds."""
    for photo in photos_of(store, "cooperative_audit", record_id):
        path = Path(photo["path"])
        if path.is_file():
            return path, photo["caption"]
    return None, ""


#: Where the officer's name is not known on this laptop (the audit was pulled
#: from another officer), the printed report leaves a line to write it on,
#: as paper forms do; an id means nothing to the cooperative.
UNKNOWN_OFFICER = "(" + "." * 40 + ")"


def _officer_name(session: Any, officer_id: str) -> str:
    """The officer's name when they signed in on this laptop, else a line to
    write it on by hand."""
    if inspect(session.connection()).has_table("officer_account"):
        name = session.execute(text("SELECT full_name FROM officer_account WHERE officer_id = :o"),
                               {"o": officer_id}).scalar()
        if name:
            return str(name)
    return UNKNOWN_OFFICER
