"""What a visit form shows of the entity visited, read in one go.

Every visit form names its business, cooperative or applicant. The aid
verification shows more: the officer checks the applicant against the
KTP-el and the family card in hand, so the form shows the NIK and the KK
number in full, in groups of four digits to compare digit by digit, with the
KTP address, where the business is (and its business certificate when that
is elsewhere) and the round with its amount; and the checklist is worded as
the applicant's round words it.

Why in full and not masked with a reveal: lists mask the NIK because many
people's numbers pass on one screen; here the one number on screen belongs
to the person at the door holding the card, and the comparison needs every
digit. The officer verifying already sees it in full on the applicant's
own form. Nothing here is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..models import AidApplicant, Region
from ..models.kinds import AID_VERIFICATION
from ..models.rules.eligibility import CheckItem, rupiah_text
from .errors import NotFound
from .kinds import kind_of
from .labels import label
from .reference import load_codes

#: (Indonesian label, English label, value)
Fact = tuple[str, str, str]


@dataclass(frozen=True)
class ParentCard:
    title: str
    facts: tuple[Fact, ...] = ()
    #: Field labels a visit form shows instead of its usual ones (id, en).
    field_labels: dict[str, tuple[str, str]] = field(default_factory=dict)


def parent_card_in(session: Session, visit_kind: str, parent_id: str) -> ParentCard:
    """The visited entity's title and, for a verification, the applicant's
    identity as on the documents and the round's wording of the checks;
    :class:`NotFound` when the entity is gone."""
    kind = kind_of(visit_kind)
    parent_kind = kind_of(kind.parent_kind or "")
    row = session.get(parent_kind.model, parent_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(parent_kind.labels, parent_id)
    title = str(getattr(row, parent_kind.title_field))
    if kind.name != AID_VERIFICATION.name:
        return ParentCard(title)
    return _applicant_card(session, row)


def group_digits(number: str) -> str:
    """'1871011503850007' -> '1871 0115 0385 0007', to compare with a card."""
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def _applicant_card(session: Session, applicant: AidApplicant) -> ParentCard:
    codes = load_codes(session)
    rules = codes.rounds.get(applicant.aid_round)

    def pair(field_name: str, value: str) -> Fact:
        return (label(field_name, "id"), label(field_name, "en"), value)

    facts = [pair("full_name", applicant.full_name),
             pair("nik", group_digits(applicant.nik)),
             pair("kk_number", group_digits(applicant.kk_number) if applicant.kk_number else "—"),
             ("Alamat sesuai KTP", "Address on the KTP", applicant.address or "—"),
             ("Lokasi usaha", "Business location", _place(session, applicant))]
    if applicant.business_location_differs:
        facts += [pair("business_address", applicant.business_address or "—"),
                  ("Nomor SKU", "SKU number", applicant.sku_number or "—")]
    if rules is not None:
        facts.append(pair("aid_round", f"{rules.name_id} — {rupiah_text(rules.amount)}"))
    else:
        facts.append(pair("aid_round", applicant.aid_round))
    labels = {f"check_{item.value}": rules.label(item) for item in rules.checks} if rules else {}
    unasked = {f"check_{item.value}" for item in CheckItem} - set(labels)
    for name in unasked:  # a criterion this round does not ask: say so, it does not decide
        labels[name] = (label(name, "id") + " (tidak dinilai pada tahap ini)",
                        label(name, "en") + " (not assessed in this round)")
    return ParentCard(applicant.full_name, tuple(facts), labels)


def _place(session: Session, applicant: AidApplicant) -> str:
    names = [applicant.village]
    for code in (applicant.district_code, applicant.regency_code):
        region = session.get(Region, code) if code else None
        if region is not None:
            names.append(region.name)
    return ", ".join(n for n in names if n) or "—"
