"""An officer's day with the record services: register businesses, survey them,
finalise, correct, audit cooperatives, verify aid applicants, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from services_forms import (
    NIK_SITI, TODAY, all_aspects, applicant_form, audit_form, business_form, cooperative_form,
    survey_form, verification_form,
)

from desktop_app.services import listing, records, search
from desktop_app.services.context import Actor
from desktop_app.services.errors import InvalidState, NotFound, ReadOnly, ValidationFailed
from desktop_app.store import Store

Save = Callable[..., records.Saved]


def survey(save: Save, business_id: str, **fields: Any) -> dict[str, Any]:
    return save("umkm_survey", survey_form(business_id, **fields)).record


# --- businesses -----------------------------------------------------------


def test_register_a_business_with_a_womans_nik(save: Save, store: Store) -> None:
    """Siti's coffee business in Kedaton is saved with her NIK (day 01+40) and no warnings."""
    saved = save("business", business_form())
    assert saved.warnings == []
    stored = records.get(store, "business", saved.record["id"])
    assert stored["owner_nik"] == NIK_SITI
    assert stored["district_code"] == "18.71.01"
    assert stored["officer_id"] == saved.record["officer_id"]


def test_empty_choices_from_the_form_save_as_none(save: Save, store: Store) -> None:
    """A business with no district, sector or NIB chosen (empty combo boxes) is saved."""
    saved = save("business", business_form(district_code="", kbli_section=" ", nib=""))
    stored = records.get(store, "business", saved.record["id"])
    assert (stored["district_code"], stored["kbli_section"], stored["nib"]) == (None, None, None)


def test_update_only_the_phone_keeps_the_rest(save: Save, store: Store, business_id: str) -> None:
    """The officer corrects only the phone number; every other field stays as it was."""
    before = records.get(store, "business", business_id)
    save("business", {"phone": "0721 123456"}, record_id=business_id)
    after = records.get(store, "business", business_id)
    assert after["phone"] == "0721 123456"
    assert {k: v for k, v in after.items() if k not in ("phone", "updated_at")} == \
        {k: v for k, v in before.items() if k not in ("phone", "updated_at")}


def test_nik_from_another_regency_warns_but_saves(save: Save, store: Store) -> None:
    """An owner registered in Lampung Selatan but trading in Bandar Lampung: a warning, still saved."""
    saved = save("business", business_form(owner_nik="1801041503850007"))
    assert [(w.field, w.rule) for w in saved.warnings] == [("owner_nik", "nik.regency_differs")]
    assert "1801041503850007" not in saved.warnings[0].id + saved.warnings[0].en
    assert records.get(store, "business", saved.record["id"])["owner_nik"] == "1801041503850007"


# --- UMKM survey: size class, finalise, correct -----------------------------


NO_SALES = {"turnover_monthly": None, "turnover_annual": None}


@pytest.mark.parametrize(("fields", "expected", "basis"), [
    ({"capital": 1_000_000_000, **NO_SALES}, "mikro", "capital"),
    ({"capital": 1_000_000_001, **NO_SALES}, "kecil", "capital"),
    ({"capital": 5_000_000_000, **NO_SALES}, "kecil", "capital"),
    ({"capital": 5_000_000_001, **NO_SALES}, "menengah", "capital"),
    ({"capital": 10_000_000_000, **NO_SALES}, "menengah", "capital"),
    ({"capital": 10_000_000_001, **NO_SALES}, "besar", "capital"),
    # PP 7/2021 Art. 35 (4)-(6): an operating business is classed by its sales
    ({"capital": 900_000_000, "turnover_annual": 60_000_000_000}, "besar", "annual_sales"),
    ({"capital": 6_000_000_000, "turnover_monthly": 10_000_000}, "mikro",
     "annual_sales_estimated"),
    ({"capital": None, "turnover_annual": 2_000_000_000}, "mikro", "annual_sales"),
    ({"capital": None, "turnover_annual": 2_000_000_001}, "kecil", "annual_sales"),
    ({"capital": None, "turnover_annual": 15_000_000_001}, "menengah", "annual_sales"),
    ({"capital": None, "turnover_annual": 50_000_000_001}, "besar", "annual_sales"),
    ({"capital": None, "turnover_monthly": 1_250_000_000}, "kecil",
     "annual_sales_estimated"),  # ×12 = 15 billion
    ({"capital": None, "turnover_monthly": 1_250_000_001}, "menengah", "annual_sales_estimated"),
    ({"capital": None, "turnover_monthly": None}, "", ""),
])
def test_size_class_is_derived_on_every_save(save: Save, business_id: str,
                                             fields: dict[str, Any], expected: str,
                                             basis: str) -> None:
    """The survey draft shows the PP 7/2021 size class, and which figure
    decided it, as capital or sales are typed."""
    record = survey(save, business_id, **fields)
    assert (record["size_class"], record["size_class_basis"]) == (expected, basis)


