"""Villages (desa/kelurahan) by their Kemendagri codes, and free-text names.

Codes nest: the village 18.71.01.1001 lies in the district 18.71.01, which
lies in the regency 18.71 (Kepmendagri 300.2.2-2138/2025, Kode dan Data
Wilayah Administrasi Pemerintahan; the list ships as
resources/reference/villages.csv, see its SOURCES.md). The fourth part
starts with 1 for a kelurahan and 2 for a desa.

A record names its village by code (``village_code``), checked against the
list and against the record's district; the village's name is kept beside
it (``village``) for lists, search and exports. Records made before the
list existed hold only a typed name: :func:`match_village` finds the code a
typed name stands for when exactly one village of the district (or, with
no district, of the regency) has that name once spaces, case and the words
'desa'/'kelurahan' are set aside, and nothing otherwise, so a guess never
becomes a code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .problems import Problem

_PREFIX = re.compile(r"^(desa|kelurahan|kel\.?|ds\.?|kampung|pekon|tiyuh)\s+", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def district_of(village_code: str) -> str:
    """'18.71.01.1001' -> '18.71.01'."""
    return village_code.rsplit(".", 1)[0]


def village_problems(values: Mapping[str, Any], village_parent: Mapping[str, str], *,
                     field: str = "village_code") -> list[Problem]:
    """The village is on the list and lies in the record's district.

    ``village_parent`` maps each village code to its district code.
    """
    code = values.get(field)
    if not code:
        return []
    if code not in village_parent:
        return [Problem(field, "village.unknown",
            "Desa/kelurahan tidak ada dalam daftar wilayah Kemendagri. Pilih dari daftar kecamatan "
            "yang dipilih.",
            "The village is not on Kemendagri's list. Pick one from the list of the chosen district.")]
    district = values.get("district_code")
    if not district:
        return [Problem(field, "village.no_district",
            "Pilih kecamatan dahulu: desa/kelurahan dipilih dari daftar kecamatannya.",
            "Choose the district first: the village is picked from the district's list.")]
    if village_parent[code] != district:
        return [Problem(field, "village.outside_district",
            "Desa/kelurahan tidak termasuk kecamatan yang dipilih. Pilih desa/kelurahan dari kecamatan "
            "tersebut, atau perbaiki kecamatannya.",
            "The village is not in the chosen district. Pick a village of that district, or correct "
            "the district.")]
    return []


def normalise_name(name: str) -> str:
    """A place name reduced for comparing: no 'desa'/'kelurahan' word, case,
    spaces or punctuation ('Kel. Way  Halim' and 'wayhalim' are equal)."""
    stripped = _PREFIX.sub("", name.strip())
    return _NOT_ALNUM.sub("", stripped.lower())


def match_village(typed: str, *, district_code: str | None, regency_code: str | None,
                  villages: Mapping[str, str]) -> str | None:
    """The code a typed village name stands for, or None.

    ``villages`` maps village codes to names. The typed name is looked up
    among the villages of ``district_code`` when it is given, else of
    ``regency_code``; exactly one village must match.
    """
    wanted = normalise_name(typed or "")
    if not wanted:
        return None
    if district_code:
        prefix = district_code + "."
    elif regency_code:
        prefix = regency_code + "."
    else:
        return None
    found = [code for code, name in villages.items()
             if code.startswith(prefix) and normalise_name(name) == wanted]
    return found[0] if len(found) == 1 else None
