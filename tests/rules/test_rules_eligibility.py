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


# --- rounds: the rules and the amount belong to the round --------------------------

from tests.support.reference import shipped_rounds  # noqa: E402

ROUNDS = shipped_rounds()
R2020, R2021 = ROUNDS["bpum-2020"], ROUNDS["bpum-2021"]


def test_shipped_rounds_carry_their_regulation_amount_and_rules():
    """2020 (Permenkop 6/2020): Rp2,400,000, bank credit or KUR excludes;
    2021 (Permenkop 2/2021): Rp1,200,000, only KUR excludes, previous
    recipients allowed."""
    assert (R2020.amount, R2020.year, R2020.program) == (2_400_000, 2020, "BPUM")
    assert R2020.excluded_credit == ("kur", "bank_lain") and not R2020.prior_recipients_allowed
    assert "6 Tahun 2020" in R2020.regulation
    assert (R2021.amount, R2021.year) == (1_200_000, 2021)
    assert R2021.excluded_credit == ("kur",) and R2021.prior_recipients_allowed
    assert "2 Tahun 2021" in R2021.regulation
    for rules in (R2020, R2021):
        assert rules.checks == tuple(CheckItem)
        assert rules.opens_on < rules.closes_on


def test_eligible_under_a_round_names_it_and_its_amount():
    """The verdict of an eligible applicant says the round and the amount to propose."""
    verdict = eligibility_verdict(ALL_MET, R2021)
    assert verdict.verdict is VerdictKind.ELIGIBLE
    assert (verdict.round_code, verdict.amount) == ("bpum-2021", 1_200_000)
    assert "BPUM 2021" in verdict.reason_id and "Rp 1.200.000" in verdict.reason_id
    assert "Rp 1,200,000" in verdict.reason_en  # English separators in the English reason
    assert "Rp 2.400.000" in eligibility_verdict(ALL_MET, R2020).reason_id


def test_the_credit_check_is_worded_by_the_round():
    """2020 excludes bank credit and KUR; 2021 only KUR (the names come from
    the capital-access list)."""
    id_2020, en_2020 = R2020.label(CheckItem.NO_BANK_CREDIT)
    assert "KUR" in id_2020 and "Kredit Bank Lainnya" in id_2020 and "bank credit" in en_2020.lower()
    id_2021, en_2021 = R2021.label(CheckItem.NO_BANK_CREDIT)
    assert "KUR" in id_2021 and "Bank Lainnya" not in id_2021 and "other bank" not in en_2021.lower()


def test_the_prior_recipient_check_is_worded_by_the_round():
    """2021 allows recipients of the previous year; 2020 does not."""
    assert "sebelumnya boleh" in R2021.label(CheckItem.NOT_PRIOR_RECIPIENT)[0]
    assert "Belum pernah" in R2020.label(CheckItem.NOT_PRIOR_RECIPIENT)[0]


def test_not_eligible_reason_uses_the_round_wording():
    """A failed credit check under 2021 is reported in 2021's words."""
    verdict = eligibility_verdict(dict(ALL_MET, no_bank_credit="not_met"), R2021)
    assert verdict.verdict is VerdictKind.NOT_ELIGIBLE and verdict.round_code == "bpum-2021"
    assert R2021.label(CheckItem.NO_BANK_CREDIT)[0] in verdict.reason_id
    assert verdict.amount is None


def test_only_the_round_checks_decide():
    """A round that does not ask a criterion is not stopped by it: its
    outcome is kept on the record but does not decide."""
    from dataclasses import replace
    fewer = replace(R2021, checks=tuple(i for i in CheckItem if i is not CheckItem.NOT_PRIOR_RECIPIENT))
    checks = dict(ALL_MET, not_prior_recipient="not_met")
    assert eligibility_verdict(checks, fewer).verdict is VerdictKind.ELIGIBLE
    assert eligibility_verdict(checks, R2021).verdict is VerdictKind.NOT_ELIGIBLE
    assert "semua 4 pemeriksaan" in eligibility_verdict(checks, fewer).reason_id


def test_a_round_with_an_unknown_check_is_refused():
    """A round the province sets up with a check the form does not have is refused."""
    from tests.support.reference import rows
    row = dict(next(r for r in rows("aid_round") if r["code"] == "bpum-2021"),
               checks='["valid_nik","owns_land"]')
    with pytest.raises(ValueError, match="owns_land"):
        from desktop_app.models.rules.eligibility import round_rules
        round_rules(row)