def test_size_class_follows_an_edit_of_the_draft(save: Save, business_id: str) -> None:
    """Raising the capital on a draft without sales figures moves the business
    from mikro to kecil; typing annual sales then decides instead."""
    draft = survey(save, business_id, capital=800_000_000, **NO_SALES)
    edited = save("umkm_survey", {"capital": "Rp 2.000.000.000"}, record_id=draft["id"]).record
    assert (draft["size_class"], edited["size_class"]) == ("mikro", "kecil")
    with_sales = save("umkm_survey", {"turnover_annual": "Rp 1.500.000.000"},
                      record_id=draft["id"]).record
    assert (with_sales["size_class"], with_sales["size_class_basis"]) == ("mikro", "annual_sales")


def test_finalise_freezes_the_survey(store: Store, actor: Actor, save: Save, business_id: str) -> None:
    """Finalising stamps the time and status; the draft becomes a finalised record."""
    draft = survey(save, business_id)
    final = records.finalise(store, actor, "umkm_survey", draft["id"], today=TODAY)
    assert final["status"] == "finalised"
    assert final["finalised_at"] is not None
    assert draft["status"] == "draft" and draft["finalised_at"] is None


def test_survey_without_capital_or_sales_cannot_be_finalised(
        store: Store, actor: Actor, save: Save, business_id: str) -> None:
    """No capital and no sales means no size class, so finalising is refused,
    at the annual sales (the figure that decides first)."""
    draft = survey(save, business_id, capital=None, turnover_monthly=None)
    with pytest.raises(ValidationFailed) as refused:
        records.finalise(store, actor, "umkm_survey", draft["id"], today=TODAY)
    assert [p.rule for p in refused.value.for_field("turnover_annual")] == ["final.size_basis"]


@pytest.fixture
def final_survey(store: Store, actor: Actor, save: Save, business_id: str) -> dict[str, Any]:
    draft = survey(save, business_id, capital=300_000_000, notes="Kunjungan pertama", **NO_SALES)
    return records.finalise(store, actor, "umkm_survey", draft["id"], today=TODAY)


def test_a_finalised_survey_cannot_be_edited(save: Save, final_survey: dict[str, Any],
                                             counts: Callable[[], dict[str, int]]) -> None:
    """Editing a finalised survey is refused as read-only and writes nothing."""
    before = counts()
    with pytest.raises(ReadOnly):
        save("umkm_survey", {"notes": "diubah"}, record_id=final_survey["id"])
    assert counts() == before


def test_a_finalised_survey_cannot_be_deleted(store: Store, actor: Actor, final_survey: dict[str, Any],
                                              counts: Callable[[], dict[str, int]]) -> None:
    """Deleting a finalised survey is refused as read-only; it stays in place."""
    before = counts()
    with pytest.raises(ReadOnly):
        records.delete(store, actor, "umkm_survey", final_survey["id"])
    assert counts() == before
    assert records.get(store, "umkm_survey", final_survey["id"])["status"] == "finalised"


def test_supersede_starts_a_corrected_draft(store: Store, actor: Actor,
                                            final_survey: dict[str, Any]) -> None:
    """A correction is a new draft pointing at the original, carrying its values."""
    saved = records.supersede(store, actor, "umkm_survey", final_survey["id"],
                              {"capital": 6_000_000_000}, today=TODAY)
    new = saved.record
    assert new["id"] != final_survey["id"]
    assert new["supersedes_id"] == final_survey["id"]
    assert new["status"] == "draft"
    assert new["notes"] == "Kunjungan pertama"
    assert new["digital_channels"] == final_survey["digital_channels"]
    assert (new["capital"], new["size_class"]) == (6_000_000_000, "menengah")
    assert records.get(store, "umkm_survey", final_survey["id"])["capital"] == 300_000_000


