"""Forms as an officer fills them, for the service tests (imported by the
tests and their conftest; not itself a test module)."""

from __future__ import annotations

from datetime import date
from typing import Any

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
TODAY = date(2026, 11, 23)
VISIT_DAY = date(2026, 11, 20)
#: Siti, born 1 January 1990 (day 01 + 40: a woman), Kedaton, Bandar Lampung.
NIK_SITI = "1871014101900001"
#: Rahmat, born 15 March 1985, Kedaton, Bandar Lampung.
NIK_RAHMAT = "1871011503850007"
#: Rahmat's family card: Kedaton, recorded 23 April 2015, family 0003.
KK_RAHMAT = "1871012304150003"
CHECKS = ("valid_nik", "micro_business", "not_civil_servant", "no_bank_credit",
          "not_prior_recipient")


def business_form(**overrides: Any) -> dict[str, Any]:
    form = {"name": "Kopi Robusta Siti", "owner_name": "Siti Aminah", "owner_nik": NIK_SITI,
            "regency_code": "18.71", "district_code": "18.71.01", "village": "Kedaton",
            "kbli_section": "C", "nib": "1234567890123", "phone": "081234567890"}
    return {**form, **overrides}


def cooperative_form(**overrides: Any) -> dict[str, Any]:
    form = {"name": "KSP Sejahtera Bersama", "cooperative_type": "simpan_pinjam",
            "regency_code": "18.71", "district_code": "18.71.02", "village": "Sukarame",
            "chair_name": "Bambang Santoso", "members_male": 120, "members_female": 95}
    return {**form, **overrides}


def applicant_form(**overrides: Any) -> dict[str, Any]:
    form = {"full_name": "Rahmat Hidayat", "nik": NIK_RAHMAT, "kk_number": KK_RAHMAT,
            "business_name": "Keripik Pisang",
            "aid_round": "bpum-2021", "regency_code": "18.71", "district_code": "18.71.01",
            "village": "Kedaton"}
    return {**form, **overrides}


def survey_form(business_id: str, **overrides: Any) -> dict[str, Any]:
    form = {"business_id": business_id, "visit_date": VISIT_DAY, "workers_paid": 2,
            "workers_unpaid": 1, "workers_women": 2, "capital": 50_000_000,
            "turnover_monthly": 15_000_000, "digital_channels": ["shopee", "whatsapp_business"],
            "payment_methods": ["qris", "tunai"], "latitude": -5.38, "longitude": 105.26,
            "location_source": "typed"}
    return {**form, **overrides}


def audit_form(cooperative_id: str, **overrides: Any) -> dict[str, Any]:
    form = {"cooperative_id": cooperative_id, "visit_date": VISIT_DAY, "rat_held": True,
            "rat_date": date(2026, 3, 14), "own_capital": 800_000_000,
            "loans_outstanding": 1_200_000_000, "loans_overdue": 60_000_000}
    return {**form, **overrides}


def verification_form(applicant_id: str, **overrides: Any) -> dict[str, Any]:
    form = {"applicant_id": applicant_id, "visit_date": VISIT_DAY, "business_exists": True,
            **{f"check_{c}": "met" for c in CHECKS}}
    return {**form, **overrides}


def all_aspects(**overrides: Any) -> dict[str, Any]:
    """Full marks on all seven health aspects (total 100), with overrides."""
    scores = {"permodalan": 15, "kualitas_aktiva_produktif": 25, "manajemen": 15,
              "efisiensi": 10, "likuiditas": 15, "kemandirian_dan_pertumbuhan": 10,
              "jatidiri_koperasi": 10}
    return {**scores, **overrides}
