"""The six record kinds, named once: what each is called, which entity a
visit is about, and what a visit concludes.

Every layer speaks this vocabulary: the services add their rules to it,
the GUI lays out its forms and lists by it, the server scopes a visit by the
entity it is about, the exports and reports label by it. A kind's name is
its table's name, the word the change log and the wire use.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Base
from .entities import AidApplicant, Business, Cooperative
from .visits import AidVerification, CooperativeAudit, UmkmSurvey


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record: an entity (long-lived, edited by many) or a visit
    to one (written once by one officer, frozen when finalised)."""

    model: type[Base]
    label_id: str
    label_en: str
    title_field: str = "name"  # the column that names a record of this kind
    nik_field: str | None = None  # the column holding a person's NIK (masked wherever shown)
    parent_field: str | None = None  # a visit: the foreign key to the entity visited
    parent_kind: str | None = None  # a visit: the kind of that entity
    result_field: str | None = None  # a visit: what it concludes (size class, health, verdict)

    @property
    def name(self) -> str:
        return str(self.model.__tablename__)

    @property
    def labels(self) -> tuple[str, str]:
        """(Indonesian, English)."""
        return (self.label_id, self.label_en)

    @property
    def is_visit(self) -> bool:
        return self.parent_field is not None


BUSINESS = RecordKind(Business, "Usaha (UMKM)", "Business (UMKM)", nik_field="owner_nik")
COOPERATIVE = RecordKind(Cooperative, "Koperasi", "Cooperative")
AID_APPLICANT = RecordKind(AidApplicant, "Pemohon bantuan", "Aid applicant", title_field="full_name",
                           nik_field="nik")
UMKM_SURVEY = RecordKind(UmkmSurvey, "Survei UMKM", "UMKM survey", parent_field="business_id",
                         parent_kind=BUSINESS.name, result_field="size_class")
COOPERATIVE_AUDIT = RecordKind(CooperativeAudit, "Audit koperasi", "Cooperative audit",
                               parent_field="cooperative_id", parent_kind=COOPERATIVE.name,
                               result_field="health_category")
AID_VERIFICATION = RecordKind(AidVerification, "Verifikasi bantuan", "Aid verification",
                              parent_field="applicant_id", parent_kind=AID_APPLICANT.name,
                              result_field="verdict")

#: Every kind by name, entities first.
RECORD_KINDS: dict[str, RecordKind] = {
    kind.name: kind for kind in (BUSINESS, COOPERATIVE, AID_APPLICANT,
                                 UMKM_SURVEY, COOPERATIVE_AUDIT, AID_VERIFICATION)
}
ENTITY_KINDS: tuple[str, ...] = tuple(k.name for k in RECORD_KINDS.values() if not k.is_visit)
VISIT_KINDS: tuple[str, ...] = tuple(k.name for k in RECORD_KINDS.values() if k.is_visit)
#: The tables of visit records (a kind's name is its table's).
VISIT_TABLES: frozenset[str] = frozenset(VISIT_KINDS)
#: The columns that hold a NIK, in any kind.
NIK_FIELDS: frozenset[str] = frozenset(k.nik_field for k in RECORD_KINDS.values() if k.nik_field)
#: The foreign keys from a visit to the entity it is about.
PARENT_FIELDS: frozenset[str] = frozenset(
    k.parent_field for k in RECORD_KINDS.values() if k.parent_field)


def record_kind(name: str) -> RecordKind:
    """The kind called ``name``; ValueError naming the known ones otherwise."""
    try:
        return RECORD_KINDS[name]
    except KeyError:
        raise ValueError(f"unknown record kind {name!r}; known: {', '.join(RECORD_KINDS)}") from None


def visit_of(entity_kind: str) -> RecordKind:
    """The visit made to an entity of this kind (a business gets a survey)."""
    for kind in RECORD_KINDS.values():
        if kind.parent_kind == entity_kind:
            return kind
    raise ValueError(f"no visit is made to a {entity_kind!r}")