def test_superseding_the_same_record_twice_is_refused(
        store: Store, actor: Actor, final_survey: dict[str, Any],
        counts: Callable[[], dict[str, int]]) -> None:
    """Only the newest record of a chain can be corrected."""
    records.supersede(store, actor, "umkm_survey", final_survey["id"], today=TODAY)
    before = counts()
    with pytest.raises(InvalidState):
        records.supersede(store, actor, "umkm_survey", final_survey["id"], today=TODAY)
    assert counts() == before


def test_a_draft_cannot_be_superseded(store: Store, actor: Actor, save: Save, business_id: str) -> None:
    """A draft is edited directly, not corrected."""
    draft = survey(save, business_id)
    with pytest.raises(InvalidState) as refused:
        records.supersede(store, actor, "umkm_survey", draft["id"], today=TODAY)
    assert refused.value.message_id and refused.value.message_en


def test_lists_show_only_the_current_record_of_a_chain(
        store: Store, actor: Actor, final_survey: dict[str, Any]) -> None:
    """After a correction the list shows the correction; asking for history shows both."""
    new = records.supersede(store, actor, "umkm_survey", final_survey["id"], today=TODAY).record
    current = listing.list_records(store, "umkm_survey")
    everything = listing.list_records(store, "umkm_survey", listing.ListFilter(current_only=False))
    assert [r["id"] for r in current.rows] == [new["id"]]
    assert current.total == 1
    assert {r["id"] for r in everything.rows} == {new["id"], final_survey["id"]}


# --- cooperative audit: health score ---------------------------------------


@pytest.mark.parametrize(("lowered", "score", "category"), [
    ({}, 100.0, "sehat"),
    ({"kualitas_aktiva_produktif": 5}, 80.0, "sehat"),
    ({"kualitas_aktiva_produktif": "4.99"}, 79.99, "cukup_sehat"),
    ({"kualitas_aktiva_produktif": 0, "efisiensi": 1}, 66.0, "cukup_sehat"),
    ({"kualitas_aktiva_produktif": 0, "efisiensi": "0.99"}, 65.99, "dalam_pengawasan"),
    ({"kualitas_aktiva_produktif": 0, "manajemen": 1, "efisiensi": 0}, 51.0, "dalam_pengawasan"),
    ({"kualitas_aktiva_produktif": 0, "manajemen": 0.5, "efisiensi": 0}, 50.5,
     "dalam_pengawasan_khusus"),
])
def test_health_category_from_the_seven_aspects(save: Save, cooperative_id: str,
                                                lowered: dict[str, Any], score: float,
                                                category: str) -> None:
    """The auditor's seven aspect scores give the total and its Perdep 06/2016 category."""
    audit = save("cooperative_audit",
                 audit_form(cooperative_id, aspect_scores=all_aspects(**lowered))).record
    assert audit["health_score"] == pytest.approx(score)
    assert audit["health_category"] == category


def test_health_waits_for_all_seven_aspects(save: Save, cooperative_id: str) -> None:
    """With six aspects scored the draft has no score or category yet."""
    scores = all_aspects()
    del scores["jatidiri_koperasi"]
    audit = save("cooperative_audit", audit_form(cooperative_id, aspect_scores=scores)).record
    assert (audit["health_score"], audit["health_category"]) == (None, "")


def test_savings_loan_audit_needs_the_health_score_to_finalise(
        store: Store, actor: Actor, save: Save, cooperative_id: str,
        counts: Callable[[], dict[str, int]]) -> None:
    """A KSP audit without all seven aspects is refused at 'aspect_scores' and stays a draft."""
    draft = save("cooperative_audit",
                 audit_form(cooperative_id, aspect_scores={"permodalan": 12})).record
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        records.finalise(store, actor, "cooperative_audit", draft["id"], today=TODAY)
    assert [p.rule for p in refused.value.for_field("aspect_scores")] == ["final.health_incomplete"]
    assert counts() == before
    assert records.get(store, "cooperative_audit", draft["id"])["status"] == "draft"


def test_savings_loan_audit_with_all_aspects_finalises(
        store: Store, actor: Actor, save: Save, cooperative_id: str) -> None:
    """Once all seven aspects are scored the KSP audit can be finalised."""
    draft = save("cooperative_audit", audit_form(cooperative_id, aspect_scores=all_aspects())).record
    assert records.finalise(store, actor, "cooperative_audit", draft["id"],
                            today=TODAY)["status"] == "finalised"


