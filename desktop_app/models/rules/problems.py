"""A problem found in a value, said in both languages the application speaks.

Every rule and every service reports what is wrong as a :class:`Problem`, so the
form can show it at the field it names and the officer reads it in the
language they chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule on one field.

    ``rule`` is a stable machine name (``nik.length``) that tests and the UI can
    match on; ``id`` and ``en`` are full sentences that say what is wrong and
    what to do, in Indonesian and English.
    """

    field: str
    rule: str
    id: str
    en: str
    severity: Severity = "error"
    #: (kind, id) of an existing record the problem is about -- a likely
    #: duplicate -- so the form can open it in one click.
    record: tuple[str, str] | None = None

    def message(self, language: str = "id") -> str:
        """The sentence in ``language`` ('id' or 'en'); Indonesian otherwise."""
        return self.en if language == "en" else self.id

    def __str__(self) -> str:
        return f"{self.field}: {self.id} / {self.en}"
