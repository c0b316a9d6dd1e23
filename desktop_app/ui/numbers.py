"""Numbers on the screens, with the separators of the screens' language:
1.250.000 and 12,5 in Indonesian, 1,250,000 and 12.5 in English
(services.formats does the writing; this only names the language)."""

from __future__ import annotations

from ..services import formats
from .i18n import language


def number(value: int | float | None, decimals: int = 0) -> str:
    return formats.number(value, decimals, language())


def rupiah(value: int | None) -> str:
    return formats.rupiah(value, language())


def percent(share: float | None, decimals: int = 1) -> str:
    return formats.percent(share, decimals, language())


def group_separator() -> str:
    return formats.group_separator(language())
