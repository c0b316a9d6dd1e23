"""A store holding a small, known set of records in two regencies, for the
export and report tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import Store, open_store
from tests.services.services_forms import (
    all_aspects, applicant_form, audit_form, business_form, cooperative_form, survey_form,
    verification_form,
)

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
TODAY = date(2026, 11, 23)
#: Leading digits matter: Excel as a number would keep 15 of the 16.
NIK_SITI = "1871014101900001"
NIK_RAHMAT = "1871011503850007"
NIK_WAYAN = "1801046708920003"
#: The kelurahan Sukarame, district Sukarame (18.71.02), Bandar Lampung.
SUKARAME = "18.71.02.1003"


@dataclass
class Known:
    """Ids of the records the fixture made."""

    survey_final: str
    survey_draft: str
    survey_selatan: str
    coop: str
    coop_unaudited: str
    audit_old: str
    audit_latest: str
    verification_eligible: str
    verification_refused: str


def _save(store: Store, actor: Actor, kind: str, data: dict, final: bool = False) -> str:
    record = records.save(store, actor, kind, data, today=TODAY).record
    if final:
        records.finalise(store, actor, kind, record["id"], today=TODAY)
    return record["id"]


def fill(store: Store, actor: Actor) -> Known:
    siti = _save(store, actor, "business", business_form(owner_nik=NIK_SITI))
    budi = _save(store, actor, "business", business_form(
        name="Bengkel Las Budi", owner_name="Budi Santoso", owner_nik=NIK_RAHMAT, nib=None))
    wayan = _save(store, actor, "business", business_form(
        name="Tenun Tapis Wayan", owner_name="Ni Wayan Sari", owner_nik=NIK_WAYAN,
        regency_code="18.01", district_code="18.01.04", village="Natar"))
    survey_final = _save(store, actor, "umkm_survey", survey_form(
        siti, capital=1_500_000_000, turnover_monthly=95_000_000, turnover_annual=3_000_000_000,
        visit_date=date(2026, 11, 2)), final=True)
    survey_draft = _save(store, actor, "umkm_survey", survey_form(
        budi, visit_date=date(2026, 10, 15), capital=40_000_000))
    survey_selatan = _save(store, actor, "umkm_survey", survey_form(wayan), final=True)
    coop = _save(store, actor, "cooperative", cooperative_form(
        legal_entity_no="AHU-0001234.AH.01.26.2019", legal_entity_date=date(2019, 5, 3),
        address="Jl. Pramuka No. 12", village_code=SUKARAME))
    coop_unaudited = _save(store, actor, "cooperative", cooperative_form(
        name="Koperasi Produsen Kopi Tanggamus Jaya", cooperative_type="produsen"))
    audit_old = _save(store, actor, "cooperative_audit", audit_form(
        coop, visit_date=date(2025, 11, 10), aspect_scores=all_aspects(manajemen=5)), final=True)
    audit_latest = _save(store, actor, "cooperative_audit", audit_form(
        coop, visit_date=date(2026, 11, 20), assets=2_750_000_000, surplus=125_500_000,
        findings="Buku kas harian belum ditutup setiap hari.\nRapat pengurus tidak dicatat.",
        recommendations="Tutup buku kas setiap hari.\nBuat notulen rapat pengurus.",
        aspect_scores=all_aspects(manajemen=10, efisiensi=6.5, likuiditas=9)), final=True)
    rahmat = _save(store, actor, "aid_applicant", applicant_form(
        address="Jl. Kenanga 4", business_location_differs=True,
        business_address="Pasar Tugu Blok B No. 3", sku_number="470/88/SKU/2021"))
    ani = _save(store, actor, "aid_applicant", applicant_form(
        full_name="Ani Lestari", nik=NIK_SITI, business_name="Warung Nasi Uduk"))
    eligible = _save(store, actor, "aid_verification", verification_form(rahmat), final=True)
    refused = _save(store, actor, "aid_verification", verification_form(
        ani, check_no_bank_credit="not_met"), final=True)
    return Known(survey_final, survey_draft, survey_selatan, coop, coop_unaudited, audit_old,
                 audit_latest, eligible, refused)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def actor(store: Store) -> Actor:
    return Actor(officer_id=OFFICER, device_id=store.device_id)


@pytest.fixture
def known(store: Store, actor: Actor) -> Known:
    return fill(store, actor)
