"""Eligibility of an applicant for the one-off micro-business grant (BPUM-style).

The criteria follow the BPUM programme (Banpres Produktif Usaha Mikro; its
guideline is Permenkop UKM 6/2020 as amended, cited here from the programme
rather than re-read for this module) as the office applies them
(DOMAIN.md, "Aid verification"): an Indonesian citizen with a valid NIK, who
owns a micro business seen on the visit, is not a civil servant, TNI, Polri
or BUMN/BUMD employee, is not receiving KUR or other bank credit (checked
against the office's list), and has not already received the aid this round.

A check that could not be made is not a failure: it makes the verdict
incomplete, so the officer knows what is left to do. A failed check always
wins over an unchecked one, because the applicant is then ineligible
whatever the remaining checks show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ..codes import LabelledCode


class CheckItem(str, Enum):
    """One eligibility criterion the officer verifies."""

    VALID_NIK = "valid_nik"
    MICRO_BUSINESS = "micro_business"
    NOT_CIVIL_SERVANT = "not_civil_servant"
    NO_BANK_CREDIT = "no_bank_credit"
    NOT_PRIOR_RECIPIENT = "not_prior_recipient"

    @property
    def label_id(self) -> str:
        """The criterion in Indonesian."""
        return _CHECK_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The criterion in English."""
        return _CHECK_LABELS[self][1]


_CHECK_LABELS: dict[CheckItem, tuple[str, str]] = {
    CheckItem.VALID_NIK: (
        "WNI dengan NIK yang sah", "Indonesian citizen with a valid NIK"),
    CheckItem.MICRO_BUSINESS: (
        "Memiliki usaha mikro (dilihat saat kunjungan)", "Owns a micro business (seen on the visit)"),
    CheckItem.NOT_CIVIL_SERVANT: (
        "Bukan PNS, TNI, Polri, atau pegawai BUMN/BUMD",
        "Not a civil servant, TNI, Polri, or BUMN/BUMD employee"),
    CheckItem.NO_BANK_CREDIT: (
        "Tidak sedang menerima KUR atau kredit bank lain (menurut daftar dinas)",
        "Not receiving KUR or other bank credit (per the office's list)"),
    CheckItem.NOT_PRIOR_RECIPIENT: (
        "Belum menerima bantuan pada tahap ini", "Has not received the aid in this round"),
}


class CheckOutcome(str, Enum):
    """What the officer found for one criterion."""

    MET = "met"
    NOT_MET = "not_met"
    UNCHECKED = "unchecked"

    @property
    def label_id(self) -> str:
        """The outcome in Indonesian."""
        return _OUTCOME_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The outcome in English."""
        return _OUTCOME_LABELS[self][1]


_OUTCOME_LABELS: dict[CheckOutcome, tuple[str, str]] = {
    CheckOutcome.MET: ("Terpenuhi", "Met"),
    CheckOutcome.NOT_MET: ("Tidak terpenuhi", "Not met"),
    CheckOutcome.UNCHECKED: ("Tidak dapat diperiksa", "Could not check"),
}


class VerdictKind(LabelledCode):
    """The overall result of a verification, as the proposal list writes it."""

    ELIGIBLE = "eligible", "Layak", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Tidak layak", "Not eligible"
    INCOMPLETE = "incomplete", "Belum lengkap", "Incomplete"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One recorded check: the criterion, what was found, and the officer's note."""

    item: CheckItem
    outcome: CheckOutcome
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict, the criteria that decided it, and the reason in both languages."""

    verdict: VerdictKind
    items: tuple[CheckItem, ...]
    reason_id: str
    reason_en: str


def eligibility_verdict(checks: Mapping[CheckItem | str, CheckOutcome | str]) -> Verdict:
    """The verdict from each criterion's outcome; a missing criterion counts as unchecked.

    Any not_met makes the applicant not eligible (listing every not_met
    criterion); otherwise any unchecked makes the verdict incomplete (listing
    them); otherwise the applicant is eligible. Raises ValueError for an
    unknown criterion or outcome.
    """
    outcomes = _normalise(checks)
    failed = tuple(i for i in CheckItem if outcomes.get(i) is CheckOutcome.NOT_MET)
    if failed:
        return _verdict(VerdictKind.NOT_ELIGIBLE, failed)
    open_ = tuple(i for i in CheckItem if outcomes.get(i, CheckOutcome.UNCHECKED) is CheckOutcome.UNCHECKED)
    if open_:
        return _verdict(VerdictKind.INCOMPLETE, open_)
    return Verdict(VerdictKind.ELIGIBLE, (),
        "Memenuhi syarat: kelima pemeriksaan terpenuhi. Pemohon dapat diusulkan.",
        "Eligible: all five checks are met. The applicant can be proposed.")


def _normalise(checks: Mapping[CheckItem | str, CheckOutcome | str]) -> dict[CheckItem, CheckOutcome]:
    result: dict[CheckItem, CheckOutcome] = {}
    for key, value in checks.items():
        try:
            item = CheckItem(key)
        except ValueError:
            raise ValueError(f"unknown eligibility check: {key!r}") from None
        try:
            result[item] = CheckOutcome(value)
        except ValueError:
            raise ValueError(f"check {item.value}: unknown outcome {value!r}") from None
    return result


def _verdict(kind: VerdictKind, items: tuple[CheckItem, ...]) -> Verdict:
    names_id = "; ".join(i.label_id for i in items)
    names_en = "; ".join(i.label_en for i in items)
    if kind is VerdictKind.NOT_ELIGIBLE:
        return Verdict(kind, items,
            f"Tidak memenuhi syarat karena syarat berikut tidak terpenuhi: {names_id}. Pemohon tidak dapat diusulkan.",
            f"Not eligible because these conditions are not met: {names_en}. The applicant cannot be proposed.")
    return Verdict(kind, items,
        f"Belum lengkap: pemeriksaan berikut belum dapat dilakukan: {names_id}. Lengkapi sebelum mengusulkan pemohon.",
        f"Incomplete: these checks could not be made yet: {names_en}. Complete them before proposing the applicant.")
