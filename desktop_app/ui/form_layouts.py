"""How each record's form is grouped: sections and the fields in them.

Only the order and grouping live here; what a field accepts comes from the
model's column (services.fields) and its label from services.labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Section:
    title: str  # English source, context 'sections'
    fields: tuple[str, ...]


LOCATION = Section(QT_TRANSLATE_NOOP("sections", "Location"),
                   ("regency_code", "district_code", "village_code", "address"))
VISIT_PLACE = Section(QT_TRANSLATE_NOOP("sections", "Location and notes"),
                      ("latitude", "longitude", "location_source", "notes"))

LAYOUTS: dict[str, tuple[Section, ...]] = {
    "business": (
        Section(QT_TRANSLATE_NOOP("sections", "Business and owner"),
                ("name", "owner_name", "owner_nik", "nib", "kbli_section", "phone", "year_started")),
        LOCATION,
    ),
    "cooperative": (
        Section(QT_TRANSLATE_NOOP("sections", "Cooperative"),
                ("name", "legal_entity_no", "legal_entity_date", "cooperative_type", "chair_name")),
        Section(QT_TRANSLATE_NOOP("sections", "Members and status"),
                ("members_male", "members_female", "is_active", "rat_last_year")),
        LOCATION,
    ),
    "aid_applicant": (
        Section(QT_TRANSLATE_NOOP("sections", "Applicant (as on the KTP-el and KK)"),
                ("full_name", "nik", "kk_number", "address", "phone")),
        Section(QT_TRANSLATE_NOOP("sections", "Aid round"),
                ("aid_round", "on_credit_list", "prior_recipient")),
        Section(QT_TRANSLATE_NOOP("sections", "Business"),
                ("business_name", "kbli_section", "regency_code", "district_code", "village_code",
                 "business_location_differs", "business_address", "sku_number")),
    ),
    "umkm_survey": (
        Section(QT_TRANSLATE_NOOP("sections", "Visit"), ("business_id", "visit_date")),
        Section(QT_TRANSLATE_NOOP("sections", "Capital and turnover"),
                ("capital", "turnover_monthly", "turnover_annual", "capital_needed",
                 "capital_access")),
        Section(QT_TRANSLATE_NOOP("sections", "Workers"),
                ("workers_paid", "workers_unpaid", "workers_women")),
        Section(QT_TRANSLATE_NOOP("sections", "Digital adoption"),
                ("digital_channels", "online_sales_share", "payment_methods")),
        Section(QT_TRANSLATE_NOOP("sections", "Needs and training"),
                ("needs", "training_received", "training_wanted", "pandemic_impact", "exports",
                 "export_destinations")),
        VISIT_PLACE,
    ),
    "cooperative_audit": (
        Section(QT_TRANSLATE_NOOP("sections", "Visit"),
                ("cooperative_id", "visit_date", "is_active", "rat_held", "rat_date")),
        Section(QT_TRANSLATE_NOOP("sections", "Members"), ("members_male", "members_female")),
        Section(QT_TRANSLATE_NOOP("sections", "Finances"),
                ("own_capital", "external_capital", "assets", "business_volume", "surplus",
                 "loans_outstanding", "loans_overdue")),
        Section(QT_TRANSLATE_NOOP("sections", "Health assessment"),
                ("health_method", "aspect_scores")),
        Section(QT_TRANSLATE_NOOP("sections", "Findings and recommendations"),
                ("findings", "recommendations")),
        VISIT_PLACE,
    ),
    "aid_verification": (
        Section(QT_TRANSLATE_NOOP("sections", "Visit"),
                ("applicant_id", "visit_date", "business_exists")),
        Section(QT_TRANSLATE_NOOP("sections", "Eligibility checklist"),
                ("check_valid_nik", "check_micro_business", "check_not_civil_servant",
                 "check_no_bank_credit", "check_not_prior_recipient", "check_notes")),
        VISIT_PLACE,
    ),
}

#: Free text that runs to several lines.
MULTILINE = frozenset({"address", "needs", "training_received", "training_wanted", "findings",
                       "recommendations", "notes", "check_notes", "business_address"})
#: Text fields that hold a code from a list.
CODED = frozenset({"regency_code", "district_code", "village_code", "kbli_section",
                   "cooperative_type", "pandemic_impact", "location_source", "check_valid_nik",
                   "check_micro_business", "check_not_civil_servant", "check_no_bank_credit",
                   "check_not_prior_recipient", "aid_round", "health_method"})
#: Long lists narrowed by typing part of a name.
SEARCHABLE = frozenset({"village_code"})
#: Lists with no empty entry: a new record starts on the first option (the
#: current health method).
NO_EMPTY = frozenset({"health_method"})
