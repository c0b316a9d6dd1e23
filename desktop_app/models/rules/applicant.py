"""What an aid applicant's record must hold beyond its identity numbers: a
known round, and a business certificate when the business is not at the
KTP address.

Sources: the BPUM guideline, Permenkop UKM 6/2020 as amended by 2/2021
(secondary copies, docs/DOMAIN.md "Aid verification"): the proposal carries
the NIK as on the KTP-el, the KK number, name, address, business and phone;
an applicant whose KTP address and business domicile differ attaches a
Surat Keterangan Usaha (SKU) from the village where the business is. The
regulation says the applicant "may attach" it; the office needs it to
propose such an applicant at all, so the record requires its number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .eligibility import RoundRules
from .problems import Problem


def round_problems(values: Mapping[str, Any], rounds: Mapping[str, RoundRules], *,
                   field: str = "aid_round") -> list[Problem]:
    """The applicant's round is one the province has set up."""
    code = values.get(field)
    if not code or code in rounds:
        return []
    known = ", ".join(r.name_id for r in rounds.values()) or "-"
    return [Problem(field, "round.unknown",
        f"Tahap bantuan '{code}' tidak dikenal. Pilih tahap dari daftar ({known}).",
        f"The aid round '{code}' is not known. Pick a round from the list ({known}).")]


def document_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Where the business is not at the KTP address, its address and its
    business certificate (SKU) number are required."""
    if not values.get("business_location_differs"):
        return []
    found = []
    if not (values.get("business_address") or "").strip():
        found.append(Problem("business_address", "sku.address_missing",
            "Lokasi usaha berbeda dengan alamat KTP: isi alamat lokasi usaha.",
            "The business is not at the KTP address: fill in the business address."))
    if not (values.get("sku_number") or "").strip():
        found.append(Problem("sku_number", "sku.missing",
            "Lokasi usaha berbeda dengan alamat KTP: isi nomor Surat Keterangan Usaha (SKU) dari "
            "desa/kelurahan tempat usaha.",
            "The business is not at the KTP address: fill in the number of the business "
            "certificate (SKU) from the village where the business is."))
    return found
