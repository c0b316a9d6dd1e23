"""Tapis data model: reference data, entities, visit records, pure rules.

Shared by the desktop application and the provincial server; nothing here
imports the store, sync, server or Qt.
"""

from .base import Base, SyncedMixin, synced_tables
from .entities import AidApplicant, Business, Cooperative
from .ids import uuid7
from .reference import (
    CapitalAccess,
    CooperativeType,
    DigitalChannel,
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
    UmkmSurvey,
    VisitMixin,
    VisitStatus,
)

__all__ = [
    "AidApplicant", "AidVerification", "Attachment", "Base", "Business", "CapitalAccess",
    "Cooperative", "CooperativeAudit", "CooperativeType", "DigitalChannel", "KbliSection",
    "PaymentMethod", "ReferenceVersion", "Region", "SyncedMixin", "UmkmSurvey", "VISIT_MODELS",
    "VisitMixin", "VisitStatus", "synced_tables", "uuid7",
]
