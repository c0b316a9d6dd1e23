"""What a form offers to choose from, and how a stored code reads on screen.

Reference lists (regencies, districts, KBLI sections, channels...) come from
the store, read once per reference version on a worker; the fixed code sets
of the rules (size class, health category, verdict, status) are here, in
both languages, so a list column shows 'Mikro' and not 'mikro'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..models import (
    CapitalAccess, CooperativeType, DigitalChannel, KbliSection, LocationSource, PandemicImpact,
    PaymentMethod, ReferenceVersion, Region, VisitStatus,
)
from ..models.codes import options
from ..models.rules.eligibility import VerdictKind
from ..models.rules.health import HealthCategory
from ..models.rules.size_class import SizeClass
from ..store import Store

Option = tuple[str, str, str]  # code, Indonesian, English

YES_NO: tuple[Option, ...] = (("", "—", "—"), ("1", "Ya", "Yes"), ("0", "Tidak", "No"))
CHECK_OUTCOMES: tuple[Option, ...] = (
    ("unchecked", "Belum diperiksa", "Not checked"),
    ("met", "Memenuhi", "Met"),
    ("not_met", "Tidak memenuhi", "Not met"),
)

FIXED: dict[str, tuple[Option, ...]] = {
    "status": options(VisitStatus),
    "size_class": options(SizeClass),
    "health_category": options(HealthCategory),
    "verdict": options(VerdictKind),
    "pandemic_impact": options(PandemicImpact),
    "location_source": options(LocationSource),
    **{name: CHECK_OUTCOMES for name in (
        "check_valid_nik", "check_micro_business", "check_not_civil_servant",
        "check_no_bank_credit", "check_not_prior_recipient")},
}


@dataclass(frozen=True)
class Choices:
    """The reference lists as plain data, safe to hand to the GUI thread."""

    version: str
    regencies: tuple[Option, ...]
    districts: dict[str, tuple[Option, ...]]  # by regency code
    lists: dict[str, tuple[Option, ...]] = field(default_factory=dict)  # by form field

    def options(self, field_name: str) -> tuple[Option, ...]:
        if field_name == "regency_code":
            return self.regencies
        return self.lists.get(field_name) or FIXED.get(field_name, ())

    def text(self, field_name: str, code: Any, language: str = "id") -> str:
        """A stored code as it reads on screen; the code itself if unknown."""
        if code is None or code == "":
            return ""
        if field_name == "district_code":
            regency = str(code).rsplit(".", 1)[0]
            options = self.districts.get(regency, ())
        else:
            options = self.options(field_name)
        for value, name_id, name_en in options:
            if value == str(code):
                return name_en if language == "en" else name_id
        return str(code)


_cache: dict[tuple[str, str | None], Choices] = {}


def load_choices(store: Store) -> Choices:
    """Every reference list a form offers (cached per reference version)."""
    with store.read() as session:
        version = session.scalar(select(ReferenceVersion.version)
                                 .where(ReferenceVersion.dataset == "reference"))
        key = (str(store.db_path), version)
        if key in _cache:
            return _cache[key]
        regions = session.execute(select(Region.code, Region.name, Region.level, Region.parent_code)
                                  .where(Region.level.in_(("regency", "district")))
                                  .order_by(Region.code)).all()
        districts: dict[str, list[Option]] = {}
        for code, name, level, parent in regions:
            if level == "district":
                districts.setdefault(parent or "", []).append((code, name, name))
        lists: dict[str, tuple[Option, ...]] = {}
        lists["digital_channels"] = tuple(  # channel names are brand names, one language
            (code, name, name) for code, name in session.execute(
                select(DigitalChannel.code, DigitalChannel.name).order_by(DigitalChannel.code)))
        for field_name, model in (("kbli_section", KbliSection), ("payment_methods", PaymentMethod),
                                  ("capital_access", CapitalAccess),
                                  ("cooperative_type", CooperativeType)):
            lists[field_name] = tuple(session.execute(
                select(model.code, model.name_id, model.name_en).order_by(model.code)).all())
        choices = Choices(
            version=version or "",
            regencies=tuple((c, n, n) for c, n, level, _ in regions if level == "regency"),
            districts={k: tuple(v) for k, v in districts.items()},
            lists=lists,
        )
    _cache[key] = choices
    return choices
