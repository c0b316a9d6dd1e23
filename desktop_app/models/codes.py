"""Stored codes as people read them, in Indonesian and English.

A table keeps a short code ('finalised', 'not_eligible', 'cukup_sehat'); an
officer reads 'Final', a clerk 'Tidak layak'. Each code set names its labels
beside its codes, once, and every screen, export and report reads them here.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any


class LabelledCode(StrEnum):
    """A code set whose members carry their names in both languages:
    ``DRAFT = "draft", "Draf", "Draft"``."""

    label_id: str
    label_en: str

    def __new__(cls, value: str, label_id: str = "", label_en: str = "") -> LabelledCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_id, member.label_en = label_id or value, label_en or label_id or value
        return member


def code_label(codes: type[Enum], code: Any, language: str = "id") -> str:
    """The name of ``code`` in ``language`` ('id' or 'en'): '' for no code,
    the code itself when this version does not know it (a newer laptop's)."""
    if code is None or code == "":
        return ""
    try:
        member: Any = codes(code)
    except ValueError:
        return str(code)
    return member.label_en if language == "en" else member.label_id


def options(codes: type[Enum]) -> tuple[tuple[str, str, str], ...]:
    """(code, Indonesian, English) for each member, in their order: what a
    form's list offers."""
    return tuple((member.value, member.label_id, member.label_en) for member in codes)  # type: ignore[attr-defined]
