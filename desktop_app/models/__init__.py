"""Tapis data model: reference data, entities, visit records, pure rules.

Shared by the desktop application and the provincial server; nothing here
imports the store, sync, server or Qt.
"""

from .base import STAMP_FIELDS, SYSTEM_FIELDS, Base, SyncedMixin, synced_tables
from .codes import LabelledCode, code_label
from .entities import AidApplicant, Business, Cooperative
from .approvals import AidDecision
from .ids import uuid7
from .reference import (
    AidRound,
    AidRoundQuota,
    CapitalAccess,
    CooperativeType,
    DigitalChannel,
    HealthAspect,
    HealthBand,
    HealthIndicator,
    HealthMethod,
    KbliSection,
    PaymentMethod,
    ReferenceVersion,
    Region,
)
from .visits import (
    VISIT_MODELS,
    AidVerification,
    Attachment,
    CooperativeAudit,
    LocationSource,
    PandemicImpact,
    UmkmSurvey,
    VisitMixin,
    VisitStatus,
)
from .kinds import (
    ENTITY_KINDS, NIK_FIELDS, PARENT_FIELDS, RECORD_KINDS, VISIT_KINDS, VISIT_TABLES, RecordKind, record_kind,
    visit_of,
)
from .errors import TapisError

__all__ = [
    "AidApplicant", "AidDecision", "AidRound", "AidRoundQuota", "AidVerification", "Attachment", "Base",
    "Business", "CapitalAccess", "Cooperative", "CooperativeAudit", "CooperativeType",
    "DigitalChannel", "ENTITY_KINDS", "HealthAspect", "HealthBand", "HealthIndicator",
    "HealthMethod", "KbliSection", "LabelledCode", "LocationSource", "NIK_FIELDS", "PARENT_FIELDS",
    "PandemicImpact", "PaymentMethod", "RECORD_KINDS", "RecordKind", "ReferenceVersion", "Region",
    "STAMP_FIELDS", "SYSTEM_FIELDS", "SyncedMixin", "TapisError", "UmkmSurvey", "VISIT_KINDS",
    "VISIT_MODELS", "VISIT_TABLES", "VisitMixin", "VisitStatus", "code_label", "record_kind",
    "synced_tables", "uuid7", "visit_of",
]