def test_other_cooperatives_finalise_without_health_scores(
        store: Store, actor: Actor, save: Save) -> None:
    """A farmers' cooperative (not savings-and-loan) is audited without a health score."""
    coop = save("cooperative", cooperative_form(name="Koperasi Tani Makmur",
                                                cooperative_type="pertanian")).record
    draft = save("cooperative_audit", audit_form(coop["id"])).record
    assert records.finalise(store, actor, "cooperative_audit", draft["id"],
                            today=TODAY)["status"] == "finalised"


# --- aid verification: verdict ---------------------------------------------


def test_all_checks_met_is_eligible(save: Save, applicant_id: str) -> None:
    """Every check met: the applicant can be proposed."""
    record = save("aid_verification", verification_form(applicant_id)).record
    assert record["verdict"] == "eligible"


def test_a_failed_check_is_not_eligible_and_says_which(save: Save, applicant_id: str) -> None:
    """The applicant is on KUR: not eligible, and the reason names that check
    in Indonesian, as the applicant's round (BPUM 2021) words it."""
    record = save("aid_verification",
                  verification_form(applicant_id, check_no_bank_credit="not_met",
                                    check_micro_business="unchecked")).record
    assert record["verdict"] == "not_eligible"
    assert "Tidak sedang menerima Kredit Usaha Rakyat (KUR)" in record["verdict_reason"]
    assert "Bank Lainnya" not in record["verdict_reason"]  # 2021 excludes KUR only
    assert "Memiliki usaha mikro" not in record["verdict_reason"]


def test_an_unchecked_item_leaves_the_verdict_incomplete(save: Save, applicant_id: str) -> None:
    """The civil-servant check could not be made: the verdict is incomplete, naming it."""
    record = save("aid_verification",
                  verification_form(applicant_id, check_not_civil_servant="unchecked")).record
    assert record["verdict"] == "incomplete"
    assert "Bukan ASN, TNI, Polri" in record["verdict_reason"]


# --- tombstone delete -------------------------------------------------------


def test_a_deleted_business_disappears_everywhere(store: Store, actor: Actor, business_id: str,
                                                  log: Callable[[], list[dict[str, Any]]]) -> None:
    """A deleted business is gone from get, lists and search, and syncs as a delete."""
    records.delete(store, actor, "business", business_id)
    with pytest.raises(NotFound):
        records.get(store, "business", business_id)
    assert listing.list_records(store, "business").total == 0
    assert search.search(store, "kopi") == []
    assert search.search(store, NIK_SITI) == []
    last = log()[-1]
    assert (last["table_name"], last["row_id"], last["op"]) == ("business", business_id, "delete")


def test_a_business_with_visits_cannot_be_deleted(store: Store, actor: Actor, save: Save,
                                                   business_id: str,
                                                   counts: Callable[[], dict[str, int]]) -> None:
    """A business that was surveyed keeps its record; deleting it is refused
    until its draft visits are deleted."""
    draft = survey(save, business_id)
    before = counts()
    with pytest.raises(InvalidState):
        records.delete(store, actor, "business", business_id)
    assert counts() == before
    records.delete(store, actor, "umkm_survey", draft["id"])
    records.delete(store, actor, "business", business_id)
    assert listing.list_records(store, "business").total == 0


def test_a_deleted_draft_survey_is_gone(store: Store, actor: Actor, save: Save,
                                        business_id: str) -> None:
    """A draft survey made by mistake is deleted and cannot be read or deleted again."""
    draft = survey(save, business_id)
    records.delete(store, actor, "umkm_survey", draft["id"])
    with pytest.raises(NotFound):
        records.get(store, "umkm_survey", draft["id"])
    with pytest.raises(NotFound):
        records.delete(store, actor, "umkm_survey", draft["id"])
    assert listing.list_records(store, "umkm_survey").total == 0


def test_a_cooperative_and_an_applicant_can_be_registered(save: Save, store: Store) -> None:
    """The other two entities save and read back as entered."""
    coop = save("cooperative", cooperative_form()).record
    person = save("aid_applicant", applicant_form()).record
    assert records.get(store, "cooperative", coop["id"])["members_female"] == 95
    assert records.get(store, "aid_applicant", person["id"])["full_name"] == "Rahmat Hidayat"
