"""Field checks shared by several record kinds, each returning Problems.

Every message names the field as the form does, says the rule, and says
what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ..models.rules.problems import Problem
from .labels import label

#: Lampung's extent with a margin (BIG boundaries: 3.7-6.2 S, 103.5-106.2 E).
LAMPUNG_LAT = (-6.3, -3.6)
LAMPUNG_LON = (103.4, 106.3)
EARLIEST_VISIT = date(2000, 1, 1)


def problem(field: str, rule: str, id_: str, en: str, severity: str = "error") -> Problem:
    return Problem(field, rule, id_, en, severity)  # type: ignore[arg-type]


def code_in(field: str, value: Any, allowed: Iterable[str]) -> list[Problem]:
    if value in (None, "") or value in allowed:
        return []
    return [problem(field, "code.unknown",
                    f"{label(field)}: kode '{value}' tidak ada dalam daftar. Pilih dari daftar.",
                    f"{label(field, 'en')}: code '{value}' is not in the list. Pick one from the list.")]


def codes_in(field: str, values: list[str] | None, allowed: Iterable[str]) -> list[Problem]:
    unknown = sorted(set(values or []) - set(allowed))
    if not unknown:
        return []
    listed = ", ".join(unknown)
    return [problem(field, "code.unknown",
                    f"{label(field)}: kode {listed} tidak ada dalam daftar. Pilih dari daftar.",
                    f"{label(field, 'en')}: code(s) {listed} are not in the list. Pick from the list.")]


def region_problems(values: dict[str, Any], regencies: frozenset[str],
                    district_parent: dict[str, str]) -> list[Problem]:
    """The regency is one of Lampung's 15; the district lies in that regency."""
    regency = values.get("regency_code")
    district = values.get("district_code")
    found = code_in("regency_code", regency, regencies)
    if found or not district:
        return found
    if district_parent.get(district) != regency:
        return [problem("district_code", "region.district_outside",
                        "Kecamatan tidak termasuk kabupaten/kota yang dipilih. "
                        "Pilih kecamatan dari kabupaten/kota tersebut.",
                        "The district is not in the chosen regency/city. "
                        "Pick a district of that regency/city.")]
    return []


def date_problems(field: str, value: date | None, *, today: date,
                  earliest: date = date(1900, 1, 1)) -> list[Problem]:
    if value is None:
        return []
    if value > today:
        return [problem(field, "date.future",
                        f"{label(field)} tidak boleh setelah hari ini. Periksa tanggalnya.",
                        f"{label(field, 'en')} cannot be after today. Check the date.")]
    if value < earliest:
        return [problem(field, "date.too_early",
                        f"{label(field)} tidak boleh sebelum {earliest.isoformat()}. "
                        "Periksa tanggalnya.",
                        f"{label(field, 'en')} cannot be before {earliest.isoformat()}. "
                        "Check the date.")]
    return []


def location_problems(values: dict[str, Any]) -> list[Problem]:
    """Both coordinates or neither, and inside Lampung."""
    lat, lon = values.get("latitude"), values.get("longitude")
    if lat is None and lon is None:
        return []
    if lat is None or lon is None:
        field = "latitude" if lat is None else "longitude"
        return [problem(field, "location.incomplete",
                        "Lokasi perlu lintang dan bujur sekaligus. Lengkapi keduanya atau kosongkan.",
                        "A location needs both latitude and longitude. Fill both or neither.")]
    if not (LAMPUNG_LAT[0] <= lat <= LAMPUNG_LAT[1] and LAMPUNG_LON[0] <= lon <= LAMPUNG_LON[1]):
        return [problem("latitude", "location.outside_lampung",
                        "Lokasi berada di luar Provinsi Lampung (lintang -6,3 s.d. -3,6; bujur "
                        "103,4 s.d. 106,3). Periksa tanda minus dan urutan lintang/bujur.",
                        "The location lies outside Lampung (latitude -6.3 to -3.6, longitude "
                        "103.4 to 106.3). Check the minus sign and the latitude/longitude order.")]
    return []


def percent_problems(field: str, value: int | None) -> list[Problem]:
    if value is None or 0 <= value <= 100:
        return []
    return [problem(field, "percent.range",
                    f"{label(field)} harus antara 0 dan 100. Periksa angkanya.",
                    f"{label(field, 'en')} must be between 0 and 100. Check the figure.")]


def not_more_than(field: str, value: int | None, limit_field: str, limit: int | None) -> list[Problem]:
    if value is None or limit is None or value <= limit:
        return []
    return [problem(field, "amount.exceeds",
                    f"{label(field)} tidak boleh melebihi {label(limit_field)}. Periksa angkanya.",
                    f"{label(field, 'en')} cannot exceed {label(limit_field, 'en')}. "
                    "Check the figures.")]


def choice_problems(field: str, value: Any, choices: Iterable[str]) -> list[Problem]:
    choices = list(choices)
    if value in (None, "") or value in choices:
        return []
    return [problem(field, "choice.unknown",
                    f"{label(field)} harus salah satu dari: {', '.join(choices)}.",
                    f"{label(field, 'en')} must be one of: {', '.join(choices)}.")]
