"""The corrected domain rules through the record services, as an officer
meets them: the village chosen from the district's list, the applicant's KK
number and business certificate, the round whose rules and amount decide
the verdict, and the health method an audit records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from services_forms import (
    KK_RAHMAT, NIK_RAHMAT, TODAY, all_aspects, applicant_form, audit_form, business_form,
    verification_form,
)

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.errors import ValidationFailed
from desktop_app.store import Store

Save = Callable[..., records.Saved]
#: A village of 18.71.01 and one of another district of Bandar Lampung.
IN_DISTRICT = "18.71.01.1003"  # kelurahan Kedaton
OTHER_DISTRICT = "18.71.02.1003"  # kelurahan Sukarame


def refused(save: Save, kind: str, data: dict[str, Any], **kw: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        save(kind, data, **kw)
    return [(p.field, p.rule) for p in caught.value.problems]


def village_name(store: Store, code: str) -> str:
    with store.raw() as connection:
        return connection.execute("SELECT name FROM region WHERE code = ?", (code,)).fetchone()[0]


# --- village ----------------------------------------------------------------------


def test_a_village_of_the_district_is_saved_with_its_name(save: Save, store: Store) -> None:
    """The village is chosen by its Kemendagri code; its name follows for lists and search."""
    record = save("business", business_form(village_code=IN_DISTRICT, village="")).record
    assert record["village_code"] == IN_DISTRICT
    assert record["village"] == village_name(store, IN_DISTRICT)


def test_a_village_of_another_district_is_refused(save: Save, counts) -> None:
    before = counts()
    assert ("village_code", "village.outside_district") in refused(
        save, "business", business_form(village_code=OTHER_DISTRICT))
    assert counts() == before


def test_a_village_without_its_district_or_off_the_list_is_refused(save: Save) -> None:
    assert ("village_code", "village.no_district") in refused(
        save, "cooperative", {"name": "KSP Maju", "cooperative_type": "simpan_pinjam",
                              "regency_code": "18.71", "district_code": "",
                              "village_code": IN_DISTRICT})
    assert ("village_code", "village.unknown") in refused(
        save, "aid_applicant", applicant_form(village_code="18.71.01.9999"))


def test_moving_the_district_away_from_the_village_is_refused(save: Save, business_id: str) -> None:
    """A later edit of the district must carry the village with it."""
    save("business", {"village_code": IN_DISTRICT}, record_id=business_id)
    assert ("village_code", "village.outside_district") in refused(
        save, "business", {"district_code": "18.71.02"}, record_id=business_id)


def test_a_record_without_a_code_keeps_its_typed_village(save: Save, business_id: str,
                                                         store: Store) -> None:
    """A record from before the list keeps the typed name until a village is chosen."""
    save("business", {"phone": "0721 700 000"}, record_id=business_id)
    stored = records.get(store, "business", business_id)
    assert (stored["village_code"], stored["village"]) == (None, "Kedaton")


# --- applicant: KK, SKU, round ------------------------------------------------------


def test_an_applicant_with_kk_and_sku(save: Save, store: Store) -> None:
    """Business elsewhere than the KTP address: its address and SKU number are kept."""
    record = save("aid_applicant", applicant_form(
        business_location_differs=True, business_address="Pasar Tugu Blok B",
        sku_number="470/88/SKU/2021")).record
    stored = records.get(store, "aid_applicant", record["id"])
    assert (stored["kk_number"], stored["nik"]) == (KK_RAHMAT, NIK_RAHMAT)
    assert (stored["business_location_differs"], stored["sku_number"]) == (True, "470/88/SKU/2021")


def test_business_elsewhere_without_sku_is_refused(save: Save) -> None:
    assert refused(save, "aid_applicant", applicant_form(business_location_differs="ya")) == [
        ("business_address", "sku.address_missing"), ("sku_number", "sku.missing")]


@pytest.mark.parametrize(("kk", "rule"), [
    ("187101230415000", "kk.length"), ("1871 0123 0415 0003", "kk.digits"),
    ("1899012304150003", "kk.region")])
def test_a_malformed_kk_is_refused(save: Save, kk: str, rule: str) -> None:
    assert ("kk_number", rule) in refused(save, "aid_applicant", applicant_form(kk_number=kk))


def test_a_kk_equal_to_the_nik_saves_with_a_warning(save: Save) -> None:
    saved = save("aid_applicant", applicant_form(kk_number=NIK_RAHMAT))
    assert [(w.field, w.rule) for w in saved.warnings] == [("kk_number", "kk.same_as_nik")]


def test_an_unknown_round_is_refused(save: Save) -> None:
    assert ("aid_round", "round.unknown") in refused(save, "aid_applicant",
                                                     applicant_form(aid_round="2026-1"))


@pytest.mark.parametrize(("round_code", "amount", "credit_words"), [
    ("bpum-2020", "Rp 2.400.000", "Kredit Bank Lainnya"),
    ("bpum-2021", "Rp 1.200.000", None),
])
def test_the_verdict_follows_the_applicants_round(store: Store, save: Save, round_code: str,
                                                  amount: str, credit_words: str | None) -> None:
    """Eligible under the round with its amount; a failed credit check worded by the round."""
    applicant = save("aid_applicant", applicant_form(aid_round=round_code)).record["id"]
    eligible = save("aid_verification", verification_form(applicant)).record
    assert eligible["verdict"] == "eligible" and amount in eligible["verdict_reason"]
    checked = records.check(store, "aid_verification", verification_form(applicant), today=TODAY)
    assert checked.derived["round_amount"] == int(amount[2:].replace(".", ""))
    # the English reason with English separators (Rp 1,200,000)
    assert amount.replace(".", ",") in checked.derived["verdict_reason_en"]
    failed = save("aid_verification", verification_form(
        applicant, check_no_bank_credit="not_met")).record
    assert failed["verdict"] == "not_eligible"
    assert (credit_words in failed["verdict_reason"]) if credit_words else (
        "Bank Lainnya" not in failed["verdict_reason"])


def test_verifying_an_applicant_of_an_unknown_round_is_refused(store: Store, save: Save,
                                                               applicant_id: str) -> None:
    """An applicant left with a pre-round text has no rules: the verification says so."""
    with store.raw() as connection:
        connection.execute("UPDATE aid_applicant SET aid_round = '2026-1' WHERE id = ?",
                           (applicant_id,))
    assert ("applicant_id", "round.unknown") in refused(save, "aid_verification",
                                                        verification_form(applicant_id))


def test_an_eligible_applicant_needs_a_kk_to_finalise(store: Store, actor: Actor,
                                                      save: Save) -> None:
    """The proposal carries the KK: finalising an eligible verification without
    it is refused; a not-eligible one needs none."""
    applicant = save("aid_applicant", applicant_form(kk_number="")).record["id"]
    draft = save("aid_verification", verification_form(applicant)).record
    with pytest.raises(ValidationFailed) as caught:
        records.finalise(store, actor, "aid_verification", draft["id"], today=TODAY)
    assert [p.rule for p in caught.value.problems] == ["final.kk_missing"]
    checked = records.check(store, "aid_verification", {}, record_id=draft["id"], today=TODAY)
    assert [p.rule for p in checked.final_problems] == ["final.kk_missing"]
    refusal = save("aid_verification", verification_form(
        applicant, check_not_civil_servant="not_met")).record
    assert records.finalise(store, actor, "aid_verification", refusal["id"],
                            today=TODAY)["status"] == "finalised"
    save("aid_applicant", {"kk_number": KK_RAHMAT}, record_id=applicant)
    assert records.finalise(store, actor, "aid_verification", draft["id"],
                            today=TODAY)["status"] == "finalised"


# --- health method ----------------------------------------------------------------------

NEW = "permenkop_9_2020"
INDICATORS = ("prinsip_koperasi", "kelembagaan", "manajemen_koperasi", "risiko_inheren", "kpmr",
              "evaluasi_kinerja_keuangan", "manajemen_keuangan", "kesinambungan_keuangan",
              "kecukupan_permodalan", "kecukupan_pengelolaan_permodalan")


def ratios(**overrides: Any) -> dict[str, Any]:
    return {**{key: 80 for key in INDICATORS}, **overrides}


def test_an_audit_without_a_method_is_of_the_2016_method(save: Save, cooperative_id: str) -> None:
    """What every audit before the method was recorded used: the seven aspects."""
    audit = save("cooperative_audit", audit_form(cooperative_id, aspect_scores=all_aspects())).record
    assert (audit["health_method"], audit["health_category"], audit["health_score"]) == (
        "perdep_06_2016", "sehat", 100.0)


@pytest.mark.parametrize(("entries", "score", "category"), [
    (ratios(), 4.0, "sehat"),
    (ratios(prinsip_koperasi=75, kelembagaan=75, manajemen_koperasi=75), 3.7, "sehat"),
    ({key: 60 for key in INDICATORS}, 3.0, "cukup_sehat"),
    ({key: 40 for key in INDICATORS}, 2.0, "dalam_pengawasan"),
    ({key: 0 for key in INDICATORS}, 1.0, "dalam_pengawasan_khusus"),
])
def test_an_audit_by_the_2020_method(save: Save, cooperative_id: str, entries: dict[str, Any],
                                     score: float, category: str) -> None:
    """A ratio per indicator gives each indicator 1-4, each aspect their mean
    and the audit the weighted mean with its category."""
    audit = save("cooperative_audit", audit_form(cooperative_id, health_method=NEW,
                                                 aspect_scores=entries)).record
    assert audit["health_method"] == NEW
    assert audit["health_score"] == pytest.approx(score)
    assert audit["health_category"] == category


def test_the_2020_method_waits_for_every_indicator(store: Store, actor: Actor, save: Save,
                                                   cooperative_id: str) -> None:
    """With one indicator missing there is no score, and a KSP cannot finalise."""
    partial = ratios()
    del partial["kpmr"]
    draft = save("cooperative_audit", audit_form(cooperative_id, health_method=NEW,
                                                 aspect_scores=partial)).record
    assert (draft["health_score"], draft["health_category"]) == (None, "")
    with pytest.raises(ValidationFailed) as caught:
        records.finalise(store, actor, "cooperative_audit", draft["id"], today=TODAY)
    assert [p.rule for p in caught.value.problems] == ["final.health_incomplete"]


@pytest.mark.parametrize(("method", "entries", "field", "rule"), [
    (NEW, all_aspects(), "aspect_scores", "health.aspect_unknown"),
    (NEW, ratios(kpmr="100.01"), "aspect_scores", "health.aspect_range"),
    ("perdep_06_2016", ratios(), "aspect_scores", "health.aspect_unknown"),
    ("permenkop_2099", {}, "health_method", "health.method_unknown"),
])
def test_entries_of_another_method_or_out_of_range_are_refused(
        save: Save, cooperative_id: str, method: str, entries: dict[str, Any], field: str,
        rule: str) -> None:
    assert (field, rule) in refused(save, "cooperative_audit", audit_form(
        cooperative_id, health_method=method, aspect_scores=entries))


def test_check_says_which_method_the_result_is_of(store: Store, cooperative_id: str) -> None:
    """The form's live check returns the method beside the score, for the result panel."""
    checked = records.check(store, "cooperative_audit", audit_form(
        cooperative_id, health_method=NEW, aspect_scores=ratios()), today=TODAY)
    assert checked.derived["health_method"] == NEW and checked.derived["health_category"] == "sehat"


def test_the_size_class_basis_is_recorded_with_the_survey(save: Save, business_id: str) -> None:
    from services_forms import survey_form
    record = save("umkm_survey", survey_form(business_id)).record
    assert (record["size_class"], record["size_class_basis"]) == ("mikro", "annual_sales_estimated")
