"""NIK (Nomor Induk Kependudukan): structure checks, parsing and masking.

A NIK has 16 digits: province (2) + regency (2) + district (2) + birth date
DDMMYY, where a woman's day has 40 added (41-71), + a 4-digit serial that is
not 0000 (UU 23/2006 on Administrasi Kependudukan as amended by UU 24/2013;
layout as issued by Dukcapil). Region codes follow Kemendagri's Kode dan Data
Wilayah Administrasi Pemerintahan, updated in 2022 for the new Papua
provinces 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan and
96 Papua Barat Daya (38 provinces in all).

The NIK is personal data: no message here ever repeats it, and lists show it
through :func:`mask_nik` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from desktop_app.models.rules.problems import Problem

NIK_LENGTH = 16

#: The 38 province codes. Before 2022 Papua was 94 and Papua Barat 91, so
#: old NIKs from Papua may carry either numbering; both fall inside 91-96.
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(c) for c in range(11, 20)]
    + ["21"]
    + [str(c) for c in range(31, 37)]
    + ["51", "52", "53"]
    + [str(c) for c in range(61, 66)]
    + [str(c) for c in range(71, 77)]
    + ["81", "82"]
    + [str(c) for c in range(91, 97)]
)

LAMPUNG = "18"

#: The 15 regencies/cities of Lampung by Kemendagri code (Kepmendagri
#: 300.2.2-2138/2025; the shared DOMAIN.md table had 18.01-18.08 in another
#: order, corrected in docs/DOMAIN.md). Must agree with resources/reference.
LAMPUNG_REGENCIES: dict[str, str] = {
    "18.01": "Lampung Selatan",
    "18.02": "Lampung Tengah",
    "18.03": "Lampung Utara",
    "18.04": "Lampung Barat",
    "18.05": "Tulang Bawang",
    "18.06": "Tanggamus",
    "18.07": "Lampung Timur",
    "18.08": "Way Kanan",
    "18.09": "Pesawaran",
    "18.10": "Pringsewu",
    "18.11": "Mesuji",
    "18.12": "Tulang Bawang Barat",
    "18.13": "Pesisir Barat",
    "18.71": "Kota Bandar Lampung",
    "18.72": "Kota Metro",
}

_WOMAN_DAY_OFFSET = 40


@dataclass(frozen=True, slots=True)
class NikInfo:
    """What a valid NIK says about its holder (the number itself is not kept)."""

    province: str  # '18'
    regency: str  # '18.71'
    district: str  # '18.71.01'
    birth_date: date
    sex: Literal["F", "M"]


def check_nik(
    value: str, *, field: str = "nik", today: date, place_regency: str | None = None
) -> list[Problem]:
    """Every rule ``value`` breaks as a NIK; empty when it is well formed.

    ``today`` decides the century of the 2-digit birth year. ``place_regency``
    ('18.xx') is the regency of the visit; a NIK from another regency is only
    a warning, because people do move (DOMAIN.md, "Identity numbers").
    """
    value = value or ""
    shape = _shape_problem(value, field)
    if shape:
        return [shape]
    problems = _region_problems(value, field)
    problems += _birth_problems(value, field, today)
    if value[12:] == "0000":
        problems.append(_error(field, "nik.serial",
            "Nomor urut NIK (digit 13-16) tidak boleh 0000. Periksa kembali angka dari KTP atau KK.",
            "The NIK serial (digits 13-16) cannot be 0000. Check the number against the ID card or family card."))
    if not problems and place_regency:
        problems += _place_warning(value, field, place_regency)
    return problems


def parse_nik(value: str, *, today: date) -> NikInfo | None:
    """The region, birth date and sex in ``value``; None when any rule is broken."""
    if any(p.severity == "error" for p in check_nik(value, today=today)):
        return None
    day, sex = _day_and_sex(int(value[6:8]))
    birth = _birth_date(day, int(value[8:10]), int(value[10:12]), today)
    assert isinstance(birth, date)
    return NikInfo(
        province=value[:2],
        regency=f"{value[:2]}.{value[2:4]}",
        district=f"{value[:2]}.{value[2:4]}.{value[4:6]}",
        birth_date=birth,
        sex=sex,
    )


def mask_nik(value: str | None) -> str:
    """``value`` for lists: '1871********0001'; never the whole of a malformed value.

    Sixteen characters or more keep the first and last four around eight
    stars; anything shorter is starred out entirely.
    """
    if not value:
        return ""
    if len(value) < NIK_LENGTH:
        return "*" * len(value)
    return f"{value[:4]}{'*' * 8}{value[-4:]}"


def _shape_problem(value: str, field: str) -> Problem | None:
    if not value.strip():
        return _error(field, "nik.required",
            "NIK wajib diisi. Tulis 16 digit NIK dari KTP atau KK.",
            "NIK is required. Enter the 16-digit NIK from the ID card or family card.")
    if not (value.isascii() and value.isdigit()):
        return _error(field, "nik.digits",
            "NIK hanya boleh berisi angka 0-9. Hapus spasi, titik, atau huruf.",
            "NIK may contain only the digits 0-9. Remove spaces, dots or letters.")
    if len(value) != NIK_LENGTH:
        return _error(field, "nik.length",
            f"NIK harus tepat 16 digit, yang diisi {len(value)} digit. Periksa kembali angka dari KTP atau KK.",
            f"NIK must be exactly 16 digits; {len(value)} were entered. Check the number against the ID card or family card.")
    return None


def region_faults(value: str) -> list[str]:
    """Which parts of the region code in digits 1-6 of a 16-digit population
    number (NIK or KK) are not possible: 'province', 'regency', 'district'.

    Both numbers open with the Kemendagri code of the issuing district, so
    the same check serves both (docs/DOMAIN.md, "Identity numbers").
    """
    province, regency, district = value[:2], value[2:4], value[4:6]
    if province not in PROVINCE_CODES:
        return ["province"]
    faults = []
    if regency == "00" or (province == LAMPUNG and f"{province}.{regency}" not in LAMPUNG_REGENCIES):
        faults.append("regency")
    if district == "00":
        faults.append("district")
    return faults


def _region_problems(value: str, field: str) -> list[Problem]:
    messages = {
        "province": _error(field, "nik.province",
            "Kode provinsi NIK (digit 1-2) tidak dikenal. Periksa kembali angka dari KTP atau KK.",
            "The NIK province code (digits 1-2) is not a known province. Check the number against the ID card or family card."),
        "regency": _error(field, "nik.regency",
            "Kode kabupaten/kota NIK (digit 3-4) tidak dikenal di provinsinya. Periksa kembali angka dari KTP atau KK.",
            "The NIK regency/city code (digits 3-4) is not known in its province. Check the number against the ID card or family card."),
        "district": _error(field, "nik.district",
            "Kode kecamatan NIK (digit 5-6) tidak boleh 00. Periksa kembali angka dari KTP atau KK.",
            "The NIK district code (digits 5-6) cannot be 00. Check the number against the ID card or family card."),
    }
    return [messages[fault] for fault in region_faults(value)]


def _birth_problems(value: str, field: str, today: date) -> list[Problem]:
    day, _ = _day_and_sex(int(value[6:8]))
    birth = _birth_date(day, int(value[8:10]), int(value[10:12]), today)
    if birth == "invalid":
        return [_error(field, "nik.birth_date",
            "Tanggal lahir dalam NIK (digit 7-12, hari perempuan ditambah 40) bukan tanggal yang ada. Periksa kembali angka dari KTP atau KK.",
            "The birth date in the NIK (digits 7-12, a woman's day plus 40) is not a real date. Check the number against the ID card or family card.")]
    if birth == "future":
        return [_error(field, "nik.birth_future",
            "Tanggal lahir dalam NIK (digit 7-12) jatuh setelah hari ini. Periksa kembali angka dari KTP atau KK.",
            "The birth date in the NIK (digits 7-12) is after today. Check the number against the ID card or family card.")]
    return []


def _day_and_sex(day: int) -> tuple[int, Literal["F", "M"]]:
    if day > _WOMAN_DAY_OFFSET:
        return day - _WOMAN_DAY_OFFSET, "F"
    return day, "M"


def _birth_date(day: int, month: int, yy: int, today: date) -> date | Literal["invalid", "future"]:
    """The latest real date DD-MM-(19|20)YY not after ``today``."""
    candidates = [d for d in (date_or_none(2000 + yy, month, day), date_or_none(1900 + yy, month, day)) if d]
    if not candidates:
        return "invalid"
    past = [d for d in candidates if d <= today]
    return past[0] if past else "future"


def date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _place_warning(value: str, field: str, place_regency: str) -> list[Problem]:
    regency = f"{value[:2]}.{value[2:4]}"
    if regency == place_regency:
        return []
    nik_place = LAMPUNG_REGENCIES.get(regency, "kabupaten/kota lain")
    nik_place_en = LAMPUNG_REGENCIES.get(regency, "another regency/city")
    visit = LAMPUNG_REGENCIES.get(place_regency, "kabupaten/kota lain")
    visit_en = LAMPUNG_REGENCIES.get(place_regency, "another regency/city")
    return [Problem(field, "nik.regency_differs",
        f"NIK terdaftar di {nik_place}, sedangkan kunjungan di {visit}. "
        "Pastikan NIK dan tempat kunjungan benar; data tetap boleh disimpan.",
        f"The NIK is registered in {nik_place_en}, but the visit is in {visit_en}. "
        "Make sure the NIK and the place of visit are right; the record may still be saved.",
        severity="warning")]


def _error(field: str, rule: str, id_: str, en: str) -> Problem:
    return Problem(field=field, rule=rule, id=id_, en=en)
