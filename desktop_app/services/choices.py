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
    AidRound, CapitalAccess, CooperativeType, DigitalChannel, KbliSection, LocationSource,
    PandemicImpact, PaymentMethod, ReferenceVersion, Region, VisitStatus,
)
from ..models.codes import options
from ..models.rules import health
from ..models.rules.eligibility import VerdictKind
from ..models.rules.health import HealthCategory
from ..models.rules.size_class import Basis, SizeClass
from ..store import Store
from .reference import read_health_methods

Option = tuple[str, str, str]  # code, Indonesian, English

YES_NO: tuple[Option, ...] = (("", "—", "—"), ("1", "Ya", "Yes"), ("0", "Tidak", "No"))
#: A checklist item is a statement about the applicant ("Bukan ASN/TNI/Polri",
#: "Tidak sedang menerima KUR"): answered Ya / Tidak like every other yes-no
#: field of the forms (Ya: the statement holds, the condition is met).
CHECK_OUTCOMES: tuple[Option, ...] = (
    ("unchecked", "Belum diperiksa", "Not checked"),
    ("met", "Ya", "Yes"),
    ("not_met", "Tidak", "No"),
)

FIXED: dict[str, tuple[Option, ...]] = {
    "status": options(VisitStatus),
    "size_class": options(SizeClass),
    "size_class_basis": options(Basis),
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
    villages: dict[str, tuple[Option, ...]] = field(default_factory=dict)  # by district code
    health_methods: dict[str, health.HealthMethod] = field(default_factory=dict)  # first: current

    def options(self, field_name: str) -> tuple[Option, ...]:
        if field_name == "regency_code":
            return self.regencies
        return self.lists.get(field_name) or FIXED.get(field_name, ())

    def options_within(self, field_name: str, parent: str | None) -> tuple[Option, ...]:
        """The options of a field that follows another: the districts of a
        regency, the villages of a district."""
        within = {"district_code": self.districts, "village_code": self.villages}[field_name]
        return within.get(parent or "", ())

    def text(self, field_name: str, code: Any, language: str = "id") -> str:
        """A stored code as it reads on screen; the code itself if unknown."""
        if code is None or code == "":
            return ""
        if field_name in ("district_code", "village_code"):
            options = self.options_within(field_name, str(code).rsplit(".", 1)[0])
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
                                  .where(Region.level.in_(("regency", "district", "village")))
                                  .order_by(Region.code)).all()
        districts: dict[str, list[Option]] = {}
        villages: dict[str, list[Option]] = {}
        for code, name, level, parent in regions:
            if level in ("district", "village"):
                (districts if level == "district" else villages).setdefault(
                    parent or "", []).append((code, name, name))
        lists: dict[str, tuple[Option, ...]] = {}
        lists["digital_channels"] = tuple(  # channel names are brand names, one language
            (code, name, name) for code, name in session.execute(
                select(DigitalChannel.code, DigitalChannel.name).order_by(DigitalChannel.code)))
        for field_name, model in (("kbli_section", KbliSection), ("payment_methods", PaymentMethod),
                                  ("capital_access", CapitalAccess),
                                  ("cooperative_type", CooperativeType)):
            lists[field_name] = tuple(session.execute(
                select(model.code, model.name_id, model.name_en).order_by(model.code)).all())
        lists["aid_round"] = tuple(session.execute(  # newest round first: lists come for it
            select(AidRound.code, AidRound.name_id, AidRound.name_en)
            .order_by(AidRound.year.desc(), AidRound.code)).all())
        methods = read_health_methods(session)
        lists["health_method"] = tuple((m.code, m.name_id, m.name_en) for m in methods.values())
        choices = Choices(
            version=version or "",
            regencies=tuple((c, n, n) for c, n, level, _ in regions if level == "regency"),
            districts={k: tuple(v) for k, v in districts.items()},
            lists=lists,
            villages={k: tuple(v) for k, v in villages.items()},
            health_methods=methods,
        )
    _cache[key] = choices
    return choices
