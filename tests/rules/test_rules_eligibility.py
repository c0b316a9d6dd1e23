"""Tests for the aid eligibility verdict: not_met beats unchecked beats eligible."""

import pytest

from desktop_app.models.rules.eligibility import (
    CheckItem,
    CheckOutcome,
    CheckResult,
    VerdictKind,
    eligibility_verdict,
)

ALL_MET = {item: CheckOutcome.MET for item in CheckItem}


def test_all_met_is_eligible():
    """Five met checks make the applicant eligible with no deciding items."""
    verdict = eligibility_verdict(ALL_MET)
    assert verdict.verdict is VerdictKind.ELIGIBLE and verdict.items == ()
    assert verdict.reason_id and verdict.reason_en


def test_one_not_met_is_not_eligible():
    """A single not_met check makes the applicant not eligible and names it."""
    verdict = eligibility_verdict(dict(ALL_MET, no_bank_credit="not_met"))
    assert verdict.verdict is VerdictKind.NOT_ELIGIBLE
    assert verdict.items == (CheckItem.NO_BANK_CREDIT,)
    assert "KUR" in verdict.reason_id and "KUR" in verdict.reason_en


def test_not_met_beats_unchecked_and_lists_all_not_met():
    """With not_met and unchecked mixed, the verdict lists every not_met and no unchecked."""
    checks = {
        CheckItem.VALID_NIK: CheckOutcome.NOT_MET,
        CheckItem.MICRO_BUSINESS: CheckOutcome.UNCHECKED,
        CheckItem.NOT_CIVIL_SERVANT: CheckOutcome.NOT_MET,
        CheckItem.NO_BANK_CREDIT: CheckOutcome.MET,
    }
    verdict = eligibility_verdict(checks)
    assert verdict.verdict is VerdictKind.NOT_ELIGIBLE
    assert verdict.items == (CheckItem.VALID_NIK, CheckItem.NOT_CIVIL_SERVANT)
    assert CheckItem.MICRO_BUSINESS.label_id not in verdict.reason_id
    for item in verdict.items:
        assert item.label_id in verdict.reason_id and item.label_en in verdict.reason_en


def test_unchecked_is_incomplete():
    """An unchecked check with the rest met makes the verdict incomplete, naming it."""
    verdict = eligibility_verdict(dict(ALL_MET, micro_business=CheckOutcome.UNCHECKED))
    assert verdict.verdict is VerdictKind.INCOMPLETE
    assert verdict.items == (CheckItem.MICRO_BUSINESS,)
    assert CheckItem.MICRO_BUSINESS.label_en in verdict.reason_en


def test_missing_checks_count_as_unchecked():
    """Checks left out of the mapping are listed as unchecked."""
    verdict = eligibility_verdict({"valid_nik": "met", "micro_business": "met"})
    assert verdict.verdict is VerdictKind.INCOMPLETE
    assert verdict.items == (CheckItem.NOT_CIVIL_SERVANT, CheckItem.NO_BANK_CREDIT, CheckItem.NOT_PRIOR_RECIPIENT)


def test_empty_mapping_is_incomplete_for_all():
    """No checks at all leaves all five unchecked."""
    assert eligibility_verdict({}).items == tuple(CheckItem)


def test_strings_and_enums_mix():
    """String keys and outcomes are accepted alongside the enums."""
    checks = {"valid_nik": "met", CheckItem.MICRO_BUSINESS: "met", "not_civil_servant": CheckOutcome.MET,
              "no_bank_credit": "met", "not_prior_recipient": "met"}
    assert eligibility_verdict(checks).verdict is VerdictKind.ELIGIBLE


def test_unknown_check_refused():
    """A check the rule does not know is refused, naming it."""
    with pytest.raises(ValueError, match="owns_land"):
        eligibility_verdict(dict(ALL_MET, owns_land="met"))


def test_unknown_outcome_refused():
    """An outcome other than met/not_met/unchecked is refused, naming the check."""
    with pytest.raises(ValueError, match="valid_nik"):
        eligibility_verdict(dict(ALL_MET, valid_nik="maybe"))


def test_reasons_differ_by_language_for_each_verdict():
    """Every verdict gives a reason in Indonesian and a different one in English."""
    for checks in (ALL_MET, {}, dict(ALL_MET, valid_nik="not_met")):
        verdict = eligibility_verdict(checks)
        assert verdict.reason_id and verdict.reason_en and verdict.reason_id != verdict.reason_en


def test_labels_for_checks_and_outcomes():
    """Each check and outcome has Indonesian and English labels."""
    assert "BUMN/BUMD" in CheckItem.NOT_CIVIL_SERVANT.label_id
    for enum in (CheckItem, CheckOutcome):
        for member in enum:
            assert member.label_id and member.label_en and member.label_id != member.label_en


def test_check_result_keeps_note():
    """A recorded check keeps the officer's note next to its outcome."""
    result = CheckResult(CheckItem.NO_BANK_CREDIT, CheckOutcome.UNCHECKED, note="daftar bank belum diterima")
    assert result.note == "daftar bank belum diterima" and result.outcome is CheckOutcome.UNCHECKED
