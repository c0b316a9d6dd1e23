"""Checking an applicant list from the office's spreadsheet, row by row,
before any of it goes into a round (docs/DOMAIN.md, "Applicant lists").

A row is refused when its NIK is not a NIK (models.rules.nik: digits,
length, region, birth date, serial -- the errors, not the warning for a NIK
of another regency, because people move), its KK number is given and
broken (models.rules.kk errors), its NIK is already in the round (earlier
in the file, or already listed anywhere in the province on the server / on
this laptop), its place (district or village code, where the file gives
one) is outside the regency the list is imported for, or it has no name.
The round itself must be open on the day of import (closes_on inclusive:
the close date is the last day lists are taken).

Whether good rows are imported when others are refused is the caller's
choice (all or nothing by default); a row is never imported in part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..tabular import NumberText
from .applicant import document_problems
from .eligibility import RoundRules
from .kk import check_kk
from .nik import check_nik
from .problems import Problem

#: Column headings the office's spreadsheets use, by field (compared without
#: case, spaces or punctuation).
HEADINGS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "noktp", "nomornik", "nikktp", "nomorindukkependudukan"),
    "kk_number": ("kk", "nokk", "nomorkk", "nomorkartukeluarga", "kknumber"),
    "full_name": ("nama", "namalengkap", "namapemohon", "name", "fullname"),
    "address": ("alamat", "alamatktp", "address"),
    "business_name": ("usaha", "namausaha", "bidangusaha", "jenisusaha", "business",
                      "businessname"),
    "phone": ("telepon", "telp", "notelp", "hp", "nohp", "nomorhp", "phone"),
    "district_code": ("kodekecamatan", "districtcode", "kecamatan"),
    "village_code": ("kodedesa", "kodekelurahan", "kodedesakelurahan", "villagecode"),
    "business_address": ("alamatusaha", "lokasiusaha", "businessaddress"),
    "sku_number": ("sku", "nomorsku", "noSKU", "skunumber"),
}
REQUIRED = ("nik", "full_name")
_CODE = re.compile(r"^18\.\d{2}\.\d{2}(\.\d{4})?$")
#: Longest phone number the record holds (aid_applicant.phone).
PHONE_MAX = 20


@dataclass(frozen=True, slots=True)
class RowRefusal:
    """Why one row of the file was refused: its row number as the
    spreadsheet shows it (the header is row 1)."""

    row: int
    problem: Problem


@dataclass
class ListCheck:
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[RowRefusal] = field(default_factory=list)
    #: the row number of each accepted row, in order
    rows: list[int] = field(default_factory=list)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def columns(headers: Iterable[str]) -> dict[str, str]:
    """field -> the file's heading for it. Raises ValueError naming the
    missing required columns."""
    by_key = {_key(h): h for h in headers}
    found = {}
    for name, aliases in HEADINGS.items():
        for alias in aliases:
            if _key(alias) in by_key:
                found[name] = by_key[_key(alias)]
                break
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise ValueError(missing)
    return found


def round_open_problems(rules: RoundRules, today: date) -> list[Problem]:
    """A list goes into a round only while it is open (both ends inclusive)."""
    if rules.closes_on is not None and today > rules.closes_on:
        return [Problem("aid_round", "round.closed",
                        f"{rules.name_id} sudah ditutup pada {rules.closes_on:%d-%m-%Y}; daftar "
                        "tidak dapat ditambahkan lagi.",
                        f"{rules.name_en} closed on {rules.closes_on:%Y-%m-%d}; no list can be "
                        "added to it any more.")]
    if rules.opens_on is not None and today < rules.opens_on:
        return [Problem("aid_round", "round.not_open",
                        f"{rules.name_id} baru dibuka pada {rules.opens_on:%d-%m-%Y}.",
                        f"{rules.name_en} opens on {rules.opens_on:%Y-%m-%d}.")]
    return []


def check_list(rows: list[Mapping[str, str]], *, rules: RoundRules, regency_code: str,
               village_parent: Mapping[str, str], village_names: Mapping[str, str],
               districts: Iterable[str], listed_niks: Iterable[str], today: date) -> ListCheck:
    """Each row as an applicant of the round in ``regency_code``, or why not.

    ``listed_niks`` are the NIKs already in the round; ``districts`` every
    district code of the province, ``village_parent`` village -> district.
    """
    result = ListCheck()
    if not rows:
        return result
    heads = columns(rows[0].keys())
    known_districts = set(districts)
    seen = set(listed_niks)
    first_row: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2):
        values = {name: (raw.get(head) or "").strip() for name, head in heads.items()}
        numbers = {name for name, head in heads.items() if isinstance(raw.get(head), NumberText)}
        problems = _number_problems(numbers) or _row_problems(values, regency_code, village_parent,
                                                              known_districts, today)
        nik = values.get("nik", "")
        if not problems and nik in seen:
            earlier = first_row.get(nik)
            problems.append(Problem("nik", "list.duplicate_nik",
                f"NIK ini sudah ada di {('baris ' + str(earlier)) if earlier else 'tahap ini'}; "
                "satu orang hanya sekali dalam satu tahap.",
                f"This NIK is already {('on row ' + str(earlier)) if earlier else 'in the round'}; "
                "a person applies once per round."))
        if problems:
            result.refused.extend(RowRefusal(index, p) for p in problems)
            continue
        seen.add(nik)
        first_row[nik] = index
        result.accepted.append(_applicant(values, rules.code, regency_code, village_parent,
                                          village_names))
        result.rows.append(index)
    return result


def _number_problems(numbers: set[str]) -> list[Problem]:
    """A NIK or KK Excel kept as a number: its 16th digit was lost on entry."""
    return [Problem(name, "list.nik_as_number",
        f"{'NIK' if name == 'nik' else 'Nomor KK'} tersimpan sebagai angka di Excel sehingga digit "
        "terakhirnya hilang; format kolomnya sebagai Teks lalu ketik ulang nomornya.",
        f"The {'NIK' if name == 'nik' else 'KK number'} was stored as a number in Excel, which "
        "loses its last digit; format the column as Text and type the numbers again.")
        for name in ("nik", "kk_number") if name in numbers]


def _row_problems(values: Mapping[str, str], regency: str, village_parent: Mapping[str, str],
                  districts: set[str], today: date) -> list[Problem]:
    found: list[Problem] = []
    if not values.get("full_name"):
        found.append(Problem("full_name", "list.name_missing", "Nama pemohon kosong.",
                             "The applicant's name is empty."))
    nik = values.get("nik", "")
    if re.fullmatch(r"[0-9.]+E\+?\d+", nik, flags=re.IGNORECASE):
        found.append(Problem("nik", "list.nik_as_number",
            "NIK tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; format kolom "
            "NIK sebagai Teks lalu ketik ulang NIK-nya.",
            "The NIK was stored as a number in Excel, which loses its last digits; format the NIK "
            "column as Text and type the NIKs again."))
    else:
        found += [p for p in check_nik(nik, today=today) if p.severity == "error"]
    found += [p for p in check_kk(values.get("kk_number") or None, today=today, nik=nik)
              if p.severity == "error"]
    if len(values.get("phone", "")) > PHONE_MAX:
        found.append(Problem("phone", "list.phone_length",
                             f"Nomor telepon lebih dari {PHONE_MAX} karakter.",
                             f"The phone number is longer than {PHONE_MAX} characters."))
    found += document_problems({"business_location_differs": bool(values.get("business_address")),
                                **values})
    found += _place_problems(values, regency, village_parent, districts)
    return found


def _place_problems(values: Mapping[str, str], regency: str, village_parent: Mapping[str, str],
                    districts: set[str]) -> list[Problem]:
    district, village = values.get("district_code", ""), values.get("village_code", "")
    for name, code, known in (("district_code", district, districts),
                              ("village_code", village, set(village_parent))):
        if code and (not _CODE.match(code) or code not in known):
            return [Problem(name, "list.place_unknown",
                            f"Kode wilayah '{code}' tidak dikenal.", f"Unknown region code '{code}'.")]
    place = village or district
    if place and not place.startswith(regency + "."):
        return [Problem(name if village else "district_code", "list.outside_regency",
                        "Tempat usaha di luar kabupaten/kota daftar ini; kirim baris ini ke "
                        "dinas kabupaten/kota yang benar.",
                        "The business is outside this list's regency; send this row to the "
                        "right regency office.")]
    if village and district and village_parent.get(village) != district:
        return [Problem("village_code", "list.village_district",
                        "Desa/kelurahan ini bukan bagian kecamatan yang tertulis.",
                        "This village is not in the district given.")]
    return []


def _applicant(values: Mapping[str, str], round_code: str, regency: str,
               village_parent: Mapping[str, str], village_names: Mapping[str, str]) -> dict[str, Any]:
    village = values.get("village_code") or None
    district = values.get("district_code") or (village_parent.get(village) if village else None)
    business_address = values.get("business_address", "")
    return {
        "full_name": values["full_name"], "nik": values["nik"],
        "kk_number": values.get("kk_number", ""), "address": values.get("address", ""),
        "business_name": values.get("business_name", ""), "phone": values.get("phone", ""),
        "regency_code": regency, "district_code": district, "village_code": village,
        "village": village_names.get(village, "") if village else "",
        "aid_round": round_code, "business_location_differs": bool(business_address),
        "business_address": business_address, "sku_number": values.get("sku_number", ""),
    }


def report_lines(check: ListCheck, language: str = "id") -> list[str]:
    """The refusals as lines a person reads: 'row 7, nik: ...' (never the NIK)."""
    word = "baris" if language != "en" else "row"
    return [f"{word} {r.row}, {r.problem.field}: {r.problem.message(language)}" for r in check.refused]
