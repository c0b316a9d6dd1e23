"""Eligibility of an applicant for the one-off micro-business grant (BPUM).

The criteria follow the BPUM programme as the office applies them
(docs/DOMAIN.md, "Aid verification"): an Indonesian citizen with a valid
NIK, who owns a micro business seen on the visit, is not a civil servant,
TNI, Polri or BUMN/BUMD employee, is not receiving the credit the round
excludes (checked against the office's list), and has not already received
the aid in this round.

Rounds differ, so the rules and the amount belong to the round, which is
reference data (``aid_round``, resources/reference/aid_rounds.csv), not to
this module: :class:`RoundRules` is one round's rule set (which checks
apply, which credit excludes, whether recipients of an earlier round may be
proposed again, the amount). The shipped rounds:

* 2020, Permenkop UKM 6/2020 Art. 3: Rp2,400,000 once; not receiving
  credit or financing from banks or KUR.
* 2021, Permenkop UKM 2/2021 (amending 6/2020) Art. 4 (1)-(2):
  Rp1,200,000 once; not currently receiving KUR; recipients of the
  previous fiscal year may be proposed again (Art. 4 (1), 18A, 18B).

(Secondary sources for both: docs/DOMAIN.md, "Aid verification".)

A check that could not be made is not a failure: it makes the verdict
incomplete, so the officer knows what is left to do. A failed check always
wins over an unchecked one, because the applicant is then ineligible
whatever the remaining checks show.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from ..codes import LabelledCode


class CheckItem(str, Enum):
    """One eligibility criterion the officer verifies (one column of the
    verification record); a round says which of them apply."""

    VALID_NIK = "valid_nik"
    MICRO_BUSINESS = "micro_business"
    NOT_CIVIL_SERVANT = "not_civil_servant"
    NO_BANK_CREDIT = "no_bank_credit"
    NOT_PRIOR_RECIPIENT = "not_prior_recipient"

    @property
    def label_id(self) -> str:
        """The criterion in Indonesian, as no particular round words it."""
        return _CHECK_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The criterion in English, as no particular round words it."""
        return _CHECK_LABELS[self][1]


_CHECK_LABELS: dict[CheckItem, tuple[str, str]] = {
    CheckItem.VALID_NIK: (
        "WNI dengan NIK yang sah", "Indonesian citizen with a valid NIK"),
    CheckItem.MICRO_BUSINESS: (
        "Memiliki usaha mikro (dilihat saat kunjungan)", "Owns a micro business (seen on the visit)"),
    CheckItem.NOT_CIVIL_SERVANT: (
        "Bukan ASN, TNI, Polri, atau pegawai BUMN/BUMD",
        "Not a civil servant (ASN), TNI, Polri, or BUMN/BUMD employee"),
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
    # answered as the checklist's statements are asked ("Bukan ASN ...?" Ya / Tidak)
    CheckOutcome.MET: ("Ya", "Yes"),
    CheckOutcome.NOT_MET: ("Tidak", "No"),
    CheckOutcome.UNCHECKED: ("Belum diperiksa", "Not checked"),
}


class VerdictKind(LabelledCode):
    """The overall result of a verification, as the proposal list writes it."""

    ELIGIBLE = "eligible", "Layak", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Tidak layak", "Not eligible"
    INCOMPLETE = "incomplete", "Belum lengkap", "Incomplete"


@dataclass(frozen=True, slots=True)
class RoundRules:
    """One aid round's rule set and amount, read from the reference data.

    ``excluded_credit`` holds capital-access codes (capital_access.csv) whose
    receipt makes an applicant ineligible, with their names in both
    languages in ``credit_names``; ``prior_recipients_allowed`` says whether
    recipients of an earlier round may be proposed again. ``quotas`` is the
    number of recipients per regency code where the round sets one.
    """

    code: str
    program: str
    year: int
    name_id: str
    name_en: str
    amount: int  # whole rupiah per recipient
    regulation: str
    checks: tuple[CheckItem, ...]
    excluded_credit: tuple[str, ...]
    prior_recipients_allowed: bool
    opens_on: date | None = None
    closes_on: date | None = None
    credit_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    quotas: Mapping[str, int] = field(default_factory=dict)

    def label(self, item: CheckItem) -> tuple[str, str]:
        """The criterion as this round words it (Indonesian, English)."""
        if item is CheckItem.NO_BANK_CREDIT and self.excluded_credit:
            names = [self.credit_names.get(code, (code, code)) for code in self.excluded_credit]
            return ("Tidak sedang menerima " + " atau ".join(n[0] for n in names)
                    + " (menurut daftar dinas)",
                    "Not currently receiving " + " or ".join(n[1] for n in names)
                    + " (per the office's list)")
        if item is CheckItem.NOT_PRIOR_RECIPIENT:
            if self.prior_recipients_allowed:
                return (f"Belum menerima bantuan pada {self.name_id} (penerima tahap sebelumnya "
                        "boleh diusulkan lagi)",
                        f"Has not received the aid in {self.name_en} (recipients of an earlier "
                        "round may be proposed again)")
            return (f"Belum pernah menerima bantuan ini ({self.name_id})",
                    f"Has never received this aid ({self.name_en})")
        return item.label_id, item.label_en


def round_rules(row: Mapping[str, object], *,
                credit_names: Mapping[str, tuple[str, str]] | None = None,
                quotas: Mapping[str, int] | None = None) -> RoundRules:
    """A round's rules from its reference row (the aid_round columns).

    Raises ValueError naming a check the rules do not know, so a round the
    province sets up with a typo is refused rather than silently lenient.
    """
    checks = tuple(_check_item(str(c)) for c in _codes(row.get("checks")))
    if not checks:
        raise ValueError(f"aid round {row.get('code')!r}: no checks")
    return RoundRules(
        code=str(row["code"]), program=str(row["program"]), year=int(row["year"]),  # type: ignore[call-overload]
        name_id=str(row["name_id"]), name_en=str(row["name_en"]),
        amount=int(row["amount"]),  # type: ignore[call-overload]
        regulation=str(row.get("regulation") or ""), checks=checks,
        excluded_credit=tuple(_codes(row.get("excluded_credit"))),
        prior_recipients_allowed=bool(row.get("prior_recipients_allowed")),
        opens_on=_date(row.get("opens_on")), closes_on=_date(row.get("closes_on")),
        credit_names=dict(credit_names or {}), quotas=dict(quotas or {}))


def _codes(raw: object) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        parsed = json.loads(raw)
    else:
        parsed = list(raw)  # type: ignore[call-overload]
    return [str(c) for c in parsed]


def _date(raw: object) -> date | None:
    if raw in (None, ""):
        return None
    return raw if isinstance(raw, date) else date.fromisoformat(str(raw))


def _check_item(code: str) -> CheckItem:
    try:
        return CheckItem(code)
    except ValueError:
        raise ValueError(f"unknown eligibility check: {code!r}") from None


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
    round_code: str | None = None
    amount: int | None = None  # what an eligible applicant may be proposed for


def eligibility_verdict(checks: Mapping[CheckItem | str, CheckOutcome | str],
                        rules: RoundRules | None = None) -> Verdict:
    """The verdict from each criterion's outcome under ``rules`` (the
    applicant's round); a missing criterion counts as unchecked.

    Only the round's checks count; outcomes recorded for other criteria are
    kept on the record but do not decide. Any not_met makes the applicant
    not eligible (listing every not_met criterion); otherwise any unchecked
    makes the verdict incomplete (listing them); otherwise the applicant is
    eligible for the round's amount. Without ``rules`` all five criteria
    apply with their plain wording (no round: the mechanism alone). Raises
    ValueError for an unknown criterion or outcome.
    """
    outcomes = _normalise(checks)
    applies: tuple[CheckItem, ...] = rules.checks if rules else tuple(CheckItem)
    ordered = tuple(i for i in CheckItem if i in applies)
    failed = tuple(i for i in ordered if outcomes.get(i) is CheckOutcome.NOT_MET)
    if failed:
        return _verdict(VerdictKind.NOT_ELIGIBLE, failed, rules)
    open_ = tuple(i for i in ordered if outcomes.get(i, CheckOutcome.UNCHECKED) is CheckOutcome.UNCHECKED)
    if open_:
        return _verdict(VerdictKind.INCOMPLETE, open_, rules)
    if rules is None:
        return Verdict(VerdictKind.ELIGIBLE, (),
            "Memenuhi syarat: kelima pemeriksaan terpenuhi. Pemohon dapat diusulkan.",
            "Eligible: all five checks are met. The applicant can be proposed.")
    return Verdict(VerdictKind.ELIGIBLE, (),
        f"Memenuhi syarat {rules.name_id}: semua {len(ordered)} pemeriksaan terpenuhi. Pemohon dapat "
        f"diusulkan menerima {rupiah_text(rules.amount)}.",
        f"Eligible for {rules.name_en}: all {len(ordered)} checks are met. The applicant can be "
        f"proposed for {rupiah_text(rules.amount, 'en')}.",
        rules.code, rules.amount)


def rupiah_text(amount: int, language: str = "id") -> str:
    """'Rp 1.200.000' (English 'Rp 1,200,000'): whole rupiah as the screens
    and reports write amounts (services.formats.rupiah), for the stored reason."""
    grouped = f"{amount:,}"
    return "Rp " + (grouped if language == "en" else grouped.replace(",", "."))


def _normalise(checks: Mapping[CheckItem | str, CheckOutcome | str]) -> dict[CheckItem, CheckOutcome]:
    result: dict[CheckItem, CheckOutcome] = {}
    for key, value in checks.items():
        item = _check_item(key.value if isinstance(key, CheckItem) else str(key))
        try:
            result[item] = CheckOutcome(value)
        except ValueError:
            raise ValueError(f"check {item.value}: unknown outcome {value!r}") from None
    return result


def _labels(items: Iterable[CheckItem], rules: RoundRules | None) -> tuple[str, str]:
    pairs = [rules.label(i) if rules else (i.label_id, i.label_en) for i in items]
    return "; ".join(p[0] for p in pairs), "; ".join(p[1] for p in pairs)


def _verdict(kind: VerdictKind, items: tuple[CheckItem, ...], rules: RoundRules | None) -> Verdict:
    names_id, names_en = _labels(items, rules)
    code = rules.code if rules else None
    if kind is VerdictKind.NOT_ELIGIBLE:
        return Verdict(kind, items,
            f"Tidak memenuhi syarat karena syarat berikut tidak terpenuhi: {names_id}. Pemohon tidak dapat diusulkan.",
            f"Not eligible because these conditions are not met: {names_en}. The applicant cannot be proposed.",
            code)
    return Verdict(kind, items,
        f"Belum lengkap: pemeriksaan berikut belum dapat dilakukan: {names_id}. Lengkapi sebelum mengusulkan pemohon.",
        f"Incomplete: these checks could not be made yet: {names_en}. Complete them before proposing the applicant.",
        code)
